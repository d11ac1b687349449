//! Byte vectors for every MQTT 3.1.1 packet type, written by hand from the
//! OASIS MQTT 3.1.1 specification (section numbers in the comments): each
//! valid vector decodes to the expected packet and encodes back to the same
//! bytes; each invalid one is rejected with the error naming the broken rule.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bytes::{Bytes, BytesMut};
use onem2m_mqtt_proto::*;

fn id(n: u16) -> PacketId {
    PacketId::new(n).unwrap()
}

fn topic(s: &'static str) -> Topic {
    Topic::from_static(s).unwrap()
}

fn filter(s: &'static str) -> TopicFilter {
    TopicFilter::from_static(s).unwrap()
}

fn s(s: &'static str) -> ByteStr {
    ByteStr::from_static(s).unwrap()
}

/// Decodes `wire`, compares with `expected`, then encodes `expected` back.
fn round_trip(wire: &[u8], expected: Packet) {
    let mut buf = BytesMut::from(wire);
    let decoded = OwnCodec::new().decode(&mut buf).unwrap();
    assert_eq!(decoded, Some(expected.clone()), "decoding {wire:02X?}");
    assert!(buf.is_empty(), "decoder left {} bytes", buf.len());
    let mut out = BytesMut::new();
    OwnCodec::new().encode(&expected, &mut out).unwrap();
    assert_eq!(&out[..], wire, "encoding {expected:?}");
    assert_eq!(expected.encoded_len().unwrap(), wire.len());
}

fn reject(wire: &[u8]) -> Error {
    let mut buf = BytesMut::from(wire);
    match OwnCodec::new().decode(&mut buf) {
        Err(e) => e,
        Ok(p) => panic!("{wire:02X?} decoded to {p:?}"),
    }
}

// ---- 3.1 CONNECT -----------------------------------------------------------

#[test]
fn connect_minimal_with_clean_session() {
    // 3.1.2.1-3.1.2.4: "MQTT", level 4, flags 0x02 (clean session),
    // 3.1.2.10 keep alive 60, 3.1.3.1 client id "c1".
    let wire = [
        0x10, 0x0E, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x02, b'c',
        b'1',
    ];
    round_trip(
        &wire,
        Packet::Connect(Box::new(Connect {
            client_id: s("c1"),
            clean_session: true,
            keep_alive: 60,
            will: None,
            username: None,
            password: None,
        })),
    );
}

#[test]
fn connect_with_will_user_name_and_password() {
    // Figure 3.6's flags 0xCE: user name, password, Will QoS 1, Will flag,
    // clean session; payload order of 3.1.3: client id, Will topic, Will
    // message, user name, password.
    let wire = [
        0x10, 0x1F, //
        0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0xCE, 0x00, 0x0A, //
        0x00, 0x03, b'a', b'b', b'c', //
        0x00, 0x03, b'w', b'/', b't', //
        0x00, 0x03, b'b', b'y', b'e', //
        0x00, 0x01, b'u', //
        0x00, 0x01, b'p',
    ];
    round_trip(
        &wire,
        Packet::Connect(Box::new(Connect {
            client_id: s("abc"),
            clean_session: true,
            keep_alive: 10,
            will: Some(Will {
                topic: topic("w/t"),
                message: Bytes::from_static(b"bye"),
                qos: QoS::AtLeastOnce,
                retain: false,
            }),
            username: Some(s("u")),
            password: Some(Bytes::from_static(b"p")),
        })),
    );
}

fn connect_with(name: &[u8], level: u8, flags: u8, tail: &[u8]) -> Vec<u8> {
    let mut body = vec![0x00, name.len() as u8];
    body.extend_from_slice(name);
    body.extend_from_slice(&[level, flags, 0x00, 0x3C, 0x00, 0x01, b'x']);
    body.extend_from_slice(tail);
    let mut wire = vec![0x10, body.len() as u8];
    wire.extend(body);
    wire
}

#[test]
fn connect_with_a_wrong_protocol_name_or_level_is_rejected() {
    // MQTT-3.1.2-1: the name must be "MQTT" (3.1's "MQIsdp" is not 3.1.1).
    assert!(matches!(
        reject(&connect_with(b"MQIsdp", 3, 0x02, &[])),
        Error::UnsupportedProtocolName
    ));
    // MQTT-3.1.2-2: level 4 only.
    assert!(matches!(
        reject(&connect_with(b"MQTT", 5, 0x02, &[])),
        Error::UnsupportedProtocolLevel(5)
    ));
}

#[test]
fn connect_flags_that_break_3_1_2_are_rejected() {
    // MQTT-3.1.2-3: reserved bit 0.
    assert!(matches!(
        reject(&connect_with(b"MQTT", 4, 0x03, &[])),
        Error::InvalidConnectFlags { .. }
    ));
    // MQTT-3.1.2-13/-15: Will QoS or retain without the Will flag.
    assert!(matches!(
        reject(&connect_with(b"MQTT", 4, 0x0A, &[])),
        Error::InvalidConnectFlags { .. }
    ));
    assert!(matches!(
        reject(&connect_with(b"MQTT", 4, 0x22, &[])),
        Error::InvalidConnectFlags { .. }
    ));
    // MQTT-3.1.2-14: Will QoS 3.
    assert!(matches!(
        reject(&connect_with(b"MQTT", 4, 0x1E, &[])),
        Error::InvalidQoS(3)
    ));
    // MQTT-3.1.2-22: password without user name.
    assert!(matches!(
        reject(&connect_with(b"MQTT", 4, 0x42, &[0x00, 0x01, b'p'])),
        Error::InvalidConnectFlags { .. }
    ));
}

#[test]
fn connect_with_bytes_after_the_last_field_is_rejected() {
    assert!(matches!(
        reject(&connect_with(b"MQTT", 4, 0x02, &[0xAA])),
        Error::TrailingBytes { count: 1, .. }
    ));
}

// ---- 3.2 CONNACK -----------------------------------------------------------

#[test]
fn connack_with_session_present_and_every_return_code() {
    // 3.2.2.2 Session Present = 1 with 0x00 Accepted.
    round_trip(
        &[0x20, 0x02, 0x01, 0x00],
        Packet::ConnAck(ConnAck {
            session_present: true,
            code: ConnectReturnCode::Accepted,
        }),
    );
    // Table 3.1, return codes 1 to 5.
    let refusals = [
        ConnectRefusal::UnacceptableProtocolVersion,
        ConnectRefusal::IdentifierRejected,
        ConnectRefusal::ServerUnavailable,
        ConnectRefusal::BadUserNameOrPassword,
        ConnectRefusal::NotAuthorized,
    ];
    for (code, refusal) in (1u8..).zip(refusals) {
        round_trip(
            &[0x20, 0x02, 0x00, code],
            Packet::ConnAck(ConnAck {
                session_present: false,
                code: ConnectReturnCode::Refused(refusal),
            }),
        );
    }
}

#[test]
fn connack_with_reserved_bits_codes_or_a_refused_session_is_rejected() {
    // 3.2.2.1: bits 7-1 of the acknowledge flags are reserved.
    assert!(matches!(
        reject(&[0x20, 0x02, 0x02, 0x00]),
        Error::InvalidConnAckFlags { .. }
    ));
    // MQTT-3.2.2-4: a refusal sets Session Present to 0.
    assert!(matches!(
        reject(&[0x20, 0x02, 0x01, 0x05]),
        Error::InvalidConnAckFlags { .. }
    ));
    // 3.2.2.3: 6-255 are reserved.
    assert!(matches!(
        reject(&[0x20, 0x02, 0x00, 0x06]),
        Error::InvalidConnectReturnCode(6)
    ));
    assert!(matches!(
        reject(&[0x20, 0x03, 0x00, 0x00, 0x00]),
        Error::InvalidRemainingLength { expected: 2, .. }
    ));
}

// ---- 3.3 PUBLISH -----------------------------------------------------------

#[test]
fn publish_qos0() {
    // 3.3.1: 0x30 = PUBLISH, DUP 0, QoS 0, RETAIN 0; 3.3.2: topic "a/b", no id.
    round_trip(
        &[0x30, 0x07, 0x00, 0x03, b'a', b'/', b'b', b'h', b'i'],
        Packet::Publish(Publish::at_most_once(
            topic("a/b"),
            Bytes::from_static(b"hi"),
        )),
    );
}

#[test]
fn publish_qos1_with_dup_and_retain() {
    // 0x3B = DUP 1, QoS 1, RETAIN 1; packet id 10 after the topic (3.3.2.2).
    round_trip(
        &[0x3B, 0x08, 0x00, 0x03, b'a', b'/', b'b', 0x00, 0x0A, b'x'],
        Packet::Publish(Publish {
            dup: true,
            qos: QoS::AtLeastOnce,
            retain: true,
            topic: topic("a/b"),
            pkid: Some(id(10)),
            payload: Bytes::from_static(b"x"),
        }),
    );
}

#[test]
fn publish_qos2_with_an_empty_payload_and_a_two_byte_remaining_length() {
    // 0x34 = QoS 2. A zero-length payload is valid (3.3.3).
    round_trip(
        &[0x34, 0x07, 0x00, 0x03, b'a', b'/', b'b', 0xFF, 0xFF],
        Packet::Publish(Publish {
            dup: false,
            qos: QoS::ExactlyOnce,
            retain: false,
            topic: topic("a/b"),
            pkid: Some(id(0xFFFF)),
            payload: Bytes::new(),
        }),
    );
    // 2.2.3: remaining length 205 = 0xCD 0x01.
    let payload = vec![0x5A; 200];
    let mut wire = vec![0x30, 0xCD, 0x01, 0x00, 0x03, b'a', b'/', b'b'];
    wire.extend_from_slice(&payload);
    round_trip(
        &wire,
        Packet::Publish(Publish::at_most_once(topic("a/b"), Bytes::from(payload))),
    );
}

#[test]
fn publish_with_qos_3_or_dup_at_qos_0_is_rejected() {
    // MQTT-3.3.1-4: QoS bits 11.
    assert!(matches!(
        reject(&[0x36, 0x05, 0x00, 0x01, b'a', 0x00, 0x01]),
        Error::InvalidQoS(3)
    ));
    // MQTT-3.3.1-2: DUP must be 0 at QoS 0.
    assert!(matches!(
        reject(&[0x38, 0x03, 0x00, 0x01, b'a']),
        Error::InvalidHeaderFlags { .. }
    ));
}

#[test]
fn publish_topic_names_with_wildcards_bad_utf8_or_null_are_rejected() {
    // MQTT-3.3.2-2: no wildcards in a topic name.
    assert!(matches!(
        reject(&[0x30, 0x05, 0x00, 0x03, b'a', b'/', b'+']),
        Error::InvalidTopicName { .. }
    ));
    assert!(matches!(
        reject(&[0x30, 0x05, 0x00, 0x03, b'a', b'/', b'#']),
        Error::InvalidTopicName { .. }
    ));
    // MQTT-4.7.3-1: at least one character.
    assert!(matches!(
        reject(&[0x30, 0x02, 0x00, 0x00]),
        Error::InvalidTopicName { .. }
    ));
    // MQTT-1.5.3-1: well-formed UTF-8 (0xC3 0x28 is an invalid sequence).
    assert!(matches!(
        reject(&[0x30, 0x04, 0x00, 0x02, 0xC3, 0x28]),
        Error::InvalidUtf8 { .. }
    ));
    // MQTT-1.5.3-2: no U+0000.
    assert!(matches!(
        reject(&[0x30, 0x04, 0x00, 0x02, b'a', 0x00]),
        Error::NullCharacter { .. }
    ));
}

#[test]
fn publish_qos1_with_packet_id_zero_or_a_topic_past_the_end_is_rejected() {
    // MQTT-2.3.1-1: non-zero packet identifier.
    assert!(matches!(
        reject(&[0x32, 0x05, 0x00, 0x01, b'a', 0x00, 0x00]),
        Error::ZeroPacketId { .. }
    ));
    assert!(matches!(
        reject(&[0x30, 0x04, 0x00, 0x09, b'a', b'b']),
        Error::Truncated { .. }
    ));
    // QoS 1 without room for the packet id.
    assert!(matches!(
        reject(&[0x32, 0x03, 0x00, 0x01, b'a']),
        Error::Truncated { .. }
    ));
}

// ---- 3.4 to 3.7, 3.11: acknowledgements -------------------------------------

#[test]
fn puback_pubrec_pubrel_pubcomp_unsuback() {
    round_trip(&[0x40, 0x02, 0x00, 0x01], Packet::PubAck(id(1))); // 3.4
    round_trip(&[0x50, 0x02, 0x12, 0x34], Packet::PubRec(id(0x1234))); // 3.5
    round_trip(&[0x62, 0x02, 0x00, 0x07], Packet::PubRel(id(7))); // 3.6, flags 0010
    round_trip(&[0x70, 0x02, 0xFF, 0xFF], Packet::PubComp(id(0xFFFF))); // 3.7
    round_trip(&[0xB0, 0x02, 0x00, 0x0B], Packet::UnsubAck(id(11))); // 3.11
}

#[test]
fn acknowledgements_with_wrong_flags_length_or_id_zero_are_rejected() {
    // MQTT-2.2.2-1: reserved flags must be as in Table 2.2.
    assert!(matches!(
        reject(&[0x41, 0x02, 0x00, 0x01]),
        Error::InvalidHeaderFlags { .. }
    ));
    // MQTT-3.6.1-1: PUBREL flags are 0010.
    assert!(matches!(
        reject(&[0x60, 0x02, 0x00, 0x01]),
        Error::InvalidHeaderFlags { .. }
    ));
    assert!(matches!(
        reject(&[0x40, 0x03, 0x00, 0x01, 0x00]),
        Error::InvalidRemainingLength { expected: 2, .. }
    ));
    assert!(matches!(
        reject(&[0x70, 0x02, 0x00, 0x00]),
        Error::ZeroPacketId { .. }
    ));
}

// ---- 3.8 SUBSCRIBE, 3.9 SUBACK ----------------------------------------------

#[test]
fn subscribe_with_two_filters() {
    // 3.8.3 example: "a/b" QoS 1 and "c/d" QoS 2, packet id 10; flags 0010.
    round_trip(
        &[
            0x82, 0x0E, 0x00, 0x0A, 0x00, 0x03, b'a', b'/', b'b', 0x01, 0x00, 0x03, b'c', b'/',
            b'd', 0x02,
        ],
        Packet::Subscribe(Subscribe {
            pkid: id(10),
            filters: vec![
                SubscribeFilter::new(filter("a/b"), QoS::AtLeastOnce),
                SubscribeFilter::new(filter("c/d"), QoS::ExactlyOnce),
            ],
        }),
    );
    // Wildcards in valid positions (4.7.1.2, 4.7.1.3).
    round_trip(
        &[
            0x82, 0x0A, 0x00, 0x01, 0x00, 0x05, b'+', b'/', b'x', b'/', b'#', 0x00,
        ],
        Packet::Subscribe(Subscribe {
            pkid: id(1),
            filters: vec![SubscribeFilter::new(filter("+/x/#"), QoS::AtMostOnce)],
        }),
    );
}

#[test]
fn subscribe_with_bad_filters_options_or_no_filter_is_rejected() {
    // MQTT-4.7.1-2: '#' last and alone in its level.
    assert!(matches!(
        reject(&[0x82, 0x08, 0x00, 0x01, 0x00, 0x03, b'a', b'#', b'b', 0x00]),
        Error::InvalidTopicFilter { .. }
    ));
    // MQTT-4.7.1-3: '+' alone in its level.
    assert!(matches!(
        reject(&[0x82, 0x07, 0x00, 0x01, 0x00, 0x02, b'a', b'+', 0x00]),
        Error::InvalidTopicFilter { .. }
    ));
    // MQTT-3.8.3-4: upper six bits of the requested QoS byte are reserved.
    assert!(matches!(
        reject(&[0x82, 0x06, 0x00, 0x01, 0x00, 0x01, b'a', 0x04]),
        Error::InvalidSubscribeOptions(0x04)
    ));
    assert!(matches!(
        reject(&[0x82, 0x06, 0x00, 0x01, 0x00, 0x01, b'a', 0x03]),
        Error::InvalidQoS(3)
    ));
    // MQTT-3.8.3-3: at least one filter.
    assert!(matches!(
        reject(&[0x82, 0x02, 0x00, 0x01]),
        Error::EmptyPayload { .. }
    ));
    // MQTT-3.8.1-1: flags 0010.
    assert!(matches!(
        reject(&[0x80, 0x06, 0x00, 0x01, 0x00, 0x01, b'a', 0x00]),
        Error::InvalidHeaderFlags { .. }
    ));
}

#[test]
fn suback_with_granted_qos_and_the_0x80_failure_code() {
    // 3.9.3: 0x00, 0x01, 0x02 granted, 0x80 failure.
    round_trip(
        &[0x90, 0x06, 0x00, 0x0A, 0x00, 0x01, 0x02, 0x80],
        Packet::SubAck(SubAck {
            pkid: id(10),
            return_codes: vec![
                SubscribeReturnCode::Success(QoS::AtMostOnce),
                SubscribeReturnCode::Success(QoS::AtLeastOnce),
                SubscribeReturnCode::Success(QoS::ExactlyOnce),
                SubscribeReturnCode::Failure,
            ],
        }),
    );
    // MQTT-3.9.3-2: other values are reserved.
    assert!(matches!(
        reject(&[0x90, 0x03, 0x00, 0x0A, 0x03]),
        Error::InvalidSubscribeReturnCode(3)
    ));
}

// ---- 3.10 UNSUBSCRIBE -------------------------------------------------------

#[test]
fn unsubscribe_with_two_filters() {
    // 3.10.3 example payload "a/b", "c/d"; flags 0010 (MQTT-3.10.1-1).
    round_trip(
        &[
            0xA2, 0x0C, 0x00, 0x0B, 0x00, 0x03, b'a', b'/', b'b', 0x00, 0x03, b'c', b'/', b'd',
        ],
        Packet::Unsubscribe(Unsubscribe {
            pkid: id(11),
            filters: vec![filter("a/b"), filter("c/d")],
        }),
    );
    // MQTT-3.10.3-2: at least one filter.
    assert!(matches!(
        reject(&[0xA2, 0x02, 0x00, 0x01]),
        Error::EmptyPayload { .. }
    ));
}

// ---- 3.12 to 3.14 -------------------------------------------------------------

#[test]
fn pingreq_pingresp_disconnect() {
    round_trip(&[0xC0, 0x00], Packet::PingReq);
    round_trip(&[0xD0, 0x00], Packet::PingResp);
    round_trip(&[0xE0, 0x00], Packet::Disconnect);
    assert!(matches!(
        reject(&[0xC0, 0x01, 0x00]),
        Error::InvalidRemainingLength { expected: 0, .. }
    ));
    // MQTT-3.14.1-1: DISCONNECT flags are 0.
    assert!(matches!(
        reject(&[0xE1, 0x00]),
        Error::InvalidHeaderFlags { .. }
    ));
}

// ---- 2.2 fixed header and framing ---------------------------------------------

#[test]
fn reserved_packet_types_0_and_15_are_rejected() {
    assert!(matches!(
        reject(&[0x00, 0x00]),
        Error::ReservedPacketType(0)
    ));
    assert!(matches!(
        reject(&[0xF0, 0x00]),
        Error::ReservedPacketType(15)
    ));
}

#[test]
fn a_remaining_length_of_five_bytes_is_rejected() {
    // 2.2.3: at most four bytes.
    assert!(matches!(
        reject(&[0x30, 0x80, 0x80, 0x80, 0x80, 0x01]),
        Error::MalformedRemainingLength
    ));
}

#[test]
fn every_prefix_of_a_packet_needs_more_bytes_and_leaves_the_buffer_alone() {
    let wire = [0x3B, 0x08, 0x00, 0x03, b'a', b'/', b'b', 0x00, 0x0A, b'x'];
    let mut codec = OwnCodec::new();
    for n in 0..wire.len() {
        let mut buf = BytesMut::from(&wire[..n]);
        assert_eq!(codec.decode(&mut buf).unwrap(), None, "prefix of {n}");
        assert_eq!(&buf[..], &wire[..n]);
    }
}

#[test]
fn packets_back_to_back_decode_one_at_a_time() {
    let mut buf = BytesMut::from(
        &[
            0xD0, 0x00, 0x40, 0x02, 0x00, 0x01, 0x30, 0x04, 0x00, 0x01, b't', b'p', 0xE0,
        ][..],
    );
    let mut codec = OwnCodec::new();
    assert_eq!(codec.decode(&mut buf).unwrap(), Some(Packet::PingResp));
    assert_eq!(codec.decode(&mut buf).unwrap(), Some(Packet::PubAck(id(1))));
    assert_eq!(
        codec.decode(&mut buf).unwrap(),
        Some(Packet::Publish(Publish::at_most_once(
            topic("t"),
            Bytes::from_static(b"p")
        )))
    );
    assert_eq!(codec.decode(&mut buf).unwrap(), None);
    assert_eq!(&buf[..], &[0xE0]);
}

#[test]
fn an_oversized_packet_is_refused_from_its_fixed_header_before_any_allocation() {
    // Header announcing 300 KiB; default limit 256 KiB.
    let remaining: usize = 300 * 1024;
    let mut wire = vec![0x30];
    let mut n = remaining;
    loop {
        let mut b = (n % 128) as u8;
        n /= 128;
        if n > 0 {
            b |= 0x80;
        }
        wire.push(b);
        if n == 0 {
            break;
        }
    }
    let mut buf = BytesMut::with_capacity(16);
    buf.extend_from_slice(&wire);
    let capacity = buf.capacity();
    let err = OwnCodec::new().decode(&mut buf).unwrap_err();
    match err {
        Error::PacketTooLarge { size, limit } => {
            assert_eq!(size, remaining + wire.len());
            assert_eq!(limit, 256 * 1024);
            let text = err.to_string();
            assert!(
                text.contains(&size.to_string()) && text.contains("262144"),
                "{text}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(buf.capacity(), capacity, "the decoder reserved memory");
}

#[test]
fn a_custom_limit_applies_to_encoding_too_and_nothing_is_written() {
    let codec = OwnCodec::new().with_max_packet_size(64);
    let big = Packet::Publish(Publish::at_most_once(
        topic("t"),
        Bytes::from(vec![0u8; 100]),
    ));
    let mut out = BytesMut::new();
    assert!(matches!(
        codec.encode(&big, &mut out),
        Err(Error::PacketTooLarge {
            size: 105,
            limit: 64
        })
    ));
    assert!(out.is_empty());
}

#[test]
fn encoding_rejects_what_the_types_allow_but_the_spec_does_not() {
    let codec = OwnCodec::new();
    let mut out = BytesMut::new();
    let no_id = Packet::Publish(Publish {
        dup: false,
        qos: QoS::AtLeastOnce,
        retain: false,
        topic: topic("t"),
        pkid: None,
        payload: Bytes::new(),
    });
    assert!(matches!(
        codec.encode(&no_id, &mut out),
        Err(Error::MissingPacketId { qos: 1 })
    ));
    let dup_qos0 = Packet::Publish(Publish {
        dup: true,
        ..Publish::at_most_once(topic("t"), Bytes::new())
    });
    assert!(codec.encode(&dup_qos0, &mut out).is_err());
    let password_only = Packet::Connect(Box::new(Connect {
        client_id: s("c"),
        clean_session: true,
        keep_alive: 0,
        will: None,
        username: None,
        password: Some(Bytes::from_static(b"p")),
    }));
    assert!(matches!(
        codec.encode(&password_only, &mut out),
        Err(Error::InvalidConnectFlags { .. })
    ));
    let empty = Packet::Subscribe(Subscribe {
        pkid: id(1),
        filters: vec![],
    });
    assert!(matches!(
        codec.encode(&empty, &mut out),
        Err(Error::EmptyPayload { .. })
    ));
    assert!(out.is_empty());
}
