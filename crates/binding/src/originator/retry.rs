//! When an originator sends a request again under the same `rqi`.

use std::time::Duration;

/// Republishes a request that has had no response for a while, under the same `rqi`,
/// until its response arrives or its deadline (`rqet`, else the request timeout)
/// passes.
///
/// A retry helps where a request can be lost above MQTT's guarantees: a receiver that
/// took the message (QoS 1 acknowledged) and died before answering, as a member of a
/// shared subscription can. The same `rqi` lets the receiver's duplicate suppression
/// answer a retry of a request it has already executed from its cache instead of
/// executing it again; a different receiver (another member) executes it once more,
/// so only idempotent requests, or receivers sharing their state, are safe to retry.
///
/// ```
/// use std::time::Duration;
/// use onem2m_binding::originator::RetryPolicy;
///
/// // Up to 3 more attempts, 2 s apart.
/// let policy = RetryPolicy::new(Duration::from_secs(2), 3);
/// assert_eq!(policy.after(), Duration::from_secs(2));
/// assert_eq!(policy.max_retries(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    after: Duration,
    max_retries: u32,
}

impl RetryPolicy {
    /// Sends again after `after` without a response, at most `max_retries` times.
    /// A zero `after` is raised to 1 ms, so that a retry never spins.
    pub fn new(after: Duration, max_retries: u32) -> Self {
        Self {
            after: after.max(Duration::from_millis(1)),
            max_retries,
        }
    }

    /// How long an attempt waits for its response before the next one.
    pub fn after(&self) -> Duration {
        self.after
    }

    /// How many times a request is sent again at most.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zero_interval_is_raised_so_that_retries_never_spin() {
        assert_eq!(
            RetryPolicy::new(Duration::ZERO, 2).after(),
            Duration::from_millis(1)
        );
    }
}
