//! Figures for `docs/scaling.md`: requests per second and p50/p99 of RETRIEVEs from
//! 20 AEs (a few in flight each) through 1, 2 and 3 `m2m gateway` processes in one
//! `$share` group on Mosquitto, (a) in front of ACME over HTTP (a fresh ACME per row:
//! it slows down as it runs) and (b) in front of an HTTP CSE that answers at once,
//! all in one run on one machine.
//!
//! Run: `cargo xtask scale-bench [--requests N]` (release builds of this example and
//! of `m2m`, which it expects next to its own directory; needs Mosquitto and ACME:
//! `.ci/run` makes `target/acme-venv`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/ae_load/mod.rs"]
mod ae_load;
#[path = "../tests/gateway_members/mod.rs"]
mod gateway_members;
#[path = "../tests/instant_cse/mod.rs"]
mod instant_cse;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Duration;

use ae_load::{LoadAe, LoadReport};
use gateway_members::{Member, MemberSettings, Session};
use onem2m_binding::originator::RetryPolicy;
use onem2m_test_support::{Acme, AcmeStart, Mosquitto, MosquittoStart};

const AES: usize = 20;
const IN_FLIGHT_PER_AE: usize = 4;
const WARM_UP: usize = 400;
const MEMBERS: [usize; 3] = [1, 2, 3];
/// Never reached in a healthy run: the figures are of requests answered the first time.
const NO_RETRY: Duration = Duration::from_secs(60);

/// The CSE behind the gateways.
#[derive(Debug, Clone, Copy)]
enum Cse {
    Acme,
    Instant,
}

impl Cse {
    fn name(self) -> &'static str {
        match self {
            Cse::Acme => "ACME over HTTP",
            Cse::Instant => "instant HTTP CSE",
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let requests: usize = std::env::args()
        .nth(1)
        .map(|n| n.parse().expect("the number of requests per configuration"))
        .unwrap_or(5000);
    let m2m = m2m_binary();
    let broker = match Mosquitto::start().unwrap() {
        MosquittoStart::Running(broker) => broker,
        MosquittoStart::Skip { reason } => panic!("needs Mosquitto: {reason}"),
    };
    let instant = instant_cse::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut rows = Vec::new();
    for cse in [Cse::Acme, Cse::Instant] {
        for n in MEMBERS {
            let mut acme = None;
            let http = match cse {
                Cse::Acme => {
                    let started = match Acme::start_http_only().unwrap() {
                        AcmeStart::Running(acme) => acme,
                        AcmeStart::Skip { reason } => panic!("needs ACME: {reason}"),
                    };
                    acme.insert(started).http_url()
                }
                Cse::Instant => instant.url(),
            };
            let settings = MemberSettings {
                mqtt: broker.mqtt_url(),
                http,
                group: "gw".into(),
                session: Session::Clean,
                log_requests: false,
            };
            let report = row(&m2m, &settings, n, requests, dir.path()).await;
            println!(
                "{}, {n} member(s): {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, retried {}",
                cse.name(),
                report.requests_per_second(),
                report.latencies.quantile_us(0.5) / 1000.0,
                report.latencies.quantile_us(0.99) / 1000.0,
                report.retries
            );
            rows.push((cse, n, report));
            drop(acme);
        }
    }
    instant.shutdown().await;

    println!(
        "\nRETRIEVE of the AE's own resource, {requests} requests per row after {WARM_UP} warm-up, \
         {AES} AEs with {IN_FLIGHT_PER_AE} in flight each, JSON, one $share group on Mosquitto, \
         every process on one 2-core machine"
    );
    println!("| CSE | gateway members | requests/s | p50 (ms) | p99 (ms) |");
    println!("|---|---|---|---|---|");
    for (cse, n, report) in &rows {
        println!(
            "| {} | {n} | {:.0} | {:.2} | {:.2} |",
            cse.name(),
            report.requests_per_second(),
            report.latencies.quantile_us(0.5) / 1000.0,
            report.latencies.quantile_us(0.99) / 1000.0
        );
    }
}

/// One row: `n` members, 20 AEs registered through them, a warm-up, the measure.
async fn row(
    m2m: &Path,
    settings: &MemberSettings,
    n: usize,
    requests: usize,
    dir: &Path,
) -> LoadReport {
    let mut members = Vec::new();
    for k in 1..=n {
        members.push(Member::start(m2m, settings, &format!("bench-{n}-{k}"), dir).await);
    }
    let tag = format!("bench{n}m");
    let retry = RetryPolicy::new(NO_RETRY, 1);
    let aes = ae_load::register_aes(&settings.mqtt, &tag, AES, retry).await;
    measured(&aes, WARM_UP).await;
    let report = measured(&aes, requests).await;
    for ae in aes {
        ae.binding.shutdown().await;
    }
    report
}

/// `m2m` as cargo builds it: next to the `examples` directory this example is in.
fn m2m_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let m2m = exe
        .parent()
        .and_then(|examples| examples.parent())
        .map(|profile| profile.join("m2m"))
        .unwrap();
    assert!(
        m2m.exists(),
        "{} not found: build it first (cargo xtask scale-bench does)",
        m2m.display()
    );
    m2m
}

/// Runs `requests` and checks every one got its answer.
async fn measured(aes: &[LoadAe], requests: usize) -> LoadReport {
    let report = ae_load::run(
        aes,
        requests,
        IN_FLIGHT_PER_AE,
        Arc::new(AtomicUsize::new(0)),
    )
    .await;
    assert!(
        report.failures.is_empty() && report.not_answered_once().is_empty(),
        "{} failed, the first: {:?}",
        report.failures.len(),
        report.failures.first()
    );
    report
}
