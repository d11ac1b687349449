//! Our stack: a CSE binding as the receiver and one AE binding per originator, all in
//! this worker process.

use std::sync::Arc;
use std::time::Duration;

use onem2m_binding::{Binding, BindingBuilder, Originator, RequestContext};
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, ResponseStatusCode};
use onem2m_serialization::{CborSerializer, JsonSerializer, XmlSerializer};
use tokio::task::JoinSet;

use crate::Error;
use crate::drive::measure;
use crate::exchange::{CSE_ID, ae_id, request};
use crate::spec::{WorkerReport, WorkerSpec};

/// Generous: a loaded 2-core machine can stall a response for a while, and a timeout
/// here fails the whole run.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs the spec with our originator and receiver.
pub async fn run(spec: &WorkerSpec) -> Result<WorkerReport, Error> {
    let setup = |cause: String| Error::Setup {
        stack: "ours".into(),
        cause,
    };
    // The handler echoes the content, as the baselines' receivers do.
    let receiver = builder(spec)?
        .cse_id(CSE_ID)
        .max_pending(spec.in_flight.max(1) * 2 + 100)
        .handler(|mut req: RequestPrimitive, _ctx: RequestContext| {
            let pc = req.pc.take();
            let mut rsp = ResponsePrimitive::answering(&req, ResponseStatusCode::CREATED);
            rsp.pc = pc;
            std::future::ready(rsp)
        })
        .build()
        .await
        .map_err(|e| setup(format!("receiver: {e}")))?;
    let originators = connect_originators(spec).await?;
    let originators: Arc<[(Originator, usize)]> = originators.into();
    let count = originators.len();
    let report = measure(spec, move |lane| {
        let (originator, index) = originators[lane % count].clone();
        async move {
            let response =
                originator
                    .request(request(index))
                    .await
                    .map_err(|e| Error::Request {
                        stack: "ours".into(),
                        cause: e.to_string(),
                    })?;
            if response.rsc == ResponseStatusCode::CREATED {
                Ok(())
            } else {
                Err(Error::Request {
                    stack: "ours".into(),
                    cause: format!("answered {}", response.rsc),
                })
            }
        }
    })
    .await?;
    drop(receiver);
    Ok(report)
}

/// A builder with the spec's broker and serialization and clean sessions (a run must
/// not find the previous run's queued messages).
fn builder(spec: &WorkerSpec) -> Result<BindingBuilder, Error> {
    let builder = Binding::builder()
        .url(&spec.url)
        .map_err(|e| Error::Setup {
            stack: "ours".into(),
            cause: e.to_string(),
        })?
        .clean_session(true)
        .request_timeout(REQUEST_TIMEOUT)
        .connect_timeout(REQUEST_TIMEOUT);
    Ok(match spec.serialization.as_str() {
        "cbor" => builder.serializer(CborSerializer::new()),
        "xml" => builder.serializer(XmlSerializer::new()),
        _ => builder.serializer(JsonSerializer::new()),
    })
}

/// Connects the originators concurrently (a thousand one after the other would take a
/// while); each one's index names its AE.
async fn connect_originators(spec: &WorkerSpec) -> Result<Vec<(Originator, usize)>, Error> {
    let mut tasks = JoinSet::new();
    for index in 0..spec.originators.max(1) {
        let builder = builder(spec)?
            .ae_id(ae_id(index))
            .registrar(CSE_ID)
            .max_in_flight(u16::try_from(spec.in_flight.clamp(100, 65_000)).unwrap_or(u16::MAX));
        tasks.spawn(async move { (index, builder.build().await) });
    }
    let mut bindings = Vec::with_capacity(spec.originators);
    while let Some(joined) = tasks.join_next().await {
        let (index, built) = joined.map_err(|e| Error::Setup {
            stack: "ours".into(),
            cause: e.to_string(),
        })?;
        let binding = built.map_err(|e| Error::Setup {
            stack: "ours".into(),
            cause: format!("originator {index}: {e}"),
        })?;
        bindings.push((index, binding));
    }
    bindings.sort_by_key(|(index, _)| *index);
    // The bindings stay alive as long as an originator handle does.
    Ok(bindings
        .into_iter()
        .map(|(index, binding)| (binding.originator(), index))
        .collect())
}
