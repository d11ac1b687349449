//! Shared pieces of the ACME interop tests: one Mosquitto and one ACME per test
//! binary, shared by the tests that run at the same time; AEs built with the
//! public builder; a handler that records notifications and answers
//! verification requests as told.
//!
//! Tests share the CSE safely because each registers AEs of its own (names
//! derived from the test's own stem).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod scenarios;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use onem2m_binding::driver::ReconnectPolicy;
use onem2m_binding::topic::AeIdForm;
use onem2m_binding::{Binding, BindingBuilder, Registration, RequestContext, Ts0010Scheme};
use onem2m_primitive::{
    Map, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode, Value,
};
use onem2m_serialization::{CborSerializer, JsonSerializer, XmlSerializer};
use onem2m_test_support::raw_mqtt::RawMqttClient;
use onem2m_test_support::{
    Acme, AcmeStart, Mosquitto, MosquittoStart, REQUIRE_ACME_ENV, acme_identity, skip_or_fail,
    skip_or_fail_for,
};
use onem2m_transport::TlsOptions;
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio::time::timeout;

pub use acme_identity::{ADMIN, CSE_ID, CSE_NAME};

/// Upper bound for any single wait (a loaded 2-core machine, a Python CSE).
pub const STEP: Duration = Duration::from_secs(20);

/// A Mosquitto and the ACME on its plain TCP listener. ACME is stopped (SIGINT)
/// before the broker.
pub struct Suite {
    pub acme: Acme,
    pub broker: Mosquitto,
}

/// The suite the tests of this binary share: started by the first test that asks,
/// stopped when the last test holding it is done. `None` when Mosquitto or ACME
/// is not installed (the test has printed its SKIPPED line and returns).
pub fn suite() -> Option<Arc<Suite>> {
    static SHARED: Mutex<Weak<Suite>> = Mutex::new(Weak::new());
    let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(suite) = shared.upgrade() {
        return Some(suite);
    }
    let broker = match Mosquitto::start().unwrap() {
        MosquittoStart::Running(broker) => broker,
        MosquittoStart::Skip { reason } => {
            skip_or_fail(&reason);
            return None;
        }
    };
    let acme = match Acme::start(broker.ports().mqtt) {
        Ok(AcmeStart::Running(acme)) => acme,
        Ok(AcmeStart::Skip { reason }) => {
            skip_or_fail_for(REQUIRE_ACME_ENV, "ACME not installed", &reason);
            return None;
        }
        Err(e) => panic!("ACME is installed but did not start: {e}"),
    };
    let suite = Arc::new(Suite { acme, broker });
    *shared = Arc::downgrade(&suite);
    Some(suite)
}

/// How our AE reaches the broker (ACME itself is always on plain TCP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Tls,
    WebSocket,
}

impl Suite {
    pub fn url(&self, transport: Transport) -> String {
        match transport {
            Transport::Tcp => self.broker.mqtt_url(),
            Transport::Tls => self.broker.mqtts_url(),
            Transport::WebSocket => self.broker.ws_url(),
        }
    }

    /// The pointOfAccess of an AE on the suite's broker: `mqtt://127.0.0.1:<port>`.
    pub fn poa(&self) -> String {
        format!("mqtt://127.0.0.1:{}", self.broker.ports().mqtt)
    }

    /// ACME's log, the last lines, for assertion messages.
    pub fn acme_log(&self) -> String {
        self.acme.log_tail(60)
    }
}

/// A name unique in this process, for AE names and client ids.
pub fn unique(stem: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!("{stem}{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The TS-0010 scheme writing C-type AE-IDs as bare stems, as ACME addresses AEs
/// (its notifications go to `/oneM2M/req/id-in/<stem>/<type>`).
pub fn stem_scheme() -> Ts0010Scheme {
    Ts0010Scheme::new().with_ae_id_form(AeIdForm::Stem)
}

/// A builder on `transport` in `serialization`, with the scheme ACME needs.
pub fn builder(suite: &Suite, transport: Transport, serialization: &str) -> BindingBuilder {
    let builder = Binding::builder()
        .url(&suite.url(transport))
        .unwrap()
        .tls(TlsOptions::new().ca_file(&suite.broker.pki().ca_cert))
        .topic_scheme(stem_scheme())
        .reconnect(ReconnectPolicy::new(
            Duration::from_millis(20),
            Duration::from_millis(500),
        ))
        .request_timeout(STEP);
    match serialization {
        "json" => builder.serializer(JsonSerializer::new()),
        "cbor" => builder.serializer(CborSerializer::new()),
        "xml" => builder.serializer(XmlSerializer::new()),
        other => panic!("no serializer {other}"),
    }
}

/// The admin (`CAdmin`, allowed everything on ACME) with a client id of its own,
/// so that several tests may act as the admin at once.
pub async fn admin(suite: &Suite) -> Binding {
    builder(suite, Transport::Tcp, "json")
        .ae_id(ADMIN)
        .registrar(CSE_ID)
        .client_id(format!("A::{}", unique("CAdmin-")))
        .build()
        .await
        .unwrap()
}

/// `{"m2m:<root>": {name: value, ...}}`.
pub fn content(root: &str, attributes: &[(&str, Value)]) -> Value {
    let mut inner = Map::new();
    for (name, value) in attributes {
        inner.insert(*name, value.clone());
    }
    let mut pc = Map::new();
    pc.insert(root, inner);
    Value::Map(pc)
}

/// The AE create for resource name `rn`, asking for the AE-ID `fr` (`Cxyz`, or
/// `C` for one ACME assigns), with the suite's broker as pointOfAccess (ACME's own,
/// or the one a gateway in front of ACME uses) and
/// `serialization` as the one it should notify in.
pub fn ae_create(suite: &Suite, rn: &str, fr: &str, serialization: &str) -> RequestPrimitive {
    ae_create_with_poa(rn, fr, serialization, &suite.poa())
}

/// [`ae_create`] with `poa` as the AE's point of access (ACME on another broker).
pub fn ae_create_with_poa(rn: &str, fr: &str, serialization: &str, poa: &str) -> RequestPrimitive {
    let csz = match serialization {
        "cbor" => "application/cbor",
        _ => "application/json",
    };
    let mut request = RequestPrimitive::create(
        CSE_NAME,
        fr,
        "",
        ResourceType::AE,
        content(
            "m2m:ae",
            &[
                ("rn", rn.into()),
                ("api", "Nonem2m-mqtt.interop".into()),
                ("rr", true.into()),
                ("srv", Value::List(vec!["3".into()])),
                ("poa", Value::List(vec![poa.into()])),
                ("csz", Value::List(vec![csz.into()])),
            ],
        ),
    );
    if fr.is_empty() {
        request.fr = None;
    }
    request
}

/// An AE that registers over `reg_req` under a Credential-ID of its own and then
/// works under the AE-ID it asked for (`fr`) or ACME assigned (`fr` = `C`).
pub async fn registered_ae(
    suite: &Suite,
    transport: Transport,
    serialization: &str,
    rn: &str,
    fr: &str,
    inbox: &Inbox,
) -> (Binding, Registration) {
    let builder = builder(suite, transport, serialization);
    register(suite, builder, serialization, rn, fr, inbox).await
}

/// [`registered_ae`] from a builder of the caller's (another topic scheme, say).
pub async fn register(
    suite: &Suite,
    builder: BindingBuilder,
    serialization: &str,
    rn: &str,
    fr: &str,
    inbox: &Inbox,
) -> (Binding, Registration) {
    let ae = builder
        .registration(unique("cred-"))
        .registrar(CSE_ID)
        .handler(inbox.handler())
        .build()
        .await
        .unwrap();
    let registration = ae
        .register_ae(ae_create(suite, rn, fr, serialization))
        .await
        .unwrap_or_else(|e| {
            panic!(
                "registration of {rn} as {fr:?} failed: {e}\nACME:\n{}",
                suite.acme_log()
            )
        });
    (ae, registration)
}

/// An AE of one test: registered under an AE-ID of its own, with its inbox and
/// the path of its resource (`cse-in/<rn>`).
pub struct TestAe {
    pub binding: Binding,
    pub registration: Registration,
    pub inbox: Inbox,
    pub id: String,
    pub path: String,
}

/// A [`TestAe`] whose AE-ID and resource name start with `tag`.
pub async fn fresh_ae(
    suite: &Suite,
    transport: Transport,
    serialization: &str,
    tag: &str,
) -> TestAe {
    let inbox = Inbox::default();
    let id = unique(&format!("C{tag}-"));
    let rn = unique(&format!("{tag}-"));
    let (binding, registration) =
        registered_ae(suite, transport, serialization, &rn, &id, &inbox).await;
    TestAe {
        binding,
        registration,
        inbox,
        id,
        path: format!("{CSE_NAME}/{rn}"),
    }
}

/// The container `data` below `parent` with `n` contentInstances (`con` 0, 1,
/// ...); returns its path.
pub async fn container_with_readings(
    suite: &Suite,
    ae: &Binding,
    parent: &str,
    n: usize,
) -> String {
    expect(
        suite,
        ae,
        container(parent, "data"),
        ResponseStatusCode::CREATED,
    )
    .await;
    let data = format!("{parent}/data");
    for i in 0..n {
        let request = content_instance(&data, &format!("{i}"));
        expect(suite, ae, request, ResponseStatusCode::CREATED).await;
    }
    data
}

/// The container `data` below `parent`, subscribed to by the AE `ae_id` itself
/// (`nu` = its AE-ID, subscription `self`); returns its path.
pub async fn container_notifying(suite: &Suite, ae: &Binding, parent: &str, ae_id: &str) -> String {
    let data = container_with_readings(suite, ae, parent, 0).await;
    let request = subscription(&data, "self", ae_id);
    expect(suite, ae, request, ResponseStatusCode::CREATED).await;
    data
}

/// Sends `request` with `fr` left for the binding to fill in, and checks the status.
pub async fn expect(
    suite: &Suite,
    ae: &Binding,
    request: RequestPrimitive,
    rsc: ResponseStatusCode,
) -> ResponsePrimitive {
    expect_from(&suite.acme, ae, request, rsc).await
}

/// [`expect`] of an `acme` on any broker; its log goes into the failure message.
pub async fn expect_from(
    acme: &Acme,
    ae: &Binding,
    mut request: RequestPrimitive,
    rsc: ResponseStatusCode,
) -> ResponsePrimitive {
    request.fr = None;
    let what = format!("{} {}", request.op.name(), request.to);
    let response = ae.originator().request(request).await.unwrap_or_else(|e| {
        panic!("{what}: {e}\nACME:\n{}", acme.log_tail(60));
    });
    assert_eq!(
        response.rsc,
        rsc,
        "{what}: {response:?}\nACME:\n{}",
        acme.log_tail(60)
    );
    response
}

/// The attributes of resource `root` in a response's content.
pub fn resource<'a>(response: &'a ResponsePrimitive, root: &str) -> &'a Map {
    response
        .pc
        .as_ref()
        .and_then(Value::as_map)
        .and_then(|pc| pc.get(root))
        .and_then(Value::as_map)
        .unwrap_or_else(|| panic!("no {root} in {response:?}"))
}

pub fn container(to: &str, rn: &str) -> RequestPrimitive {
    RequestPrimitive::create(
        to,
        "",
        "",
        ResourceType::CONTAINER,
        content("m2m:cnt", &[("rn", rn.into()), ("mni", 100.into())]),
    )
}

pub fn content_instance(to: &str, con: &str) -> RequestPrimitive {
    RequestPrimitive::create(
        to,
        "",
        "",
        ResourceType::CONTENT_INSTANCE,
        content(
            "m2m:cin",
            &[("cnf", "text/plain:0".into()), ("con", con.into())],
        ),
    )
}

/// A subscription to `to` notifying `nu` of new child resources (net 3).
pub fn subscription(to: &str, rn: &str, nu: &str) -> RequestPrimitive {
    let mut enc = Map::new();
    enc.insert("net", Value::List(vec![3.into()]));
    RequestPrimitive::create(
        to,
        "",
        "",
        ResourceType::SUBSCRIPTION,
        content(
            "m2m:sub",
            &[
                ("rn", rn.into()),
                ("nu", Value::List(vec![nu.into()])),
                ("enc", Value::Map(enc)),
            ],
        ),
    )
}

/// What our AE's handler received, and how it answers verification requests.
#[derive(Debug, Clone, Default)]
pub struct Inbox {
    state: Arc<Mutex<InboxState>>,
    arrived: Arc<Notify>,
}

#[derive(Debug, Default)]
struct InboxState {
    notifications: Vec<RequestPrimitive>,
    serializations: Vec<&'static str>,
    verifications: Vec<RequestPrimitive>,
    refuse_verifications: bool,
}

/// Whether a notification is a subscription verification request (`vrq` true).
pub fn is_verification(request: &RequestPrimitive) -> bool {
    request
        .pc
        .as_ref()
        .and_then(Value::as_map)
        .and_then(|pc| pc.get("m2m:sgn"))
        .and_then(Value::as_map)
        .and_then(|sgn| sgn.get("vrq"))
        .and_then(Value::lenient_bool)
        == Some(true)
}

impl Inbox {
    /// From now on verification requests are answered 4101 (refused) or 2000.
    pub fn refuse_verifications(&self, refuse: bool) {
        self.state.lock().unwrap().refuse_verifications = refuse;
    }

    pub fn notifications(&self) -> Vec<RequestPrimitive> {
        self.state.lock().unwrap().notifications.clone()
    }

    /// The serialization each request arrived in, in order.
    pub fn serializations(&self) -> Vec<&'static str> {
        self.state.lock().unwrap().serializations.clone()
    }

    pub fn verifications(&self) -> Vec<RequestPrimitive> {
        self.state.lock().unwrap().verifications.clone()
    }

    /// Waits until `count` notifications (not verifications) have arrived.
    pub async fn wait_for_notifications(&self, count: usize) -> Vec<RequestPrimitive> {
        let waited = timeout(STEP, async {
            loop {
                let arrived = self.arrived.notified();
                let now = self.notifications();
                if now.len() >= count {
                    return now;
                }
                arrived.await;
            }
        })
        .await;
        waited.unwrap_or_else(|_| {
            panic!(
                "{} of {count} notifications arrived",
                self.notifications().len()
            )
        })
    }

    pub fn handler(
        &self,
    ) -> impl Fn(RequestPrimitive, RequestContext) -> std::future::Ready<ResponsePrimitive>
    + Send
    + Sync
    + 'static {
        let inbox = self.clone();
        move |request: RequestPrimitive, ctx: RequestContext| {
            let mut state = inbox.state.lock().unwrap();
            state.serializations.push(ctx.serialization);
            let rsc = if is_verification(&request) {
                state.verifications.push(request.clone());
                if state.refuse_verifications {
                    ResponseStatusCode::SUBSCRIPTION_CREATOR_HAS_NO_PRIVILEGE
                } else {
                    ResponseStatusCode::OK
                }
            } else {
                state.notifications.push(request.clone());
                ResponseStatusCode::OK
            };
            drop(state);
            inbox.arrived.notify_waiters();
            std::future::ready(ResponsePrimitive::answering(&request, rsc))
        }
    }
}

/// A raw MQTT client (not ours) on the broker's plain listener, subscribed to
/// `filter`, to see what ACME publishes (see `binding_common::expect_on` and
/// `silent_on`).
pub async fn observer(suite: &Suite, filter: &str) -> RawMqttClient<TcpStream> {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], suite.broker.ports().mqtt));
    crate::binding_common::raw_client(addr, &unique("observer-"), filter).await
}
