//! The oneM2M HTTP binding (TS-0009 V3.9.1).
//!
//! This crate is the IO-free part: [`HttpMapping`] maps request and response
//! primitives to [`http`] messages and back, as pure functions, with the body (the
//! content alone, TS-0009 6.5) in JSON, XML or CBOR through
//! [`onem2m_serialization::Serializer::encode_content`]. A client and a server put these
//! messages on a connection; they are built on this mapping, not in it.
//!
//! ```
//! use onem2m_http_binding::{BodyFormat, HttpMapping};
//! use onem2m_primitive::{Map, RequestPrimitive, ResourceType, Value};
//!
//! let mut cnt = Map::new();
//! cnt.insert("rn", "data");
//! let pc: Map = [("m2m:cnt", Value::Map(cnt))].into_iter().collect();
//! let req = RequestPrimitive::create("cse-in/myAE", "CAE1", "r1", ResourceType::CONTAINER, pc.into());
//!
//! let mapping = HttpMapping::new();
//! let http = mapping.request_to_http(&req, BodyFormat::Json)?;
//! assert_eq!(http.method(), "POST");
//! assert_eq!(http.uri(), "/cse-in/myAE");
//! assert_eq!(http.headers()["content-type"], "application/vnd.onem2m-res+json; ty=3");
//! assert_eq!(mapping.request_from_http(&http)?.primitive, req);
//! # Ok::<(), onem2m_http_binding::Error>(())
//! ```
//!
//! The mapping table, and what is not mapped and why: `docs/http-binding.md`.

pub mod error;
pub mod mapping;

pub use error::Error;
pub use mapping::HttpMapping;
pub use mapping::media_type::{BodyFormat, ContentType};
pub use mapping::request::IncomingRequest;
