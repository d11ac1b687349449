//! The TS-0009 mapping: pure functions between primitives and `http` messages.
//!
//! [`HttpMapping`] holds the serializers of the body (the content alone, TS-0009 6.5)
//! and the limits they enforce; its methods map a request primitive to an HTTP request
//! and back ([`HttpMapping::request_to_http`], [`HttpMapping::request_from_http`]) and a
//! response primitive to an HTTP response and back ([`HttpMapping::response_to_http`],
//! [`HttpMapping::response_from_http`]). Each rule lives in the module named after
//! what it maps.

pub mod filter_criteria;
pub mod headers;
pub mod media_type;
mod percent;
mod query;
pub mod request;
pub mod response;
pub mod status;
pub mod target;

use bytes::Bytes;
use http::header::HeaderMap;
use onem2m_primitive::Value;
use onem2m_serialization::params::Param;
use onem2m_serialization::{CborSerializer, JsonSerializer, Limits, Serializer, XmlSerializer};

use self::media_type::{BodyFormat, ContentType};
use crate::error::Error;

/// Maps primitives to HTTP messages and back, with the body in JSON, XML or CBOR.
#[derive(Debug, Clone, Default)]
pub struct HttpMapping {
    json: JsonSerializer,
    xml: XmlSerializer,
    cbor: CborSerializer,
}

impl HttpMapping {
    /// A mapping whose body serializers use the default [`Limits`].
    pub fn new() -> Self {
        Self::default()
    }

    /// A mapping whose body serializers enforce `limits` (a body is as large and as deep
    /// as the content of a whole primitive may be).
    pub fn with_limits(limits: Limits) -> Self {
        Self {
            json: JsonSerializer::with_limits(limits),
            xml: XmlSerializer::with_limits(limits),
            cbor: CborSerializer::with_limits(limits),
        }
    }

    /// The serializer of a body in `format`.
    pub fn serializer(&self, format: BodyFormat) -> &dyn Serializer {
        match format {
            BodyFormat::Json => &self.json,
            BodyFormat::Xml => &self.xml,
            BodyFormat::Cbor => &self.cbor,
        }
    }
}

impl HttpMapping {
    /// The body for content `pc` in `format` (empty without content).
    fn write_body(&self, pc: Option<&Value>, format: BodyFormat) -> Result<Bytes, Error> {
        match pc {
            Some(pc) => self
                .serializer(format)
                .encode_content(pc)
                .map_err(Error::Body),
            None => Ok(Bytes::new()),
        }
    }

    /// The content of a body whose media type is `content_type` (TS-0009 6.4.3: a body
    /// needs one, else 4015).
    fn read_body(
        &self,
        body: &[u8],
        content_type: Option<ContentType>,
    ) -> Result<Option<Value>, Error> {
        if body.is_empty() {
            return Ok(None);
        }
        let Some(content_type) = content_type else {
            return Err(Error::UnsupportedMediaType(
                "a body without Content-Type".to_owned(),
            ));
        };
        self.serializer(content_type.format)
            .decode_content(body)
            .map(Some)
            .map_err(Error::Body)
    }
}

/// The `Content-Type` of a message, if it has a non-empty one.
fn content_type(headers: &HeaderMap) -> Result<Option<ContentType>, Error> {
    headers::get(headers, headers::CONTENT_TYPE)?
        .filter(|text| !text.is_empty())
        .map(ContentType::parse)
        .transpose()
}

/// The text of a parameter carried in a header or a query field: strings as they are,
/// numbers in decimal, booleans as `true` / `false`.
fn param_text(param: &Param<'_>) -> Option<String> {
    match param {
        Param::Str(text) => Some(text.to_string()),
        Param::Int(i) => Some(i.to_string()),
        Param::Bool(b) => Some(b.to_string()),
        Param::StrList(_) | Param::Tree(_) => None,
    }
}
