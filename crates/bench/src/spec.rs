//! What a worker process runs and what it reports back: the JSON contract between
//! the coordinator and the workers (ours, the floor, rumqttc, and the Python script).

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::latency::{Latencies, LatencySummary};

/// A client stack under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stack {
    /// This project's originator and receiver (onem2m-binding).
    Ours,
    /// The broker's floor: a raw QoS 1 echo that does no oneM2M work.
    Floor,
    /// The same oneM2M exchange written with rumqttc + serde_json.
    Rumqttc,
    /// The same exchange with Python paho-mqtt.
    Paho,
}

impl Stack {
    /// The name in tables and file names.
    pub fn name(self) -> &'static str {
        match self {
            Stack::Ours => "ours",
            Stack::Floor => "floor",
            Stack::Rumqttc => "rumqttc",
            Stack::Paho => "paho",
        }
    }

    /// What the stack is, for the report's legend.
    pub fn describe(self) -> &'static str {
        match self {
            Stack::Ours => "ours (onem2m-mqtt)",
            Stack::Floor => "floor (raw QoS 1 echo)",
            Stack::Rumqttc => "rumqttc + serde_json",
            Stack::Paho => "paho-mqtt (Python)",
        }
    }
}

/// One worker's job, passed as JSON in its `--worker` argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerSpec {
    /// Which stack to run.
    pub stack: Stack,
    /// The broker (`mqtt://127.0.0.1:PORT` or `ws://...`).
    pub url: String,
    /// `json`, `cbor` or `xml` (ours only; the baselines speak JSON).
    pub serialization: String,
    /// Request/response pairs measured.
    pub count: u64,
    /// Pairs run first and not measured (connections warm, allocator settled).
    pub warmup: u64,
    /// Requests in flight at once, over all originators.
    pub in_flight: usize,
    /// Separate originator clients (MQTT connections); one receiver serves them all.
    pub originators: usize,
}

/// What a worker measured, printed as one JSON line on its stdout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerReport {
    /// The stack.
    pub stack: Stack,
    /// Pairs measured (responses matched to their requests).
    pub pairs: u64,
    /// Wall time of the measured pairs, in seconds.
    pub elapsed_s: f64,
    /// CPU time (user + system, every thread of the worker process: originators and
    /// receiver) spent on the measured pairs, in seconds.
    pub cpu_s: f64,
    /// Peak resident memory of the worker process, in KiB.
    pub peak_rss_kib: Option<u64>,
    /// Round-trip latencies as `(nanoseconds, count)` buckets.
    pub latency_buckets: Vec<(u64, u64)>,
}

impl WorkerReport {
    /// Pairs per second.
    pub fn throughput(&self) -> f64 {
        if self.elapsed_s > 0.0 {
            self.pairs as f64 / self.elapsed_s
        } else {
            0.0
        }
    }

    /// CPU microseconds per pair.
    pub fn cpu_us_per_pair(&self) -> f64 {
        if self.pairs > 0 {
            self.cpu_s * 1e6 / self.pairs as f64
        } else {
            0.0
        }
    }

    /// The latency record.
    pub fn latencies(&self) -> Result<Latencies, Error> {
        Latencies::from_buckets(&self.latency_buckets)
    }

    /// The latency figures.
    pub fn latency(&self) -> Result<LatencySummary, Error> {
        Ok(self.latencies()?.summary())
    }
}

/// The line prefix of a worker's progress reports on stderr: `progress <done> <total>`.
pub const PROGRESS_PREFIX: &str = "progress ";
