//! Our originator against our server over loopback: every operation in every body
//! format arrives as sent and its response comes back as answered; connections are
//! reused; the tower adapters on both sides.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod http_common;

use std::time::Duration;

use http_common::{Recording, STEP, answer, map};
use onem2m_http_binding::{BodyFormat, HttpOriginator, HttpServer, ServerOptions, ServiceHandler};
use onem2m_primitive::{
    AbsRelTimestamp, DesiredIdentifierResultType, EventCategory, ReleaseVersion, RequestPrimitive,
    ResourceType, ResponsePrimitive, ResponseStatusCode, ResultContent, Timestamp, Value,
};
use tower::ServiceExt as _;

/// Header parameters every request of the round trips carries.
fn with_headers(mut request: RequestPrimitive) -> RequestPrimitive {
    request.ot = Some(Timestamp::now());
    request.rqet = Some(AbsRelTimestamp::Relative(60_000));
    request.ec = Some(EventCategory::IMMEDIATE);
    request.rvi = Some(ReleaseVersion::V3);
    request.vsi = Some("vendor 1".to_owned());
    request
}

/// One request per operation, each with the parameters that operation uses.
fn requests(rqi: &str) -> Vec<RequestPrimitive> {
    let cnt = map([(
        "m2m:cnt",
        map([
            ("rn", "data".into()),
            ("mni", 10.into()),
            ("lbl", vec!["a", "b"].into()),
        ]),
    )]);
    let mut create = RequestPrimitive::create(
        "cse-in/ae1",
        "CAE1",
        format!("{rqi}-c"),
        ResourceType::CONTAINER,
        cnt,
    );
    create.rcn = Some(ResultContent::HierarchicalAddressAndAttributes);

    let mut retrieve = RequestPrimitive::retrieve("/id-in/cse-in/ae1", "CAE1", format!("{rqi}-r"));
    retrieve.rcn = Some(ResultContent::AttributesAndChildResources);
    retrieve.drt = Some(DesiredIdentifierResultType::Structured);
    retrieve.fc = Some(map([
        ("ty", vec![Value::Int(3), Value::Int(4)].into()),
        ("lbl", vec!["a"].into()),
        ("lim", 10.into()),
        ("fu", 1.into()),
        (
            "atr",
            Value::List(vec![map([("nm", "cr".into()), ("val", "Sam".into())])]),
        ),
    ]));

    let update = RequestPrimitive::update(
        "cse-in/ae1/data",
        "CAE1",
        format!("{rqi}-u"),
        map([("m2m:cnt", map([("mni", 5.into())]))]),
    );

    let mut delete = RequestPrimitive::delete("cse-in/ae1/data", "CAE1", format!("{rqi}-d"));
    delete.rcn = Some(ResultContent::Nothing);

    let notify = RequestPrimitive::notify(
        "cse-in/ae1",
        "/id-in",
        format!("{rqi}-n"),
        map([(
            "m2m:sgn",
            map([("sur", "/id-in/cse-in/sub1".into()), ("vrq", true.into())]),
        )]),
    );
    [create, retrieve, update, delete, notify]
        .into_iter()
        .map(with_headers)
        .collect()
}

#[tokio::test]
async fn every_operation_round_trips_in_every_format() {
    let recording = Recording::start().await;
    let client = HttpOriginator::new(&recording.server.url()).unwrap();
    for format in BodyFormat::ALL {
        for request in requests(format.name()) {
            let response = client.send(&request, format).await.unwrap();
            let received = recording.last();
            assert_eq!(received.primitive, request, "{format:?} {:?}", request.op);
            assert_eq!(received.response_format, format);
            assert_eq!(response, answer(&request), "{format:?} {:?}", request.op);
        }
    }
    recording.server.shutdown().await;
}

#[tokio::test]
async fn a_path_prefix_of_the_base_url_is_not_part_of_to() {
    // A server behind a prefix sees it in the path: ours reads it as part of `to`,
    // which shows that the client put it in front of the request's own path.
    let recording = Recording::start().await;
    let client = HttpOriginator::new(&format!("{}/prefix/", recording.server.url())).unwrap();
    assert_eq!(client.base().path(), "/prefix/");
    let request = RequestPrimitive::retrieve("cse-in/ae 1", "CAE1", "r1");
    client.send(&request, BodyFormat::Json).await.unwrap();
    assert_eq!(recording.last().primitive.to, "prefix/cse-in/ae 1");
    recording.server.shutdown().await;
}

#[tokio::test]
async fn sequential_requests_reuse_one_connection() {
    let recording = Recording::start().await;
    let client = HttpOriginator::new(&recording.server.url()).unwrap();
    for i in 0..20 {
        let request = RequestPrimitive::retrieve("cse-in", "CAE1", format!("r{i}"));
        let response = client.send(&request, BodyFormat::Cbor).await.unwrap();
        assert_eq!(response.rsc, ResponseStatusCode::OK);
    }
    // Clones share the pool.
    let clone = client.clone();
    let request = RequestPrimitive::retrieve("cse-in", "CAE1", "r-clone");
    clone.send(&request, BodyFormat::Xml).await.unwrap();
    assert_eq!(recording.count(), 21);
    assert_eq!(recording.server.accepted_connections(), 1);
    recording.server.shutdown().await;
}

#[tokio::test]
async fn a_connection_the_server_closed_while_idle_is_replaced() {
    let options = ServerOptions::default().header_read_timeout(Duration::from_millis(200));
    let recording = Recording::start_with(options).await;
    let client = HttpOriginator::new(&recording.server.url()).unwrap();
    let request = RequestPrimitive::retrieve("cse-in", "CAE1", "before");
    client.send(&request, BodyFormat::Json).await.unwrap();
    // Long past the server's idle limit: it has closed the pooled connection.
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let request = RequestPrimitive::retrieve("cse-in", "CAE1", "after");
    let response = client.send(&request, BodyFormat::Json).await.unwrap();
    assert_eq!(response.rsc, ResponseStatusCode::OK);
    assert_eq!(recording.server.accepted_connections(), 2);
    recording.server.shutdown().await;
}

#[tokio::test]
async fn concurrent_requests_each_get_their_own_response() {
    let recording = Recording::start().await;
    let client = HttpOriginator::new(&recording.server.url()).unwrap();
    let sends = (0..16).map(|i| {
        let client = client.clone();
        tokio::spawn(async move {
            let request =
                RequestPrimitive::retrieve(format!("cse-in/ae{i}"), "CAE1", format!("r{i}"));
            let response = client.send(&request, BodyFormat::Json).await.unwrap();
            assert_eq!(response.rqi.as_deref(), Some(format!("r{i}").as_str()));
        })
    });
    for send in sends.collect::<Vec<_>>() {
        send.await.unwrap();
    }
    assert_eq!(recording.count(), 16);
    recording.server.shutdown().await;
}

#[tokio::test]
async fn the_tower_adapters_carry_requests_both_ways() {
    let service = tower::service_fn(|request: RequestPrimitive| async move {
        if request.to == "cse-in/fail" {
            return Err("the service is down");
        }
        Ok(
            ResponsePrimitive::answering(&request, ResponseStatusCode::OK)
                .with_content(map([("m2m:dbg", request.to.clone().into())])),
        )
    });
    let server = HttpServer::bind("127.0.0.1:0".parse().unwrap(), ServiceHandler::new(service))
        .await
        .unwrap();
    let client = HttpOriginator::new(&server.url())
        .unwrap()
        .with_format(BodyFormat::Xml);
    assert_eq!(client.format(), BodyFormat::Xml);

    let request = RequestPrimitive::retrieve("cse-in/ok", "CAE1", "r1");
    let response = client.clone().oneshot(request).await.unwrap();
    assert_eq!(response.rsc, ResponseStatusCode::OK);
    assert_eq!(response.debug_message(), Some("cse-in/ok"));

    let failing = RequestPrimitive::retrieve("cse-in/fail", "CAE1", "r2");
    let response = client.oneshot(failing).await.unwrap();
    assert_eq!(response.rsc, ResponseStatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.rqi.as_deref(), Some("r2"));
    assert_eq!(response.debug_message(), Some("the service is down"));
    server.shutdown().await;
}

#[tokio::test]
async fn shutdown_lets_a_request_in_flight_finish_then_refuses_connections() {
    let started = std::sync::Arc::new(tokio::sync::Notify::new());
    let handler = {
        let started = std::sync::Arc::clone(&started);
        move |request: onem2m_http_binding::IncomingRequest| {
            let started = std::sync::Arc::clone(&started);
            async move {
                started.notify_one();
                tokio::time::sleep(Duration::from_millis(300)).await;
                ResponsePrimitive::answering(&request.primitive, ResponseStatusCode::OK)
            }
        }
    };
    let server = HttpServer::bind("127.0.0.1:0".parse().unwrap(), handler)
        .await
        .unwrap();
    let url = server.url();
    let client = HttpOriginator::new(&url).unwrap();
    let in_flight = {
        let client = client.clone();
        tokio::spawn(async move {
            let request = RequestPrimitive::retrieve("cse-in", "CAE1", "slow");
            client.send(&request, BodyFormat::Json).await
        })
    };
    tokio::time::timeout(STEP, started.notified())
        .await
        .unwrap();
    tokio::time::timeout(STEP, server.shutdown()).await.unwrap();
    let response = in_flight.await.unwrap().unwrap();
    assert_eq!(response.rsc, ResponseStatusCode::OK);

    let after = HttpOriginator::new(&url).unwrap();
    let request = RequestPrimitive::retrieve("cse-in", "CAE1", "late");
    let error = after.send(&request, BodyFormat::Json).await.unwrap_err();
    assert_eq!(
        error.status_code(),
        ResponseStatusCode::TARGET_NOT_REACHABLE
    );
}
