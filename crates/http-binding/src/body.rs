//! Reading a whole HTTP body into memory, refusing one larger than a limit before it
//! is buffered.

use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Body;

/// Why a body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// The body is (or announced to be, in `Content-Length`) larger than the limit.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The connection failed or the peer broke the framing while the body was read.
    Read(String),
}

/// The whole of `body`, at most `limit` bytes.
pub(crate) async fn read_limited<B>(body: B, limit: usize) -> Result<Bytes, BodyError>
where
    B: Body,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    // A Content-Length over the limit is refused before a byte is read.
    if usize::try_from(body.size_hint().lower()).map_or(true, |announced| announced > limit) {
        return Err(BodyError::TooLarge { limit });
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => Err(BodyError::TooLarge { limit }),
        Err(e) => Err(BodyError::Read(error_chain(e.as_ref()))),
    }
}

/// An error and its sources as one line: hyper's own messages are terse ("client error
/// (Connect)") and the useful part is further down the chain.
pub(crate) fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
