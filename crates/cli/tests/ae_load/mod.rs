//! The load of the scale-out runs: AEs built with the binding (the TS-0010 scheme
//! with bare AE-ID stems, as ACME needs; JSON), each registered through the gateways
//! under an AE-ID of its own, then sending RETRIEVEs of its own AE resource, a few
//! in flight each, every answer counted by its `rqi`.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use onem2m_bench::latency::Latencies;
use onem2m_binding::originator::RetryPolicy;
use onem2m_binding::topic::AeIdForm;
use onem2m_binding::{Binding, Originator, Ts0010Scheme};
use onem2m_primitive::{Map, RequestPrimitive, ResourceType, ResponseStatusCode, Value};
use onem2m_serialization::JsonSerializer;
use onem2m_test_support::acme_identity::{CSE_ID, CSE_NAME};
use tokio::task::JoinSet;

/// How long a request may stay unanswered, retries included: far beyond any queue
/// a loaded 2-core machine builds, so that only a lost request ever fails.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(90);

/// One AE of the load: its binding and the path of its own resource.
#[derive(Debug)]
pub struct LoadAe {
    pub binding: Binding,
    pub id: String,
    pub path: String,
}

/// What a load run saw.
#[derive(Debug)]
pub struct LoadReport {
    /// The requests sent, by `rqi`.
    pub sent: Vec<String>,
    /// How many 2000 answers came back for each `rqi` (the response's own `rqi`).
    pub answers: BTreeMap<String, usize>,
    /// Every request that failed or got another status, with why.
    pub failures: Vec<String>,
    /// The round trips, retries included.
    pub latencies: Latencies,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// How many times the originators sent a request again under its `rqi`.
    pub retries: u64,
}

impl LoadReport {
    /// Answers per second over the run.
    pub fn requests_per_second(&self) -> f64 {
        self.sent.len() as f64 / self.elapsed.as_secs_f64()
    }

    /// The requests that did not get exactly one 2000 answer, with the count they got.
    pub fn not_answered_once(&self) -> Vec<(String, usize)> {
        self.sent
            .iter()
            .map(|rqi| (rqi.clone(), self.answers.get(rqi).copied().unwrap_or(0)))
            .filter(|(_, n)| *n != 1)
            .collect()
    }
}

/// `count` AEs on the broker at `url`, registered through whatever serves `/id-in`
/// there, as `C<tag><i>` with resource name `<tag><i>`; each sends a request again
/// as `retry` says.
pub async fn register_aes(url: &str, tag: &str, count: usize, retry: RetryPolicy) -> Vec<LoadAe> {
    let mut registering = JoinSet::new();
    for i in 0..count {
        let url = url.to_owned();
        let rn = format!("{tag}{i}");
        registering.spawn(async move { (i, register(&url, &rn, retry).await) });
    }
    let mut aes: Vec<(usize, LoadAe)> = registering.join_all().await;
    aes.sort_by_key(|(i, _)| *i);
    aes.into_iter().map(|(_, ae)| ae).collect()
}

async fn register(url: &str, rn: &str, retry: RetryPolicy) -> LoadAe {
    let ae_id = format!("C{rn}");
    let binding = Binding::builder()
        .url(url)
        .unwrap()
        .topic_scheme(Ts0010Scheme::new().with_ae_id_form(AeIdForm::Stem))
        .serializer(JsonSerializer::new())
        .request_timeout(REQUEST_TIMEOUT)
        .retry(retry)
        .registration(format!("cred-{rn}"))
        .registrar(CSE_ID)
        .build()
        .await
        .unwrap();
    let mut ae = Map::new();
    ae.insert("rn", rn);
    ae.insert("api", "Nonem2m-mqtt.scale-out");
    ae.insert("rr", false);
    ae.insert("srv", Value::List(vec!["3".into()]));
    let pc = Value::Map([("m2m:ae", Value::Map(ae))].into_iter().collect());
    let create = RequestPrimitive::create(CSE_NAME, &ae_id, "", ResourceType::AE, pc);
    let registration = binding
        .register_ae(create)
        .await
        .unwrap_or_else(|e| panic!("registration of {ae_id}: {e}"));
    assert_eq!(registration.ae_id, ae_id);
    LoadAe {
        binding,
        id: ae_id,
        path: format!("{CSE_NAME}/{rn}"),
    }
}

/// Sends `total` RETRIEVEs spread over `aes`, `in_flight_per_ae` outstanding per AE
/// at any time; `done` counts the requests finished so far (for a fault injected
/// part-way).
pub async fn run(
    aes: &[LoadAe],
    total: usize,
    in_flight_per_ae: usize,
    done: Arc<AtomicUsize>,
) -> LoadReport {
    let retries_before: u64 = aes.iter().map(|ae| ae.binding.originator().retries()).sum();
    let started = Instant::now();
    let mut workers = JoinSet::new();
    for (k, ae) in aes.iter().enumerate() {
        let share = total / aes.len() + usize::from(k < total % aes.len());
        let next = Arc::new(AtomicUsize::new(0));
        for _ in 0..in_flight_per_ae {
            workers.spawn(worker(
                ae.binding.originator(),
                ae.id.clone(),
                ae.path.clone(),
                share,
                Arc::clone(&next),
                Arc::clone(&done),
            ));
        }
    }
    let mut report = LoadReport {
        sent: Vec::with_capacity(total),
        answers: BTreeMap::new(),
        failures: Vec::new(),
        latencies: Latencies::new().unwrap(),
        elapsed: Duration::ZERO,
        retries: 0,
    };
    for part in workers.join_all().await {
        report.sent.extend(part.sent);
        for rqi in part.answered {
            *report.answers.entry(rqi).or_default() += 1;
        }
        report.failures.extend(part.failures);
        report.latencies.merge(&part.latencies);
    }
    report.elapsed = started.elapsed();
    let retries_after: u64 = aes.iter().map(|ae| ae.binding.originator().retries()).sum();
    report.retries = retries_after - retries_before;
    report
}

/// What one worker saw.
struct Part {
    sent: Vec<String>,
    answered: Vec<String>,
    failures: Vec<String>,
    latencies: Latencies,
}

/// Takes the AE's next request number until `share` are taken, and sends each.
async fn worker(
    originator: Originator,
    ae_id: String,
    path: String,
    share: usize,
    next: Arc<AtomicUsize>,
    done: Arc<AtomicUsize>,
) -> Part {
    let mut part = Part {
        sent: Vec::new(),
        answered: Vec::new(),
        failures: Vec::new(),
        latencies: Latencies::new().unwrap(),
    };
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= share {
            return part;
        }
        let rqi = format!("{ae_id}-{i}");
        let request = RequestPrimitive::retrieve(path.as_str(), "", rqi.as_str());
        let started = Instant::now();
        match originator.request(request).await {
            Ok(response) if response.rsc == ResponseStatusCode::OK => {
                part.answered.push(response.rqi.unwrap_or_default());
            }
            Ok(response) => part.failures.push(format!(
                "{rqi}: {} {}",
                response.rsc,
                response.debug_message().unwrap_or_default()
            )),
            Err(e) => part.failures.push(format!("{rqi}: {e}")),
        }
        part.latencies.record(started.elapsed());
        part.sent.push(rqi);
        done.fetch_add(1, Ordering::Relaxed);
    }
}
