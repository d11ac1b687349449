//! Scale-out behind a `$share` group (issue 12): three `m2m gateway` processes serve
//! `/id-in` together, 20 AEs send RETRIEVEs through them, and a fault strikes
//! part-way. Every request must get exactly one 2000 answer at its originator.
//!
//! - A member killed with SIGKILL and started again, in front of one ACME reached
//!   over HTTP, 10,000 requests: requests the broker still holds for the member are
//!   redelivered when it comes back (persistent session) or go to the others (clean
//!   session), and a request it had taken and not answered is sent again under its
//!   `rqi` by the originator's retry policy.
//! - Mosquitto restarted (SIGTERM, persistence on), in front of a CSE that answers at
//!   once: the members connect again and keep serving (with a persistent session,
//!   because they subscribe to their `$share` filters again, which Mosquitto 2.0.11
//!   does not restore).
//!
//! Each fault runs once with the members' sessions persistent and once with clean
//! sessions, on a fresh Mosquitto each. `ONEM2M_SCALE_OUT_REQUESTS` sets another
//! number of requests for the member-killed runs. Skipped when Mosquitto or ACME is
//! not installed (unless `ONEM2M_REQUIRE_MOSQUITTO=1` / `ONEM2M_REQUIRE_ACME=1`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ae_load;
mod gateway_members;
mod instant_cse;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ae_load::LoadReport;
use gateway_members::{Member, MemberSettings, Session};
use onem2m_binding::originator::RetryPolicy;
use onem2m_test_support::{
    Acme, AcmeStart, EventTally, Mosquitto, REQUIRE_ACME_ENV, Watch, require_mosquitto,
    skip_or_fail_for,
};

const M2M: &str = env!("CARGO_BIN_EXE_m2m");
const REQUESTS_ENV: &str = "ONEM2M_SCALE_OUT_REQUESTS";
const REQUESTS: usize = 10_000;
const BROKER_RESTART_REQUESTS: usize = 2_000;
const AES: usize = 20;
const MEMBERS: usize = 3;
/// Kept moderate: ACME is one Python process.
const IN_FLIGHT_PER_AE: usize = 3;
/// The fault strikes once this share of the requests is done.
const FAULT_AFTER: f64 = 0.3;
/// Far above a round trip through a queue of 60 requests at ACME, so that a retry
/// only follows a lost request.
const RETRY_AFTER: Duration = Duration::from_secs(2);
const MAX_RETRIES: u32 = 10;
/// Each test, both runs, must end within this.
const TEST_LIMIT: Duration = Duration::from_secs(600);

const LATE_ANSWER: &str = "late answer dropped";

#[test]
fn every_request_through_a_share_group_gets_one_answer_while_a_member_is_killed_and_restarted() {
    let tally = EventTally::new(
        "onem2m_binding",
        &[Watch::message(LATE_ANSWER, "response nobody waits for")],
    );
    let _on_this_thread = tracing::dispatcher::set_default(&tally.dispatch());
    let runtime = tally.runtime(2).unwrap();
    runtime.block_on(async {
        tokio::time::timeout(TEST_LIMIT, member_killed(&tally))
            .await
            .expect("the scale-out test did not finish in time");
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_of_a_share_group_keep_serving_after_the_broker_restarts() {
    let cse = instant_cse::start().await;
    for (session, tag) in [
        (Session::Persistent, "brokerp"),
        (Session::Clean, "brokerc"),
    ] {
        let mut broker = require_mosquitto!();
        let settings = settings(&broker, cse.url(), session);
        let run = tokio::time::timeout(
            TEST_LIMIT,
            run_with(
                &settings,
                tag,
                BROKER_RESTART_REQUESTS,
                Fault::BrokerRestarted(&mut broker),
            ),
        )
        .await
        .expect("the broker restart run did not finish in time");
        run.print(session, "Mosquitto restarted", None);
        run.check(&broker.log());
    }
    cse.shutdown().await;
}

async fn member_killed(tally: &EventTally) {
    let requests = std::env::var(REQUESTS_ENV)
        .ok()
        .map(|n| n.parse().expect("ONEM2M_SCALE_OUT_REQUESTS: a number"))
        .unwrap_or(REQUESTS);
    let acme = match Acme::start_http_only() {
        Ok(AcmeStart::Running(acme)) => acme,
        Ok(AcmeStart::Skip { reason }) => {
            skip_or_fail_for(REQUIRE_ACME_ENV, "ACME not installed", &reason);
            return;
        }
        Err(e) => panic!("ACME is installed but did not start: {e}"),
    };
    for (session, tag) in [(Session::Persistent, "scalep"), (Session::Clean, "scalec")] {
        let broker = require_mosquitto!();
        let late_before = tally.count(LATE_ANSWER);
        let settings = settings(&broker, acme.http_url(), session);
        let run = run_with(&settings, tag, requests, Fault::MemberKilled).await;
        let late = tally.count(LATE_ANSWER) - late_before;
        run.print(session, "gw-1 killed", Some(late));
        run.check(&acme.log_tail(20));
        assert_eq!(run.victim_lives, 2, "gw-1 came back\n{}", run.logs);
    }
}

fn settings(broker: &Mosquitto, http: String, session: Session) -> MemberSettings {
    MemberSettings {
        mqtt: broker.mqtt_url(),
        http,
        group: "gw".into(),
        session,
        log_requests: true,
    }
}

/// What strikes part-way through a run.
enum Fault<'a> {
    /// gw-1 is killed with SIGKILL and started again at once.
    MemberKilled,
    /// The broker is stopped with SIGTERM and started again on the same ports.
    BrokerRestarted(&'a mut Mosquitto),
}

/// One run's outcome.
struct Run {
    report: LoadReport,
    served: Vec<(String, usize)>,
    struck_after: usize,
    away: Duration,
    victim_lives: usize,
    logs: String,
}

/// Starts the members, registers the AEs through them, and sends `requests` while
/// `fault` strikes once.
async fn run_with(settings: &MemberSettings, tag: &str, requests: usize, fault: Fault<'_>) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let mut members = Vec::new();
    for n in 1..=MEMBERS {
        members.push(Member::start(Path::new(M2M), settings, &format!("gw-{n}"), dir.path()).await);
    }
    let retry = RetryPolicy::new(RETRY_AFTER, MAX_RETRIES);
    let aes = ae_load::register_aes(&settings.mqtt, tag, AES, retry).await;
    let done = Arc::new(AtomicUsize::new(0));
    let strike_at = (requests as f64 * FAULT_AFTER) as usize;
    let (report, (struck_after, away)) = tokio::join!(
        ae_load::run(&aes, requests, IN_FLIGHT_PER_AE, Arc::clone(&done)),
        strike(fault, &mut members[0], &done, strike_at),
    );
    for ae in aes {
        ae.binding.shutdown().await;
    }
    let served = members
        .iter()
        .map(|m| (m.client_id().to_owned(), m.requests_served()))
        .collect();
    let logs = members
        .iter()
        .map(|m| format!("--- {}\n{}", m.client_id(), m.log_tail(20)))
        .collect::<Vec<_>>()
        .join("\n");
    Run {
        report,
        served,
        struck_after,
        away,
        victim_lives: members[0].lives(),
        logs,
    }
}

/// Waits until `at` requests are done and lets `fault` strike; returns how many were
/// done then, and how long until the victim (the member or the broker) served again.
async fn strike(
    fault: Fault<'_>,
    member: &mut Member,
    done: &AtomicUsize,
    at: usize,
) -> (usize, Duration) {
    while done.load(Ordering::Relaxed) < at {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let struck = Instant::now();
    let struck_after = done.load(Ordering::Relaxed);
    match fault {
        Fault::MemberKilled => {
            member.kill();
            member.restart().await;
        }
        // Stopping and starting Mosquitto blocks; the load goes on on the other worker.
        Fault::BrokerRestarted(broker) => {
            tokio::task::block_in_place(|| broker.restart().unwrap());
        }
    }
    (struck_after, struck.elapsed())
}

impl Run {
    fn print(&self, session: Session, fault: &str, late: Option<usize>) {
        let r = &self.report;
        let served: Vec<String> = self
            .served
            .iter()
            .map(|(id, n)| format!("{id} {n}"))
            .collect();
        let late = late
            .map(|n| format!("; late duplicate answers dropped {n}"))
            .unwrap_or_default();
        println!(
            "scale-out, {}: {} requests from {AES} AEs through {MEMBERS} gateways in {:.1} s ({:.0}/s, p50 {:.1} ms, p99 {:.1} ms); \
             {fault} after {} and back {:.2} s later; retried {}{late}; \
             requests each member handed to the CSE (retries and redeliveries included): {}",
            session.name(),
            r.sent.len(),
            r.elapsed.as_secs_f64(),
            r.requests_per_second(),
            r.latencies.quantile_us(0.5) / 1000.0,
            r.latencies.quantile_us(0.99) / 1000.0,
            self.struck_after,
            self.away.as_secs_f64(),
            r.retries,
            served.join(", "),
        );
    }

    /// Every request answered once with 2000; every member served.
    fn check(&self, peer_log: &str) {
        let r = &self.report;
        assert!(
            r.failures.is_empty(),
            "{} requests failed, the first: {:?}\n{}\n---\n{peer_log}",
            r.failures.len(),
            &r.failures[..r.failures.len().min(5)],
            self.logs,
        );
        let wrong = r.not_answered_once();
        assert!(
            wrong.is_empty(),
            "{} requests without exactly one answer, the first: {:?}",
            wrong.len(),
            &wrong[..wrong.len().min(5)]
        );
        assert_eq!(
            r.answers.values().sum::<usize>(),
            r.sent.len(),
            "answers for requests never sent"
        );
        assert!(
            self.served.iter().all(|(_, n)| *n > 0),
            "a member served nothing: {:?}\n{}",
            self.served,
            self.logs
        );
    }
}
