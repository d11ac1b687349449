//! How much the gateway adds: p50/p99 of a RETRIEVE, measured side by side in one run.
//!
//! - Against ACME (its CSEBase, as its admin): over ACME's own MQTT binding; over plain
//!   HTTP; over MQTT through the gateway to ACME's HTTP port.
//! - Against peers that answer at once, to isolate the gateway's own cost: an MQTT
//!   receiver built with the binding; an HTTP server of `onem2m-http-binding`; the
//!   gateway in front of that HTTP server. The gateway's own share is
//!   `through the gateway - MQTT alone - HTTP alone`.
//!
//! Run: `cargo xtask gateway-bench [--requests N]` (a release build; needs Mosquitto
//! and ACME: `.ci/run` makes `target/acme-venv`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use onem2m_bench::latency::Latencies;
use onem2m_binding::topic::AeIdForm;
use onem2m_binding::{Binding, BindingBuilder, Originator, Ts0010Scheme};
use onem2m_gateway::Gateway;
use onem2m_http_binding::{BodyFormat, HttpOriginator, HttpServer, IncomingRequest};
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, ResponseStatusCode};
use onem2m_serialization::JsonSerializer;
use onem2m_test_support::{Acme, AcmeStart, Mosquitto, MosquittoStart, acme_identity};

const CSE_ID: &str = acme_identity::CSE_ID;
const WARM_UP: usize = 200;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let requests: usize = std::env::args()
        .nth(1)
        .map(|n| n.parse().expect("the number of requests"))
        .unwrap_or(2000);
    let broker = match Mosquitto::start().unwrap() {
        MosquittoStart::Running(broker) => broker,
        MosquittoStart::Skip { reason } => panic!("needs Mosquitto: {reason}"),
    };
    let url = broker.mqtt_url();
    let mut rows = Vec::new();

    // Peers that answer at once.
    let instant_cse = mqtt_side(&url, "instant-cse")
        .cse_id(CSE_ID)
        .handler(|request: RequestPrimitive, _ctx| {
            std::future::ready(ResponsePrimitive::answering(
                &request,
                ResponseStatusCode::OK,
            ))
        })
        .build()
        .await
        .unwrap();
    let ae = admin(&url).await;
    rows.push((
        "instant peers",
        "MQTT",
        measure_mqtt(&ae.originator(), requests).await,
    ));
    instant_cse.shutdown().await;
    let instant_http = HttpServer::bind(
        "127.0.0.1:0".parse().unwrap(),
        |incoming: IncomingRequest| async move {
            ResponsePrimitive::answering(&incoming.primitive, ResponseStatusCode::OK)
        },
    )
    .await
    .unwrap();
    let http = HttpOriginator::new(&instant_http.url()).unwrap();
    rows.push(("instant peers", "HTTP", measure_http(&http, requests).await));
    let front = gateway(&url, &instant_http.url()).await;
    rows.push((
        "instant peers",
        "MQTT through the gateway to HTTP",
        measure_mqtt(&ae.originator(), requests).await,
    ));
    front.shutdown().await;
    instant_http.shutdown().await;

    // ACME.
    let mut acme = started(Acme::start(broker.ports().mqtt));
    rows.push((
        "ACME",
        "MQTT (ACME's binding)",
        measure_mqtt(&ae.originator(), requests).await,
    ));
    acme.stop().unwrap();
    let acme = started(Acme::start_http_only());
    let http = HttpOriginator::new(&acme.http_url()).unwrap();
    rows.push(("ACME", "HTTP", measure_http(&http, requests).await));
    let front = gateway(&url, &acme.http_url()).await;
    rows.push((
        "ACME",
        "MQTT through the gateway to HTTP",
        measure_mqtt(&ae.originator(), requests).await,
    ));
    front.shutdown().await;
    ae.shutdown().await;

    println!(
        "RETRIEVE of the CSEBase, {requests} sequential requests each after {WARM_UP} warm-up, JSON, loopback"
    );
    println!("| peer | path | p50 (ms) | p99 (ms) |");
    println!("|---|---|---|---|");
    for (peer, path, latencies) in &rows {
        println!(
            "| {peer} | {path} | {:.3} | {:.3} |",
            latencies.quantile_us(0.5) / 1000.0,
            latencies.quantile_us(0.99) / 1000.0
        );
    }
    let p50 = |i: usize| rows[i].2.quantile_us(0.5) / 1000.0;
    println!(
        "gateway's own share of the p50 with instant peers: {:.3} ms (gateway {:.3} - MQTT {:.3} - HTTP {:.3})",
        p50(2) - p50(0) - p50(1),
        p50(2),
        p50(0),
        p50(1)
    );
    println!(
        "through the gateway vs ACME's own MQTT binding, p50: {:+.3} ms",
        p50(5) - p50(3)
    );
}

fn started(start: Result<AcmeStart, onem2m_test_support::Error>) -> Acme {
    match start.unwrap() {
        AcmeStart::Running(acme) => acme,
        AcmeStart::Skip { reason } => panic!("needs ACME: {reason}"),
    }
}

/// A builder on `url` with the scheme ACME uses, JSON, and client id `client_id`.
fn mqtt_side(url: &str, client_id: &str) -> BindingBuilder {
    Binding::builder()
        .url(url)
        .unwrap()
        .topic_scheme(Ts0010Scheme::new().with_ae_id_form(AeIdForm::Stem))
        .serializer(JsonSerializer::new())
        .client_id(client_id)
        .request_timeout(Duration::from_secs(20))
}

async fn admin(url: &str) -> Binding {
    mqtt_side(url, "bench-admin")
        .ae_id(acme_identity::ADMIN)
        .registrar(CSE_ID)
        .build()
        .await
        .unwrap()
}

async fn gateway(url: &str, cse_url: &str) -> Gateway {
    Gateway::builder()
        .mqtt(mqtt_side(url, "bench-gateway"))
        .cse_id(CSE_ID)
        .cse_url(cse_url)
        .start()
        .await
        .unwrap()
}

fn retrieve() -> RequestPrimitive {
    RequestPrimitive::retrieve(acme_identity::CSE_NAME, acme_identity::ADMIN, "")
}

async fn measure_mqtt(originator: &Originator, requests: usize) -> Latencies {
    let mut latencies = Latencies::new().unwrap();
    for i in 0..WARM_UP + requests {
        let started = Instant::now();
        let response = originator.request(retrieve()).await.unwrap();
        assert_eq!(response.rsc, ResponseStatusCode::OK, "{response:?}");
        if i >= WARM_UP {
            latencies.record(started.elapsed());
        }
    }
    latencies
}

async fn measure_http(client: &HttpOriginator, requests: usize) -> Latencies {
    let mut latencies = Latencies::new().unwrap();
    for i in 0..WARM_UP + requests {
        let mut request = retrieve();
        request.rqi = format!("http-{i}");
        let started = Instant::now();
        let response = client.send(&request, BodyFormat::Json).await.unwrap();
        assert_eq!(response.rsc, ResponseStatusCode::OK, "{response:?}");
        if i >= WARM_UP {
            latencies.record(started.elapsed());
        }
    }
    latencies
}
