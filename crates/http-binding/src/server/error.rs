//! Why an [`HttpServer`](super::HttpServer) could not start.

use std::net::SocketAddr;

/// Why an [`HttpServer`](super::HttpServer) could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The listener has no local address.
    #[error("the listener has no local address: {0}")]
    LocalAddr(#[source] std::io::Error),
    /// Not called inside a Tokio runtime, which runs the server's tasks.
    #[error("an HTTP server needs a Tokio runtime: {0}")]
    NoRuntime(String),
}
