//! A request larger than the CSE's maximum message size. Where the broker enforces a
//! packet limit, it cuts the sender and the CSE never sees the message; where it does
//! not (Mosquitto's default), the CSE skips and acknowledges the message instead of
//! dropping its connection, so the broker does not deliver it again and again, and the
//! next request is served on the same connection.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binding_common;

use binding_common::{CSE_ID, Echo, STEP, addr_of, expect_on, raw_client, retrieve};
use onem2m_binding::Binding;
use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_primitive::ResponseStatusCode;
use onem2m_serialization::{JsonSerializer, Serializer};
use onem2m_test_support::raw_mqtt::publish;
use onem2m_test_support::require_mosquitto;
use tokio::time::timeout;

/// The CSE's maximum message size in these tests.
const LIMIT: usize = 16 * 1024;
const REQUESTS: &str = "/oneM2M/req/id-in:CAE01/id-in/json";
const RESPONSES: &str = "/oneM2M/resp/id-in:CAE01/id-in/json";

async fn cse(url: &str, echo: &Echo) -> Binding {
    Binding::builder()
        .cse_id(CSE_ID)
        .url(url)
        .unwrap()
        .max_message_size(LIMIT)
        .handler(echo.handler())
        .build()
        .await
        .unwrap()
}

/// A JSON request twice the limit, with a readable `rqi`.
fn oversize_request() -> Vec<u8> {
    let mut request = retrieve("big-1");
    request.pc = Some(onem2m_primitive::debug_info("x".repeat(2 * LIMIT)));
    JsonSerializer::new()
        .encode_request(&request)
        .unwrap()
        .to_vec()
}

/// Publishes a good request from a fresh peer and expects it answered 2000.
async fn served(url: &str, peer_id: &str, rqi: &str) {
    let mut peer = raw_client(addr_of(url), peer_id, "/oneM2M/resp/#").await;
    let payload = JsonSerializer::new()
        .encode_request(&retrieve(rqi))
        .unwrap();
    peer.send(&publish(REQUESTS, &payload, 1, 1)).await.unwrap();
    let answer = expect_on(&mut peer, RESPONSES).await;
    let answer = JsonSerializer::new()
        .decode_response(&answer.payload)
        .unwrap();
    assert_eq!(
        (answer.rsc, answer.rqi.as_deref()),
        (ResponseStatusCode::OK, Some(rqi))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broker_with_a_packet_limit_cuts_the_sender_and_the_cse_never_sees_it() {
    let broker = EmbeddedBroker::start(
        EmbeddedBrokerOptions::new()
            .websocket(false)
            .max_packet_size(LIMIT),
    )
    .await
    .unwrap();
    let echo = Echo::default();
    let cse = cse(&broker.url(), &echo).await;
    let mut mallory = raw_client(addr_of(&broker.url()), "oversize-peer", "/oneM2M/resp/#").await;
    mallory
        .send(&publish(REQUESTS, &oversize_request(), 1, 1))
        .await
        .unwrap();
    let cut = timeout(STEP, async {
        loop {
            match mallory.read_packet().await {
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(_) => return,
                Ok(p) => panic!("the broker answered an oversize PUBLISH with {p:?}"),
            }
        }
    })
    .await;
    assert!(cut.is_ok(), "the oversize sender stayed connected");
    served(&broker.url(), "good-peer", "after-big").await;
    assert_eq!(echo.calls(), 1);
    cse.shutdown().await;
    broker.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_broker_limit_the_cse_skips_the_message_and_keeps_its_connection() {
    let broker = require_mosquitto!();
    let url = broker.mqtt_url();
    let echo = Echo::default();
    let cse = cse(&url, &echo).await;
    let mut mallory = raw_client(addr_of(&url), "oversize-peer", "/oneM2M/resp/#").await;
    mallory
        .publish_qos1(1, REQUESTS, &oversize_request())
        .await
        .unwrap();
    served(&url, "good-peer", "after-big").await;
    served(&url, "good-peer-2", "after-big-2").await;
    assert_eq!(echo.calls(), 2, "the oversize request reached the handler");
    let connects = broker.log().matches("as C::id-in").count();
    assert_eq!(connects, 1, "the CSE reconnected:\n{}", broker.log());
    cse.shutdown().await;
}
