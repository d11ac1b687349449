//! The embedded broker's lifecycle and the MQTT 3.1.1 behaviour the project
//! relies on, checked with hand-written packets over plain TCP.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_test_support::raw_mqtt::{self, RawMqttClient};
use tokio::net::TcpStream;
use tokio::time::timeout;

const TEST_TIMEOUT: Duration = Duration::from_secs(30);

async fn start() -> EmbeddedBroker {
    EmbeddedBroker::start(EmbeddedBrokerOptions::new())
        .await
        .unwrap()
}

async fn client(broker: &EmbeddedBroker) -> RawMqttClient<TcpStream> {
    let stream = TcpStream::connect(broker.tcp_addr()).await.unwrap();
    stream.set_nodelay(true).unwrap();
    RawMqttClient::new(stream)
}

#[tokio::test]
async fn binds_ephemeral_loopback_ports_and_reports_urls() {
    let a = start().await;
    let b = start().await;
    for broker in [&a, &b] {
        assert!(broker.tcp_addr().ip().is_loopback());
        assert_ne!(broker.tcp_addr().port(), 0);
        let ws = broker.ws_addr().unwrap();
        assert_ne!(ws.port(), broker.tcp_addr().port());
        assert_eq!(
            broker.url(),
            format!("mqtt://127.0.0.1:{}", broker.tcp_addr().port())
        );
        assert_eq!(
            broker.ws_url().unwrap(),
            format!("ws://127.0.0.1:{}/mqtt", ws.port())
        );
    }
    assert_ne!(a.tcp_addr(), b.tcp_addr());
    a.shutdown().await.unwrap();
    b.shutdown().await.unwrap();
}

#[tokio::test]
async fn websocket_listener_can_be_left_out() {
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(false))
        .await
        .unwrap();
    assert!(broker.ws_addr().is_none() && broker.ws_url().is_none());
    broker.shutdown().await.unwrap();
}

#[tokio::test]
async fn accepts_a_3_1_1_connect_with_the_exact_connack() {
    let broker = start().await;
    timeout(TEST_TIMEOUT, async {
        let mut c = client(&broker).await;
        c.send(&raw_mqtt::connect(
            "C::id-in:with-colons-and-longer-than-23-bytes",
            true,
            60,
        ))
        .await
        .unwrap();
        assert_eq!(
            c.read_packet().await.unwrap().to_bytes(),
            raw_mqtt::CONNACK_ACCEPTED
        );
        c.ping().await.unwrap();
    })
    .await
    .unwrap();
    broker.shutdown().await.unwrap();
}

#[tokio::test]
async fn shutdown_closes_the_listener_and_live_connections() {
    let broker = start().await;
    let addr = broker.tcp_addr();
    let mut live = client(&broker).await;
    live.connect("soon-closed").await.unwrap();
    timeout(TEST_TIMEOUT, broker.shutdown())
        .await
        .unwrap()
        .unwrap();
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "still accepting after shutdown"
    );
    let after = timeout(TEST_TIMEOUT, live.read_packet()).await.unwrap();
    assert!(
        after.is_err(),
        "connection still open after shutdown: {after:?}"
    );
}

#[tokio::test]
async fn dropping_the_broker_stops_it() {
    let broker = start().await;
    let addr = broker.tcp_addr();
    drop(broker);
    let deadline = Instant::now() + TEST_TIMEOUT;
    while TcpStream::connect(addr).await.is_ok() {
        assert!(Instant::now() < deadline, "still accepting after drop");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn persistent_session_keeps_queued_qos1_messages() {
    let broker = start().await;
    timeout(TEST_TIMEOUT, async {
        let mut sub = client(&broker).await;
        sub.send(&raw_mqtt::connect("CAE-persistent", false, 60))
            .await
            .unwrap();
        assert_eq!(sub.read_packet().await.unwrap().body, [0, 0]);
        sub.subscribe(1, "/oneM2M/req/+/CAE-persistent/#", 1)
            .await
            .unwrap();
        sub.disconnect().await.unwrap();

        let mut publ = client(&broker).await;
        publ.connect("CAE-sender").await.unwrap();
        for (id, payload) in [(1, b"first"), (2, b"secnd")] {
            publ.publish_qos1(id, "/oneM2M/req/CAE-sender/CAE-persistent/json", payload)
                .await
                .unwrap();
        }

        let mut sub = client(&broker).await;
        sub.send(&raw_mqtt::connect("CAE-persistent", false, 60))
            .await
            .unwrap();
        assert_eq!(
            sub.read_packet().await.unwrap().body,
            [1, 0],
            "session present"
        );
        assert_eq!(sub.expect_publish().await.unwrap().payload, b"first");
        assert_eq!(sub.expect_publish().await.unwrap().payload, b"secnd");
    })
    .await
    .unwrap();
    broker.shutdown().await.unwrap();
}

/// With Nagle's algorithm on the broker's sockets a request/response exchange
/// takes about 44 ms (measured with stock Mosquitto); TCP_NODELAY makes it a
/// fraction of a millisecond.
#[tokio::test]
async fn request_response_exchange_is_not_delayed_by_nagle() {
    let broker = start().await;
    let median = timeout(
        TEST_TIMEOUT,
        raw_mqtt::request_response_median(
            client(&broker).await.into_stream(),
            client(&broker).await.into_stream(),
            20,
        ),
    )
    .await
    .unwrap()
    .unwrap();
    eprintln!("embedded broker, median request/response: {median:?}");
    assert!(
        median < Duration::from_millis(20),
        "median request/response {median:?}: Nagle?"
    );
    broker.shutdown().await.unwrap();
}
