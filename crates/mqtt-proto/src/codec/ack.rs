//! The packets whose whole body is a packet identifier: PUBACK, PUBREC,
//! PUBREL, PUBCOMP (MQTT 3.4 to 3.7) and UNSUBACK (MQTT 3.11).

use super::packet::{Packet, PacketId, PacketType};
use crate::Error;

/// Decodes the two-byte body of an acknowledgement.
pub(crate) fn read(packet_type: PacketType, body: &[u8]) -> Result<Packet, Error> {
    let &[hi, lo] = body else {
        return Err(Error::InvalidRemainingLength {
            packet_type,
            len: body.len(),
            expected: 2,
        });
    };
    let pkid =
        PacketId::new(u16::from_be_bytes([hi, lo])).ok_or(Error::ZeroPacketId { packet_type })?;
    Ok(match packet_type {
        PacketType::PubAck => Packet::PubAck(pkid),
        PacketType::PubRec => Packet::PubRec(pkid),
        PacketType::PubRel => Packet::PubRel(pkid),
        PacketType::PubComp => Packet::PubComp(pkid),
        _ => Packet::UnsubAck(pkid),
    })
}
