//! The JSON serialization of TS-0004 8.4, on serde_json.
//!
//! A primitive is one plain JSON object of short names:
//! `{"op":1,"to":"cse-in","fr":"CAE1","rqi":"r1","rvi":"3","ty":2,"pc":{"m2m:ae":{...}}}`.
//! Enumerations, counters and relative times are numbers; IDs, timestamps and `rvi` are
//! strings; lists are arrays; `pc` keeps the keys of the [`Value`]
//! tree. The encoder never wraps the object in `m2m:rqp` / `m2m:rsp`.
//!
//! # What the decoder accepts besides that
//! - An object whose only member is `m2m:rqp` (`m2m:rsp` for a response): unwrapped, as
//!   Mobius and nCube-Thyme do.
//! - Numbers as strings (`"op":"1"`), integers where strings are expected, and unknown
//!   members: see [`crate::params`].
//!
//! # What it refuses
//! - Anything larger, deeper or with more members than the [`Limits`] allow (the document
//!   size is checked before parsing). A `max_depth` above 126 acts as 126: serde_json
//!   stops there, and CBOR keeps the same cap.
//! - A repeated member name in any object: [`Error::Syntax`] (peers disagree on which
//!   copy wins, so accepting either would let two entities read different content).
//! - Malformed JSON, invalid UTF-8 and bytes after the object: [`Error::Syntax`], with
//!   serde_json's line and column. A top level that is not an object:
//!   [`Error::NotAPrimitive`].
//! - An integer between 2^63 and 2^64: [`Error::Syntax`]. Integers beyond that are parsed
//!   by serde_json as floats; a parameter that must be an integer then refuses them.
//!
//! Content alone ([`Serializer::encode_content`], the body of a TS-0009 HTTP message) is
//! the `pc` value by itself, any JSON value, read and written by the same code and
//! under the same limits as inside a primitive.
//!
//! The encoder refuses NaN and infinities ([`Error::Unencodable`]) and content nested
//! deeper than `max_depth` ([`Error::TooDeep`]).

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
const FORMAT: &str = "json";

/// The JSON serializer (TS-0004 8.4): see the [module docs](self) for what it accepts.
#[derive(Debug, Clone, Default)]
pub struct JsonSerializer {
    limits: Limits,
}

impl JsonSerializer {
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

impl Serializer for JsonSerializer {
    fn name(&self) -> &'static str {
        FORMAT
    }

    fn request_media_type(&self) -> &'static str {
        "application/vnd.onem2m-preq+json"
    }

    fn response_media_type(&self) -> &'static str {
        "application/vnd.onem2m-prsp+json"
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
