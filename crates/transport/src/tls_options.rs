//! What a TLS connection trusts and presents.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio_rustls::rustls::ClientConfig;

/// How long a TLS handshake may take by default.
pub const DEFAULT_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// TLS settings for `mqtts://` and `wss://` (by-value setters).
///
/// With no CA file the server is checked against the Mozilla root set compiled
/// into the binary (`webpki-roots`), so a broker with a public certificate works
/// the same on every machine and in minimal containers without `/etc/ssl`. A
/// broker with a private or self-signed CA needs [`ca_file`](Self::ca_file),
/// which then replaces the built-in roots.
///
/// ```
/// use onem2m_transport::TlsOptions;
///
/// let mutual = TlsOptions::new()
///     .ca_file("certs/ca.pem")
///     .client_auth("certs/client.pem", "certs/client.key");
/// # let _ = mutual;
/// ```
#[derive(Debug, Clone)]
pub struct TlsOptions {
    pub(crate) ca_file: Option<PathBuf>,
    pub(crate) client_auth: Option<(PathBuf, PathBuf)>,
    pub(crate) server_name: Option<String>,
    pub(crate) danger_accept_invalid_certs: bool,
    pub(crate) client_config: Option<Arc<ClientConfig>>,
    pub(crate) handshake_timeout: Duration,
}

impl Default for TlsOptions {
    fn default() -> Self {
        Self {
            ca_file: None,
            client_auth: None,
            server_name: None,
            danger_accept_invalid_certs: false,
            client_config: None,
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
        }
    }
}

impl TlsOptions {
    /// Verifies the server against the built-in Mozilla roots, presents no client
    /// certificate, and takes the server name from the URL's host.
    pub fn new() -> Self {
        Self::default()
    }

    /// Trusts only the CA certificates in this PEM file (all `CERTIFICATE` items
    /// in it), instead of the built-in roots.
    #[must_use]
    pub fn ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_file = Some(path.into());
        self
    }

    /// Presents a client certificate for mutual TLS: a PEM file with the
    /// certificate chain (leaf first) and a PEM file with its private key
    /// (PKCS#8, PKCS#1 or SEC1).
    #[must_use]
    pub fn client_auth(
        mut self,
        cert_file: impl Into<PathBuf>,
        key_file: impl Into<PathBuf>,
    ) -> Self {
        self.client_auth = Some((cert_file.into(), key_file.into()));
        self
    }

    /// Checks the server certificate against this name (and sends it as SNI)
    /// instead of the URL's host, e.g. when connecting by IP address to a broker
    /// whose certificate names only its DNS name.
    #[must_use]
    pub fn server_name(mut self, name: impl Into<String>) -> Self {
        self.server_name = Some(name.into());
        self
    }

    /// **Dangerous**: accepts any server certificate, expired, self-signed or for
    /// another host. The connection is still encrypted but anyone on the path can
    /// impersonate the broker. For throwaway test setups only; prefer
    /// [`ca_file`](Self::ca_file) with the test CA.
    #[must_use]
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.danger_accept_invalid_certs = accept;
        self
    }

    /// Uses a ready rustls configuration (custom verifier, ALPN, session cache,
    /// another crypto provider); the CA, client certificate and dangerous options
    /// are then ignored. The server name still comes from the URL or
    /// [`server_name`](Self::server_name).
    #[must_use]
    pub fn client_config(mut self, config: Arc<ClientConfig>) -> Self {
        self.client_config = Some(config);
        self
    }

    /// Sets how long the TLS handshake may take (after the TCP connect).
    #[must_use]
    pub fn handshake_timeout(mut self, timeout: Duration) -> Self {
        self.handshake_timeout = timeout;
        self
    }
}
