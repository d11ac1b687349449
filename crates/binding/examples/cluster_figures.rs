//! The throughput figures of issue 12: requests per second and p50/p99 of QoS 1
//! request/response pairs through a three-node RabbitMQ cluster (AE on node 1, CSE on
//! node 3), on one RabbitMQ node and on Mosquitto, with RabbitMQ's default
//! `mqtt.prefetch` and with it raised. Run by `cargo xtask cluster` after the cluster
//! tests (`tests/rabbitmq_cluster.rs`), alone on the machine; figures in
//! `docs/scaling.md`. Needs Debian's `rabbitmq-server` and `mosquitto`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/acme_common/mod.rs"]
mod acme_common;
#[path = "../tests/binding_common/mod.rs"]
mod binding_common;
#[path = "../tests/rabbitmq_common/mod.rs"]
mod rabbitmq_common;

use binding_common::{Echo, Scheme};
use onem2m_test_support::{RabbitCluster, RabbitNode, RabbitStart};
use rabbitmq_common::{AE_NODE, CSE_NODE, patient_builder};

/// Sequential pairs per path in the figures.
const FIGURES_SEQUENTIAL: usize = 2_000;
/// Pipelined pairs per path in the figures.
const FIGURES_PIPELINED: usize = 20_000;
/// Requests in flight in the pipelined phase.
const FIGURES_IN_FLIGHT: usize = 64;

/// Requests per second and p50/p99 of QoS 1 pairs AE -> CSE receiver, one request at
/// a time and [`FIGURES_IN_FLIGHT`] at once: through the three-node cluster (AE on
/// node 1, CSE on node 3), on one RabbitMQ node, and on Mosquitto, each broker
/// running alone while it is measured. `cargo xtask cluster` runs it.
#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    /// Raised from its default of 10: how many requests a receiver may hold
    /// unacknowledged (see docs/scaling.md).
    const PREFETCH: &str = "mqtt.prefetch = 100";
    let mut rows = Vec::new();
    for (path, config) in [
        ("RabbitMQ 3-node cluster, AE on node 1, CSE on node 3", ""),
        (
            "RabbitMQ 3-node cluster, AE on node 1, CSE on node 3, mqtt.prefetch = 100",
            PREFETCH,
        ),
    ] {
        let cluster = match RabbitCluster::start_with(3, config).unwrap() {
            RabbitStart::Running(cluster) => cluster,
            RabbitStart::Skip { reason } => panic!("{reason}"),
        };
        let (ae, cse) = (
            cluster.node(AE_NODE).mqtt_url(),
            cluster.node(CSE_NODE).mqtt_url(),
        );
        rows.extend(figures_for(path, &ae, &cse).await);
    }
    for (path, config) in [
        ("RabbitMQ single node", ""),
        ("RabbitMQ single node, mqtt.prefetch = 100", PREFETCH),
    ] {
        let node = match RabbitNode::start_with(config).unwrap() {
            RabbitStart::Running(node) => node,
            RabbitStart::Skip { reason } => panic!("{reason}"),
        };
        let url = node.mqtt_url();
        rows.extend(figures_for(path, &url, &url).await);
    }
    {
        let broker = match onem2m_test_support::Mosquitto::start().unwrap() {
            onem2m_test_support::MosquittoStart::Running(broker) => broker,
            onem2m_test_support::MosquittoStart::Skip { reason } => panic!("{reason}"),
        };
        let url = broker.mqtt_url();
        rows.extend(figures_for("Mosquitto", &url, &url).await);
    }
    let table = rabbitmq_common::figures::table(&rows);
    println!("\n[figures]\n{table}");
}

/// The sequential and the pipelined figures of an AE on `ae_url` and an echoing CSE
/// on `cse_url`.
async fn figures_for(
    path: &str,
    ae_url: &str,
    cse_url: &str,
) -> Vec<rabbitmq_common::figures::Figures> {
    use binding_common::{AE_ID, CSE_ID};
    use rabbitmq_common::figures::measure;
    let echo = Echo::default();
    let cse = patient_builder(cse_url, Scheme::Ts0010, "json")
        .cse_id(CSE_ID)
        .handler(echo.handler())
        .build()
        .await
        .unwrap();
    let ae = patient_builder(ae_url, Scheme::Ts0010, "json")
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .build()
        .await
        .unwrap();
    let originator = ae.originator();
    let rows = vec![
        measure(&originator, path, FIGURES_SEQUENTIAL, 1).await,
        measure(&originator, path, FIGURES_PIPELINED, FIGURES_IN_FLIGHT).await,
    ];
    eprintln!("{path}: {rows:?}");
    ae.shutdown().await;
    cse.shutdown().await;
    rows
}
