//! What the handles ask of the driver task.

use bytes::Bytes;
use onem2m_mqtt_proto::{PacketId, QoS, SubscribeFilter, Topic, TopicFilter};
use tokio::sync::oneshot;

use super::Error;

/// A message on its way into the session. A QoS 1/2 command carries a
/// window permit its sender has already taken (and forgotten).
pub(crate) struct PublishCommand {
    pub(crate) topic: Topic,
    pub(crate) payload: Bytes,
    pub(crate) qos: QoS,
    pub(crate) reply: oneshot::Sender<Result<(), Error>>,
}

/// Everything else, on an unbounded channel: each variant is either a reply
/// someone awaits or an ack for a message the driver delivered, so their
/// number is bounded by the callers and by the broker's own window.
pub(crate) enum Control {
    Ack(PacketId),
    Subscribe {
        filters: Vec<SubscribeFilter>,
        reply: oneshot::Sender<Result<Vec<QoS>, Error>>,
    },
    Unsubscribe {
        filters: Vec<TopicFilter>,
        reply: oneshot::Sender<Result<(), Error>>,
    },
    Shutdown {
        clean_session: bool,
        reply: oneshot::Sender<()>,
    },
}
