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

/// Where the parts of a checked PUBLISH lie in its frame.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    topic_at: usize,
    topic_end: usize,
    payload_at: usize,
    pkid: Option<PacketId>,
}

impl Publish {
    /// Checks the PUBLISH at the front of `buf`, whose fixed header (first
    /// byte checked by [`qos_of`]) is `header_len` bytes long and which
    /// `buf` holds whole: `frame_len <= buf.len()`. Every check runs on the
    /// borrowed bytes, before anything is split off.
    #[inline(always)]
    pub(crate) fn check(
        qos: QoS,
        header_len: usize,
        frame_len: usize,
        buf: &[u8],
    ) -> Result<Layout, Error> {
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
        Ok(Layout {
            topic_at,
            topic_end,
            payload_at: topic_end + pkid_len,
            pkid,
        })
    }

    /// Splits the PUBLISH that [`Self::check`] passed off `buf`, once, and
    /// cuts the topic and payload from it: two reference counts, no copy.
    #[inline(always)]
    pub(crate) fn split(
        byte1: u8,
        qos: QoS,
        frame_len: usize,
        layout: Layout,
        buf: &mut BytesMut,
    ) -> Self {
        let frame = buf.split_to(frame_len).freeze();
        let topic = frame.slice(layout.topic_at..layout.topic_end);
        let mut payload = frame;
        payload.advance(layout.payload_at);
        Self {
            dup: byte1 & DUP != 0,
            qos,
            retain: byte1 & RETAIN != 0,
            topic: Topic::from_validated(topic),
            pkid: layout.pkid,
            payload,
        }
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
