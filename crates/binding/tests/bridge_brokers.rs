//! Bridged brokers, the MQTT binding draft's clause 6.1 option 2 ("each party uses an
//! MQTT server running in its Node, and the two MQTT servers are bridged"): the AE is
//! a client of one Mosquitto, the CSE of another, and the CSE's broker is bridged to
//! the AE's on `/oneM2M/#` in both directions at QoS 1. Requests and responses cross
//! the bridge in every serialization and both topic schemes, each exactly once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binding_common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use binding_common::{
    AE_ID, CSE_ID, Echo, SCHEMES, SERIALIZATIONS, Scheme, addr_of, builder, echo_response,
    expect_on, raw_client, retrieve, serializer, silent_on, topics,
};
use onem2m_binding::Binding;
use onem2m_test_support::{BridgedBrokers, BridgedStart, skip_or_fail};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// How long the bridge may take to connect (it is up in well under a second).
const BRIDGE_UP: Duration = Duration::from_secs(30);

/// Two brokers, the bridge up between them; `None` when the test is skipped.
async fn bridged() -> Option<Box<BridgedBrokers>> {
    let brokers = match BridgedBrokers::start().unwrap() {
        BridgedStart::Running(brokers) => brokers,
        BridgedStart::Skip { reason } => {
            skip_or_fail(&reason);
            return None;
        }
    };
    brokers.wait_until_bridged(BRIDGE_UP).await.unwrap();
    Some(brokers)
}

/// The CSE on its broker (the bridge's local end) and the AE on its own (the remote
/// end), the CSE answering with `echo`.
async fn cse_and_ae(
    brokers: &BridgedBrokers,
    scheme: Scheme,
    serialization: &str,
    echo: &Echo,
) -> (Binding, Binding) {
    let cse = builder(&brokers.local.mqtt_url(), scheme, serialization)
        .cse_id(CSE_ID)
        .handler(echo.handler())
        .build()
        .await
        .unwrap();
    let ae = builder(&brokers.remote.mqtt_url(), scheme, serialization)
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .request_timeout(Duration::from_secs(60))
        .build()
        .await
        .unwrap();
    (cse, ae)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_and_responses_cross_a_bridge_between_two_brokers_exactly_once() {
    let Some(brokers) = bridged().await else {
        return;
    };
    // The AE's broker is the bridge's remote end; the CSE's broker holds the bridge.
    let (ae_url, cse_url) = (brokers.remote.mqtt_url(), brokers.local.mqtt_url());

    for scheme in SCHEMES {
        for serialization in SERIALIZATIONS {
            let tag = format!("{scheme:?}-{serialization}");
            let mut on_cse_side =
                raw_client(addr_of(&cse_url), &format!("cse-side-{tag}"), "#").await;
            let mut on_ae_side = raw_client(addr_of(&ae_url), &format!("ae-side-{tag}"), "#").await;
            let echo = Echo::default();
            let (cse, ae) = cse_and_ae(&brokers, scheme, serialization, &echo).await;

            let request = retrieve(&format!("bridged-{tag}"));
            let response = ae.originator().request(request.clone()).await.unwrap();
            assert_eq!(response, echo_response(&request), "{tag}");
            assert_eq!(echo.calls(), 1, "{tag}");

            // The request was published on the AE's broker and reached the CSE's; the
            // response went the other way. Both arrive with the serializer's bytes.
            let (request_topic, response_topic) = topics(scheme, serialization);
            let codec = serializer(serialization);
            let crossed = expect_on(&mut on_cse_side, &request_topic).await;
            assert_eq!(
                crossed.payload,
                codec.encode_request(&request).unwrap(),
                "{tag}"
            );
            let crossed_back = expect_on(&mut on_ae_side, &response_topic).await;
            assert_eq!(
                crossed_back.payload,
                codec.encode_response(&response).unwrap(),
                "{tag}"
            );
            ae.deregister().await;
            cse.deregister().await;
        }
    }

    // Nothing comes back over the bridge (`try_private`), nothing loops: a request
    // and its response are each seen once on each side, and the handler runs once.
    let scheme = Scheme::Ts0010;
    let echo = Echo::default();
    let (cse, ae) = cse_and_ae(&brokers, scheme, "json", &echo).await;
    let (request_topic, response_topic) = topics(scheme, "json");
    let mut watchers = Vec::new();
    for (url, side) in [(&ae_url, "ae"), (&cse_url, "cse")] {
        for topic in [&request_topic, &response_topic] {
            let id = format!("once-{side}-{}", watchers.len());
            watchers.push((
                raw_client(addr_of(url), &id, topic).await,
                topic.clone(),
                side,
            ));
        }
    }
    ae.originator().request(retrieve("once")).await.unwrap();
    let mut checks = JoinSet::new();
    for (mut watcher, topic, side) in watchers {
        checks.spawn(async move {
            expect_on(&mut watcher, &topic).await;
            let once = silent_on(&mut watcher, &topic, Duration::from_millis(500)).await;
            assert!(once, "{topic} seen twice on the {side} side");
        });
    }
    while let Some(done) = checks.join_next().await {
        done.unwrap();
    }
    assert_eq!(echo.calls(), 1);
    ae.deregister().await;
    cse.deregister().await;
}

/// Store and forward across the bridge: the CSE's broker, bridge end included, is
/// restarted (SIGTERM, persistence on) while requests are under way. What the AE
/// publishes meanwhile waits in the bridge's persistent session on the AE's broker,
/// and crosses once the bridge is back; every request is answered, each handled once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_wait_for_a_restarted_bridge_and_are_all_answered_once() {
    const COUNT: usize = 300;
    const WINDOW: usize = 50;
    let Some(mut brokers) = bridged().await else {
        return;
    };
    let echo = Echo::default();
    let (cse, ae) = cse_and_ae(&brokers, Scheme::Ts0010, "json", &echo).await;

    let window = Arc::new(Semaphore::new(WINDOW));
    let answered = Arc::new(AtomicUsize::new(0));
    let mut requests = JoinSet::new();
    let mut restarted = false;
    for i in 0..COUNT {
        if !restarted && answered.load(Ordering::SeqCst) >= COUNT / 3 {
            tokio::task::block_in_place(|| brokers.local.restart()).unwrap();
            restarted = true;
        }
        let permit = Arc::clone(&window).acquire_owned().await.unwrap();
        let (originator, answered) = (ae.originator(), Arc::clone(&answered));
        requests.spawn(async move {
            let request = retrieve(&format!("via-bridge-{i}"));
            let response = originator.request(request.clone()).await;
            drop(permit);
            assert_eq!(response.unwrap(), echo_response(&request));
            answered.fetch_add(1, Ordering::SeqCst);
        });
    }
    while let Some(done) = requests.join_next().await {
        done.unwrap();
    }
    assert!(restarted, "the broker was never restarted");
    assert_eq!(answered.load(Ordering::SeqCst), COUNT);
    assert_eq!(
        echo.calls(),
        COUNT,
        "a request was handled twice or not at all"
    );
    ae.deregister().await;
    cse.deregister().await;
}
