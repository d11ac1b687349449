//! The builder: the one place a binding's stack is assembled.

mod client_id;
mod connector;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use onem2m_mqtt_proto::{Codec, OwnCodec, SessionStore, Will};
use onem2m_primitive::Timestamp;
use onem2m_serialization::{Serializer, XmlSerializer};
use onem2m_transport::{BrokerUrl, Tcp, TlsOptions, Transport, transport_for_url};

pub use client_id::client_id;
use connector::CodecFactory;
pub(crate) use connector::Connector;
pub(crate) use connector::{spawn_dispatch, subscribe};

use crate::driver::ReconnectPolicy;
use crate::link::{Current, Link, LinkParts, Settings};
use crate::originator::{PendingRequests, RequestIds, RetryPolicy};
use crate::receiver::{
    DEFAULT_DUPLICATE_CAPACITY, DEFAULT_DUPLICATE_TTL, Handler, OriginatorCheck, Pipeline,
};
use crate::topic::{Entity, SharedSubscriptions, TopicScheme, Ts0010Scheme};
use crate::{Binding, Error, SerializerSet};

/// The broker a binding connects to when given neither a URL nor a transport.
pub const DEFAULT_BROKER: (&str, u16) = ("127.0.0.1", 1883);
/// How long a request without `rqet` waits for its response (ACME's default).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// The MQTT keep-alive interval.
pub const DEFAULT_KEEP_ALIVE: Duration = Duration::from_secs(60);
/// Most requests awaiting a response at once.
pub const DEFAULT_MAX_PENDING: usize = 10_000;
/// Most outgoing QoS 1 messages awaiting PUBACK at once.
pub const DEFAULT_MAX_IN_FLIGHT: u16 = 100;
/// Most incoming requests handled at once.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 10_000;
/// How long `shutdown` and `deregister` wait for the handlers still running.
pub const DEFAULT_DRAIN_TIMEOUT: Duration = Duration::from_secs(5);
/// How long `build` waits for the broker to accept the connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Assembles a [`Binding`]: who the entity is, how it reaches the broker, how
/// primitives are written and addressed, and the limits. Every setting has a default
/// (DESIGN.md): TCP to 127.0.0.1:1883, the crate's own MQTT codec, the TS-0010 topic
/// scheme, XML, client id `C::<csi>`/`A::<aei>`, clean session off, no Will, QoS 1,
/// keep-alive 60 s. The only thing to give is the identity.
///
/// The binding's connect rules are defaults, never fixed: [`clean_session`],
/// [`keep_alive`] (0 turns it off), [`client_id`], [`credentials`] and [`will`] change
/// them.
///
/// [`clean_session`]: BindingBuilder::clean_session
/// [`keep_alive`]: BindingBuilder::keep_alive
/// [`client_id`]: BindingBuilder::client_id
/// [`credentials`]: BindingBuilder::credentials
/// [`will`]: BindingBuilder::will
///
/// ```no_run
/// use onem2m_binding::{Binding, Ts0010Scheme};
/// use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, ResponseStatusCode};
/// use onem2m_serialization::JsonSerializer;
///
/// # async fn run() -> Result<(), onem2m_binding::Error> {
/// let cse = Binding::builder()
///     .cse_id("/id-in")
///     .url("mqtt://127.0.0.1:1883")?
///     .serializer(JsonSerializer::new())
///     .topic_scheme(Ts0010Scheme::new())
///     .handler(|req: RequestPrimitive, _ctx| async move {
///         ResponsePrimitive::answering(&req, ResponseStatusCode::OK)
///     })
///     .build()
///     .await?;
/// let ae = Binding::builder().ae_id("CAE01").registrar("/id-in").build().await?;
/// let response = ae.originator().request(RequestPrimitive::retrieve("cse-in", "CAE01", "")).await?;
/// assert_eq!(response.rsc, ResponseStatusCode::OK);
/// # Ok(())
/// # }
/// ```
#[must_use]
pub struct BindingBuilder {
    entity: Option<Entity>,
    registrar: Option<String>,
    client_id: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    url: Option<String>,
    tls: TlsOptions,
    codec: Option<CodecFactory>,
    serializer: Arc<dyn Serializer>,
    extra_serializers: Vec<Arc<dyn Serializer>>,
    scheme: Arc<dyn TopicScheme>,
    keep_alive: Duration,
    clean_session: bool,
    credentials: Option<(String, Bytes)>,
    will: Option<Will>,
    store: Option<Box<dyn SessionStore>>,
    request_timeout: Duration,
    connect_timeout: Duration,
    drain_timeout: Duration,
    max_message_size: Option<usize>,
    max_in_flight: u16,
    max_pending: usize,
    max_concurrent_requests: usize,
    handler: Option<Arc<dyn Handler>>,
    originator_check: OriginatorCheck,
    ack_after_handler: bool,
    reconnect: Option<ReconnectPolicy>,
    duplicate_cache: (Duration, usize),
    share_group: Option<String>,
    retry: Option<RetryPolicy>,
}

impl Default for BindingBuilder {
    fn default() -> Self {
        Self {
            entity: None,
            registrar: None,
            client_id: None,
            transport: None,
            url: None,
            tls: TlsOptions::new(),
            codec: None,
            serializer: Arc::new(XmlSerializer::new()),
            extra_serializers: Vec::new(),
            scheme: Arc::new(Ts0010Scheme::new()),
            keep_alive: DEFAULT_KEEP_ALIVE,
            clean_session: false,
            credentials: None,
            will: None,
            store: None,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            drain_timeout: DEFAULT_DRAIN_TIMEOUT,
            max_message_size: None,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            max_pending: DEFAULT_MAX_PENDING,
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
            handler: None,
            originator_check: OriginatorCheck::default(),
            ack_after_handler: true,
            reconnect: None,
            duplicate_cache: (DEFAULT_DUPLICATE_TTL, DEFAULT_DUPLICATE_CAPACITY),
            share_group: None,
            retry: None,
        }
    }
}

impl std::fmt::Debug for BindingBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BindingBuilder")
            .field("entity", &self.entity)
            .field("registrar", &self.registrar)
            .field("client_id", &self.client_id)
            .field("url", &self.url)
            .field("serializer", &self.serializer.name())
            .field("scheme", &self.scheme.name())
            .field("keep_alive", &self.keep_alive)
            .field("clean_session", &self.clean_session)
            .finish_non_exhaustive()
    }
}

impl BindingBuilder {
    /// A builder with every default.
    pub fn new() -> Self {
        Self::default()
    }

    /// The entity is the CSE `cse_id` (`/id-in`); its client id is `C::<csi>`.
    pub fn cse_id(mut self, cse_id: impl Into<String>) -> Self {
        self.entity = Some(Entity::cse(cse_id));
        self
    }

    /// The entity is the registered AE `ae_id` (`CAE01`, `/id-in/CAE01`, `SAE01`); its
    /// client id is `A::<aei>`. It needs a [`registrar`](Self::registrar).
    pub fn ae_id(mut self, ae_id: impl Into<String>) -> Self {
        self.entity = Some(Entity::ae(ae_id));
        self
    }

    /// The entity is an AE without an AE-ID yet that will register with
    /// [`Binding::register_ae`] under the TS-0003 Credential-ID `credential_id`. Until
    /// then its client id is the Credential-ID. It needs a
    /// [`registrar`](Self::registrar).
    pub fn registration(mut self, credential_id: impl Into<String>) -> Self {
        self.entity = Some(Entity {
            id: None,
            role: crate::topic::Role::Ae,
            registrar: None,
            credential_id: Some(credential_id.into()),
        });
        self
    }

    /// The registrar CSE (`/id-in`): the MQTT peer of every request an AE sends, and of
    /// a CSE's requests that name no other peer.
    pub fn registrar(mut self, cse_id: impl Into<String>) -> Self {
        self.registrar = Some(cse_id.into());
        self
    }

    /// Replaces the client id derived from the identity.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The broker URL: `mqtt://`, `mqtts://`, `ws://` or `wss://` (see
    /// `onem2m_transport::transport_for_url`). Checked now; the transport is made at
    /// [`build`](Self::build) with the [`tls`](Self::tls) options.
    pub fn url(mut self, url: &str) -> Result<Self, Error> {
        BrokerUrl::parse(url)?;
        self.url = Some(url.to_owned());
        self.transport = None;
        Ok(self)
    }

    /// A ready transport, instead of a URL.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self.url = None;
        self
    }

    /// TLS settings for an `mqtts://` or `wss://` URL (CA, client certificate).
    pub fn tls(mut self, tls: TlsOptions) -> Self {
        self.tls = tls;
        self
    }

    /// The MQTT codec. Default: the crate's own ([`OwnCodec`]).
    pub fn codec<C: Codec + Clone + 'static>(mut self, codec: C) -> Self {
        self.codec = Some(Arc::new(move || Box::new(codec.clone()) as Box<dyn Codec>));
        self
    }

    /// The serialization requests are written in (default XML). A receiver answers
    /// each request in the serialization it came in, whatever this is.
    pub fn serializer(mut self, serializer: impl Serializer) -> Self {
        self.serializer = Arc::new(serializer);
        self
    }

    /// Another serialization the receiver understands, besides the built-in ones.
    pub fn add_serializer(mut self, serializer: impl Serializer) -> Self {
        self.extra_serializers.push(Arc::new(serializer));
        self
    }

    /// The topic scheme (default [`Ts0010Scheme`]).
    pub fn topic_scheme(mut self, scheme: impl TopicScheme) -> Self {
        self.scheme = Arc::new(scheme);
        self
    }

    /// Serves this entity together with the other members of `group`: its request
    /// filters are subscribed as `$share/<group>/...`, so the broker hands each request
    /// to one member (see [`SharedSubscriptions`]). Every member needs its own
    /// [`client_id`](Self::client_id); members of a CSE share its resource store,
    /// which is theirs to arrange.
    pub fn shared_subscription(mut self, group: impl Into<String>) -> Self {
        self.share_group = Some(group.into());
        self
    }

    /// The MQTT keep-alive: whole seconds, 0 turns it off (default 60 s).
    pub fn keep_alive(mut self, keep_alive: Duration) -> Self {
        self.keep_alive = keep_alive;
        self
    }

    /// The Clean Session flag of CONNECT (default false, as TS-0010 asks).
    pub fn clean_session(mut self, clean_session: bool) -> Self {
        self.clean_session = clean_session;
        self
    }

    /// MQTT user name and password.
    pub fn credentials(mut self, user: impl Into<String>, password: impl Into<Bytes>) -> Self {
        self.credentials = Some((user.into(), password.into()));
        self
    }

    /// A Last Will. TS-0010 asks for none (the default); set one to track the
    /// connection status of the entity.
    pub fn will(mut self, will: Will) -> Self {
        self.will = Some(will);
        self
    }

    /// Where unacknowledged messages of the entity's session are kept (default in
    /// memory; a `FileStore` survives a restart).
    pub fn session_store(mut self, store: impl SessionStore + 'static) -> Self {
        self.store = Some(Box::new(store));
        self
    }

    /// How long a request without `rqet` waits for its response (default 10 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sends a request again under the same `rqi` when its response is late (default:
    /// never). See [`RetryPolicy`] for when that is safe.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// How long [`build`](Self::build) waits for the broker (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long [`Binding::shutdown`] and [`Binding::deregister`] wait for the
    /// handlers still running to answer (default 5 s). Requests arriving meanwhile are
    /// left to the broker for the next connection.
    pub fn drain_timeout(mut self, timeout: Duration) -> Self {
        self.drain_timeout = timeout;
        self
    }

    /// The largest MQTT packet sent or received, in bytes. Also the largest encoded
    /// primitive the originator sends ([`Error::MessageTooLarge`]). Default: the
    /// codec's limit (256 KiB for ours).
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = Some(bytes);
        self
    }

    /// Most outgoing QoS 1 messages awaiting PUBACK at once (default 100); more wait.
    pub fn max_in_flight(mut self, messages: u16) -> Self {
        self.max_in_flight = messages;
        self
    }

    /// Most requests awaiting a response at once (default 10,000); one more fails with
    /// [`Error::PendingFull`].
    pub fn max_pending(mut self, requests: usize) -> Self {
        self.max_pending = requests;
        self
    }

    /// Most incoming requests handled at once (default 10,000). One more is answered
    /// 5000 INTERNAL_SERVER_ERROR at once, without calling the handler, so that a flood
    /// cannot grow the receiver's memory without bound (the broker's own in-flight
    /// window, which PUBACK after the handler relies on, is not enforced by every
    /// broker: Mosquitto 2.0.11 overruns it).
    pub fn max_concurrent_requests(mut self, requests: usize) -> Self {
        self.max_concurrent_requests = requests;
        self
    }

    /// The handler that serves incoming requests. Without one, every valid request is
    /// answered 5001 NOT_IMPLEMENTED.
    pub fn handler(mut self, handler: impl Handler) -> Self {
        self.handler = Some(Arc::new(handler));
        self
    }

    /// How `fr` is checked against the topic (default [`OriginatorCheck::strict`]).
    pub fn originator_check(mut self, check: OriginatorCheck) -> Self {
        self.originator_check = check;
        self
    }

    /// Whether a request's PUBACK waits until its response has been published (default
    /// true: a request whose handler never finished is redelivered by the broker).
    pub fn ack_after_handler(mut self, after: bool) -> Self {
        self.ack_after_handler = after;
        self
    }

    /// How reconnect attempts are spaced (the driver's default otherwise).
    pub fn reconnect(mut self, policy: ReconnectPolicy) -> Self {
        self.reconnect = Some(policy);
        self
    }

    /// How long and how many requests are remembered to answer duplicates (default
    /// 10 minutes, 10,000).
    pub fn duplicate_cache(mut self, ttl: Duration, capacity: usize) -> Self {
        self.duplicate_cache = (ttl, capacity);
        self
    }

    /// Connects to the broker, subscribes to the topics of the entity, and starts
    /// serving. Fails when the broker does not accept the connection within the
    /// connect timeout.
    pub async fn build(self) -> Result<Binding, Error> {
        let mut entity = self.entity.ok_or_else(|| {
            Error::Config("no identity: call cse_id, ae_id or registration".into())
        })?;
        entity.registrar = self.registrar.clone();
        if entity.role == crate::topic::Role::Ae && entity.registrar.is_none() {
            return Err(Error::Config("an AE needs a registrar CSE".into()));
        }
        let client_id = match (self.client_id, &self.share_group) {
            (Some(id), _) => id,
            (None, None) => client_id(&entity)?,
            (None, Some(_)) => {
                return Err(Error::Config(
                    "each member of a shared subscription needs its own client_id".into(),
                ));
            }
        };
        let expects_stray_responses = self.share_group.is_some() || self.retry.is_some();
        let scheme: Arc<dyn TopicScheme> = match self.share_group {
            Some(group) => {
                let shared = SharedSubscriptions::from_arc(self.scheme, group)?;
                // A scheme that cannot share fails here, not after connecting.
                shared.subscriptions(&entity)?;
                Arc::new(shared)
            }
            None => self.scheme,
        };
        let transport: Arc<dyn Transport> = match (self.transport, &self.url) {
            (Some(t), _) => t,
            (None, Some(url)) => Arc::from(transport_for_url(url, &self.tls)?),
            (None, None) => Arc::new(Tcp::new(DEFAULT_BROKER.0, DEFAULT_BROKER.1)),
        };
        let codec: CodecFactory = match (self.codec, self.max_message_size) {
            (Some(codec), _) => codec,
            (None, Some(limit)) => Arc::new(move || {
                Box::new(OwnCodec::new().with_max_packet_size(limit)) as Box<dyn Codec>
            }),
            (None, None) => Arc::new(|| Box::new(OwnCodec::new()) as Box<dyn Codec>),
        };
        let connector = Connector {
            transport,
            codec,
            keep_alive: self.keep_alive,
            clean_session: self.clean_session,
            credentials: self.credentials,
            will: self.will,
            max_in_flight: self.max_in_flight,
            ack_after_handler: self.ack_after_handler,
            reconnect: self.reconnect,
            connect_timeout: self.connect_timeout,
            store: Mutex::new(self.store),
        };
        let serializers = self
            .extra_serializers
            .into_iter()
            .fold(SerializerSet::new(self.serializer), SerializerSet::with);
        let pipeline = Pipeline::new(Arc::clone(&scheme), serializers.clone(), entity.clone())
            .with_originator_check(self.originator_check)
            .with_duplicate_cache(self.duplicate_cache.0, self.duplicate_cache.1);
        let (client, incoming) = connector.start(&entity, &client_id).await?;
        let link = Arc::new(Link::new(
            LinkParts {
                scheme,
                serializers,
                pending: PendingRequests::new(self.max_pending),
                handler: self.handler,
                request_ids: RequestIds::new(Timestamp::now()),
                settings: Settings {
                    request_timeout: self.request_timeout,
                    max_message_size: self.max_message_size,
                    ack_after_handler: self.ack_after_handler,
                    drain_timeout: self.drain_timeout,
                    max_concurrent_requests: self.max_concurrent_requests,
                    retry: self.retry,
                    expects_stray_responses,
                },
            },
            pipeline,
            Current {
                client,
                entity,
                client_id,
            },
        ));
        spawn_dispatch(&link, incoming);
        let current = link.current();
        if let Err(e) = subscribe(&current.client, link.scheme.as_ref(), &current.entity).await {
            current.client.shutdown().await;
            return Err(e);
        }
        Ok(Binding::new(link, connector))
    }
}
