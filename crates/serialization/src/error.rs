//! The crate's error type, and its mapping to oneM2M status codes.

use onem2m_primitive::ResponseStatusCode;

/// Why a primitive could not be encoded or decoded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not well-formed in the format (truncated, bad syntax, bad UTF-8).
    #[error("malformed {format}: {message}")]
    Syntax {
        /// `xml`, `json` or `cbor`.
        format: &'static str,
        /// What the parser reported, with the position where it has one.
        message: String,
    },
    /// The document is well-formed but is not a primitive (wrong root, not an object).
    #[error("not a {expected}: {found}")]
    NotAPrimitive {
        /// `request primitive` or `response primitive`.
        expected: &'static str,
        /// What was found instead.
        found: String,
    },
    /// A mandatory parameter is missing.
    #[error("missing mandatory parameter {0}")]
    MissingParameter(&'static str),
    /// A parameter has the wrong type (`op` as a list, `rqi` as a map, ...).
    #[error("parameter {name} must be {expected}, found {found}")]
    WrongType {
        /// The parameter's short name.
        name: String,
        /// What TS-0004 requires.
        expected: &'static str,
        /// What was found.
        found: &'static str,
    },
    /// A parameter has the right type but a value TS-0004 does not allow.
    #[error("parameter {name}: {source}")]
    InvalidValue {
        /// The parameter's short name.
        name: &'static str,
        /// Why the value was refused.
        source: onem2m_primitive::Error,
    },
    /// Nesting deeper than the configured limit.
    #[error("content nested deeper than {limit} levels")]
    TooDeep {
        /// The configured limit.
        limit: usize,
    },
    /// A document, string or collection larger than the configured limit.
    #[error("{what} too large: {size} exceeds the limit of {limit}")]
    TooLarge {
        /// What was too large.
        what: &'static str,
        /// Its size: bytes for a document or string, members or items for a map or list.
        size: usize,
        /// The configured limit.
        limit: usize,
    },
    /// XML with a DOCTYPE, an entity declaration or a processing instruction other than
    /// the XML declaration: refused, as a defence against entity expansion attacks.
    #[error("forbidden XML construct: {0}")]
    ForbiddenXml(&'static str),
    /// A value this format cannot represent (a NaN in JSON, ...).
    #[error("cannot encode {0}")]
    Unencodable(String),
    /// The serializer encodes whole primitives only, not content alone
    /// ([`crate::Serializer::encode_content`]).
    #[error("the {serializer} serializer does not encode or decode content alone")]
    ContentNotSupported {
        /// The serializer's name.
        serializer: &'static str,
    },
}

impl Error {
    /// The oneM2M status code a receiver answers with when a request fails to decode
    /// with this error.
    ///
    /// Everything is the originator's fault (4000 BAD_REQUEST) except content that is
    /// well-formed but unacceptable (4102) and a primitive too large to take (4000 too:
    /// TS-0004 has no "payload too large" code); content in a format the serializer cannot
    /// read alone is 4015 UNSUPPORTED_MEDIA_TYPE.
    pub fn status_code(&self) -> ResponseStatusCode {
        match self {
            Error::InvalidValue { source, .. } => source.status_code(),
            // The receiver cannot read that media type in this binding.
            Error::ContentNotSupported { .. } => ResponseStatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => ResponseStatusCode::BAD_REQUEST,
        }
    }
}
