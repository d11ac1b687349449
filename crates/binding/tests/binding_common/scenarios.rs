//! The end-to-end scenarios, each run on the embedded broker and on Mosquitto.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use onem2m_binding::{Binding, Error};
use onem2m_primitive::{
    AbsRelTimestamp, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode,
    Timestamp,
};
use onem2m_serialization::{JsonSerializer, Serializer};
use onem2m_test_support::raw_mqtt::publish;
use tokio::task::JoinSet;
use tokio::time::timeout;

use super::*;

async fn cse(url: &str, scheme: Scheme, serialization: &str, echo: &Echo) -> Binding {
    builder(url, scheme, serialization)
        .cse_id(CSE_ID)
        .handler(echo.handler())
        .build()
        .await
        .unwrap()
}

async fn ae(url: &str, scheme: Scheme, serialization: &str) -> Binding {
    builder(url, scheme, serialization)
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .build()
        .await
        .unwrap()
}

/// AE ↔ CSE for one scheme and serialization: the request and its response are on the
/// scheme's topics, and their bytes are exactly the serializer's encoding, as a raw
/// MQTT client subscribed to `#` sees them.
pub async fn request_and_response_on_the_wire(url: &str, scheme: Scheme, serialization: &str) {
    // A client id of its own per run: a broker hands a reused one over from the
    // previous connection, which is still closing.
    let observer_id = format!("observer-{scheme:?}-{serialization}");
    let mut observer = raw_client(addr_of(url), &observer_id, "#").await;
    let echo = Echo::default();
    let cse = cse(url, scheme, serialization, &echo).await;
    let ae = ae(url, scheme, serialization).await;

    let request = retrieve(&format!("wire-{scheme:?}-{serialization}"));
    let response = ae.originator().request(request.clone()).await.unwrap();
    assert_eq!(
        response,
        echo_response(&request),
        "{scheme:?} {serialization}"
    );
    assert_eq!(echo.calls(), 1);

    let (request_topic, response_topic) = topics(scheme, serialization);
    let codec = serializer(serialization);
    let seen_request = expect_on(&mut observer, &request_topic).await;
    assert_eq!(
        seen_request.payload,
        codec.encode_request(&request).unwrap()
    );
    assert_eq!(seen_request.qos, 1);
    let seen_response = expect_on(&mut observer, &response_topic).await;
    assert_eq!(
        seen_response.payload,
        codec.encode_response(&echo_response(&request)).unwrap()
    );
    assert_eq!(seen_response.qos, 1);
    if serialization == "json" {
        let text = String::from_utf8(seen_request.payload).unwrap();
        assert!(
            text.contains(r#""rqi":"wire-Ts0010-json""#)
                || text.contains(r#""rqi":"wire-Draft-json""#),
            "{text}"
        );
        assert!(text.contains(r#""op":2"#), "{text}");
    }
    ae.shutdown().await;
    cse.shutdown().await;
}

/// A request published while the receiver is offline and delivered after its `rqet`
/// passed is answered 4008, and the handler is never called.
pub async fn expired_while_the_receiver_was_offline(url: &str) {
    let echo = Echo::default();
    // Connect once so that the broker keeps a session with the subscriptions.
    cse(url, Scheme::Ts0010, "json", &echo)
        .await
        .shutdown()
        .await;

    let mut watcher = raw_client(addr_of(url), "watcher", "/oneM2M/resp/#").await;
    let ae = ae(url, Scheme::Ts0010, "json").await;
    let mut request = retrieve("expired-1");
    request.rqet = Some(AbsRelTimestamp::Absolute(Timestamp::now().add_millis(300)));
    let sent = ae.originator().request(request).await;
    assert!(matches!(sent, Err(Error::Timeout { .. })), "{sent:?}");
    tokio::time::sleep(Duration::from_millis(100)).await;

    let cse = cse(url, Scheme::Ts0010, "json", &echo).await;
    let answer = expect_on(&mut watcher, "/oneM2M/resp/id-in:CAE01/id-in/json").await;
    let text = String::from_utf8(answer.payload).unwrap();
    assert!(text.contains(r#""rsc":4008"#), "{text}");
    assert!(text.contains(r#""rqi":"expired-1""#), "{text}");
    assert_eq!(echo.calls(), 0, "the handler ran an expired request");
    ae.shutdown().await;
    cse.shutdown().await;
}

/// A request whose `fr` is not the originator its topic names gets 4103, and the
/// handler is not called.
pub async fn spoofed_originator_is_refused(url: &str) {
    let echo = Echo::default();
    let cse = cse(url, Scheme::Ts0010, "json", &echo).await;
    let mut mallory = raw_client(addr_of(url), "mallory", "/oneM2M/resp/id-in:CAE01/#").await;
    let mut request = retrieve("spoof-1");
    request.fr = Some("/id-in".into());
    let payload = JsonSerializer::new().encode_request(&request).unwrap();
    mallory
        .publish_qos1(7, "/oneM2M/req/id-in:CAE01/id-in/json", &payload)
        .await
        .unwrap();
    let answer = expect_on(&mut mallory, "/oneM2M/resp/id-in:CAE01/id-in/json").await;
    let text = String::from_utf8(answer.payload).unwrap();
    assert!(text.contains(r#""rsc":4103"#), "{text}");
    assert_eq!(echo.calls(), 0);
    cse.shutdown().await;
}

/// The same request delivered twice (a QoS 1 redelivery, DUP set) runs once and is
/// answered twice with the same bytes.
pub async fn duplicate_redelivery_runs_once(url: &str) {
    let echo = Echo::default();
    let cse = cse(url, Scheme::Ts0010, "json", &echo).await;
    let mut peer = raw_client(addr_of(url), "peer", "/oneM2M/resp/id-in:CAE01/#").await;
    let payload = JsonSerializer::new()
        .encode_request(&retrieve("dup-1"))
        .unwrap();
    let topic = "/oneM2M/req/id-in:CAE01/id-in/json";
    peer.publish_qos1(1, topic, &payload).await.unwrap();
    let first = expect_on(&mut peer, "/oneM2M/resp/id-in:CAE01/id-in/json").await;
    let mut again = publish(topic, &payload, 1, 1);
    again[0] |= 0x08; // DUP
    peer.send(&again).await.unwrap();
    let second = expect_on(&mut peer, "/oneM2M/resp/id-in:CAE01/id-in/json").await;
    assert_eq!(first.payload, second.payload);
    assert_eq!(echo.calls(), 1, "the handler ran a duplicate");
    cse.shutdown().await;
}

/// Without an answer, a request fails at the default timeout with 5103.
pub async fn unanswered_request_times_out_with_5103(url: &str) {
    let ae = builder(url, Scheme::Ts0010, "json")
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .request_timeout(Duration::from_millis(300))
        .build()
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let error = ae
        .originator()
        .request(retrieve("lost-1"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(
        error.status_code(),
        ResponseStatusCode::TARGET_NOT_REACHABLE
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(started.elapsed() < Duration::from_secs(3));
    ae.shutdown().await;
}

/// A request in a serialization the receiver does not speak gets 4015 on a topic its
/// originator listens to.
pub async fn unsupported_serialization_is_4015(url: &str) {
    let echo = Echo::default();
    let cse = cse(url, Scheme::Ts0010, "xml", &echo).await;
    let mut peer = raw_client(addr_of(url), "peer", "/oneM2M/resp/SAE01/#").await;
    peer.publish_qos1(1, "/oneM2M/req/SAE01/id-in/yaml", b"op: 2\nrqi: y1\n")
        .await
        .unwrap();
    let answer = expect_on(&mut peer, "/oneM2M/resp/SAE01/id-in/xml").await;
    let text = String::from_utf8(answer.payload).unwrap();
    assert!(text.contains("<rsc>4015</rsc>"), "{text}");
    assert_eq!(echo.calls(), 0);
    cse.shutdown().await;
}

/// After deregistration the broker holds nothing for the old session: a request
/// queued for it meanwhile is not delivered to the next connection. (With a plain
/// shutdown it is: the control case.)
pub async fn deregistration_drops_what_was_queued(url: &str) {
    for deregister in [false, true] {
        let echo = Echo::default();
        let rqi = format!("queued-{deregister}");
        let first = builder(url, Scheme::Ts0010, "json")
            .ae_id(AE_ID)
            .registrar(CSE_ID)
            .handler(echo.handler())
            .build()
            .await
            .unwrap();
        if deregister {
            first.deregister().await;
        } else {
            first.shutdown().await;
        }
        let mut cse = raw_client(addr_of(url), "cse-raw", "/oneM2M/resp/id-in/#").await;
        let notify = RequestPrimitive::notify(AE_ID, CSE_ID, &rqi, content("m2m:sgn", "sur", "x"));
        let payload = JsonSerializer::new().encode_request(&notify).unwrap();
        cse.publish_qos1(1, "/oneM2M/req/id-in/id-in:CAE01/json", &payload)
            .await
            .unwrap();

        let second = builder(url, Scheme::Ts0010, "json")
            .ae_id(AE_ID)
            .registrar(CSE_ID)
            .handler(echo.handler())
            .build()
            .await
            .unwrap();
        let response_topic = "/oneM2M/resp/id-in/id-in:CAE01/json";
        if deregister {
            assert!(silent_on(&mut cse, response_topic, Duration::from_millis(700)).await);
            assert_eq!(
                echo.calls(),
                0,
                "a message of the old session was delivered"
            );
        } else {
            let answer = expect_on(&mut cse, response_topic).await;
            assert!(String::from_utf8(answer.payload).unwrap().contains(&rqi));
            assert_eq!(echo.calls(), 1);
        }
        second.deregister().await;
    }
}

/// 1000 requests in flight at once from one originator are all answered, each with
/// its own response.
pub async fn a_thousand_concurrent_requests(url: &str) -> Duration {
    let echo = Echo::default();
    let cse = cse(url, Scheme::Ts0010, "json", &echo).await;
    let ae = ae(url, Scheme::Ts0010, "json").await;
    let originator = ae.originator();
    let started = std::time::Instant::now();
    let mut requests = JoinSet::new();
    for i in 0..1000 {
        let originator = originator.clone();
        requests.spawn(async move {
            let rqi = format!("many-{i}");
            let response = originator.request(retrieve(&rqi)).await.unwrap();
            (rqi, response)
        });
    }
    let mut answered = 0;
    while let Some(joined) = timeout(STEP * 3, requests.join_next()).await.unwrap() {
        let (rqi, response) = joined.unwrap();
        assert_eq!(response.rsc, ResponseStatusCode::OK);
        assert_eq!(response.rqi.as_deref(), Some(rqi.as_str()));
        assert_eq!(response.debug_message(), Some(rqi.as_str()), "mixed up");
        answered += 1;
    }
    let elapsed = started.elapsed();
    assert_eq!(answered, 1000);
    assert_eq!(echo.calls(), 1000);
    ae.shutdown().await;
    cse.shutdown().await;
    elapsed
}

/// An AE without an ID registers over `reg_req`/`reg_resp` with its Credential-ID,
/// then works under the AE-ID assigned, with client id `A::<aei>`.
pub async fn registration_then_requests_under_the_assigned_id(url: &str) {
    let registrations = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&registrations);
    let cse = builder(url, Scheme::Ts0010, "json")
        .cse_id(CSE_ID)
        .handler(
            move |request: RequestPrimitive, ctx: onem2m_binding::RequestContext| {
                let counter = Arc::clone(&counter);
                async move {
                    if ctx.route.kind == onem2m_binding::RouteKind::RegistrationRequest {
                        counter.fetch_add(1, Ordering::SeqCst);
                        assert_eq!(ctx.route.originator.as_deref(), Some("psk-lamp"));
                        return ResponsePrimitive::answering(&request, ResponseStatusCode::CREATED)
                            .with_content(content("m2m:ae", "aei", "Clamp7"));
                    }
                    echo_response(&request)
                }
            },
        )
        .build()
        .await
        .unwrap();
    let mut observer = raw_client(addr_of(url), "observer", "#").await;
    let ae = builder(url, Scheme::Ts0010, "json")
        .registration("psk-lamp")
        .registrar(CSE_ID)
        .build()
        .await
        .unwrap();
    assert_eq!(ae.client_id(), "psk-lamp");
    let mut create = RequestPrimitive::create(
        "cse-in",
        "C",
        "",
        ResourceType::AE,
        content("m2m:ae", "api", "Nlamp"),
    );
    create.fr = Some("C".into());
    let registration = ae.register_ae(create).await.unwrap();
    assert_eq!(registration.ae_id, "Clamp7");
    assert_eq!(registration.client_id, "A::Clamp7");
    assert_eq!(ae.client_id(), "A::Clamp7");
    assert_eq!(registrations.load(Ordering::SeqCst), 1);
    expect_on(&mut observer, "/oneM2M/reg_req/psk-lamp/id-in/json").await;
    expect_on(&mut observer, "/oneM2M/reg_resp/psk-lamp/id-in/json").await;

    let mut request = retrieve("after-reg");
    request.fr = None;
    let response = ae.originator().request(request).await.unwrap();
    assert_eq!(response.rsc, ResponseStatusCode::OK);
    expect_on(&mut observer, "/oneM2M/req/id-in:Clamp7/id-in/json").await;
    ae.deregister().await;
    cse.shutdown().await;
}

/// A CSE's originator reaches an AE (a notification): the request goes on the AE's
/// request topic, the AE's handler answers, the CSE gets the response.
pub async fn cse_notifies_an_ae(url: &str) {
    let echo = Echo::default();
    let ae = builder(url, Scheme::Ts0010, "json")
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .handler(echo.handler())
        .build()
        .await
        .unwrap();
    let cse = builder(url, Scheme::Ts0010, "cbor")
        .cse_id(CSE_ID)
        .build()
        .await
        .unwrap();
    let mut observer = raw_client(addr_of(url), "observer", "#").await;
    let notify =
        RequestPrimitive::notify(AE_ID, CSE_ID, "ntf-1", content("m2m:sgn", "sur", "sub1"));
    let response = cse.originator().request(notify.clone()).await.unwrap();
    assert_eq!(response, echo_response(&notify));
    assert_eq!(echo.calls(), 1);
    let seen = expect_on(&mut observer, "/oneM2M/req/id-in/id-in:CAE01/cbor").await;
    assert_eq!(
        seen.payload,
        serializer("cbor").encode_request(&notify).unwrap()
    );
    expect_on(&mut observer, "/oneM2M/resp/id-in/id-in:CAE01/cbor").await;
    ae.shutdown().await;
    cse.shutdown().await;
}

/// With PUBACK after the handler (the default), a request whose handler never
/// finished stays with the broker and is redelivered to the next connection, which
/// answers it: the originator, still waiting, gets that answer.
pub async fn unfinished_request_is_redelivered_to_the_next_connection(url: &str) {
    let first = builder(url, Scheme::Ts0010, "json")
        .cse_id(CSE_ID)
        .drain_timeout(Duration::from_millis(100))
        .handler(|_request: RequestPrimitive, _ctx| std::future::pending::<ResponsePrimitive>())
        .build()
        .await
        .unwrap();
    let ae = ae(url, Scheme::Ts0010, "json").await;
    let originator = ae.originator();
    let waiting = tokio::spawn(async move { originator.request(retrieve("stuck-1")).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    first.shutdown().await;

    let echo = Echo::default();
    let second = cse(url, Scheme::Ts0010, "json", &echo).await;
    let response = timeout(STEP, waiting).await.unwrap().unwrap().unwrap();
    assert_eq!(response.rsc, ResponseStatusCode::OK);
    assert_eq!(response.debug_message(), Some("stuck-1"));
    assert_eq!(echo.calls(), 1);
    ae.shutdown().await;
    second.shutdown().await;
}

/// The originator's limits fail fast with their own errors: a full pending map, and a
/// primitive larger than the maximum message size.
pub async fn originator_limits_fail_fast(url: &str) {
    let ae = builder(url, Scheme::Ts0010, "json")
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .max_pending(1)
        .max_message_size(2048)
        .request_timeout(Duration::from_millis(500))
        .build()
        .await
        .unwrap();
    let originator = ae.originator();
    let waiting = {
        let originator = originator.clone();
        tokio::spawn(async move { originator.request(retrieve("no-answer")).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let full = originator
        .request(retrieve("one-too-many"))
        .await
        .unwrap_err();
    assert!(matches!(full, Error::PendingFull { limit: 1 }), "{full:?}");
    assert!(matches!(waiting.await.unwrap(), Err(Error::Timeout { .. })));

    let big = RequestPrimitive::update(
        "cse-in/data",
        AE_ID,
        "big-1",
        content("m2m:cnt", "lbl", &"x".repeat(4096)),
    );
    let too_large = originator.request(big).await.unwrap_err();
    assert!(
        matches!(too_large, Error::MessageTooLarge { limit: 2048, .. }),
        "{too_large:?}"
    );
    assert_eq!(too_large.status_code(), ResponseStatusCode::BAD_REQUEST);
    ae.shutdown().await;
}
