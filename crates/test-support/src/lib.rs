//! Test harnesses for onem2m-mqtt (a dev-dependency, never published).
//!
//! - [`Mosquitto`]: a private Mosquitto broker per test, with plain, TLS,
//!   mutual-TLS, WebSocket and secure WebSocket listeners on free loopback
//!   ports; [`require_mosquitto!`] skips the test when it is not installed
//!   (or fails it when `ONEM2M_REQUIRE_MOSQUITTO=1`, as in CI).
//! - [`TestPki`]: a CA with server and client certificates made at test time.
//! - [`FaultProxy`]: a TCP relay that cuts, blackholes or refuses connections.
//! - [`Acme`]: the ACME oneM2M CSE on a test broker; [`require_acme!`] skips
//!   (or fails, with `ONEM2M_REQUIRE_ACME=1`) when it is not installed.
//! - [`BridgedBrokers`]: two Mosquittos bridged on the oneM2M topics.
//! - [`EventTally`]: counts a library's `tracing` events (duplicates suppressed...).
//! - [`TestChild`]: one test of the running binary re-run as a child process;
//!   [`Memory`] reads a process's resident memory; [`ensure_open_files`] raises
//!   the open-files limit for load tests.
//! - [`RabbitCluster`], [`RabbitNode`]: RabbitMQ with its MQTT plugin, a cluster
//!   of nodes or one alone, on loopback; [`require_rabbitmq_cluster!`] skips (or
//!   fails, with `ONEM2M_REQUIRE_RABBITMQ=1`) when it is not installed.
//! - [`raw_mqtt`]: hand-written MQTT 3.1.1 packets and a scripted client, to test
//!   transports and brokers independently of the project's MQTT session.

mod acme;
mod bridge;
mod child_stop;
mod error;
mod event_tally;
mod fault_proxy;
mod fd_limit;
mod listen_port;
mod mosquitto;
mod pki;
mod proc_status;
mod rabbitmq;
pub mod raw_mqtt;
mod skip;
mod test_child;

pub use acme::{
    ACME_PYTHON_ENV, ACME_VERSION, Acme, AcmeStart, REQUIRE_ACME_ENV, identity as acme_identity,
};
pub use bridge::{BridgedBrokers, BridgedStart, ONEM2M_TOPICS, bridge_section};
pub use error::Error;
pub use event_tally::{EventTally, Watch};
pub use fault_proxy::FaultProxy;
pub use fd_limit::ensure_open_files;
pub use mosquitto::{
    Mosquitto, MosquittoOptions, MosquittoPorts, MosquittoStart, write_password_file,
};
pub use pki::{SERVER_NAMES, TestPki};
pub use proc_status::Memory;
pub use rabbitmq::{REQUIRE_RABBITMQ_ENV, RabbitCluster, RabbitNode, RabbitPorts, RabbitStart};
pub use skip::{REQUIRE_MOSQUITTO_ENV, skip_or_fail, skip_or_fail_for};
pub use test_child::TestChild;
