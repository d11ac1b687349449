//! Why an [`HttpOriginator`](super::HttpOriginator) got no response primitive.

use std::time::Duration;

use onem2m_primitive::ResponseStatusCode;

use crate::error::Error;

/// Why a request sent by an [`HttpOriginator`](super::HttpOriginator) got no response
/// primitive, with the status that stands for it ([`ClientError::status_code`]), so that
/// a gateway can answer its own originator with it.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The base URL is not `http://host[:port][/prefix]`.
    #[error("base URL {url:?}: {reason}")]
    BaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The request has an empty `rqi`: the caller assigns request identifiers.
    #[error("the request has no request identifier (rqi)")]
    MissingRequestId,
    /// The request primitive has no HTTP form.
    #[error("request: {0}")]
    Request(Error),
    /// The peer's HTTP response does not map to a response primitive.
    #[error("response: {0}")]
    Response(Error),
    /// No connection to the target could be made (refused, unreachable, DNS).
    #[error("cannot connect to {target}: {reason}")]
    Connect {
        /// The scheme and authority connected to.
        target: String,
        /// The cause, as text.
        reason: String,
    },
    /// The connection failed after it was made (closed or reset before the response
    /// was complete, a response that is not HTTP).
    #[error("exchange with {target} failed: {reason}")]
    Transport {
        /// The scheme and authority connected to.
        target: String,
        /// The cause, as text.
        reason: String,
    },
    /// No complete response arrived in time.
    #[error(
        "no response to request {rqi:?} within {after:?}{}",
        if *.expired { " (its request expiration time)" } else { "" }
    )]
    Timeout {
        /// The request identifier.
        rqi: String,
        /// How long the originator waited.
        after: Duration,
        /// Whether the request's own expiration time (`rqet`) ended the wait, rather
        /// than the originator's timeout.
        expired: bool,
    },
    /// The response's body is larger than the originator accepts.
    #[error("the response body exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
}

impl ClientError {
    /// The oneM2M status code that stands for this error.
    ///
    /// | Error | Status |
    /// |---|---|
    /// | `Connect`, `Transport`, `Timeout` (the originator's timeout) | 5103 TARGET_NOT_REACHABLE, as ACME and OM2M report a target that does not answer |
    /// | `Timeout` with `expired` (the request's `rqet` passed) | 4008 REQUEST_TIMEOUT (TS-0004 7.3.2) |
    /// | `Request`, `Response` | the mapping error's own ([`Error::status_code`]) |
    /// | `MissingRequestId` | 4000 BAD_REQUEST |
    /// | `BaseUrl`, `BodyTooLarge` | 5000 INTERNAL_SERVER_ERROR |
    pub fn status_code(&self) -> ResponseStatusCode {
        match self {
            ClientError::Connect { .. } | ClientError::Transport { .. } => {
                ResponseStatusCode::TARGET_NOT_REACHABLE
            }
            ClientError::Timeout { expired: true, .. } => ResponseStatusCode::REQUEST_TIMEOUT,
            ClientError::Timeout { expired: false, .. } => ResponseStatusCode::TARGET_NOT_REACHABLE,
            ClientError::Request(e) | ClientError::Response(e) => e.status_code(),
            ClientError::MissingRequestId => ResponseStatusCode::BAD_REQUEST,
            ClientError::BaseUrl { .. } | ClientError::BodyTooLarge { .. } => {
                ResponseStatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn a_timeout_is_5103_unless_the_request_expired() {
        let timeout = |expired| ClientError::Timeout {
            rqi: "r1".to_owned(),
            after: Duration::from_secs(1),
            expired,
        };
        assert_eq!(
            timeout(false).status_code(),
            ResponseStatusCode::TARGET_NOT_REACHABLE
        );
        assert_eq!(
            timeout(true).status_code(),
            ResponseStatusCode::REQUEST_TIMEOUT
        );
        assert!(timeout(true).to_string().contains("expiration"));
    }
}
