//! The one error type of the transport crate.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use tokio_rustls::rustls;

/// Why a transport could not be built or could not connect.
///
/// Every variant names what it was doing and with which address, URL or file, so
/// that the message alone tells a user what to fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The broker URL could not be parsed.
    #[error("invalid broker URL {url:?}: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// The URL's scheme names no transport this crate has.
    #[error("unsupported URL scheme {scheme:?} in {url:?} (expected mqtt, mqtts, ws or wss)")]
    UnsupportedScheme {
        /// The scheme found.
        scheme: String,
        /// The URL as given.
        url: String,
    },

    /// A transport was given a URL of the other security level, such as a `wss`
    /// transport with a `ws://` URL. This is an error so that a secure transport
    /// never falls back to cleartext silently.
    #[error("{transport} transport cannot use URL {url:?}: {reason}")]
    SchemeMismatch {
        /// The transport that was asked for.
        transport: &'static str,
        /// The URL it was given.
        url: String,
        /// What does not match.
        reason: &'static str,
    },

    /// Resolving or connecting a TCP socket failed.
    #[error("cannot connect to {addr}: {source}")]
    Connect {
        /// The `host:port` connected to.
        addr: String,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },

    /// A connect or handshake step did not finish in time.
    #[error("{step} with {addr} timed out after {after:?}")]
    Timeout {
        /// The step that timed out (TCP connect, TLS handshake, WebSocket handshake).
        step: &'static str,
        /// The peer.
        addr: String,
        /// The limit that was reached.
        after: Duration,
    },

    /// A certificate, key or CA file could not be read.
    #[error("cannot read {what} file {}: {source}", path.display())]
    ReadFile {
        /// Which file this was (CA, client certificate, client key).
        what: &'static str,
        /// Its path.
        path: PathBuf,
        /// The operating system's error (e.g. "No such file or directory").
        #[source]
        source: io::Error,
    },

    /// A certificate, key or CA file was read but holds no usable PEM item.
    #[error("{what} file {} holds no usable PEM {expected}: {reason}", path.display())]
    BadPem {
        /// Which file this was.
        what: &'static str,
        /// Its path.
        path: PathBuf,
        /// The PEM section that was looked for.
        expected: &'static str,
        /// What the PEM parser or rustls said.
        reason: String,
    },

    /// The TLS configuration was rejected by rustls (for example a client key that
    /// does not match the client certificate).
    #[error("invalid TLS configuration: {0}")]
    TlsConfig(#[source] rustls::Error),

    /// The name to verify the server certificate against is neither a DNS name nor
    /// an IP address.
    #[error("invalid TLS server name {0:?}")]
    InvalidServerName(String),

    /// The TLS handshake failed; `source` is rustls' own reason, such as
    /// `invalid peer certificate: UnknownIssuer`.
    #[error("TLS handshake with {server} failed: {source}{hint}")]
    TlsHandshake {
        /// The server name the certificate was checked against.
        server: String,
        /// rustls' reason.
        #[source]
        source: rustls::Error,
        /// A sentence on the usual fix, or empty.
        hint: &'static str,
    },

    /// The connection broke during the TLS handshake without a TLS-level reason
    /// (for example the server closed it).
    #[error("TLS handshake with {server} failed: {source}")]
    TlsIo {
        /// The server name.
        server: String,
        /// The IO error.
        #[source]
        source: io::Error,
    },

    /// The WebSocket upgrade failed (HTTP status, bad headers, connection lost).
    #[error("WebSocket handshake with {url} failed: {source}")]
    WebSocketHandshake {
        /// The WebSocket URL.
        url: String,
        /// tungstenite's reason (boxed: it can hold a whole HTTP response).
        #[source]
        source: Box<tokio_tungstenite::tungstenite::Error>,
    },

    /// The server completed the WebSocket upgrade without agreeing to the `mqtt`
    /// subprotocol, so it may not be an MQTT endpoint at all.
    #[error(
        "WebSocket server at {url} did not accept subprotocol \"mqtt\" (it answered {answered:?})"
    )]
    WebSocketSubprotocol {
        /// The WebSocket URL.
        url: String,
        /// The `Sec-WebSocket-Protocol` the server answered, if any.
        answered: Option<String>,
    },

    /// The test side of an in-memory [`Duplex`](crate::Duplex) transport is gone.
    #[error("in-memory duplex transport: the listening side was dropped")]
    DuplexClosed,
}
