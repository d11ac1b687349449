//! What the originator reports when no response primitive comes back: each error with
//! the status a gateway would answer its own originator with.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod http_common;

use std::time::Duration;

use http_common::{STEP, map};
use onem2m_http_binding::{BodyFormat, ClientError, HttpOriginator, HttpServer, IncomingRequest};
use onem2m_primitive::{
    AbsRelTimestamp, RequestPrimitive, ResponsePrimitive, ResponseStatusCode, Timestamp,
};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

/// A loopback port nothing listens on.
async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

/// A listener that accepts connections and never answers; the connections stay open
/// as long as the task runs.
async fn silent_server() -> (String, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    (url, task)
}

#[tokio::test]
async fn a_refused_connection_is_5103() {
    let client = HttpOriginator::new(&format!("http://127.0.0.1:{}", closed_port().await)).unwrap();
    let request = RequestPrimitive::retrieve("cse-in", "CAE1", "r1");
    let error = tokio::time::timeout(STEP, client.send(&request, BodyFormat::Json))
        .await
        .unwrap()
        .unwrap_err();
    assert!(matches!(error, ClientError::Connect { .. }), "{error:?}");
    assert_eq!(
        error.status_code(),
        ResponseStatusCode::TARGET_NOT_REACHABLE
    );
    assert!(error.to_string().contains("127.0.0.1"), "{error}");
}

#[tokio::test]
async fn no_answer_within_the_timeout_is_5103() {
    let (url, silent) = silent_server().await;
    let client = HttpOriginator::new(&url)
        .unwrap()
        .with_timeout(Duration::from_millis(300));
    let request = RequestPrimitive::retrieve("cse-in", "CAE1", "r-timeout");
    let error = client.send(&request, BodyFormat::Json).await.unwrap_err();
    match &error {
        ClientError::Timeout {
            rqi,
            after,
            expired,
        } => {
            assert_eq!(rqi, "r-timeout");
            assert_eq!(*after, Duration::from_millis(300));
            assert!(!expired);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        error.status_code(),
        ResponseStatusCode::TARGET_NOT_REACHABLE
    );
    silent.abort();
}

#[tokio::test]
async fn a_request_expiring_before_the_timeout_is_4008_at_its_expiry() {
    let (url, silent) = silent_server().await;
    let client = HttpOriginator::new(&url).unwrap();
    let mut request = RequestPrimitive::retrieve("cse-in", "CAE1", "r-rqet");
    request.ot = Some(Timestamp::now());
    request.rqet = Some(AbsRelTimestamp::Relative(300));
    let error = tokio::time::timeout(STEP, client.send(&request, BodyFormat::Json))
        .await
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(error, ClientError::Timeout { expired: true, .. }),
        "{error:?}"
    );
    assert_eq!(error.status_code(), ResponseStatusCode::REQUEST_TIMEOUT);
    silent.abort();
}

#[tokio::test]
async fn an_expired_request_is_not_sent() {
    // Nothing listens: an attempt to send would be a Connect error instead.
    let client = HttpOriginator::new(&format!("http://127.0.0.1:{}", closed_port().await)).unwrap();
    let mut request = RequestPrimitive::retrieve("cse-in", "CAE1", "r-old");
    request.rqet = Some(AbsRelTimestamp::Absolute(
        Timestamp::now().add_millis(-1_000),
    ));
    let error = client.send(&request, BodyFormat::Json).await.unwrap_err();
    assert!(
        matches!(error, ClientError::Timeout { expired: true, after, .. } if after.is_zero()),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_request_without_rqi_or_http_form_is_refused_before_sending() {
    let client = HttpOriginator::new(&format!("http://127.0.0.1:{}", closed_port().await)).unwrap();
    let request = RequestPrimitive::retrieve("cse-in", "CAE1", "");
    let error = client.send(&request, BodyFormat::Json).await.unwrap_err();
    assert!(matches!(error, ClientError::MissingRequestId), "{error:?}");
    assert_eq!(error.status_code(), ResponseStatusCode::BAD_REQUEST);

    let mut request = RequestPrimitive::retrieve("cse-in", "CAE1", "r1");
    request.fr = Some("two\nlines".to_owned());
    let error = client.send(&request, BodyFormat::Json).await.unwrap_err();
    assert!(matches!(error, ClientError::Request(_)), "{error:?}");
    assert_eq!(error.status_code(), ResponseStatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_bad_base_url_is_refused() {
    for url in ["https://127.0.0.1:443", "127.0.0.1:80", "http://"] {
        let error = HttpOriginator::new(url).unwrap_err();
        assert!(
            matches!(error, ClientError::BaseUrl { .. }),
            "{url}: {error:?}"
        );
    }
}

#[tokio::test]
async fn a_response_body_over_the_limit_is_refused() {
    let handler = |request: IncomingRequest| async move {
        ResponsePrimitive::answering(&request.primitive, ResponseStatusCode::OK)
            .with_content(map([("m2m:dbg", "z".repeat(4096).into())]))
    };
    let server = HttpServer::bind("127.0.0.1:0".parse().unwrap(), handler)
        .await
        .unwrap();
    let client = HttpOriginator::new(&server.url())
        .unwrap()
        .with_max_body(1024);
    let request = RequestPrimitive::retrieve("cse-in", "CAE1", "r1");
    let error = client.send(&request, BodyFormat::Json).await.unwrap_err();
    assert!(
        matches!(error, ClientError::BodyTooLarge { limit: 1024 }),
        "{error:?}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_peer_that_is_not_http_is_a_transport_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let peer = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        stream.write_all(b"SSH-2.0-OpenSSH_9.6\r\n").await.unwrap();
        stream.shutdown().await.unwrap();
        // Keep the socket until the client has read.
        tokio::time::sleep(Duration::from_secs(2)).await;
    });
    let client = HttpOriginator::new(&url).unwrap();
    let request = RequestPrimitive::retrieve("cse-in", "CAE1", "r1");
    let error = tokio::time::timeout(STEP, client.send(&request, BodyFormat::Json))
        .await
        .unwrap()
        .unwrap_err();
    assert!(matches!(error, ClientError::Transport { .. }), "{error:?}");
    assert_eq!(
        error.status_code(),
        ResponseStatusCode::TARGET_NOT_REACHABLE
    );
    peer.abort();
}
