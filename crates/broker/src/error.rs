//! The one error type of the broker crate.

#[cfg(feature = "embedded-broker")]
use std::time::Duration;

/// Why the embedded broker could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// mqtt5 refused the configuration or could not bind a listener.
    #[cfg(feature = "embedded-broker")]
    #[error("embedded broker could not start: {0}")]
    Start(#[source] Box<mqtt5::MqttError>),

    /// A listener that was asked for has no bound address (mqtt5 only warns when
    /// the WebSocket port cannot be bound; we make that an error).
    #[error("embedded broker has no {0} listener (its port could not be bound)")]
    NoListener(&'static str),

    /// The broker did not signal readiness in time.
    #[cfg(feature = "embedded-broker")]
    #[error("embedded broker was not ready after {0:?}")]
    NotReady(Duration),

    /// The broker's run loop ended with an error.
    #[cfg(feature = "embedded-broker")]
    #[error("embedded broker stopped with an error: {0}")]
    Run(#[source] Box<mqtt5::MqttError>),

    /// The broker's task panicked or was cancelled.
    #[error("embedded broker task failed: {0}")]
    Task(String),
}
