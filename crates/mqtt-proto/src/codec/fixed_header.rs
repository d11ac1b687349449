//! The fixed header (MQTT 2.2): first byte and remaining length.

use bytes::{BufMut, BytesMut};

use crate::Error;

/// Largest remaining length four varint bytes can carry (MQTT 2.2.3).
pub const MAX_REMAINING_LENGTH: usize = 268_435_455;

/// A parsed fixed header.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FixedHeader {
    pub(crate) byte1: u8,
    /// Bytes taken by the fixed header itself (2 to 5).
    pub(crate) header_len: usize,
    pub(crate) remaining_len: usize,
}

impl FixedHeader {
    /// Size of the whole packet.
    #[inline]
    pub(crate) fn frame_len(&self) -> usize {
        self.header_len + self.remaining_len
    }

    /// Parses the fixed header at the start of `buf`; `Ok(None)` when the
    /// remaining length is not complete yet.
    #[inline]
    pub(crate) fn parse(buf: &[u8]) -> Result<Option<Self>, Error> {
        // Straight-line cases for lengths under 2 MiB, that is one to three
        // length bytes: acks and pings, then PUBLISHes up to 16 KiB and above.
        let low7 = |b: u8| usize::from(b & 0x7F);
        match *buf {
            [byte1, len @ 0..=127, ..] => {
                return Ok(Some(Self {
                    byte1,
                    header_len: 2,
                    remaining_len: usize::from(len),
                }));
            }
            [byte1, l0, l1 @ 0..=127, ..] => {
                return Ok(Some(Self {
                    byte1,
                    header_len: 3,
                    remaining_len: low7(l0) | usize::from(l1) << 7,
                }));
            }
            [byte1, l0, l1, l2 @ 0..=127, ..] => {
                return Ok(Some(Self {
                    byte1,
                    header_len: 4,
                    remaining_len: low7(l0) | low7(l1) << 7 | usize::from(l2) << 14,
                }));
            }
            _ => {}
        }
        let Some(&byte1) = buf.first() else {
            return Ok(None);
        };
        let mut remaining_len = 0usize;
        for i in 0..4 {
            let Some(&b) = buf.get(1 + i) else {
                return Ok(None);
            };
            remaining_len |= usize::from(b & 0x7F) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(Some(Self {
                    byte1,
                    header_len: 2 + i,
                    remaining_len,
                }));
            }
        }
        Err(Error::MalformedRemainingLength)
    }
}

/// Bytes needed to encode `len` as a remaining length.
pub(crate) fn varint_len(len: usize) -> usize {
    match len {
        0..=127 => 1,
        128..=16_383 => 2,
        16_384..=2_097_151 => 3,
        _ => 4,
    }
}

/// Writes the first byte and the remaining length (at most
/// [`MAX_REMAINING_LENGTH`], checked by the caller).
pub(crate) fn write(out: &mut BytesMut, byte1: u8, mut remaining_len: usize) {
    out.put_u8(byte1);
    loop {
        let mut b = (remaining_len % 128) as u8;
        remaining_len /= 128;
        if remaining_len > 0 {
            b |= 0x80;
        }
        out.put_u8(b);
        if remaining_len == 0 {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn remaining_length_round_trips_at_every_varint_boundary() {
        for len in [
            0,
            127,
            128,
            16_383,
            16_384,
            2_097_151,
            2_097_152,
            MAX_REMAINING_LENGTH,
        ] {
            let mut out = BytesMut::new();
            write(&mut out, 0x30, len);
            assert_eq!(out.len(), 1 + varint_len(len));
            let h = FixedHeader::parse(&out).unwrap().unwrap();
            assert_eq!(h.remaining_len, len);
            assert_eq!(h.header_len, out.len());
        }
    }

    #[test]
    fn a_fifth_length_byte_is_malformed() {
        let buf = [0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
        assert!(matches!(
            FixedHeader::parse(&buf),
            Err(Error::MalformedRemainingLength)
        ));
    }

    #[test]
    fn an_incomplete_length_needs_more_bytes() {
        assert!(FixedHeader::parse(&[0x30]).unwrap().is_none());
        assert!(FixedHeader::parse(&[0x30, 0x80]).unwrap().is_none());
        assert!(
            FixedHeader::parse(&[0x30, 0x80, 0x80, 0x80])
                .unwrap()
                .is_none()
        );
    }
}
