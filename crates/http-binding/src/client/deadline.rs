//! How long the originator waits for a response: its timeout, or less when the
//! request expires (`rqet`) sooner.

use std::time::Duration;

use onem2m_primitive::{RequestPrimitive, Timestamp};

/// How long to wait for the response to `request` sent at `now`, and whether the
/// request's own expiration time is what bounds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Wait {
    pub(crate) limit: Duration,
    pub(crate) expires: bool,
}

impl Wait {
    /// `timeout`, or the time left until `rqet` (a relative `rqet` counts from `ot`,
    /// else from `now`) when that is shorter; zero when `rqet` has passed.
    pub(crate) fn for_request(
        request: &RequestPrimitive,
        timeout: Duration,
        now: Timestamp,
    ) -> Self {
        let left = request.rqet.as_ref().map(|rqet| {
            let expiry = rqet.resolve(request.ot.unwrap_or(now));
            let micros = expiry.unix_micros().saturating_sub(now.unix_micros());
            Duration::from_micros(u64::try_from(micros).unwrap_or(0))
        });
        match left {
            Some(left) if left < timeout => Self {
                limit: left,
                expires: true,
            },
            _ => Self {
                limit: timeout,
                expires: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use onem2m_primitive::AbsRelTimestamp;

    use super::*;

    const TIMEOUT: Duration = Duration::from_secs(30);

    fn now() -> Timestamp {
        Timestamp::from_unix_secs(1_800_000_000)
    }

    #[test]
    fn an_rqet_sooner_than_the_timeout_bounds_the_wait() {
        let mut request = RequestPrimitive::retrieve("cse-in", "CAE1", "r1");
        request.rqet = Some(AbsRelTimestamp::Absolute(now().add_millis(1_500)));
        let wait = Wait::for_request(&request, TIMEOUT, now());
        assert_eq!(wait.limit, Duration::from_millis(1_500));
        assert!(wait.expires);
    }

    #[test]
    fn a_later_rqet_or_none_leaves_the_timeout() {
        let mut request = RequestPrimitive::retrieve("cse-in", "CAE1", "r1");
        assert!(!Wait::for_request(&request, TIMEOUT, now()).expires);
        request.rqet = Some(AbsRelTimestamp::Relative(60_000));
        let wait = Wait::for_request(&request, TIMEOUT, now());
        assert_eq!(wait.limit, TIMEOUT);
        assert!(!wait.expires);
    }

    #[test]
    fn a_passed_rqet_leaves_no_time() {
        let mut request = RequestPrimitive::retrieve("cse-in", "CAE1", "r1");
        request.ot = Some(now().add_millis(-10_000));
        request.rqet = Some(AbsRelTimestamp::Relative(5_000));
        let wait = Wait::for_request(&request, TIMEOUT, now());
        assert_eq!(wait.limit, Duration::ZERO);
        assert!(wait.expires);
    }
}
