//! What a handler learns about a request besides the primitive.

use onem2m_primitive::Timestamp;

use crate::topic::Route;

/// Where and when a request arrived, handed to the [`Handler`](super::Handler) with it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RequestContext {
    /// The MQTT topic the request was published on.
    pub topic: String,
    /// What the topic says: the kind (a request, or a registration request whose
    /// originator is a Credential-ID), the hop's originator and receiver.
    pub route: Route,
    /// The serialization the request came in, which the response will use.
    pub serialization: &'static str,
    /// When the message was read from the connection.
    pub arrival: Timestamp,
}
