//! The driver against a real Mosquitto: QoS 1 round trips over the four
//! transports, every message delivered through connection cuts, a restart
//! that resumes from the file store, and deregistration with a clean session.
//! Skipped loudly without Mosquitto (failed in CI, ONEM2M_REQUIRE_MOSQUITTO=1).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod driver_common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use driver_common::*;
use onem2m_binding::driver::{ClientEvent, Error, MqttClient};
use onem2m_mqtt_proto::{FileStore, QoS, SessionStore};
use onem2m_test_support::{FaultProxy, Mosquitto, require_mosquitto};
use onem2m_transport::{Tcp, TlsOptions, Transport, transport_for_url};
use tokio::task::JoinSet;
use tokio::time::timeout;

fn transport(url: &str, tls: &TlsOptions) -> Arc<dyn Transport> {
    Arc::from(transport_for_url(url, tls).unwrap())
}

fn trusting(broker: &Mosquitto) -> TlsOptions {
    TlsOptions::new().ca_file(&broker.pki().ca_cert)
}

async fn round_trip(broker: &Mosquitto, transport: Arc<dyn Transport>, tag: &str) {
    let (sub, mut incoming) = MqttClient::start(config(
        Arc::clone(&transport),
        options(&format!("sub-{tag}")),
    ))
    .unwrap();
    let result = timeout(STEP, sub.subscribe(vec![filter(&format!("/rt/{tag}/#"))])).await;
    assert!(
        matches!(result, Ok(Ok(_))),
        "subscribe over {tag}: {result:?}\n{}",
        broker.log()
    );
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
    publisher.shutdown().await;
    sub.shutdown().await;
}

#[tokio::test]
async fn qos1_round_trip_over_tcp() {
    let broker = require_mosquitto!();
    round_trip(
        &broker,
        transport(&broker.mqtt_url(), &TlsOptions::new()),
        "tcp",
    )
    .await;
}

#[tokio::test]
async fn qos1_round_trip_over_tls() {
    let broker = require_mosquitto!();
    round_trip(
        &broker,
        transport(&broker.mqtts_url(), &trusting(&broker)),
        "tls",
    )
    .await;
}

#[tokio::test]
async fn qos1_round_trip_over_mutual_tls() {
    let broker = require_mosquitto!();
    let pki = broker.pki();
    let tls = trusting(&broker).client_auth(&pki.client_cert, &pki.client_key);
    round_trip(&broker, transport(&broker.mqtts_mutual_url(), &tls), "mtls").await;
}

#[tokio::test]
async fn qos1_round_trip_over_websocket() {
    let broker = require_mosquitto!();
    round_trip(
        &broker,
        transport(&broker.ws_url(), &TlsOptions::new()),
        "ws",
    )
    .await;
}

#[tokio::test]
async fn qos1_round_trip_over_secure_websocket() {
    let broker = require_mosquitto!();
    round_trip(
        &broker,
        transport(&broker.wss_url(), &trusting(&broker)),
        "wss",
    )
    .await;
}

#[tokio::test]
async fn an_untrusted_certificate_is_reported_as_permanent_and_retried_slowly() {
    let broker = require_mosquitto!();
    // Default roots do not know the test CA.
    let (client, mut incoming) = MqttClient::start(config(
        transport(&broker.mqtts_url(), &TlsOptions::new()),
        options("tls-bad"),
    ))
    .unwrap();
    let event = wait_event(&mut incoming, |e| {
        matches!(e, ClientEvent::Disconnected { .. })
    })
    .await;
    let ClientEvent::Disconnected { error, retry_in } = event else {
        unreachable!()
    };
    assert!(error.is_permanent(), "{error}");
    assert!(matches!(error, Error::Transport(_)), "{error}");
    assert!(retry_in.unwrap() >= Duration::from_millis(10));
    client.shutdown().await;
}

/// Waits until both clients are linked through `proxy` on connections made
/// after the last of `cuts` cuts.
async fn relinked(proxy: &FaultProxy, cuts: usize) {
    timeout(STEP, async {
        while proxy.accepted_connections() < 2 + 2 * cuts || proxy.live_connections() < 2 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    })
    .await
    .expect("clients did not reconnect");
}

#[tokio::test]
async fn every_qos1_message_arrives_although_connections_are_cut_every_50_messages() {
    const COUNT: usize = 500;
    const ROUND: usize = 50;
    let broker = require_mosquitto!();
    let proxy = FaultProxy::start(([127, 0, 0, 1], broker.ports().mqtt).into())
        .await
        .unwrap();
    let via_proxy: Arc<dyn Transport> = Arc::new(Tcp::new("127.0.0.1", proxy.port()));

    // A persistent subscriber: the broker queues what arrives while it is cut off.
    let sub_config = config(Arc::clone(&via_proxy), options("cut-sub")).incoming_capacity(8);
    let (sub, mut incoming) = MqttClient::start(sub_config).unwrap();
    timeout(STEP, sub.subscribe(vec![filter("/cut/#")]))
        .await
        .unwrap()
        .unwrap();
    let collector = tokio::spawn(async move {
        let mut seen = HashSet::new();
        let mut deliveries = 0;
        let _ = timeout(Duration::from_secs(60), async {
            while seen.len() < COUNT {
                let Some(m) = incoming.next_message().await else {
                    break;
                };
                deliveries += 1;
                seen.insert(
                    std::str::from_utf8(&m.payload)
                        .unwrap()
                        .parse::<usize>()
                        .unwrap(),
                );
            }
        })
        .await;
        (seen, deliveries)
    });

    let mut pub_options = options("cut-pub");
    pub_options.max_inflight = 10;
    let (publisher, _) = MqttClient::start(config(via_proxy, pub_options)).unwrap();
    for round in 0..COUNT / ROUND {
        relinked(&proxy, round).await;
        let mut publishes = JoinSet::new();
        for i in round * ROUND..(round + 1) * ROUND {
            let publisher = publisher.clone();
            publishes.spawn(async move {
                publisher
                    .publish(topic("/cut/m"), payload(&i.to_string()), QoS::AtLeastOnce)
                    .await
            });
        }
        // Let part of the round get on the wire, then cut both links.
        tokio::time::sleep(Duration::from_millis(2)).await;
        proxy.cut_all();
        // Every publish resolves on its PUBACK, through the reconnect.
        while let Some(done) = timeout(STEP, publishes.join_next()).await.unwrap() {
            done.unwrap().unwrap();
        }
    }
    let cuts = COUNT / ROUND;
    let (seen, deliveries) = collector.await.unwrap();
    let missing: Vec<usize> = (0..COUNT).filter(|i| !seen.contains(i)).collect();
    assert!(
        missing.is_empty(),
        "{} of {COUNT} received after {cuts} cuts; missing {missing:?}",
        seen.len()
    );
    relinked(&proxy, cuts).await;
    eprintln!(
        "{COUNT} messages, {deliveries} deliveries, {cuts} cuts, {} connections",
        proxy.accepted_connections()
    );
    publisher.shutdown().await;
    sub.shutdown().await;
}

#[tokio::test]
async fn a_restarted_client_resends_from_the_file_store() {
    let broker = require_mosquitto!();
    let direct = transport(&broker.mqtt_url(), &TlsOptions::new());
    let (sub, mut incoming) = MqttClient::start(config(direct, options("restart-sub"))).unwrap();
    timeout(STEP, sub.subscribe(vec![filter("/restart/#")]))
        .await
        .unwrap()
        .unwrap();

    let proxy = FaultProxy::start(([127, 0, 0, 1], broker.ports().mqtt).into())
        .await
        .unwrap();
    let via_proxy: Arc<dyn Transport> = Arc::new(Tcp::new("127.0.0.1", proxy.port()));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.log");

    // First run: connected, then the link goes dead with 10 messages unacked.
    let first = config(Arc::clone(&via_proxy), options("restart-pub"))
        .store(FileStore::open(&path).unwrap())
        .shutdown_timeout(Duration::from_millis(300));
    let (publisher, _) = MqttClient::start(first).unwrap();
    publisher.connected().await.unwrap();
    proxy.set_blackhole(true);
    let receipts: Vec<_> = (0..10)
        .map(|i| {
            publisher
                .try_publish(
                    topic("/restart/m"),
                    payload(&i.to_string()),
                    QoS::AtLeastOnce,
                )
                .unwrap()
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    timeout(STEP, publisher.shutdown()).await.unwrap();
    for r in receipts {
        assert!(matches!(r.await, Err(Error::Closed)));
    }
    drop(publisher);
    assert_eq!(
        FileStore::open(&path)
            .unwrap()
            .load()
            .unwrap()
            .outgoing
            .len(),
        10
    );

    // Second run on the same store: the messages go out and are acknowledged.
    proxy.set_blackhole(false);
    let second = config(via_proxy, options("restart-pub")).store(FileStore::open(&path).unwrap());
    let (publisher, _) = MqttClient::start(second).unwrap();
    let mut seen = HashSet::new();
    timeout(STEP, async {
        while seen.len() < 10 {
            let m = incoming.next_message().await.unwrap();
            seen.insert(String::from_utf8(m.payload.to_vec()).unwrap());
        }
    })
    .await
    .expect("not every stored message was delivered after the restart");
    publisher.shutdown().await;
    assert!(
        FileStore::open(&path)
            .unwrap()
            .load()
            .unwrap()
            .outgoing
            .is_empty()
    );
    sub.shutdown().await;
}

#[tokio::test]
async fn close_session_makes_the_broker_forget_the_session() {
    let broker = require_mosquitto!();
    let t = transport(&broker.mqtt_url(), &TlsOptions::new());
    let (client, _) = MqttClient::start(config(Arc::clone(&t), options("dereg"))).unwrap();
    timeout(STEP, client.subscribe(vec![filter("/dereg")]))
        .await
        .unwrap()
        .unwrap();
    client.shutdown().await;

    // A plain shutdown keeps the session...
    let (client, _) = MqttClient::start(config(Arc::clone(&t), options("dereg"))).unwrap();
    assert!(
        timeout(STEP, client.connected())
            .await
            .unwrap()
            .unwrap()
            .session_present
    );
    // ...deregistration removes it.
    timeout(STEP, client.close_session()).await.unwrap();
    assert!(client.status().closed);
    let (client, _) = MqttClient::start(config(t, options("dereg"))).unwrap();
    assert!(
        !timeout(STEP, client.connected())
            .await
            .unwrap()
            .unwrap()
            .session_present
    );
    client.shutdown().await;
}
