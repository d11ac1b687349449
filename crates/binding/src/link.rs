//! The binding's live state, shared by its handles and its connection task.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::Duration;

use crate::SerializerSet;
use crate::driver::MqttClient;
use crate::in_flight::InFlight;
use crate::originator::{PendingRequests, RequestIds, RetryPolicy};
use crate::receiver::{Handler, Pipeline};
use crate::topic::{Entity, TopicScheme};

/// Settings the running binding reads on every request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    /// How long a request without `rqet` waits for its response.
    pub(crate) request_timeout: Duration,
    /// Largest encoded primitive sent, if limited.
    pub(crate) max_message_size: Option<usize>,
    /// Whether PUBACK for a request waits until its response is published.
    pub(crate) ack_after_handler: bool,
    /// How long shutdown and deregistration wait for running handlers.
    pub(crate) drain_timeout: Duration,
    /// Most requests handled at once; beyond it a request is answered 5000.
    pub(crate) max_concurrent_requests: usize,
    /// When a request without a response is sent again, if ever.
    pub(crate) retry: Option<RetryPolicy>,
    /// Whether responses meant for someone else are expected here: a member of a
    /// shared subscription sees the responses of every member, and a retried request
    /// can be answered twice.
    pub(crate) expects_stray_responses: bool,
}

/// The MQTT client in use and the identity it connects as; both change once, when an
/// AE registers.
#[derive(Debug, Clone)]
pub(crate) struct Current {
    pub(crate) client: MqttClient,
    pub(crate) entity: Entity,
    pub(crate) client_id: String,
}

/// Everything the originator handles, the connection task and the handler tasks
/// share. It holds the MQTT client; the connection task holds only a weak reference,
/// so dropping every handle stops the client.
pub(crate) struct Link {
    pub(crate) scheme: Arc<dyn TopicScheme>,
    pub(crate) serializers: SerializerSet,
    pub(crate) pending: Arc<PendingRequests>,
    pub(crate) handler: Option<Arc<dyn Handler>>,
    pub(crate) request_ids: RequestIds,
    pub(crate) settings: Settings,
    /// The requests being handled; see [`InFlight`].
    pub(crate) in_flight: Arc<InFlight>,
    /// How many times a request was sent again ([`RetryPolicy`]).
    pub(crate) retries: AtomicU64,
    pipeline: Mutex<Pipeline>,
    current: RwLock<Current>,
}

impl Link {
    pub(crate) fn new(parts: LinkParts, pipeline: Pipeline, current: Current) -> Self {
        Self {
            scheme: parts.scheme,
            serializers: parts.serializers,
            pending: parts.pending,
            handler: parts.handler,
            request_ids: parts.request_ids,
            settings: parts.settings,
            in_flight: Arc::new(InFlight::default()),
            retries: AtomicU64::new(0),
            pipeline: Mutex::new(pipeline),
            current: RwLock::new(current),
        }
    }

    /// The client, identity and client id in use now.
    pub(crate) fn current(&self) -> Current {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Switches to another client and identity (after a registration).
    pub(crate) fn replace(&self, current: Current) {
        self.pipeline().set_entity(current.entity.clone());
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = current;
    }

    /// The receiver's pipeline. Held only for the synchronous checks, never across an
    /// await.
    pub(crate) fn pipeline(&self) -> MutexGuard<'_, Pipeline> {
        // Every pipeline step leaves it consistent, so a panic elsewhere does not
        // make it unusable.
        self.pipeline.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What [`Link::new`] takes besides the pipeline and the first client.
pub(crate) struct LinkParts {
    pub(crate) scheme: Arc<dyn TopicScheme>,
    pub(crate) serializers: SerializerSet,
    pub(crate) pending: Arc<PendingRequests>,
    pub(crate) handler: Option<Arc<dyn Handler>>,
    pub(crate) request_ids: RequestIds,
    pub(crate) settings: Settings,
}
