//! The crate's error type, and the oneM2M status a receiver answers with.

use onem2m_primitive::ResponseStatusCode;

/// Why a primitive could not be mapped to an HTTP message, or an HTTP message to a
/// primitive.
///
/// Errors met while reading a message carry the status code a receiver answers with
/// ([`Error::status_code`]); errors met while writing one ([`Error::NotMappable`],
/// [`Error::Http`]) are the sender's own.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A header is malformed, repeated, or not text.
    #[error("header {name}: {reason}")]
    Header {
        /// The header's name.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A query parameter is malformed or repeated.
    #[error("query parameter {name}: {reason}")]
    Query {
        /// The field name, as received.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The request target (path) is not a oneM2M resource address.
    #[error("request target: {0}")]
    Target(String),
    /// An HTTP method with no oneM2M operation (TS-0009 6.2.1).
    #[error("method {0} has no oneM2M operation")]
    Method(String),
    /// A body in a media type the binding does not read, or a body without a
    /// Content-Type (TS-0009 6.4.3).
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    /// The Accept header allows no media type the binding writes (TS-0009 6.4.2).
    #[error("no acceptable media type in {0:?}")]
    NotAcceptable(String),
    /// A parameter read from a header or the query has a value the primitive refuses.
    #[error("parameter: {0}")]
    Parameter(onem2m_serialization::Error),
    /// The body could not be encoded or decoded.
    #[error("body: {0}")]
    Body(onem2m_serialization::Error),
    /// A parameter of the primitive has no HTTP form (a value a header cannot carry, a
    /// filter criteria member without a query field, ...).
    #[error("{parameter} cannot be carried over HTTP: {reason}")]
    NotMappable {
        /// The parameter's short name.
        parameter: String,
        /// Why.
        reason: String,
    },
    /// The `http` crate refused the message built (a bug here rather than bad input).
    #[error("building the HTTP message: {0}")]
    Http(String),
}

impl Error {
    /// The oneM2M status code a receiver answers with when a message fails to map with
    /// this error.
    pub fn status_code(&self) -> ResponseStatusCode {
        match self {
            Error::Header { .. } | Error::Query { .. } | Error::Target(_) => {
                ResponseStatusCode::BAD_REQUEST
            }
            Error::Method(_) => ResponseStatusCode::OPERATION_NOT_ALLOWED,
            Error::UnsupportedMediaType(_) => ResponseStatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::NotAcceptable(_) => ResponseStatusCode::NOT_ACCEPTABLE,
            Error::Parameter(e) | Error::Body(e) => e.status_code(),
            Error::NotMappable { .. } => ResponseStatusCode::BAD_REQUEST,
            Error::Http(_) => ResponseStatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub(crate) fn not_mappable(parameter: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::NotMappable {
            parameter: parameter.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn query(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Query {
            name: name.into(),
            reason: reason.into(),
        }
    }
}

impl From<http::Error> for Error {
    fn from(e: http::Error) -> Self {
        Error::Http(e.to_string())
    }
}
