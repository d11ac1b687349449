//! Malformed and hostile MQTT packets from the broker's side of a real TCP socket, at
//! the binding's MQTT driver: each is refused with its own typed error, the connection
//! is dropped (MQTT-4.8.0-1: a protocol violation closes the connection), and the next
//! connection delivers a good message again. One scripted broker serves every case.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod driver_common;

use std::sync::Arc;

use driver_common::{STEP, config, next_message, options, wait_event};
use onem2m_binding::driver::{ClientEvent, Error, MqttClient};
use onem2m_mqtt_proto::{Error as Mqtt, OwnCodec};
use onem2m_test_support::raw_mqtt::{CONNACK_ACCEPTED, RawMqttClient, packet, puback, publish};
use onem2m_transport::Tcp;
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;

/// The driver's packet limit in these tests.
const LIMIT: usize = 64 * 1024;

struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    /// Whether the error the driver reports is the right one.
    refused_with: fn(&Error) -> bool,
}

fn case(name: &'static str, bytes: Vec<u8>, refused_with: fn(&Error) -> bool) -> Case {
    Case {
        name,
        bytes,
        refused_with,
    }
}

/// A PUBLISH body: the topic as raw bytes (length-prefixed), the packet id, the payload.
fn publish_body(topic: &[u8], packet_id: Option<u16>, payload: &[u8]) -> Vec<u8> {
    let mut body = u16::try_from(topic.len()).unwrap().to_be_bytes().to_vec();
    body.extend_from_slice(topic);
    if let Some(id) = packet_id {
        body.extend_from_slice(&id.to_be_bytes());
    }
    body.extend_from_slice(payload);
    body
}

/// A QoS 0 PUBLISH of `x` on a topic given as raw bytes.
fn qos0_publish(topic: &[u8]) -> Vec<u8> {
    packet(0x30, &publish_body(topic, None, b"x"))
}

fn mqtt(error: &Error) -> Option<&Mqtt> {
    match error {
        Error::Mqtt(e) => Some(e),
        _ => None,
    }
}

fn cases() -> Vec<Case> {
    vec![
        case(
            "a remaining length over four bytes",
            vec![0x30, 0xff, 0xff, 0xff, 0xff, 0x01],
            |e| matches!(mqtt(e), Some(Mqtt::MalformedRemainingLength)),
        ),
        case(
            "an oversize QoS 2 PUBLISH (its PUBREC needs the session)",
            packet(0x34, &publish_body(b"/big", Some(3), &vec![b'x'; LIMIT])),
            |e| matches!(mqtt(e), Some(Mqtt::PacketTooLarge { limit: LIMIT, .. })),
        ),
        case(
            "an oversize packet that is not a PUBLISH",
            packet(0x90, &vec![0; LIMIT]),
            |e| matches!(mqtt(e), Some(Mqtt::PacketTooLarge { limit: LIMIT, .. })),
        ),
        case("reserved packet type 0", vec![0x00, 0x00], |e| {
            matches!(mqtt(e), Some(Mqtt::ReservedPacketType(0)))
        }),
        case("reserved packet type 15", vec![0xf0, 0x00], |e| {
            matches!(mqtt(e), Some(Mqtt::ReservedPacketType(15)))
        }),
        case(
            "a PUBLISH with QoS 3",
            packet(0x36, &publish_body(b"/q", Some(1), b"x")),
            |e| matches!(mqtt(e), Some(Mqtt::InvalidQoS(3))),
        ),
        case(
            "a topic that is not UTF-8",
            qos0_publish(b"/oneM2M/req/\xff\xfe/id-in/json"),
            |e| matches!(mqtt(e), Some(Mqtt::InvalidUtf8 { .. })),
        ),
        case(
            "a topic with a UTF-16 surrogate encoded as UTF-8",
            qos0_publish(b"/oneM2M/\xed\xa0\x80"),
            |e| matches!(mqtt(e), Some(Mqtt::InvalidUtf8 { .. })),
        ),
        case(
            "a topic with U+0000",
            qos0_publish(b"/oneM2M/req/a\0b/id-in/json"),
            |e| matches!(mqtt(e), Some(Mqtt::NullCharacter { .. })),
        ),
        case(
            "a topic with a wildcard",
            qos0_publish(b"/oneM2M/req/+/id-in/json"),
            |e| matches!(mqtt(e), Some(Mqtt::InvalidTopicName { .. })),
        ),
        case("an empty topic", qos0_publish(b""), |e| {
            matches!(mqtt(e), Some(Mqtt::InvalidTopicName { .. }))
        }),
        case(
            "a QoS 1 PUBLISH with packet id 0",
            packet(0x32, &publish_body(b"/t", Some(0), b"x")),
            |e| matches!(mqtt(e), Some(Mqtt::ZeroPacketId { .. })),
        ),
        case(
            "a topic length beyond the packet",
            packet(0x30, &[0x00, 0x40, b'/', b't']),
            |e| matches!(mqtt(e), Some(Mqtt::Truncated { .. })),
        ),
        case(
            "a PUBACK with reserved flags set",
            vec![0x41, 0x02, 0x00, 0x01],
            |e| matches!(mqtt(e), Some(Mqtt::InvalidHeaderFlags { .. })),
        ),
        case(
            "a PUBACK three bytes long",
            vec![0x40, 0x03, 0x00, 0x01, 0x00],
            |e| matches!(mqtt(e), Some(Mqtt::InvalidRemainingLength { .. })),
        ),
        case("a PINGRESP with a body", vec![0xd0, 0x01, 0x00], |e| {
            matches!(mqtt(e), Some(Mqtt::InvalidRemainingLength { .. }))
        }),
        case(
            "a PUBREL without its mandatory flags",
            vec![0x60, 0x02, 0x00, 0x01],
            |e| matches!(mqtt(e), Some(Mqtt::InvalidHeaderFlags { .. })),
        ),
        case(
            "a CONNECT sent to the client",
            onem2m_test_support::raw_mqtt::connect("broker?", true, 60),
            |e| matches!(mqtt(e), Some(Mqtt::ProtocolViolation { .. })),
        ),
        case("a second CONNACK", CONNACK_ACCEPTED.to_vec(), |e| {
            matches!(mqtt(e), Some(Mqtt::ProtocolViolation { .. }))
        }),
        case(
            "half a PUBLISH, then the socket closes",
            packet(0x30, &publish_body(b"/t", None, b"0123456789"))[..6].to_vec(),
            |e| matches!(e, Error::ConnectionClosed),
        ),
    ]
}

/// Accepts the driver's next connection and answers its CONNECT.
async fn accept(listener: &TcpListener) -> RawMqttClient<TcpStream> {
    let (stream, _) = timeout(STEP, listener.accept()).await.unwrap().unwrap();
    stream.set_nodelay(true).unwrap();
    let mut broker = RawMqttClient::new(stream);
    let connect = broker.read_packet().await.unwrap();
    assert_eq!(connect.first_byte, 0x10);
    broker.send(&CONNACK_ACCEPTED).await.unwrap();
    broker
}

/// The next packet from the driver other than PINGREQ.
async fn next_from_driver(broker: &mut RawMqttClient<TcpStream>) -> Vec<u8> {
    loop {
        let p = broker.read_packet().await.unwrap().to_bytes();
        if p != [0xc0, 0x00] {
            return p;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_malformed_packet_is_refused_with_its_own_error_and_the_next_connection_works() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let cfg = config(
        Arc::new(Tcp::new("127.0.0.1", port)),
        options("wire-victim"),
    )
    .codec(OwnCodec::new().with_max_packet_size(LIMIT));
    let (client, mut incoming) = MqttClient::start(cfg).unwrap();

    let cases = cases();
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let mut broker = accept(&listener).await;
        // A good message first: the connection works.
        let good = format!("good-{i}");
        broker
            .send(&publish("/wire/good", good.as_bytes(), 1, 7))
            .await
            .unwrap();
        let delivery = next_message(&mut incoming).await;
        assert_eq!(&delivery.payload[..], good.as_bytes(), "{}", case.name);
        assert_eq!(
            next_from_driver(&mut broker).await,
            puback(7),
            "{}",
            case.name
        );

        broker.send(&case.bytes).await.unwrap();
        if case.name.contains("socket closes") {
            drop(broker.into_stream());
        } else {
            // The driver closes the connection: nothing but the end of the stream.
            let end = timeout(STEP, broker.read_packet()).await.unwrap();
            assert!(
                end.is_err(),
                "{}: got {end:?} instead of the end",
                case.name
            );
        }
        let event = wait_event(&mut incoming, |e| {
            matches!(e, ClientEvent::Disconnected { .. })
        })
        .await;
        let ClientEvent::Disconnected { error, retry_in } = event else {
            unreachable!()
        };
        assert!(retry_in.is_some(), "{}: the driver gave up", case.name);
        if !(case.refused_with)(&error) {
            failures.push(format!("{}: refused with {error:?}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(cases.len() >= 20, "{} cases", cases.len());

    // After all of them, the same client still works.
    let mut broker = accept(&listener).await;
    broker
        .send(&publish("/wire/good", b"last", 1, 9))
        .await
        .unwrap();
    assert_eq!(&next_message(&mut incoming).await.payload[..], b"last");
    assert_eq!(next_from_driver(&mut broker).await, puback(9));
    client.shutdown().await;
}

/// The driver over a fresh scripted broker: the client, its events, the broker's side.
async fn connected() -> (
    TcpListener,
    MqttClient,
    onem2m_binding::driver::Incoming,
    RawMqttClient<TcpStream>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let cfg = config(
        Arc::new(Tcp::new("127.0.0.1", port)),
        options("oversize-victim"),
    )
    .codec(OwnCodec::new().with_max_packet_size(LIMIT));
    let (client, incoming) = MqttClient::start(cfg).unwrap();
    let broker = accept(&listener).await;
    (listener, client, incoming, broker)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversize_publish_is_acknowledged_and_skipped_and_the_connection_kept() {
    let (listener, client, mut incoming, mut broker) = connected().await;
    // QoS 1 and QoS 0, each a little over the limit, written in pieces; then a good one.
    let big_qos1 = packet(0x32, &publish_body(b"/big/1", Some(5), &vec![b'x'; LIMIT]));
    let big_qos0 = packet(0x30, &publish_body(b"/big/0", None, &vec![b'y'; 2 * LIMIT]));
    for chunk in big_qos1.chunks(10_000).chain(big_qos0.chunks(7_000)) {
        broker.send(chunk).await.unwrap();
    }
    broker
        .send(&publish("/small", b"fits", 1, 6))
        .await
        .unwrap();
    assert_eq!(next_from_driver(&mut broker).await, puback(5));
    assert_eq!(&next_message(&mut incoming).await.payload[..], b"fits");
    assert_eq!(next_from_driver(&mut broker).await, puback(6));
    // On the same connection: no other was made, and none was lost.
    let again = timeout(std::time::Duration::from_millis(200), listener.accept()).await;
    assert!(again.is_err(), "the driver reconnected");
    assert!(client.status().connected);
    assert_eq!(client.status().connections, 1);
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_announced_200_mb_publish_is_acknowledged_before_its_body_arrives() {
    let (_listener, client, _incoming, mut broker) = connected().await;
    // The fixed header announcing 200,000,000 bytes, the topic and the packet id: the
    // rest is never sent, so the PUBACK proves that nothing waited for the body (or
    // made room for it).
    let mut head = vec![0x32, 0x80, 0x84, 0xaf, 0x5f];
    head.extend_from_slice(&publish_body(b"/huge", Some(8), b"xxxx"));
    broker.send(&head).await.unwrap();
    assert_eq!(next_from_driver(&mut broker).await, puback(8));
    assert!(client.status().connected);
    client.shutdown().await;
}
