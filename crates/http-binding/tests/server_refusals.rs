//! What the server answers by itself: requests the mapping refuses, bodies too large,
//! a handler that panics; each with its status in X-M2M-RSC and the reason in m2m:dbg,
//! and the server keeps serving afterwards.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod http_common;

use http_common::{PANIC_TARGET, RawResponse, Recording, raw_exchange};
use onem2m_http_binding::{BodyFormat, HttpOriginator, HttpServer, ServerOptions};
use onem2m_primitive::{RequestPrimitive, ResponseStatusCode};

/// A request for a raw connection: `Connection: close`, the given extra lines and body.
fn raw(request_line: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut bytes = format!("{request_line}\r\nHost: test\r\nConnection: close\r\n").into_bytes();
    for header in headers {
        bytes.extend_from_slice(header.as_bytes());
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(body);
    bytes
}

/// A POST to `cse-in` from CAE1 with `body`, its Content-Length and `content_type` if any.
fn post(content_type: Option<&str>, body: &[u8]) -> Vec<u8> {
    let length = format!("Content-Length: {}", body.len());
    let mut headers = vec!["X-M2M-RI: r1", "X-M2M-Origin: CAE1", length.as_str()];
    headers.extend(content_type);
    raw("POST /cse-in HTTP/1.1", &headers, body)
}

fn assert_refused(response: &RawResponse, status: u16, rsc: ResponseStatusCode, reason: &str) {
    assert_eq!(response.status, status, "{response:?}");
    assert_eq!(
        response.header("X-M2M-RSC"),
        Some(rsc.code().to_string().as_str()),
        "{response:?}"
    );
    assert!(response.header("X-M2M-RVI").is_some(), "{response:?}");
    assert_eq!(
        response.header("Content-Type"),
        Some("application/json"),
        "{response:?}"
    );
    let body = response.body_text();
    assert!(body.contains("m2m:dbg") && body.contains(reason), "{body}");
}

/// After whatever came before, a well-formed request is still answered.
async fn assert_still_serving(server: &HttpServer) {
    let client = HttpOriginator::new(&server.url()).unwrap();
    let request = RequestPrimitive::retrieve("cse-in", "CAE1", "after");
    let response = client.send(&request, BodyFormat::Json).await.unwrap();
    assert_eq!(response.rsc, ResponseStatusCode::OK);
}

#[tokio::test]
async fn a_method_without_an_operation_is_4005_with_the_request_id_echoed() {
    let recording = Recording::start().await;
    let response = raw_exchange(
        &recording.server,
        &raw(
            "PATCH /cse-in HTTP/1.1",
            &["X-M2M-RI: r-patch", "X-M2M-Origin: CAE1"],
            b"",
        ),
    )
    .await;
    assert_refused(
        &response,
        405,
        ResponseStatusCode::OPERATION_NOT_ALLOWED,
        "PATCH",
    );
    assert_eq!(response.header("X-M2M-RI"), Some("r-patch"));
    assert_eq!(recording.count(), 0);
    assert_still_serving(&recording.server).await;
}

#[tokio::test]
async fn a_header_value_that_is_not_text_is_4000() {
    let recording = Recording::start().await;
    let mut request =
        b"GET /cse-in HTTP/1.1\r\nHost: t\r\nConnection: close\r\nX-M2M-RI: r1\r\n".to_vec();
    request.extend_from_slice(b"X-M2M-Origin: C\xff\xfe\r\n\r\n");
    let response = raw_exchange(&recording.server, &request).await;
    assert_refused(
        &response,
        400,
        ResponseStatusCode::BAD_REQUEST,
        "X-M2M-Origin",
    );
    assert_eq!(response.header("X-M2M-RI"), Some("r1"));
    assert_still_serving(&recording.server).await;
}

#[tokio::test]
async fn a_body_without_content_type_is_4015() {
    let recording = Recording::start().await;
    let request = post(None, br#"{"m2m:cnt":{"rn":"x"}}"#);
    let response = raw_exchange(&recording.server, &request).await;
    assert_refused(
        &response,
        415,
        ResponseStatusCode::UNSUPPORTED_MEDIA_TYPE,
        "Content-Type",
    );
    assert_still_serving(&recording.server).await;
}

#[tokio::test]
async fn invalid_json_is_4000_and_the_server_keeps_serving() {
    let recording = Recording::start().await;
    let truncated = br#"{"m2m:cnt":{"rn":"x""#;
    let request = post(Some("Content-Type: application/json;ty=3"), truncated);
    let response = raw_exchange(&recording.server, &request).await;
    assert_refused(&response, 400, ResponseStatusCode::BAD_REQUEST, "body");
    assert_eq!(recording.count(), 0);
    assert_still_serving(&recording.server).await;
}

#[tokio::test]
async fn an_unacceptable_accept_is_5207_answered_in_json() {
    let recording = Recording::start().await;
    let request = raw(
        "GET /cse-in HTTP/1.1",
        &["X-M2M-RI: r1", "X-M2M-Origin: CAE1", "Accept: text/html"],
        b"",
    );
    let response = raw_exchange(&recording.server, &request).await;
    assert_refused(
        &response,
        406,
        ResponseStatusCode::NOT_ACCEPTABLE,
        "text/html",
    );
    assert_still_serving(&recording.server).await;
}

#[tokio::test]
async fn a_refusal_is_written_in_the_format_the_request_asked_for() {
    let recording = Recording::start().await;
    let request = raw(
        "PUT /cse-in/~/x HTTP/1.1",
        &["X-M2M-RI: r1", "Accept: application/xml", "X-M2M-RET: soon"],
        b"",
    );
    let response = raw_exchange(&recording.server, &request).await;
    assert_eq!(response.status, 400, "{response:?}");
    assert_eq!(response.header("Content-Type"), Some("application/xml"));
    assert!(
        response.body_text().contains("<m2m:dbg"),
        "{}",
        response.body_text()
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_with_4000_whether_announced_or_streamed() {
    let recording = Recording::start_with(ServerOptions::default().max_body(1024)).await;
    // Announced: refused on its Content-Length, before the body is read.
    let announced = raw(
        "POST /cse-in HTTP/1.1",
        &[
            "X-M2M-RI: big1",
            "Content-Type: application/json",
            "Content-Length: 5000",
        ],
        b"",
    );
    let response = raw_exchange(&recording.server, &announced).await;
    assert_refused(
        &response,
        413,
        ResponseStatusCode::BAD_REQUEST,
        "1024 bytes",
    );
    assert_eq!(response.header("X-M2M-RI"), Some("big1"));
    // Chunked: refused once more than the limit has arrived.
    let chunk = format!("{:x}\r\n{}\r\n", 700, "x".repeat(700));
    let streamed = raw(
        "POST /cse-in HTTP/1.1",
        &[
            "X-M2M-RI: big2",
            "Content-Type: application/json",
            "Transfer-Encoding: chunked",
        ],
        format!("{chunk}{chunk}0\r\n\r\n").as_bytes(),
    );
    let response = raw_exchange(&recording.server, &streamed).await;
    assert_refused(
        &response,
        413,
        ResponseStatusCode::BAD_REQUEST,
        "1024 bytes",
    );
    assert_eq!(recording.count(), 0);
    // A body under the limit still goes through.
    let client = HttpOriginator::new(&recording.server.url()).unwrap();
    let mut request = RequestPrimitive::retrieve("cse-in", "CAE1", "small");
    request.op = onem2m_primitive::Operation::Notify;
    request.pc = Some(http_common::map([("m2m:dbg", "y".repeat(500).into())]));
    let response = client.send(&request, BodyFormat::Json).await.unwrap();
    assert_eq!(response.rsc, ResponseStatusCode::OK);
}

#[tokio::test]
async fn a_handler_panic_is_answered_with_5000_and_the_server_keeps_serving() {
    let recording = Recording::start().await;
    let client = HttpOriginator::new(&recording.server.url()).unwrap();
    let request = RequestPrimitive::retrieve(PANIC_TARGET, "CAE1", "r-panic");
    let response = client.send(&request, BodyFormat::Cbor).await.unwrap();
    assert_eq!(response.rsc, ResponseStatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.rqi.as_deref(), Some("r-panic"));
    assert!(response.debug_message().is_some());
    // The same pooled connection carries the next request.
    let request = RequestPrimitive::retrieve("cse-in", "CAE1", "r-next");
    let response = client.send(&request, BodyFormat::Cbor).await.unwrap();
    assert_eq!(response.rsc, ResponseStatusCode::OK);
    assert_eq!(recording.server.accepted_connections(), 1);
}

#[tokio::test]
async fn a_response_without_an_http_form_becomes_5000() {
    let handler = |request: onem2m_http_binding::IncomingRequest| async move {
        let mut response = onem2m_primitive::ResponsePrimitive::answering(
            &request.primitive,
            ResponseStatusCode::OK,
        );
        // A header cannot carry a line break.
        response.vsi = Some("line\nbreak".to_owned());
        response
    };
    let server = HttpServer::bind("127.0.0.1:0".parse().unwrap(), handler)
        .await
        .unwrap();
    let client = HttpOriginator::new(&server.url()).unwrap();
    let request = RequestPrimitive::retrieve("cse-in", "CAE1", "r1");
    let response = client.send(&request, BodyFormat::Json).await.unwrap();
    assert_eq!(response.rsc, ResponseStatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.rqi.as_deref(), Some("r1"));
    assert!(response.debug_message().unwrap().contains("vsi"));
    server.shutdown().await;
}
