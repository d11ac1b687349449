//! The one error type of the `m2m` command: what failed and why, printed as one line.

use std::fmt::Display;

/// A command that could not do its job: `what` was being done, `cause` says why.
/// Displayed as `<what>: <cause>` on one line (`main` prefixes `m2m: `).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: {cause}")]
pub struct Failure {
    /// What was being done (`connecting to mqtt://127.0.0.1:1883`).
    pub what: String,
    /// Why it failed, flattened to one line.
    pub cause: String,
}

impl Failure {
    /// A failure of `what` because of `cause`; line breaks in the cause become spaces.
    pub fn new(what: impl Into<String>, cause: impl Display) -> Self {
        let cause = cause.to_string();
        Self {
            what: what.into(),
            cause: cause.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }
}

/// Names what a fallible step was doing, for its error line.
pub trait Context<T> {
    /// Turns the error into a [`Failure`] of `what`.
    fn context(self, what: impl Into<String>) -> Result<T, Failure>;
}

impl<T, E: Display> Context<T> for Result<T, E> {
    fn context(self, what: impl Into<String>) -> Result<T, Failure> {
        self.map_err(|e| Failure::new(what, e))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_failure_is_one_line() {
        let failed: Result<(), &str> = Err("first line\n  second line");
        let failure = failed.context("reading config.toml").unwrap_err();
        assert_eq!(
            failure.to_string(),
            "reading config.toml: first line second line"
        );
    }
}
