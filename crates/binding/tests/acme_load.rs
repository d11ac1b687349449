//! 1,000 sequential and 1,000 pipelined requests (up to 64 in flight) from one AE
//! to a live ACME over Mosquitto: every response matched to its request by `rqi`,
//! none lost. Prints p50, p99 and requests per second (the figures in
//! `docs/interop.md`); asserts none of them, the machine may be busy.
//!
//! A file of its own so that no other test shares ACME while it runs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod acme_common;
mod binding_common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use acme_common::*;
use onem2m_binding::Originator;
use onem2m_primitive::{RequestPrimitive, ResponseStatusCode};
use tokio::task::JoinSet;

const REQUESTS: usize = 1_000;
const IN_FLIGHT: usize = 64;

/// Sends RETRIEVE `n` with `rqi` `<tag>-<n>` and checks that its own response
/// came back; returns how long it took.
async fn retrieve(originator: &Originator, target: &str, tag: &str, n: usize) -> Duration {
    let rqi = format!("{tag}-{n}");
    let mut request = RequestPrimitive::retrieve(target, "", rqi.as_str());
    request.fr = None;
    let started = Instant::now();
    let response = originator
        .request(request)
        .await
        .unwrap_or_else(|e| panic!("{rqi}: {e}"));
    let took = started.elapsed();
    assert_eq!(response.rqi.as_deref(), Some(rqi.as_str()));
    assert_eq!(response.rsc, ResponseStatusCode::OK, "{rqi}: {response:?}");
    took
}

/// `p50 … p99 … req/s` of one run.
fn report(what: &str, mut times: Vec<Duration>, total: Duration) -> String {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).saturating_sub(1)];
    format!(
        "ACME {what}: {} requests, p50 {:.2} ms, p99 {:.2} ms, {:.0} req/s",
        times.len(),
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        times.len() as f64 / total.as_secs_f64()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_sequential_and_a_thousand_pipelined_requests_are_all_matched_by_rqi() {
    let Some(suite) = suite() else { return };
    let TestAe {
        binding: ae, path, ..
    } = fresh_ae(&suite, Transport::Tcp, "json", "load").await;
    expect(
        &suite,
        &ae,
        container(&path, "data"),
        ResponseStatusCode::CREATED,
    )
    .await;
    let target: Arc<str> = format!("{path}/data").into();
    let originator = ae.originator();

    let started = Instant::now();
    let mut times = Vec::with_capacity(REQUESTS);
    for n in 0..REQUESTS {
        times.push(retrieve(&originator, &target, "seq", n).await);
    }
    let sequential = report("sequential", times, started.elapsed());

    // IN_FLIGHT workers take the next request number until all are sent.
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = JoinSet::new();
    for _ in 0..IN_FLIGHT {
        let (originator, target, next) =
            (originator.clone(), Arc::clone(&target), Arc::clone(&next));
        workers.spawn(async move {
            let mut times = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= REQUESTS {
                    return times;
                }
                times.push(retrieve(&originator, &target, "pipe", n).await);
            }
        });
    }
    let mut times = Vec::with_capacity(REQUESTS);
    while let Some(done) = workers.join_next().await {
        times.extend(done.unwrap());
    }
    assert_eq!(times.len(), REQUESTS);
    let pipelined = report(
        &format!("pipelined ({IN_FLIGHT} in flight)"),
        times,
        started.elapsed(),
    );

    // Straight to stderr, uncaptured: the figures are the point of the run.
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{sequential}\n{pipelined}");
    ae.shutdown().await;
}
