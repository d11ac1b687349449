//! Where the CSE reads the time for `ct` and `lt`.

use std::sync::atomic::{AtomicI64, Ordering};

use onem2m_primitive::Timestamp;

/// The CSE's source of time. The tree asks it once per request, so a test can give a
/// fixed or stepping clock and assert exact timestamps.
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> Timestamp;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that starts at a given time and moves one second forward each time it is
/// read: every request gets a distinct, predictable time.
#[derive(Debug)]
pub struct SteppingClock {
    next_secs: AtomicI64,
}

impl SteppingClock {
    /// A clock whose first reading is `unix_secs`.
    pub fn starting_at(unix_secs: i64) -> Self {
        Self {
            next_secs: AtomicI64::new(unix_secs),
        }
    }
}

impl Clock for SteppingClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix_secs(self.next_secs.fetch_add(1, Ordering::Relaxed))
    }
}
