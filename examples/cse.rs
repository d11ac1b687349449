//! A CSE is a `Handler`: the binding runs the receiver's checks (topic, serialization,
//! expiry, originator, validity, duplicates) and calls the handler only for a request
//! that passed them all; what the handler returns is published as the response, in the
//! serialization the request came in.
//!
//! The handler here is `onem2m_examples::MemoryCse` (`examples/src/memory_cse.rs`): an
//! in-memory store of AEs, containers and contentInstances. The example serves it on an
//! embedded broker and exercises it from an AE in the same process that writes CBOR
//! (the CSE's own default is XML; it answers in CBOR all the same), then shows two answers the handler never sees: an invalid
//! request (4000) and a spoofed `fr` (4103).
//!
//! Run with `cargo run -p onem2m-examples --example cse`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use onem2m_binding::{Binding, Handler, RequestContext};
use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_examples::{ExampleError, MemoryCse, expect_status};
use onem2m_primitive::{
    Map, Operation, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode, Value,
};
use onem2m_serialization::CborSerializer;

const CSE_ID: &str = "/id-in";
const AE_ID: &str = "CAE01";

/// Wraps another handler and counts the requests that reached it, to show which ones
/// the receiver answered on its own. Handlers compose like any other trait object.
struct Counted<H> {
    inner: H,
    calls: Arc<AtomicUsize>,
}

#[async_trait::async_trait]
impl<H: Handler> Handler for Counted<H> {
    async fn handle(&self, request: RequestPrimitive, ctx: RequestContext) -> ResponsePrimitive {
        self.calls.fetch_add(1, Ordering::SeqCst);
        println!(
            "  handler: {:?} {} from {:?} on {} ({})",
            request.op, request.to, request.fr, ctx.topic, ctx.serialization
        );
        self.inner.handle(request, ctx).await
    }
}

fn content(root: &str, name: &str, value: &str) -> Value {
    let mut inner = Map::new();
    inner.insert(name, value);
    let mut pc = Map::new();
    pc.insert(root, inner);
    Value::Map(pc)
}

#[tokio::main]
async fn main() -> Result<(), ExampleError> {
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(false)).await?;
    let url = broker.url();
    let calls = Arc::new(AtomicUsize::new(0));
    let cse = Binding::builder()
        .cse_id(CSE_ID)
        .url(&url)?
        .handler(Counted {
            inner: MemoryCse::new(CSE_ID, "cse-in"),
            calls: Arc::clone(&calls),
        })
        .build()
        .await?;
    println!("CSE {CSE_ID} serving on {url}");

    // An AE that already has its AE-ID (see the `ae` example for registration). It
    // writes CBOR; the CSE answers each request in the serialization it came in.
    let ae = Binding::builder()
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .url(&url)?
        .serializer(CborSerializer::new())
        .build()
        .await?;
    let originator = ae.originator();

    let mut ae_resource = Map::new();
    ae_resource.insert("rn", "meter");
    ae_resource.insert("api", "Nmeter");
    ae_resource.insert("rr", false);
    let mut pc = Map::new();
    pc.insert("m2m:ae", ae_resource);
    let response = originator
        .request(RequestPrimitive::create(
            "cse-in",
            AE_ID,
            "create-ae",
            ResourceType::AE,
            pc.into(),
        ))
        .await?;
    expect_status("create AE", &response, ResponseStatusCode::CREATED)?;
    let response = originator
        .request(RequestPrimitive::create(
            "/id-in/cse-in/meter",
            AE_ID,
            "create-cnt",
            ResourceType::CONTAINER,
            content("m2m:cnt", "rn", "power"),
        ))
        .await?;
    expect_status("create container", &response, ResponseStatusCode::CREATED)?;
    for (i, watts) in ["310", "295", "402"].into_iter().enumerate() {
        let response = originator
            .request(RequestPrimitive::create(
                "cse-in/meter/power",
                AE_ID,
                format!("create-cin-{i}"),
                ResourceType::CONTENT_INSTANCE,
                content("m2m:cin", "con", watts),
            ))
            .await?;
        expect_status(
            "create contentInstance",
            &response,
            ResponseStatusCode::CREATED,
        )?;
    }
    let latest = originator
        .request(RequestPrimitive::retrieve(
            "cse-in/meter/power/la",
            AE_ID,
            "latest",
        ))
        .await?;
    expect_status("retrieve latest", &latest, ResponseStatusCode::OK)?;
    let response = originator
        .request(RequestPrimitive::delete("cse-in/meter", AE_ID, "delete-ae"))
        .await?;
    expect_status("delete AE", &response, ResponseStatusCode::DELETED)?;
    let response = originator
        .request(RequestPrimitive::retrieve(
            "cse-in/meter/power",
            AE_ID,
            "gone",
        ))
        .await?;
    expect_status(
        "retrieve after delete",
        &response,
        ResponseStatusCode::NOT_FOUND,
    )?;
    let handled = calls.load(Ordering::SeqCst);

    // Answered by the receiver, never seen by the handler: a request that is not
    // valid (a CREATE needs `ty` and `pc`) ...
    let invalid = RequestPrimitive::new(Operation::Create, "cse-in", AE_ID, "no-type");
    let response = originator.request(invalid).await?;
    expect_status(
        "create without ty",
        &response,
        ResponseStatusCode::BAD_REQUEST,
    )?;
    // ... and a request whose `fr` is not the AE that published it.
    let spoofed = RequestPrimitive::retrieve("cse-in", "CsomeoneElse", "spoofed");
    let response = originator.request(spoofed).await?;
    expect_status(
        "spoofed originator",
        &response,
        ResponseStatusCode::ORIGINATOR_HAS_NO_PRIVILEGE,
    )?;
    if calls.load(Ordering::SeqCst) != handled {
        return Err("the handler saw a request the receiver should have refused".into());
    }
    println!("handler calls: {handled}");

    ae.shutdown().await;
    cse.shutdown().await;
    broker.shutdown().await?;
    println!("done");
    Ok(())
}
