//! The one error type of the test-support crate.

use std::io;
use std::time::Duration;

/// Why a test harness could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or socket operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },

    /// rcgen could not make a test certificate.
    #[error("cannot generate a test certificate: {0}")]
    Certificate(#[from] rcgen::Error),

    /// Mosquitto exited while starting.
    #[error("mosquitto exited during start-up ({status}); its log:\n{log}")]
    MosquittoExited {
        /// The exit status.
        status: String,
        /// Mosquitto's log output.
        log: String,
    },

    /// Mosquitto did not exit after SIGTERM and was killed.
    #[error("mosquitto did not exit within {after:?} of SIGTERM and was killed; its log:\n{log}")]
    MosquittoDidNotStop {
        /// How long we waited.
        after: Duration,
        /// Mosquitto's log output.
        log: String,
    },

    /// Mosquitto's ports did not accept connections in time.
    #[error("mosquitto's listeners were not ready after {after:?}; its log:\n{log}")]
    MosquittoNotReady {
        /// How long we waited.
        after: Duration,
        /// Mosquitto's log output.
        log: String,
    },

    /// ACME exited while starting.
    #[error("ACME exited during start-up ({status}); its log:\n{log}")]
    AcmeExited {
        /// The exit status.
        status: String,
        /// ACME's log output.
        log: String,
    },

    /// ACME did not answer a RETRIEVE of its CSEBase over MQTT in time.
    #[error(
        "ACME did not answer a RETRIEVE of its CSEBase within {after:?} ({last_problem}); its log:\n{log}"
    )]
    AcmeNotReady {
        /// How long we waited.
        after: Duration,
        /// What the last probe saw.
        last_problem: String,
        /// ACME's log output.
        log: String,
    },

    /// ACME did not exit after SIGINT and was killed.
    #[error("ACME did not exit within {after:?} of SIGINT and was killed; its log:\n{log}")]
    AcmeDidNotStop {
        /// How long we waited.
        after: Duration,
        /// ACME's log output.
        log: String,
    },
}

impl Error {
    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(io::Error) -> Error {
        let what = what.into();
        move |source| Error::Io { what, source }
    }
}
