//! The trait every topic scheme implements.

use super::{Entity, Route, TopicError};

/// One hop of a request: who sends it to whom over MQTT, and what it is addressed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hop<'a> {
    /// The ID of the entity sending on this hop (my AE-ID or CSE-ID).
    pub originator: &'a str,
    /// The MQTT peer serving this hop: the registrar CSE for an AE, the target AE or the
    /// next-hop CSE for a CSE. Not the request's `to`.
    pub receiver: &'a str,
    /// The request's `to` (the target resource), for schemes that put it in the topic.
    pub to: &'a str,
    /// The serializer's name (`xml`, `json`, `cbor`, ...), for schemes that announce it.
    pub serialization: &'a str,
}

/// How oneM2M primitives are addressed on MQTT topics: which topic a request, a response
/// or a registration goes to, what an entity subscribes to, and what a received topic
/// says. Implemented by [`Ts0010Scheme`](super::Ts0010Scheme) (the published binding),
/// [`DraftScheme`](super::DraftScheme) (the seed draft), and by users for their own
/// conventions (see `examples/custom_topic_scheme.rs`).
///
/// A scheme is pure: it does no IO and keeps no state, so one value serves every
/// connection. Topics come from the network: [`TopicScheme::parse`] must return an error,
/// never panic, on any text.
pub trait TopicScheme: Send + Sync + 'static {
    /// A short name for logs and configuration (`ts-0010`, `draft`).
    fn name(&self) -> &'static str;

    /// The topic to publish a request on.
    fn request_topic(&self, hop: &Hop<'_>) -> Result<String, TopicError>;

    /// The topic to publish the response to a request on, given the route parsed from the
    /// request's topic (after [`Route::or_originator`] with the request's `fr`) and the
    /// serialization of the response.
    fn response_topic(&self, request: &Route, serialization: &str) -> Result<String, TopicError>;

    /// The topic an entity without an ID publishes its registration request on.
    fn registration_request_topic(
        &self,
        credential_id: &str,
        registrar: &str,
        serialization: &str,
    ) -> Result<String, TopicError>;

    /// The topic filters `me` subscribes to, to receive its requests and the responses
    /// to its own requests (and registration traffic, where the scheme has any).
    fn subscriptions(&self, me: &Entity) -> Result<Vec<String>, TopicError>;

    /// What a received topic says: the kind of message and whom it is between.
    fn parse(&self, topic: &str) -> Result<Route, TopicError>;
}
