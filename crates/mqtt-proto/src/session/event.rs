//! What a session reports to the layer above.

use crate::codec::{PacketId, Publish, SubscribeReturnCode};

/// Something that happened, drained with [`Session::poll_event`](crate::Session::poll_event).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// CONNACK accepted the connection. With `session_present == false` the
    /// broker has no subscriptions for this client: subscribe again.
    Connected {
        /// Whether the broker resumed a stored session.
        session_present: bool,
    },
    /// The broker had no session although this client had sent messages in
    /// an earlier one. Emitted before `Connected`. Unacknowledged QoS 1/2
    /// messages that may have reached the old session are published again
    /// without DUP under fresh packet ids, listed here so the caller can
    /// follow them; QoS 2 messages whose PUBREC had arrived are reported as
    /// [`Event::Published`] instead (resending them would break
    /// exactly-once); incoming QoS 2 ids are forgotten.
    SessionLost {
        /// Old and new packet id of every message published again.
        republished: Vec<Republished>,
    },
    /// An application message arrived. At QoS 1/2 in
    /// [`AckMode::Manual`](crate::AckMode::Manual), acknowledge it with
    /// [`Session::ack`](crate::Session::ack) and its `pkid`.
    Message(Publish),
    /// The broker took responsibility for an outgoing message: PUBACK for
    /// QoS 1, PUBCOMP for QoS 2.
    Published {
        /// Packet id returned by `publish`.
        pkid: PacketId,
    },
    /// SUBACK: one code per filter, 0x80 (`Failure`) for a refused one.
    Subscribed {
        /// Packet id returned by `subscribe`.
        pkid: PacketId,
        /// Granted QoS or failure, in the order of the filters.
        return_codes: Vec<SubscribeReturnCode>,
    },
    /// UNSUBACK.
    Unsubscribed {
        /// Packet id returned by `unsubscribe`.
        pkid: PacketId,
    },
}

/// A message published again under a new packet id after the session was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Republished {
    /// The id `publish` returned (or a previous renumbering gave).
    pub old: PacketId,
    /// The id now in flight.
    pub new: PacketId,
}
