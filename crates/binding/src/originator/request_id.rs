//! Request identifiers for requests sent without one.

use std::sync::atomic::{AtomicU64, Ordering};

use onem2m_primitive::Timestamp;

/// Makes request identifiers unique for this originator: a prefix from the time it was
/// created, then a counter (`m2m-18c1f0a3b2e-17`).
///
/// The time prefix matters across restarts: a receiver keeps responses by (`fr`, `rqi`)
/// to answer redelivered requests, and a counter starting again at 1 would be answered
/// from that cache.
#[derive(Debug)]
pub struct RequestIds {
    prefix: String,
    next: AtomicU64,
}

impl RequestIds {
    /// Identifiers prefixed with `m2m-` and the creation time `now` in hex microseconds.
    pub fn new(now: Timestamp) -> Self {
        Self {
            prefix: format!("m2m-{:x}-", now.unix_micros()),
            next: AtomicU64::new(1),
        }
    }

    /// The next identifier.
    pub fn next_id(&self) -> String {
        format!(
            "{}{}",
            self.prefix,
            self.next.fetch_add(1, Ordering::Relaxed)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_differ_within_and_across_runs() {
        let first_run = RequestIds::new(Timestamp::from_unix_secs(1_800_000_000));
        let a = first_run.next_id();
        let b = first_run.next_id();
        assert_ne!(a, b);
        let second_run = RequestIds::new(Timestamp::from_unix_secs(1_800_000_001));
        assert_ne!(second_run.next_id(), a);
        assert!(onem2m_primitive::topic_level::check_topic_level(&a).is_ok());
    }
}
