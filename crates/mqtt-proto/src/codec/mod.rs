//! The MQTT 3.1.1 packet codec: the [`Codec`] trait, our implementation
//! [`OwnCodec`] and, behind the `mqttbytes` feature, `MqttBytesCodec`.

mod ack;
mod connack;
mod connect;
mod fixed_header;
#[cfg(feature = "mqttbytes")]
mod mqttbytes;
mod packet;
mod ping;
mod publish;
mod string;
mod suback;
mod subscribe;
mod topic_scan;
mod unsubscribe;
mod wire;

use std::fmt;

use bytes::{Buf, BytesMut};

pub use fixed_header::MAX_REMAINING_LENGTH;
#[cfg(feature = "mqttbytes")]
pub use mqttbytes::MqttBytesCodec;
pub use packet::{
    ConnAck, Connect, ConnectRefusal, ConnectReturnCode, Packet, PacketId, PacketType, Publish,
    QoS, SubAck, Subscribe, SubscribeFilter, SubscribeReturnCode, Unsubscribe, Will,
};
pub use string::{ByteStr, MAX_FIELD_LEN, Topic, TopicFilter};

use crate::Error;
use fixed_header::FixedHeader;

/// Default maximum packet size: 256 KiB, fixed header included.
pub const DEFAULT_MAX_PACKET_SIZE: usize = 256 * 1024;

/// Largest packet MQTT 3.1.1 can frame: a 1-byte type, 4 length bytes and
/// [`MAX_REMAINING_LENGTH`].
pub const MAX_PACKET_SIZE: usize = 1 + 4 + MAX_REMAINING_LENGTH;

/// Turns bytes into [`Packet`]s and back. Implement it to plug another MQTT
/// codec into a stack; the session and the driver only see this trait.
///
/// The decoding contract is tokio-util's: `Ok(None)` means "need more bytes"
/// and leaves `buf` as it was (apart from reserving room); `Ok(Some(_))`
/// removes exactly one packet from the front of `buf`. After an `Err` the
/// stream is unusable and the connection must be closed.
pub trait Codec: Send + Sync + fmt::Debug {
    /// Decodes one packet from the front of `buf`, if a whole one is there.
    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Packet>, Error>;

    /// Appends `packet` to `out`. On error nothing is appended.
    fn encode(&self, packet: &Packet, out: &mut BytesMut) -> Result<(), Error>;

    /// Largest packet accepted, in bytes, fixed header included.
    fn max_packet_size(&self) -> usize;

    /// Short name for logs and benchmarks.
    fn name(&self) -> &'static str;
}

/// The framework's own codec: strict MQTT 3.1.1 checks, zero-copy topics and
/// payloads, the packet size limit enforced from the fixed header.
///
/// ```
/// use bytes::BytesMut;
/// use onem2m_mqtt_proto::{Codec, OwnCodec, Packet};
///
/// let mut codec = OwnCodec::new();
/// let mut buf = BytesMut::from(&[0xC0u8][..]); // half a PINGREQ
/// assert_eq!(codec.decode(&mut buf)?, None);
/// buf.extend_from_slice(&[0x00]);
/// assert_eq!(codec.decode(&mut buf)?, Some(Packet::PingReq));
/// # Ok::<(), onem2m_mqtt_proto::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct OwnCodec {
    max_packet_size: usize,
}

impl Default for OwnCodec {
    fn default() -> Self {
        Self::new()
    }
}

impl OwnCodec {
    /// A codec with the default limit of [`DEFAULT_MAX_PACKET_SIZE`].
    pub fn new() -> Self {
        Self {
            max_packet_size: DEFAULT_MAX_PACKET_SIZE,
        }
    }

    /// Sets the largest packet accepted on decode and produced on encode, in
    /// bytes including the fixed header; capped at [`MAX_PACKET_SIZE`]. The
    /// limit applies both ways so that an oversized message fails at the
    /// sender with a clear error instead of at the receiver.
    pub fn with_max_packet_size(mut self, limit: usize) -> Self {
        self.max_packet_size = limit.min(MAX_PACKET_SIZE);
        self
    }

    /// The hot path, inlined into `decode` so that a PUBLISH costs one call
    /// frame. Instruction counts (see `benches/codec.rs`) steered the
    /// `inline` and `cold` marks in this module: moving them changes what
    /// the compiler inlines from `bytes`, by up to 15 % of a decode.
    #[inline(always)]
    fn decode_publish(
        &self,
        header: FixedHeader,
        buf: &mut BytesMut,
    ) -> Result<Option<Packet>, Error> {
        let frame_len = header.frame_len();
        let (qos, layout) = match self.check_publish(header, buf) {
            Ok(Some(checked)) => checked,
            Ok(None) => return Ok(None),
            Err(error) => return failed(error),
        };
        let publish = Publish::split(header.byte1, qos, frame_len, layout, buf);
        Ok(Some(Packet::Publish(publish)))
    }

    /// Every check of a PUBLISH, on the borrowed bytes; `Ok(None)` when the
    /// frame is not whole yet.
    #[inline(always)]
    fn check_publish(
        &self,
        header: FixedHeader,
        buf: &mut BytesMut,
    ) -> Result<Option<(QoS, publish::Layout)>, Error> {
        let qos = publish::qos_of(header.byte1)?;
        let frame_len = header.frame_len();
        self.too_large(frame_len)?;
        if buf.len() < frame_len {
            need_more(buf, frame_len);
            return Ok(None);
        }
        let layout = Publish::check(qos, header.header_len, frame_len, buf)?;
        Ok(Some((qos, layout)))
    }

    #[inline]
    fn too_large(&self, size: usize) -> Result<(), Error> {
        if size > self.max_packet_size {
            Err(self.too_large_error(size))
        } else {
            Ok(())
        }
    }

    #[cold]
    #[inline(never)]
    fn too_large_error(&self, size: usize) -> Error {
        Error::PacketTooLarge {
            size,
            limit: self.max_packet_size,
        }
    }

    /// Every packet type but PUBLISH: out of line, so that `decode` stays
    /// small and keeps only the registers the PUBLISH path needs.
    #[inline(never)]
    fn decode_other(
        &self,
        byte1: u8,
        header_len: usize,
        remaining_len: usize,
        buf: &mut BytesMut,
    ) -> Result<Option<Packet>, Error> {
        // The header comes in pieces: three registers, not a spilled struct.
        let header = FixedHeader {
            byte1,
            header_len,
            remaining_len,
        };
        let packet_type = PacketType::from_byte1(header.byte1)?;
        let frame_len = header.frame_len();
        self.too_large(frame_len)?;
        if buf.len() < frame_len {
            need_more(buf, frame_len);
            return Ok(None);
        }
        let body_at = header.header_len;
        let packet = match packet_type {
            // Fixed-size packets are read in place: no split, no refcount.
            PacketType::PubAck
            | PacketType::PubRec
            | PacketType::PubRel
            | PacketType::PubComp
            | PacketType::UnsubAck => ack::read(packet_type, &buf[body_at..frame_len])?,
            PacketType::ConnAck => match buf[body_at..frame_len] {
                [flags, code] => Packet::ConnAck(ConnAck::read(flags, code)?),
                _ => {
                    return Err(Error::InvalidRemainingLength {
                        packet_type,
                        len: header.remaining_len,
                        expected: 2,
                    });
                }
            },
            PacketType::PingReq | PacketType::PingResp | PacketType::Disconnect => {
                ping::read(packet_type, header.remaining_len)?
            }
            PacketType::Publish => return self.decode_publish(header, buf),
            // Variable packets keep slices of the frame: split it off, don't copy.
            PacketType::Connect
            | PacketType::Subscribe
            | PacketType::SubAck
            | PacketType::Unsubscribe => {
                let mut body = buf.split_to(frame_len).freeze();
                body.advance(body_at);
                return Ok(Some(match packet_type {
                    PacketType::Connect => Packet::Connect(Box::new(Connect::read(body)?)),
                    PacketType::Subscribe => Packet::Subscribe(Subscribe::read(body)?),
                    PacketType::SubAck => Packet::SubAck(SubAck::read(body)?),
                    _ => Packet::Unsubscribe(Unsubscribe::read(body)?),
                }));
            }
        };
        buf.advance(frame_len);
        Ok(Some(packet))
    }
}

/// Returns `error` from out of line. Written into the decoder's result in
/// place, the errors shared their stores with the decoded PUBLISH: the
/// compiler then wrote the packet's first field in pieces of 1, 4, 2 and 1
/// bytes, like an error's fields, and the caller's 16-byte loads of it
/// waited for those stores (fewer instructions, more time per packet).
#[cold]
#[inline(never)]
fn failed(error: Error) -> Result<Option<Packet>, Error> {
    Err(error)
}

/// Makes room for the rest of a frame: once per packet that arrives in
/// pieces, so kept out of the hot path.
#[cold]
#[inline(never)]
fn need_more(buf: &mut BytesMut, frame_len: usize) {
    buf.reserve(frame_len - buf.len());
}

impl Codec for OwnCodec {
    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Packet>, Error> {
        let Some(header) = FixedHeader::parse(buf)? else {
            return Ok(None);
        };
        if header.byte1 >> 4 == PacketType::Publish as u8 {
            self.decode_publish(header, buf)
        } else {
            self.decode_other(header.byte1, header.header_len, header.remaining_len, buf)
        }
    }

    fn encode(&self, packet: &Packet, out: &mut BytesMut) -> Result<(), Error> {
        // Fixed-size packets, most of a session's traffic, skip the general path.
        let byte1 = packet.packet_type().byte1();
        match packet {
            Packet::PubAck(id)
            | Packet::PubRec(id)
            | Packet::PubRel(id)
            | Packet::PubComp(id)
            | Packet::UnsubAck(id) => {
                self.too_large(4)?;
                let [hi, lo] = id.get().to_be_bytes();
                out.extend_from_slice(&[byte1, 2, hi, lo]);
                return Ok(());
            }
            Packet::PingReq | Packet::PingResp | Packet::Disconnect => {
                self.too_large(2)?;
                out.extend_from_slice(&[byte1, 0]);
                return Ok(());
            }
            _ => {}
        }
        let (byte1, remaining_len) = packet.header()?;
        let size = 1 + fixed_header::varint_len(remaining_len) + remaining_len;
        if remaining_len > MAX_REMAINING_LENGTH {
            return Err(Error::PacketTooLarge {
                size,
                limit: self.max_packet_size,
            });
        }
        self.too_large(size)?;
        out.reserve(size);
        fixed_header::write(out, byte1, remaining_len);
        packet.write_body(out);
        Ok(())
    }

    fn max_packet_size(&self) -> usize {
        self.max_packet_size
    }

    fn name(&self) -> &'static str {
        "own"
    }
}

impl Packet {
    /// Size of this packet on the wire, or why it cannot be encoded.
    pub fn encoded_len(&self) -> Result<usize, Error> {
        let (_, remaining_len) = self.header()?;
        Ok(1 + fixed_header::varint_len(remaining_len) + remaining_len)
    }

    /// First byte and remaining length; validates what types cannot.
    fn header(&self) -> Result<(u8, usize), Error> {
        let packet_type = self.packet_type();
        let remaining_len = match self {
            Self::Connect(c) => c.remaining_len()?,
            Self::ConnAck(_) => 2,
            Self::Publish(p) => return Ok((p.byte1(), p.remaining_len()?)),
            Self::PubAck(_)
            | Self::PubRec(_)
            | Self::PubRel(_)
            | Self::PubComp(_)
            | Self::UnsubAck(_) => 2,
            Self::Subscribe(s) => s.remaining_len()?,
            Self::SubAck(s) => s.remaining_len()?,
            Self::Unsubscribe(u) => u.remaining_len()?,
            Self::PingReq | Self::PingResp | Self::Disconnect => 0,
        };
        Ok((packet_type.byte1(), remaining_len))
    }

    fn write_body(&self, out: &mut BytesMut) {
        use bytes::BufMut;
        match self {
            Self::Connect(c) => c.write(out),
            Self::ConnAck(c) => c.write(out),
            Self::Publish(p) => p.write(out),
            Self::PubAck(id)
            | Self::PubRec(id)
            | Self::PubRel(id)
            | Self::PubComp(id)
            | Self::UnsubAck(id) => out.put_u16(id.get()),
            Self::Subscribe(s) => s.write(out),
            Self::SubAck(s) => s.write(out),
            Self::Unsubscribe(u) => u.write(out),
            Self::PingReq | Self::PingResp | Self::Disconnect => {}
        }
    }
}
