//! The oneM2M HTTP binding (TS-0009 V3.9.1).
//!
//! [`HttpMapping`] maps request and response primitives to [`http`] messages and back,
//! as pure functions, with the body (the content alone, TS-0009 6.5) in JSON, XML or
//! CBOR through [`onem2m_serialization::Serializer::encode_content`]. It does no IO and
//! is all there is with `default-features = false`.
//!
//! On top of it, over HTTP/1.1 with hyper (plain `http`, no TLS):
//! - `HttpOriginator` (cargo feature `client`, on by default) sends request primitives
//!   on pooled keep-alive connections and returns the response primitives; it is also a
//!   `tower::Service<RequestPrimitive>`;
//! - `HttpServer` (cargo feature `server`, on by default) receives requests and answers
//!   them with an `HttpHandler`: a closure, or a tower service in `ServiceHandler`.
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

#[cfg(any(feature = "client", feature = "server"))]
mod body;
#[cfg(feature = "client")]
pub mod client;
pub mod error;
pub mod mapping;
#[cfg(feature = "server")]
pub mod server;

#[cfg(feature = "client")]
pub use client::{ClientError, HttpOriginator};
pub use error::Error;
pub use mapping::HttpMapping;
pub use mapping::media_type::{BodyFormat, ContentType};
pub use mapping::request::IncomingRequest;
#[cfg(feature = "server")]
pub use server::{HttpHandler, HttpServer, ServerError, ServerOptions, ServiceHandler};
