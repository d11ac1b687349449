//! The `Serializer` trait: the layer that turns primitives into payload bytes and back.

use bytes::Bytes;
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive};

use crate::error::Error;

/// Encodes and decodes whole request and response primitives in one wire format.
///
/// Implement it to add a serialization; the binding picks an implementation by
/// [`Serializer::name`], which is also the `<type>` level of a TS-0010 topic.
/// Implementations encode strictly (what TS-0004 prescribes) and decode leniently (the
/// peer quirks documented on each implementation).
pub trait Serializer: Send + Sync + 'static {
    /// The serialization's name: `xml`, `json`, `cbor`, or a custom one.
    fn name(&self) -> &'static str;

    /// The media type of a request primitive (`application/vnd.onem2m-preq+json`, ...).
    fn request_media_type(&self) -> &'static str;

    /// The media type of a response primitive (`application/vnd.onem2m-prsp+json`, ...).
    fn response_media_type(&self) -> &'static str;

    /// Encodes a request primitive.
    fn encode_request(&self, request: &RequestPrimitive) -> Result<Bytes, Error>;

    /// Decodes a request primitive.
    fn decode_request(&self, bytes: &[u8]) -> Result<RequestPrimitive, Error>;

    /// Encodes a response primitive.
    fn encode_response(&self, response: &ResponsePrimitive) -> Result<Bytes, Error>;

    /// Decodes a response primitive.
    fn decode_response(&self, bytes: &[u8]) -> Result<ResponsePrimitive, Error>;
}
