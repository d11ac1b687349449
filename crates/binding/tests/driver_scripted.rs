//! The driver against a scripted broker over the in-memory transport: exact
//! packet sequences for acks, shutdown, resubscription, backoff, keep-alive
//! and backpressure.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod driver_common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use driver_common::*;
use onem2m_binding::driver::{ClientEvent, Error, MqttClient};
use onem2m_mqtt_proto::{
    AckMode, ConnAck, ConnectRefusal, ConnectReturnCode, Packet, PacketId, Publish, QoS, SubAck,
    SubscribeReturnCode,
};
use onem2m_transport::Duplex;
use tokio::time::timeout;

fn pkid(n: u16) -> PacketId {
    PacketId::new(n).unwrap()
}

fn incoming_publish(id: u16, body: &str) -> Packet {
    Packet::Publish(Publish {
        dup: false,
        qos: QoS::AtLeastOnce,
        retain: false,
        topic: topic("/in"),
        pkid: Some(pkid(id)),
        payload: payload(body),
    })
}

#[tokio::test]
async fn publish_resolves_only_when_the_puback_arrives() {
    let (transport, mut listener) = Duplex::new();
    let (client, _incoming) =
        MqttClient::start(config(Arc::new(transport), options("c1"))).unwrap();
    let mut broker = Peer::new(listener.accept().await.unwrap());
    broker.accept(false).await;

    let publishing = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .publish(topic("/t"), payload("x"), QoS::AtLeastOnce)
                .await
        }
    });
    let Packet::Publish(p) = broker.recv().await else {
        panic!()
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!publishing.is_finished(), "resolved before PUBACK");
    broker.send(Packet::PubAck(p.pkid.unwrap())).await;
    timeout(STEP, publishing).await.unwrap().unwrap().unwrap();
}

#[tokio::test]
async fn shutdown_waits_for_the_ack_then_disconnects_and_closes_the_socket() {
    let (transport, mut listener) = Duplex::new();
    let (client, mut incoming) =
        MqttClient::start(config(Arc::new(transport), options("c2"))).unwrap();
    let mut broker = Peer::new(listener.accept().await.unwrap());
    broker.accept(true).await;

    // An incoming QoS 1 message whose PUBACK is owed, and an outgoing one.
    broker.send(incoming_publish(9, "in")).await;
    next_message(&mut incoming).await;
    assert_eq!(broker.recv().await, Packet::PubAck(pkid(9)));
    let publishing = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .publish(topic("/t"), payload("x"), QoS::AtLeastOnce)
                .await
        }
    });
    let Packet::Publish(p) = broker.recv().await else {
        panic!()
    };
    let stopping = tokio::spawn({
        let client = client.clone();
        async move { client.shutdown().await }
    });
    // Publishing is refused from now on.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(matches!(
        client
            .publish(topic("/t"), payload("late"), QoS::AtLeastOnce)
            .await,
        Err(Error::Closed)
    ));
    broker.expect_silence(Duration::from_millis(100)).await;
    broker.send(Packet::PubAck(p.pkid.unwrap())).await;
    assert_eq!(broker.recv().await, Packet::Disconnect);
    // The client closes the stream without waiting for the broker to.
    broker.expect_eof().await;
    timeout(STEP, stopping).await.unwrap().unwrap();
    timeout(STEP, publishing).await.unwrap().unwrap().unwrap();
    assert!(client.status().closed);
    // And no reconnect follows.
    let later = timeout(Duration::from_millis(200), listener.accept()).await;
    assert!(!matches!(later, Ok(Some(_))), "reconnected after shutdown");
}

#[tokio::test]
async fn manual_ack_sends_puback_only_when_the_application_acks() {
    let (transport, mut listener) = Duplex::new();
    let mut opts = options("c3");
    opts.ack_mode = AckMode::Manual;
    let (_client, mut incoming) = MqttClient::start(config(Arc::new(transport), opts)).unwrap();
    let mut broker = Peer::new(listener.accept().await.unwrap());
    broker.accept(false).await;

    broker.send(incoming_publish(7, "work")).await;
    let delivery = next_message(&mut incoming).await;
    assert!(delivery.needs_ack());
    assert_eq!(&delivery.payload[..], b"work");
    broker.expect_silence(Duration::from_millis(200)).await;
    delivery.ack();
    assert_eq!(broker.recv().await, Packet::PubAck(pkid(7)));
}

#[tokio::test]
async fn subscriptions_are_restored_only_when_the_broker_has_no_session() {
    let (transport, mut listener) = Duplex::new();
    let cfg = config(Arc::new(transport), options("c4")).subscription(filter("/cfg/#"));
    let (client, mut incoming) = MqttClient::start(cfg).unwrap();

    // First connection: the configured filter is subscribed.
    let mut broker = Peer::new(listener.accept().await.unwrap());
    broker.accept(false).await;
    let Packet::Subscribe(s) = broker.recv().await else {
        panic!()
    };
    assert_eq!(s.filters, vec![filter("/cfg/#")]);
    broker
        .send(Packet::SubAck(SubAck {
            pkid: s.pkid,
            return_codes: vec![SubscribeReturnCode::Success(QoS::AtLeastOnce)],
        }))
        .await;
    // A filter subscribed by the application joins the set.
    let subscribing = tokio::spawn({
        let client = client.clone();
        async move { client.subscribe(vec![filter("/app/+")]).await }
    });
    let Packet::Subscribe(s) = broker.recv().await else {
        panic!()
    };
    broker
        .send(Packet::SubAck(SubAck {
            pkid: s.pkid,
            return_codes: vec![SubscribeReturnCode::Success(QoS::AtLeastOnce)],
        }))
        .await;
    assert_eq!(subscribing.await.unwrap().unwrap(), vec![QoS::AtLeastOnce]);

    // Session kept: nothing to redo.
    drop(broker);
    let mut broker = Peer::new(listener.accept().await.unwrap());
    broker.accept(true).await;
    wait_event(&mut incoming, |e| {
        matches!(
            e,
            ClientEvent::Connected {
                session_present: true
            }
        )
    })
    .await;
    broker.expect_silence(Duration::from_millis(200)).await;

    // Session lost: both filters are subscribed again.
    drop(broker);
    let mut broker = Peer::new(listener.accept().await.unwrap());
    broker.accept(false).await;
    let Packet::Subscribe(s) = broker.recv().await else {
        panic!()
    };
    assert_eq!(s.filters, vec![filter("/cfg/#"), filter("/app/+")]);
}

#[tokio::test]
async fn subscribe_names_the_filters_the_broker_refused() {
    let (transport, mut listener) = Duplex::new();
    let (client, _incoming) =
        MqttClient::start(config(Arc::new(transport), options("c5"))).unwrap();
    let mut broker = Peer::new(listener.accept().await.unwrap());
    broker.accept(false).await;
    let subscribing = tokio::spawn(async move {
        client
            .subscribe(vec![filter("/ok"), filter("/forbidden")])
            .await
    });
    let Packet::Subscribe(s) = broker.recv().await else {
        panic!()
    };
    broker
        .send(Packet::SubAck(SubAck {
            pkid: s.pkid,
            return_codes: vec![
                SubscribeReturnCode::Success(QoS::AtLeastOnce),
                SubscribeReturnCode::Failure,
            ],
        }))
        .await;
    match subscribing.await.unwrap() {
        Err(Error::SubscriptionRefused { filters }) => assert_eq!(filters, vec!["/forbidden"]),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_lost_session_republishes_and_the_publish_still_resolves() {
    let (transport, mut listener) = Duplex::new();
    let (client, mut incoming) =
        MqttClient::start(config(Arc::new(transport), options("c6"))).unwrap();
    let mut broker = Peer::new(listener.accept().await.unwrap());
    broker.accept(false).await;
    let publishing = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .publish(topic("/t"), payload("keep"), QoS::AtLeastOnce)
                .await
        }
    });
    let Packet::Publish(first) = broker.recv().await else {
        panic!()
    };
    drop(broker);

    let mut broker = Peer::new(listener.accept().await.unwrap());
    broker.accept(false).await;
    let Packet::Publish(again) = broker.recv().await else {
        panic!()
    };
    assert_eq!(again.payload, first.payload);
    assert!(
        !again.dup,
        "a message republished into a new session is not a duplicate"
    );
    broker.send(Packet::PubAck(again.pkid.unwrap())).await;
    timeout(STEP, publishing).await.unwrap().unwrap().unwrap();
    wait_event(&mut incoming, |e| {
        matches!(e, ClientEvent::SessionLost { republished: 1 })
    })
    .await;
}

#[tokio::test]
async fn refused_credentials_back_off_instead_of_hot_looping() {
    let (transport, mut listener) = Duplex::new();
    let cfg = onem2m_binding::driver::ClientConfig::new(Arc::new(transport), options("c7"));
    let (_client, mut incoming) = MqttClient::start(cfg).unwrap();
    let started = Instant::now();
    let refuser = tokio::spawn(async move {
        let mut attempts = 0;
        while started.elapsed() < Duration::from_millis(1500) {
            let Ok(Some(stream)) = timeout(Duration::from_millis(100), listener.accept()).await
            else {
                continue;
            };
            attempts += 1;
            let mut broker = Peer::new(stream);
            broker.recv().await;
            broker
                .send(Packet::ConnAck(ConnAck {
                    session_present: false,
                    code: ConnectReturnCode::Refused(ConnectRefusal::NotAuthorized),
                }))
                .await;
        }
        attempts
    });
    let event = wait_event(&mut incoming, |e| {
        matches!(e, ClientEvent::Disconnected { .. })
    })
    .await;
    let ClientEvent::Disconnected { error, retry_in } = event else {
        unreachable!()
    };
    assert!(error.is_permanent(), "{error}");
    assert!(error.to_string().contains("not authorized"), "{error}");
    assert!(retry_in.is_some());
    let attempts = refuser.await.unwrap();
    // Delays of at least 50, 100, 200, 400, 800 ms: at most 5 tries in 1.5 s.
    assert!((2..=5).contains(&attempts), "{attempts} attempts in 1.5 s");
}

#[tokio::test]
async fn a_half_open_link_is_detected_by_keep_alive_and_replaced() {
    let (transport, mut listener) = Duplex::new();
    let mut opts = options("c8");
    opts.keep_alive = Duration::from_secs(1);
    let (client, _incoming) = MqttClient::start(config(Arc::new(transport), opts)).unwrap();
    let mut broker = Peer::new(listener.accept().await.unwrap());
    broker.accept(true).await;
    let started = Instant::now();
    // The broker goes silent: PINGREQ is never answered.
    assert_eq!(broker.recv().await, Packet::PingReq);
    let mut second = Peer::new(
        timeout(Duration::from_secs(5), listener.accept())
            .await
            .expect("no reconnect after a dead keep-alive")
            .unwrap(),
    );
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(1500), "{waited:?}");
    second.accept(true).await;
    client.connected().await.unwrap();
    assert_eq!(client.status().connections, 2);
}

#[tokio::test]
async fn a_full_window_makes_publish_wait_and_try_publish_fail() {
    let (transport, mut listener) = Duplex::new();
    let mut opts = options("c9");
    opts.max_inflight = 2;
    let (client, _incoming) = MqttClient::start(config(Arc::new(transport), opts)).unwrap();
    let mut broker = Peer::new(listener.accept().await.unwrap());
    broker.accept(false).await;

    let first = client
        .try_publish(topic("/t"), payload("1"), QoS::AtLeastOnce)
        .unwrap();
    let _second = client
        .try_publish(topic("/t"), payload("2"), QoS::AtLeastOnce)
        .unwrap();
    assert!(matches!(
        client.try_publish(topic("/t"), payload("3"), QoS::AtLeastOnce),
        Err(Error::Full)
    ));
    let third = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .publish(topic("/t"), payload("3"), QoS::AtLeastOnce)
                .await
        }
    });
    let Packet::Publish(p1) = broker.recv().await else {
        panic!()
    };
    let Packet::Publish(_) = broker.recv().await else {
        panic!()
    };
    broker.expect_silence(Duration::from_millis(200)).await;
    assert!(!third.is_finished());

    broker.send(Packet::PubAck(p1.pkid.unwrap())).await;
    timeout(STEP, first).await.unwrap().unwrap();
    let Packet::Publish(p3) = broker.recv().await else {
        panic!()
    };
    assert_eq!(&p3.payload[..], b"3");
    broker.send(Packet::PubAck(p3.pkid.unwrap())).await;
    timeout(STEP, third).await.unwrap().unwrap().unwrap();
}

#[tokio::test]
async fn reading_goes_on_while_a_write_is_stuck() {
    // 1 KiB per direction: a 64 KiB publish cannot be written while the
    // broker does not read.
    let (transport, mut listener) = Duplex::with_buffer(1024);
    let (client, mut incoming) =
        MqttClient::start(config(Arc::new(transport), options("c10"))).unwrap();
    let mut broker = Peer::new(listener.accept().await.unwrap());
    broker.accept(false).await;
    client.connected().await.unwrap();
    let big = client
        .try_publish(
            topic("/big"),
            bytes::Bytes::from(vec![7u8; 64 * 1024]),
            QoS::AtLeastOnce,
        )
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The broker writes without reading; the client still takes messages in.
    for i in 1..=5 {
        broker.send(incoming_publish(i, &format!("m{i}"))).await;
        let m = next_message(&mut incoming).await;
        assert_eq!(m.payload, payload(&format!("m{i}")));
    }
    // Now drain: the PUBACKs for our five and the big PUBLISH come through.
    let mut seen_big = None;
    let mut acks = 0;
    while seen_big.is_none() || acks < 5 {
        match broker.recv().await {
            Packet::PubAck(_) => acks += 1,
            Packet::Publish(p) => seen_big = Some(p),
            other => panic!("{other:?}"),
        }
    }
    let p = seen_big.unwrap();
    assert_eq!(p.payload.len(), 64 * 1024);
    broker.send(Packet::PubAck(p.pkid.unwrap())).await;
    timeout(STEP, big).await.unwrap().unwrap();
}
