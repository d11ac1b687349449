//! What a client is started with.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use onem2m_mqtt_proto::{
    Codec, MemoryStore, OwnCodec, SessionOptions, SessionStore, SubscribeFilter,
};
use onem2m_transport::Transport;

use super::ReconnectPolicy;

/// Default capacity of the channel of [`ClientEvent`](super::ClientEvent)s.
pub const DEFAULT_INCOMING_CAPACITY: usize = 256;
/// Default capacity of the queue between `publish` callers and the driver.
pub const DEFAULT_PUBLISH_QUEUE: usize = 64;
/// Default bound on how long `shutdown` waits for outstanding acks.
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// Everything [`MqttClient::start`](super::MqttClient::start) needs: the layers
/// below (transport, codec, session options and store) and the driver's own
/// tuning. Fields are public; [`ClientConfig::new`] fills in the defaults.
#[non_exhaustive]
pub struct ClientConfig {
    /// How to reach the broker; `connect` is called again on every reconnect.
    pub transport: Arc<dyn Transport>,
    /// The MQTT codec. Default: [`OwnCodec`] (256 KiB packet limit).
    pub codec: Box<dyn Codec>,
    /// CONNECT options, keep-alive, in-flight window, ack mode.
    pub session: SessionOptions,
    /// Where unacknowledged messages are kept. Default: [`MemoryStore`]; a
    /// `FileStore` lets a restarted client resend them.
    pub store: Box<dyn SessionStore>,
    /// Spacing of reconnect attempts.
    pub reconnect: ReconnectPolicy,
    /// Filters subscribed at the first connection and again whenever the
    /// broker reports no session (`session_present == false`); shared ones
    /// (`$share/...`) at every connection.
    pub subscriptions: Vec<SubscribeFilter>,
    /// Capacity of the event channel to the application. When it is full the
    /// driver stops reading from the socket (TCP pushes back on the broker)
    /// rather than buffering without bound. Default: 256.
    pub incoming_capacity: usize,
    /// Capacity of the queue of publish requests on their way to the
    /// driver. Default: 64.
    pub publish_queue: usize,
    /// How long `shutdown` waits for outstanding acknowledgements before it
    /// sends DISCONNECT anyway. Default: 5 s.
    pub shutdown_timeout: Duration,
}

impl ClientConfig {
    /// A configuration with our codec, an in-memory store and the defaults
    /// listed on each field.
    pub fn new(transport: Arc<dyn Transport>, session: SessionOptions) -> Self {
        Self {
            transport,
            codec: Box::new(OwnCodec::new()),
            session,
            store: Box::new(MemoryStore::new()),
            reconnect: ReconnectPolicy::default(),
            subscriptions: Vec::new(),
            incoming_capacity: DEFAULT_INCOMING_CAPACITY,
            publish_queue: DEFAULT_PUBLISH_QUEUE,
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
        }
    }

    /// Replaces the codec.
    #[must_use]
    pub fn codec(mut self, codec: impl Codec + 'static) -> Self {
        self.codec = Box::new(codec);
        self
    }

    /// Replaces the session store.
    #[must_use]
    pub fn store(mut self, store: impl SessionStore + 'static) -> Self {
        self.store = Box::new(store);
        self
    }

    /// Replaces the reconnect policy.
    #[must_use]
    pub fn reconnect(mut self, policy: ReconnectPolicy) -> Self {
        self.reconnect = policy;
        self
    }

    /// Adds a filter kept subscribed across reconnects.
    #[must_use]
    pub fn subscription(mut self, filter: SubscribeFilter) -> Self {
        self.subscriptions.push(filter);
        self
    }

    /// Sets the event channel capacity.
    #[must_use]
    pub fn incoming_capacity(mut self, capacity: usize) -> Self {
        self.incoming_capacity = capacity;
        self
    }

    /// Sets the publish queue capacity.
    #[must_use]
    pub fn publish_queue(mut self, capacity: usize) -> Self {
        self.publish_queue = capacity;
        self
    }

    /// Sets how long `shutdown` waits for outstanding acknowledgements.
    #[must_use]
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.shutdown_timeout = timeout;
        self
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("transport", &self.transport.describe())
            .field("codec", &self.codec.name())
            .field("session", &self.session)
            .field("reconnect", &self.reconnect)
            .field("subscriptions", &self.subscriptions)
            .field("incoming_capacity", &self.incoming_capacity)
            .field("publish_queue", &self.publish_queue)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .finish_non_exhaustive()
    }
}
