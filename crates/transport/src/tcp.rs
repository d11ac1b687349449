//! Plain TCP.

use std::io;
use std::time::Duration;

use async_trait::async_trait;
use tokio::net::{TcpStream, lookup_host};

use crate::{ByteStream, Error, Transport};

/// How long a TCP connect may take by default, resolution included.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// MQTT over plain TCP (`mqtt://host:1883`).
///
/// TCP_NODELAY is always set: MQTT sends small packets and waits for small acks,
/// and with Nagle's algorithm on, every QoS 1 exchange stalls for about 44 ms
/// against the peer's delayed ACK.
#[derive(Debug, Clone)]
pub struct Tcp {
    host: String,
    port: u16,
    connect_timeout: Duration,
}

impl Tcp {
    /// A transport to `host` (a DNS name or an IP address, IPv6 without brackets)
    /// and `port`.
    pub fn new(host: impl Into<String>, port: u16) -> Self {
        Self {
            host: host.into(),
            port,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        }
    }

    /// Sets how long resolving and connecting may take together.
    #[must_use]
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The host name or address this transport connects to.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port this transport connects to.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `host:port`, with brackets around an IPv6 address.
    pub fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// Connects and returns the concrete stream (the [`Transport`] impl boxes it).
    pub async fn connect_stream(&self) -> Result<TcpStream, Error> {
        let attempt = tokio::time::timeout(self.connect_timeout, self.try_each_address());
        let stream = attempt.await.map_err(|_| Error::Timeout {
            step: "TCP connect",
            addr: self.address(),
            after: self.connect_timeout,
        })??;
        stream
            .set_nodelay(true)
            .map_err(|source| self.connect_error(source))?;
        Ok(stream)
    }

    /// A name may resolve to several addresses (IPv6 and IPv4 for `localhost`):
    /// try them in order, as a browser would, and report the last failure.
    async fn try_each_address(&self) -> Result<TcpStream, Error> {
        let addrs = lookup_host((self.host.as_str(), self.port))
            .await
            .map_err(|source| self.connect_error(source))?;
        let mut last = io::Error::new(io::ErrorKind::NotFound, "the name resolved to no address");
        for addr in addrs {
            match TcpStream::connect(addr).await {
                Ok(stream) => return Ok(stream),
                Err(e) => last = e,
            }
        }
        Err(self.connect_error(last))
    }

    fn connect_error(&self, source: io::Error) -> Error {
        Error::Connect {
            addr: self.address(),
            source,
        }
    }
}

#[async_trait]
impl Transport for Tcp {
    async fn connect(&self) -> Result<Box<dyn ByteStream>, Error> {
        Ok(Box::new(self.connect_stream().await?))
    }

    fn describe(&self) -> String {
        format!("tcp {}", self.address())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[tokio::test]
    async fn connected_socket_has_nodelay_set() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let stream = Tcp::new("127.0.0.1", port).connect_stream().await.unwrap();
        assert!(stream.nodelay().unwrap());
    }

    #[tokio::test]
    async fn refused_connection_names_the_address() {
        // Bind then drop, so that the port is very likely closed.
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let err = Tcp::new("127.0.0.1", port).connect().await.err().unwrap();
        assert!(matches!(err, Error::Connect { .. }), "{err}");
        assert!(
            err.to_string().contains(&format!("127.0.0.1:{port}")),
            "{err}"
        );
    }

    #[test]
    fn ipv6_address_is_bracketed() {
        assert_eq!(Tcp::new("::1", 1883).address(), "[::1]:1883");
        assert_eq!(Tcp::new("broker", 1883).describe(), "tcp broker:1883");
    }
}
