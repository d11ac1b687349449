//! The driver against the embedded broker: QoS 1 round trips over TCP and
//! WebSocket, and backpressure behind a blackholed link.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod driver_common;

use std::sync::Arc;
use std::time::Duration;

use driver_common::*;
use onem2m_binding::driver::{Error, MqttClient};
use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_mqtt_proto::QoS;
use onem2m_test_support::FaultProxy;
use onem2m_transport::{Tcp, TlsOptions, Transport, transport_for_url};
use tokio::time::timeout;

/// Subscriber and publisher on `transport`: a QoS 1 message published with
/// `publish().await` (PUBACK) reaches the subscriber.
pub async fn round_trip(transport: Arc<dyn Transport>, tag: &str) {
    let (sub, mut incoming) = MqttClient::start(config(
        Arc::clone(&transport),
        options(&format!("sub-{tag}")),
    ))
    .unwrap();
    let granted = timeout(STEP, sub.subscribe(vec![filter(&format!("/rt/{tag}/#"))]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(granted, vec![QoS::AtLeastOnce]);
    let (publisher, _) =
        MqttClient::start(config(transport, options(&format!("pub-{tag}")))).unwrap();
    timeout(
        STEP,
        publisher.publish(
            topic(&format!("/rt/{tag}/x")),
            payload("hello"),
            QoS::AtLeastOnce,
        ),
    )
    .await
    .unwrap()
    .unwrap();
    let m = next_message(&mut incoming).await;
    assert_eq!(m.topic.as_str(), format!("/rt/{tag}/x"));
    assert_eq!(&m.payload[..], b"hello");
    assert_eq!(m.qos, QoS::AtLeastOnce);
    publisher.shutdown().await;
    sub.shutdown().await;
}

#[tokio::test]
async fn qos1_round_trip_over_tcp() {
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new())
        .await
        .unwrap();
    let transport = transport_for_url(&broker.url(), &TlsOptions::new()).unwrap();
    round_trip(Arc::from(transport), "tcp").await;
}

#[tokio::test]
async fn qos1_round_trip_over_websocket() {
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(true))
        .await
        .unwrap();
    let transport = transport_for_url(&broker.ws_url().unwrap(), &TlsOptions::new()).unwrap();
    round_trip(Arc::from(transport), "ws").await;
}

#[tokio::test]
async fn blackholed_link_with_a_window_of_two_makes_the_third_publish_wait() {
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new())
        .await
        .unwrap();
    let proxy = FaultProxy::start(broker.tcp_addr()).await.unwrap();
    let mut opts = options("bp");
    opts.max_inflight = 2;
    let transport = Arc::new(Tcp::new("127.0.0.1", proxy.port()));
    let (client, _incoming) = MqttClient::start(config(transport, opts)).unwrap();
    client.connected().await.unwrap();

    proxy.set_blackhole(true);
    let first = client
        .try_publish(topic("/bp"), payload("1"), QoS::AtLeastOnce)
        .unwrap();
    let second = client
        .try_publish(topic("/bp"), payload("2"), QoS::AtLeastOnce)
        .unwrap();
    let third = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .publish(topic("/bp"), payload("3"), QoS::AtLeastOnce)
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !third.is_finished(),
        "third publish completed with a full window"
    );
    assert!(matches!(
        client.try_publish(topic("/bp"), payload("4"), QoS::AtLeastOnce),
        Err(Error::Full)
    ));

    // A new connection resends the two with DUP; their acks let the third in.
    proxy.set_blackhole(false);
    proxy.cut_all();
    timeout(STEP, first).await.unwrap().unwrap();
    timeout(STEP, second).await.unwrap().unwrap();
    timeout(STEP, third).await.unwrap().unwrap().unwrap();
    client.shutdown().await;
}
