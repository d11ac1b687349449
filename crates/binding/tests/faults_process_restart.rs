//! Nothing lost when the AE's process dies: the AE is a separate OS process (this test
//! binary run again for the test `ae_child`) with a file session store. Half way
//! through its requests its network goes dead (a blackholing proxy), then it is killed
//! with SIGKILL and started again on the same store and the same MQTT session.
//!
//! What is guaranteed, and checked:
//! - requests the broker acknowledged before the kill are not lost: the CSE handles
//!   them while the AE is down;
//! - requests the session had stored but the broker had not acknowledged are resent
//!   from the file store by the restarted process;
//! - responses published while the AE was down are delivered to the restarted
//!   process, because its session is persistent: every one of them arrives before the
//!   application sends anything;
//! - every request reaches the handler exactly once, and each `rqi` is answered once
//!   to the application across both processes.
//!
//! What is not: the originator's table of waiting requests lives in memory, so a
//! response delivered after the restart finds nobody waiting for it (it is logged and
//! dropped). The application learns the answer by sending the request again under the
//! same `rqi`: the CSE's duplicate cache answers it without running the handler again.
//!
//! 2,000 requests in the default suite, 10,000 under `cargo xtask soak`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binding_common;
mod faults_common;

use std::collections::HashSet;
use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use binding_common::{AE_ID, CSE_ID, Scheme, retrieve};
use faults_common::*;
use onem2m_mqtt_proto::{FileStore, SessionStore, SyncPolicy};
use onem2m_serialization::{JsonSerializer, Serializer};
use onem2m_test_support::{EventTally, FaultProxy, TestChild, require_mosquitto};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Set in the child: the work directory shared with the parent.
const CHILD_ENV: &str = "ONEM2M_FAULTS_AE_CHILD";
/// Set in the child: the broker URL (the parent's proxy).
const URL_ENV: &str = "ONEM2M_FAULTS_AE_URL";
/// Set in the child: how many requests in all.
const COUNT_ENV: &str = "ONEM2M_FAULTS_AE_COUNT";

/// Requests the child keeps outstanding.
const WINDOW: usize = 100;

/// The rqis answered to the child's application, one a line, across both processes.
const ANSWERS: &str = "answers.txt";
/// The rqis whose responses the restarted child must receive before it sends anything.
const EXPECTED_LATE: &str = "expected-late.txt";
/// The rqis of the responses the restarted child received with nobody waiting.
const LATE: &str = "late.txt";
/// The restarted child's counts.
const CHILD_REPORT: &str = "child-report.txt";
const SESSION_LOG: &str = "session.log";

fn rqi(i: usize) -> String {
    format!("proc-{i}")
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn write_lines<'a>(path: &Path, lines: impl IntoIterator<Item = &'a String>) {
    let text: String = lines.into_iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(path, text).unwrap();
}

fn with_tally(run: impl FnOnce(EventTally) -> std::pin::Pin<Box<dyn Future<Output = ()>>>) {
    let tally = binding_tally();
    let _on_this_thread = tracing::dispatcher::set_default(&tally.dispatch());
    let runtime = tally.runtime(2).unwrap();
    runtime.block_on(run(tally));
}

#[test]
fn an_ae_process_killed_mid_run_loses_nothing_with_a_file_session_store() {
    with_tally(|tally| Box::pin(parent(size(2_000, 10_000), tally)));
}

/// The AE's process: sends every request not yet answered (the answers file says
/// which), after waiting for the late responses the parent expects. Does nothing
/// unless the parent started it.
#[test]
fn ae_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    with_tally(|tally| Box::pin(child(PathBuf::from(dir), tally)));
}

async fn parent(n: usize, tally: EventTally) {
    let broker = require_mosquitto!();
    let proxy = FaultProxy::start(([127, 0, 0, 1], broker.ports().mqtt).into())
        .await
        .unwrap();
    let ledger = Ledger::default();
    let cse = binding_common::builder(&broker.mqtt_url(), Scheme::Ts0010, "json")
        .cse_id(CSE_ID)
        .handler(ledger.clone())
        .build()
        .await
        .unwrap();
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let env = [
        (CHILD_ENV, dir.display().to_string()),
        (URL_ENV, format!("mqtt://{}", proxy.addr())),
        (COUNT_ENV, n.to_string()),
    ];
    let log = dir.join("child.log");
    let started = Instant::now();

    let mut first = TestChild::spawn("ae_child", &env, &log).unwrap();
    wait_until(
        "half the requests answered",
        Duration::from_secs(120),
        || {
            assert!(
                first.try_wait().unwrap().is_none(),
                "the first AE process ended early:\n{}",
                first.log()
            );
            lines(&dir.join(ANSWERS)).len() >= n / 2
        },
    )
    .await;
    // The network goes dead: what is on the way now stays unacknowledged. Once no
    // answer has been recorded for a while, every response that did arrive is on
    // file.
    proxy.set_blackhole(true);
    let mut recorded = lines(&dir.join(ANSWERS)).len();
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = lines(&dir.join(ANSWERS)).len();
        if now == recorded {
            break;
        }
        recorded = now;
    }
    first.kill();
    let answered_at_kill: HashSet<String> = lines(&dir.join(ANSWERS)).into_iter().collect();
    let stored_at_kill = stored_requests(&dir.join(SESSION_LOG), dir);
    // The CSE goes on with what reached the broker; its answers wait in the AE's
    // session.
    ledger.settle(Duration::from_millis(500)).await;
    let handled_while_down: HashSet<String> = ledger
        .handled()
        .difference(&answered_at_kill)
        .cloned()
        .collect();
    let expected_late: HashSet<String> = handled_while_down
        .iter()
        .chain(stored_at_kill.difference(&answered_at_kill))
        .cloned()
        .collect();
    write_lines(&dir.join(EXPECTED_LATE), &expected_late);
    proxy.set_blackhole(false);
    proxy.cut_all();

    let mut second = TestChild::spawn("ae_child", &env, &log).unwrap();
    let status = tokio::task::spawn_blocking(move || {
        let status = second.wait_for(Duration::from_secs(300)).unwrap();
        (status, second.log())
    })
    .await
    .unwrap();
    let elapsed = started.elapsed();
    match status {
        (Some(status), _) if status.success() => {}
        (status, log) => panic!("the restarted AE process failed ({status:?}):\n{log}"),
    }
    ledger.settle(Duration::from_millis(300)).await;

    let answers = lines(&dir.join(ANSWERS));
    let distinct: HashSet<String> = answers.iter().cloned().collect();
    let late: HashSet<String> = lines(&dir.join(LATE)).into_iter().collect();
    let counts = DuplicateCounts::of(&tally);
    report(&format!(
        "AE process killed (SIGKILL) after {} of {n} answers and restarted on its file store: \
         {} requests stored unacknowledged at the kill, {} handled while the AE was down, \
         {} late responses delivered to the restarted session before it sent anything \
         ({} expected), {} requests sent by the restarted application ({} of them a second \
         time, under the rqi the killed process had used); answers {} \
         ({} distinct), handler invocations {}, duplicates suppressed at the CSE {} \
         ({} answered from the cache, {} dropped while in progress); child: {}; wall {elapsed:.1?}",
        answered_at_kill.len(),
        stored_at_kill.len(),
        handled_while_down.len(),
        late.len(),
        expected_late.len(),
        n - answered_at_kill.len(),
        expected_late.len(),
        answers.len(),
        distinct.len(),
        ledger.invocations(),
        counts.suppressed(),
        counts.replayed,
        counts.dropped_in_progress,
        std::fs::read_to_string(dir.join(CHILD_REPORT))
            .unwrap_or_default()
            .trim(),
    ));

    assert_eq!(answers.len(), n, "each rqi is answered once");
    assert_eq!(distinct, (0..n).map(rqi).collect::<HashSet<_>>());
    let not_delivered: Vec<_> = expected_late.difference(&late).collect();
    assert!(
        not_delivered.is_empty(),
        "responses published while the AE was down and never delivered: {not_delivered:?}"
    );
    assert_eq!(
        ledger.run_twice(),
        Vec::<String>::new(),
        "requests reached the handler twice"
    );
    assert_eq!(ledger.invocations(), n);
    assert!(
        !expected_late.is_empty(),
        "the kill came when nothing was under way: the test proved nothing"
    );
    cse.shutdown().await;
}

/// The `rqi`s of the requests in a session log (read from a copy: opening a store
/// compacts it).
fn stored_requests(log: &Path, scratch: &Path) -> HashSet<String> {
    let copy = scratch.join("session-at-kill.log");
    std::fs::copy(log, &copy).unwrap();
    let mut store = FileStore::open_with(&copy, SyncPolicy::Never).unwrap();
    store
        .load()
        .unwrap()
        .outgoing
        .iter()
        .map(|m| {
            JsonSerializer::new()
                .decode_request(&m.payload)
                .unwrap()
                .rqi
        })
        .collect()
}

async fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "not in {limit:?}: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn child(dir: PathBuf, tally: EventTally) {
    let url = std::env::var(URL_ENV).unwrap();
    let n: usize = std::env::var(COUNT_ENV).unwrap().parse().unwrap();
    let answered: HashSet<String> = lines(&dir.join(ANSWERS)).into_iter().collect();
    // A process crash loses nothing the store wrote to the kernel; no disk flushes
    // are needed for SIGKILL.
    let store = FileStore::open_with(dir.join(SESSION_LOG), SyncPolicy::Never).unwrap();
    let ae = binding_common::builder(&url, Scheme::Ts0010, "json")
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .clean_session(false)
        .request_timeout(Duration::from_secs(120))
        .session_store(store)
        .build()
        .await
        .unwrap();

    let expected_late = dir.join(EXPECTED_LATE);
    if expected_late.exists() {
        let expected: HashSet<String> = lines(&expected_late).into_iter().collect();
        wait_until(
            "the responses published while this AE was down",
            Duration::from_secs(60),
            || {
                let late: HashSet<String> = tally.values(UNMATCHED).into_iter().collect();
                expected.is_subset(&late)
            },
        )
        .await;
        write_lines(&dir.join(LATE), &tally.values(UNMATCHED));
    }

    let todo: Vec<String> = (0..n).map(rqi).filter(|r| !answered.contains(r)).collect();
    let answer_file = Arc::new(Mutex::new(
        File::options()
            .create(true)
            .append(true)
            .open(dir.join(ANSWERS))
            .unwrap(),
    ));
    let window = Arc::new(Semaphore::new(WINDOW));
    let mut requests = JoinSet::new();
    for rqi in &todo {
        let permit = Arc::clone(&window).acquire_owned().await.unwrap();
        let originator = ae.originator();
        let answer_file = Arc::clone(&answer_file);
        let rqi = rqi.clone();
        requests.spawn(async move {
            let response = originator.request(retrieve(&rqi)).await.unwrap();
            assert!(answers(&response, &rqi), "{rqi}: {response:?}");
            answer_file
                .lock()
                .unwrap()
                .write_all(format!("{rqi}\n").as_bytes())
                .unwrap();
            drop(permit);
        });
    }
    while let Some(done) = requests.join_next().await {
        done.unwrap();
    }
    std::fs::write(
        dir.join(CHILD_REPORT),
        format!(
            "sent {}, responses received with nobody waiting {}",
            todo.len(),
            tally.count(UNMATCHED)
        ),
    )
    .unwrap();
    ae.shutdown().await;
}
