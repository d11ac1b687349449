//! Settings of the embedded broker.

use std::net::{IpAddr, Ipv4Addr};

/// Where and how the [`EmbeddedBroker`](crate::EmbeddedBroker) listens
/// (by-value setters).
///
/// The defaults suit tests and the quickstart: loopback only, ephemeral ports
/// (the OS picks free ones; read them back from the broker), a WebSocket
/// listener on path `/mqtt`, sessions and queued messages in memory, no
/// `$SYS` topics, anonymous clients allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedBrokerOptions {
    pub(crate) bind_ip: IpAddr,
    pub(crate) tcp_port: u16,
    pub(crate) websocket: bool,
    pub(crate) ws_port: u16,
    pub(crate) ws_path: String,
    pub(crate) max_packet_size: Option<usize>,
}

impl Default for EmbeddedBrokerOptions {
    fn default() -> Self {
        Self {
            bind_ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            tcp_port: 0,
            websocket: true,
            ws_port: 0,
            ws_path: "/mqtt".to_owned(),
            max_packet_size: None,
        }
    }
}

impl EmbeddedBrokerOptions {
    /// Loopback, ephemeral ports, TCP and WebSocket listeners.
    pub fn new() -> Self {
        Self::default()
    }

    /// The address both listeners bind (default `127.0.0.1`). Anything but
    /// loopback exposes an unauthenticated broker to the network.
    #[must_use]
    pub fn bind_ip(mut self, ip: IpAddr) -> Self {
        self.bind_ip = ip;
        self
    }

    /// The plain MQTT port (default 0: the OS picks a free one).
    #[must_use]
    pub fn tcp_port(mut self, port: u16) -> Self {
        self.tcp_port = port;
        self
    }

    /// Whether to open the WebSocket listener (default on).
    #[must_use]
    pub fn websocket(mut self, on: bool) -> Self {
        self.websocket = on;
        self
    }

    /// The WebSocket port (default 0: the OS picks a free one).
    #[must_use]
    pub fn ws_port(mut self, port: u16) -> Self {
        self.ws_port = port;
        self
    }

    /// The WebSocket path (default `/mqtt`); other paths are refused.
    #[must_use]
    pub fn ws_path(mut self, path: impl Into<String>) -> Self {
        self.ws_path = path.into();
        self
    }

    /// The largest MQTT packet the broker accepts (default: mqtt5's, 256 MiB).
    #[must_use]
    pub fn max_packet_size(mut self, bytes: usize) -> Self {
        self.max_packet_size = Some(bytes);
        self
    }
}
