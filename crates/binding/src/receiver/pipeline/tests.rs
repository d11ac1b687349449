#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use onem2m_primitive::{
    AbsRelTimestamp, Map, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode,
    ResponseType, ResponseTypeInfo, Timestamp, Value,
};
use onem2m_serialization::{JsonSerializer, Serializer, XmlSerializer};

use super::*;
use crate::topic::{DraftScheme, Entity, RouteKind, Ts0010Scheme};

const CSE: &str = "/id-in";
const REQUEST_TOPIC: &str = "/oneM2M/req/SAE01/id-in/json";
const RESPONSE_TOPIC: &str = "/oneM2M/resp/SAE01/id-in/json";

fn at() -> Arrival {
    Arrival {
        time: Timestamp::parse("20261126T063000").unwrap(),
        instant: Instant::now(),
    }
}

fn cse_pipeline() -> Pipeline {
    Pipeline::new(
        Arc::new(Ts0010Scheme::new()),
        SerializerSet::new(Arc::new(XmlSerializer::new())),
        Entity::cse(CSE),
    )
}

fn retrieve(rqi: &str) -> RequestPrimitive {
    RequestPrimitive::retrieve("cse-in", "SAE01", rqi)
}

fn json(request: &RequestPrimitive) -> Vec<u8> {
    JsonSerializer::new()
        .encode_request(request)
        .unwrap()
        .to_vec()
}

fn respond(decision: Decision) -> (String, ResponsePrimitive) {
    match decision {
        Decision::Respond(out) => {
            let serializer: Box<dyn Serializer> = if out.topic.ends_with("/xml") {
                Box::new(XmlSerializer::new())
            } else {
                Box::new(JsonSerializer::new())
            };
            let response = serializer.decode_response(&out.payload).unwrap();
            assert_eq!(Some(response.rsc), Some(out.rsc));
            (out.topic, response)
        }
        other => panic!("expected an immediate answer, got {other:?}"),
    }
}

fn accepted(decision: Decision) -> Box<Accepted> {
    match decision {
        Decision::Handle(accepted) => accepted,
        other => panic!("expected the handler to be called, got {other:?}"),
    }
}

fn dropped(decision: Decision) -> Dropped {
    match decision {
        Decision::Drop(dropped) => dropped,
        other => panic!("expected a drop, got {other:?}"),
    }
}

#[test]
fn a_valid_request_goes_to_the_handler_and_its_answer_to_the_response_topic() {
    let mut pipeline = cse_pipeline();
    let accepted = accepted(pipeline.on_message(REQUEST_TOPIC, &json(&retrieve("r1")), at()));
    assert_eq!(accepted.request.rqi, "r1");
    assert_eq!(accepted.context.serialization, "json");
    assert_eq!(accepted.context.route.kind, RouteKind::Request);
    assert_eq!(accepted.response_topic(), RESPONSE_TOPIC);

    let mut response = ResponsePrimitive::new(ResponseStatusCode::OK, "");
    response.rqi = None;
    let out = pipeline.finish(&accepted, response).unwrap();
    assert_eq!(out.topic, RESPONSE_TOPIC);
    let decoded = JsonSerializer::new().decode_response(&out.payload).unwrap();
    assert_eq!(decoded.rqi.as_deref(), Some("r1"), "rqi filled in");
    assert_eq!(decoded.rsc, ResponseStatusCode::OK);
}

#[test]
fn an_expired_request_is_4008_and_never_reaches_the_handler() {
    let mut pipeline = cse_pipeline();
    let mut request = retrieve("r1");
    request.rqet = Some(AbsRelTimestamp::Absolute(at().time.add_millis(-1)));
    let (topic, response) = respond(pipeline.on_message(REQUEST_TOPIC, &json(&request), at()));
    assert_eq!(topic, RESPONSE_TOPIC);
    assert_eq!(response.rsc, ResponseStatusCode::REQUEST_TIMEOUT);
    assert_eq!(response.rqi.as_deref(), Some("r1"));
}

#[test]
fn a_relative_expiry_counts_from_ot_so_a_request_that_waited_in_the_broker_expires() {
    let mut pipeline = cse_pipeline();
    let mut request = retrieve("r1");
    request.ot = Some(at().time.add_millis(-60_000));
    request.rqet = Some(AbsRelTimestamp::Relative(10_000));
    let (_, response) = respond(pipeline.on_message(REQUEST_TOPIC, &json(&request), at()));
    assert_eq!(response.rsc, ResponseStatusCode::REQUEST_TIMEOUT);
}

#[test]
fn expiry_is_checked_before_the_originator_and_everything_else() {
    let mut pipeline = cse_pipeline();
    let mut request = retrieve("r1");
    request.fr = Some("SAE99".into());
    request.rvi = None;
    request.rqet = Some(AbsRelTimestamp::Relative(-1));
    let (_, response) = respond(pipeline.on_message(REQUEST_TOPIC, &json(&request), at()));
    assert_eq!(response.rsc, ResponseStatusCode::REQUEST_TIMEOUT);
}

#[test]
fn a_spoofed_originator_is_4103_answered_to_the_real_publisher() {
    let mut pipeline = cse_pipeline();
    let mut request = retrieve("r1");
    request.fr = Some("SAE99".into());
    let (topic, response) = respond(pipeline.on_message(REQUEST_TOPIC, &json(&request), at()));
    assert_eq!(topic, RESPONSE_TOPIC);
    assert_eq!(
        response.rsc,
        ResponseStatusCode::ORIGINATOR_HAS_NO_PRIVILEGE
    );
}

#[test]
fn an_invalid_request_is_rejected_with_the_validation_status() {
    let mut pipeline = cse_pipeline();
    let mut request = retrieve("r1");
    request.rvi = None;
    let (_, response) = respond(pipeline.on_message(REQUEST_TOPIC, &json(&request), at()));
    assert_eq!(
        response.rsc,
        ResponseStatusCode::RELEASE_VERSION_NOT_SUPPORTED
    );
}

#[test]
fn a_redelivered_request_gets_the_cached_response_and_does_not_run_twice() {
    let mut pipeline = cse_pipeline();
    let payload = json(&retrieve("r1"));
    let first = accepted(pipeline.on_message(REQUEST_TOPIC, &payload, at()));
    let while_running = dropped(pipeline.on_message(REQUEST_TOPIC, &payload, at()));
    assert!(!while_running.warn);
    let answer = ResponsePrimitive::answering(&first.request, ResponseStatusCode::OK);
    let out = pipeline.finish(&first, answer).unwrap();
    match pipeline.on_message(REQUEST_TOPIC, &payload, at()) {
        Decision::Respond(again) => {
            assert_eq!(again.topic, out.topic);
            assert_eq!(again.payload, out.payload);
        }
        other => panic!("expected the cached response, got {other:?}"),
    }
}

#[test]
fn an_abandoned_request_runs_again_when_redelivered() {
    let mut pipeline = cse_pipeline();
    let payload = json(&retrieve("r1"));
    let first = accepted(pipeline.on_message(REQUEST_TOPIC, &payload, at()));
    pipeline.abandon(&first);
    accepted(pipeline.on_message(REQUEST_TOPIC, &payload, at()));
}

#[test]
fn the_duplicate_cache_can_be_sized() {
    let mut pipeline = cse_pipeline().with_duplicate_cache(Duration::from_secs(1), 1);
    let a = json(&retrieve("a"));
    accepted(pipeline.on_message(REQUEST_TOPIC, &a, at()));
    accepted(pipeline.on_message(REQUEST_TOPIC, &json(&retrieve("b")), at()));
    accepted(pipeline.on_message(REQUEST_TOPIC, &a, at()));
}

#[test]
fn an_unsupported_serialization_is_4015_in_the_default_one_on_a_topic_the_originator_hears() {
    let mut pipeline = cse_pipeline();
    let (topic, response) =
        respond(pipeline.on_message("/oneM2M/req/SAE01/id-in/yaml", b"op: 2", at()));
    assert_eq!(topic, "/oneM2M/resp/SAE01/id-in/xml");
    assert!(crate::topic::filter_matches("/oneM2M/resp/SAE01/#", &topic));
    assert_eq!(response.rsc, ResponseStatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(response.debug_message().unwrap().contains("yaml"));
}

#[test]
fn an_undecodable_request_with_a_readable_rqi_is_4000() {
    let mut pipeline = cse_pipeline();
    let payload = br#"{"op": [1], "rqi": "r-bad", "to": "cse-in", "fr": "SAE01", "rvi": "3"}"#;
    let (topic, response) = respond(pipeline.on_message(REQUEST_TOPIC, payload, at()));
    assert_eq!(topic, RESPONSE_TOPIC);
    assert_eq!(response.rsc, ResponseStatusCode::BAD_REQUEST);
    assert_eq!(response.rqi.as_deref(), Some("r-bad"));
}

#[test]
fn an_undecodable_request_without_an_rqi_is_dropped_with_a_warning() {
    let mut pipeline = cse_pipeline();
    let dropped = dropped(pipeline.on_message(REQUEST_TOPIC, b"\xff\x00 not json", at()));
    assert!(dropped.warn);
}

#[test]
fn a_response_goes_to_the_originator() {
    let mut pipeline = cse_pipeline();
    let response = ResponsePrimitive::new(ResponseStatusCode::CREATED, "r7");
    let payload = XmlSerializer::new().encode_response(&response).unwrap();
    match pipeline.on_message("/oneM2M/resp/id-in/id-mn/xml", &payload, at()) {
        Decision::Response(got) => assert_eq!(got.rqi.as_deref(), Some("r7")),
        other => panic!("expected a response, got {other:?}"),
    }
}

#[test]
fn messages_for_other_entities_and_unreadable_topics_are_dropped() {
    let mut pipeline = cse_pipeline();
    let other =
        dropped(pipeline.on_message("/oneM2M/req/SAE01/id-mn/json", &json(&retrieve("r1")), at()));
    assert!(!other.warn);
    let unreadable = dropped(pipeline.on_message("/oneM2M/nonsense", b"", at()));
    assert!(unreadable.warn);
}

#[test]
fn a_request_that_wants_no_response_is_handled_but_never_answered() {
    let mut pipeline = cse_pipeline();
    let mut request = retrieve("r1");
    request.rt = Some(ResponseTypeInfo::new(ResponseType::NoResponse));
    let accepted = accepted(pipeline.on_message(REQUEST_TOPIC, &json(&request), at()));
    let answer = ResponsePrimitive::answering(&accepted.request, ResponseStatusCode::OK);
    assert!(pipeline.finish(&accepted, answer).is_none());
    assert!(!dropped(pipeline.on_message(REQUEST_TOPIC, &json(&request), at())).warn);

    request.rqi = "r2".into();
    request.rqet = Some(AbsRelTimestamp::Relative(-1));
    assert!(!dropped(pipeline.on_message(REQUEST_TOPIC, &json(&request), at())).warn);
}

#[test]
fn a_registration_request_is_handled_and_answered_on_reg_resp() {
    let mut pipeline = cse_pipeline();
    let mut ae = Map::new();
    ae.insert("api", "Nlamp");
    ae.insert("rr", false);
    let mut pc = Map::new();
    pc.insert("m2m:ae", ae);
    let mut request =
        RequestPrimitive::create("cse-in", "C", "reg-1", ResourceType::AE, Value::Map(pc));
    request.fr = Some("C".into());
    let accepted =
        accepted(pipeline.on_message("/oneM2M/reg_req/psk-lamp/id-in/json", &json(&request), at()));
    assert_eq!(accepted.context.route.kind, RouteKind::RegistrationRequest);
    assert_eq!(
        accepted.context.route.originator.as_deref(),
        Some("psk-lamp")
    );
    assert_eq!(
        accepted.response_topic(),
        "/oneM2M/reg_resp/psk-lamp/id-in/json"
    );
}

#[test]
fn the_draft_scheme_answers_to_the_requests_fr() {
    let mut pipeline = Pipeline::new(
        Arc::new(DraftScheme),
        SerializerSet::new(Arc::new(JsonSerializer::new())),
        Entity::cse(CSE),
    );
    let request = RequestPrimitive::retrieve("/id-in/cse-in", "CAE01", "r1");
    let accepted = accepted(pipeline.on_message("/oneM2M/id-in/cse-in/req", &json(&request), at()));
    assert_eq!(accepted.response_topic(), "/oneM2M/id-in/CAE01/resp");
    // Traffic of the CSE's own AEs also matches its subscription: not for it.
    let for_the_ae = dropped(pipeline.on_message("/oneM2M/id-in/CAE01/req", &json(&request), at()));
    assert!(!for_the_ae.warn);
    let response = JsonSerializer::new()
        .encode_response(&ResponsePrimitive::new(ResponseStatusCode::OK, "x"))
        .unwrap();
    assert!(!dropped(pipeline.on_message("/oneM2M/id-in/CAE01/resp", &response, at())).warn);
}

#[test]
fn two_registrations_with_the_same_fr_and_rqi_from_different_credentials_both_run() {
    let mut pipeline = cse_pipeline();
    let mut request = RequestPrimitive::create(
        "cse-in",
        "C",
        "reg-1",
        ResourceType::AE,
        Value::Map(Map::new()),
    );
    request.fr = Some("C".into());
    let payload = json(&request);
    accepted(pipeline.on_message("/oneM2M/reg_req/lamp-1/id-in/json", &payload, at()));
    accepted(pipeline.on_message("/oneM2M/reg_req/lamp-2/id-in/json", &payload, at()));
    let again = dropped(pipeline.on_message("/oneM2M/reg_req/lamp-1/id-in/json", &payload, at()));
    assert!(!again.warn, "a redelivery from lamp-1 is still a duplicate");
}

#[test]
fn the_draft_scheme_cannot_check_the_originator_and_does_not_pretend_to() {
    let mut pipeline = Pipeline::new(
        Arc::new(DraftScheme),
        SerializerSet::new(Arc::new(JsonSerializer::new())),
        Entity::cse(CSE),
    );
    // An `fr` that is no entity ID would never match itself: no 4103 for it.
    let request = RequestPrimitive::retrieve("/id-in/cse-in", "/id-in/cse-in/acp1", "r1");
    match pipeline.on_message("/oneM2M/id-in/cse-in/req", &json(&request), at()) {
        Decision::Respond(out) => {
            assert_ne!(out.rsc, ResponseStatusCode::ORIGINATOR_HAS_NO_PRIVILEGE)
        }
        Decision::Handle(_) | Decision::Drop(_) => {}
        other => panic!("{other:?}"),
    }
}

proptest::proptest! {
    #[test]
    fn no_topic_or_payload_makes_the_pipeline_panic(
        kind in proptest::sample::select(vec!["req", "resp", "reg_req", "reg_resp"]),
        originator in "[a-zA-Z0-9:_.-]{0,12}",
        receiver in proptest::sample::select(vec!["id-in", "id-mn", "x"]),
        serialization in proptest::sample::select(vec!["xml", "json", "cbor", "yaml", ""]),
        payload in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
        junk_topic in ".{0,40}",
    ) {
        let mut pipeline = cse_pipeline();
        let topic = format!("/oneM2M/{kind}/{originator}/{receiver}/{serialization}");
        let _ = pipeline.on_message(&topic, &payload, at());
        let _ = pipeline.on_message(&junk_topic, &payload, at());
        let mut text = br#"{"op":2,"to":"cse-in","fr":""#.to_vec();
        text.extend_from_slice(&payload);
        let _ = pipeline.on_message(&topic, &text, at());
    }
}
