//! The driver task: the only owner of the socket, the codec and the session.
//!
//! One loop waits for whichever input comes first (bytes read, a write or
//! flush finished, a command, a timer, room in the event channel) and feeds
//! it to the sans-IO session; then it drains the session's outputs (events,
//! packets to write, the next deadline). Reading and writing are separate
//! branches on the two halves of the stream, so a slow writer never stops
//! the reader from taking in PUBACKs. Every branch is cancel safe, which is
//! what lets them share one `select!`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Buf, BytesMut};
use onem2m_mqtt_proto::{
    AckMode, Codec, Event, Packet, QoS, Session, SubscribeFilter, SubscribeReturnCode,
};
use onem2m_transport::{ByteStream, Transport};
use tokio::io::{AsyncReadExt, AsyncWriteExt, ReadHalf, WriteHalf};
use tokio::sync::{Semaphore, mpsc, oneshot, watch};
use tokio::time::{Instant, sleep_until, timeout};

use super::backoff::Backoff;
use super::command::{Control, PublishCommand};
use super::event_sink::EventSink;
use super::outbox::Outbox;
use super::oversize::{OversizeHead, oversize_head};
use super::pending::{Pending, SubscribeWaiter, UnsubscribeWaiter};
use super::subscriptions::Subscriptions;
use super::{AckHandle, ClientEvent, ConnectionStatus, Delivery, Error, ReconnectPolicy};

type Stream = Box<dyn ByteStream>;
type ConnectFuture = Pin<Box<dyn Future<Output = Result<Stream, onem2m_transport::Error>> + Send>>;

/// Room reserved in the read buffer at a time.
const READ_CHUNK: usize = 16 * 1024;
/// Below this much room in the read buffer, a new [`READ_CHUNK`] is reserved.
const READ_LOW_WATER: usize = 2 * 1024;
/// The outbox takes no more packets from the session beyond this; the
/// session keeps the rest queued.
const OUTBOX_HIGH_WATER: usize = 64 * 1024;
/// How long closing our half of the stream may take after DISCONNECT.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);

/// Everything `MqttClient::start` hands to the task.
pub(crate) struct Parts {
    pub(crate) session: Session,
    pub(crate) codec: Box<dyn Codec>,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) reconnect: ReconnectPolicy,
    pub(crate) subscriptions: Vec<SubscribeFilter>,
    pub(crate) shutdown_timeout: Duration,
    pub(crate) publish_rx: mpsc::Receiver<PublishCommand>,
    pub(crate) control_rx: mpsc::UnboundedReceiver<Control>,
    pub(crate) control_tx: mpsc::UnboundedSender<Control>,
    pub(crate) window: Arc<Semaphore>,
    pub(crate) events_tx: mpsc::Sender<ClientEvent>,
    pub(crate) status: watch::Sender<ConnectionStatus>,
    pub(crate) last_error: LastError,
}

/// Why the most recent connection attempt or connection failed, shared with the
/// handle so that a caller waiting for a connection can say why none came.
pub(crate) type LastError = Arc<std::sync::Mutex<Option<String>>>;

enum Phase {
    /// Backing off (or about to make the first attempt).
    Waiting { until: Instant },
    /// The transport is connecting (TCP, TLS, WebSocket handshakes).
    Connecting(ConnectFuture),
    /// A stream is up; the session is connecting, connected or disconnecting.
    Linked(Box<Link>),
    /// The task is about to end.
    Finished,
}

struct Link {
    reader: ReadHalf<Stream>,
    writer: WriteHalf<Stream>,
    read_buf: BytesMut,
    outbox: Outbox,
    connected_at: Option<Instant>,
    /// DISCONNECT is in the outbox: close once it is written.
    closing: bool,
    /// Bytes of an oversize PUBLISH still to be dropped as they arrive.
    discard: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Waiting for outstanding acks (bounded by the deadline).
    Draining,
    /// DISCONNECT queued on the normal connection.
    Disconnecting,
    /// Deregistration: connecting again with Clean Session set.
    CleanConnecting,
    /// DISCONNECT queued on the clean-session connection; the end.
    CleanDisconnecting,
}

struct Shutdown {
    deadline: Instant,
    clean_session: bool,
    stage: Stage,
    waiters: Vec<oneshot::Sender<()>>,
}

enum Input {
    Publish(Option<PublishCommand>),
    Control(Option<Control>),
    Read(std::io::Result<usize>),
    Wrote(std::io::Result<()>),
    SessionTimer,
    BackoffElapsed,
    TransportReady(Result<Stream, onem2m_transport::Error>),
    /// An event went out, a deadline passed: nothing to do but re-evaluate.
    Progress,
    /// The application dropped its `Incoming`.
    AppGone,
}

pub(crate) struct DriverTask {
    session: Session,
    codec: Box<dyn Codec>,
    transport: Arc<dyn Transport>,
    backoff: Backoff,
    phase: Phase,
    publish_rx: mpsc::Receiver<PublishCommand>,
    publishes_open: bool,
    control_rx: mpsc::UnboundedReceiver<Control>,
    control_tx: mpsc::UnboundedSender<Control>,
    window: Arc<Semaphore>,
    pending: Pending,
    subscriptions: Subscriptions,
    events: EventSink,
    status: watch::Sender<ConnectionStatus>,
    last_error: LastError,
    shutdown: Option<Shutdown>,
    shutdown_timeout: Duration,
}

/// Awaits `f` if there is one, forever otherwise (a disabled branch).
async fn maybe<F: Future>(f: Option<F>) -> F::Output {
    match f {
        Some(f) => f.await,
        None => std::future::pending().await,
    }
}

async fn maybe_sleep(until: Option<Instant>) {
    match until {
        Some(t) => sleep_until(t).await,
        None => std::future::pending().await,
    }
}

fn now() -> std::time::Instant {
    Instant::now().into_std()
}

impl DriverTask {
    pub(crate) fn new(parts: Parts) -> Self {
        Self {
            session: parts.session,
            codec: parts.codec,
            transport: parts.transport,
            backoff: Backoff::new(parts.reconnect),
            phase: Phase::Waiting {
                until: Instant::now(),
            },
            publish_rx: parts.publish_rx,
            publishes_open: true,
            control_rx: parts.control_rx,
            control_tx: parts.control_tx,
            window: parts.window,
            pending: Pending::default(),
            subscriptions: Subscriptions::new(parts.subscriptions),
            events: EventSink::new(parts.events_tx),
            status: parts.status,
            last_error: parts.last_error,
            shutdown: None,
            shutdown_timeout: parts.shutdown_timeout,
        }
    }

    pub(crate) async fn run(mut self) {
        while !matches!(self.phase, Phase::Finished) {
            let input = self.next_input().await;
            self.handle_input(input);
            self.pump();
            self.close_link_if_done().await;
        }
        self.finish();
    }

    // ---- waiting -------------------------------------------------------

    async fn next_input(&mut self) -> Input {
        let can_read = !self.events.is_blocked();
        let linked = matches!(self.phase, Phase::Linked(_));
        let session_deadline = if linked {
            self.session.poll_timeout().map(Instant::from_std)
        } else {
            None
        };
        let shutdown_deadline = self
            .shutdown
            .as_ref()
            .filter(|s| s.stage == Stage::Draining)
            .map(|s| s.deadline);
        let accept_publishes = self.publishes_open
            && self
                .shutdown
                .as_ref()
                .is_none_or(|s| s.stage == Stage::Draining);

        let (mut read, mut write, mut connecting, mut backoff) = (None, None, None, None);
        match &mut self.phase {
            Phase::Linked(link) => {
                let link = &mut **link;
                if can_read {
                    // Decoded packets share the buffer's block (zero copy), so a
                    // reserve that finds too little room allocates a fresh one:
                    // only do it when the room left is small.
                    if link.read_buf.capacity() - link.read_buf.len() < READ_LOW_WATER {
                        link.read_buf.reserve(READ_CHUNK);
                    }
                    read = Some(link.reader.read_buf(&mut link.read_buf));
                }
                if link.outbox.has_work() {
                    write = Some(link.outbox.write_step(&mut link.writer));
                }
            }
            Phase::Connecting(f) => connecting = Some(f),
            Phase::Waiting { until } => backoff = Some(*until),
            Phase::Finished => {}
        }
        let events = &mut self.events;
        tokio::select! {
            r = maybe(read) => Input::Read(r),
            r = maybe(write) => Input::Wrote(r),
            r = maybe(connecting) => Input::TransportReady(r),
            () = maybe_sleep(backoff) => Input::BackoffElapsed,
            () = maybe_sleep(session_deadline) => Input::SessionTimer,
            () = maybe_sleep(shutdown_deadline) => Input::Progress,
            c = self.control_rx.recv() => Input::Control(c),
            p = self.publish_rx.recv(), if accept_publishes => Input::Publish(p),
            permit = events.tx.reserve(), if !events.parked.is_empty() => {
                match permit {
                    Ok(permit) => {
                        if let Some(event) = events.parked.pop_front() {
                            permit.send(event);
                        }
                        Input::Progress
                    }
                    Err(_) => Input::AppGone,
                }
            }
        }
    }

    // ---- inputs --------------------------------------------------------

    fn handle_input(&mut self, input: Input) {
        match input {
            Input::Publish(Some(command)) => self.on_publish(command),
            Input::Publish(None) => {
                self.publishes_open = false;
                if self.shutdown.is_none() {
                    tracing::info!("every client handle dropped; shutting down");
                    self.begin_shutdown(false, None);
                }
            }
            Input::Control(Some(control)) => self.on_control(control),
            Input::Control(None) | Input::Progress => {}
            Input::AppGone => self.events.app_gone(),
            Input::Read(Ok(0)) => self.lose_link(Error::ConnectionClosed),
            Input::Read(Ok(_)) | Input::Wrote(Ok(())) => {}
            Input::Read(Err(e)) | Input::Wrote(Err(e)) => self.lose_link(Error::Io(e)),
            Input::SessionTimer => {
                if let Err(e) = self.session.handle_timeout(now()) {
                    self.lose_link(e.into());
                }
            }
            Input::BackoffElapsed => self.start_connecting(),
            Input::TransportReady(Ok(stream)) => self.link_up(stream),
            Input::TransportReady(Err(e)) => self.lose_link(e.into()),
        }
    }

    fn on_publish(&mut self, command: PublishCommand) {
        let PublishCommand {
            topic,
            payload,
            qos,
            reply,
        } = command;
        match self.session.publish(topic, payload, qos, false) {
            Ok(Some(pkid)) => {
                self.pending.publishes.insert(pkid, reply);
            }
            Ok(None) => {
                let _ = reply.send(Ok(()));
            }
            Err(e) => {
                if qos != QoS::AtMostOnce {
                    self.window.add_permits(1);
                }
                let e = match e {
                    onem2m_mqtt_proto::Error::InvalidState { .. } => Error::NotConnected,
                    other => other.into(),
                };
                let _ = reply.send(Err(e));
            }
        }
    }

    fn on_control(&mut self, control: Control) {
        match control {
            Control::Ack(pkid) => {
                if let Err(e) = self.session.ack(pkid) {
                    tracing::debug!(%pkid, error = %e, "ack not needed any more");
                }
            }
            Control::Subscribe { filters, reply } => {
                match self.session.subscribe(filters.clone()) {
                    Ok(pkid) => {
                        let waiter = SubscribeWaiter {
                            filters,
                            reply: Some(reply),
                        };
                        self.pending.subscribes.insert(pkid, waiter);
                    }
                    Err(e) => {
                        let _ = reply.send(Err(e.into()));
                    }
                }
            }
            Control::Unsubscribe { filters, reply } => {
                match self.session.unsubscribe(filters.clone()) {
                    Ok(pkid) => {
                        let waiter = UnsubscribeWaiter { filters, reply };
                        self.pending.unsubscribes.insert(pkid, waiter);
                    }
                    Err(e) => {
                        let _ = reply.send(Err(e.into()));
                    }
                }
            }
            Control::Shutdown {
                clean_session,
                reply,
            } => self.begin_shutdown(clean_session, Some(reply)),
        }
    }

    // ---- connection lifecycle ------------------------------------------

    fn start_connecting(&mut self) {
        let transport = Arc::clone(&self.transport);
        tracing::debug!("connecting");
        self.phase = Phase::Connecting(Box::pin(async move { transport.connect().await }));
    }

    fn link_up(&mut self, stream: Stream) {
        let (reader, writer) = tokio::io::split(stream);
        self.phase = Phase::Linked(Box::new(Link {
            reader,
            writer,
            read_buf: BytesMut::with_capacity(READ_CHUNK),
            outbox: Outbox::default(),
            connected_at: None,
            closing: false,
            discard: 0,
        }));
        if let Err(e) = self.session.connect(now()) {
            self.lose_link(e.into());
        }
    }

    /// The connection failed or could not be made: back off and retry,
    /// unless shutting down.
    fn lose_link(&mut self, error: Error) {
        let lasted = match std::mem::replace(&mut self.phase, Phase::Finished) {
            Phase::Linked(link) => link.connected_at.map(|t| t.elapsed()),
            _ => None,
        };
        self.session.connection_lost();
        self.set_connected(None);
        if self.shutdown.is_some() {
            tracing::info!(error = %error, "connection ended during shutdown");
            self.events.status(ClientEvent::Disconnected {
                error,
                retry_in: None,
            });
            self.after_close();
            return;
        }
        if lasted.is_some_and(|d| d >= self.backoff.policy().stable_after) {
            self.backoff.reset();
        }
        *self
            .last_error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(error.to_string());
        let delay = self.backoff.next_delay(error.is_permanent());
        tracing::warn!(error = %error, retry_in = ?delay, permanent = error.is_permanent(), "connection lost");
        self.phase = Phase::Waiting {
            until: Instant::now() + delay,
        };
        self.events.status(ClientEvent::Disconnected {
            error,
            retry_in: Some(delay),
        });
    }

    /// Once DISCONNECT is written: close the stream ourselves (MQTT-3.14.4-1;
    /// some brokers never close it).
    async fn close_link_if_done(&mut self) {
        let done =
            matches!(&self.phase, Phase::Linked(link) if link.closing && !link.outbox.has_work());
        if !done {
            return;
        }
        if let Phase::Linked(mut link) = std::mem::replace(&mut self.phase, Phase::Finished) {
            if timeout(CLOSE_TIMEOUT, link.writer.shutdown())
                .await
                .is_err()
            {
                tracing::debug!("closing the stream timed out");
            }
            // Dropping both halves closes the socket.
            drop(link);
        }
        tracing::info!("disconnected");
        self.set_connected(None);
        self.after_close();
    }

    // ---- shutdown ------------------------------------------------------

    fn begin_shutdown(&mut self, clean_session: bool, reply: Option<oneshot::Sender<()>>) {
        if let Some(s) = &mut self.shutdown {
            s.clean_session |= clean_session;
            s.waiters.extend(reply);
            return;
        }
        tracing::info!(
            in_flight = self.session.in_flight(),
            clean_session,
            "shutting down"
        );
        // Queued publishes are still taken (their callers were accepted);
        // waiting callers fail with Closed.
        self.publish_rx.close();
        self.window.close();
        self.shutdown = Some(Shutdown {
            deadline: Instant::now() + self.shutdown_timeout,
            clean_session,
            stage: Stage::Draining,
            waiters: reply.into_iter().collect(),
        });
        if !matches!(self.phase, Phase::Linked(_)) {
            // No connection to flush.
            self.phase = Phase::Finished;
            self.after_close();
        }
    }

    /// Sends DISCONNECT once nothing is outstanding or the deadline passed.
    fn advance_shutdown(&mut self) {
        let Some(s) = &mut self.shutdown else {
            return;
        };
        if s.stage != Stage::Draining || self.publishes_open {
            return;
        }
        if !matches!(self.phase, Phase::Linked(_)) {
            return;
        }
        let idle = self.session.is_connected() && self.session.in_flight() == 0;
        let overdue = Instant::now() >= s.deadline;
        if !idle && !overdue {
            return;
        }
        if !idle {
            tracing::warn!(
                in_flight = self.session.in_flight(),
                "shutdown timeout: unacknowledged messages stay in the session store"
            );
        }
        // Queued after any pending PUBACK, so those are flushed first.
        match self.session.disconnect() {
            Ok(()) => s.stage = Stage::Disconnecting,
            Err(e) => self.lose_link(e.into()),
        }
    }

    /// The stream is gone during shutdown: connect with Clean Session for a
    /// deregistration, or stop.
    fn after_close(&mut self) {
        let Some(s) = &mut self.shutdown else {
            // Not shutting down: the caller schedules a reconnect.
            return;
        };
        if s.clean_session && matches!(s.stage, Stage::Draining | Stage::Disconnecting) {
            s.stage = Stage::CleanConnecting;
            self.session.set_clean_session(true);
            tracing::info!("reconnecting with clean session to discard the broker's session");
            self.start_connecting();
        } else {
            self.phase = Phase::Finished;
        }
    }

    fn finish(self) {
        let Self {
            session,
            mut pending,
            window,
            status,
            shutdown,
            ..
        } = self;
        // Release the store (a file) before anyone is told we are done, so a
        // new client can open it.
        drop(session);
        pending.fail_all();
        window.close();
        status.send_modify(|s| {
            s.connected = false;
            s.closed = true;
        });
        for waiter in shutdown.into_iter().flat_map(|s| s.waiters) {
            let _ = waiter.send(());
        }
        tracing::info!("stopped");
    }

    // ---- outputs -------------------------------------------------------

    /// Drains everything the last input made ready.
    fn pump(&mut self) {
        self.decode_input();
        self.drain_events();
        self.advance_shutdown();
        self.fill_outbox();
    }

    /// Feeds buffered bytes to the session, one packet at a time, until the
    /// application's channel is full.
    fn decode_input(&mut self) {
        while !self.events.is_blocked() {
            let Phase::Linked(link) = &mut self.phase else {
                return;
            };
            if link.discard > 0 {
                let n = link.discard.min(link.read_buf.len());
                link.read_buf.advance(n);
                link.discard -= n;
                if link.discard > 0 {
                    return;
                }
            }
            let packet = match self.codec.decode(&mut link.read_buf) {
                Ok(Some(packet)) => packet,
                Ok(None) => return,
                Err(onem2m_mqtt_proto::Error::PacketTooLarge { size, limit }) => {
                    match oversize_head(&link.read_buf) {
                        OversizeHead::Skip { pkid, topic } => {
                            let why = "message larger than the maximum packet size dropped";
                            tracing::warn!(size, limit, %topic, "{why}");
                            link.discard = size;
                            if let Some(pkid) = pkid
                                && let Err(e) =
                                    link.outbox.push(self.codec.as_ref(), &Packet::PubAck(pkid))
                            {
                                return self.lose_link(e.into());
                            }
                            continue;
                        }
                        OversizeHead::NeedMore => return,
                        OversizeHead::Fatal => {
                            return self.lose_link(
                                onem2m_mqtt_proto::Error::PacketTooLarge { size, limit }.into(),
                            );
                        }
                    }
                }
                Err(e) => return self.lose_link(e.into()),
            };
            tracing::debug!(packet = ?packet.packet_type(), "received");
            if let Err(e) = self.session.handle_packet(packet, now()) {
                return self.lose_link(e.into());
            }
            self.drain_events();
        }
    }

    fn drain_events(&mut self) {
        while let Some(event) = self.session.poll_event() {
            self.on_event(event);
        }
    }

    fn fill_outbox(&mut self) {
        loop {
            let Phase::Linked(link) = &mut self.phase else {
                return;
            };
            if link.outbox.len() >= OUTBOX_HIGH_WATER {
                return;
            }
            let Some(packet) = self.session.poll_transmit(now()) else {
                return;
            };
            tracing::debug!(packet = ?packet.packet_type(), "sending");
            if matches!(packet, Packet::Disconnect) {
                link.closing = true;
            }
            if let Err(e) = link.outbox.push(self.codec.as_ref(), &packet) {
                return self.lose_link(e.into());
            }
        }
    }

    fn on_event(&mut self, event: Event) {
        match event {
            Event::Connected { session_present } => self.on_connected(session_present),
            Event::SessionLost { republished } => {
                tracing::info!(
                    republished = republished.len(),
                    "broker lost the session; unacknowledged messages published again"
                );
                self.pending.renumber(&republished);
                self.events.status(ClientEvent::SessionLost {
                    republished: republished.len(),
                });
            }
            Event::Message(publish) => {
                let ack = match (self.session.options().ack_mode, publish.pkid) {
                    (AckMode::Manual, Some(pkid)) if publish.qos != QoS::AtMostOnce => {
                        Some(AckHandle::new(pkid, self.control_tx.clone()))
                    }
                    _ => None,
                };
                self.events
                    .message(ClientEvent::Message(Delivery::new(publish, ack)));
            }
            Event::Published { pkid } => {
                self.window.add_permits(1);
                self.pending.complete_publish(pkid);
            }
            Event::Subscribed { pkid, return_codes } => self.on_suback(pkid, return_codes),
            Event::Unsubscribed { pkid } => {
                if let Some(w) = self.pending.unsubscribes.remove(&pkid) {
                    for f in &w.filters {
                        self.subscriptions.remove(f);
                    }
                    let _ = w.reply.send(Ok(()));
                }
            }
            other => tracing::debug!(event = ?other, "session event ignored"),
        }
    }

    fn on_connected(&mut self, session_present: bool) {
        let first = self.status.borrow().connections == 0;
        if let Phase::Linked(link) = &mut self.phase {
            link.connected_at = Some(Instant::now());
        }
        self.set_connected(Some(session_present));
        if let Some(s) = &mut self.shutdown
            && s.stage == Stage::CleanConnecting
        {
            tracing::info!("clean session connected; disconnecting");
            s.stage = Stage::CleanDisconnecting;
            if let Err(e) = self.session.disconnect() {
                self.lose_link(e.into());
            }
            return;
        }
        tracing::info!(session_present, "connected");
        let batches: Vec<_> = if first || !session_present {
            self.subscriptions.batches().collect()
        } else {
            self.subscriptions.shared_batches()
        };
        if !batches.is_empty() {
            tracing::info!(
                filters = batches.iter().map(Vec::len).sum::<usize>(),
                "subscribing again"
            );
            for filters in batches {
                match self.session.subscribe(filters.clone()) {
                    Ok(pkid) => {
                        let waiter = SubscribeWaiter {
                            filters,
                            reply: None,
                        };
                        self.pending.subscribes.insert(pkid, waiter);
                    }
                    Err(e) => tracing::warn!(error = %e, "cannot subscribe again"),
                }
            }
        }
        self.events
            .status(ClientEvent::Connected { session_present });
    }

    fn on_suback(&mut self, pkid: onem2m_mqtt_proto::PacketId, codes: Vec<SubscribeReturnCode>) {
        let Some(waiter) = self.pending.subscribes.remove(&pkid) else {
            return;
        };
        let mut granted = Vec::with_capacity(codes.len());
        let mut refused = Vec::new();
        for (filter, code) in waiter.filters.into_iter().zip(codes) {
            match code {
                SubscribeReturnCode::Success(qos) => {
                    granted.push(qos);
                    self.subscriptions.add(filter);
                }
                SubscribeReturnCode::Failure => {
                    self.subscriptions.remove(&filter.filter);
                    refused.push(filter.filter.as_str().to_owned());
                }
            }
        }
        match waiter.reply {
            Some(reply) => {
                let result = if refused.is_empty() {
                    Ok(granted)
                } else {
                    Err(Error::SubscriptionRefused { filters: refused })
                };
                let _ = reply.send(result);
            }
            None if !refused.is_empty() => {
                tracing::warn!(filters = ?refused, "broker refused to restore subscriptions");
                self.events
                    .status(ClientEvent::ResubscribeRefused { filters: refused });
            }
            None => {}
        }
    }

    /// `Some(session_present)` after CONNACK, `None` when the link is gone.
    fn set_connected(&self, connected: Option<bool>) {
        self.status.send_if_modified(|s| {
            let before = *s;
            match connected {
                Some(session_present) => {
                    s.connected = true;
                    s.session_present = session_present;
                    s.connections += 1;
                }
                None => s.connected = false,
            }
            *s != before
        });
    }
}
