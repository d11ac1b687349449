//! The closed loop every Rust worker runs: `in_flight` lanes, each sending its next
//! request as soon as the previous one's response arrived, until the count is done;
//! then the measured phase after an unmeasured warm-up.

use std::future::Future;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use crate::Error;
use crate::latency::Latencies;
use crate::spec::{PROGRESS_PREFIX, Stack, WorkerReport, WorkerSpec};
use crate::usage::{peak_rss_kib, process_cpu_time};

/// How often a worker tells the coordinator how far it is.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Counts finished pairs and prints `progress <done> <total>` lines on stderr.
#[derive(Debug, Clone)]
pub struct Progress {
    done: Arc<AtomicU64>,
}

impl Progress {
    /// Starts printing until `total` pairs are done (or the process ends).
    pub fn start(total: u64) -> Self {
        let done = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&done);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(PROGRESS_EVERY);
            loop {
                tick.tick().await;
                let now = counter.load(Ordering::Relaxed);
                let mut err = std::io::stderr().lock();
                let _ = writeln!(err, "{PROGRESS_PREFIX}{now} {total}");
                if now >= total {
                    break;
                }
            }
        });
        Self { done }
    }

    /// Prints the final count at once (the periodic line may not come before exit).
    pub fn finish(&self, total: u64) {
        let now = self.done.load(Ordering::Relaxed);
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{PROGRESS_PREFIX}{now} {total}");
    }

    /// One more pair done.
    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
}

/// Runs `total` exchanges over `lanes` lanes; `exchange(lane)` performs one. Returns
/// the merged latencies.
pub async fn closed_loop<F, Fut>(
    total: u64,
    lanes: usize,
    progress: Option<&Progress>,
    exchange: F,
) -> Result<Latencies, Error>
where
    F: Fn(usize) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), Error>> + Send + 'static,
{
    let next = Arc::new(AtomicU64::new(0));
    let mut tasks = JoinSet::new();
    let lanes = lanes.max(1);
    let per_lane = usize::try_from(total / lanes as u64 + 1).unwrap_or(0);
    for lane in 0..lanes {
        let next = Arc::clone(&next);
        let exchange = exchange.clone();
        let progress = progress.cloned();
        tasks.spawn(async move {
            // Raw times, put into the histogram once the run is over: a histogram per
            // lane would cost 400 KiB each, in the peak memory measured.
            let mut round_trips = Vec::with_capacity(per_lane);
            while next.fetch_add(1, Ordering::Relaxed) < total {
                let start = Instant::now();
                exchange(lane).await?;
                round_trips.push(start.elapsed());
                if let Some(p) = &progress {
                    p.tick();
                }
            }
            Ok::<_, Error>(round_trips)
        });
    }
    let mut all = Latencies::new()?;
    while let Some(joined) = tasks.join_next().await {
        let lane = joined.map_err(|e| Error::Request {
            stack: "lane".into(),
            cause: e.to_string(),
        })??;
        for round_trip in lane {
            all.record(round_trip);
        }
    }
    Ok(all)
}

/// The warm-up, then the measured run with its wall time and CPU time, as a report.
pub async fn measure<F, Fut>(spec: &WorkerSpec, exchange: F) -> Result<WorkerReport, Error>
where
    F: Fn(usize) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), Error>> + Send + 'static,
{
    closed_loop(spec.warmup, spec.in_flight, None, exchange.clone()).await?;
    let progress = Progress::start(spec.count);
    let cpu = process_cpu_time();
    let start = Instant::now();
    let latencies = closed_loop(spec.count, spec.in_flight, Some(&progress), exchange).await?;
    progress.finish(spec.count);
    Ok(report(
        spec.stack,
        &latencies,
        start.elapsed(),
        process_cpu_time() - cpu,
    ))
}

/// A report from what a worker measured.
pub fn report(stack: Stack, latencies: &Latencies, wall: Duration, cpu: Duration) -> WorkerReport {
    WorkerReport {
        stack,
        pairs: latencies.count(),
        elapsed_s: wall.as_secs_f64(),
        cpu_s: cpu.as_secs_f64(),
        peak_rss_kib: peak_rss_kib(),
        latency_buckets: latencies.buckets(),
    }
}
