//! The crate's error type.

use crate::status_code::ResponseStatusCode;

/// Why a value could not be turned into a oneM2M data type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An integer that TS-0004 does not define for this enumeration.
    #[error("unknown {what} code {code}")]
    UnknownCode {
        /// Which enumeration (`operation`, `result content`, ...).
        what: &'static str,
        /// The code received.
        code: i64,
    },
    /// A timestamp, relative time or duration that does not follow TS-0004 6.3.3.
    #[error("invalid timestamp {value:?}: {reason}")]
    InvalidTimestamp {
        /// The text received (cut to 64 characters).
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// An identifier that does not follow TS-0001 7.2 / TS-0004 6.2.3.
    #[error("invalid identifier {value:?}: {reason}")]
    InvalidId {
        /// The text received (cut to 64 characters).
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A value outside the range TS-0004 allows (event category, release version, ...).
    #[error("{what} out of range: {value}")]
    OutOfRange {
        /// Which parameter.
        what: &'static str,
        /// The value received.
        value: String,
    },
    /// Content that does not have the shape its resource type requires.
    #[error("invalid content for {what}: {reason}")]
    InvalidContent {
        /// Which resource or structure.
        what: &'static str,
        /// What is wrong.
        reason: String,
    },
}

impl Error {
    /// The status code a receiver answers with when a request carries this error.
    pub fn status_code(&self) -> ResponseStatusCode {
        match self {
            Error::InvalidContent { .. } => ResponseStatusCode::CONTENTS_UNACCEPTABLE,
            _ => ResponseStatusCode::BAD_REQUEST,
        }
    }

    /// Cuts user input for an error message to 64 characters (see [`excerpt`]).
    pub(crate) fn excerpt(value: &str) -> String {
        excerpt(value, 64)
    }
}

/// Cuts untrusted text to `max` characters for an error message or a log line, so that
/// a 10 MB string does not become a 10 MB log line. Every layer uses this one function.
pub fn excerpt(value: &str, max: usize) -> String {
    match value.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &value[..i]),
        None => value.to_owned(),
    }
}
