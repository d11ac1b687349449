//! The sans-IO MQTT 3.1.1 client session: CONNECT/CONNACK, keep-alive,
//! QoS 0/1/2 in both directions, SUBSCRIBE/UNSUBSCRIBE, packet ids, the
//! in-flight window and redelivery after a reconnect.

mod event;
mod options;
mod packet_id;

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use bytes::Bytes;

pub use event::{Event, Republished};
pub use options::{AckMode, SessionOptions};

use crate::Error;
use crate::codec::{
    ConnAck, Connect, ConnectReturnCode, Packet, PacketId, PacketType, Publish, QoS, SubAck,
    Subscribe, SubscribeFilter, Topic, TopicFilter, Unsubscribe,
};
use crate::ordered_map::OrderedMap;
use crate::store::{SessionStore, StoredMessage};
use packet_id::PacketIdAllocator;

/// Where a session stands with respect to its current connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    /// No connection: call [`Session::connect`] once a transport is up.
    Disconnected,
    /// CONNECT queued, waiting for CONNACK.
    Connecting,
    /// CONNACK accepted.
    Connected,
    /// DISCONNECT queued; once [`Session::poll_transmit`] hands it out the
    /// session is `Disconnected` and the caller closes the transport
    /// (MQTT-3.14.4-1).
    Disconnecting,
}

impl SessionState {
    fn name(self) -> &'static str {
        match self {
            Self::Disconnected => "disconnected",
            Self::Connecting => "connecting",
            Self::Connected => "connected",
            Self::Disconnecting => "disconnecting",
        }
    }
}

#[derive(Debug, Clone)]
struct Outgoing {
    message: StoredMessage,
    /// Handed to the transport at least once (so a resend carries DUP).
    sent: bool,
}

impl Outgoing {
    /// What to send for this message when (re)transmitting it.
    fn packet(&self) -> Packet {
        let m = &self.message;
        if m.released {
            Packet::PubRel(m.pkid)
        } else {
            Packet::Publish(Publish {
                dup: self.sent,
                qos: m.qos,
                retain: m.retain,
                topic: m.topic.clone(),
                pkid: Some(m.pkid),
                payload: m.payload.clone(),
            })
        }
    }
}

#[derive(Debug, Clone)]
enum Request {
    Subscribe(Subscribe),
    Unsubscribe(Unsubscribe),
}

impl Request {
    fn pkid(&self) -> PacketId {
        match self {
            Self::Subscribe(s) => s.pkid,
            Self::Unsubscribe(u) => u.pkid,
        }
    }

    fn packet(&self) -> Packet {
        match self {
            Self::Subscribe(s) => Packet::Subscribe(s.clone()),
            Self::Unsubscribe(u) => Packet::Unsubscribe(u.clone()),
        }
    }
}

/// An MQTT 3.1.1 client session, as a plain state machine in the style of
/// quinn-proto's `Connection`: it never does IO and never reads the clock.
///
/// The driver feeds it decoded packets ([`handle_packet`]) and the time
/// ([`handle_timeout`]), and drains, after every call, the packets to write
/// ([`poll_transmit`]), what happened ([`poll_event`]) and when to call
/// again ([`poll_timeout`]). An `Err` from `handle_packet` or
/// `handle_timeout` means "close the transport": the session is already
/// `Disconnected` and keeps its state for the next [`connect`].
///
/// # Reconnecting
/// MQTT 4.4 asks a client that resumes a session to resend unacknowledged
/// PUBLISH packets (with DUP) and PUBREL packets with their original ids, in
/// their original order; the session does that when CONNACK says
/// `session_present`. When it does not (the broker lost the session, or
/// `clean_session` is set), MQTT 3.1.2.4 says the old session state is
/// discarded. This session does *not* drop unacknowledged messages then:
/// it publishes them again without DUP under fresh packet ids and reports
/// the renumbering in [`Event::SessionLost`] (QoS 2 messages the broker had
/// already acknowledged with PUBREC are reported as published instead).
/// Unacknowledged SUBSCRIBE and UNSUBSCRIBE requests are sent again, with
/// their ids, after every CONNACK and before the messages.
///
/// Requests made while disconnected wait for the next CONNACK: QoS 1/2
/// publishes, subscriptions and unsubscriptions; a QoS 0 publish is refused.
///
/// [`handle_packet`]: Session::handle_packet
/// [`handle_timeout`]: Session::handle_timeout
/// [`poll_transmit`]: Session::poll_transmit
/// [`poll_event`]: Session::poll_event
/// [`poll_timeout`]: Session::poll_timeout
/// [`connect`]: Session::connect
pub struct Session {
    options: SessionOptions,
    keep_alive: Option<Duration>,
    ping_timeout: Duration,
    store: Box<dyn SessionStore>,
    state: SessionState,
    connect_deadline: Option<Instant>,
    ids: PacketIdAllocator,
    outgoing: OrderedMap<Outgoing>,
    requests: VecDeque<Request>,
    incoming_qos2: HashSet<PacketId>,
    awaiting_ack: HashMap<PacketId, QoS>,
    transmit: VecDeque<Packet>,
    events: VecDeque<Event>,
    last_sent: Option<Instant>,
    ping_deadline: Option<Instant>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("client_id", &self.options.client_id)
            .field("state", &self.state)
            .field("in_flight", &self.outgoing.len())
            .field("requests", &self.requests.len())
            .field("incoming_qos2", &self.incoming_qos2.len())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Creates a disconnected session and loads whatever `store` kept: those
    /// messages are resent (with DUP) after the next CONNACK.
    pub fn new(options: SessionOptions, store: impl SessionStore + 'static) -> Result<Self, Error> {
        Self::with_boxed_store(options, Box::new(store))
    }

    /// [`Session::new`] with a store chosen at run time.
    pub fn with_boxed_store(
        options: SessionOptions,
        mut store: Box<dyn SessionStore>,
    ) -> Result<Self, Error> {
        let keep_alive_secs = options.keep_alive_secs()?;
        if options.password.is_some() && options.username.is_none() {
            return Err(Error::InvalidOptions(
                "a password needs a user name (MQTT-3.1.2-22)",
            ));
        }
        if options.client_id.is_empty() && !options.clean_session {
            return Err(Error::InvalidOptions(
                "an empty client id needs clean_session (MQTT-3.1.3-7)",
            ));
        }
        if options.max_inflight == 0 {
            return Err(Error::InvalidOptions("max_inflight must be at least 1"));
        }
        let keep_alive = (keep_alive_secs > 0).then(|| Duration::from_secs(keep_alive_secs.into()));
        let ping_timeout = options
            .ping_timeout
            .or(keep_alive)
            .unwrap_or(Duration::ZERO);

        let loaded = store.load()?;
        let mut ids = PacketIdAllocator::default();
        let mut outgoing = OrderedMap::default();
        for message in loaded.outgoing {
            if !ids.claim(message.pkid) {
                return Err(Error::StoreCorrupt(format!(
                    "packet id {} stored twice",
                    message.pkid
                )));
            }
            // Unknown whether it reached the broker: resend with DUP.
            outgoing.insert(
                message.pkid,
                Outgoing {
                    message,
                    sent: true,
                },
            );
        }
        Ok(Self {
            options,
            keep_alive,
            ping_timeout,
            store,
            state: SessionState::Disconnected,
            connect_deadline: None,
            ids,
            outgoing,
            requests: VecDeque::new(),
            incoming_qos2: loaded.incoming.into_iter().collect(),
            awaiting_ack: HashMap::new(),
            transmit: VecDeque::new(),
            events: VecDeque::new(),
            last_sent: None,
            ping_deadline: None,
        })
    }

    // ---- state -----------------------------------------------------------

    /// The connection state.
    pub fn state(&self) -> SessionState {
        self.state
    }

    /// Whether CONNACK accepted the current connection.
    pub fn is_connected(&self) -> bool {
        self.state == SessionState::Connected
    }

    /// The options the session was created with.
    pub fn options(&self) -> &SessionOptions {
        &self.options
    }

    /// Outgoing QoS 1/2 messages not yet acknowledged (the in-flight window use).
    pub fn in_flight(&self) -> usize {
        self.outgoing.len()
    }

    /// Changes the Clean Session flag of the next CONNECT (oneM2M
    /// deregistration reconnects with it set).
    pub fn set_clean_session(&mut self, clean_session: bool) {
        self.options.clean_session = clean_session;
    }

    fn invalid_state(&self, operation: &'static str) -> Error {
        Error::InvalidState {
            operation,
            state: self.state.name(),
        }
    }

    // ---- connection lifecycle -------------------------------------------

    /// Starts a connection on a fresh transport: queues CONNECT and arms the
    /// connect timeout.
    pub fn connect(&mut self, now: Instant) -> Result<(), Error> {
        if self.state != SessionState::Disconnected {
            return Err(self.invalid_state("connect"));
        }
        let o = &self.options;
        let connect = Connect {
            client_id: o.client_id.clone(),
            clean_session: o.clean_session,
            keep_alive: o.keep_alive_secs()?,
            will: o.will.clone(),
            username: o.username.clone(),
            password: o.password.clone(),
        };
        self.transmit.clear();
        self.transmit.push_back(Packet::Connect(Box::new(connect)));
        self.state = SessionState::Connecting;
        self.connect_deadline = Some(now + o.connect_timeout);
        self.ping_deadline = None;
        self.last_sent = Some(now);
        Ok(())
    }

    /// Queues DISCONNECT after whatever is already queued. Once
    /// [`poll_transmit`](Self::poll_transmit) has handed it out, close the
    /// transport. Unacknowledged messages stay in the store.
    pub fn disconnect(&mut self) -> Result<(), Error> {
        match self.state {
            SessionState::Connected | SessionState::Connecting => {
                self.transmit.push_back(Packet::Disconnect);
                self.state = SessionState::Disconnecting;
                Ok(())
            }
            _ => Err(self.invalid_state("disconnect")),
        }
    }

    /// The transport failed or was closed: forget what was queued for it.
    /// Nothing acknowledged is lost; unacknowledged work is resent after the
    /// next CONNACK.
    pub fn connection_lost(&mut self) {
        self.state = SessionState::Disconnected;
        self.transmit.clear();
        self.connect_deadline = None;
        self.ping_deadline = None;
    }

    // ---- outputs ---------------------------------------------------------

    /// The next packet to write, if any. `now` starts the keep-alive
    /// interval: MQTT counts from the last packet the client sent.
    pub fn poll_transmit(&mut self, now: Instant) -> Option<Packet> {
        let packet = self.transmit.pop_front()?;
        match &packet {
            Packet::Publish(Publish { pkid: Some(id), .. }) => {
                if let Some(o) = self.outgoing.get_mut(*id) {
                    o.sent = true;
                }
            }
            Packet::Disconnect => {
                self.state = SessionState::Disconnected;
                self.transmit.clear();
                self.connect_deadline = None;
                self.ping_deadline = None;
            }
            _ => {}
        }
        self.last_sent = Some(now);
        Some(packet)
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) must be called next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.state {
            SessionState::Connecting => self.connect_deadline,
            SessionState::Connected => {
                let keep_alive = self.keep_alive?;
                self.ping_deadline
                    .or_else(|| self.last_sent.map(|t| t + keep_alive))
            }
            _ => None,
        }
    }

    // ---- inputs ----------------------------------------------------------

    /// Advances the timers: sends PINGREQ when the client was idle for a
    /// keep-alive interval, and fails with [`Error::KeepAliveTimeout`] or
    /// [`Error::ConnectTimeout`] when an answer is overdue (the session is
    /// then disconnected; close the transport).
    pub fn handle_timeout(&mut self, now: Instant) -> Result<(), Error> {
        match self.state {
            SessionState::Connecting if self.connect_deadline.is_some_and(|d| now >= d) => {
                self.connection_lost();
                return Err(Error::ConnectTimeout {
                    waited: self.options.connect_timeout,
                });
            }
            SessionState::Connected => {
                let Some(keep_alive) = self.keep_alive else {
                    return Ok(());
                };
                if let Some(deadline) = self.ping_deadline {
                    if now >= deadline {
                        self.connection_lost();
                        return Err(Error::KeepAliveTimeout {
                            waited: self.ping_timeout,
                        });
                    }
                } else if self.last_sent.is_none_or(|t| now >= t + keep_alive) {
                    self.transmit.push_back(Packet::PingReq);
                    self.ping_deadline = Some(now + self.ping_timeout);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Processes one packet from the broker. On `Err` the session is
    /// disconnected and the caller closes the transport.
    pub fn handle_packet(&mut self, packet: Packet, now: Instant) -> Result<(), Error> {
        // Received packets do not move the keep-alive timer: MQTT 3.1.2.10
        // counts what the client sends.
        let _ = now;
        let result = self.dispatch(packet);
        if result.is_err() {
            self.connection_lost();
        }
        result
    }

    fn dispatch(&mut self, packet: Packet) -> Result<(), Error> {
        let packet_type = packet.packet_type();
        let violation = |reason| Error::ProtocolViolation {
            packet_type,
            reason,
        };
        match (self.state, packet) {
            (SessionState::Disconnected, _) => Err(self.invalid_state("handle_packet")),
            (SessionState::Connecting, Packet::ConnAck(ack)) => self.on_connack(ack),
            (SessionState::Connecting, _) => Err(violation(
                "the first packet from the server must be CONNACK (MQTT-3.2.0-1)",
            )),
            (_, Packet::ConnAck(_)) => Err(violation("second CONNACK on one connection")),
            (_, Packet::Publish(p)) => self.on_publish(p),
            (_, Packet::PubAck(id)) => {
                if self
                    .outgoing
                    .get(id)
                    .is_some_and(|o| o.sent && o.message.qos == QoS::AtLeastOnce)
                {
                    self.finish(id)?;
                }
                Ok(())
            }
            (_, Packet::PubRec(id)) => {
                let Some(o) = self.outgoing.get(id) else {
                    return Ok(());
                };
                if !o.sent || o.message.qos != QoS::ExactlyOnce {
                    return Ok(());
                }
                if !o.message.released {
                    self.store.mark_released(id)?;
                    if let Some(o) = self.outgoing.get_mut(id) {
                        o.message.released = true;
                    }
                }
                self.transmit.push_back(Packet::PubRel(id));
                Ok(())
            }
            (_, Packet::PubComp(id)) => {
                if self.outgoing.get(id).is_some_and(|o| o.message.released) {
                    self.finish(id)?;
                }
                Ok(())
            }
            (_, Packet::PubRel(id)) => {
                if self.incoming_qos2.contains(&id) {
                    self.store.remove_incoming(id)?;
                    self.incoming_qos2.remove(&id);
                }
                // Answer even an unknown id so the broker can finish its flow.
                self.transmit.push_back(Packet::PubComp(id));
                Ok(())
            }
            (_, Packet::SubAck(ack)) => self.on_suback(ack),
            (_, Packet::UnsubAck(id)) => {
                if let Some(i) = self.request_index(id, |r| matches!(r, Request::Unsubscribe(_))) {
                    self.requests.remove(i);
                    self.ids.release(id);
                    self.events.push_back(Event::Unsubscribed { pkid: id });
                }
                Ok(())
            }
            (_, Packet::PingResp) => {
                self.ping_deadline = None;
                Ok(())
            }
            (
                _,
                Packet::Connect(_)
                | Packet::Subscribe(_)
                | Packet::Unsubscribe(_)
                | Packet::PingReq
                | Packet::Disconnect,
            ) => Err(violation("a server never sends this packet to a client")),
        }
    }

    fn on_connack(&mut self, ack: ConnAck) -> Result<(), Error> {
        if let ConnectReturnCode::Refused(refusal) = ack.code {
            return Err(Error::ConnectionRefused(refusal));
        }
        if ack.session_present && self.options.clean_session {
            return Err(Error::ProtocolViolation {
                packet_type: PacketType::ConnAck,
                reason: "session present after a clean-session CONNECT (MQTT-3.2.2-1)",
            });
        }
        self.state = SessionState::Connected;
        self.connect_deadline = None;
        self.ping_deadline = None;
        if !ack.session_present {
            self.start_new_session()?;
        }
        for r in &self.requests {
            self.transmit.push_back(r.packet());
        }
        for o in self.outgoing.values() {
            self.transmit.push_back(o.packet());
        }
        self.events.push_back(Event::Connected {
            session_present: ack.session_present,
        });
        Ok(())
    }

    /// The broker has no session for us: drop incoming QoS 2 state, and
    /// publish again, under fresh ids, what the old session may have seen.
    fn start_new_session(&mut self) -> Result<(), Error> {
        if !self.incoming_qos2.is_empty() {
            self.store.clear_incoming()?;
            self.incoming_qos2.clear();
        }
        self.awaiting_ack.clear();
        if !self.outgoing.values().any(|o| o.sent) {
            // Nothing ever reached a broker: the ids are fresh already.
            return Ok(());
        }
        let old_ids: Vec<PacketId> = self.outgoing.values().map(|o| o.message.pkid).collect();
        let mut republished = Vec::new();
        let result = self.renumber(&old_ids, &mut republished);
        // Report what was renumbered even if the store failed half-way.
        self.events.push_back(Event::SessionLost { republished });
        result
    }

    fn renumber(
        &mut self,
        old_ids: &[PacketId],
        republished: &mut Vec<Republished>,
    ) -> Result<(), Error> {
        for &old in old_ids {
            let Some(o) = self.outgoing.get(old) else {
                continue;
            };
            if o.message.released {
                self.finish(old)?;
                continue;
            }
            let mut message = o.message.clone();
            // Allocated while the old id is still held, so old and new ids
            // never overlap and the mapping has no chains.
            message.pkid = self.ids.allocate().ok_or(Error::PacketIdsExhausted)?;
            // Store the new copy before dropping the old one: a crash in
            // between leaves a duplicate, never a loss.
            self.store.put_outgoing(&message)?;
            self.store.remove_outgoing(old)?;
            self.outgoing.remove(old);
            self.ids.release(old);
            republished.push(Republished {
                old,
                new: message.pkid,
            });
            self.outgoing.insert(
                message.pkid,
                Outgoing {
                    message,
                    sent: false,
                },
            );
        }
        Ok(())
    }

    /// An outgoing message is acknowledged for good.
    fn finish(&mut self, id: PacketId) -> Result<(), Error> {
        self.store.remove_outgoing(id)?;
        self.outgoing.remove(id);
        self.ids.release(id);
        self.events.push_back(Event::Published { pkid: id });
        Ok(())
    }

    fn on_publish(&mut self, p: Publish) -> Result<(), Error> {
        let pkid = match (p.qos, p.pkid) {
            (QoS::AtMostOnce, _) => {
                self.events.push_back(Event::Message(p));
                return Ok(());
            }
            (_, Some(id)) => id,
            (_, None) => {
                return Err(Error::ProtocolViolation {
                    packet_type: PacketType::Publish,
                    reason: "QoS 1/2 PUBLISH without packet id",
                });
            }
        };
        let manual = self.options.ack_mode == AckMode::Manual;
        if p.qos == QoS::ExactlyOnce {
            if self.incoming_qos2.contains(&pkid) {
                // Duplicate of a message already delivered and PUBREC'd.
                self.transmit.push_back(Packet::PubRec(pkid));
                return Ok(());
            }
            if self.awaiting_ack.contains_key(&pkid) {
                // Duplicate of a message the application is still handling.
                return Ok(());
            }
            if manual {
                self.awaiting_ack.insert(pkid, p.qos);
            } else {
                self.store.put_incoming(pkid)?;
                self.incoming_qos2.insert(pkid);
                self.transmit.push_back(Packet::PubRec(pkid));
            }
        } else if manual {
            self.awaiting_ack.insert(pkid, p.qos);
        } else {
            self.transmit.push_back(Packet::PubAck(pkid));
        }
        self.events.push_back(Event::Message(p));
        Ok(())
    }

    fn on_suback(&mut self, ack: SubAck) -> Result<(), Error> {
        let Some(i) = self.request_index(ack.pkid, |r| matches!(r, Request::Subscribe(_))) else {
            return Ok(());
        };
        if let Some(Request::Subscribe(s)) = self.requests.get(i)
            && s.filters.len() != ack.return_codes.len()
        {
            return Err(Error::ProtocolViolation {
                packet_type: PacketType::SubAck,
                reason: "SUBACK must carry one return code per filter (MQTT-3.9.3-1)",
            });
        }
        self.requests.remove(i);
        self.ids.release(ack.pkid);
        self.events.push_back(Event::Subscribed {
            pkid: ack.pkid,
            return_codes: ack.return_codes,
        });
        Ok(())
    }

    fn request_index(&self, id: PacketId, kind: impl Fn(&Request) -> bool) -> Option<usize> {
        self.requests.iter().position(|r| r.pkid() == id && kind(r))
    }

    // ---- application requests -------------------------------------------

    /// Publishes a message. QoS 0 needs a connected session and returns
    /// `None`. QoS 1 and 2 return the packet id that the matching
    /// [`Event::Published`] will carry; the message is stored first, so it
    /// survives reconnects (and restarts, with a durable store). Fails with
    /// [`Error::WindowFull`] when `max_inflight` messages await their ack:
    /// wait for an `Event::Published` and retry.
    pub fn publish(
        &mut self,
        topic: Topic,
        payload: Bytes,
        qos: QoS,
        retain: bool,
    ) -> Result<Option<PacketId>, Error> {
        if qos == QoS::AtMostOnce {
            if self.state != SessionState::Connected {
                return Err(self.invalid_state("a QoS 0 publish"));
            }
            self.transmit.push_back(Packet::Publish(Publish {
                dup: false,
                qos,
                retain,
                topic,
                pkid: None,
                payload,
            }));
            return Ok(None);
        }
        if self.outgoing.len() >= usize::from(self.options.max_inflight) {
            return Err(Error::WindowFull {
                limit: self.options.max_inflight,
            });
        }
        let pkid = self.ids.allocate().ok_or(Error::PacketIdsExhausted)?;
        let message = StoredMessage {
            pkid,
            topic,
            payload,
            qos,
            retain,
            released: false,
        };
        if let Err(e) = self.store.put_outgoing(&message) {
            self.ids.release(pkid);
            return Err(e);
        }
        let entry = Outgoing {
            message,
            sent: false,
        };
        if self.state == SessionState::Connected {
            self.transmit.push_back(entry.packet());
        }
        self.outgoing.insert(pkid, entry);
        Ok(Some(pkid))
    }

    /// Subscribes to one or more filters; [`Event::Subscribed`] carries the
    /// result. Sent at once when connected, otherwise after the next CONNACK.
    pub fn subscribe(&mut self, filters: Vec<SubscribeFilter>) -> Result<PacketId, Error> {
        if filters.is_empty() {
            return Err(Error::EmptyPayload {
                packet_type: PacketType::Subscribe,
            });
        }
        let pkid = self.ids.allocate().ok_or(Error::PacketIdsExhausted)?;
        self.push_request(Request::Subscribe(Subscribe { pkid, filters }));
        Ok(pkid)
    }

    /// Unsubscribes from one or more filters; [`Event::Unsubscribed`]
    /// follows. Sent at once when connected, otherwise after the next CONNACK.
    pub fn unsubscribe(&mut self, filters: Vec<TopicFilter>) -> Result<PacketId, Error> {
        if filters.is_empty() {
            return Err(Error::EmptyPayload {
                packet_type: PacketType::Unsubscribe,
            });
        }
        let pkid = self.ids.allocate().ok_or(Error::PacketIdsExhausted)?;
        self.push_request(Request::Unsubscribe(Unsubscribe { pkid, filters }));
        Ok(pkid)
    }

    fn push_request(&mut self, request: Request) {
        if self.state == SessionState::Connected {
            self.transmit.push_back(request.packet());
        }
        self.requests.push_back(request);
    }

    /// In [`AckMode::Manual`], acknowledges a received QoS 1 message (PUBACK)
    /// or QoS 2 message (PUBREC) once the application has handled it. While
    /// disconnected, a QoS 1 ack is dropped (the broker redelivers) and a
    /// QoS 2 ack is recorded, so the redelivered duplicate is answered
    /// without being delivered again. After [`Event::SessionLost`] the
    /// broker no longer expects acks for the old session's messages, and
    /// `ack` answers [`Error::UnknownPacketId`] for them.
    pub fn ack(&mut self, pkid: PacketId) -> Result<(), Error> {
        let Some(qos) = self.awaiting_ack.remove(&pkid) else {
            return Err(Error::UnknownPacketId(pkid));
        };
        let connected = self.state == SessionState::Connected;
        if qos == QoS::ExactlyOnce {
            if let Err(e) = self.store.put_incoming(pkid) {
                self.awaiting_ack.insert(pkid, qos);
                return Err(e);
            }
            self.incoming_qos2.insert(pkid);
            if connected {
                self.transmit.push_back(Packet::PubRec(pkid));
            }
        } else if connected {
            self.transmit.push_back(Packet::PubAck(pkid));
        }
        Ok(())
    }
}
