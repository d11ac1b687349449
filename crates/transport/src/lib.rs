//! Transports for onem2m-mqtt: how the MQTT client reaches its broker.
//!
//! This crate is the bottom layer of the stack. A [`Transport`] opens a
//! connection and returns a [`ByteStream`] on which the MQTT layer reads and
//! writes packets; it knows nothing about MQTT itself. The async driver calls
//! `connect` again on every reconnect. Implementations:
//!
//! - [`Tcp`]: plain TCP, TCP_NODELAY always on;
//! - [`Tls`]: rustls (crypto provider `ring`, chosen explicitly) over any inner
//!   transport, with a custom CA, mutual TLS, and certificate checks off only
//!   behind [`TlsOptions::danger_accept_invalid_certs`];
//! - [`WebSocket`]: `ws://` and `wss://`, subprotocol `mqtt`, binary frames, one
//!   frame per flush out (one or more whole packets) and any framing in
//!   ([`WsByteStream`]);
//! - [`Duplex`]: in memory, for tests.
//!
//! [`transport_for_url`] picks one from a broker URL. To carry MQTT over
//! something else, implement [`Transport`].
//!
//! ```no_run
//! use onem2m_transport::{transport_for_url, TlsOptions};
//! use tokio::io::AsyncWriteExt;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let tls = TlsOptions::new().ca_file("ca.pem");
//! let transport = transport_for_url("mqtts://broker.example:8883", &tls)?;
//! let mut stream = transport.connect().await?;
//! stream.write_all(&[0xc0, 0x00]).await?; // an MQTT PINGREQ
//! stream.flush().await?;
//! # Ok(())
//! # }
//! ```

mod broker_url;
mod byte_stream;
mod client_config;
mod danger;
mod duplex;
mod error;
mod pem_file;
mod tcp;
mod tls;
mod tls_options;
mod transport;
mod transport_for_url;
mod websocket;
mod ws_stream;

pub use broker_url::{BrokerUrl, DEFAULT_WEBSOCKET_PATH, Scheme};
pub use byte_stream::ByteStream;
pub use duplex::{DEFAULT_DUPLEX_BUFFER, Duplex, DuplexListener};
pub use error::Error;
pub use tcp::{DEFAULT_CONNECT_TIMEOUT, Tcp};
pub use tls::Tls;
pub use tls_options::{DEFAULT_HANDSHAKE_TIMEOUT, TlsOptions};
pub use transport::Transport;
pub use transport_for_url::transport_for_url;
pub use websocket::{DEFAULT_UPGRADE_TIMEOUT, WebSocket};
pub use ws_stream::WsByteStream;

/// The rustls and tungstenite versions this crate is built on, for callers that
/// pass a ready `rustls::ClientConfig` or wrap their own WebSocket stream.
pub use tokio_rustls::rustls;
pub use tokio_tungstenite;
