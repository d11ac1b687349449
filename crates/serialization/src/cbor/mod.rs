//! The CBOR serialization of TS-0004 8.5, on minicbor's low-level encoder and decoder.
//!
//! The data model is JSON's (TS-0004 8.5 maps one onto the other): a primitive is one map
//! whose keys are short names as text strings (major type 3); content keeps the keys of
//! the [`Value`] tree. Integers take their shortest form (major
//! types 0 and 1), strings are text strings, lists arrays. Every map and array is written
//! with a definite length. A float is written as single precision (f32) when that is
//! exact and as double precision (f64) otherwise.
//!
//! # What the decoder accepts besides that
//! - Keys and values that are byte strings holding UTF-8 are read as text. TS-0004
//!   8.5.2's own examples encode keys as byte strings (`0x42 0x70 0x63` = `"pc"`).
//! - Indefinite-length maps, arrays, text and byte strings; half-precision floats;
//!   `undefined` (read as null). NaN and infinities are read (CBOR carries them) but,
//!   as in JSON, cannot be written.
//! - Tags are skipped and their content read as the plain value (a tag-0 date is a
//!   string, the self-described CBOR tag 55799 disappears), except bignums (tags 2, 3),
//!   decimal fractions and bigfloats (tags 4, 5), which are refused: their content would
//!   silently become a different value.
//! - A map whose only member is `m2m:rqp` / `m2m:rsp`, numbers as strings and unknown
//!   members, exactly as in JSON.
//! - The hex text that Mobius and nCube-Thyme send instead of binary CBOR: a payload that
//!   is entirely hex digits (even length) is decoded from hex first. No binary primitive
//!   can start with a hex digit, so this costs nothing on binary input.
//!
//! # What it refuses
//! - Anything larger, deeper or with more members than the [`Limits`] allow. A declared
//!   length is checked against `max_items` and against the bytes left before anything is
//!   allocated for it. A `max_depth` above 126 acts as 126, as in JSON, which keeps the
//!   recursive reader and writer well inside a small thread's stack.
//! - A repeated key in any map, a key that is not a string, an integer beyond i64,
//!   simple values other than booleans, null and undefined: [`Error::Syntax`].
//! - Truncated input, invalid UTF-8, bytes after the primitive: [`Error::Syntax`]; a top
//!   level that is not a map: [`Error::NotAPrimitive`].
//!
//! Content alone ([`Serializer::encode_content`], the body of a TS-0009 HTTP message) is
//! the `pc` value by itself, any CBOR value, read and written by the same code and
//! under the same limits as inside a primitive. Hex text is not accepted there: content
//! need not be a map, and a short string or a negative integer can start with a hex
//! digit.
//!
//! The encoder refuses NaN and infinities ([`Error::Unencodable`]), as JSON does, and
//! content nested deeper than `max_depth` ([`Error::TooDeep`]).

mod hex_text;
mod reader;
mod writer;

#[cfg(test)]
mod tests;

use bytes::Bytes;
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, Value};

use crate::error::Error;
use crate::limits::Limits;
use crate::params::{RequestFields, ResponseFields};
use crate::serializer::Serializer;

/// The name in errors and in TS-0010 topics.
const FORMAT: &str = "cbor";

/// The CBOR serializer (TS-0004 8.5): see the [module docs](self) for what it accepts.
#[derive(Debug, Clone, Default)]
pub struct CborSerializer {
    limits: Limits,
}

impl CborSerializer {
    /// A serializer with the default [`Limits`].
    pub fn new() -> Self {
        Self::default()
    }

    /// A serializer that enforces `limits` (the depth limit also applies when it encodes).
    pub fn with_limits(limits: Limits) -> Self {
        Self { limits }
    }

    /// The limits it enforces.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
}

impl Serializer for CborSerializer {
    fn name(&self) -> &'static str {
        FORMAT
    }

    fn request_media_type(&self) -> &'static str {
        "application/vnd.onem2m-preq+cbor"
    }

    fn response_media_type(&self) -> &'static str {
        "application/vnd.onem2m-prsp+cbor"
    }

    fn encode_request(&self, request: &RequestPrimitive) -> Result<Bytes, Error> {
        writer::encode(request, &self.limits)
    }

    fn decode_request(&self, bytes: &[u8]) -> Result<RequestPrimitive, Error> {
        reader::decode::<RequestFields>(bytes, &self.limits)
    }

    fn encode_response(&self, response: &ResponsePrimitive) -> Result<Bytes, Error> {
        writer::encode(response, &self.limits)
    }

    fn decode_response(&self, bytes: &[u8]) -> Result<ResponsePrimitive, Error> {
        reader::decode::<ResponseFields>(bytes, &self.limits)
    }

    fn encode_content(&self, content: &Value) -> Result<Bytes, Error> {
        writer::encode_content(content, &self.limits)
    }

    fn decode_content(&self, bytes: &[u8]) -> Result<Value, Error> {
        reader::decode_content(bytes, &self.limits)
    }
}
