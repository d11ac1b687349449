//! PUBLISH (MQTT 3.3): the hot path. The topic and the payload are slices of
//! the frame; the topic is validated in one pass.

use bytes::{Buf, BufMut, Bytes, BytesMut};

use super::packet::{PacketId, PacketType, Publish, QoS};
use super::string::{Topic, validate_topic_name};
use super::wire::put_binary;
use crate::Error;

const DUP: u8 = 0b1000;
const RETAIN: u8 = 0b0001;

impl Publish {
    /// Decodes a PUBLISH whose first byte was already checked, from its
    /// whole frame. Everything is checked on the slice first; the topic and
    /// payload are then cut out of `frame` (one reference count each).
    pub(crate) fn read(byte1: u8, mut frame: Bytes, body_at: usize) -> Result<Self, Error> {
        let qos = QoS::from_u8((byte1 >> 1) & 0b11)?;
        let truncated = |field| Error::Truncated {
            packet_type: PacketType::Publish,
            field,
        };
        let topic_at = body_at + 2;
        let topic_len = match frame.get(body_at..topic_at) {
            Some(&[hi, lo]) => usize::from(u16::from_be_bytes([hi, lo])),
            _ => return Err(truncated("topic name")),
        };
        let topic_end = topic_at + topic_len;
        let topic = frame
            .get(topic_at..topic_end)
            .ok_or_else(|| truncated("topic name"))?;
        validate_topic_name(topic)?;
        let (pkid, payload_at) = match qos {
            QoS::AtMostOnce => (None, topic_end),
            QoS::AtLeastOnce | QoS::ExactlyOnce => match frame.get(topic_end..topic_end + 2) {
                Some(&[hi, lo]) => (
                    Some(PacketId::new(u16::from_be_bytes([hi, lo])).ok_or(
                        Error::ZeroPacketId {
                            packet_type: PacketType::Publish,
                        },
                    )?),
                    topic_end + 2,
                ),
                _ => return Err(truncated("packet identifier")),
            },
        };
        let topic = Topic::from_validated(frame.slice(topic_at..topic_end));
        frame.advance(payload_at);
        Ok(Self {
            dup: byte1 & DUP != 0,
            qos,
            retain: byte1 & RETAIN != 0,
            topic,
            pkid,
            payload: frame,
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
