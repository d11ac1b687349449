//! Test harnesses for onem2m-mqtt (a dev-dependency, never published).
//!
//! - [`Mosquitto`]: a private Mosquitto broker per test, with plain, TLS,
//!   mutual-TLS, WebSocket and secure WebSocket listeners on free loopback
//!   ports; [`require_mosquitto!`] skips the test when it is not installed
//!   (or fails it when `ONEM2M_REQUIRE_MOSQUITTO=1`, as in CI).
//! - [`TestPki`]: a CA with server and client certificates made at test time.
//! - [`FaultProxy`]: a TCP relay that cuts, blackholes or refuses connections.
//! - [`raw_mqtt`]: hand-written MQTT 3.1.1 packets and a scripted client, to test
//!   transports and brokers independently of the project's MQTT session.

mod error;
mod fault_proxy;
mod mosquitto;
mod pki;
pub mod raw_mqtt;
mod skip;

pub use error::Error;
pub use fault_proxy::FaultProxy;
pub use mosquitto::{Mosquitto, MosquittoOptions, MosquittoPorts, MosquittoStart};
pub use pki::{SERVER_NAMES, TestPki};
pub use skip::{REQUIRE_MOSQUITTO_ENV, skip_or_fail};
