//! Shared pieces of the client/server tests: a server whose handler records what it
//! receives and answers predictably, primitives with many parameters, and a raw HTTP
//! exchange for requests no client would send.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use onem2m_http_binding::{HttpServer, IncomingRequest, ServerOptions};
use onem2m_primitive::{
    ContentStatus, Map, Operation, RequestPrimitive, ResponsePrimitive, ResponseStatusCode,
    Timestamp, Value,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Upper bound for any single wait on a loaded 2-core machine.
pub const STEP: Duration = Duration::from_secs(20);

/// The `to` whose handler panics.
pub const PANIC_TARGET: &str = "cse-in/panic";

pub fn map<const N: usize>(members: [(&str, Value); N]) -> Value {
    Value::Map(members.into_iter().collect::<Map>())
}

/// The response the recording server gives to `request`: a status by operation, the
/// request's content echoed inside `m2m:rsp`-like content, a few header parameters.
pub fn answer(request: &RequestPrimitive) -> ResponsePrimitive {
    let rsc = match request.op {
        Operation::Create => ResponseStatusCode::CREATED,
        Operation::Update => ResponseStatusCode::UPDATED,
        Operation::Delete => ResponseStatusCode::DELETED,
        Operation::Retrieve | Operation::Notify => ResponseStatusCode::OK,
    };
    let mut response = ResponsePrimitive::answering(request, rsc);
    response.ot = Some(Timestamp::parse("20261126T101500,250000").unwrap());
    response.vsi = Some("test server".to_owned());
    if request.op == Operation::Retrieve {
        response.cnst = Some(ContentStatus::FullContent);
        response.cnot = Some(2);
    }
    if request.op != Operation::Delete {
        let content = request.pc.clone().unwrap_or_else(|| {
            map([(
                "m2m:cnt",
                map([("rn", "data".into()), ("ty", 3.into()), ("cni", 2.into())]),
            )])
        });
        response.pc = Some(content);
    }
    response
}

/// A server that records every request it hands to its handler.
pub struct Recording {
    pub server: HttpServer,
    pub received: Arc<Mutex<Vec<IncomingRequest>>>,
}

impl Recording {
    pub async fn start() -> Self {
        Self::start_with(ServerOptions::default()).await
    }

    pub async fn start_with(options: ServerOptions) -> Self {
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        let handler = move |request: IncomingRequest| {
            let log = Arc::clone(&log);
            async move {
                assert!(
                    request.primitive.to != PANIC_TARGET,
                    "the test handler panics on {PANIC_TARGET}"
                );
                let response = answer(&request.primitive);
                log.lock().unwrap().push(request);
                response
            }
        };
        let server = HttpServer::bind_with("127.0.0.1:0".parse().unwrap(), handler, options)
            .await
            .unwrap();
        Self { server, received }
    }

    /// The last request the handler saw.
    pub fn last(&self) -> IncomingRequest {
        self.received.lock().unwrap().last().cloned().unwrap()
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }
}

/// An HTTP response read off a raw connection.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == &name.to_ascii_lowercase())
            .map(|(_, v)| v.as_str())
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Writes `request` (which should say `Connection: close`) on a new connection to
/// `server` and reads the response until the server closes.
pub async fn raw_exchange(server: &HttpServer, request: &[u8]) -> RawResponse {
    tokio::time::timeout(STEP, async {
        let mut stream = TcpStream::connect(server.local_addr()).await.unwrap();
        stream.write_all(request).await.unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).await.unwrap();
        parse_response(&bytes)
    })
    .await
    .expect("the server answered in time")
}

fn parse_response(bytes: &[u8]) -> RawResponse {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(bytes)));
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    RawResponse {
        status,
        headers,
        body: bytes[split + 4..].to_vec(),
    }
}
