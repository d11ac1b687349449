//! `m2m gateway` as a library: a TS-0010 MQTT front for a CSE that is reached over
//! HTTP (TS-0009).
//!
//! Two directions, both stateless:
//! - **MQTT to HTTP.** The gateway subscribes as the CSE's MQTT binding would (the
//!   `req` and `reg_req` topics of its CSE-ID), so every check of the MQTT receiver
//!   holds in front of the HTTP CSE (expiry, originator, duplicates, limits); each
//!   request that passes is sent to the CSE over HTTP ([`ForwardToHttp`]) and the
//!   answer is published on the response topic, in the request's serialization.
//! - **HTTP to MQTT.** When an AE registers (or updates its `poa`), its `poa` is
//!   rewritten to the gateway's endpoint ([`PoaRewriter`]), so the CSE's
//!   notifications and other requests to the AE come to the gateway, which publishes
//!   them to the AE over MQTT and returns its answer as the HTTP response
//!   ([`ForwardToMqtt`]). What the AE reads back shows the `poa` it wrote.
//!
//! `docs/gateway.md` has the picture and a two-command example with ACME.

mod error;
mod gateway;
mod http_to_mqtt;
mod mqtt_to_http;
mod poa;

pub use error::Error;
pub use gateway::{Gateway, GatewayBuilder};
pub use http_to_mqtt::ForwardToMqtt;
pub use mqtt_to_http::ForwardToHttp;
pub use poa::PoaRewriter;
