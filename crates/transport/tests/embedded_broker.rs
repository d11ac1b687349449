//! TCP and WebSocket transports against the embedded broker.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_test_support::raw_mqtt;
use onem2m_transport::{TlsOptions, Transport, transport_for_url};
use tokio::time::timeout;

const TEST_TIMEOUT: Duration = Duration::from_secs(30);

async fn round_trip(url: &str) {
    let transport = transport_for_url(url, &TlsOptions::new()).unwrap();
    timeout(TEST_TIMEOUT, async {
        let publisher = transport.connect().await.unwrap();
        let subscriber = transport.connect().await.unwrap();
        raw_mqtt::pub_sub_round_trip(publisher, subscriber)
            .await
            .unwrap();
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn tcp_round_trip() {
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new())
        .await
        .unwrap();
    round_trip(&broker.url()).await;
    broker.shutdown().await.unwrap();
}

#[tokio::test]
async fn websocket_round_trip() {
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new())
        .await
        .unwrap();
    round_trip(&broker.ws_url().unwrap()).await;
    broker.shutdown().await.unwrap();
}

#[tokio::test]
async fn tcp_publisher_reaches_a_websocket_subscriber() {
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new())
        .await
        .unwrap();
    let tcp = transport_for_url(&broker.url(), &TlsOptions::new()).unwrap();
    let ws = transport_for_url(&broker.ws_url().unwrap(), &TlsOptions::new()).unwrap();
    timeout(TEST_TIMEOUT, async {
        raw_mqtt::pub_sub_round_trip(tcp.connect().await.unwrap(), ws.connect().await.unwrap())
            .await
            .unwrap();
    })
    .await
    .unwrap();
    broker.shutdown().await.unwrap();
}

#[tokio::test]
async fn websocket_on_another_path_is_refused() {
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new())
        .await
        .unwrap();
    let url = broker.ws_url().unwrap().replace("/mqtt", "/elsewhere");
    let transport = transport_for_url(&url, &TlsOptions::new()).unwrap();
    let err = timeout(TEST_TIMEOUT, transport.connect())
        .await
        .unwrap()
        .err()
        .expect("connected");
    assert!(err.to_string().contains("WebSocket handshake"), "{err}");
    broker.shutdown().await.unwrap();
}
