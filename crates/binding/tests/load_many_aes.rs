//! Load: many AEs connected at once, each its own binding (its own MQTT connection),
//! register with one CSE over `reg_req` under their Credential-IDs and then send
//! requests, against Mosquitto on loopback. Every registration and every request is
//! answered, each with its own response.
//!
//! The CSE runs in a child process (this test binary again, test `cse_child`), so
//! that the memory reported is the CSE's alone: resident before the AEs come and
//! after they are done, and its peak. 1,000 AEs in the default suite (about 3 s),
//! 2,000 under `cargo xtask soak`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binding_common;
mod faults_common;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use binding_common::{CSE_ID, Scheme, content, echo_response};
use faults_common::{report, size};
use onem2m_binding::{BindingBuilder, RequestContext, RouteKind};
use onem2m_primitive::{RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode};
use onem2m_test_support::{
    Memory, Mosquitto, MosquittoOptions, MosquittoStart, TestChild, ensure_open_files, skip_or_fail,
};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Set in the child: the broker URL.
const CHILD_ENV: &str = "ONEM2M_LOAD_CSE_CHILD";
/// Set in the child: the file it creates once it serves.
const READY_ENV: &str = "ONEM2M_LOAD_CSE_READY";

/// Requests each AE sends once every AE is registered, all at once.
///
/// The CSE receives them all at once: Mosquitto queues at most
/// `max_queued_messages` (default 1000) QoS 1 messages per client beyond those in
/// flight and drops the rest ("Outgoing messages are being dropped for client"), even
/// for a connected client. A CSE serving many AEs needs that limit raised to the
/// burst it must absorb; the broker here is configured so.
const REQUESTS_PER_AE: usize = 5;
/// AEs connecting and registering at the same moment (Mosquitto's listen backlog is
/// 100; beyond it connections wait for SYN retransmits).
const CONNECTING_AT_ONCE: usize = 50;
/// Generous for liveness on a loaded machine; never a timing assertion.
const PATIENCE: Duration = Duration::from_secs(120);
/// Until a lost request is reported (the broker dropped it).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

fn builder(url: &str) -> BindingBuilder {
    binding_common::builder(url, Scheme::Ts0010, "json")
        .request_timeout(REQUEST_TIMEOUT)
        .connect_timeout(PATIENCE)
}

/// The AE-ID the CSE assigns to the AE registering under `credential`.
fn ae_id(credential: &str) -> String {
    format!("C{credential}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_aes_register_and_every_request_is_answered() {
    let n = size(1_000, 2_000);
    // Each AE holds one socket here and one in Mosquitto (which inherits the limit).
    ensure_open_files(2 * n as u64 + 1_024).unwrap();
    let broker = match Mosquitto::start_with(MosquittoOptions {
        extra_config: format!("max_queued_messages {}\n", n * REQUESTS_PER_AE),
        ..MosquittoOptions::default()
    })
    .unwrap()
    {
        MosquittoStart::Running(broker) => broker,
        MosquittoStart::Skip { reason } => return skip_or_fail(&reason),
    };
    let work = tempfile::tempdir().unwrap();
    let ready = work.path().join("cse-ready");
    let mut cse = TestChild::spawn(
        "cse_child",
        &[
            (CHILD_ENV, broker.mqtt_url()),
            (READY_ENV, ready.display().to_string()),
        ],
        &work.path().join("cse.log"),
    )
    .unwrap();
    let deadline = Instant::now() + PATIENCE;
    while !ready.exists() {
        assert!(
            Instant::now() < deadline && cse.try_wait().unwrap().is_none(),
            "the CSE process did not start:\n{}",
            cse.log()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let cse_pid = cse.pid().unwrap();
    let cse_idle = Memory::of_pid(cse_pid).unwrap();
    let here_before = Memory::of_self().unwrap();
    let started = Instant::now();

    let url = broker.mqtt_url();
    let at_once = Arc::new(Semaphore::new(CONNECTING_AT_ONCE));
    let mut registering = JoinSet::new();
    for i in 0..n {
        let (url, at_once) = (url.clone(), Arc::clone(&at_once));
        registering.spawn(async move {
            let _turn = at_once.acquire().await.unwrap();
            let credential = format!("load{i}");
            let ae = builder(&url)
                .registration(&credential)
                .registrar(CSE_ID)
                .build()
                .await
                .unwrap();
            let mut create = RequestPrimitive::create(
                "cse-in",
                "C",
                "",
                ResourceType::AE,
                content("m2m:ae", "api", "Nload"),
            );
            create.fr = Some("C".into());
            let registration = ae.register_ae(create).await.unwrap();
            assert_eq!(registration.ae_id, ae_id(&credential));
            ae
        });
    }
    let mut aes = Vec::with_capacity(n);
    while let Some(ae) = registering.join_next().await {
        aes.push(ae.unwrap());
    }
    let registered = started.elapsed();
    let connected = aes
        .iter()
        .filter(|ae| ae.mqtt_client().status().connected)
        .count();

    let mut requesting = JoinSet::new();
    for ae in aes {
        requesting.spawn(async move {
            let id = ae.entity().id.unwrap();
            let mut exchanges = JoinSet::new();
            for k in 0..REQUESTS_PER_AE {
                let originator = ae.originator();
                let request = RequestPrimitive::retrieve("cse-in", &id, format!("{id}-{k}"));
                exchanges.spawn(async move {
                    match originator.request(request.clone()).await {
                        Ok(response) if response == echo_response(&request) => None,
                        other => Some(format!("{}: {other:?}", request.rqi)),
                    }
                });
            }
            let mut failures = Vec::new();
            while let Some(outcome) = exchanges.join_next().await {
                failures.extend(outcome.unwrap());
            }
            (ae, failures)
        });
    }
    let mut aes = Vec::with_capacity(n);
    let mut failures = Vec::new();
    while let Some(joined) = requesting.join_next().await {
        let (ae, failed) = joined.unwrap();
        aes.push(ae);
        failures.extend(failed);
    }
    let elapsed = started.elapsed();
    let cse_after = Memory::of_pid(cse_pid).unwrap();
    let here_after = Memory::of_self().unwrap();
    report(&format!(
        "load: {n} AEs connected at once ({connected} connected after registering), each \
         registered over reg_req and sent {REQUESTS_PER_AE} requests: {} of {} requests \
         answered; \
         registration of all {registered:.1?}, total {elapsed:.1?}; CSE process: idle {cse_idle}, \
         after {cse_after}; this process (the {n} AEs): before {here_before}, after {here_after}",
        n * REQUESTS_PER_AE - failures.len(),
        n * REQUESTS_PER_AE,
    ));
    assert_eq!(connected, n, "every AE holds its connection");
    assert!(
        failures.is_empty(),
        "{} of {} requests failed, e.g. {:?}; mosquitto says:\n{}",
        failures.len(),
        n * REQUESTS_PER_AE,
        &failures[..failures.len().min(5)],
        broker
            .log()
            .lines()
            .filter(|l| l.contains("dropped"))
            .take(5)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let mut closing = JoinSet::new();
    for ae in aes {
        closing.spawn(async move { ae.shutdown().await });
    }
    while closing.join_next().await.is_some() {}
    cse.kill();
}

/// The CSE's process: registers every AE (`aei` "C" + its Credential-ID) and echoes
/// every request, until the parent kills it. Does nothing unless the parent started it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cse_child() {
    let Ok(url) = std::env::var(CHILD_ENV) else {
        return;
    };
    let ready = PathBuf::from(std::env::var(READY_ENV).unwrap());
    let _cse = builder(&url)
        .cse_id(CSE_ID)
        .handler(
            |request: RequestPrimitive, ctx: RequestContext| async move {
                match (ctx.route.kind, ctx.route.originator.as_deref()) {
                    (RouteKind::RegistrationRequest, Some(credential)) => {
                        ResponsePrimitive::answering(&request, ResponseStatusCode::CREATED)
                            .with_content(content("m2m:ae", "aei", &ae_id(credential)))
                    }
                    _ => echo_response(&request),
                }
            },
        )
        .build()
        .await
        .unwrap();
    std::fs::write(&ready, b"serving").unwrap();
    std::future::pending::<()>().await;
}
