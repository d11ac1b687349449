//! The binding end to end on the embedded broker: an AE and a CSE, with a raw MQTT
//! client as independent observer of the wire.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binding_common;

use binding_common::scenarios;
use binding_common::{SCHEMES, SERIALIZATIONS};
use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};

async fn broker() -> EmbeddedBroker {
    EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(false))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_serialization_and_scheme_carries_a_request_and_its_response() {
    for scheme in SCHEMES {
        for serialization in SERIALIZATIONS {
            let broker = broker().await;
            scenarios::request_and_response_on_the_wire(&broker.url(), scheme, serialization).await;
            broker.shutdown().await.unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_expired_while_the_receiver_was_offline_is_4008_unhandled() {
    let broker = broker().await;
    scenarios::expired_while_the_receiver_was_offline(&broker.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spoofed_originator_is_4103_unhandled() {
    let broker = broker().await;
    scenarios::spoofed_originator_is_refused(&broker.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redelivered_request_runs_once_and_gets_the_same_answer() {
    let broker = broker().await;
    scenarios::duplicate_redelivery_runs_once(&broker.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_request_times_out_as_5103() {
    let broker = broker().await;
    scenarios::unanswered_request_times_out_with_5103(&broker.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsupported_serialization_is_4015() {
    let broker = broker().await;
    scenarios::unsupported_serialization_is_4015(&broker.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_deregistration_queued_messages_are_not_delivered() {
    let broker = broker().await;
    scenarios::deregistration_drops_what_was_queued(&broker.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_requests_are_all_answered_and_none_mixed_up() {
    let broker = broker().await;
    let elapsed = scenarios::a_thousand_concurrent_requests(&broker.url()).await;
    eprintln!("1000 concurrent requests on the embedded broker: {elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ae_registers_and_then_works_under_its_assigned_id() {
    let broker = broker().await;
    scenarios::registration_then_requests_under_the_assigned_id(&broker.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cse_notifies_an_ae_and_gets_its_answer() {
    let broker = broker().await;
    scenarios::cse_notifies_an_ae(&broker.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_whose_handler_never_finished_is_redelivered_and_answered() {
    let broker = broker().await;
    scenarios::unfinished_request_is_redelivered_to_the_next_connection(&broker.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_originator_limits_fail_fast_with_their_own_errors() {
    let broker = broker().await;
    scenarios::originator_limits_fail_fast(&broker.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_gives_5000_and_the_next_request_is_served() {
    use binding_common::{AE_ID, CSE_ID, Scheme, builder, echo_response, retrieve};
    use onem2m_primitive::{RequestPrimitive, ResponseStatusCode};

    let broker = broker().await;
    let url = broker.url();
    let cse = builder(&url, Scheme::Ts0010, "json")
        .cse_id(CSE_ID)
        .handler(|request: RequestPrimitive, _ctx| async move {
            assert!(
                request.rqi != "boom",
                "the handler gave up on {}",
                request.rqi
            );
            echo_response(&request)
        })
        .build()
        .await
        .unwrap();
    let ae = builder(&url, Scheme::Ts0010, "json")
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .build()
        .await
        .unwrap();
    let failed = ae.originator().request(retrieve("boom")).await.unwrap();
    assert_eq!(failed.rsc, ResponseStatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        failed
            .debug_message()
            .is_some_and(|m| m.contains("the handler panicked: the handler gave up on boom")),
        "{failed:?}"
    );
    let request = retrieve("after");
    let served = ae.originator().request(request.clone()).await.unwrap();
    assert_eq!(served, echo_response(&request));
    ae.shutdown().await;
    cse.shutdown().await;
    broker.shutdown().await.unwrap();
}
