//! The oneM2M MQTT binding (TS-0010): how request and response primitives travel over MQTT.
//!
//! This crate sits between the application and the MQTT session. Its [`topic`] layer,
//! pure and free of IO, decides where each primitive is published and what a received
//! topic means; the serializer (`onem2m-serialization`) turns primitives into payloads;
//! the session (`onem2m-mqtt-proto`) and transport move the bytes. To address primitives
//! differently, implement [`TopicScheme`]; the default is [`Ts0010Scheme`], the
//! published TS-0010 V3.1.0 scheme, and [`DraftScheme`] is the seed draft's.

pub mod topic;

pub use topic::{
    DraftScheme, Entity, Hop, Route, RouteKind, TopicError, TopicScheme, Ts0010Scheme,
};
