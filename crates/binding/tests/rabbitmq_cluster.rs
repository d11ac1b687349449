//! The binding on a three-node RabbitMQ cluster (Debian's `rabbitmq-server` 3.10 with
//! its MQTT plugin): AEs connect to node 1, the CSE side to node 3, so every message
//! crosses the cluster. Skipped when RabbitMQ is not installed, unless
//! `ONEM2M_REQUIRE_RABBITMQ=1`. The tests share one cluster.
//!
//! Besides the interop scenario and the loss of a node under load, the tests pin
//! down where RabbitMQ differs from Mosquitto (`docs/scaling.md`, "Broker
//! requirements"), each difference with the configuration that tolerates it.
//! `cargo xtask cluster` runs these tests, then the throughput figures
//! (`examples/cluster_figures.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod acme_common;
mod binding_common;
mod faults_common;
mod rabbitmq_common;

use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use binding_common::{Echo, Scheme, expect_on, raw_client};
use faults_common::{Ledger, answers};
use onem2m_binding::Error;
use onem2m_primitive::RequestPrimitive;
use onem2m_test_support::raw_mqtt::{RawMqttClient, publish, subscribe};
use onem2m_test_support::{Acme, AcmeStart, REQUIRE_ACME_ENV, skip_or_fail_for};
use rabbitmq_common::{
    AE_NODE, CSE_NODE, PATIENCE, STOPPED_NODE, ae_on_node_1, cse_on_node_3, retrieve_from,
    shared_cluster,
};
use tokio::net::TcpStream;
use tokio::task::JoinSet;

/// Requests of the load during which node 2 stops.
const LOAD: usize = 5_000;
/// Of them in flight at once.
const LOAD_IN_FLIGHT: usize = 64;
/// Answers received before node 2 begins to stop.
const STOP_AFTER: usize = 500;
/// Requests sent before the rest wait for node 2 to be down.
const GATE: usize = 4_000;
/// The load sends at most one request per this interval, so that it lasts longer
/// than the stop (about 2 s) on any machine.
const PACE: Duration = Duration::from_millis(1);
/// How long a test waits for a request the broker never delivers.
const UNDELIVERED: Duration = Duration::from_secs(3);

/// Prints past the test harness's capture: the timings are the point.
fn note(text: &str) {
    let _ = writeln!(std::io::stderr(), "[rabbitmq] {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ae_on_node_1_registers_stores_is_notified_and_deletes_on_acme_on_node_3() {
    let Some(shared) = shared_cluster() else {
        return;
    };
    let started = Instant::now();
    let port = shared.cluster().node(CSE_NODE).ports().mqtt;
    let acme = match Acme::start(port) {
        Ok(AcmeStart::Running(acme)) => acme,
        Ok(AcmeStart::Skip { reason }) => {
            skip_or_fail_for(REQUIRE_ACME_ENV, "ACME not installed", &reason);
            return;
        }
        Err(e) => panic!("ACME is installed but did not start on RabbitMQ node 3: {e}"),
    };
    rabbitmq_common::acme_life_cycle::life_cycle(shared.url(AE_NODE), &acme).await;
    note(&format!(
        "ACME interop across the cluster in {:.1} s",
        started.elapsed().as_secs_f64()
    ));
}

/// Node 2 is stopped (`rabbitmqctl stop`) while requests flow, paced, from an AE on
/// node 1 to a CSE on node 3: its stop begins after [`STOP_AFTER`] answers, and the
/// requests from [`GATE`] on wait until it is down, so that requests are in flight
/// while it leaves and after it has left. Every request is answered, and handled, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_node_2_under_load_loses_no_request_and_runs_none_twice() {
    let Some(shared) = shared_cluster() else {
        return;
    };
    let ledger = Ledger::default();
    let cse = cse_on_node_3(&shared, Scheme::Ts0010, "/load-cse")
        .handler(ledger.clone())
        .build()
        .await
        .unwrap();
    let ae = ae_on_node_1(&shared, Scheme::Ts0010, "Cload", "/load-cse", PATIENCE).await;

    let started = Instant::now();
    let answered = Arc::new(AtomicUsize::new(0));
    let (node_down, down) = tokio::sync::watch::channel(false);
    let mut load = JoinSet::new();
    for worker in 0..LOAD_IN_FLIGHT {
        let originator = ae.originator();
        let answered = Arc::clone(&answered);
        let mut down = down.clone();
        load.spawn(async move {
            let mut wrong = Vec::new();
            for i in (worker..LOAD).step_by(LOAD_IN_FLIGHT) {
                tokio::time::sleep_until((started + PACE * i as u32).into()).await;
                if i >= GATE {
                    down.wait_for(|down| *down).await.unwrap();
                }
                let rqi = format!("load-{i}");
                let request = RequestPrimitive::retrieve("cse-in", "Cload", &rqi);
                match originator.request(request).await {
                    Ok(response) if answers(&response, &rqi) => {}
                    other => wrong.push(format!("{rqi}: {other:?}")),
                }
                answered.fetch_add(1, Ordering::Relaxed);
            }
            wrong
        });
    }
    while answered.load(Ordering::Relaxed) < STOP_AFTER {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let stopping = Instant::now();
    let stopper = Arc::clone(&shared);
    tokio::task::spawn_blocking(move || stopper.cluster().node_mut(STOPPED_NODE).stop().unwrap())
        .await
        .unwrap();
    let at_stop = answered.load(Ordering::Relaxed);
    node_down.send(true).unwrap();
    note(&format!(
        "node 2 stopped in {:.1} s, beginning after {STOP_AFTER} answers; {} answered meanwhile",
        stopping.elapsed().as_secs_f64(),
        at_stop - STOP_AFTER.min(at_stop),
    ));
    assert!(
        at_stop > STOP_AFTER,
        "no request was answered while node 2 stopped"
    );
    let mut wrong = Vec::new();
    while let Some(worker) = load.join_next().await {
        wrong.extend(worker.unwrap());
    }
    let elapsed = started.elapsed();

    assert!(
        wrong.is_empty(),
        "{} wrong or missing answers: {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(10)]
    );
    assert_eq!(
        ledger.handled().len(),
        LOAD,
        "every request reached the CSE"
    );
    assert_eq!(ledger.run_twice(), Vec::<String>::new());
    assert_eq!(ledger.invocations(), LOAD);
    let running = shared.cluster().running_nodes(AE_NODE).unwrap();
    assert_eq!(running, ["onem2m-r1@localhost", "onem2m-r3@localhost"]);
    note(&format!(
        "{LOAD} requests ({LOAD_IN_FLIGHT} in flight) node 1 -> node 3, node 2 stopped \
         midway, {} after it was down: all answered once in {:.1} s",
        LOAD - at_stop,
        elapsed.as_secs_f64()
    ));
    ae.shutdown().await;
    cse.shutdown().await;
}

/// RabbitMQ 3.10 has no shared subscriptions: `$share/<group>/<filter>` is taken as
/// an ordinary filter whose first levels are `$share` and the group, which no
/// request topic has. Tolerated by configuration: on RabbitMQ, run one receiver per
/// CSE-ID, without `shared_subscription`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_in_a_shared_subscription_group_gets_no_request_on_rabbitmq() {
    let Some(shared) = shared_cluster() else {
        return;
    };
    let member_echo = Echo::default();
    let member = cse_on_node_3(&shared, Scheme::Ts0010, "/share-cse")
        .client_id("share-member-0")
        .shared_subscription("share-cse")
        .handler(member_echo.handler())
        .build()
        .await
        .expect("RabbitMQ grants the $share subscription");
    let ae = ae_on_node_1(&shared, Scheme::Ts0010, "Cshare", "/share-cse", UNDELIVERED).await;
    let lost = retrieve_from(&ae, "cse-in", "share-1").await;
    assert!(matches!(lost, Err(Error::Timeout { .. })), "{lost:?}");

    // The same receiver without the group gets the next request.
    let plain_echo = Echo::default();
    let plain = cse_on_node_3(&shared, Scheme::Ts0010, "/share-cse")
        .client_id("share-plain")
        .handler(plain_echo.handler())
        .build()
        .await
        .unwrap();
    let rqi = "share-2";
    let response = retrieve_from(&ae, "cse-in", rqi).await.unwrap();
    assert!(answers(&response, rqi), "{response:?}");
    assert_eq!(member_echo.calls(), 0, "the group member got a request");
    assert_eq!(plain_echo.calls(), 1);
    for binding in [ae, member, plain] {
        binding.shutdown().await;
    }
}

/// RabbitMQ 3.10 does not do QoS 2: a subscription asking for it is granted QoS 1,
/// and a QoS 2 PUBLISH is acknowledged with PUBACK (QoS 1's handshake), not PUBREC,
/// and delivered at QoS 1. Tolerated by configuration: the binding publishes and
/// subscribes at QoS 1 (its default, TS-0010's choice).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn qos_2_is_granted_acknowledged_and_delivered_as_qos_1() {
    let Some(shared) = shared_cluster() else {
        return;
    };
    let topic = "onem2m/qos2/probe";
    let connect = |url: &str| {
        let addr = binding_common::addr_of(url);
        async move {
            let mut client = RawMqttClient::new(TcpStream::connect(addr).await.unwrap());
            client
                .connect(&format!("qos2-{}", addr.port()))
                .await
                .unwrap();
            client
        }
    };
    let mut subscriber = connect(shared.url(CSE_NODE)).await;
    subscriber.send(&subscribe(1, topic, 2)).await.unwrap();
    let suback = subscriber.read_packet().await.unwrap().to_bytes();
    assert_eq!(
        suback,
        [0x90, 0x03, 0x00, 0x01, 0x01],
        "SUBACK grants QoS 1"
    );

    let mut publisher = connect(shared.url(AE_NODE)).await;
    publisher
        .send(&publish(topic, b"exactly once?", 2, 7))
        .await
        .unwrap();
    let ack = publisher.read_packet().await.unwrap().to_bytes();
    assert_eq!(ack, [0x40, 0x02, 0x00, 0x07], "PUBACK, not PUBREC (0x50)");
    let delivered = expect_on(&mut subscriber, topic).await;
    assert_eq!(delivered.qos, 1);
    assert_eq!(delivered.payload, b"exactly once?");
}

/// RabbitMQ maps an MQTT topic to an AMQP routing key by turning `/` into `.`, so a
/// `.` inside a topic level splits it in two: the TS-0010 request topic of an AE-ID
/// with a dot has a level too many and matches no CSE's filter, and what is
/// delivered (here to a `#` observer) comes back with `/` where the dot was.
/// Tolerated by configuration: IDs without `.` (which the serializations' topic
/// levels `xml`, `json`, `cbor` and the SP-relative ID forms satisfy).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dot_in_an_ae_id_splits_its_topic_level_and_the_request_reaches_no_cse() {
    let Some(shared) = shared_cluster() else {
        return;
    };
    let cse_echo = Echo::default();
    let cse = cse_on_node_3(&shared, Scheme::Ts0010, "/dot-cse")
        .handler(cse_echo.handler())
        .build()
        .await
        .unwrap();
    let mut observer = raw_client(
        binding_common::addr_of(shared.url(CSE_NODE)),
        "dot-observer",
        "/oneM2M/req/dot-cse:Cdot.1/#",
    )
    .await;
    let dotted = ae_on_node_1(&shared, Scheme::Ts0010, "Cdot.1", "/dot-cse", UNDELIVERED).await;
    let lost = retrieve_from(&dotted, "cse-in", "dot-1").await;
    assert!(matches!(lost, Err(Error::Timeout { .. })), "{lost:?}");
    assert_eq!(cse_echo.calls(), 0);
    let seen = expect_on(&mut observer, "/oneM2M/req/dot-cse:Cdot/1/dot-cse/json").await;
    assert!(!seen.payload.is_empty());

    // The same AE with `-` instead of `.` is answered.
    let dashed = ae_on_node_1(&shared, Scheme::Ts0010, "Cdot-1", "/dot-cse", PATIENCE).await;
    let response = retrieve_from(&dashed, "cse-in", "dot-2").await.unwrap();
    assert!(answers(&response, "dot-2"), "{response:?}");
    for binding in [dotted, dashed, cse] {
        binding.shutdown().await;
    }
}

/// The draft scheme's filters end in `#`, so a dotted level in a request topic (a
/// resource name with a dot in `to`) still reaches the CSE, which reads the target
/// from the primitive. The response to a dotted originator, though, is delivered
/// under a topic that names another entity (`.../Cdot/2/resp`), which the AE does
/// not take as its own: the request times out although the CSE answered it.
/// Tolerated by configuration as in the TS-0010 scheme: IDs without `.`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_draft_scheme_a_dotted_target_is_served_but_a_dotted_originator_loses_its_answer()
{
    let Some(shared) = shared_cluster() else {
        return;
    };
    let cse_echo = Echo::default();
    let cse = cse_on_node_3(&shared, Scheme::Draft, "/ddot-cse")
        .handler(cse_echo.handler())
        .build()
        .await
        .unwrap();
    let mut observer = raw_client(
        binding_common::addr_of(shared.url(AE_NODE)),
        "ddot-observer",
        "/oneM2M/ddot-cse/Cdot.2/#",
    )
    .await;
    let dashed = ae_on_node_1(&shared, Scheme::Draft, "Cdot-2", "/ddot-cse", PATIENCE).await;
    let response = retrieve_from(&dashed, "cse-in/my.box", "ddot-1")
        .await
        .unwrap();
    assert!(answers(&response, "ddot-1"), "{response:?}");

    let dotted = ae_on_node_1(&shared, Scheme::Draft, "Cdot.2", "/ddot-cse", UNDELIVERED).await;
    let originator = dotted.originator();
    let lost = tokio::spawn(async move {
        originator
            .request(RequestPrimitive::retrieve("cse-in", "Cdot.2", "ddot-2"))
            .await
    });
    let seen = expect_on(&mut observer, "/oneM2M/ddot-cse/Cdot/2/resp").await;
    assert!(!seen.payload.is_empty());
    assert_eq!(cse_echo.calls(), 2, "the CSE answered both");
    let lost = lost.await.unwrap();
    assert!(matches!(lost, Err(Error::Timeout { .. })), "{lost:?}");
    for binding in [dotted, dashed, cse] {
        binding.shutdown().await;
    }
}
