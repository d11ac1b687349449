//! The binding in tower terms (cargo feature `tower` of `onem2m-binding`).
//!
//! - The receiver is served by a `tower::Service<RequestPrimitive, Response =
//!   ResponsePrimitive>`: a `service_fn` wrapped in middleware, handed to the builder
//!   through `tower_service::ServiceHandler`. A service error becomes a 5000 response.
//! - The `Originator` is such a service itself: it is driven with `ServiceExt::ready`
//!   and `call`, and with `oneshot`, and composed with layers like any other.
//! - The middleware: a hand-written logging [`Layer`] on both sides, and tower's
//!   `TimeoutLayer` on the originator, which turns a slow answer into a local error
//!   long before the binding's own request timeout.
//!
//! Run with `cargo run -p onem2m-examples --example tower_service`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use onem2m_binding::Binding;
use onem2m_binding::tower_service::ServiceHandler;
use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_examples::{ExampleError, expect_status};
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, ResponseStatusCode};
use tower::timeout::TimeoutLayer;
use tower::{BoxError, Layer, Service, ServiceBuilder, ServiceExt, service_fn};

/// Prints every request going through the wrapped service and its outcome.
#[derive(Debug, Clone)]
struct LogLayer {
    side: &'static str,
}

/// The service [`LogLayer`] makes.
#[derive(Debug, Clone)]
struct Log<S> {
    side: &'static str,
    inner: S,
}

impl<S> Layer<S> for LogLayer {
    type Service = Log<S>;

    fn layer(&self, inner: S) -> Log<S> {
        Log {
            side: self.side,
            inner,
        }
    }
}

impl<S> Service<RequestPrimitive> for Log<S>
where
    S: Service<RequestPrimitive, Response = ResponsePrimitive>,
    S::Error: std::fmt::Display,
    S::Future: Send + 'static,
{
    type Response = ResponsePrimitive;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<ResponsePrimitive, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: RequestPrimitive) -> Self::Future {
        let side = self.side;
        println!(
            "[{side}] -> {:?} {} rqi={}",
            request.op, request.to, request.rqi
        );
        let started = Instant::now();
        let response = self.inner.call(request);
        Box::pin(async move {
            let result = response.await;
            match &result {
                Ok(r) => println!("[{side}] <- {} after {:?}", r.rsc, started.elapsed()),
                Err(e) => println!("[{side}] <- error after {:?}: {e}", started.elapsed()),
            }
            result
        })
    }
}

/// The CSE's logic as a plain async function: `slow` takes its time, `broken` fails.
async fn serve(request: RequestPrimitive) -> Result<ResponsePrimitive, BoxError> {
    match request.to.as_str() {
        "cse-in/broken" => Err("the storage backend is down".into()),
        "cse-in/slow" => {
            tokio::time::sleep(Duration::from_millis(800)).await;
            Ok(ResponsePrimitive::answering(
                &request,
                ResponseStatusCode::OK,
            ))
        }
        _ => Ok(ResponsePrimitive::answering(
            &request,
            ResponseStatusCode::OK,
        )),
    }
}

#[tokio::main]
async fn main() -> Result<(), ExampleError> {
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(false)).await?;
    let url = broker.url();

    let receiver = ServiceBuilder::new()
        .layer(LogLayer { side: "CSE" })
        .service(service_fn(serve));
    let cse = Binding::builder()
        .cse_id("/id-in")
        .url(&url)?
        .handler(ServiceHandler::new(receiver))
        .build()
        .await?;
    let ae = Binding::builder()
        .ae_id("CAE01")
        .registrar("/id-in")
        .url(&url)?
        .build()
        .await?;

    // The originator as it comes: a Service, driven by hand ...
    let mut originator = ae.originator();
    let response = originator
        .ready()
        .await?
        .call(RequestPrimitive::retrieve("cse-in", "CAE01", "tower-1"))
        .await?;
    expect_status("ready + call", &response, ResponseStatusCode::OK)?;

    // ... and with middleware: log, then give up after 300 ms.
    let client = ServiceBuilder::new()
        .layer(LogLayer { side: "AE" })
        .layer(TimeoutLayer::new(Duration::from_millis(300)))
        .service(ae.originator());
    let response = client
        .clone()
        .oneshot(RequestPrimitive::retrieve("cse-in", "CAE01", "tower-2"))
        .await?;
    expect_status("oneshot", &response, ResponseStatusCode::OK)?;

    let response = client
        .clone()
        .oneshot(RequestPrimitive::retrieve(
            "cse-in/broken",
            "CAE01",
            "tower-3",
        ))
        .await?;
    expect_status(
        "service error",
        &response,
        ResponseStatusCode::INTERNAL_SERVER_ERROR,
    )?;

    let slow = client
        .clone()
        .oneshot(RequestPrimitive::retrieve(
            "cse-in/slow",
            "CAE01",
            "tower-4",
        ))
        .await;
    match slow {
        Err(e) if e.is::<tower::timeout::error::Elapsed>() => {
            println!("{:<28} -> timed out by the layer", "slow answer");
        }
        other => return Err(format!("expected the timeout layer to fire, got {other:?}").into()),
    }

    // The CSE's shutdown waits for the slow handler (its drain timeout), so that the
    // request is answered and acknowledged rather than redelivered to a next run.
    ae.shutdown().await;
    cse.shutdown().await;
    broker.shutdown().await?;
    println!("done");
    Ok(())
}
