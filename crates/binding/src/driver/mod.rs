//! The async MQTT client: a tokio task around the sans-IO session.
//!
//! [`MqttClient::start`] takes a [`ClientConfig`] (a transport, a codec,
//! session options and a session store) and spawns one driver task that
//! owns all of them, in the manner of quinn's connection driver around
//! quinn-proto. The application gets a cloneable [`MqttClient`] handle for
//! requests and an [`Incoming`] receiver for messages and connection events.
//!
//! What the driver guarantees:
//! - **Reconnects** with exponential backoff and full jitter
//!   ([`ReconnectPolicy`]); failures that retrying cannot fix (certificates,
//!   refused credentials) are reported each time and never retried in a hot
//!   loop.
//! - **Nothing lost**: QoS 1/2 messages stay in the session store until
//!   acknowledged and are resent after a reconnect; when the broker lost the
//!   session they are published again ([`ClientEvent::SessionLost`]) and the
//!   granted subscriptions are made again.
//! - **Half-open links** are detected by keep-alive and replaced.
//! - **Backpressure**: `publish` waits for room in the in-flight window;
//!   [`MqttClient::try_publish`] fails with [`Error::Full`] instead. Received
//!   messages wait in a bounded channel, and the driver stops reading while it
//!   is full.
//! - **Reading never waits for writing**: the two halves of the stream are
//!   driven independently, so PUBACKs are processed while a write is stuck.
//! - **Manual acks** ([`AckMode::Manual`](onem2m_mqtt_proto::AckMode)): PUBACK
//!   only when the application calls [`Delivery::ack`].
//! - **Graceful shutdown** flushes pending acks, sends DISCONNECT and closes
//!   the socket itself.
//!
//! ```no_run
//! use std::sync::Arc;
//! use bytes::Bytes;
//! use onem2m_binding::driver::{ClientConfig, ClientEvent, MqttClient};
//! use onem2m_mqtt_proto::{QoS, SessionOptions, SubscribeFilter, Topic, TopicFilter};
//! use onem2m_transport::Tcp;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let options = SessionOptions::new("CAE-1".parse()?);
//! let config = ClientConfig::new(Arc::new(Tcp::new("127.0.0.1", 1883)), options)
//!     .subscription(SubscribeFilter::new("/oneM2M/resp/CAE-1/#".parse()?, QoS::AtLeastOnce));
//! let (client, mut incoming) = MqttClient::start(config)?;
//! tokio::spawn(async move {
//!     while let Some(event) = incoming.recv().await {
//!         if let ClientEvent::Message(m) = event {
//!             println!("{}: {} bytes", m.topic.as_str(), m.payload.len());
//!         }
//!     }
//! });
//! client
//!     .publish("/oneM2M/req/CAE-1/CSE1/json".parse::<Topic>()?, Bytes::from_static(b"{}"), QoS::AtLeastOnce)
//!     .await?; // resolves on PUBACK
//! client.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod backoff;
mod client;
mod command;
mod config;
mod error;
mod event_sink;
mod incoming;
mod outbox;
mod oversize;
mod pending;
mod subscriptions;
mod task;

pub use backoff::ReconnectPolicy;
pub use client::{MqttClient, PublishReceipt};
pub use config::{
    ClientConfig, DEFAULT_INCOMING_CAPACITY, DEFAULT_PUBLISH_QUEUE, DEFAULT_SHUTDOWN_TIMEOUT,
};
pub use error::Error;
pub use incoming::{AckHandle, ClientEvent, ConnectionStatus, Delivery, Incoming};
