//! Writing a CBOR primitive with minicbor's low-level [`Encoder`].
//!
//! Same data model as JSON (TS-0004 8.5): one map with text-string keys, text strings,
//! integers in their shortest form (major types 0 and 1), arrays, booleans, null. Every
//! map and array is definite-length. A float is written in single precision when that
//! loses nothing, otherwise in double precision; NaN and infinities are refused, as in
//! JSON, so that a primitive that encodes in one format encodes in the other.

use std::convert::Infallible;

use bytes::Bytes;
use minicbor::Encoder;
use minicbor::encode::Error as EncodeError;
use minicbor::encode::Write;
use onem2m_primitive::Value;

use crate::error::Error;
use crate::limits::Limits;
use crate::map_format::{Parameters, check_level};
use crate::params::Param;

/// Most primitives fit without the buffer growing.
const INITIAL_CAPACITY: usize = 256;

/// Encodes `primitive` as a CBOR map.
pub(super) fn encode<P: Parameters>(primitive: &P, limits: &Limits) -> Result<Bytes, Error> {
    let mut writer = Writer {
        enc: Encoder::new(Output(Vec::with_capacity(INITIAL_CAPACITY))),
        limits,
    };
    // The number of parameters is known only after the walk: write the map's members
    // after a one-byte placeholder, then put the real header (one byte below 24
    // parameters, two up to 255) in its place.
    writer.enc.writer_mut().0.push(0);
    let mut count = 0u64;
    primitive.for_each_param(|name, param| {
        count += 1;
        written(writer.enc.str(name))?;
        writer.param(&param)
    })?;
    let mut header = [0u8; 9];
    let unused = written_into(Encoder::new(&mut header[..]).map(count))?;
    let header_len = header.len() - unused;
    let mut out = writer.enc.into_writer().0;
    out.splice(..1, header[..header_len].iter().copied());
    Ok(Bytes::from(out))
}

/// The output buffer. `Vec<u8>`'s own [`Write`] copies every one-byte item header with a
/// call to `memcpy`; pushing the byte is several times faster, and headers are most of
/// the writes.
struct Output(Vec<u8>);

impl Write for Output {
    type Error = Infallible;

    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> Result<(), Infallible> {
        match buf {
            [byte] => self.0.push(*byte),
            _ => self.0.extend_from_slice(buf),
        }
        Ok(())
    }
}

/// Writes into memory, which cannot fail; the error is still mapped rather than unwrapped.
fn written<T>(result: Result<T, EncodeError<Infallible>>) -> Result<(), Error> {
    result
        .map(|_| ())
        .map_err(|e| Error::Unencodable(e.to_string()))
}

/// Like [`written`], for an encoder on a byte array: how many bytes were left unused.
fn written_into(
    result: Result<&mut Encoder<&mut [u8]>, EncodeError<minicbor::encode::write::EndOfSlice>>,
) -> Result<usize, Error> {
    result
        .map(|enc| enc.writer().len())
        .map_err(|e| Error::Unencodable(e.to_string()))
}

struct Writer<'l> {
    enc: Encoder<Output>,
    limits: &'l Limits,
}

impl Writer<'_> {
    fn param(&mut self, param: &Param<'_>) -> Result<(), Error> {
        match param {
            Param::Str(text) => written(self.enc.str(text)),
            Param::Int(i) => written(self.enc.i64(*i)),
            Param::Bool(b) => written(self.enc.bool(*b)),
            Param::StrList(items) => {
                written(self.enc.array(items.len() as u64))?;
                for item in items.iter() {
                    written(self.enc.str(item))?;
                }
                Ok(())
            }
            Param::Tree(value) => self.value(value, 1),
        }
    }

    /// Writes `value`, whose maps and lists sit at nesting `level`.
    fn value(&mut self, value: &Value, level: usize) -> Result<(), Error> {
        match value {
            Value::Null => written(self.enc.null()),
            Value::Bool(b) => written(self.enc.bool(*b)),
            Value::Int(i) => written(self.enc.i64(*i)),
            Value::Float(x) if !x.is_finite() => Err(Error::Unencodable(format!(
                "the number {x}: the oneM2M data model has no NaN or infinity"
            ))),
            Value::Float(x) => {
                let single = *x as f32;
                if f64::from(single) == *x {
                    written(self.enc.f32(single))
                } else {
                    written(self.enc.f64(*x))
                }
            }
            Value::Text(text) => written(self.enc.str(text)),
            Value::List(items) => {
                check_level(self.limits, level)?;
                written(self.enc.array(items.len() as u64))?;
                for item in items {
                    self.value(item, level + 1)?;
                }
                Ok(())
            }
            Value::Map(members) => {
                check_level(self.limits, level)?;
                written(self.enc.map(members.len() as u64))?;
                for (name, member) in members.iter() {
                    written(self.enc.str(name))?;
                    self.value(member, level + 1)?;
                }
                Ok(())
            }
        }
    }
}
