//! Serializers for oneM2M primitives: XML, JSON and CBOR (TS-0004 clause 8).
//!
//! This layer turns a [`RequestPrimitive`](onem2m_primitive::RequestPrimitive) or
//! [`ResponsePrimitive`](onem2m_primitive::ResponsePrimitive) into payload bytes and back.
//! It does no IO. The binding picks a [`Serializer`] by name (`xml`, `json`, `cbor`: the
//! `<type>` level of a TS-0010 topic). To add a format, implement [`Serializer`]; the
//! [`params`] module gives the parameter walk and the lenient parameter collectors that
//! the built-in formats share.
//!
//! Each built-in format is a cargo feature, all on by default: `xml`, `json`, `cbor`.

pub mod error;
pub mod limits;
#[cfg(any(feature = "json", feature = "cbor"))]
mod map_format;
pub mod params;
pub mod serializer;

pub use error::Error;
pub use limits::Limits;
pub use serializer::Serializer;

#[cfg(feature = "cbor")]
pub mod cbor;
#[cfg(feature = "json")]
pub mod json;
#[cfg(feature = "xml")]
pub mod xml;

#[cfg(feature = "cbor")]
pub use cbor::CborSerializer;
#[cfg(feature = "json")]
pub use json::JsonSerializer;
#[cfg(feature = "xml")]
pub use xml::XmlSerializer;
