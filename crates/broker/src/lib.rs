//! The embedded default MQTT broker of onem2m-mqtt.
//!
//! [`EmbeddedBroker`] runs an MQTT broker inside the process, for the quickstart,
//! the examples, `m2m broker` and the tests: no configuration file, loopback
//! only, ephemeral ports read back after binding, in-memory sessions, and a
//! clean [`shutdown`](EmbeddedBroker::shutdown). For production, point the
//! client at a real broker (Mosquitto, EMQX, HiveMQ, ...) instead.
//!
//! It wraps the broker of the [`mqtt5`](https://crates.io/crates/mqtt5) crate
//! (pinned to `=0.49.0`): it sets TCP_NODELAY on accepted sockets (a QoS 1 round
//! trip takes about 0.09 ms on loopback), binds port 0 and reports the port,
//! shuts down on a handle, and speaks MQTT 3.1.1 with persistent sessions.
//! rumqttd 0.20 has none of the first three (every QoS 1 exchange stalls for
//! 44 ms on Nagle's algorithm). The type is our own so that the broker library
//! behind it can change (`rmqtt` is the tested fallback); see `docs/broker.md`.
//!
//! # Features
//! - `embedded-broker` (default): [`EmbeddedBroker`] and the `mqtt5` dependency.
//!   Without it the crate is empty, so a build that never embeds a broker does
//!   not compile one.

mod error;
pub use error::Error;

#[cfg(feature = "embedded-broker")]
mod embedded;
#[cfg(feature = "embedded-broker")]
mod options;

#[cfg(feature = "embedded-broker")]
pub use embedded::EmbeddedBroker;
#[cfg(feature = "embedded-broker")]
pub use options::EmbeddedBrokerOptions;
