//! The oneM2M MQTT binding (TS-0010): how request and response primitives travel over MQTT.
//!
//! This crate sits between the application and the MQTT session. Its [`topic`] layer,
//! pure and free of IO, decides where each primitive is published and what a received
//! topic means; the serializer (`onem2m-serialization`) turns primitives into payloads;
//! the session (`onem2m-mqtt-proto`) and transport move the bytes. To address primitives
//! differently, implement [`TopicScheme`]; the default is [`Ts0010Scheme`], the
//! published TS-0010 V3.1.0 scheme, and [`DraftScheme`] is the seed draft's.
//!
//! [`Binding::builder`] assembles an entity: its [`Originator`]
//! sends requests and awaits their responses by `rqi`; its
//! [`Handler`] serves the requests that pass the receiver's checks
//! ([`receiver::Pipeline`]). `docs/binding.md` describes the flow.
//!
//! Features: `tower` adapts the originator to `tower::Service` and any
//! `tower::Service` to a handler.

pub mod topic;

pub use topic::{
    DraftScheme, Entity, Hop, Route, RouteKind, TopicError, TopicScheme, Ts0010Scheme,
};

mod binding;
pub mod builder;
mod dispatch;
pub mod driver;
mod error;
mod in_flight;
mod link;
pub mod originator;
pub mod receiver;
mod same_entity;
mod serializer_set;
#[cfg(feature = "tower")]
pub mod tower_service;

pub use binding::{Binding, Registration};
pub use builder::BindingBuilder;
pub use error::Error;
pub use originator::Originator;
pub use receiver::{Handler, RequestContext};
pub use serializer_set::SerializerSet;
