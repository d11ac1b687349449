//! PUBLISH (MQTT 3.3): the hot path. The topic and the payload are slices of
//! the frame; the topic is validated in one pass.

use bytes::{Buf, BufMut, BytesMut};

use super::packet::{PacketId, PacketType, Publish, QoS};
use super::string::{Topic, validate_topic_name};
use super::wire::put_binary;
use crate::Error;

const DUP: u8 = 0b1000;
const RETAIN: u8 = 0b0001;

/// A field of a PUBLISH runs past its end; cold, so the hot path stays small.
#[cold]
#[inline(never)]
fn truncated(field: &'static str) -> Error {
    Error::Truncated {
        packet_type: PacketType::Publish,
        field,
    }
}

/// QoS of a PUBLISH from its first byte: QoS 3 (MQTT-3.3.1-4) and DUP at
/// QoS 0 (MQTT-3.3.1-2) are refused.
#[inline]
pub(crate) fn qos_of(byte1: u8) -> Result<QoS, Error> {
    let qos = match (byte1 >> 1) & 0b11 {
        0 if byte1 & DUP != 0 => {
            return Err(Error::InvalidHeaderFlags {
                packet_type: PacketType::Publish,
                flags: byte1 & 0x0F,
            });
        }
        0 => QoS::AtMostOnce,
        1 => QoS::AtLeastOnce,
        2 => QoS::ExactlyOnce,
        other => return Err(Error::InvalidQoS(other)),
    };
    Ok(qos)
}

impl Publish {
    /// Decodes the PUBLISH at the front of `buf`, whose fixed header (first
    /// byte checked by [`qos_of`]) is `header_len` bytes long and which
    /// `buf` holds whole: `frame_len <= buf.len()`.
    ///
    /// Every check runs on the borrowed bytes; only then is the frame split
    /// off, once, and the topic and payload cut from it: two reference
    /// counts, no copy.
    #[inline(always)]
    pub(crate) fn decode(
        byte1: u8,
        qos: QoS,
        header_len: usize,
        frame_len: usize,
        buf: &mut BytesMut,
    ) -> Result<Self, Error> {
        let body = buf.get(header_len..frame_len).unwrap_or_default();
        let Some((topic_len, rest)) = body.split_first_chunk::<2>() else {
            return Err(truncated("topic name"));
        };
        let topic_len = usize::from(u16::from_be_bytes(*topic_len));
        let Some((topic, rest)) = rest.split_at_checked(topic_len) else {
            return Err(truncated("topic name"));
        };
        validate_topic_name(topic)?;
        let (pkid, pkid_len) = match qos {
            QoS::AtMostOnce => (None, 0),
            QoS::AtLeastOnce | QoS::ExactlyOnce => {
                let Some((raw, _)) = rest.split_first_chunk::<2>() else {
                    return Err(truncated("packet identifier"));
                };
                match PacketId::new(u16::from_be_bytes(*raw)) {
                    Some(id) => (Some(id), 2),
                    None => {
                        return Err(Error::ZeroPacketId {
                            packet_type: PacketType::Publish,
                        });
                    }
                }
            }
        };
        let topic_at = header_len + 2;
        let topic_end = topic_at + topic_len;
        let mut payload = buf.split_to(frame_len).freeze();
        // `clone` + `truncate` + `advance` is `slice` without its re-checks.
        let mut topic = payload.clone();
        topic.truncate(topic_end);
        topic.advance(topic_at);
        payload.advance(topic_end + pkid_len);
        let topic = Topic::from_validated(topic);
        Ok(Self {
            dup: byte1 & DUP != 0,
            qos,
            retain: byte1 & RETAIN != 0,
            topic,
            pkid,
            payload,
        })
    }

    pub(crate) fn byte1(&self) -> u8 {
        let mut b = (PacketType::Publish as u8) << 4 | (self.qos as u8) << 1;
        if self.dup {
            b |= DUP;
        }
        if self.retain {
            b |= RETAIN;
        }
        b
    }

    pub(crate) fn remaining_len(&self) -> Result<usize, Error> {
        let pkid_len = match (self.qos, self.pkid) {
            (QoS::AtMostOnce, _) if self.dup => {
                return Err(Error::InvalidHeaderFlags {
                    packet_type: PacketType::Publish,
                    flags: self.byte1() & 0x0F,
                });
            }
            (QoS::AtMostOnce, _) => 0,
            (qos, None) => return Err(Error::MissingPacketId { qos: qos as u8 }),
            (_, Some(_)) => 2,
        };
        Ok(2 + self.topic.len() + pkid_len + self.payload.len())
    }

    pub(crate) fn write(&self, out: &mut BytesMut) {
        put_binary(out, self.topic.as_bytes());
        if self.qos != QoS::AtMostOnce
            && let Some(pkid) = self.pkid
        {
            out.put_u16(pkid.get());
        }
        out.put_slice(&self.payload);
    }
}
