//! Requests per second and latency quantiles of QoS 1 request/response pairs between
//! an AE and a CSE receiver, for the comparison `cargo xtask cluster` prints.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use onem2m_binding::Originator;
use tokio::task::JoinSet;

use crate::binding_common::{echo_response, retrieve};

/// What one measurement gives.
#[derive(Debug, Clone)]
pub struct Figures {
    /// Where the pairs went (`3-node cluster, AE on node 1, CSE on node 3`, ...).
    pub path: String,
    /// Requests in flight at once.
    pub in_flight: usize,
    /// Pairs measured.
    pub pairs: usize,
    /// Pairs per second over the whole measurement.
    pub per_second: f64,
    /// Median round trip.
    pub p50: Duration,
    /// 99th percentile round trip.
    pub p99: Duration,
}

/// Sends `pairs` requests (after a warm-up of a tenth as many) with `in_flight` of
/// them outstanding at once, each worker one after the other; every answer must be
/// the receiver's echo of its own request.
pub async fn measure(
    originator: &Originator,
    path: &str,
    pairs: usize,
    in_flight: usize,
) -> Figures {
    run(
        originator,
        &format!("warm-{in_flight}"),
        pairs / 10,
        in_flight,
    )
    .await;
    let started = Instant::now();
    let mut round_trips = run(originator, &format!("m-{in_flight}"), pairs, in_flight).await;
    let wall = started.elapsed();
    round_trips.sort_unstable();
    Figures {
        path: path.to_owned(),
        in_flight,
        pairs,
        per_second: pairs as f64 / wall.as_secs_f64(),
        p50: quantile(&round_trips, 0.50),
        p99: quantile(&round_trips, 0.99),
    }
}

async fn run(originator: &Originator, tag: &str, pairs: usize, in_flight: usize) -> Vec<Duration> {
    let mut workers = JoinSet::new();
    for worker in 0..in_flight {
        let originator = originator.clone();
        let tag = format!("{tag}-{worker}");
        // Worker `w` takes pairs w, w + in_flight, ...
        let mine = (worker..pairs).step_by(in_flight).count();
        workers.spawn(async move {
            let mut round_trips = Vec::with_capacity(mine);
            for i in 0..mine {
                let request = retrieve(&format!("{tag}-{i}"));
                let sent = Instant::now();
                let response = originator.request(request.clone()).await.unwrap();
                round_trips.push(sent.elapsed());
                assert_eq!(response, echo_response(&request));
            }
            round_trips
        });
    }
    let mut all = Vec::with_capacity(pairs);
    while let Some(done) = workers.join_next().await {
        all.extend(done.unwrap());
    }
    all
}

/// The `q` quantile of sorted durations (nearest rank).
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// The figures as a Markdown table.
pub fn table(rows: &[Figures]) -> String {
    let mut out = String::from(
        "| Path | In flight | Pairs | Pairs/s | p50 (ms) | p99 (ms) |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.0} | {:.2} | {:.2} |",
            row.path,
            row.in_flight,
            row.pairs,
            row.per_second,
            row.p50.as_secs_f64() * 1e3,
            row.p99.as_secs_f64() * 1e3,
        );
    }
    out
}
