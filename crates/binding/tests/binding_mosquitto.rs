//! The binding end to end on Mosquitto (skipped when it is not installed, unless
//! `ONEM2M_REQUIRE_MOSQUITTO=1`): the same scenarios as on the embedded broker.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binding_common;

use binding_common::scenarios;
use binding_common::{SCHEMES, SERIALIZATIONS};
use onem2m_test_support::require_mosquitto;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_serialization_and_scheme_carries_a_request_and_its_response() {
    let broker = require_mosquitto!();
    for scheme in SCHEMES {
        for serialization in SERIALIZATIONS {
            scenarios::request_and_response_on_the_wire(&broker.mqtt_url(), scheme, serialization)
                .await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_expired_while_the_receiver_was_offline_is_4008_unhandled() {
    let broker = require_mosquitto!();
    scenarios::expired_while_the_receiver_was_offline(&broker.mqtt_url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spoofed_originator_is_4103_unhandled() {
    let broker = require_mosquitto!();
    scenarios::spoofed_originator_is_refused(&broker.mqtt_url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redelivered_request_runs_once_and_gets_the_same_answer() {
    let broker = require_mosquitto!();
    scenarios::duplicate_redelivery_runs_once(&broker.mqtt_url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_request_times_out_as_5103() {
    let broker = require_mosquitto!();
    scenarios::unanswered_request_times_out_with_5103(&broker.mqtt_url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsupported_serialization_is_4015() {
    let broker = require_mosquitto!();
    scenarios::unsupported_serialization_is_4015(&broker.mqtt_url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_deregistration_queued_messages_are_not_delivered() {
    let broker = require_mosquitto!();
    scenarios::deregistration_drops_what_was_queued(&broker.mqtt_url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_requests_are_all_answered_and_none_mixed_up() {
    let broker = require_mosquitto!();
    let elapsed = scenarios::a_thousand_concurrent_requests(&broker.mqtt_url()).await;
    eprintln!("1000 concurrent requests on Mosquitto: {elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ae_registers_and_then_works_under_its_assigned_id() {
    let broker = require_mosquitto!();
    scenarios::registration_then_requests_under_the_assigned_id(&broker.mqtt_url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cse_notifies_an_ae_and_gets_its_answer() {
    let broker = require_mosquitto!();
    scenarios::cse_notifies_an_ae(&broker.mqtt_url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_whose_handler_never_finished_is_redelivered_and_answered() {
    let broker = require_mosquitto!();
    scenarios::unfinished_request_is_redelivered_to_the_next_connection(&broker.mqtt_url()).await;
}
