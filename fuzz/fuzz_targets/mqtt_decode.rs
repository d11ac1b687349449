//! The MQTT decoder on arbitrary bytes. It must never panic, and:
//! - whatever it decodes encodes again and decodes back to the same packet;
//! - feeding the bytes in two pieces gives the same packets (and the same
//!   failure, if any) as feeding them at once, so "need more bytes" is right.
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use onem2m_mqtt_proto::{Codec, OwnCodec, Packet};

const LIMIT: usize = 64 * 1024;

/// Decodes everything the chunks hold, appending one chunk at a time.
fn decode_all(chunks: &[&[u8]]) -> (Vec<Packet>, bool) {
    let mut codec = OwnCodec::new().with_max_packet_size(LIMIT);
    let mut buf = BytesMut::new();
    let mut packets = Vec::new();
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        loop {
            match codec.decode(&mut buf) {
                Ok(Some(p)) => packets.push(p),
                Ok(None) => break,
                Err(_) => return (packets, true),
            }
        }
    }
    (packets, false)
}

fuzz_target!(|data: &[u8]| {
    let (packets, failed) = decode_all(&[data]);

    let codec = OwnCodec::new().with_max_packet_size(LIMIT);
    for packet in &packets {
        let mut wire = BytesMut::new();
        codec
            .encode(packet, &mut wire)
            .expect("a decoded packet encodes");
        let again = OwnCodec::new()
            .decode(&mut wire)
            .expect("an encoded packet decodes")
            .expect("an encoded packet is whole");
        assert_eq!(&again, packet);
        assert!(wire.is_empty());
    }

    let split = data.first().map_or(0, |&b| usize::from(b)) % (data.len() + 1);
    let (head, tail) = data.split_at(split);
    let (pieces, pieces_failed) = decode_all(&[head, tail]);
    assert_eq!(pieces, packets);
    assert_eq!(pieces_failed, failed);
});
