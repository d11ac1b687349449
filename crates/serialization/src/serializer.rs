//! The `Serializer` trait: the layer that turns primitives into payload bytes and back.

use bytes::Bytes;
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, Value};

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

    /// Encodes content alone: the value of a primitive's `pc`, as bindings that carry the
    /// other parameters outside the payload need it (the body of a TS-0009 HTTP message:
    /// `{"m2m:ae": {...}}` in JSON, `<m2m:ae ...>` in XML).
    ///
    /// The default refuses with [`Error::ContentNotSupported`], so a serializer written
    /// for whole primitives keeps compiling and works with every binding that needs no
    /// more.
    fn encode_content(&self, content: &Value) -> Result<Bytes, Error> {
        let _ = content;
        Err(Error::ContentNotSupported {
            serializer: self.name(),
        })
    }

    /// Decodes content alone (see [`Serializer::encode_content`]), under the same limits
    /// as a whole primitive's `pc`.
    fn decode_content(&self, bytes: &[u8]) -> Result<Value, Error> {
        let _ = bytes;
        Err(Error::ContentNotSupported {
            serializer: self.name(),
        })
    }
}
