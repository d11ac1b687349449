//! Our AE against a live ACME oneM2M CSE over Mosquitto (skipped when either is
//! not installed, unless `ONEM2M_REQUIRE_ACME=1` / `ONEM2M_REQUIRE_MOSQUITTO=1`).
//! One Mosquitto and one ACME serve every test of this file; each test uses AEs
//! of its own. Every AE is built with the public builder.
//!
//! The tests named `acme_...` guard a tolerance of one of ACME's quirks
//! (`docs/interop.md` lists them).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod acme_common;
mod binding_common;

use std::time::Duration;

use acme_common::scenarios;
use acme_common::*;
use binding_common::{expect_on, silent_on};
use onem2m_binding::topic::{Hop, TopicScheme};
use onem2m_binding::{Binding, Error, Ts0010Scheme};
use onem2m_mqtt_proto::{QoS, Topic};
use onem2m_primitive::{
    AbsRelTimestamp, Map, RequestPrimitive, ResponseStatusCode, ResponseType, ResponseTypeInfo,
    ResultContent, Timestamp, Value,
};
use onem2m_serialization::{JsonSerializer, Serializer};

/// An AE in JSON over TCP.
async fn json_ae(suite: &Suite, tag: &str) -> TestAe {
    fresh_ae(suite, Transport::Tcp, "json", tag).await
}

/// `cni` of the container at `path`, as the AE reads it.
async fn instances_in(suite: &Suite, ae: &Binding, path: &str) -> i64 {
    let cnt = expect(
        suite,
        ae,
        RequestPrimitive::retrieve(path, "", ""),
        ResponseStatusCode::OK,
    )
    .await;
    resource(&cnt, "m2m:cnt")
        .get("cni")
        .and_then(Value::as_i64)
        .unwrap()
}

// The whole life cycle in each serialization ACME speaks, on each listener.

macro_rules! life_cycle_tests {
    ($($name:ident: $transport:ident, $serialization:literal;)+) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            scenarios::life_cycle(Transport::$transport, $serialization).await;
        }
    )+};
}

life_cycle_tests! {
    json_over_tcp_registers_notifies_verifies_and_deregisters: Tcp, "json";
    json_over_tls_registers_notifies_verifies_and_deregisters: Tls, "json";
    json_over_websocket_registers_notifies_verifies_and_deregisters: WebSocket, "json";
    cbor_over_tcp_registers_notifies_verifies_and_deregisters: Tcp, "cbor";
    cbor_over_tls_registers_notifies_verifies_and_deregisters: Tls, "cbor";
    cbor_over_websocket_registers_notifies_verifies_and_deregisters: WebSocket, "cbor";
}

// Registration.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ae_registers_under_the_ae_id_it_chose() {
    let Some(suite) = suite() else { return };
    let TestAe {
        binding: ae,
        registration,
        id,
        path,
        ..
    } = json_ae(&suite, "chosen").await;
    assert_eq!(registration.response.rsc, ResponseStatusCode::CREATED);
    assert_eq!(registration.ae_id, id);
    assert_eq!(registration.client_id, format!("A::{id}"));
    let own = expect(
        &suite,
        &ae,
        RequestPrimitive::retrieve(path, "", ""),
        ResponseStatusCode::OK,
    )
    .await;
    assert_eq!(
        resource(&own, "m2m:ae").get("aei").and_then(Value::as_str),
        Some(id.as_str())
    );
    ae.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ae_id_that_acme_assigns_is_adopted_for_the_topics() {
    let Some(suite) = suite() else { return };
    let inbox = Inbox::default();
    let rn = unique("assigned-");
    let (ae, registration) = registered_ae(&suite, Transport::Tcp, "json", &rn, "C", &inbox).await;
    let aei = registration.ae_id.clone();
    assert!(aei.starts_with('C') && aei.len() > 1, "{aei}");
    assert_eq!(ae.client_id(), format!("A::{aei}"));

    // Requests now name the assigned AE-ID in the topic and in `fr`; ACME's
    // notifications to it reach our handler.
    let mut requests = observer(&suite, &format!("/oneM2M/req/{aei}/id-in/json")).await;
    let ae_path = format!("{CSE_NAME}/{rn}");
    let data = container_notifying(&suite, &ae, &ae_path, &aei).await;
    let seen = expect_on(&mut requests, &format!("/oneM2M/req/{aei}/id-in/json")).await;
    let sent = JsonSerializer::new().decode_request(&seen.payload).unwrap();
    assert_eq!(sent.fr.as_deref(), Some(aei.as_str()));
    expect(
        &suite,
        &ae,
        content_instance(&data, "1"),
        ResponseStatusCode::CREATED,
    )
    .await;
    let notified = inbox.wait_for_notifications(1).await;
    assert_eq!(notified[0].to, aei);
    ae.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_registration_is_a_typed_error_with_acmes_status() {
    let Some(suite) = suite() else { return };
    let TestAe {
        binding: first, id, ..
    } = json_ae(&suite, "dup").await;
    let second = builder(&suite, Transport::Tcp, "json")
        .registration(unique("cred-"))
        .registrar(CSE_ID)
        .build()
        .await
        .unwrap();
    let refused = second
        .register_ae(ae_create(&suite, &unique("dup-again-"), &id, "json"))
        .await;
    match refused {
        Err(e @ Error::RegistrationRefused { rsc, .. }) => {
            assert_eq!(rsc, ResponseStatusCode::ORIGINATOR_HAS_ALREADY_REGISTERED);
            assert_eq!(e.status_code(), rsc);
            assert!(e.to_string().contains(&id), "{e}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        second.entity().id.is_none(),
        "the refused AE stays unregistered"
    );
    second.shutdown().await;
    first.shutdown().await;
}

/// ACME answers a non-CREATE on `reg_req` with 4000 and copies `rcn`, a request
/// parameter, into that response; the binding reads it and reports ACME's status.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acme_puts_rcn_in_a_registration_refusal_and_we_report_its_status() {
    let Some(suite) = suite() else { return };
    let credential = unique("cred-");
    let ae = builder(&suite, Transport::Tcp, "json")
        .registration(&credential)
        .registrar(CSE_ID)
        .build()
        .await
        .unwrap();
    let mut seen = observer(&suite, &format!("/oneM2M/reg_resp/{credential}/id-in/json")).await;
    let not_a_create = RequestPrimitive::retrieve(CSE_NAME, "Cwhatever", "");
    match ae.register_ae(not_a_create).await {
        Err(Error::RegistrationRefused { rsc, message }) => {
            assert_eq!(rsc, ResponseStatusCode::BAD_REQUEST);
            assert!(message.contains("RETRIEVE"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let refusal = expect_on(
        &mut seen,
        &format!("/oneM2M/reg_resp/{credential}/id-in/json"),
    )
    .await;
    let text = String::from_utf8(refusal.payload).unwrap();
    assert!(text.contains(r#""rcn": 1"#), "{text}");
    ae.shutdown().await;
}

// Resources.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cse_base_is_retrieved() {
    let Some(suite) = suite() else { return };
    let TestAe { binding: ae, .. } = json_ae(&suite, "base").await;
    let base = expect(
        &suite,
        &ae,
        RequestPrimitive::retrieve(CSE_NAME, "", ""),
        ResponseStatusCode::OK,
    )
    .await;
    let cb = resource(&base, "m2m:cb");
    assert_eq!(cb.get("csi").and_then(Value::as_str), Some(CSE_ID));
    assert_eq!(cb.get("rn").and_then(Value::as_str), Some(CSE_NAME));
    assert_eq!(cb.get("ty").and_then(Value::as_i64), Some(5));
    let srv = cb.get("srv").and_then(Value::as_list).unwrap();
    assert!(srv.contains(&Value::from("3")), "{srv:?}");
    ae.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_instances_are_created_and_the_latest_is_retrieved() {
    let Some(suite) = suite() else { return };
    let TestAe {
        binding: ae,
        path: ae_path,
        ..
    } = json_ae(&suite, "cin").await;
    let data = container_with_readings(&suite, &ae, &ae_path, 3).await;
    assert_eq!(instances_in(&suite, &ae, &data).await, 3);
    let latest = expect(
        &suite,
        &ae,
        RequestPrimitive::retrieve(format!("{data}/la"), "", ""),
        ResponseStatusCode::OK,
    )
    .await;
    assert_eq!(
        resource(&latest, "m2m:cin")
            .get("con")
            .and_then(Value::as_str),
        Some("2")
    );
    ae.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_with_fu_1_finds_every_content_instance() {
    let Some(suite) = suite() else { return };
    let TestAe {
        binding: ae,
        path: ae_path,
        ..
    } = json_ae(&suite, "disc").await;
    let data = container_with_readings(&suite, &ae, &ae_path, 4).await;
    let mut fc = Map::new();
    fc.insert("fu", 1);
    fc.insert("ty", Value::List(vec![4.into()]));
    let mut discover = RequestPrimitive::retrieve(&ae_path, "", "");
    discover.fc = Some(Value::Map(fc));
    discover.rcn = Some(ResultContent::ChildResourceReferences);
    let found = expect(&suite, &ae, discover, ResponseStatusCode::OK).await;
    let references = resource(&found, "m2m:rrl")
        .get("rrf")
        .and_then(Value::as_list)
        .unwrap();
    assert_eq!(references.len(), 4, "{found:?}");
    let prefix = format!("{CSE_ID}/{data}/");
    for reference in references {
        let val = reference
            .as_map()
            .and_then(|r| r.get("val"))
            .and_then(Value::as_str);
        assert!(val.is_some_and(|v| v.starts_with(&prefix)), "{reference:?}");
    }
    ae.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_changes_the_container() {
    let Some(suite) = suite() else { return };
    let TestAe {
        binding: ae,
        path: ae_path,
        ..
    } = json_ae(&suite, "upd").await;
    let data = container_with_readings(&suite, &ae, &ae_path, 0).await;
    let update = RequestPrimitive::update(
        &data,
        "",
        "",
        content(
            "m2m:cnt",
            &[
                ("lbl", Value::List(vec!["updated".into()])),
                ("mni", 5.into()),
            ],
        ),
    );
    let updated = expect(&suite, &ae, update, ResponseStatusCode::UPDATED).await;
    assert_eq!(
        resource(&updated, "m2m:cnt")
            .get("mni")
            .and_then(Value::as_i64),
        Some(5)
    );
    let read = expect(
        &suite,
        &ae,
        RequestPrimitive::retrieve(&data, "", ""),
        ResponseStatusCode::OK,
    )
    .await;
    let lbl = resource(&read, "m2m:cnt")
        .get("lbl")
        .and_then(Value::as_list)
        .unwrap();
    assert_eq!(lbl, [Value::from("updated")]);
    ae.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_container_is_gone_and_a_missing_resource_is_4004() {
    let Some(suite) = suite() else { return };
    let TestAe {
        binding: ae,
        path: ae_path,
        ..
    } = json_ae(&suite, "del").await;
    let data = container_with_readings(&suite, &ae, &ae_path, 1).await;
    expect(
        &suite,
        &ae,
        RequestPrimitive::delete(&data, "", ""),
        ResponseStatusCode::DELETED,
    )
    .await;
    let gone = expect(
        &suite,
        &ae,
        RequestPrimitive::retrieve(&data, "", ""),
        ResponseStatusCode::NOT_FOUND,
    )
    .await;
    assert!(gone.debug_message().is_some(), "{gone:?}");
    expect(
        &suite,
        &ae,
        RequestPrimitive::retrieve(format!("{ae_path}/neverExisted"), "", ""),
        ResponseStatusCode::NOT_FOUND,
    )
    .await;
    ae.shutdown().await;
}

/// Our originator does not send a request whose `rqet` has passed (it fails at
/// once with a timeout), so the expired request goes out through the binding's
/// MQTT client, as another originator's late request would arrive.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_request_is_answered_4008_and_not_executed() {
    let Some(suite) = suite() else { return };
    let TestAe {
        binding: ae,
        id,
        path: ae_path,
        ..
    } = json_ae(&suite, "late").await;
    let data = container_with_readings(&suite, &ae, &ae_path, 0).await;
    let mut late = content_instance(&data, "too late");
    late.fr = Some(id.clone());
    late.rqi = unique("expired-");
    late.rqet = Some(AbsRelTimestamp::Absolute(
        Timestamp::now().add_millis(-5_000),
    ));

    let local = ae.originator().request(late.clone()).await;
    assert!(matches!(local, Err(Error::Timeout { .. })), "{local:?}");

    let response_topic = format!("/oneM2M/resp/{id}/id-in/json");
    let mut responses = observer(&suite, &response_topic).await;
    let topic = stem_scheme()
        .request_topic(&Hop {
            originator: &id,
            receiver: CSE_ID,
            to: &data,
            serialization: "json",
        })
        .unwrap();
    let payload = JsonSerializer::new().encode_request(&late).unwrap();
    ae.mqtt_client()
        .publish(
            Topic::try_from(topic.as_str()).unwrap(),
            payload,
            QoS::AtLeastOnce,
        )
        .await
        .unwrap();
    let answer = loop {
        let seen = expect_on(&mut responses, &response_topic).await;
        let response = JsonSerializer::new()
            .decode_response(&seen.payload)
            .unwrap();
        if response.rqi.as_deref() == Some(late.rqi.as_str()) {
            break response;
        }
    };
    assert_eq!(
        answer.rsc,
        ResponseStatusCode::REQUEST_TIMEOUT,
        "{answer:?}"
    );
    assert_eq!(
        instances_in(&suite, &ae, &data).await,
        0,
        "the expired create ran"
    );
    ae.shutdown().await;
}

// ACME's quirks, each with the tolerance that makes it work.

/// ACME publishes at QoS 0, puts request-only parameters (`drt`, here) in its
/// responses and notifications and writes `ot` with a decimal comma; our
/// originator and receiver take all three.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acme_publishes_at_qos_0_with_request_only_parameters_and_we_take_it() {
    let Some(suite) = suite() else { return };
    let TestAe {
        binding: ae,
        inbox,
        id,
        path: ae_path,
        ..
    } = json_ae(&suite, "qos").await;
    let mut seen = observer(&suite, &format!("/oneM2M/+/+/{id}/json")).await;
    let mut responses = observer(&suite, &format!("/oneM2M/resp/{id}/id-in/json")).await;
    let data = container_notifying(&suite, &ae, &ae_path, &id).await;
    expect(
        &suite,
        &ae,
        content_instance(&data, "x"),
        ResponseStatusCode::CREATED,
    )
    .await;
    inbox.wait_for_notifications(1).await;

    let response = expect_on(&mut responses, &format!("/oneM2M/resp/{id}/id-in/json")).await;
    assert_eq!(response.qos, 0);
    let decoded = JsonSerializer::new()
        .decode_response(&response.payload)
        .unwrap();
    let text = String::from_utf8(response.payload).unwrap();
    assert!(text.contains(r#""drt": 1"#), "{text}");
    // ACME writes `ot` with a comma before the fraction (`20261124T215237,116712`).
    assert!(
        text.contains(r#""ot": ""#) && decoded.ot.is_some(),
        "{text}"
    );
    let notification = expect_on(&mut seen, &format!("/oneM2M/req/id-in/{id}/json")).await;
    assert_eq!(notification.qos, 0);
    let text = String::from_utf8(notification.payload).unwrap();
    assert!(text.contains(r#""drt": 1"#), "{text}");
    ae.shutdown().await;
}

/// ACME answers on the originator level of the request's topic, whatever `fr`
/// says, so an AE writing its AE-ID SP-relative in topics (`id-in:C...`, the
/// TS-0010 default) gets its responses; but ACME notifies AEs on the bare stem,
/// which only an AE using `AeIdForm::Stem` subscribes to.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acme_answers_on_the_topic_originator_but_notifies_the_bare_stem() {
    let Some(suite) = suite() else { return };
    let inbox = Inbox::default();
    let id = unique("Csprel-");
    let rn = unique("sprel-");
    let sp_relative = builder(&suite, Transport::Tcp, "json").topic_scheme(Ts0010Scheme::new());
    let (ae, _) = register(&suite, sp_relative, "json", &rn, &id, &inbox).await;
    let mut seen = observer(&suite, "/oneM2M/+/+/+/json").await;

    let ae_path = format!("{CSE_NAME}/{rn}");
    let data = container_notifying(&suite, &ae, &ae_path, &id).await;
    let answered = expect_on(&mut seen, &format!("/oneM2M/resp/id-in:{id}/id-in/json")).await;
    assert_eq!(answered.qos, 0);
    expect(
        &suite,
        &ae,
        content_instance(&data, "x"),
        ResponseStatusCode::CREATED,
    )
    .await;
    expect_on(&mut seen, &format!("/oneM2M/req/id-in/{id}/json")).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        inbox.notifications().is_empty(),
        "an SP-relative AE subscribed to the stem topic"
    );
    ae.shutdown().await;
}

/// ACME drops requests on `.../xml` topics without an answer (it logs them): XML
/// is not offered to it, and an XML request times out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acme_ignores_xml_requests_which_time_out() {
    let Some(suite) = suite() else { return };
    let TestAe {
        binding: json,
        id,
        path: ae_path,
        ..
    } = json_ae(&suite, "xml").await;
    let xml = builder(&suite, Transport::Tcp, "xml")
        .ae_id(&id)
        .registrar(CSE_ID)
        .client_id(format!("A::{}", unique("xml-")))
        .request_timeout(Duration::from_secs(2))
        .build()
        .await
        .unwrap();
    let response_topic = format!("/oneM2M/resp/{id}/id-in/xml");
    let mut responses = observer(&suite, &response_topic).await;
    let sent = xml
        .originator()
        .request(RequestPrimitive::retrieve(&ae_path, "", ""))
        .await;
    match sent {
        Err(e @ Error::Timeout { .. }) => {
            assert_eq!(e.status_code(), ResponseStatusCode::TARGET_NOT_REACHABLE)
        }
        other => panic!("{other:?}"),
    }
    assert!(silent_on(&mut responses, &response_topic, Duration::from_millis(300)).await);
    assert!(
        suite.acme.wait_for_log(
            &format!(
                "Unsupported content serialization type: xml, topic: /oneM2M/req/{id}/id-in/xml"
            ),
            Duration::from_secs(10)
        ),
        "ACME did not log the dropped XML request:\n{}",
        suite.acme_log()
    );
    // The same request in JSON is answered.
    expect(
        &suite,
        &json,
        RequestPrimitive::retrieve(&ae_path, "", ""),
        ResponseStatusCode::OK,
    )
    .await;
    xml.shutdown().await;
    json.shutdown().await;
}

/// ACME executes a request with `rt.rtv` = 5 (no response) and publishes nothing;
/// our originator returns its local 1000 once the broker has the request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acme_sends_nothing_for_rt_no_response_and_we_do_not_wait() {
    let Some(suite) = suite() else { return };
    let TestAe {
        binding: ae,
        id,
        path: ae_path,
        ..
    } = json_ae(&suite, "norsp").await;
    let data = container_with_readings(&suite, &ae, &ae_path, 0).await;
    let response_topic = format!("/oneM2M/resp/{id}/id-in/json");
    let mut responses = observer(&suite, &response_topic).await;
    let mut quiet = content_instance(&data, "fire and forget");
    quiet.fr = None;
    quiet.rt = Some(ResponseTypeInfo::new(ResponseType::NoResponse));
    let local = ae.originator().request(quiet).await.unwrap();
    assert_eq!(local.rsc, ResponseStatusCode::ACCEPTED);
    assert!(silent_on(&mut responses, &response_topic, Duration::from_secs(1)).await);
    // It ran all the same.
    assert_eq!(instances_in(&suite, &ae, &data).await, 1);
    ae.shutdown().await;
}
