//! Where a session keeps what must survive a reconnect, or a restart:
//! outgoing QoS 1/2 messages not yet acknowledged, and the ids of incoming
//! QoS 2 messages already acknowledged with PUBREC (for duplicate suppression).

mod file;
mod memory;

pub use file::{FileStore, SyncPolicy};
pub use memory::MemoryStore;

use bytes::Bytes;

use crate::Error;
use crate::codec::{PacketId, QoS, Topic};

/// An outgoing QoS 1 or 2 message the broker has not acknowledged yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    /// Its packet identifier.
    pub pkid: PacketId,
    /// Topic name.
    pub topic: Topic,
    /// Payload.
    pub payload: Bytes,
    /// 1 or 2.
    pub qos: QoS,
    /// RETAIN flag.
    pub retain: bool,
    /// QoS 2 only: PUBREC arrived and PUBREL was sent, so only PUBREL is
    /// resent; the broker owns the message.
    pub released: bool,
}

/// What a store holds, as loaded when a session starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredState {
    /// Unacknowledged outgoing messages, in the order they were first stored.
    pub outgoing: Vec<StoredMessage>,
    /// Incoming QoS 2 packet ids answered with PUBREC and not yet released.
    pub incoming: Vec<PacketId>,
}

/// Persistence for a [`Session`](crate::Session). The session calls these
/// methods before it sends the packet that depends on them (a PUBLISH is
/// stored before it is queued, a PUBREC is queued after the id is stored),
/// so whatever a store guarantees to have kept is enough to resume.
///
/// Implement it to keep sessions elsewhere (a database, a replicated log).
/// An error from any method aborts the operation that needed it; during
/// [`Session::handle_packet`](crate::Session::handle_packet) it also drops
/// the connection so the broker redelivers.
pub trait SessionStore: Send {
    /// Everything stored, outgoing messages in insertion order.
    fn load(&mut self) -> Result<StoredState, Error>;
    /// Appends a new outgoing message (its `pkid` is not in the store).
    fn put_outgoing(&mut self, message: &StoredMessage) -> Result<(), Error>;
    /// Marks a QoS 2 message as released (PUBREC received), keeping its position.
    fn mark_released(&mut self, pkid: PacketId) -> Result<(), Error>;
    /// Forgets an outgoing message (acknowledged, or renumbered).
    fn remove_outgoing(&mut self, pkid: PacketId) -> Result<(), Error>;
    /// Records an incoming QoS 2 id answered with PUBREC.
    fn put_incoming(&mut self, pkid: PacketId) -> Result<(), Error>;
    /// Forgets an incoming QoS 2 id (PUBREL received).
    fn remove_incoming(&mut self, pkid: PacketId) -> Result<(), Error>;
    /// Forgets all incoming QoS 2 ids (the broker lost the session).
    fn clear_incoming(&mut self) -> Result<(), Error>;
}

/// The in-memory image both stores keep, with the update rules in one place.
#[derive(Debug, Clone, Default)]
pub(crate) struct StoreImage {
    outgoing: crate::ordered_map::OrderedMap<StoredMessage>,
    incoming: std::collections::BTreeSet<PacketId>,
}

impl StoreImage {
    pub(crate) fn snapshot(&self) -> StoredState {
        StoredState {
            outgoing: self.outgoing.values().cloned().collect(),
            incoming: self.incoming.iter().copied().collect(),
        }
    }

    pub(crate) fn put_outgoing(&mut self, message: StoredMessage) {
        self.outgoing.insert(message.pkid, message);
    }

    pub(crate) fn mark_released(&mut self, pkid: PacketId) {
        if let Some(m) = self.outgoing.get_mut(pkid) {
            m.released = true;
        }
    }

    pub(crate) fn remove_outgoing(&mut self, pkid: PacketId) -> Option<StoredMessage> {
        self.outgoing.remove(pkid)
    }

    pub(crate) fn put_incoming(&mut self, pkid: PacketId) -> bool {
        self.incoming.insert(pkid)
    }

    pub(crate) fn remove_incoming(&mut self, pkid: PacketId) -> bool {
        self.incoming.remove(&pkid)
    }

    pub(crate) fn clear_incoming(&mut self) {
        self.incoming.clear();
    }

    pub(crate) fn outgoing(&self) -> impl Iterator<Item = &StoredMessage> {
        self.outgoing.values()
    }

    pub(crate) fn incoming(&self) -> impl Iterator<Item = &PacketId> {
        self.incoming.iter()
    }
}
