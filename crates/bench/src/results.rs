//! The result document (`bench-results.json`) and the tables printed from it.

use std::fmt::Write as _;

use serde::Serialize;

use crate::Error;
use crate::latency::LatencySummary;
use crate::spec::{Stack, WorkerReport};

/// The targets of the benchmark issue.
pub mod targets {
    /// Client CPU per pair, ours over rumqttc + serde_json.
    pub const CPU_VS_RUMQTTC: f64 = 0.5;
    /// p50 round trip, ours over the broker floor.
    pub const P50_VS_FLOOR: f64 = 1.3;
    /// Our p99 over our p50.
    pub const P99_OVER_P50: f64 = 3.0;
    /// Pipelined pairs per second through Mosquitto.
    pub const PIPELINED_PAIRS_PER_S: f64 = 20_000.0;
}

/// Everything one `m2m bench` run measured.
#[derive(Debug, Clone, Serialize)]
pub struct BenchResults {
    /// The machine it ran on.
    pub machine: Machine,
    /// The broker, with its relevant configuration.
    pub broker: String,
    /// `tcp` or `ws`.
    pub transport: String,
    /// Our stack's serialization (the baselines speak JSON).
    pub serialization: String,
    /// Every measured run.
    pub runs: Vec<RunResult>,
    /// The ratios against the targets (a comparison run only).
    pub ratios: Option<Ratios>,
    /// Stacks not run, and why.
    pub skipped: Vec<String>,
}

/// What the machine is.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    /// CPU model (`/proc/cpuinfo`).
    pub cpu: String,
    /// Logical CPUs.
    pub cores: usize,
    /// Kernel release.
    pub kernel: String,
    /// Load average (1 min) when the run started: other work skews the figures.
    pub load_average: String,
}

impl Machine {
    /// Reads the machine's description from `/proc`.
    pub fn current() -> Self {
        let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
        let cpuinfo = read("/proc/cpuinfo");
        let cpu = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_else(|| "unknown".into());
        Self {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            kernel: read("/proc/sys/kernel/osrelease").trim().to_owned(),
            load_average: read("/proc/loadavg")
                .split_whitespace()
                .next()
                .unwrap_or("?")
                .to_owned(),
        }
    }
}

/// One stack in one phase.
#[derive(Debug, Clone, Serialize)]
pub struct RunResult {
    /// `latency` (one request in flight), `pipelined`, `scaling` or `single`.
    pub phase: String,
    /// The stack.
    pub stack: Stack,
    /// Requests in flight at once.
    pub in_flight: usize,
    /// Originator clients.
    pub originators: usize,
    /// Pairs measured.
    pub pairs: u64,
    /// Pairs per second.
    pub pairs_per_s: f64,
    /// Round trips.
    pub latency: LatencySummary,
    /// Worker CPU (user + system, originators and receiver) per pair.
    pub cpu_us_per_pair: f64,
    /// Worker peak resident memory.
    pub peak_rss_kib: Option<u64>,
    /// The latency buckets, `(ns, count)`.
    pub latency_buckets: Vec<(u64, u64)>,
}

impl RunResult {
    /// A phase's result from its worker's report.
    pub fn new(
        phase: &str,
        in_flight: usize,
        originators: usize,
        report: WorkerReport,
    ) -> Result<Self, Error> {
        Ok(Self {
            phase: phase.to_owned(),
            stack: report.stack,
            in_flight,
            originators,
            pairs: report.pairs,
            pairs_per_s: report.throughput(),
            latency: report.latency()?,
            cpu_us_per_pair: report.cpu_us_per_pair(),
            peak_rss_kib: report.peak_rss_kib,
            latency_buckets: report.latency_buckets,
        })
    }
}

/// Our figures over the baselines', with the targets.
#[derive(Debug, Clone, Serialize)]
pub struct Ratios {
    /// CPU per pair, ours / rumqttc, one request in flight.
    pub cpu_vs_rumqttc_latency: Option<f64>,
    /// CPU per pair, ours / rumqttc, pipelined.
    pub cpu_vs_rumqttc_pipelined: Option<f64>,
    /// p50, ours / floor, one request in flight.
    pub p50_vs_floor: Option<f64>,
    /// Our p99 / our p50, one request in flight.
    pub p99_over_p50: Option<f64>,
    /// Our pipelined pairs per second.
    pub pipelined_pairs_per_s: Option<f64>,
}

impl Ratios {
    /// The ratios from a comparison's runs.
    pub fn from_runs(runs: &[RunResult]) -> Self {
        let find =
            |phase: &str, stack: Stack| runs.iter().find(|r| r.phase == phase && r.stack == stack);
        let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) if b > 0.0 => Some(a / b),
            _ => None,
        };
        let cpu = |phase: &str, stack| find(phase, stack).map(|r| r.cpu_us_per_pair);
        let ours_latency = find("latency", Stack::Ours);
        Self {
            cpu_vs_rumqttc_latency: ratio(
                cpu("latency", Stack::Ours),
                cpu("latency", Stack::Rumqttc),
            ),
            cpu_vs_rumqttc_pipelined: ratio(
                cpu("pipelined", Stack::Ours),
                cpu("pipelined", Stack::Rumqttc),
            ),
            p50_vs_floor: ratio(
                ours_latency.map(|r| r.latency.p50_us),
                find("latency", Stack::Floor).map(|r| r.latency.p50_us),
            ),
            p99_over_p50: ratio(
                ours_latency.map(|r| r.latency.p99_us),
                ours_latency.map(|r| r.latency.p50_us),
            ),
            pipelined_pairs_per_s: find("pipelined", Stack::Ours).map(|r| r.pairs_per_s),
        }
    }

    /// The ratio table in Markdown.
    pub fn table(&self) -> String {
        use targets::*;
        let mut t = String::from("| figure | measured | target | met |\n|---|---:|---:|---|\n");
        let mut row = |name: &str, value: Option<f64>, target: String, met: Option<bool>| {
            let value = value.map_or_else(|| "–".to_owned(), |v| format!("{v:.2}"));
            let met = match met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "–",
            };
            let _ = writeln!(t, "| {name} | {value} | {target} | {met} |");
        };
        let at_most = |v: Option<f64>, limit: f64| v.map(|v| v <= limit);
        row(
            "client CPU per pair vs rumqttc, 1 in flight",
            self.cpu_vs_rumqttc_latency,
            format!("≤ {CPU_VS_RUMQTTC}×"),
            at_most(self.cpu_vs_rumqttc_latency, CPU_VS_RUMQTTC),
        );
        row(
            "client CPU per pair vs rumqttc, pipelined",
            self.cpu_vs_rumqttc_pipelined,
            format!("≤ {CPU_VS_RUMQTTC}×"),
            at_most(self.cpu_vs_rumqttc_pipelined, CPU_VS_RUMQTTC),
        );
        row(
            "p50 round trip vs broker floor",
            self.p50_vs_floor,
            format!("≤ {P50_VS_FLOOR}×"),
            at_most(self.p50_vs_floor, P50_VS_FLOOR),
        );
        row(
            "p99 / p50 (ours, 1 in flight)",
            self.p99_over_p50,
            format!("≤ {P99_OVER_P50}×"),
            at_most(self.p99_over_p50, P99_OVER_P50),
        );
        let _ = writeln!(
            t,
            "| pipelined pairs/s (ours) | {} | ≥ {PIPELINED_PAIRS_PER_S:.0} | {} |",
            self.pipelined_pairs_per_s
                .map_or_else(|| "–".to_owned(), |v| format!("{v:.0}")),
            match self.pipelined_pairs_per_s {
                Some(v) if v >= PIPELINED_PAIRS_PER_S => "yes",
                Some(_) => "**no**",
                None => "–",
            }
        );
        t
    }
}

/// The runs of `phase` as a Markdown table.
pub fn runs_table(runs: &[RunResult], phase: &str) -> String {
    let mut t = String::from(
        "| stack | originators | in flight | pairs | pairs/s | p50 µs | p90 µs | p99 µs | max µs | CPU µs/pair | peak RSS MiB |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in runs.iter().filter(|r| r.phase == phase) {
        let l = &r.latency;
        let _ = writeln!(
            t,
            "| {} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.1} | {} |",
            r.stack.name(),
            r.originators,
            r.in_flight,
            r.pairs,
            r.pairs_per_s,
            l.p50_us,
            l.p90_us,
            l.p99_us,
            l.max_us,
            r.cpu_us_per_pair,
            r.peak_rss_kib
                .map_or_else(|| "–".to_owned(), |k| format!("{:.1}", k as f64 / 1024.0)),
        );
    }
    t
}
