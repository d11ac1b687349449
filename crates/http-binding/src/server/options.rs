//! How an [`HttpServer`](super::HttpServer) reads requests and shuts down.

use std::time::Duration;

use onem2m_serialization::Limits;

use crate::HttpMapping;

/// How an [`HttpServer`](super::HttpServer) reads requests and shuts down.
///
/// ```
/// use std::time::Duration;
/// use onem2m_http_binding::ServerOptions;
///
/// let options = ServerOptions::default()
///     .max_body(1024 * 1024)
///     .shutdown_grace(Duration::from_secs(2));
/// assert_eq!(options.max_body_bytes(), 1024 * 1024);
/// ```
#[derive(Debug, Clone)]
pub struct ServerOptions {
    pub(crate) mapping: HttpMapping,
    pub(crate) max_body: usize,
    pub(crate) header_read_timeout: Duration,
    pub(crate) shutdown_grace: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            mapping: HttpMapping::new(),
            max_body: Limits::default().max_document,
            header_read_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

impl ServerOptions {
    /// The largest request body read (default 8 MiB, [`Limits::max_document`]); a
    /// larger one is answered with 413 and `X-M2M-RSC: 4000` without being read.
    pub fn max_body(self, bytes: usize) -> Self {
        Self {
            max_body: bytes,
            ..self
        }
    }

    /// How long a client may take to send a request's headers, and how long a
    /// keep-alive connection may sit idle before the next request (default 30 s).
    pub fn header_read_timeout(self, timeout: Duration) -> Self {
        Self {
            header_read_timeout: timeout,
            ..self
        }
    }

    /// How long [`HttpServer::shutdown`](super::HttpServer::shutdown) lets requests in
    /// flight finish before it closes their connections (default 10 s).
    pub fn shutdown_grace(self, grace: Duration) -> Self {
        Self {
            shutdown_grace: grace,
            ..self
        }
    }

    /// Maps requests and responses with `mapping` (for its serializers' [`Limits`]).
    pub fn mapping(self, mapping: HttpMapping) -> Self {
        Self { mapping, ..self }
    }

    /// The largest request body read, in bytes.
    pub fn max_body_bytes(&self) -> usize {
        self.max_body
    }
}
