//! Callers waiting for an acknowledgement, by packet id.

use std::collections::HashMap;

use onem2m_mqtt_proto::{PacketId, QoS, Republished, SubscribeFilter, TopicFilter};
use tokio::sync::oneshot;

use super::Error;

/// A SUBSCRIBE in flight: the caller's, or one the driver made to restore
/// subscriptions (no reply then).
pub(crate) struct SubscribeWaiter {
    pub(crate) filters: Vec<SubscribeFilter>,
    pub(crate) reply: Option<oneshot::Sender<Result<Vec<QoS>, Error>>>,
}

/// An UNSUBSCRIBE in flight.
pub(crate) struct UnsubscribeWaiter {
    pub(crate) filters: Vec<TopicFilter>,
    pub(crate) reply: oneshot::Sender<Result<(), Error>>,
}

/// Everyone waiting on the broker. A caller that went away leaves a closed
/// sender behind, which is harmless: the session owns the message either way.
#[derive(Default)]
pub(crate) struct Pending {
    pub(crate) publishes: HashMap<PacketId, oneshot::Sender<Result<(), Error>>>,
    pub(crate) subscribes: HashMap<PacketId, SubscribeWaiter>,
    pub(crate) unsubscribes: HashMap<PacketId, UnsubscribeWaiter>,
}

impl Pending {
    /// Follows messages the session published again under new ids.
    pub(crate) fn renumber(&mut self, republished: &[Republished]) {
        // Old and new ids never overlap, but take all out first anyway so
        // the order of the list cannot matter.
        let moved: Vec<_> = republished
            .iter()
            .filter_map(|r| self.publishes.remove(&r.old).map(|tx| (r.new, tx)))
            .collect();
        self.publishes.extend(moved);
    }

    pub(crate) fn complete_publish(&mut self, pkid: PacketId) {
        if let Some(tx) = self.publishes.remove(&pkid) {
            let _ = tx.send(Ok(()));
        }
    }

    /// The driver stops: nobody will answer these.
    pub(crate) fn fail_all(&mut self) {
        for (_, tx) in self.publishes.drain() {
            let _ = tx.send(Err(Error::Closed));
        }
        for (_, w) in self.subscribes.drain() {
            if let Some(tx) = w.reply {
                let _ = tx.send(Err(Error::Closed));
            }
        }
        for (_, w) in self.unsubscribes.drain() {
            let _ = w.reply.send(Err(Error::Closed));
        }
    }
}
