//! The Mosquitto harness itself: start, listeners, persistence across restart.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use onem2m_test_support::raw_mqtt::{self, RawMqttClient};
use onem2m_test_support::require_mosquitto;
use tokio::net::TcpStream;
use tokio::time::timeout;

const TEST_TIMEOUT: Duration = Duration::from_secs(30);

async fn tcp(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream.set_nodelay(true).unwrap();
    stream
}

#[tokio::test]
async fn plain_listener_round_trips_a_qos1_message() {
    let broker = require_mosquitto!();
    let port = broker.ports().mqtt;
    timeout(
        TEST_TIMEOUT,
        raw_mqtt::pub_sub_round_trip(tcp(port).await, tcp(port).await),
    )
    .await
    .unwrap()
    .unwrap_or_else(|e| panic!("{e}\n{}", broker.log()));
}

#[tokio::test]
async fn request_response_is_not_delayed_by_nagle() {
    let broker = require_mosquitto!();
    let port = broker.ports().mqtt;
    let median = timeout(
        TEST_TIMEOUT,
        raw_mqtt::request_response_median(tcp(port).await, tcp(port).await, 20),
    )
    .await
    .unwrap()
    .unwrap();
    eprintln!("mosquitto, median request/response: {median:?}");
    assert!(
        median < Duration::from_millis(20),
        "median request/response {median:?}: set_tcp_nodelay missing?"
    );
}

#[tokio::test]
async fn config_sets_nodelay_persistence_and_every_listener() {
    let broker = require_mosquitto!();
    let conf = std::fs::read_to_string(broker.data_dir().parent().unwrap().join("mosquitto.conf"))
        .unwrap();
    for line in [
        "set_tcp_nodelay true",
        "persistence true",
        "allow_anonymous true",
        "require_certificate true",
    ] {
        assert!(conf.contains(line), "missing {line:?} in\n{conf}");
    }
    assert_eq!(conf.matches("protocol websockets").count(), 2);
    assert_eq!(conf.matches("\nlistener ").count(), 5);
}

#[tokio::test]
async fn queued_message_survives_a_sigterm_restart() {
    timeout(TEST_TIMEOUT, async {
        let mut broker = require_mosquitto!();
        let port = broker.ports().mqtt;
        // A persistent subscriber goes offline; a message is queued for it.
        let mut sub = RawMqttClient::new(tcp(port).await);
        sub.send(&raw_mqtt::connect("harness-persistent", false, 60))
            .await
            .unwrap();
        assert_eq!(sub.read_packet().await.unwrap().body, [0, 0]);
        sub.subscribe(1, "harness/queued", 1).await.unwrap();
        sub.disconnect().await.unwrap();
        let mut publ = RawMqttClient::new(tcp(port).await);
        publ.connect("harness-publisher").await.unwrap();
        publ.publish_qos1(3, "harness/queued", b"kept")
            .await
            .unwrap();
        publ.disconnect().await.unwrap();

        broker.restart().unwrap();
        assert_eq!(broker.ports().mqtt, port);

        let mut sub = RawMqttClient::new(tcp(port).await);
        sub.send(&raw_mqtt::connect("harness-persistent", false, 60))
            .await
            .unwrap();
        let connack = sub.read_packet().await.unwrap();
        assert_eq!(
            connack.body,
            [1, 0],
            "session present after restart\n{}",
            broker.log()
        );
        let got = sub.expect_publish().await.unwrap();
        assert_eq!(
            (got.topic.as_str(), got.payload.as_slice()),
            ("harness/queued", &b"kept"[..])
        );
        broker.stop().unwrap();
        assert!(!broker.is_running());
    })
    .await
    .unwrap();
}
