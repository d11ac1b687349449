//! Reconnect delays: exponential backoff with jitter.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How the driver spaces reconnect attempts.
///
/// The `n`-th consecutive failure waits a random time in `[0, ceiling]`
/// ("full jitter"), where `ceiling = min(max, initial * multiplier^n)`, so a
/// fleet of clients cut at once does not reconnect in lockstep. A failure that
/// [cannot be fixed by retrying](crate::driver::Error::is_permanent) waits in
/// `[ceiling / 2, ceiling]` instead. The count restarts once a connection has
/// stayed up for `stable_after`, so a broker that accepts and then drops a
/// client at once still sees growing delays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReconnectPolicy {
    /// Ceiling of the first delay. Default: 100 ms.
    pub initial: Duration,
    /// Largest ceiling. Default: 30 s.
    pub max: Duration,
    /// Growth of the ceiling per failure. Default: 2.
    pub multiplier: u32,
    /// How long a connection must last for the delays to start over.
    /// Default: 5 s.
    pub stable_after: Duration,
}

impl Default for ReconnectPolicy {
    fn default() -> Self {
        Self {
            initial: Duration::from_millis(100),
            max: Duration::from_secs(30),
            multiplier: 2,
            stable_after: Duration::from_secs(5),
        }
    }
}

impl ReconnectPolicy {
    /// A policy with the given first and largest ceiling, the other fields
    /// at their defaults.
    pub fn new(initial: Duration, max: Duration) -> Self {
        Self {
            initial,
            max,
            ..Self::default()
        }
    }

    /// The ceiling after `failures` consecutive failures.
    fn ceiling(&self, failures: u32) -> Duration {
        let mut ceiling = self.initial.min(self.max);
        for _ in 0..failures {
            if ceiling >= self.max {
                break;
            }
            ceiling = ceiling.saturating_mul(self.multiplier.max(1)).min(self.max);
        }
        ceiling
    }
}

/// The failure count and the random source of one driver.
#[derive(Debug)]
pub(crate) struct Backoff {
    policy: ReconnectPolicy,
    failures: u32,
    rng: XorShift,
}

impl Backoff {
    pub(crate) fn new(policy: ReconnectPolicy) -> Self {
        Self {
            policy,
            failures: 0,
            rng: XorShift::seeded(),
        }
    }

    pub(crate) fn policy(&self) -> &ReconnectPolicy {
        &self.policy
    }

    /// Forgets earlier failures (the last connection was stable).
    pub(crate) fn reset(&mut self) {
        self.failures = 0;
    }

    /// The delay before the next attempt; counts one more failure.
    pub(crate) fn next_delay(&mut self, permanent: bool) -> Duration {
        let ceiling = self.policy.ceiling(self.failures);
        self.failures = self.failures.saturating_add(1);
        let ceiling_ns = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        let floor_ns = if permanent { ceiling_ns / 2 } else { 0 };
        Duration::from_nanos(floor_ns + self.rng.below(ceiling_ns - floor_ns))
    }
}

/// xorshift64*: enough randomness to spread reconnects, without a crate.
#[derive(Debug)]
struct XorShift(u64);

impl XorShift {
    fn seeded() -> Self {
        // Clients started in the same nanosecond still differ by the counter.
        static STARTED: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let count = STARTED.fetch_add(1, Ordering::Relaxed);
        Self((nanos ^ count.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform enough in `[0, bound]`.
    fn below(&mut self, bound: u64) -> u64 {
        match bound.checked_add(1) {
            Some(range) => self.next() % range,
            None => self.next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_double_up_to_the_maximum() {
        let p = ReconnectPolicy::new(Duration::from_millis(100), Duration::from_secs(30));
        assert_eq!(p.ceiling(0), Duration::from_millis(100));
        assert_eq!(p.ceiling(3), Duration::from_millis(800));
        assert_eq!(p.ceiling(20), Duration::from_secs(30));
        assert_eq!(p.ceiling(u32::MAX), Duration::from_secs(30));
    }

    #[test]
    fn delays_stay_within_the_ceiling_and_grow() {
        let mut b = Backoff::new(ReconnectPolicy::default());
        let first: Vec<Duration> = (0..4).map(|_| b.next_delay(false)).collect();
        for (n, d) in first.iter().enumerate() {
            assert!(*d <= b.policy.ceiling(n as u32), "{n}: {d:?}");
        }
        for _ in 0..20 {
            b.next_delay(false);
        }
        assert!(b.next_delay(false) <= Duration::from_secs(30));
    }

    #[test]
    fn permanent_failures_wait_at_least_half_the_ceiling() {
        let mut b = Backoff::new(ReconnectPolicy::default());
        for n in 0..10 {
            let ceiling = b.policy.ceiling(n);
            let d = b.next_delay(true);
            assert!(
                d >= ceiling / 2 && d <= ceiling,
                "{n}: {d:?} vs {ceiling:?}"
            );
        }
    }

    #[test]
    fn reset_starts_over_from_the_initial_ceiling() {
        let mut b = Backoff::new(ReconnectPolicy::default());
        for _ in 0..10 {
            b.next_delay(false);
        }
        b.reset();
        assert!(b.next_delay(false) <= Duration::from_millis(100));
    }
}
