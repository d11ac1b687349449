//! The embedded broker: mqtt5's broker behind our own type.

use std::net::SocketAddr;
use std::time::Duration;

use mqtt5::broker::config::WebSocketConfig;
use mqtt5::broker::{
    BrokerConfig, BrokerShutdownHandle, MqttBroker, StorageBackendType, StorageConfig,
};
use tokio::task::JoinHandle;

use crate::{EmbeddedBrokerOptions, Error};

/// How long start-up may take (mqtt5 is ready in well under a millisecond).
const READY_TIMEOUT: Duration = Duration::from_secs(5);

/// An MQTT 3.1.1/5 broker running inside this process, on tokio.
///
/// It binds its listeners on [`start`](Self::start) (port 0 by default, so tests
/// run in parallel without port clashes), reports the addresses, keeps
/// persistent sessions and queued QoS 1 messages in memory, sets TCP_NODELAY on
/// every accepted socket, and stops on [`shutdown`](Self::shutdown). Dropping
/// it sends the shutdown signal too, without waiting.
///
/// ```no_run
/// use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
///
/// # async fn run() -> Result<(), onem2m_broker::Error> {
/// let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new()).await?;
/// println!("MQTT on {}, WebSocket on {:?}", broker.url(), broker.ws_url());
/// broker.shutdown().await?;
/// # Ok(())
/// # }
/// ```
pub struct EmbeddedBroker {
    tcp_addr: SocketAddr,
    ws_addr: Option<SocketAddr>,
    ws_path: String,
    shutdown: Option<BrokerShutdownHandle>,
    task: Option<JoinHandle<mqtt5::Result<()>>>,
}

impl std::fmt::Debug for EmbeddedBroker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedBroker")
            .field("tcp_addr", &self.tcp_addr)
            .field("ws_addr", &self.ws_addr)
            .field("running", &self.task.is_some())
            .finish()
    }
}

impl EmbeddedBroker {
    /// Binds the listeners, starts the broker on the current tokio runtime and
    /// waits until it accepts connections.
    pub async fn start(options: EmbeddedBrokerOptions) -> Result<Self, Error> {
        let mut config = BrokerConfig::default()
            .with_bind_address(SocketAddr::new(options.bind_ip, options.tcp_port))
            .with_storage(StorageConfig::default().with_backend(StorageBackendType::Memory))
            .with_sys_topics_enabled(false);
        if options.websocket {
            config = config.with_websocket(
                WebSocketConfig::default()
                    .with_bind_address(SocketAddr::new(options.bind_ip, options.ws_port))
                    .with_path(options.ws_path.clone()),
            );
        }
        if let Some(size) = options.max_packet_size {
            config = config.with_max_packet_size(size);
        }
        let mut broker = MqttBroker::with_config(config)
            .await
            .map_err(|e| Error::Start(Box::new(e)))?;
        let tcp_addr = broker.local_addr().ok_or(Error::NoListener("TCP"))?;
        let ws_addr = broker.ws_local_addr();
        if options.websocket && ws_addr.is_none() {
            return Err(Error::NoListener("WebSocket"));
        }
        let shutdown = broker.shutdown_handle();
        let mut ready = broker.ready_receiver();
        let task = tokio::spawn(async move { broker.run().await });
        let mut started = Self {
            tcp_addr,
            ws_addr,
            ws_path: options.ws_path,
            shutdown: Some(shutdown),
            task: Some(task),
        };
        match tokio::time::timeout(READY_TIMEOUT, ready.wait_for(|ready| *ready)).await {
            Ok(Ok(_)) => Ok(started),
            // The sender is gone: run() returned before it was ready.
            Ok(Err(_)) => Err(started
                .join()
                .await
                .err()
                .unwrap_or(Error::Task("broker stopped during start-up".into()))),
            Err(_) => Err(Error::NotReady(READY_TIMEOUT)),
        }
    }

    /// The plain MQTT listener's address.
    pub fn tcp_addr(&self) -> SocketAddr {
        self.tcp_addr
    }

    /// The WebSocket listener's address, if it was asked for.
    pub fn ws_addr(&self) -> Option<SocketAddr> {
        self.ws_addr
    }

    /// `mqtt://127.0.0.1:PORT`: the plain MQTT listener as a URL.
    pub fn url(&self) -> String {
        format!("mqtt://{}", self.tcp_addr)
    }

    /// `ws://127.0.0.1:PORT/mqtt`: the WebSocket listener as a URL.
    pub fn ws_url(&self) -> Option<String> {
        self.ws_addr
            .map(|addr| format!("ws://{addr}{}", self.ws_path))
    }

    /// Stops accepting, closes every connection, and waits for the broker to
    /// finish. In-memory sessions are gone afterwards.
    ///
    /// Cancel safety: if the future is dropped, the broker still stops (the
    /// signal is sent at the first poll) but nobody waits for it.
    pub async fn shutdown(mut self) -> Result<(), Error> {
        if let Some(handle) = self.shutdown.take() {
            handle.shutdown();
        }
        self.join().await
    }

    async fn join(&mut self) -> Result<(), Error> {
        match self.task.take() {
            None => Ok(()),
            Some(task) => match task.await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(Error::Run(Box::new(e))),
                Err(e) => Err(Error::Task(e.to_string())),
            },
        }
    }
}

impl Drop for EmbeddedBroker {
    fn drop(&mut self) {
        // Best effort: the run task winds down on its own once signalled (if the
        // runtime is still alive; if not, it is dropped with the runtime).
        if let Some(handle) = self.shutdown.take() {
            handle.shutdown();
        }
    }
}
