//! A running gateway, and the builder that assembles one.

use std::net::SocketAddr;

use onem2m_binding::{Binding, BindingBuilder};
use onem2m_http_binding::{HttpOriginator, HttpServer};
use tokio::net::TcpListener;
use tracing::info;

use crate::error::Error;
use crate::http_to_mqtt::ForwardToMqtt;
use crate::mqtt_to_http::ForwardToHttp;
use crate::poa::PoaRewriter;

/// Assembles a [`Gateway`]: the MQTT side is a CSE's binding (any
/// [`BindingBuilder`]: broker URL, TLS, topic scheme, shared subscription, session),
/// the HTTP side a client of the CSE and an endpoint for the CSE's requests.
#[derive(Debug)]
pub struct GatewayBuilder {
    mqtt: BindingBuilder,
    cse_id: Option<String>,
    cse_url: Option<String>,
    listen: SocketAddr,
    public_url: Option<String>,
}

impl Default for GatewayBuilder {
    fn default() -> Self {
        Self {
            mqtt: Binding::builder(),
            cse_id: None,
            cse_url: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_url: None,
        }
    }
}

impl GatewayBuilder {
    /// The MQTT side: a builder with the broker and anything else set, except the
    /// entity and the handler, which the gateway sets.
    pub fn mqtt(mut self, builder: BindingBuilder) -> Self {
        self.mqtt = builder;
        self
    }

    /// The CSE-ID of the CSE behind the gateway (`/id-in`): its MQTT identity.
    pub fn cse_id(mut self, cse_id: impl Into<String>) -> Self {
        self.cse_id = Some(cse_id.into());
        self
    }

    /// The CSE's HTTP base URL (`http://127.0.0.1:8080`).
    pub fn cse_url(mut self, url: impl Into<String>) -> Self {
        self.cse_url = Some(url.into());
        self
    }

    /// Where the endpoint for the CSE's requests listens (default `127.0.0.1:0`, a
    /// free port).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// The endpoint's URL as the CSE reaches it, written into AEs' `poa` (default
    /// `http://<listen address>`): set it when the CSE reaches the gateway through a
    /// proxy or another address.
    pub fn public_url(mut self, url: impl Into<String>) -> Self {
        self.public_url = Some(url.into());
        self
    }

    /// Opens the endpoint, connects to the broker and serves both directions.
    pub async fn start(self) -> Result<Gateway, Error> {
        let cse_id = self
            .cse_id
            .ok_or_else(|| Error::Config("no CSE-ID (cse_id)".into()))?;
        let cse_url = self
            .cse_url
            .ok_or_else(|| Error::Config("no CSE URL (cse_url)".into()))?;
        let cse = HttpOriginator::new(&cse_url)?;
        let listener = TcpListener::bind(self.listen)
            .await
            .map_err(|e| Error::Endpoint(format!("cannot listen on {}: {e}", self.listen)))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::Endpoint(e.to_string()))?;
        let endpoint = self.public_url.unwrap_or_else(|| format!("http://{local}"));
        let rewriter = PoaRewriter::new(endpoint);
        let binding = self
            .mqtt
            .cse_id(cse_id.clone())
            .handler(ForwardToHttp::new(cse, rewriter.clone()))
            .build()
            .await?;
        let server = HttpServer::from_listener(listener, ForwardToMqtt::new(binding.originator()))
            .map_err(|e| Error::Endpoint(e.to_string()))?;
        info!(%cse_id, cse = %cse_url, endpoint = rewriter.endpoint(), client_id = %binding.client_id(), "gateway started");
        Ok(Gateway {
            binding,
            server,
            rewriter,
        })
    }
}

/// A running gateway between MQTT and a CSE reached over HTTP.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use onem2m_binding::Binding;
/// use onem2m_gateway::Gateway;
///
/// let gateway = Gateway::builder()
///     .mqtt(Binding::builder().url("mqtt://127.0.0.1:1883")?)
///     .cse_id("/id-in")
///     .cse_url("http://127.0.0.1:8080")
///     .start()
///     .await?;
/// println!("the CSE reaches AEs through {}", gateway.endpoint());
/// gateway.shutdown().await;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Gateway {
    binding: Binding,
    server: HttpServer,
    rewriter: PoaRewriter,
}

impl Gateway {
    /// A builder with the defaults.
    pub fn builder() -> GatewayBuilder {
        GatewayBuilder::default()
    }

    /// The URL the CSE's requests to AEs come to (what `poa`s are rewritten to).
    pub fn endpoint(&self) -> &str {
        self.rewriter.endpoint()
    }

    /// The address the endpoint listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// The MQTT side (its client id, its originator).
    pub fn binding(&self) -> &Binding {
        &self.binding
    }

    /// Stops taking requests on both sides and lets those in progress finish.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
        self.binding.shutdown().await;
    }
}
