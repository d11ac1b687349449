//! Round-trip latencies: an HDR histogram per task, merged, summarised, and carried
//! between processes as `(nanoseconds, count)` pairs.

use std::time::Duration;

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

use crate::Error;

/// The longest round trip the histogram holds (longer ones count as this).
const HIGHEST_NS: u64 = 60_000_000_000;
/// Three significant digits: 0.1 % resolution at every magnitude.
const SIGNIFICANT_DIGITS: u8 = 3;

/// Round-trip times of one run, in nanoseconds.
#[derive(Debug, Clone)]
pub struct Latencies {
    histogram: Histogram<u64>,
}

impl Latencies {
    /// An empty record.
    pub fn new() -> Result<Self, Error> {
        let histogram = Histogram::new_with_bounds(1, HIGHEST_NS, SIGNIFICANT_DIGITS)
            .map_err(|e| Error::Histogram(e.to_string()))?;
        Ok(Self { histogram })
    }

    /// Records one round trip.
    pub fn record(&mut self, round_trip: Duration) {
        let ns = u64::try_from(round_trip.as_nanos()).unwrap_or(u64::MAX);
        self.histogram.saturating_record(ns.max(1));
    }

    /// Records `count` round trips of `ns` nanoseconds each.
    pub fn record_n(&mut self, ns: u64, count: u64) {
        // saturating_record_n does not exist; clamp, then the record cannot fail.
        let ns = ns.clamp(1, HIGHEST_NS);
        let _ = self.histogram.record_n(ns, count);
    }

    /// Adds another record into this one.
    pub fn merge(&mut self, other: &Latencies) {
        for (ns, count) in other.buckets() {
            self.record_n(ns, count);
        }
    }

    /// How many round trips were recorded.
    pub fn count(&self) -> u64 {
        self.histogram.len()
    }

    /// The non-empty buckets, `(nanoseconds, count)`, in increasing order.
    pub fn buckets(&self) -> Vec<(u64, u64)> {
        self.histogram
            .iter_recorded()
            .map(|v| (v.value_iterated_to(), v.count_at_value()))
            .collect()
    }

    /// Rebuilds a record from [`buckets`](Self::buckets).
    pub fn from_buckets(buckets: &[(u64, u64)]) -> Result<Self, Error> {
        let mut latencies = Self::new()?;
        for &(ns, count) in buckets {
            latencies.record_n(ns, count);
        }
        Ok(latencies)
    }

    /// The latency at quantile `q` (0 to 1), in microseconds.
    pub fn quantile_us(&self, q: f64) -> f64 {
        micros(self.histogram.value_at_quantile(q))
    }

    /// Percentiles, mean and maximum (all zero for an empty record).
    pub fn summary(&self) -> LatencySummary {
        let h = &self.histogram;
        let at = |q: f64| micros(h.value_at_quantile(q));
        LatencySummary {
            count: h.len(),
            p50_us: at(0.50),
            p90_us: at(0.90),
            p99_us: at(0.99),
            max_us: micros(h.max()),
            mean_us: h.mean() / 1000.0,
        }
    }
}

fn micros(ns: u64) -> f64 {
    // Nanosecond values below 2^53 convert exactly.
    ns as f64 / 1000.0
}

/// The figures of a latency record, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatencySummary {
    /// Round trips recorded.
    pub count: u64,
    /// Median.
    pub p50_us: f64,
    /// 90th percentile.
    pub p90_us: f64,
    /// 99th percentile.
    pub p99_us: f64,
    /// Slowest.
    pub max_us: f64,
    /// Mean.
    pub mean_us: f64,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn percentiles_come_from_the_recorded_values() {
        let mut l = Latencies::new().unwrap();
        for us in 1..=100u64 {
            l.record(Duration::from_micros(us));
        }
        let s = l.summary();
        assert_eq!(s.count, 100);
        assert!((s.p50_us - 50.0).abs() < 0.1, "{s:?}");
        assert!((s.p99_us - 99.0).abs() < 0.1, "{s:?}");
        assert!((s.max_us - 100.0).abs() < 0.1, "{s:?}");
    }

    #[test]
    fn buckets_survive_the_trip_between_processes() {
        let mut a = Latencies::new().unwrap();
        a.record(Duration::from_micros(80));
        a.record(Duration::from_micros(80));
        a.record(Duration::from_millis(3));
        let b = Latencies::from_buckets(&a.buckets()).unwrap();
        assert_eq!(b.summary(), a.summary());
        let mut c = Latencies::new().unwrap();
        c.merge(&a);
        c.merge(&b);
        assert_eq!(c.count(), 6);
    }
}
