//! Every transport against a real Mosquitto, with hand-written MQTT packets:
//! CONNECT/CONNACK, SUBSCRIBE/SUBACK, PUBLISH QoS 1/PUBACK, and delivery to a
//! second connection. Skipped when mosquitto is not installed (failed in CI).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use onem2m_test_support::raw_mqtt::{self, RawMqttClient};
use onem2m_test_support::{Mosquitto, TestPki, require_mosquitto};
use onem2m_transport::{Error, TlsOptions, Transport, transport_for_url};
use tokio::time::timeout;

const TEST_TIMEOUT: Duration = Duration::from_secs(30);

async fn round_trip(broker: &Mosquitto, url: &str, tls: &TlsOptions) {
    let transport = transport_for_url(url, tls).unwrap();
    timeout(TEST_TIMEOUT, async {
        let publisher = transport.connect().await?;
        let subscriber = transport.connect().await?;
        raw_mqtt::pub_sub_round_trip(publisher, subscriber)
            .await
            .map_err(|e| format!("{e}"))?;
        Ok::<_, Box<dyn std::error::Error>>(())
    })
    .await
    .expect("round trip timed out")
    .unwrap_or_else(|e| {
        panic!(
            "round trip over {} failed: {e}\nmosquitto log:\n{}",
            transport.describe(),
            broker.log()
        )
    });
}

fn trusting(broker: &Mosquitto) -> TlsOptions {
    TlsOptions::new().ca_file(&broker.pki().ca_cert)
}

async fn handshake_error(url: &str, tls: &TlsOptions) -> Error {
    let transport = transport_for_url(url, tls).unwrap();
    timeout(TEST_TIMEOUT, transport.connect())
        .await
        .unwrap()
        .err()
        .expect("connected")
}

#[tokio::test]
async fn tcp_round_trip() {
    let broker = require_mosquitto!();
    round_trip(&broker, &broker.mqtt_url(), &TlsOptions::new()).await;
}

#[tokio::test]
async fn tls_round_trip_with_the_test_ca() {
    let broker = require_mosquitto!();
    round_trip(&broker, &broker.mqtts_url(), &trusting(&broker)).await;
}

#[tokio::test]
async fn mutual_tls_round_trip_with_a_client_certificate() {
    let broker = require_mosquitto!();
    let pki = broker.pki();
    let tls = trusting(&broker).client_auth(&pki.client_cert, &pki.client_key);
    round_trip(&broker, &broker.mqtts_mutual_url(), &tls).await;
}

#[tokio::test]
async fn mutual_tls_listener_refuses_a_client_without_certificate() {
    let broker = require_mosquitto!();
    let transport = transport_for_url(&broker.mqtts_mutual_url(), &trusting(&broker)).unwrap();
    let refused = timeout(TEST_TIMEOUT, async {
        // With TLS 1.3 the client finishes its handshake before the server
        // checks the (missing) certificate, so the refusal may only show on the
        // first read.
        let stream = transport.connect().await.map_err(|e| e.to_string())?;
        RawMqttClient::new(stream)
            .connect("no-cert")
            .await
            .map_err(|e| e.to_string())
    })
    .await
    .unwrap();
    assert!(refused.is_err(), "a client without certificate got through");
}

#[tokio::test]
async fn websocket_round_trip() {
    let broker = require_mosquitto!();
    round_trip(&broker, &broker.ws_url(), &TlsOptions::new()).await;
}

#[tokio::test]
async fn secure_websocket_round_trip() {
    let broker = require_mosquitto!();
    round_trip(&broker, &broker.wss_url(), &trusting(&broker)).await;
}

#[tokio::test]
async fn secure_websocket_with_mutual_tls_options_still_works() {
    // A client certificate offered to a listener that does not ask for one is
    // simply not sent.
    let broker = require_mosquitto!();
    let pki = broker.pki();
    let tls = trusting(&broker).client_auth(&pki.client_cert, &pki.client_key);
    round_trip(&broker, &broker.wss_url(), &tls).await;
}

#[tokio::test]
async fn wrong_ca_is_refused_with_unknown_issuer() {
    let broker = require_mosquitto!();
    let other = tempfile::tempdir().unwrap();
    let other_pki = TestPki::generate(other.path()).unwrap();
    let err = handshake_error(
        &broker.mqtts_url(),
        &TlsOptions::new().ca_file(&other_pki.ca_cert),
    )
    .await;
    assert!(matches!(err, Error::TlsHandshake { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("certificate") && text.contains("UnknownIssuer"),
        "{text}"
    );
    assert!(
        text.contains("TlsOptions::ca_file"),
        "the hint is missing: {text}"
    );
}

#[tokio::test]
async fn builtin_roots_do_not_trust_a_private_ca() {
    let broker = require_mosquitto!();
    let err = handshake_error(&broker.wss_url(), &TlsOptions::new()).await;
    assert!(err.to_string().contains("UnknownIssuer"), "{err}");
}

#[tokio::test]
async fn certificate_for_another_name_is_refused() {
    let broker = require_mosquitto!();
    let err = handshake_error(
        &broker.mqtts_url(),
        &trusting(&broker).server_name("broker.example"),
    )
    .await;
    assert!(matches!(err, Error::TlsHandshake { .. }), "{err}");
    assert!(err.to_string().contains("not valid for name"), "{err}");
}

#[tokio::test]
async fn server_name_override_accepts_a_name_in_the_certificate() {
    let broker = require_mosquitto!();
    let url = format!("mqtts://127.0.0.1:{}", broker.ports().mqtts);
    round_trip(&broker, &url, &trusting(&broker).server_name("localhost")).await;
}

#[tokio::test]
async fn dangerous_option_accepts_an_untrusted_certificate() {
    let broker = require_mosquitto!();
    round_trip(
        &broker,
        &broker.mqtts_url(),
        &TlsOptions::new().danger_accept_invalid_certs(true),
    )
    .await;
}

#[tokio::test]
async fn tls_to_a_cleartext_port_fails_the_handshake() {
    let broker = require_mosquitto!();
    let url = format!("mqtts://localhost:{}", broker.ports().mqtt);
    let err = handshake_error(&url, &trusting(&broker)).await;
    assert!(
        matches!(err, Error::TlsHandshake { .. } | Error::TlsIo { .. }),
        "{err}"
    );
}
