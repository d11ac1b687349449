//! The cloneable handle the application holds.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use onem2m_mqtt_proto::{
    Packet, PacketId, Publish, QoS, Session, SubscribeFilter, Topic, TopicFilter,
};
use tokio::sync::{Semaphore, TryAcquireError, mpsc, oneshot, watch};
use tracing::Instrument;

use super::command::{Control, PublishCommand};
use super::task::DriverTask;
use super::{ClientConfig, ConnectionStatus, Error, Incoming};

/// A handle to a running MQTT client; clone it freely.
///
/// [`start`](Self::start) spawns the driver task, which owns the transport,
/// the codec and the session, connects, reconnects, and keeps going until
/// [`shutdown`](Self::shutdown) or until every handle is dropped (which
/// shuts down the same way).
///
/// # Cancel safety
/// Dropping a future returned by a method never loses protocol traffic:
/// once a request has reached the driver, the session owns it.
/// - `publish`: dropped while waiting for window room, nothing was sent;
///   dropped later, the message is published (and resent until acknowledged)
///   anyway, only the notification is lost.
/// - `subscribe` / `unsubscribe`: dropped after the request left, it still
///   happens and a granted filter is still restored after a lost session.
/// - `shutdown` / `close_session`: dropped, the shutdown still proceeds.
#[derive(Debug, Clone)]
pub struct MqttClient {
    publish_tx: mpsc::Sender<PublishCommand>,
    control_tx: mpsc::UnboundedSender<Control>,
    window: Arc<Semaphore>,
    status: watch::Receiver<ConnectionStatus>,
    last_error: super::task::LastError,
    max_packet_size: usize,
}

impl MqttClient {
    /// Spawns the driver on the current tokio runtime and returns the handle
    /// and the application's event receiver. The first connection is made
    /// in the background: await [`connected`](Self::connected) or watch for
    /// [`ClientEvent::Connected`](super::ClientEvent::Connected). Messages
    /// left in the session store by an earlier run are resent after it.
    pub fn start(config: ClientConfig) -> Result<(Self, Incoming), Error> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| Error::NoRuntime)?;
        if config.incoming_capacity == 0 {
            return Err(Error::InvalidConfig("incoming_capacity must be at least 1"));
        }
        if config.publish_queue == 0 {
            return Err(Error::InvalidConfig("publish_queue must be at least 1"));
        }
        let session = Session::with_boxed_store(config.session, config.store)?;
        let room = usize::from(session.options().max_inflight).saturating_sub(session.in_flight());
        let window = Arc::new(Semaphore::new(room));
        let (publish_tx, publish_rx) = mpsc::channel(config.publish_queue);
        let (control_tx, control_rx) = mpsc::unbounded_channel();
        let (events_tx, events_rx) = mpsc::channel(config.incoming_capacity);
        let (status_tx, status_rx) = watch::channel(ConnectionStatus::default());
        let max_packet_size = config.codec.max_packet_size();
        let last_error = super::task::LastError::default();
        let span = tracing::info_span!(
            "mqtt_client",
            client_id = %session.options().client_id,
            transport = %config.transport.describe(),
        );
        let task = DriverTask::new(super::task::Parts {
            session,
            codec: config.codec,
            transport: config.transport,
            reconnect: config.reconnect,
            subscriptions: config.subscriptions,
            shutdown_timeout: config.shutdown_timeout,
            publish_rx,
            control_rx,
            control_tx: control_tx.clone(),
            window: Arc::clone(&window),
            events_tx,
            status: status_tx,
            last_error: Arc::clone(&last_error),
        });
        runtime.spawn(task.run().instrument(span));
        let client = Self {
            publish_tx,
            control_tx,
            window,
            status: status_rx,
            last_error,
            max_packet_size,
        };
        Ok((client, Incoming::new(events_rx)))
    }

    /// Publishes a message and resolves when the broker has taken it:
    /// PUBACK for QoS 1, PUBCOMP for QoS 2, and for QoS 0 once it is handed
    /// to the connection. While the in-flight window is full it waits for
    /// room, so memory does not grow with the callers. A QoS 1/2 message is
    /// accepted while disconnected and sent after the next CONNACK; QoS 0
    /// then fails with [`Error::NotConnected`]. A message too large for the
    /// codec fails at once with `PacketTooLarge`.
    ///
    /// Cancel safety: see the type's documentation; the message is never
    /// half sent.
    pub async fn publish(&self, topic: Topic, payload: Bytes, qos: QoS) -> Result<(), Error> {
        self.check_size(&topic, &payload, qos)?;
        let permit = if qos == QoS::AtMostOnce {
            None
        } else {
            Some(self.window.acquire().await.map_err(|_| Error::Closed)?)
        };
        let (reply, receipt) = oneshot::channel();
        let command = PublishCommand {
            topic,
            payload,
            qos,
            reply,
        };
        self.publish_tx
            .send(command)
            .await
            .map_err(|_| Error::Closed)?;
        // From here the driver holds the window slot until the ack.
        if let Some(p) = permit {
            p.forget();
        }
        PublishReceipt(receipt).await
    }

    /// Hands a message over without waiting; fails with [`Error::Full`] when
    /// the in-flight window or the publish queue has no room. The returned
    /// receipt resolves like [`publish`](Self::publish); dropping it does not
    /// cancel the message.
    pub fn try_publish(
        &self,
        topic: Topic,
        payload: Bytes,
        qos: QoS,
    ) -> Result<PublishReceipt, Error> {
        self.check_size(&topic, &payload, qos)?;
        let permit = if qos == QoS::AtMostOnce {
            None
        } else {
            Some(self.window.try_acquire().map_err(|e| match e {
                TryAcquireError::Closed => Error::Closed,
                TryAcquireError::NoPermits => Error::Full,
            })?)
        };
        let (reply, receipt) = oneshot::channel();
        let command = PublishCommand {
            topic,
            payload,
            qos,
            reply,
        };
        self.publish_tx.try_send(command).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => Error::Full,
            mpsc::error::TrySendError::Closed(_) => Error::Closed,
        })?;
        if let Some(p) = permit {
            p.forget();
        }
        Ok(PublishReceipt(receipt))
    }

    /// Subscribes and resolves on SUBACK with the granted QoS per filter.
    /// Filters refused with 0x80 make it fail with
    /// [`Error::SubscriptionRefused`] naming them; the granted ones are in
    /// place. Granted filters are subscribed again whenever the broker loses
    /// the session. Sent after the next CONNACK when disconnected.
    pub async fn subscribe(&self, filters: Vec<SubscribeFilter>) -> Result<Vec<QoS>, Error> {
        let (reply, rx) = oneshot::channel();
        self.control_tx
            .send(Control::Subscribe { filters, reply })
            .map_err(|_| Error::Closed)?;
        rx.await.map_err(|_| Error::Closed)?
    }

    /// Unsubscribes and resolves on UNSUBACK; the filters are no longer
    /// restored after a lost session.
    pub async fn unsubscribe(&self, filters: Vec<TopicFilter>) -> Result<(), Error> {
        let (reply, rx) = oneshot::channel();
        self.control_tx
            .send(Control::Unsubscribe { filters, reply })
            .map_err(|_| Error::Closed)?;
        rx.await.map_err(|_| Error::Closed)?
    }

    /// Shuts down gracefully and resolves once the driver has stopped: no
    /// new publishes are taken (waiting ones fail with [`Error::Closed`]);
    /// queued publishes are sent; outstanding acknowledgements are awaited up
    /// to the configured `shutdown_timeout`; pending PUBACKs to the broker are
    /// flushed; DISCONNECT is sent; then the client closes the socket itself
    /// (MQTT-3.14.4-1). Unacknowledged messages stay in the session store.
    /// The broker keeps the session (unless `clean_session` was set).
    pub async fn shutdown(&self) {
        self.stop(false).await;
    }

    /// oneM2M deregistration: [`shutdown`](Self::shutdown), then connect once
    /// more with Clean Session set, so that the broker discards the session
    /// and its queued messages, and disconnect again.
    pub async fn close_session(&self) {
        self.stop(true).await;
    }

    async fn stop(&self, clean_session: bool) {
        let (reply, done) = oneshot::channel();
        if self
            .control_tx
            .send(Control::Shutdown {
                clean_session,
                reply,
            })
            .is_ok()
        {
            // An error only means the driver had already stopped.
            let _ = done.await;
        }
    }

    /// The connection state now.
    pub fn status(&self) -> ConnectionStatus {
        *self.status.borrow()
    }

    /// Why the most recent connection attempt or connection failed (TLS refusal,
    /// connection refused, CONNACK refusal, ...), if one did. A caller that gave up
    /// waiting for [`connected`](Self::connected) reports this as the cause.
    pub fn last_error(&self) -> Option<String> {
        self.last_error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Waits until a connection is up (at once if it is) and returns its
    /// state; fails with [`Error::Closed`] if the driver stops first.
    ///
    /// Cancel safety: cancel safe.
    pub async fn connected(&self) -> Result<ConnectionStatus, Error> {
        let mut status = self.status.clone();
        let now = *status
            .wait_for(|s| s.connected || s.closed)
            .await
            .map_err(|_| Error::Closed)?;
        if now.connected {
            Ok(now)
        } else {
            Err(Error::Closed)
        }
    }

    /// Waits until the driver task has stopped.
    ///
    /// Cancel safety: cancel safe.
    pub async fn closed(&self) {
        let mut status = self.status.clone();
        let _ = status.wait_for(|s| s.closed).await;
    }

    /// Rejects what the codec would refuse, before it takes a window slot.
    fn check_size(&self, topic: &Topic, payload: &Bytes, qos: QoS) -> Result<(), Error> {
        let probe = Packet::Publish(Publish {
            dup: false,
            qos,
            retain: false,
            topic: topic.clone(),
            pkid: if qos == QoS::AtMostOnce {
                None
            } else {
                PacketId::new(1)
            },
            payload: payload.clone(),
        });
        let size = probe.encoded_len()?;
        if size > self.max_packet_size {
            return Err(onem2m_mqtt_proto::Error::PacketTooLarge {
                size,
                limit: self.max_packet_size,
            }
            .into());
        }
        Ok(())
    }
}

/// Resolves when the broker has acknowledged a message handed over with
/// [`MqttClient::try_publish`]. Dropping it does not cancel the message.
#[derive(Debug)]
#[must_use = "dropping the receipt does not cancel the message, but its outcome is lost"]
pub struct PublishReceipt(oneshot::Receiver<Result<(), Error>>);

impl Future for PublishReceipt {
    type Output = Result<(), Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0)
            .poll(cx)
            .map(|r| r.unwrap_or(Err(Error::Closed)))
    }
}
