//! The gateway in front of a live ACME: the interop scenario runs twice in one test,
//! once against ACME's own MQTT binding and once against ACME with MQTT off behind
//! the gateway, and the two transcripts (status codes, resource attributes other than
//! identifiers and times, notifications received) must be equal; in JSON and CBOR.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../binding/tests/binding_common/mod.rs"]
mod binding_common;

#[path = "../../binding/tests/acme_common/mod.rs"]
mod acme_common;

mod transcript;

use acme_common::{
    ADMIN, CSE_ID, Inbox, Suite, Transport, builder, container, content_instance, expect, register,
    resource, stem_scheme, subscription, unique,
};
use onem2m_binding::{Binding, Registration};
use onem2m_gateway::Gateway;
use onem2m_primitive::{RequestPrimitive, ResponseStatusCode, Value};
use onem2m_test_support::{
    Acme, AcmeStart, Mosquitto, MosquittoStart, REQUIRE_ACME_ENV, skip_or_fail, skip_or_fail_for,
};
use transcript::Transcript;

const SERIALIZATIONS: [&str; 2] = ["json", "cbor"];
const READINGS: usize = 3;

/// RUST_LOG=onem2m_gateway=debug shows both directions.
fn init_logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}

fn mosquitto() -> Option<Mosquitto> {
    match Mosquitto::start().unwrap() {
        MosquittoStart::Running(broker) => Some(broker),
        MosquittoStart::Skip { reason } => {
            skip_or_fail(&reason);
            None
        }
    }
}

fn acme(start: Result<AcmeStart, onem2m_test_support::Error>) -> Option<Acme> {
    match start {
        Ok(AcmeStart::Running(acme)) => Some(acme),
        Ok(AcmeStart::Skip { reason }) => {
            skip_or_fail_for(REQUIRE_ACME_ENV, "ACME not installed", &reason);
            None
        }
        Err(e) => panic!("ACME is installed but did not start: {e}"),
    }
}

/// A gateway for ACME's HTTP port on the suite's broker, with the topic scheme ACME's
/// own MQTT binding uses.
async fn gateway(suite: &Suite) -> Gateway {
    Gateway::builder()
        .mqtt(
            Binding::builder()
                .url(&suite.url(Transport::Tcp))
                .unwrap()
                .topic_scheme(stem_scheme())
                .client_id(unique("gateway-"))
                .request_timeout(acme_common::STEP),
        )
        .cse_id(CSE_ID)
        .cse_url(suite.acme.http_url())
        .start()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_interop_scenario_gives_the_same_transcript_natively_and_through_the_gateway() {
    init_logs();
    let Some(broker) = mosquitto() else { return };

    let Some(native) = acme(Acme::start(broker.ports().mqtt)) else {
        return;
    };
    let suite = Suite {
        acme: native,
        broker,
    };
    let mut native_runs = Vec::new();
    for serialization in SERIALIZATIONS {
        native_runs.push(scenario(&suite, serialization).await);
    }
    let Suite { mut acme, broker } = suite;
    acme.stop().unwrap();

    let Some(http_only) = acme_http_only() else {
        return;
    };
    let suite = Suite {
        acme: http_only,
        broker,
    };
    let gateway = gateway(&suite).await;
    for (serialization, native) in SERIALIZATIONS.into_iter().zip(native_runs) {
        let through_gateway = scenario(&suite, serialization).await;
        assert!(
            native.entries().len() > 15,
            "a scenario too short to compare: {native}"
        );
        assert_eq!(
            native,
            through_gateway,
            "{serialization}: native MQTT\n{native}\nthrough the gateway\n{through_gateway}\nACME:\n{}",
            suite.acme_log()
        );
    }
    gateway.shutdown().await;
}

fn acme_http_only() -> Option<Acme> {
    acme(Acme::start_http_only())
}

/// The life cycle of one AE (named after `serialization` only, so that both runs use
/// the same names), written down step by step.
async fn scenario(suite: &Suite, serialization: &str) -> Transcript {
    let mut t = Transcript::default();
    let inbox = Inbox::default();
    let stem = format!("Cdiff{serialization}");
    let rn = format!("diff{serialization}");
    let ae_path = format!("cse-in/{rn}");
    let (ae, registration): (Binding, Registration) = register(
        suite,
        builder(suite, Transport::Tcp, serialization),
        serialization,
        &rn,
        &stem,
        &inbox,
    )
    .await;
    t.note("registered as", &registration.ae_id);

    let read_back = expect(
        suite,
        &ae,
        RequestPrimitive::retrieve(&ae_path, "", ""),
        ResponseStatusCode::OK,
    )
    .await;
    t.response("retrieve own AE", &read_back);
    t.attribute(
        "own poa as read back",
        resource(&read_back, "m2m:ae").get("poa"),
    );

    let data = format!("{ae_path}/data");
    t.response(
        "create container",
        &expect(
            suite,
            &ae,
            container(&ae_path, "data"),
            ResponseStatusCode::CREATED,
        )
        .await,
    );
    t.response(
        "subscribe self",
        &expect(
            suite,
            &ae,
            subscription(&data, "self", &stem),
            ResponseStatusCode::CREATED,
        )
        .await,
    );
    for n in 0..READINGS {
        let created = expect(
            suite,
            &ae,
            content_instance(&data, &format!("reading {n}")),
            ResponseStatusCode::CREATED,
        )
        .await;
        t.response("create contentInstance", &created);
    }
    // ACME may notify out of order: compared as a set.
    let mut notifications = Transcript::default();
    for notification in inbox.wait_for_notifications(READINGS).await {
        notifications.request("notification", &notification);
    }
    t.sorted(notifications);
    t.response(
        "retrieve la",
        &expect(
            suite,
            &ae,
            RequestPrimitive::retrieve(format!("{data}/la"), "", ""),
            ResponseStatusCode::OK,
        )
        .await,
    );
    let mut update = RequestPrimitive::update(
        &data,
        "",
        "",
        acme_common::content("m2m:cnt", &[("lbl", Value::List(vec!["diff".into()]))]),
    );
    update.fr = None;
    t.response(
        "update container",
        &expect(suite, &ae, update, ResponseStatusCode::UPDATED).await,
    );
    t.response(
        "retrieve missing",
        &expect(
            suite,
            &ae,
            RequestPrimitive::retrieve(format!("{data}/nothing"), "", ""),
            ResponseStatusCode::NOT_FOUND,
        )
        .await,
    );

    let admin = acme_common::admin(suite).await;
    t.response(
        "admin subscribes the AE, accepted",
        &expect(
            suite,
            &admin,
            subscription(&data, "byAdmin", &stem),
            ResponseStatusCode::CREATED,
        )
        .await,
    );
    inbox.refuse_verifications(true);
    t.response(
        "admin subscribes the AE, refused",
        &expect(
            suite,
            &admin,
            subscription(&data, "refused", &stem),
            ResponseStatusCode::SUBSCRIPTION_VERIFICATION_INITIATION_FAILED,
        )
        .await,
    );
    for verification in inbox.verifications() {
        t.request("verification request", &verification);
    }
    t.note(
        "serializations received",
        &format!("{:?}", inbox.serializations()),
    );

    t.response(
        "delete AE",
        &expect(
            suite,
            &ae,
            RequestPrimitive::delete(&ae_path, "", ""),
            ResponseStatusCode::DELETED,
        )
        .await,
    );
    ae.deregister().await;
    t.response(
        "admin retrieves the deleted AE",
        &expect(
            suite,
            &admin,
            RequestPrimitive::retrieve(&ae_path, ADMIN, ""),
            ResponseStatusCode::NOT_FOUND,
        )
        .await,
    );
    admin.shutdown().await;
    t
}

/// An AE that lets ACME assign its AE-ID registers through the gateway: the gateway
/// points the `poa` at the assigned AE-ID afterwards, so the AE is notified, and it
/// reads back the `poa` it wrote.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ae_id_the_cse_assigns_is_reachable_through_the_gateway() {
    init_logs();
    let Some(broker) = mosquitto() else { return };
    let Some(acme) = acme_http_only() else { return };
    let suite = Suite { acme, broker };
    let gateway = gateway(&suite).await;
    let inbox = Inbox::default();
    let rn = unique("assigned-");
    let (ae, registration) = register(
        &suite,
        builder(&suite, Transport::Tcp, "json"),
        "json",
        &rn,
        "C",
        &inbox,
    )
    .await;
    assert!(
        registration.ae_id.len() > 1 && registration.ae_id != "C",
        "{registration:?}"
    );
    let ae_path = format!("cse-in/{rn}");
    let read_back = expect(
        &suite,
        &ae,
        RequestPrimitive::retrieve(&ae_path, "", ""),
        ResponseStatusCode::OK,
    )
    .await;
    assert_eq!(
        resource(&read_back, "m2m:ae").get("poa"),
        Some(&Value::List(vec![suite.poa().into()]))
    );
    let data = acme_common::container_notifying(&suite, &ae, &ae_path, &registration.ae_id).await;
    expect(
        &suite,
        &ae,
        content_instance(&data, "hello"),
        ResponseStatusCode::CREATED,
    )
    .await;
    let notifications = inbox.wait_for_notifications(1).await;
    assert_eq!(notifications[0].to, registration.ae_id);
    expect(
        &suite,
        &ae,
        RequestPrimitive::delete(&ae_path, "", ""),
        ResponseStatusCode::DELETED,
    )
    .await;
    ae.deregister().await;
    gateway.shutdown().await;
}
