//! The binding behind a locked-down Mosquitto: TLS and mutual TLS, a password file,
//! and the ACL of `docs/security.md`, which lets each client publish requests only
//! under its own originator level and responses only under its own receiver level.
//! Mosquitto silently drops a QoS 0/1 PUBLISH the ACL denies to a 3.1.1 client, so the
//! spoofing tests assert on what the handler receives.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binding_common;
mod driver_common;

use std::sync::Arc;
use std::time::Duration;

use binding_common::{Echo, STEP, echo_response};
use driver_common::{config, filter, next_message, options, topic};
use onem2m_binding::driver::MqttClient;
use onem2m_binding::topic::AeIdForm;
use onem2m_binding::{Binding, BindingBuilder, Error, Ts0010Scheme};
use onem2m_mqtt_proto::{ByteStr, QoS};
use onem2m_primitive::{RequestPrimitive, ResponseStatusCode};
use onem2m_serialization::{JsonSerializer, Serializer};
use onem2m_test_support::{
    Mosquitto, MosquittoOptions, MosquittoStart, skip_or_fail, write_password_file,
};
use onem2m_transport::{Tcp, TlsOptions};
use tokio::time::timeout;

/// The ACL of `docs/security.md`, verbatim. `%u` is the MQTT username, which is the
/// entity's ID as a topic level (`CAE01`, `id-in`): the client id (`A::CAE01`)
/// carries a prefix no topic level has, so `%c` cannot be used.
const ACL: &str = "\
# Requests: published under one's own originator level, read when addressed to oneself.
pattern write /oneM2M/req/%u/+/+
pattern read /oneM2M/req/+/%u/#
# Responses: published under one's own receiver level, read when answering oneself.
pattern write /oneM2M/resp/+/%u/+
pattern read /oneM2M/resp/%u/#
# Registration: an AE without an AE-ID uses its Credential-ID as username.
pattern write /oneM2M/reg_req/%u/+/+
pattern read /oneM2M/reg_req/+/%u/#
pattern write /oneM2M/reg_resp/+/%u/+
pattern read /oneM2M/reg_resp/%u/#
";

const CSE: (&str, &str) = ("id-in", "cse-secret");
const AE: (&str, &str) = ("CAE01", "ae-secret");
const MALLORY: (&str, &str) = ("CAE02", "mallory-secret");

/// The request and response topics of CAE01's requests to the CSE, with the AE-ID
/// written as its stem (the form the usernames, and TS-0010 7.4's ACLs, use).
const AE_REQUESTS: &str = "/oneM2M/req/CAE01/id-in/json";
const MALLORY_RESPONSES: &str = "/oneM2M/resp/CAE02/id-in/json";

/// A Mosquitto with the password file and the ACL, no anonymous access, and the
/// directory holding both; `None` when the test is skipped.
fn locked_down_broker() -> Option<(tempfile::TempDir, Mosquitto)> {
    let dir = tempfile::tempdir().unwrap();
    let passwords = dir.path().join("passwords");
    if let Err(e) = write_password_file(&passwords, &[CSE, AE, MALLORY]) {
        skip_or_fail(&e.to_string());
        return None;
    }
    let acl = dir.path().join("acl");
    std::fs::write(&acl, ACL).unwrap();
    match Mosquitto::start_with(MosquittoOptions {
        allow_anonymous: false,
        password_file: Some(passwords),
        acl_file: Some(acl),
        // Denied publishes are logged at debug level only.
        extra_config: "log_type debug".into(),
    }) {
        Ok(MosquittoStart::Running(broker)) => Some((dir, broker)),
        Ok(MosquittoStart::Skip { reason }) => {
            skip_or_fail(&reason);
            None
        }
        Err(e) => panic!("mosquitto did not start: {e}"),
    }
}

/// A builder for `url` with the TS-0010 scheme writing AE-IDs as stems and JSON.
fn builder(url: &str, tls: TlsOptions) -> BindingBuilder {
    Binding::builder()
        .url(url)
        .unwrap()
        .tls(tls)
        .topic_scheme(Ts0010Scheme::new().with_ae_id_form(AeIdForm::Stem))
        .serializer(JsonSerializer::new())
        .request_timeout(Duration::from_secs(5))
}

async fn cse(broker: &Mosquitto, echo: &Echo) -> Binding {
    builder(&broker.mqtts_url(), trusting(broker))
        .cse_id("/id-in")
        .credentials(CSE.0, CSE.1)
        .handler(echo.handler())
        .build()
        .await
        .unwrap_or_else(|e| panic!("CSE: {e}\n{}", broker.log()))
}

/// CAE01, logged in with its password, at `url`.
async fn ae(broker: &Mosquitto, url: &str, tls: TlsOptions) -> Binding {
    builder(url, tls)
        .ae_id(AE.0)
        .registrar("/id-in")
        .credentials(AE.0, AE.1)
        .build()
        .await
        .unwrap_or_else(|e| panic!("AE: {e}\n{}", broker.log()))
}

fn trusting(broker: &Mosquitto) -> TlsOptions {
    TlsOptions::new().ca_file(&broker.pki().ca_cert)
}

fn with_client_certificate(broker: &Mosquitto) -> TlsOptions {
    let pki = broker.pki();
    trusting(broker).client_auth(&pki.client_cert, &pki.client_key)
}

/// A raw MQTT session (our driver) logged in as `user` over plain TCP, for what the
/// binding would never publish.
fn raw_session(
    broker: &Mosquitto,
    (user, password): (&str, &str),
) -> (MqttClient, onem2m_binding::driver::Incoming) {
    let mut session = options(&format!("raw-{user}"));
    session.username = Some(ByteStr::try_from(user).unwrap());
    session.password = Some(password.as_bytes().to_vec().into());
    let transport = Arc::new(Tcp::new("127.0.0.1", broker.ports().mqtt));
    MqttClient::start(config(transport, session)).unwrap()
}

fn json_request(fr: &str, rqi: &str) -> bytes::Bytes {
    let request = RequestPrimitive::retrieve("cse-in", fr, rqi);
    JsonSerializer::new().encode_request(&request).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binding_works_over_tls_and_mutual_tls_with_passwords_under_the_acl() {
    let Some((_dir, broker)) = locked_down_broker() else {
        return;
    };
    let echo = Echo::default();
    let cse = cse(&broker, &echo).await;
    // The AE over the listener that also requires a client certificate.
    let ae = ae(
        &broker,
        &broker.mqtts_mutual_url(),
        with_client_certificate(&broker),
    )
    .await;
    let request = RequestPrimitive::retrieve("cse-in", AE.0, "tls-1");
    let response = ae.originator().request(request.clone()).await.unwrap();
    assert_eq!(response, echo_response(&request));
    // And the CSE reaches the AE (a notification) under the same rules.
    let notify = RequestPrimitive::notify(
        AE.0,
        "/id-in",
        "tls-ntf",
        binding_common::content("m2m:sgn", "sur", "s1"),
    );
    let answer = cse.originator().request(notify).await.unwrap();
    assert_eq!(
        answer.rsc,
        ResponseStatusCode::NOT_IMPLEMENTED,
        "the AE has no handler"
    );
    assert_eq!(echo.calls(), 1);
    ae.shutdown().await;
    cse.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_or_none_is_a_connect_error_that_says_so() {
    let Some((_dir, broker)) = locked_down_broker() else {
        return;
    };
    for credentials in [Some((AE.0, "wrong")), Some(("nobody", "x")), None] {
        let mut ae = builder(&broker.mqtts_url(), trusting(&broker))
            .ae_id(AE.0)
            .registrar("/id-in")
            .connect_timeout(Duration::from_millis(1500));
        if let Some((user, password)) = credentials {
            ae = ae.credentials(user, password);
        }
        let error = ae.build().await.err().unwrap();
        let Error::ConnectTimeout {
            cause: Some(cause), ..
        } = &error
        else {
            panic!("{credentials:?}: {error:?}");
        };
        // Mosquitto 2.0 answers a 3.1.1 client "not authorized" (return code 5) for a
        // wrong password, an unknown user and no user alike.
        assert!(
            cause.contains("the client is not authorized to connect (return code 5)"),
            "{credentials:?}: {cause}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_published_under_another_originator_never_reaches_the_handler() {
    let Some((_dir, broker)) = locked_down_broker() else {
        return;
    };
    let echo = Echo::default();
    let cse = cse(&broker, &echo).await;
    let ae = ae(&broker, &broker.mqtts_url(), trusting(&broker)).await;
    let (mallory, mut inbox) = raw_session(&broker, MALLORY);
    // Mosquitto grants a subscription to another AE's responses but checks read access
    // on every delivery: nothing may arrive on it.
    timeout(
        STEP,
        mallory.subscribe(vec![
            filter("/oneM2M/resp/CAE01/#"),
            filter("/oneM2M/resp/CAE02/#"),
        ]),
    )
    .await
    .unwrap()
    .unwrap();

    // Under CAE01's originator level, claiming to be CAE01: the broker drops it.
    for qos in [QoS::AtMostOnce, QoS::AtLeastOnce] {
        let sent = mallory
            .publish(topic(AE_REQUESTS), json_request(AE.0, "spoof-topic"), qos)
            .await;
        assert!(sent.is_ok(), "{qos:?}: {sent:?}");
    }
    // Under its own level, claiming to be CAE01: the receiver answers 4103.
    mallory
        .publish(
            topic("/oneM2M/req/CAE02/id-in/json"),
            json_request(AE.0, "spoof-fr"),
            QoS::AtLeastOnce,
        )
        .await
        .unwrap();
    // CAE01's own request is served, and its response is not seen by mallory.
    let request = RequestPrimitive::retrieve("cse-in", AE.0, "honest-ae");
    let response = ae.originator().request(request.clone()).await.unwrap();
    assert_eq!(response, echo_response(&request));
    // An honest request of mallory's own, sent last, is served: everything before it
    // was already dealt with.
    mallory
        .publish(
            topic("/oneM2M/req/CAE02/id-in/json"),
            json_request(MALLORY.0, "honest"),
            QoS::AtLeastOnce,
        )
        .await
        .unwrap();
    let mut seen = Vec::new();
    while seen.last().is_none_or(|(_, rqi, _)| rqi != "honest") {
        let message = next_message(&mut inbox).await;
        let answer = JsonSerializer::new()
            .decode_response(&message.payload)
            .unwrap();
        seen.push((
            message.topic.as_str().to_owned(),
            answer.rqi.unwrap_or_default(),
            answer.rsc,
        ));
    }
    let expected = [
        ("spoof-fr", ResponseStatusCode::ORIGINATOR_HAS_NO_PRIVILEGE),
        ("honest", ResponseStatusCode::OK),
    ]
    .map(|(rqi, rsc)| (MALLORY_RESPONSES.to_owned(), rqi.to_owned(), rsc));
    assert_eq!(seen, expected);
    assert_eq!(echo.calls(), 2, "a spoofed request reached the handler");
    assert!(
        broker.log().contains("Denied PUBLISH from raw-CAE02"),
        "{}",
        broker.log()
    );
    mallory.shutdown().await;
    ae.shutdown().await;
    cse.shutdown().await;
}
