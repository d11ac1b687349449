//! What a transport hands to the MQTT layer.

use tokio::io::{AsyncRead, AsyncWrite};

/// A connected, ordered, reliable byte stream to an MQTT broker.
///
/// The MQTT driver writes whole packets, as many as are queued, and calls
/// `poll_flush` once they are written; transports that have message framing
/// (WebSocket) use the flush as the frame boundary. Reads may return any split of
/// the incoming bytes.
///
/// Every `AsyncRead + AsyncWrite + Send + Unpin` type is a `ByteStream`.
pub trait ByteStream: AsyncRead + AsyncWrite + Send + Unpin {}

impl<T: AsyncRead + AsyncWrite + Send + Unpin + ?Sized> ByteStream for T {}
