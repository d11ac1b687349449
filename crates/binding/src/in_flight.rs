//! The requests a receiver is still working on, so that a shutdown can let them finish.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

/// Counts the handler tasks (and immediate answers) still running, and whether the
/// binding is closing.
///
/// A request is acknowledged only after its response went out, so a shutdown that
/// disconnected under a running handler would leave it unacknowledged: the broker
/// would deliver it again to the next connection, which would run it again. Closing
/// therefore first refuses new requests (left unacknowledged, the broker keeps them
/// for the next connection) and then waits for the running ones.
#[derive(Debug, Default)]
pub(crate) struct InFlight {
    running: AtomicUsize,
    closing: AtomicBool,
    idle: Notify,
}

impl InFlight {
    /// Marks one more request as running until the guard is dropped; `None` once
    /// closing.
    pub(crate) fn start(self: &Arc<Self>) -> Option<InFlightGuard> {
        if self.closing.load(Ordering::SeqCst) {
            return None;
        }
        self.running.fetch_add(1, Ordering::SeqCst);
        Some(InFlightGuard(Arc::clone(self)))
    }

    /// How many requests are running now.
    pub(crate) fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }

    /// Refuses new requests from now on, and waits up to `limit` for the running ones.
    pub(crate) async fn close(&self, limit: Duration) {
        self.closing.store(true, Ordering::SeqCst);
        let _ = tokio::time::timeout(limit, async {
            loop {
                let idle = self.idle.notified();
                if self.running.load(Ordering::SeqCst) == 0 {
                    return;
                }
                idle.await;
            }
        })
        .await;
    }
}

/// One running request; dropping it ends it.
#[derive(Debug)]
pub(crate) struct InFlightGuard(Arc<InFlight>);

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        if self.0.running.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[tokio::test]
    async fn closing_waits_for_running_requests_and_refuses_new_ones() {
        let in_flight = Arc::new(InFlight::default());
        let guard = in_flight.start().unwrap();
        let closing = {
            let in_flight = Arc::clone(&in_flight);
            tokio::spawn(async move { in_flight.close(Duration::from_secs(10)).await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!closing.is_finished());
        assert!(in_flight.start().is_none());
        drop(guard);
        tokio::time::timeout(Duration::from_secs(1), closing)
            .await
            .unwrap()
            .unwrap();
    }

    #[tokio::test]
    async fn closing_gives_up_after_its_limit() {
        let in_flight = Arc::new(InFlight::default());
        let _stuck = in_flight.start().unwrap();
        let started = std::time::Instant::now();
        in_flight.close(Duration::from_millis(50)).await;
        assert!(started.elapsed() >= Duration::from_millis(50));
    }
}
