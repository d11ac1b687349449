//! # onem2m-mqtt-proto: MQTT 3.1.1 without IO
//!
//! This crate is the MQTT layer of onem2m-mqtt: a codec for the fourteen MQTT
//! 3.1.1 control packets and a client [`Session`] state machine (CONNECT,
//! keep-alive, QoS 0/1/2, packet ids, the in-flight window, redelivery after
//! a reconnect, a persistent [`SessionStore`]). It does no IO, spawns no
//! task and never reads the clock: bytes and the current [`Instant`] go in;
//! packets to write, [`Event`]s and the next deadline come out, as in
//! quinn-proto and rustls. The async driver in the binding crate owns the
//! socket and the timer and runs this state machine; nothing here knows
//! tokio or oneM2M.
//!
//! To replace the codec, implement [`Codec`] (the `mqttbytes` feature adds
//! `MqttBytesCodec` as a second implementation);
//! to keep sessions somewhere else, implement [`SessionStore`].
//!
//! ## Driving a session
//! ```
//! use std::time::Instant;
//! use bytes::{Bytes, BytesMut};
//! use onem2m_mqtt_proto::*;
//!
//! let mut codec = OwnCodec::new();
//! let options = SessionOptions::new(ByteStr::from_static("C-my-cse")?);
//! let mut session = Session::new(options, MemoryStore::new())?;
//!
//! let now = Instant::now();
//! session.connect(now)?;
//! let mut wire = BytesMut::new();
//! while let Some(packet) = session.poll_transmit(now) {
//!     codec.encode(&packet, &mut wire)?; // then write `wire` to the socket
//! }
//! // Bytes read from the socket go through the codec into the session:
//! let mut read = BytesMut::from(&[0x20, 0x02, 0x00, 0x00][..]); // CONNACK
//! while let Some(packet) = codec.decode(&mut read)? {
//!     session.handle_packet(packet, now)?;
//! }
//! assert_eq!(
//!     session.poll_event(),
//!     Some(Event::Connected { session_present: false })
//! );
//! let pkid = session.publish(
//!     Topic::from_static("/oneM2M/req/C-my-cse/CSE1/json")?,
//!     Bytes::from_static(b"{}"),
//!     QoS::AtLeastOnce,
//!     false,
//! )?;
//! assert!(pkid.is_some());
//! // ...and sleep until `session.poll_timeout()`, then `handle_timeout`.
//! # Ok::<(), onem2m_mqtt_proto::Error>(())
//! ```
//!
//! ## Features
//! - `mqttbytes`: adds `MqttBytesCodec`, the [`Codec`] trait over the
//!   `mqttbytes` 0.6 crate.
//!
//! [`Instant`]: std::time::Instant

mod codec;
mod error;
mod ordered_map;
mod session;
mod store;

pub use codec::*;
pub use error::Error;
pub use session::{AckMode, Event, Republished, Session, SessionOptions, SessionState};
pub use store::{FileStore, MemoryStore, SessionStore, StoredMessage, StoredState, SyncPolicy};
