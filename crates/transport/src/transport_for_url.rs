//! Picking the transport from a broker URL.

use crate::broker_url::{BrokerUrl, Scheme};
use crate::{Error, Tcp, Tls, TlsOptions, Transport, WebSocket};

/// The transport a broker URL asks for:
///
/// | URL | transport |
/// |---|---|
/// | `mqtt://host[:1883]` | [`Tcp`] |
/// | `mqtts://host[:8883]` | [`Tls`]`<Tcp>` |
/// | `ws://host[:80][/path]` | [`WebSocket`]`<Tcp>`, path `/mqtt` by default |
/// | `wss://host[:443][/path]` | [`WebSocket`]`<Tls<Tcp>>` |
///
/// `tls` applies to `mqtts` and `wss` and is read now, so a bad certificate file
/// is reported here. An unknown scheme is an error that names it.
///
/// ```
/// use onem2m_transport::{transport_for_url, TlsOptions};
///
/// let t = transport_for_url("mqtts://broker.example", &TlsOptions::new())?;
/// assert_eq!(t.describe(), "tls(broker.example) over tcp broker.example:8883");
/// assert!(transport_for_url("http://broker.example", &TlsOptions::new()).is_err());
/// # Ok::<(), onem2m_transport::Error>(())
/// ```
pub fn transport_for_url(url: &str, tls: &TlsOptions) -> Result<Box<dyn Transport>, Error> {
    let parsed = BrokerUrl::parse(url)?;
    let tcp = Tcp::new(parsed.host.clone(), parsed.port);
    Ok(match parsed.scheme {
        Scheme::Mqtt => Box::new(tcp),
        Scheme::Mqtts => Box::new(Tls::new(tcp, &parsed.host, tls)?),
        Scheme::Ws => Box::new(WebSocket::ws(url)?),
        Scheme::Wss => Box::new(WebSocket::wss(url, tls)?),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn describe(url: &str) -> String {
        transport_for_url(url, &TlsOptions::new())
            .unwrap()
            .describe()
    }

    #[test]
    fn scheme_picks_the_transport() {
        assert_eq!(describe("mqtt://h"), "tcp h:1883");
        assert_eq!(describe("mqtts://h:1"), "tls(h) over tcp h:1");
        assert_eq!(
            describe("ws://h:9001"),
            "websocket ws://h:9001/mqtt over tcp h:9001"
        );
        assert_eq!(
            describe("wss://h/x"),
            "websocket wss://h:443/x over tls(h) over tcp h:443"
        );
    }

    #[test]
    fn secure_schemes_give_secure_transports() {
        for (url, secure) in [
            ("mqtt://h", false),
            ("mqtts://h", true),
            ("ws://h", false),
            ("wss://h", true),
        ] {
            assert_eq!(
                transport_for_url(url, &TlsOptions::new())
                    .unwrap()
                    .is_secure(),
                secure,
                "{url}"
            );
        }
    }

    #[test]
    fn unknown_scheme_is_an_error_naming_it() {
        let err = transport_for_url("quic://h", &TlsOptions::new())
            .err()
            .unwrap();
        assert!(err.to_string().contains("\"quic\""), "{err}");
    }

    #[test]
    fn tls_files_are_read_when_the_transport_is_made() {
        let err = transport_for_url("wss://h", &TlsOptions::new().ca_file("/nonexistent/ca.pem"))
            .err()
            .unwrap();
        assert!(matches!(err, Error::ReadFile { .. }), "{err}");
        // Plain schemes ignore TLS options.
        transport_for_url(
            "mqtt://h",
            &TlsOptions::new().ca_file("/nonexistent/ca.pem"),
        )
        .unwrap();
    }
}
