//! The codec does not copy what it can slice: a decoded PUBLISH's topic and
//! payload point into the read buffer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::ops::Range;

use bytes::{Bytes, BytesMut};
use onem2m_mqtt_proto::*;

fn inside(range: &Range<usize>, slice: &[u8]) -> bool {
    let start = slice.as_ptr() as usize;
    // An empty slice may point just past the end.
    start >= range.start && start + slice.len() <= range.end
}

fn publish(payload_len: usize, pkid: u16) -> Packet {
    Packet::Publish(Publish {
        dup: false,
        qos: QoS::AtLeastOnce,
        retain: false,
        topic: Topic::from_static("/oneM2M/req/CAE1/CSE1/json").unwrap(),
        pkid: PacketId::new(pkid),
        payload: Bytes::from(vec![0xA5; payload_len]),
    })
}

#[test]
fn decoded_publish_topic_and_payload_point_into_the_read_buffer() {
    for len in [0, 64, 1024, 64 * 1024] {
        let codec = OwnCodec::new();
        let mut buf = BytesMut::new();
        codec.encode(&publish(len, 1), &mut buf).unwrap();
        let read_buffer = buf.as_ptr() as usize..buf.as_ptr() as usize + buf.len();

        let Some(Packet::Publish(p)) = OwnCodec::new().decode(&mut buf).unwrap() else {
            panic!("not a PUBLISH");
        };
        assert_eq!(p.payload.len(), len);
        assert!(
            inside(&read_buffer, &p.payload),
            "payload of {len} B was copied"
        );
        assert!(inside(&read_buffer, p.topic.as_bytes()), "topic was copied");
    }
}

#[test]
fn packets_decoded_from_one_stream_all_share_its_buffer() {
    let codec = OwnCodec::new();
    let mut buf = BytesMut::new();
    for i in 1..=10 {
        codec.encode(&publish(100 * i, i as u16), &mut buf).unwrap();
        codec
            .encode(&Packet::PubAck(PacketId::new(i as u16).unwrap()), &mut buf)
            .unwrap();
    }
    let read_buffer = buf.as_ptr() as usize..buf.as_ptr() as usize + buf.len();
    let mut decoder = OwnCodec::new();
    let mut publishes = Vec::new();
    while let Some(packet) = decoder.decode(&mut buf).unwrap() {
        if let Packet::Publish(p) = packet {
            publishes.push(p);
        }
    }
    assert_eq!(publishes.len(), 10);
    for p in &publishes {
        assert!(inside(&read_buffer, &p.payload));
        assert!(inside(&read_buffer, p.topic.as_bytes()));
    }
}

#[test]
fn a_publish_arriving_in_pieces_is_still_sliced_not_copied() {
    let codec = OwnCodec::new();
    let mut wire = BytesMut::new();
    codec.encode(&publish(4096, 7), &mut wire).unwrap();
    let mut decoder = OwnCodec::new();
    let mut buf = BytesMut::new();
    // First fragment: the decoder reserves room for the whole packet...
    buf.extend_from_slice(&wire[..10]);
    assert_eq!(decoder.decode(&mut buf).unwrap(), None);
    assert!(buf.capacity() >= wire.len());
    // ...so the rest lands in the same allocation.
    let read_buffer = buf.as_ptr() as usize..buf.as_ptr() as usize + wire.len();
    buf.extend_from_slice(&wire[10..]);
    let Some(Packet::Publish(p)) = decoder.decode(&mut buf).unwrap() else {
        panic!("not a PUBLISH");
    };
    assert!(inside(&read_buffer, &p.payload));
}
