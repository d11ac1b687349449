//! Nothing lost under faults: an AE sends QoS 1 requests to a CSE through Mosquitto
//! (persistence on) while a fault proxy in front of each cuts their connections every
//! ~N/20 answers, and Mosquitto is restarted once half way (SIGTERM: it saves its
//! sessions and queued messages). Both entities use the public builder with
//! persistent sessions (Clean Session false) and QoS 1.
//!
//! The originator never retries a request by itself; what carries each request and
//! response across the faults is MQTT: the client session resends unacknowledged
//! PUBLISHes after a reconnect, the broker keeps persistent sessions (and their queued
//! messages, across its restart), and the receiver acknowledges a request only once
//! its response is published. Redeliveries are suppressed by the receiver's duplicate
//! cache (`fr`, `rqi`), and duplicate responses find no waiter. So every request is
//! answered exactly once to the application and handled exactly once.
//!
//! N is 10,000 in the default suite (about 9 s on a 2-core machine, debug build) and
//! 50,000 under `cargo xtask soak`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binding_common;
mod faults_common;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use binding_common::{AE_ID, CSE_ID, Scheme, retrieve};
use faults_common::*;
use onem2m_binding::{Binding, BindingBuilder};
use onem2m_test_support::{EventTally, FaultProxy, Mosquitto, require_mosquitto};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Requests outstanding at once. Mosquitto queues at most `max_queued_messages`
/// (1000) QoS 1 messages per offline client and drops the rest, so a window above
/// that would lose requests while the CSE reconnects: a broker limit, not the
/// binding's.
const WINDOW: usize = 100;

/// Cuts (and the restart) are spread over this many equal parts of the run.
const PARTS: usize = 20;

/// A request still unanswered after this has been lost.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

#[test]
fn every_request_is_answered_exactly_once_through_connection_cuts_and_a_broker_restart() {
    let tally = binding_tally();
    let _on_this_thread = tracing::dispatcher::set_default(&tally.dispatch());
    let runtime = tally.runtime(2).unwrap();
    runtime.block_on(run(size(10_000, 50_000), &tally));
}

/// What the fault injector did.
#[derive(Debug, Default)]
struct Faults {
    cuts: usize,
    restarts: usize,
}

/// JSON, quick reconnects, a persistent session.
fn builder(proxy: &FaultProxy) -> BindingBuilder {
    binding_common::builder(&format!("mqtt://{}", proxy.addr()), Scheme::Ts0010, "json")
        .clean_session(false)
        .request_timeout(REQUEST_TIMEOUT)
}

async fn run(n: usize, tally: &EventTally) {
    let broker = require_mosquitto!();
    let upstream: SocketAddr = ([127, 0, 0, 1], broker.ports().mqtt).into();
    let ae_proxy = Arc::new(FaultProxy::start(upstream).await.unwrap());
    let cse_proxy = Arc::new(FaultProxy::start(upstream).await.unwrap());
    let ledger = Ledger::default();
    let cse = builder(&cse_proxy)
        .cse_id(CSE_ID)
        .handler(ledger.clone())
        .build()
        .await
        .unwrap();
    let ae = builder(&ae_proxy)
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .build()
        .await
        .unwrap();

    let started = Instant::now();
    let answered = Arc::new(AtomicUsize::new(0));
    let finished = Arc::new(AtomicBool::new(false));
    let faults = tokio::spawn(inject_faults(
        broker,
        [Arc::clone(&ae_proxy), Arc::clone(&cse_proxy)],
        (Arc::clone(&answered), Arc::clone(&finished)),
        n,
    ));

    let window = Arc::new(Semaphore::new(WINDOW));
    let mut requests = JoinSet::new();
    for i in 0..n {
        let permit = Arc::clone(&window).acquire_owned().await.unwrap();
        let originator = ae.originator();
        let answered = Arc::clone(&answered);
        requests.spawn(async move {
            let rqi = format!("fault-{i}");
            let result = originator.request(retrieve(&rqi)).await;
            drop(permit);
            if matches!(&result, Ok(response) if answers(response, &rqi)) {
                answered.fetch_add(1, Ordering::SeqCst);
            }
            (rqi, result)
        });
    }
    let mut answered_rqis = HashSet::new();
    let mut failures = Vec::new();
    while let Some(joined) = requests.join_next().await {
        let (rqi, result) = joined.unwrap();
        match result {
            Ok(response) if answers(&response, &rqi) => {
                assert!(answered_rqis.insert(rqi.clone()), "{rqi} answered twice");
            }
            other => failures.push(format!("{rqi}: {other:?}")),
        }
    }
    let elapsed = started.elapsed();
    finished.store(true, Ordering::SeqCst);
    let (broker, faults) = faults.await.unwrap();
    // Redeliveries still under way are not part of the verdict, but let them land
    // before counting them.
    ledger.settle(Duration::from_millis(300)).await;

    let reconnects = |b: &Binding| b.mqtt_client().status().connections.saturating_sub(1);
    let (ae_reconnects, cse_reconnects) = (reconnects(&ae), reconnects(&cse));
    let counts = DuplicateCounts::of(tally);
    report(&format!(
        "faults (cuts every ~{} answers, 1 Mosquitto restart, window {WINDOW}): \
         sent {n}, answered {} (each once), handler invocations {} ({} distinct), \
         duplicates suppressed at the CSE {} ({} answered from the cache, {} dropped while \
         in progress), duplicate responses discarded by the AE {}, cuts {}, broker restarts {}, \
         reconnects AE {ae_reconnects} / CSE {cse_reconnects}, failures {}, wall {elapsed:.1?}",
        n / PARTS,
        answered_rqis.len(),
        ledger.invocations(),
        ledger.handled().len(),
        counts.suppressed(),
        counts.replayed,
        counts.dropped_in_progress,
        counts.unmatched_responses,
        faults.cuts,
        faults.restarts,
        failures.len(),
    ));

    assert!(
        failures.is_empty(),
        "{} of {n} requests failed, e.g. {:?}\nmosquitto log:\n{}",
        failures.len(),
        &failures[..failures.len().min(5)],
        broker.log()
    );
    assert_eq!(answered_rqis.len(), n);
    assert_eq!(
        ledger.run_twice(),
        Vec::<String>::new(),
        "requests reached the handler twice"
    );
    let handled = ledger.handled();
    let missing: Vec<_> = (0..n)
        .map(|i| format!("fault-{i}"))
        .filter(|rqi| !handled.contains(rqi))
        .collect();
    assert!(missing.is_empty(), "never handled: {missing:?}");
    assert_eq!(ledger.invocations(), n);
    assert_eq!(
        counts.handled, n,
        "the log tally must see every handler call"
    );
    assert_eq!((faults.cuts, faults.restarts), (PARTS - 2, 1));
    assert!(
        ae_reconnects >= 1 && cse_reconnects >= 1,
        "the restart forces both to reconnect"
    );
    ae.shutdown().await;
    cse.shutdown().await;
}

/// Cuts both proxies' connections each time another N/20 requests are answered, and
/// restarts the broker instead at half way; stops early when the run is `finished`
/// (requests failed).
async fn inject_faults(
    mut broker: Mosquitto,
    proxies: [Arc<FaultProxy>; 2],
    (answered, finished): (Arc<AtomicUsize>, Arc<AtomicBool>),
    n: usize,
) -> (Mosquitto, Faults) {
    let every = (n / PARTS).max(1);
    let mut faults = Faults::default();
    for part in 1..PARTS {
        while answered.load(Ordering::SeqCst) < part * every {
            if finished.load(Ordering::SeqCst) {
                return (broker, faults);
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        if part == PARTS / 2 {
            broker = tokio::task::spawn_blocking(move || {
                broker.restart().unwrap();
                broker
            })
            .await
            .unwrap();
            faults.restarts += 1;
        } else {
            for proxy in &proxies {
                proxy.cut_all();
            }
            faults.cuts += 1;
        }
    }
    (broker, faults)
}
