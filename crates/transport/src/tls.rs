//! TLS over any inner transport, with rustls.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{self, AlertDescription, CertificateError, ClientConfig};

use crate::{ByteStream, Error, Tcp, TlsOptions, Transport};

/// TLS over another transport: `mqtts://` is `Tls<Tcp>`, and `wss://` puts a
/// WebSocket on top of it.
///
/// The rustls configuration is built once, when the transport is made, so a
/// missing or broken certificate file is reported then and not on every
/// reconnect.
#[derive(Debug, Clone)]
pub struct Tls<T = Tcp> {
    inner: T,
    server_name: ServerName<'static>,
    config: Arc<ClientConfig>,
    handshake_timeout: Duration,
}

impl<T: Transport> Tls<T> {
    /// TLS over `inner`, verifying the server as `host` (the URL's host, unless
    /// [`TlsOptions::server_name`] overrides it).
    pub fn new(inner: T, host: &str, options: &TlsOptions) -> Result<Self, Error> {
        let name = options.server_name.as_deref().unwrap_or(host);
        let server_name = ServerName::try_from(name.to_owned())
            .map_err(|_| Error::InvalidServerName(name.to_owned()))?;
        Ok(Self {
            inner,
            server_name,
            config: options.build_client_config()?,
            handshake_timeout: options.handshake_timeout,
        })
    }

    /// The transport under the TLS layer.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    fn server(&self) -> String {
        self.server_name.to_str().into_owned()
    }
}

#[async_trait]
impl<T: Transport> Transport for Tls<T> {
    async fn connect(&self) -> Result<Box<dyn ByteStream>, Error> {
        let stream = self.inner.connect().await?;
        let handshake =
            TlsConnector::from(Arc::clone(&self.config)).connect(self.server_name.clone(), stream);
        match tokio::time::timeout(self.handshake_timeout, handshake).await {
            Ok(Ok(tls)) => Ok(Box::new(tls)),
            Ok(Err(e)) => Err(handshake_error(self.server(), e)),
            Err(_) => Err(Error::Timeout {
                step: "TLS handshake",
                addr: self.server(),
                after: self.handshake_timeout,
            }),
        }
    }

    fn is_secure(&self) -> bool {
        true
    }

    fn describe(&self) -> String {
        format!("tls({}) over {}", self.server(), self.inner.describe())
    }
}

/// tokio-rustls reports rustls' reason inside an `io::Error`; take it out so
/// that the message says "invalid peer certificate: UnknownIssuer" and not just
/// "invalid data".
fn handshake_error(server: String, e: io::Error) -> Error {
    match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        Some(tls) => Error::TlsHandshake {
            server,
            hint: hint(tls),
            source: tls.clone(),
        },
        None => Error::TlsIo { server, source: e },
    }
}

fn hint(e: &rustls::Error) -> &'static str {
    match e {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            " (the server's certificate does not chain to a trusted CA: pass the broker's CA with TlsOptions::ca_file)"
        }
        rustls::Error::InvalidCertificate(CertificateError::BadSignature) => {
            " (the certificate's signature does not verify: is the CA file from another CA with the same name?)"
        }
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => {
            " (the certificate does not name this host: connect by a name it holds or set TlsOptions::server_name)"
        }
        rustls::Error::InvalidCertificate(
            CertificateError::Expired | CertificateError::ExpiredContext { .. },
        ) => " (the server's certificate has expired)",
        rustls::Error::AlertReceived(AlertDescription::CertificateRequired) => {
            " (the server requires a client certificate: TlsOptions::client_auth)"
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn server_name_defaults_to_the_host_and_can_be_overridden() {
        let tls = Tls::new(Tcp::new("127.0.0.1", 8883), "127.0.0.1", &TlsOptions::new()).unwrap();
        assert_eq!(tls.describe(), "tls(127.0.0.1) over tcp 127.0.0.1:8883");
        assert!(tls.is_secure());
        let named = Tls::new(
            Tcp::new("127.0.0.1", 8883),
            "127.0.0.1",
            &TlsOptions::new().server_name("broker.example"),
        )
        .unwrap();
        assert_eq!(named.server(), "broker.example");
    }

    #[test]
    fn invalid_server_name_is_an_error() {
        let err = Tls::new(Tcp::new("x", 1), "bad name!", &TlsOptions::new()).unwrap_err();
        assert!(matches!(err, Error::InvalidServerName(_)), "{err}");
    }
}
