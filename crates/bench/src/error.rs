//! The harness's one error type.

use std::path::PathBuf;

/// Why a benchmark could not run or report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The broker could not be started.
    #[error("starting the {which} broker: {cause}")]
    Broker {
        /// `mosquitto` or `embedded`.
        which: &'static str,
        /// Why.
        cause: String,
    },
    /// A stack's clients could not connect or subscribe.
    #[error("setting up {stack}: {cause}")]
    Setup {
        /// The stack being set up.
        stack: String,
        /// Why.
        cause: String,
    },
    /// A request failed during the measured run (timeout, lost connection).
    #[error("{stack}: request failed: {cause}")]
    Request {
        /// The stack.
        stack: String,
        /// Why.
        cause: String,
    },
    /// A worker process could not be started or did not report.
    #[error("worker {stack}: {cause}")]
    Worker {
        /// The stack the worker ran.
        stack: String,
        /// Why, with the tail of its stderr.
        cause: String,
    },
    /// The worker's arguments or report were not valid JSON of the expected shape.
    #[error("{what}: {cause}")]
    Json {
        /// What was being read or written.
        what: &'static str,
        /// The decoder's message.
        cause: serde_json::Error,
    },
    /// A file could not be written.
    #[error("writing {path}: {cause}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The OS error.
        cause: std::io::Error,
    },
    /// The latency histogram could not be built (a value out of its range).
    #[error("latency histogram: {0}")]
    Histogram(String),
}
