//! The originator's retry under the same `rqi`, and its choice of serialization per
//! request, on the embedded broker.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binding_common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use binding_common::{
    AE_ID, CSE_ID, Echo, Scheme, addr_of, builder, echo_response, expect_on, raw_client, retrieve,
};
use onem2m_binding::Error;
use onem2m_binding::originator::RetryPolicy;
use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive};
use onem2m_serialization::{JsonSerializer, Serializer};

const REQUEST_TOPIC: &str = "/oneM2M/req/id-in:CAE01/id-in/json";
const RESPONSE_TOPIC: &str = "/oneM2M/resp/id-in:CAE01/id-in/json";

async fn broker() -> EmbeddedBroker {
    EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(false))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_whose_first_delivery_is_lost_is_answered_after_a_retry_under_its_rqi() {
    let broker = broker().await;
    let url = broker.url();
    // A receiver that takes the first delivery and never answers it, as a member of
    // a shared subscription that dies would.
    let mut receiver = raw_client(addr_of(&url), "lossy-cse", "/oneM2M/req/+/id-in/+").await;
    let ae = builder(&url, Scheme::Ts0010, "json")
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .retry(RetryPolicy::new(Duration::from_millis(200), 3))
        .build()
        .await
        .unwrap();
    let originator = ae.originator();
    let call = tokio::spawn(async move { originator.request(retrieve("retry-1")).await });

    let json = JsonSerializer::new();
    let first = expect_on(&mut receiver, REQUEST_TOPIC).await;
    let second = expect_on(&mut receiver, REQUEST_TOPIC).await;
    let first = json.decode_request(&first.payload).unwrap();
    let second = json.decode_request(&second.payload).unwrap();
    assert_eq!(first, second, "a retry is the same request, rqi included");
    let answer = json.encode_response(&echo_response(&second)).unwrap();
    receiver
        .publish_qos1(7, RESPONSE_TOPIC, &answer)
        .await
        .unwrap();

    let response = call.await.unwrap().unwrap();
    assert_eq!(response.rqi.as_deref(), Some("retry-1"));
    assert!(ae.originator().retries() >= 1);
    ae.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_of_a_slow_request_run_the_handler_once_and_give_one_answer() {
    let broker = broker().await;
    let url = broker.url();
    let calls = Arc::new(AtomicUsize::new(0));
    let handler = {
        let calls = Arc::clone(&calls);
        move |request: RequestPrimitive, _ctx| {
            let calls = Arc::clone(&calls);
            async move {
                calls.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(600)).await;
                echo_response(&request)
            }
        }
    };
    let cse = builder(&url, Scheme::Ts0010, "json")
        .cse_id(CSE_ID)
        .handler(handler)
        .build()
        .await
        .unwrap();
    let ae = builder(&url, Scheme::Ts0010, "json")
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .retry(RetryPolicy::new(Duration::from_millis(100), 4))
        .build()
        .await
        .unwrap();
    let response: ResponsePrimitive = ae.originator().request(retrieve("slow-1")).await.unwrap();
    assert_eq!(response.rqi.as_deref(), Some("slow-1"));
    assert!(
        ae.originator().retries() >= 2,
        "{}",
        ae.originator().retries()
    );
    // Any answers to the retries still on their way find nobody waiting.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "the duplicates were executed"
    );
    ae.shutdown().await;
    cse.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_stop_at_their_limit_and_the_request_times_out() {
    let broker = broker().await;
    let ae = builder(&broker.url(), Scheme::Ts0010, "json")
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .request_timeout(Duration::from_secs(2))
        .retry(RetryPolicy::new(Duration::from_millis(100), 3))
        .build()
        .await
        .unwrap();
    let error = ae
        .originator()
        .request(retrieve("nobody-1"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(ae.originator().retries(), 3);
    ae.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_goes_in_the_serialization_asked_for_and_its_answer_comes_back_in_it() {
    let broker = broker().await;
    let url = broker.url();
    let echo = Echo::default();
    let cse = builder(&url, Scheme::Ts0010, "xml")
        .cse_id(CSE_ID)
        .handler(echo.handler())
        .build()
        .await
        .unwrap();
    let mut observer = raw_client(addr_of(&url), "observer", "/oneM2M/#").await;
    let ae = builder(&url, Scheme::Ts0010, "xml")
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .build()
        .await
        .unwrap();
    let response = ae
        .originator()
        .request_via_in(CSE_ID, "json", retrieve("json-1"))
        .await
        .unwrap();
    assert_eq!(response.rqi.as_deref(), Some("json-1"));
    let request = expect_on(&mut observer, REQUEST_TOPIC).await;
    assert_eq!(request.payload.first(), Some(&b'{'));
    let answer = expect_on(&mut observer, RESPONSE_TOPIC).await;
    assert_eq!(answer.payload.first(), Some(&b'{'));

    let error = ae
        .originator()
        .request_via_in(CSE_ID, "yaml", retrieve("yaml-1"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    ae.shutdown().await;
    cse.shutdown().await;
}
