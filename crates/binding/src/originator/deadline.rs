//! How long an originator waits for a response.

use std::time::Duration;

use onem2m_primitive::{RequestPrimitive, Timestamp};

/// How long to wait for the response to `request` sent at `now`: until its request
/// expiration timestamp `rqet` if it has one (a relative `rqet` counts from `ot`, else
/// from `now`), else `default`. An `rqet` already past gives zero: the request has
/// expired before it was sent, and the originator reports a timeout at once.
///
/// ```
/// use std::time::Duration;
/// use onem2m_binding::originator::response_deadline;
/// use onem2m_primitive::{AbsRelTimestamp, RequestPrimitive, Timestamp};
///
/// let now = Timestamp::from_unix_secs(1_800_000_000);
/// let mut req = RequestPrimitive::retrieve("cse-in", "CAE01", "r1");
/// assert_eq!(response_deadline(&req, Duration::from_secs(10), now), Duration::from_secs(10));
/// req.rqet = Some(AbsRelTimestamp::Relative(2_500));
/// assert_eq!(response_deadline(&req, Duration::from_secs(10), now), Duration::from_millis(2_500));
/// ```
pub fn response_deadline(
    request: &RequestPrimitive,
    default: Duration,
    now: Timestamp,
) -> Duration {
    let Some(rqet) = &request.rqet else {
        return default;
    };
    let expires = rqet.resolve(request.ot.unwrap_or(now));
    let micros = expires.unix_micros().saturating_sub(now.unix_micros());
    Duration::from_micros(u64::try_from(micros).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use onem2m_primitive::AbsRelTimestamp;

    fn now() -> Timestamp {
        Timestamp::from_unix_secs(1_800_000_000)
    }

    #[test]
    fn an_absolute_rqet_sets_the_deadline() {
        let mut req = RequestPrimitive::retrieve("cse-in", "CAE01", "r1");
        req.rqet = Some(AbsRelTimestamp::Absolute(now().add_millis(750)));
        assert_eq!(
            response_deadline(&req, Duration::from_secs(30), now()),
            Duration::from_millis(750)
        );
    }

    #[test]
    fn a_relative_rqet_counts_from_ot() {
        let mut req = RequestPrimitive::retrieve("cse-in", "CAE01", "r1");
        req.ot = Some(now().add_millis(-1_000));
        req.rqet = Some(AbsRelTimestamp::Relative(3_000));
        assert_eq!(
            response_deadline(&req, Duration::from_secs(30), now()),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn an_rqet_in_the_past_gives_no_time() {
        let mut req = RequestPrimitive::retrieve("cse-in", "CAE01", "r1");
        req.rqet = Some(AbsRelTimestamp::Relative(-5_000));
        assert_eq!(
            response_deadline(&req, Duration::from_secs(30), now()),
            Duration::ZERO
        );
    }
}
