//! Shared pieces of the binding's end-to-end tests: a CSE and an AE on a broker, a raw
//! observer subscribed to `#`, and a handler that counts its calls.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use onem2m_binding::driver::ReconnectPolicy;
use onem2m_binding::{Binding, BindingBuilder, DraftScheme, RequestContext, Ts0010Scheme};
use onem2m_primitive::{Map, RequestPrimitive, ResponsePrimitive, ResponseStatusCode, Value};
use onem2m_serialization::{CborSerializer, JsonSerializer, Serializer, XmlSerializer};
use onem2m_test_support::raw_mqtt::{RawMqttClient, ReceivedPublish};
use tokio::net::TcpStream;
use tokio::time::timeout;

pub const CSE_ID: &str = "/id-in";
pub const AE_ID: &str = "CAE01";
/// Upper bound for any single wait.
pub const STEP: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Ts0010,
    Draft,
}

pub mod scenarios;

pub const SCHEMES: [Scheme; 2] = [Scheme::Ts0010, Scheme::Draft];
pub const SERIALIZATIONS: [&str; 3] = ["xml", "json", "cbor"];

pub fn serializer(name: &str) -> Box<dyn Serializer> {
    match name {
        "xml" => Box::new(XmlSerializer::new()),
        "json" => Box::new(JsonSerializer::new()),
        "cbor" => Box::new(CborSerializer::new()),
        other => panic!("no serializer {other}"),
    }
}

/// A builder for `url` with the scheme and the serialization, quick reconnects.
pub fn builder(url: &str, scheme: Scheme, serialization: &str) -> BindingBuilder {
    let builder = Binding::builder()
        .url(url)
        .unwrap()
        .reconnect(ReconnectPolicy::new(
            Duration::from_millis(20),
            Duration::from_millis(200),
        ))
        .request_timeout(Duration::from_secs(5));
    let builder = match scheme {
        Scheme::Ts0010 => builder.topic_scheme(Ts0010Scheme::new()),
        Scheme::Draft => builder.topic_scheme(DraftScheme),
    };
    match serialization {
        "xml" => builder.serializer(XmlSerializer::new()),
        "json" => builder.serializer(JsonSerializer::new()),
        "cbor" => builder.serializer(CborSerializer::new()),
        other => panic!("no serializer {other}"),
    }
}

/// Counts calls and answers 2000 with `{"m2m:dbg": "<rqi>"}` as content, so that a mixed
/// up response is seen.
#[derive(Debug, Clone, Default)]
pub struct Echo {
    pub calls: Arc<AtomicUsize>,
}

impl Echo {
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    pub fn handler(
        &self,
    ) -> impl Fn(RequestPrimitive, RequestContext) -> std::future::Ready<ResponsePrimitive>
    + Send
    + Sync
    + 'static {
        let calls = Arc::clone(&self.calls);
        move |request: RequestPrimitive, _ctx| {
            calls.fetch_add(1, Ordering::SeqCst);
            std::future::ready(echo_response(&request))
        }
    }
}

/// What [`Echo`] answers to `request`.
pub fn echo_response(request: &RequestPrimitive) -> ResponsePrimitive {
    ResponsePrimitive::answering(request, ResponseStatusCode::OK)
        .with_content(onem2m_primitive::debug_info(request.rqi.clone()))
}

/// A retrieve from the AE with a fixed `rqi`, so its bytes are known.
pub fn retrieve(rqi: &str) -> RequestPrimitive {
    RequestPrimitive::retrieve("cse-in", AE_ID, rqi)
}

/// A content map `{"m2m:<root>": {k: v}}`.
pub fn content(root: &str, k: &str, v: &str) -> Value {
    let mut inner = Map::new();
    inner.insert(k, v);
    let mut pc = Map::new();
    pc.insert(root, inner);
    Value::Map(pc)
}

/// A raw MQTT client (not ours) connected to `addr` and subscribed to `filter`.
pub async fn raw_client(
    addr: std::net::SocketAddr,
    client_id: &str,
    filter: &str,
) -> RawMqttClient<TcpStream> {
    let stream = TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let mut client = RawMqttClient::new(stream);
    client.connect(client_id).await.unwrap();
    client.subscribe(1, filter, 1).await.unwrap();
    client
}

/// Reads PUBLISHes until one on `topic` arrives (skipping other packets, such as the
/// PUBACK of a PUBLISH sent by hand).
pub async fn expect_on(client: &mut RawMqttClient<TcpStream>, topic: &str) -> ReceivedPublish {
    timeout(STEP, async {
        loop {
            let got = client.expect_publish().await;
            eprintln!(
                "observer {topic}: {:?}",
                got.as_ref()
                    .map(|p| (p.topic.clone(), p.payload.len(), p.dup, p.packet_id))
            );
            if let Ok(publish) = got
                && publish.topic == topic
            {
                return publish;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("nothing on {topic} in time"))
}

/// Whether anything arrives on `topic` within `wait`.
pub async fn silent_on(client: &mut RawMqttClient<TcpStream>, topic: &str, wait: Duration) -> bool {
    timeout(wait, async {
        loop {
            match client.expect_publish().await {
                Ok(p) if p.topic == topic => return,
                Ok(_) => {}
                // The raw client times out after 5 s without a packet: keep waiting.
                Err(_) => {}
            }
        }
    })
    .await
    .is_err()
}

/// The port of a `mqtt://host:port` URL.
pub fn addr_of(url: &str) -> std::net::SocketAddr {
    url.trim_start_matches("mqtt://").parse().unwrap()
}

/// The request and response topics of the AE's requests to the CSE.
pub fn topics(scheme: Scheme, serialization: &str) -> (String, String) {
    match scheme {
        Scheme::Ts0010 => (
            format!("/oneM2M/req/id-in:CAE01/id-in/{serialization}"),
            format!("/oneM2M/resp/id-in:CAE01/id-in/{serialization}"),
        ),
        Scheme::Draft => (
            "/oneM2M/id-in/cse-in/req".to_owned(),
            "/oneM2M/id-in/CAE01/resp".to_owned(),
        ),
    }
}
