//! The baseline a Rust user would write without this project: rumqttc 0.25 (no TLS
//! features, TCP_NODELAY on) and serde_json `Value`s, the same topics, the same JSON
//! primitives and the same correlation by `rqi`. The receiver handles each request in a
//! task of its own, as ours does; the originator keeps a map of pending `rqi`s.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rumqttc::{AsyncClient, Event, EventLoop, MqttOptions, Packet, QoS};
use serde_json::{Value, json};
use tokio::sync::oneshot;

use crate::Error;
use crate::drive::measure;
use crate::exchange::{CONTENT, CONTENT_FORMAT, TARGET, ae_id};
use crate::spec::{WorkerReport, WorkerSpec};

type Pending = Arc<Mutex<HashMap<String, oneshot::Sender<Value>>>>;

/// Runs the spec with rumqttc + serde_json (TCP only).
pub async fn run(spec: &WorkerSpec) -> Result<WorkerReport, Error> {
    let (host, port) = host_port(&spec.url)?;
    let capacity = spec.in_flight.max(1) * 2 + 16;
    let (cse, events) = AsyncClient::new(options("bench-rumqttc-cse", &host, port, spec), capacity);
    cse.subscribe("/oneM2M/req/+/id-in/json", QoS::AtLeastOnce)
        .await
        .map_err(setup)?;
    let subscribed = spawn_receiver(cse, events);
    subscribed.await.map_err(setup)?;

    let mut originators = Vec::with_capacity(spec.originators.max(1));
    for index in 0..spec.originators.max(1) {
        let ae = ae_id(index);
        let (client, events) = AsyncClient::new(
            options(&format!("bench-rumqttc-{ae}"), &host, port, spec),
            capacity,
        );
        client
            .subscribe(format!("/oneM2M/resp/{ae}/id-in/json"), QoS::AtLeastOnce)
            .await
            .map_err(setup)?;
        let pending: Pending = Arc::default();
        spawn_originator(events, Arc::clone(&pending))
            .await
            .map_err(setup)?;
        originators.push(Arc::new(RumqttcOriginator {
            request_topic: format!("/oneM2M/req/{ae}/id-in/json"),
            ae,
            client,
            pending,
            next_rqi: AtomicU64::new(0),
        }));
    }
    let originators: Arc<[Arc<RumqttcOriginator>]> = originators.into();
    measure(spec, move |lane| {
        let originator = Arc::clone(&originators[lane % originators.len()]);
        async move { originator.exchange().await }
    })
    .await
}

fn setup(e: impl std::fmt::Display) -> Error {
    Error::Setup {
        stack: "rumqttc".into(),
        cause: e.to_string(),
    }
}

fn failed(e: impl std::fmt::Display) -> Error {
    Error::Request {
        stack: "rumqttc".into(),
        cause: e.to_string(),
    }
}

fn host_port(url: &str) -> Result<(String, u16), Error> {
    let rest = url.strip_prefix("mqtt://").ok_or_else(|| {
        setup(format!(
            "the rumqttc baseline runs over mqtt:// only, not {url}"
        ))
    })?;
    let (host, port) = rest
        .rsplit_once(':')
        .ok_or_else(|| setup(format!("no port in {url}")))?;
    let port = port.parse().map_err(setup)?;
    Ok((host.to_owned(), port))
}

fn options(client_id: &str, host: &str, port: u16, spec: &WorkerSpec) -> MqttOptions {
    let mut options = MqttOptions::new(client_id, host, port);
    options.set_keep_alive(Duration::from_secs(60));
    options.set_clean_session(true);
    options.set_inflight(u16::try_from(spec.in_flight.clamp(100, 65_000)).unwrap_or(u16::MAX));
    options.set_max_packet_size(256 * 1024, 256 * 1024);
    options
}

/// Without TCP_NODELAY (rumqttc's default) every QoS 1 exchange stalls for about
/// 40 ms on Nagle's algorithm against delayed ACKs.
fn with_nodelay(mut events: EventLoop) -> EventLoop {
    let mut network = rumqttc::NetworkOptions::new();
    network.set_tcp_nodelay(true);
    events.set_network_options(network);
    events
}

/// Polls an event loop, handing each incoming PUBLISH to `on_publish`. The returned
/// receiver fires once the subscription is acknowledged.
fn spawn_poll<F>(events: EventLoop, role: &'static str, mut on_publish: F) -> oneshot::Receiver<()>
where
    F: FnMut(rumqttc::Publish) + Send + 'static,
{
    let (ready, subscribed) = oneshot::channel();
    let mut events = with_nodelay(events);
    tokio::spawn(async move {
        let mut ready = Some(ready);
        loop {
            match events.poll().await {
                Ok(Event::Incoming(Packet::SubAck(_))) => {
                    if let Some(ready) = ready.take() {
                        let _ = ready.send(());
                    }
                }
                Ok(Event::Incoming(Packet::Publish(publish))) => on_publish(publish),
                Ok(_) => {}
                Err(e) => {
                    eprintln!("rumqttc {role}: {e}");
                    return;
                }
            }
        }
    });
    subscribed
}

/// The CSE: each request is answered by a task of its own, as ours does.
fn spawn_receiver(cse: AsyncClient, events: EventLoop) -> oneshot::Receiver<()> {
    spawn_poll(events, "receiver", move |publish| {
        let cse = cse.clone();
        tokio::spawn(async move {
            if let Err(e) = answer(&cse, &publish.topic, &publish.payload).await {
                eprintln!("rumqttc receiver: {e}");
            }
        });
    })
}

/// Decodes a request, answers 2001 with its content on the response topic.
async fn answer(cse: &AsyncClient, topic: &str, payload: &[u8]) -> Result<(), Error> {
    let mut request: Value = serde_json::from_slice(payload).map_err(failed)?;
    let originator = topic
        .strip_prefix("/oneM2M/req/")
        .and_then(|rest| rest.split('/').next())
        .ok_or_else(|| failed(format!("not a request topic: {topic}")))?;
    let response = json!({
        "rsc": 2001,
        "rqi": request["rqi"].take(),
        "to": request["fr"].take(),
        "rvi": request["rvi"].take(),
        "pc": request["pc"].take(),
    });
    let bytes = serde_json::to_vec(&response).map_err(failed)?;
    cse.publish(
        format!("/oneM2M/resp/{originator}/id-in/json"),
        QoS::AtLeastOnce,
        false,
        bytes,
    )
    .await
    .map_err(failed)
}

/// An originator's event loop: each response goes to the request with its `rqi`.
fn spawn_originator(events: EventLoop, pending: Pending) -> oneshot::Receiver<()> {
    spawn_poll(events, "originator", move |publish| {
        let Ok(response) = serde_json::from_slice::<Value>(&publish.payload) else {
            eprintln!("rumqttc originator: undecodable response");
            return;
        };
        let waiter = response["rqi"]
            .as_str()
            .and_then(|rqi| pending.lock().map(|mut p| p.remove(rqi)).ok().flatten());
        if let Some(waiter) = waiter {
            let _ = waiter.send(response);
        }
    })
}

struct RumqttcOriginator {
    ae: String,
    request_topic: String,
    client: AsyncClient,
    pending: Pending,
    next_rqi: AtomicU64,
}

impl RumqttcOriginator {
    async fn exchange(&self) -> Result<(), Error> {
        let rqi = format!(
            "{}-{}",
            self.ae,
            self.next_rqi.fetch_add(1, Ordering::Relaxed)
        );
        let request = json!({
            "op": 1,
            "to": TARGET,
            "fr": self.ae,
            "rqi": rqi,
            "rvi": "3",
            "ty": 4,
            "pc": {"m2m:cin": {"cnf": CONTENT_FORMAT, "con": CONTENT}},
        });
        let bytes = serde_json::to_vec(&request).map_err(failed)?;
        let (tx, rx) = oneshot::channel();
        self.pending
            .lock()
            .map_err(|_| failed("pending map poisoned"))?
            .insert(rqi, tx);
        self.client
            .publish(self.request_topic.as_str(), QoS::AtLeastOnce, false, bytes)
            .await
            .map_err(failed)?;
        let response = tokio::time::timeout(Duration::from_secs(60), rx)
            .await
            .map_err(|_| failed("no response within 60 s"))?
            .map_err(failed)?;
        match response["rsc"].as_i64() {
            Some(2001) => Ok(()),
            other => Err(failed(format!("answered {other:?}"))),
        }
    }
}
