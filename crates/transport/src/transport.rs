//! The transport trait: how the MQTT driver gets a byte stream to the broker.

use std::sync::Arc;

use async_trait::async_trait;

use crate::{ByteStream, Error};

/// Opens connections to an MQTT broker.
///
/// The driver calls [`connect`](Transport::connect) for the first connection and
/// again on every reconnect, so a transport holds only configuration and opens a
/// fresh stream each time. Implement this trait to carry MQTT over something this
/// crate does not have (a Unix socket, QUIC, a serial line).
///
/// The trait is object safe: the builder stores a `Box<dyn Transport>`.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Opens a new connection, with every handshake of this transport done (TCP,
    /// TLS, WebSocket upgrade), ready for the MQTT CONNECT packet.
    ///
    /// Cancel safety: dropping the future abandons the half-open connection; no
    /// state is kept, so calling `connect` again is fine.
    async fn connect(&self) -> Result<Box<dyn ByteStream>, Error>;

    /// Whether the stream is encrypted and the server authenticated (TLS).
    ///
    /// Layers above use it to refuse cleartext where it matters, e.g. a `wss://`
    /// URL over a transport that is not secure.
    fn is_secure(&self) -> bool {
        false
    }

    /// A short human-readable description of where this transport connects, for
    /// logs and error messages (e.g. `tls(localhost) over tcp 127.0.0.1:8883`).
    fn describe(&self) -> String;
}

#[async_trait]
impl<T: Transport + ?Sized> Transport for Box<T> {
    async fn connect(&self) -> Result<Box<dyn ByteStream>, Error> {
        (**self).connect().await
    }

    fn is_secure(&self) -> bool {
        (**self).is_secure()
    }

    fn describe(&self) -> String {
        (**self).describe()
    }
}

#[async_trait]
impl<T: Transport + ?Sized> Transport for Arc<T> {
    async fn connect(&self) -> Result<Box<dyn ByteStream>, Error> {
        (**self).connect().await
    }

    fn is_secure(&self) -> bool {
        (**self).is_secure()
    }

    fn describe(&self) -> String {
        (**self).describe()
    }
}
