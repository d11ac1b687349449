//! Field-level reading and writing: integers, length-prefixed strings and
//! binary data (MQTT 1.5).

use bytes::{Buf, BufMut, Bytes, BytesMut};

use super::packet::{PacketId, PacketType};
use super::string::{ByteStr, Topic, TopicFilter};
use crate::Error;

/// A cursor over the body of one packet. Every read is bounds-checked and
/// reports which field did not fit; slices share the packet's buffer.
pub(crate) struct Reader {
    buf: Bytes,
    packet_type: PacketType,
}

impl Reader {
    pub(crate) fn new(packet_type: PacketType, buf: Bytes) -> Self {
        Self { buf, packet_type }
    }

    fn truncated(&self, field: &'static str) -> Error {
        Error::Truncated {
            packet_type: self.packet_type,
            field,
        }
    }

    pub(crate) fn u8(&mut self, field: &'static str) -> Result<u8, Error> {
        if self.buf.is_empty() {
            return Err(self.truncated(field));
        }
        Ok(self.buf.get_u8())
    }

    pub(crate) fn u16(&mut self, field: &'static str) -> Result<u16, Error> {
        if self.buf.len() < 2 {
            return Err(self.truncated(field));
        }
        Ok(self.buf.get_u16())
    }

    pub(crate) fn pkid(&mut self) -> Result<PacketId, Error> {
        let raw = self.u16("packet identifier")?;
        PacketId::new(raw).ok_or(Error::ZeroPacketId {
            packet_type: self.packet_type,
        })
    }

    /// Binary data: a 16-bit length and that many bytes, sliced, not copied.
    pub(crate) fn binary(&mut self, field: &'static str) -> Result<Bytes, Error> {
        let len = usize::from(self.u16(field)?);
        if self.buf.len() < len {
            return Err(self.truncated(field));
        }
        Ok(self.buf.split_to(len))
    }

    pub(crate) fn string(&mut self, field: &'static str) -> Result<ByteStr, Error> {
        ByteStr::from_field(self.binary(field)?, field)
    }

    pub(crate) fn topic(&mut self, field: &'static str) -> Result<Topic, Error> {
        Topic::from_bytes(self.binary(field)?)
    }

    pub(crate) fn filter(&mut self, field: &'static str) -> Result<TopicFilter, Error> {
        TopicFilter::from_bytes(self.binary(field)?)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Everything not read yet (a PUBLISH payload).
    pub(crate) fn rest(self) -> Bytes {
        self.buf
    }

    /// Checks that the packet ends here.
    pub(crate) fn finish(self) -> Result<(), Error> {
        if self.buf.is_empty() {
            Ok(())
        } else {
            Err(Error::TrailingBytes {
                packet_type: self.packet_type,
                count: self.buf.len(),
            })
        }
    }
}

/// Checks that a binary field fits its 16-bit length prefix; returns its wire size.
pub(crate) fn binary_len(field: &'static str, data: &[u8]) -> Result<usize, Error> {
    if data.len() > usize::from(u16::MAX) {
        return Err(Error::FieldTooLong {
            field,
            len: data.len(),
        });
    }
    Ok(2 + data.len())
}

/// Writes a length-prefixed field whose length was checked by [`binary_len`]
/// (strings are checked by their constructors).
pub(crate) fn put_binary(out: &mut BytesMut, data: &[u8]) {
    // Lengths were validated before anything was written; the cast cannot truncate.
    out.put_u16(data.len() as u16);
    out.put_slice(data);
}
