//! What the driver hands to the application: messages and connection events.

use std::time::Duration;

use bytes::Bytes;
use onem2m_mqtt_proto::{PacketId, QoS, Topic};
use tokio::sync::mpsc;

use super::Error;
use super::command::Control;

/// Something the application may want to know, in the order it happened.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClientEvent {
    /// CONNACK accepted a connection. With `session_present == false` the
    /// driver has already re-subscribed every filter it knows.
    Connected {
        /// Whether the broker resumed a stored session.
        session_present: bool,
    },
    /// The broker had no session although messages were outstanding; they
    /// were published again under fresh packet ids (their `publish` calls
    /// still resolve on the new acknowledgements).
    SessionLost {
        /// How many messages were published again.
        republished: usize,
    },
    /// An application message.
    Message(Delivery),
    /// The connection failed or could not be made. The driver tries again
    /// after `retry_in`; `None` means it is shutting down.
    Disconnected {
        /// Why.
        error: Error,
        /// Delay before the next attempt.
        retry_in: Option<Duration>,
    },
    /// Re-subscribing after a lost session was refused for these filters.
    ResubscribeRefused {
        /// The refused filters.
        filters: Vec<String>,
    },
}

/// A received application message.
///
/// In [`AckMode::Manual`](onem2m_mqtt_proto::AckMode::Manual) a QoS 1/2
/// delivery carries an acknowledgement: PUBACK (or PUBREC) is sent only when
/// [`ack`](Self::ack) is called, so "PUBACK after the handler returns" is
/// possible. A delivery dropped without `ack` stays unacknowledged and the
/// broker redelivers it after the next reconnect.
#[derive(Debug)]
#[non_exhaustive]
pub struct Delivery {
    /// Topic name.
    pub topic: Topic,
    /// Payload, a slice of the read buffer (not copied).
    pub payload: Bytes,
    /// QoS it was delivered with.
    pub qos: QoS,
    /// RETAIN flag.
    pub retain: bool,
    /// DUP flag: possibly a redelivery.
    pub dup: bool,
    ack: Option<AckHandle>,
}

impl Delivery {
    pub(crate) fn new(publish: onem2m_mqtt_proto::Publish, ack: Option<AckHandle>) -> Self {
        Self {
            topic: publish.topic,
            payload: publish.payload,
            qos: publish.qos,
            retain: publish.retain,
            dup: publish.dup,
            ack,
        }
    }

    /// Whether this delivery waits for [`ack`](Self::ack) (manual mode, QoS 1/2).
    pub fn needs_ack(&self) -> bool {
        self.ack.is_some()
    }

    /// Acknowledges the message (no-op in automatic mode or at QoS 0).
    pub fn ack(mut self) {
        if let Some(handle) = self.ack.take() {
            handle.ack();
        }
    }

    /// Takes the acknowledgement out, to ack after the payload has moved on.
    pub fn take_ack(&mut self) -> Option<AckHandle> {
        self.ack.take()
    }
}

/// The acknowledgement of one manually acknowledged message.
#[derive(Debug)]
pub struct AckHandle {
    pkid: PacketId,
    control: mpsc::UnboundedSender<Control>,
}

impl AckHandle {
    pub(crate) fn new(pkid: PacketId, control: mpsc::UnboundedSender<Control>) -> Self {
        Self { pkid, control }
    }

    /// The packet id being acknowledged.
    pub fn packet_id(&self) -> PacketId {
        self.pkid
    }

    /// Queues PUBACK (QoS 1) or PUBREC (QoS 2). Never blocks. If the
    /// connection dropped since delivery the ack is moot: the broker
    /// redelivers, and that delivery is acked instead.
    pub fn ack(self) {
        // The driver being gone means there is no connection to ack on.
        let _ = self.control.send(Control::Ack(self.pkid));
    }
}

/// The application's end of the event channel, returned by
/// [`MqttClient::start`](super::MqttClient::start).
///
/// Read it from a task of its own: the channel is bounded, and while it is
/// full the driver stops reading from the socket, which also holds back the
/// PUBACKs that `publish` waits for. A task that awaits `publish` without
/// draining `Incoming` can therefore stall once the channel is full. Only
/// messages wait for room; connection events are dropped when the channel is
/// full (the current state is always in
/// [`MqttClient::status`](super::MqttClient::status)). Dropping `Incoming`
/// is fine: messages are then acknowledged (automatic mode) and discarded.
#[derive(Debug)]
pub struct Incoming {
    rx: mpsc::Receiver<ClientEvent>,
}

impl Incoming {
    pub(crate) fn new(rx: mpsc::Receiver<ClientEvent>) -> Self {
        Self { rx }
    }

    /// The next event; `None` once the driver has stopped.
    ///
    /// Cancel safety: cancel safe, no event is lost.
    pub async fn recv(&mut self) -> Option<ClientEvent> {
        self.rx.recv().await
    }

    /// The next event if one is waiting.
    pub fn try_recv(&mut self) -> Option<ClientEvent> {
        self.rx.try_recv().ok()
    }

    /// The next message, skipping connection events.
    ///
    /// Cancel safety: cancel safe, no message is lost.
    pub async fn next_message(&mut self) -> Option<Delivery> {
        loop {
            if let ClientEvent::Message(delivery) = self.rx.recv().await? {
                return Some(delivery);
            }
        }
    }
}

/// The connection state, always current (unlike events, never dropped).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectionStatus {
    /// CONNACK accepted the current connection.
    pub connected: bool,
    /// The last CONNACK's session-present flag.
    pub session_present: bool,
    /// Connections accepted so far.
    pub connections: u64,
    /// The driver has stopped.
    pub closed: bool,
}
