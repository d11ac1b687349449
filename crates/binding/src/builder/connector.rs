//! Starting MQTT clients for the binding: at build time, and again with a new client
//! id after a registration.

use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use bytes::Bytes;
use onem2m_mqtt_proto::{
    AckMode, ByteStr, Codec, MemoryStore, QoS, SessionOptions, SessionStore, SubscribeFilter,
    TopicFilter, Will,
};
use onem2m_transport::Transport;

use crate::Error;
use crate::driver::{ClientConfig, Incoming, MqttClient, ReconnectPolicy};
use crate::link::Link;
use crate::topic::{Entity, TopicScheme};

/// Makes a fresh codec for each client (a codec keeps decoding state).
pub(crate) type CodecFactory = Arc<dyn Fn() -> Box<dyn Codec> + Send + Sync>;

/// The connect settings of the builder, kept to start a client again.
pub(crate) struct Connector {
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) codec: CodecFactory,
    pub(crate) keep_alive: Duration,
    pub(crate) clean_session: bool,
    pub(crate) credentials: Option<(String, Bytes)>,
    pub(crate) will: Option<Will>,
    pub(crate) max_in_flight: u16,
    pub(crate) ack_after_handler: bool,
    pub(crate) reconnect: Option<ReconnectPolicy>,
    pub(crate) connect_timeout: Duration,
    /// The user's session store, for the entity's own session; taken by the first
    /// client that has an entity ID (a registration session is temporary and lives in
    /// memory).
    pub(crate) store: Mutex<Option<Box<dyn SessionStore>>>,
}

impl Connector {
    /// Starts a client with `client_id` for `entity` and waits until the broker accepts
    /// the connection.
    pub(crate) async fn start(
        &self,
        entity: &Entity,
        client_id: &str,
    ) -> Result<(MqttClient, Incoming), Error> {
        let mut options = SessionOptions::new(ByteStr::try_from(client_id)?);
        options.clean_session = self.clean_session;
        options.keep_alive = self.keep_alive;
        options.max_inflight = self.max_in_flight;
        if let Some((user, password)) = &self.credentials {
            options.username = Some(ByteStr::try_from(user.as_str())?);
            options.password = Some(password.clone());
        }
        options.will = self.will.clone();
        if self.ack_after_handler {
            options.ack_mode = AckMode::Manual;
        }
        let mut config = ClientConfig::new(Arc::clone(&self.transport), options);
        config.codec = (self.codec)();
        let store = if entity.id.is_some() {
            self.store
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
        } else {
            None
        };
        config.store = store.unwrap_or_else(|| Box::new(MemoryStore::new()));
        if let Some(policy) = self.reconnect {
            config.reconnect = policy;
        }
        let (client, incoming) = MqttClient::start(config)?;
        match tokio::time::timeout(self.connect_timeout, client.connected()).await {
            Ok(Ok(_)) => Ok((client, incoming)),
            Ok(Err(e)) => Err(e.into()),
            Err(_) => {
                let cause = client.last_error();
                client.shutdown().await;
                Err(Error::ConnectTimeout {
                    after: self.connect_timeout,
                    cause,
                })
            }
        }
    }
}

/// Subscribes `client` to the scheme's topics for `entity`; the driver subscribes them
/// again whenever the broker loses the session. Call it once the connection task reads
/// the client's messages: a persistent session may deliver many at once, and the
/// SUBACK waits behind them.
pub(crate) async fn subscribe(
    client: &MqttClient,
    scheme: &dyn TopicScheme,
    entity: &Entity,
) -> Result<(), Error> {
    let filters = scheme
        .subscriptions(entity)?
        .into_iter()
        .map(|f| {
            Ok(SubscribeFilter::new(
                TopicFilter::try_from(f)?,
                QoS::AtLeastOnce,
            ))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    client.subscribe(filters).await?;
    Ok(())
}

/// Starts the connection task reading `incoming` for `link`.
pub(crate) fn spawn_dispatch(link: &Arc<Link>, incoming: Incoming) {
    let weak: Weak<Link> = Arc::downgrade(link);
    tokio::spawn(crate::dispatch::run(weak, incoming));
}
