//! Floods: more requests than the originator's pending limit (each extra one fails at
//! once with `PendingFull`, status 5000), and more requests at a receiver than it
//! handles at once (each extra one is answered 5000 at once, without the handler, so
//! memory stays bounded even when the broker does not hold back deliveries).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binding_common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use binding_common::{AE_ID, CSE_ID, STEP, addr_of, raw_client, retrieve};
use onem2m_binding::{Binding, Error, RequestContext};
use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, ResponseStatusCode};
use onem2m_serialization::{JsonSerializer, Serializer};
use onem2m_test_support::raw_mqtt::publish;
use onem2m_test_support::{Mosquitto, MosquittoOptions, MosquittoStart, skip_or_fail};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::timeout;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_beyond_the_pending_limit_fail_at_once_with_5000() {
    const LIMIT: usize = 20;
    const SENT: usize = 200;
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(false))
        .await
        .unwrap();
    // The handler holds every request until the flood has been sent.
    let gate = Arc::new(Semaphore::new(0));
    let held = Arc::clone(&gate);
    let cse = Binding::builder()
        .cse_id(CSE_ID)
        .url(&broker.url())
        .unwrap()
        .handler(move |request: RequestPrimitive, _ctx: RequestContext| {
            let gate = Arc::clone(&held);
            async move {
                let _pass = gate.acquire().await.unwrap();
                ResponsePrimitive::answering(&request, ResponseStatusCode::OK)
            }
        })
        .build()
        .await
        .unwrap();
    let ae = Binding::builder()
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .url(&broker.url())
        .unwrap()
        .max_pending(LIMIT)
        .build()
        .await
        .unwrap();
    let mut flood = JoinSet::new();
    for i in 0..SENT {
        let originator = ae.originator();
        flood.spawn(async move { originator.request(retrieve(&format!("flood-{i}"))).await });
    }
    // Every request beyond the limit fails without waiting for anything.
    let mut full = 0;
    while full < SENT - LIMIT {
        let result = timeout(STEP, flood.join_next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        match result {
            Err(e @ Error::PendingFull { limit: LIMIT }) => {
                assert_eq!(e.status_code(), ResponseStatusCode::INTERNAL_SERVER_ERROR);
                full += 1;
            }
            other => panic!("before the gate opened: {other:?}"),
        }
    }
    gate.add_permits(SENT);
    let mut answered = 0;
    while let Some(joined) = timeout(STEP, flood.join_next()).await.unwrap() {
        assert_eq!(joined.unwrap().unwrap().rsc, ResponseStatusCode::OK);
        answered += 1;
    }
    assert_eq!((answered, full), (LIMIT, SENT - LIMIT));
    // The limit frees up again.
    let after = ae
        .originator()
        .request(retrieve("after-flood"))
        .await
        .unwrap();
    assert_eq!(after.rsc, ResponseStatusCode::OK);
    ae.shutdown().await;
    cse.shutdown().await;
    broker.shutdown().await.unwrap();
}

/// Most requests the CSE handles at once in the receiver flood.
const HANDLING: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_flood_beyond_the_handling_limit_is_answered_5000_at_once() {
    const SENT: u16 = 300;
    // No in-flight window at the broker: everything reaches the CSE at once.
    let broker = match Mosquitto::start_with(MosquittoOptions {
        extra_config: "max_inflight_messages 0\nmax_queued_messages 1000".into(),
        ..MosquittoOptions::default()
    }) {
        Ok(MosquittoStart::Running(broker)) => broker,
        Ok(MosquittoStart::Skip { reason }) => return skip_or_fail(&reason),
        Err(e) => panic!("mosquitto did not start: {e}"),
    };
    let gate = Arc::new(Semaphore::new(0));
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (held, now, peak) = (Arc::clone(&gate), Arc::clone(&running), Arc::clone(&most));
    let cse = Binding::builder()
        .cse_id(CSE_ID)
        .url(&broker.mqtt_url())
        .unwrap()
        .max_concurrent_requests(HANDLING)
        .handler(move |request: RequestPrimitive, _ctx: RequestContext| {
            let (gate, now, peak) = (Arc::clone(&held), Arc::clone(&now), Arc::clone(&peak));
            async move {
                let at_once = now.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(at_once, Ordering::SeqCst);
                let _pass = gate.acquire().await.unwrap();
                now.fetch_sub(1, Ordering::SeqCst);
                ResponsePrimitive::answering(&request, ResponseStatusCode::OK)
            }
        })
        .build()
        .await
        .unwrap();
    let mut peer = raw_client(addr_of(&broker.mqtt_url()), "flooder", "/oneM2M/resp/#").await;
    let json = JsonSerializer::new();
    let mut burst = Vec::new();
    for id in 1..=SENT {
        let payload = json
            .encode_request(&retrieve(&format!("burst-{id}")))
            .unwrap();
        burst.extend(publish(
            "/oneM2M/req/id-in:CAE01/id-in/json",
            &payload,
            1,
            id,
        ));
    }
    peer.send(&burst).await.unwrap();
    let mut answers = std::collections::HashMap::new();
    let mut collect = async |until: usize| {
        timeout(STEP * 3, async {
            while answers.len() < until {
                // PUBACKs of the burst come in between: skip them.
                if let Ok(p) = peer.expect_publish().await {
                    let response = json.decode_response(&p.payload).unwrap();
                    let first = answers.insert(response.rqi.unwrap(), response.rsc);
                    assert!(first.is_none(), "answered twice");
                }
            }
        })
        .await
        .unwrap_or_else(|_| panic!("{} of {until} answered", answers.len()));
    };
    // Everything beyond the limit is refused while the first ones are held...
    collect(usize::from(SENT) - HANDLING).await;
    gate.add_permits(usize::from(SENT));
    // ...and those are answered once let go.
    collect(usize::from(SENT)).await;
    let refused = answers
        .values()
        .filter(|&&rsc| rsc == ResponseStatusCode::INTERNAL_SERVER_ERROR)
        .count();
    let served = answers
        .values()
        .filter(|&&rsc| rsc == ResponseStatusCode::OK)
        .count();
    assert_eq!((served, refused), (HANDLING, usize::from(SENT) - HANDLING));
    assert_eq!(most.load(Ordering::SeqCst), HANDLING);
    cse.shutdown().await;
}
