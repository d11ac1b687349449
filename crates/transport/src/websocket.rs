//! MQTT over WebSocket (`ws://`, `wss://`).

use std::time::Duration;

use async_trait::async_trait;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::error::{Error as WsError, ProtocolError};
use tokio_tungstenite::tungstenite::http::HeaderValue;

use crate::broker_url::{BrokerUrl, Scheme};
use crate::{ByteStream, Error, Tcp, Tls, TlsOptions, Transport, WsByteStream};

/// The WebSocket subprotocol of MQTT 3.1.1 and 5 (MQTT-6.0.0-3/4).
const MQTT_SUBPROTOCOL: &str = "mqtt";

/// How long the HTTP upgrade may take by default.
pub const DEFAULT_UPGRADE_TIMEOUT: Duration = Duration::from_secs(10);

/// MQTT in WebSocket binary frames, over another transport: `ws://` is
/// `WebSocket<Tcp>`, `wss://` is `WebSocket<Tls<Tcp>>`.
///
/// The upgrade request asks for subprotocol `mqtt` and the connection is refused
/// if the server does not agree. The URL's scheme must match the inner
/// transport: a `wss://` URL over a cleartext transport (or `ws://` over TLS)
/// is an error, never a silent downgrade.
#[derive(Debug, Clone)]
pub struct WebSocket<T = Tcp> {
    inner: T,
    url: BrokerUrl,
    upgrade_timeout: Duration,
}

impl WebSocket<Tcp> {
    /// A `ws://` transport. A `wss://` URL is refused: use [`WebSocket::wss`].
    pub fn ws(url: &str) -> Result<Self, Error> {
        let url = BrokerUrl::parse(url)?;
        if url.scheme != Scheme::Ws {
            return Err(mismatch(
                "ws",
                &url,
                "a ws transport takes only ws:// URLs (use wss for wss://)",
            ));
        }
        let tcp = Tcp::new(url.host.clone(), url.port);
        Ok(Self::unchecked(tcp, url))
    }
}

impl WebSocket<Tls<Tcp>> {
    /// A `wss://` transport. A `ws://` URL is refused: it would send in cleartext.
    pub fn wss(url: &str, tls: &TlsOptions) -> Result<Self, Error> {
        let url = BrokerUrl::parse(url)?;
        if url.scheme != Scheme::Wss {
            return Err(mismatch(
                "wss",
                &url,
                "a wss transport takes only wss:// URLs (it never falls back to cleartext)",
            ));
        }
        let tls = Tls::new(Tcp::new(url.host.clone(), url.port), &url.host, tls)?;
        Ok(Self::unchecked(tls, url))
    }
}

impl<T: Transport> WebSocket<T> {
    /// A WebSocket over any transport (a proxy tunnel, an in-memory duplex in
    /// tests). `url` gives the request path and `Host`; its scheme must match
    /// `inner.is_secure()`.
    pub fn over(inner: T, url: &str) -> Result<Self, Error> {
        let url = BrokerUrl::parse(url)?;
        let reason = match (url.scheme, inner.is_secure()) {
            (Scheme::Ws, false) | (Scheme::Wss, true) => None,
            (Scheme::Wss, false) => Some("wss:// needs a secure (TLS) inner transport"),
            (Scheme::Ws, true) => Some("ws:// over a TLS transport: write wss://"),
            (Scheme::Mqtt | Scheme::Mqtts, _) => {
                Some("a WebSocket transport needs a ws:// or wss:// URL")
            }
        };
        match reason {
            Some(reason) => Err(mismatch("WebSocket", &url, reason)),
            None => Ok(Self::unchecked(inner, url)),
        }
    }

    fn unchecked(inner: T, url: BrokerUrl) -> Self {
        Self {
            inner,
            url,
            upgrade_timeout: DEFAULT_UPGRADE_TIMEOUT,
        }
    }

    /// Sets how long the HTTP upgrade may take (after the inner connect).
    #[must_use]
    pub fn with_upgrade_timeout(mut self, timeout: Duration) -> Self {
        self.upgrade_timeout = timeout;
        self
    }

    /// The URL this transport upgrades to.
    pub fn url(&self) -> &BrokerUrl {
        &self.url
    }

    async fn upgrade(&self, stream: Box<dyn ByteStream>) -> Result<Box<dyn ByteStream>, Error> {
        let url = self.url.to_string();
        let handshake_error = |e: WsError| match e {
            WsError::Protocol(ProtocolError::SecWebSocketSubProtocolError(_)) => {
                Error::WebSocketSubprotocol {
                    url: url.clone(),
                    answered: None,
                }
            }
            other => Error::WebSocketHandshake {
                url: url.clone(),
                source: Box::new(other),
            },
        };
        let mut request = url
            .as_str()
            .into_client_request()
            .map_err(handshake_error)?;
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static(MQTT_SUBPROTOCOL),
        );
        let (ws, response) = tokio_tungstenite::client_async(request, stream)
            .await
            .map_err(handshake_error)?;
        // tungstenite already refuses a missing or unrequested protocol; checking
        // here too keeps the guarantee independent of its version.
        let answered = response.headers().get("Sec-WebSocket-Protocol");
        if answered.map(HeaderValue::as_bytes) != Some(MQTT_SUBPROTOCOL.as_bytes()) {
            return Err(Error::WebSocketSubprotocol {
                url,
                answered: answered.map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
            });
        }
        Ok(Box::new(WsByteStream::new(ws)))
    }
}

#[async_trait]
impl<T: Transport> Transport for WebSocket<T> {
    async fn connect(&self) -> Result<Box<dyn ByteStream>, Error> {
        let stream = self.inner.connect().await?;
        tokio::time::timeout(self.upgrade_timeout, self.upgrade(stream))
            .await
            .map_err(|_| Error::Timeout {
                step: "WebSocket handshake",
                addr: self.url.to_string(),
                after: self.upgrade_timeout,
            })?
    }

    fn is_secure(&self) -> bool {
        self.inner.is_secure()
    }

    fn describe(&self) -> String {
        format!("websocket {} over {}", self.url, self.inner.describe())
    }
}

fn mismatch(transport: &'static str, url: &BrokerUrl, reason: &'static str) -> Error {
    Error::SchemeMismatch {
        transport,
        url: url.to_string(),
        reason,
    }
}
