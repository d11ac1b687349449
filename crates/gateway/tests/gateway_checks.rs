//! What the MQTT receiver checks still holds in front of the HTTP CSE, and what each
//! direction answers when the other side is missing; with a stand-in CSE (an HTTP
//! server of `onem2m-http-binding` that records what reaches it) on the embedded broker.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../binding/tests/binding_common/mod.rs"]
mod binding_common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use binding_common::{AE_ID, CSE_ID, addr_of, expect_on, raw_client, retrieve};
use onem2m_binding::{Binding, BindingBuilder, RequestContext};
use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_gateway::{Gateway, PoaRewriter};
use onem2m_http_binding::{BodyFormat, HttpOriginator, HttpServer, IncomingRequest};
use onem2m_primitive::{
    AbsRelTimestamp, Operation, RequestPrimitive, ResponsePrimitive, ResponseStatusCode, Timestamp,
    Value,
};
use onem2m_serialization::{JsonSerializer, Serializer};
use onem2m_test_support::raw_mqtt::publish;

const REQUEST_TOPIC: &str = "/oneM2M/req/id-in:CAE01/id-in/json";
const RESPONSE_TOPIC: &str = "/oneM2M/resp/id-in:CAE01/id-in/json";

/// An HTTP CSE that answers every request 2000 and records it.
struct StandIn {
    server: HttpServer,
    seen: Arc<Mutex<Vec<RequestPrimitive>>>,
}

impl StandIn {
    async fn start() -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let server = HttpServer::bind(
            "127.0.0.1:0".parse().unwrap(),
            move |incoming: IncomingRequest| {
                let record = Arc::clone(&record);
                async move {
                    record.lock().unwrap().push(incoming.primitive.clone());
                    ResponsePrimitive::answering(&incoming.primitive, ResponseStatusCode::OK)
                }
            },
        )
        .await
        .unwrap();
        Self { server, seen }
    }

    fn seen(&self) -> Vec<RequestPrimitive> {
        self.seen.lock().unwrap().clone()
    }
}

async fn broker() -> EmbeddedBroker {
    EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(false))
        .await
        .unwrap()
}

fn mqtt_side(url: &str) -> BindingBuilder {
    Binding::builder()
        .url(url)
        .unwrap()
        .serializer(JsonSerializer::new())
        .request_timeout(Duration::from_millis(800))
}

async fn gateway(url: &str, cse_url: &str) -> Gateway {
    Gateway::builder()
        .mqtt(mqtt_side(url))
        .cse_id(CSE_ID)
        .cse_url(cse_url)
        .start()
        .await
        .unwrap()
}

/// The embedded broker, a stand-in CSE, and a gateway between them.
struct Rig {
    broker: EmbeddedBroker,
    cse: StandIn,
    gateway: Gateway,
}

impl Rig {
    async fn start() -> Self {
        let broker = broker().await;
        let cse = StandIn::start().await;
        let gateway = gateway(&broker.url(), &cse.server.url()).await;
        Self {
            broker,
            cse,
            gateway,
        }
    }
}

/// The `to` of a request the CSE sends to the poa the gateway writes for `ae_id`.
fn target_of(gateway: &Gateway, ae_id: &str, originals: &[String]) -> String {
    let poa = PoaRewriter::new(gateway.endpoint()).poa_for(ae_id, originals);
    poa[gateway.endpoint().len() + 1..].to_owned()
}

/// Publishes `request` by hand as the AE (a raw client, `client_id`) and returns the
/// status of the answer the gateway publishes.
async fn status_of_raw(
    broker: &EmbeddedBroker,
    client_id: &str,
    request: &RequestPrimitive,
) -> ResponseStatusCode {
    let mut peer = raw_client(addr_of(&broker.url()), client_id, "/oneM2M/resp/#").await;
    let payload = JsonSerializer::new().encode_request(request).unwrap();
    peer.publish_qos1(1, REQUEST_TOPIC, &payload).await.unwrap();
    let answer = expect_on(&mut peer, RESPONSE_TOPIC).await;
    JsonSerializer::new()
        .decode_response(&answer.payload)
        .unwrap()
        .rsc
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_reach_the_cse_over_http_unchanged_and_its_answer_comes_back() {
    let rig = Rig::start().await;
    let ae = mqtt_side(&rig.broker.url())
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .build()
        .await
        .unwrap();
    let mut request = retrieve("through-1");
    request.rcn = Some(onem2m_primitive::ResultContent::Attributes);
    let response = ae.originator().request(request.clone()).await.unwrap();
    assert_eq!(response.rsc, ResponseStatusCode::OK);
    assert_eq!(response.rqi.as_deref(), Some("through-1"));
    let seen = rig.cse.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].to, request.to);
    assert_eq!(seen[0].fr, request.fr);
    assert_eq!(seen[0].rqi, request.rqi);
    assert_eq!(seen[0].rcn, request.rcn);
    ae.shutdown().await;
    rig.gateway.shutdown().await;
}

/// Publishes `request` by hand as `client_id` through a fresh rig and checks that the
/// gateway itself answers `rsc` and the CSE never sees it.
async fn refused_before_the_cse(
    client_id: &str,
    request: RequestPrimitive,
    rsc: ResponseStatusCode,
) {
    let rig = Rig::start().await;
    assert_eq!(status_of_raw(&rig.broker, client_id, &request).await, rsc);
    assert!(rig.cse.seen().is_empty(), "{:?}", rig.cse.seen());
    rig.gateway.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_request_is_4008_and_never_reaches_the_cse() {
    let mut request = retrieve("expired-1");
    request.rqet = Some(AbsRelTimestamp::Absolute(
        Timestamp::now().add_millis(-1000),
    ));
    refused_before_the_cse("peer", request, ResponseStatusCode::REQUEST_TIMEOUT).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spoofed_originator_is_4103_and_never_reaches_the_cse() {
    let mut request = retrieve("spoof-1");
    request.fr = Some("CAdmin".into());
    refused_before_the_cse(
        "mallory",
        request,
        ResponseStatusCode::ORIGINATOR_HAS_NO_PRIVILEGE,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redelivered_request_reaches_the_cse_once_and_is_answered_twice() {
    let rig = Rig::start().await;
    let mut peer = raw_client(addr_of(&rig.broker.url()), "peer", "/oneM2M/resp/#").await;
    let payload = JsonSerializer::new()
        .encode_request(&retrieve("dup-1"))
        .unwrap();
    peer.publish_qos1(1, REQUEST_TOPIC, &payload).await.unwrap();
    let first = expect_on(&mut peer, RESPONSE_TOPIC).await;
    let mut again = publish(REQUEST_TOPIC, &payload, 1, 1);
    again[0] |= 0x08; // DUP
    peer.send(&again).await.unwrap();
    let second = expect_on(&mut peer, RESPONSE_TOPIC).await;
    assert_eq!(first.payload, second.payload);
    assert_eq!(rig.cse.seen().len(), 1, "the CSE got the duplicate");
    rig.gateway.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cse_that_cannot_be_reached_is_5103_at_the_ae() {
    let broker = broker().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let gateway = gateway(&broker.url(), &url).await;
    let ae = mqtt_side(&broker.url())
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .build()
        .await
        .unwrap();
    let response = ae.originator().request(retrieve("down-1")).await.unwrap();
    assert_eq!(response.rsc, ResponseStatusCode::TARGET_NOT_REACHABLE);
    ae.shutdown().await;
    gateway.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cse_reaches_an_ae_through_the_endpoint_and_gets_its_answer() {
    let rig = Rig::start().await;
    let received = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&received);
    let ae = mqtt_side(&rig.broker.url())
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .handler(move |request: RequestPrimitive, ctx: RequestContext| {
            record
                .lock()
                .unwrap()
                .push((request.clone(), ctx.serialization));
            std::future::ready(ResponsePrimitive::answering(
                &request,
                ResponseStatusCode::OK,
            ))
        })
        .build()
        .await
        .unwrap();
    let endpoint = HttpOriginator::new(rig.gateway.endpoint()).unwrap();
    let target = target_of(&rig.gateway, AE_ID, &["mqtt://somewhere".to_owned()]);
    let mut notify = RequestPrimitive::notify(
        &target,
        CSE_ID,
        "ntfy-1",
        Value::Map(
            [(
                "m2m:sgn",
                Value::Map([("vrq", Value::Bool(true))].into_iter().collect()),
            )]
            .into_iter()
            .collect(),
        ),
    );
    notify.rvi = Some(onem2m_primitive::ReleaseVersion::V3);
    let answer = endpoint.send(&notify, BodyFormat::Cbor).await.unwrap();
    assert_eq!(answer.rsc, ResponseStatusCode::OK);
    assert_eq!(answer.rqi.as_deref(), Some("ntfy-1"));
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let (request, serialization) = &received[0];
    assert_eq!(request.op, Operation::Notify);
    assert_eq!(
        request.to, AE_ID,
        "to is the AE-ID, as a CSE's MQTT binding sends it"
    );
    assert_eq!(request.fr.as_deref(), Some(CSE_ID));
    assert_eq!(
        *serialization, "cbor",
        "the serialization the CSE asked for"
    );
    assert!(rig.cse.seen().is_empty());
    ae.shutdown().await;
    rig.gateway.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_endpoint_answers_4004_off_its_paths_and_5103_for_an_absent_ae() {
    let rig = Rig::start().await;
    let endpoint = HttpOriginator::new(rig.gateway.endpoint()).unwrap();
    let mut stray = RequestPrimitive::retrieve("cse-in/somewhere", CSE_ID, "stray-1");
    stray.rvi = Some(onem2m_primitive::ReleaseVersion::V3);
    let answer = endpoint.send(&stray, BodyFormat::Json).await.unwrap();
    assert_eq!(answer.rsc, ResponseStatusCode::NOT_FOUND);

    let target = target_of(&rig.gateway, "CNobody", &[]);
    let mut notify = RequestPrimitive::notify(
        &target,
        CSE_ID,
        "nobody-1",
        Value::Map(
            [("m2m:sgn", Value::Map(Default::default()))]
                .into_iter()
                .collect(),
        ),
    );
    notify.rvi = Some(onem2m_primitive::ReleaseVersion::V3);
    let answer = endpoint.send(&notify, BodyFormat::Json).await.unwrap();
    assert_eq!(answer.rsc, ResponseStatusCode::TARGET_NOT_REACHABLE);
    rig.gateway.shutdown().await;
}
