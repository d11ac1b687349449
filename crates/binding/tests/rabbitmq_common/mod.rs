//! Shared pieces of the RabbitMQ tests: one three-node cluster per test binary,
//! shared by the tests that run at the same time, and builders that reach a given
//! node with quick reconnects and waits long enough for a loaded 2-core machine
//! running three Erlang VMs.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod acme_life_cycle;
pub mod figures;

use std::io::Write as _;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use onem2m_binding::driver::ReconnectPolicy;
use onem2m_binding::{Binding, BindingBuilder, Error};
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive};
use onem2m_test_support::{REQUIRE_RABBITMQ_ENV, RabbitCluster, RabbitStart, skip_or_fail_for};

use crate::binding_common::{Scheme, builder};

/// The node the AEs connect to (node 1).
pub const AE_NODE: usize = 0;
/// The node that is stopped during the load (node 2).
pub const STOPPED_NODE: usize = 1;
/// The node the CSE side connects to (node 3).
pub const CSE_NODE: usize = 2;

/// Upper bound for a request's answer and a connection: while a node leaves the
/// cluster, RabbitMQ's MQTT client-id registry (a Raft cluster over the nodes) may
/// elect a new leader before it accepts a CONNECT.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// The cluster the tests of this binary share, and the MQTT URL of each node (read
/// without the lock).
pub struct Shared {
    cluster: Mutex<RabbitCluster>,
    urls: Vec<String>,
}

impl Shared {
    /// `mqtt://127.0.0.1:PORT` of node `index` (from 0).
    pub fn url(&self, index: usize) -> &str {
        &self.urls[index]
    }

    /// The cluster, to stop a node or read its status.
    pub fn cluster(&self) -> MutexGuard<'_, RabbitCluster> {
        self.cluster.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The cluster: started by the first test that asks, stopped when the last test
/// holding it is done. `None` when `rabbitmq-server` is not installed (the test has
/// printed its SKIPPED line and returns).
pub fn shared_cluster() -> Option<Arc<Shared>> {
    static SHARED: Mutex<Weak<Shared>> = Mutex::new(Weak::new());
    let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(cluster) = shared.upgrade() {
        return Some(cluster);
    }
    let cluster = start_cluster()?;
    let urls = (0..cluster.len())
        .map(|i| cluster.node(i).mqtt_url())
        .collect();
    let cluster = Arc::new(Shared {
        cluster: Mutex::new(cluster),
        urls,
    });
    *shared = Arc::downgrade(&cluster);
    Some(cluster)
}

/// A three-node cluster of its own, or `None` (after the SKIPPED line) when
/// `rabbitmq-server` is not installed.
pub fn start_cluster() -> Option<RabbitCluster> {
    let started = std::time::Instant::now();
    match RabbitCluster::start(3) {
        Ok(RabbitStart::Running(cluster)) => {
            // Past the test harness's capture: start-up is most of the tests' time.
            let _ = writeln!(
                std::io::stderr(),
                "[rabbitmq] three-node cluster ready in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Some(cluster)
        }
        Ok(RabbitStart::Skip { reason }) => {
            skip_or_fail_for(
                REQUIRE_RABBITMQ_ENV,
                "rabbitmq-server not installed",
                &reason,
            );
            None
        }
        Err(e) => panic!("rabbitmq-server is installed but the cluster did not start: {e}"),
    }
}

/// [`binding_common::builder`](crate::binding_common::builder) for `url`, with the
/// waits of [`PATIENCE`].
pub fn patient_builder(url: &str, scheme: Scheme, serialization: &str) -> BindingBuilder {
    builder(url, scheme, serialization)
        .reconnect(ReconnectPolicy::new(
            Duration::from_millis(50),
            Duration::from_millis(500),
        ))
        .connect_timeout(PATIENCE)
        .request_timeout(PATIENCE)
}

/// A CSE `cse_id` on node 3 in the scheme's JSON topics, still to be given its handler.
pub fn cse_on_node_3(shared: &Shared, scheme: Scheme, cse_id: &str) -> BindingBuilder {
    patient_builder(shared.url(CSE_NODE), scheme, "json").cse_id(cse_id)
}

/// An AE `ae_id` of `registrar` on node 1 that waits `wait` for each answer.
pub async fn ae_on_node_1(
    shared: &Shared,
    scheme: Scheme,
    ae_id: &str,
    registrar: &str,
    wait: Duration,
) -> Binding {
    patient_builder(shared.url(AE_NODE), scheme, "json")
        .ae_id(ae_id)
        .registrar(registrar)
        .request_timeout(wait)
        .build()
        .await
        .unwrap()
}

/// A RETRIEVE of `to` from `ae` under `rqi`; the binding fills in `fr`.
pub async fn retrieve_from(ae: &Binding, to: &str, rqi: &str) -> Result<ResponsePrimitive, Error> {
    let mut request = RequestPrimitive::retrieve(to, "", rqi);
    request.fr = None;
    ae.originator().request(request).await
}
