//! The packets without a body: PINGREQ, PINGRESP (MQTT 3.12, 3.13) and
//! DISCONNECT (MQTT 3.14).

use super::packet::{Packet, PacketType};
use crate::Error;

/// Builds a body-less packet after checking its remaining length is zero.
pub(crate) fn read(packet_type: PacketType, remaining_len: usize) -> Result<Packet, Error> {
    if remaining_len != 0 {
        return Err(Error::InvalidRemainingLength {
            packet_type,
            len: remaining_len,
            expected: 0,
        });
    }
    Ok(match packet_type {
        PacketType::PingReq => Packet::PingReq,
        PacketType::PingResp => Packet::PingResp,
        _ => Packet::Disconnect,
    })
}
