//! The binding's error type, and its mapping to oneM2M status codes.

use std::time::Duration;

use onem2m_primitive::ResponseStatusCode;

use crate::topic::TopicError;

/// Why the binding could not be built, send a request, or get its response.
///
/// [`Error::status_code`] gives the oneM2M status code that stands for each error, so
/// that an application can answer its own originator with it (a gateway turns a
/// [`Error::Timeout`] into a 5103 response, as ACME and OM2M do).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No response arrived before the request's expiration time or the default timeout.
    #[error("no response to request {rqi:?} within {after:?}")]
    Timeout {
        /// The request identifier.
        rqi: String,
        /// How long the originator waited.
        after: Duration,
    },
    /// As many requests as the pending limit allows are already awaiting a response.
    #[error("{limit} requests are already awaiting a response (the pending limit)")]
    PendingFull {
        /// The configured limit.
        limit: usize,
    },
    /// A request with this identifier is already awaiting its response: two requests
    /// with one `rqi` could not be told apart.
    #[error("a request with rqi {0:?} is already awaiting its response")]
    DuplicateRequestId(String),
    /// A primitive could not be encoded, or a response not decoded.
    #[error("serialization: {0}")]
    Serialization(#[from] onem2m_serialization::Error),
    /// A topic could not be built (an ID that cannot be put in a topic, ...).
    #[error("topic: {0}")]
    Topic(#[from] TopicError),
    /// The encoded primitive is larger than the configured maximum message size.
    #[error("a message of {size} bytes exceeds the maximum message size of {limit} bytes")]
    MessageTooLarge {
        /// The encoded size.
        size: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The MQTT client could not start, or could not hand a message to the broker
    /// (shut down, message too large for the codec, subscription refused, ...).
    #[error("mqtt: {0}")]
    Mqtt(#[from] crate::driver::Error),
    /// A topic, filter or client id the MQTT layer refuses.
    #[error("mqtt: {0}")]
    Protocol(#[from] onem2m_mqtt_proto::Error),
    /// No connection was accepted within the connect timeout while building.
    #[error("no connection to the broker within {after:?}{}", cause.as_ref().map(|c| format!(": {c}")).unwrap_or_default())]
    ConnectTimeout {
        /// The connect timeout.
        after: Duration,
        /// Why the last attempt failed, when one failed (refused, TLS, CONNACK).
        cause: Option<String>,
    },
    /// The transport could not be set up from the URL or options given.
    #[error("transport: {0}")]
    Transport(#[from] onem2m_transport::Error),
    /// The builder was given settings that do not go together.
    #[error("configuration: {0}")]
    Config(String),
    /// The binding was shut down (or its connection task ended) while the request was
    /// outstanding.
    #[error("the binding is shut down")]
    Closed,
    /// The registrar refused the registration.
    #[error("registration refused with {rsc}: {message}")]
    RegistrationRefused {
        /// The status code of the registrar's response.
        rsc: ResponseStatusCode,
        /// Its debug information, if any.
        message: String,
    },
    /// The operation needs an entity ID the binding does not have (yet), or a
    /// registration the binding was not set up for.
    #[error("{0}")]
    NotRegistered(&'static str),
}

impl Error {
    /// The oneM2M status code that reports this error to an originator.
    ///
    /// | Error | Status |
    /// |---|---|
    /// | `Timeout`, `Mqtt`, `Transport`, `ConnectTimeout`, `Closed` | 5103 TARGET_NOT_REACHABLE |
    /// | `PendingFull`, `Config` | 5000 INTERNAL_SERVER_ERROR |
    /// | `DuplicateRequestId`, `Topic`, `Protocol`, `MessageTooLarge`, and `Mqtt` for a message too large for the codec | 4000 BAD_REQUEST |
    /// | `Serialization` | its own [`status_code`](onem2m_serialization::Error::status_code) |
    /// | `RegistrationRefused` | the registrar's status code |
    /// | `NotRegistered` | 4103 ORIGINATOR_HAS_NO_PRIVILEGE |
    pub fn status_code(&self) -> ResponseStatusCode {
        match self {
            Error::Mqtt(crate::driver::Error::Mqtt(onem2m_mqtt_proto::Error::PacketTooLarge {
                ..
            })) => ResponseStatusCode::BAD_REQUEST,
            Error::Timeout { .. }
            | Error::Mqtt(_)
            | Error::Transport(_)
            | Error::ConnectTimeout { .. }
            | Error::Closed => ResponseStatusCode::TARGET_NOT_REACHABLE,
            Error::PendingFull { .. } | Error::Config(_) => {
                ResponseStatusCode::INTERNAL_SERVER_ERROR
            }
            Error::DuplicateRequestId(_)
            | Error::Topic(_)
            | Error::Protocol(_)
            | Error::MessageTooLarge { .. } => ResponseStatusCode::BAD_REQUEST,
            Error::Serialization(e) => e.status_code(),
            Error::RegistrationRefused { rsc, .. } => *rsc,
            Error::NotRegistered(_) => ResponseStatusCode::ORIGINATOR_HAS_NO_PRIVILEGE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_is_reported_as_target_not_reachable() {
        let e = Error::Timeout {
            rqi: "r1".into(),
            after: Duration::from_secs(1),
        };
        assert_eq!(e.status_code(), ResponseStatusCode::TARGET_NOT_REACHABLE);
        assert!(e.to_string().contains("r1"));
    }

    #[test]
    fn serialization_errors_keep_their_own_status() {
        let e = Error::from(onem2m_serialization::Error::MissingParameter("rsc"));
        assert_eq!(e.status_code(), ResponseStatusCode::BAD_REQUEST);
    }

    #[test]
    fn a_full_pending_map_is_a_receiver_side_error() {
        let e = Error::PendingFull { limit: 3 };
        assert_eq!(e.status_code().code() / 1000, 5);
    }
}
