//! An AE's life on MQTT, start to finish, in one process: an embedded broker, a CSE
//! (`onem2m_examples::MemoryCse`), and an AE that
//!
//! 1. connects with its Credential-ID and registers over `reg_req` (TS-0010 6.4.4),
//!    then reconnects under the AE-ID the CSE assigned (client id `A::<aei>`);
//! 2. creates a container and a contentInstance in it;
//! 3. retrieves the latest contentInstance (`.../la`);
//! 4. deregisters: disconnect, connect with Clean Session, disconnect.
//!
//! Every response is printed; the example exits non-zero unless each status is the
//! expected one.
//!
//! Run with `cargo run -p onem2m-examples --example ae`.

use onem2m_binding::Binding;
use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_examples::{ExampleError, MemoryCse, content, expect_status, without_fr};
use onem2m_primitive::{RequestPrimitive, ResourceType, ResponseStatusCode, Value};
use onem2m_serialization::JsonSerializer;

const CSE_ID: &str = "/id-in";
const CSE_NAME: &str = "cse-in";

#[tokio::main]
async fn main() -> Result<(), ExampleError> {
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(false)).await?;
    let url = broker.url();
    println!("broker     {url}");

    let cse = Binding::builder()
        .cse_id(CSE_ID)
        .url(&url)?
        .handler(MemoryCse::new(CSE_ID, CSE_NAME))
        .build()
        .await?;
    println!("CSE        client id {}", cse.client_id());

    // No AE-ID yet: the AE connects under its Credential-ID and listens on reg_resp.
    let ae = Binding::builder()
        .registration("lamp-credential")
        .registrar(CSE_ID)
        .url(&url)?
        .serializer(JsonSerializer::new())
        .build()
        .await?;
    println!("AE         client id {} (unregistered)", ae.client_id());

    let mut register = RequestPrimitive::create(
        CSE_NAME,
        "C",
        "",
        ResourceType::AE,
        content(
            "m2m:ae",
            &[
                ("rn", "lamp".into()),
                ("api", "Nlamp.example.com".into()),
                ("rr", false.into()),
                ("srv", Value::List(vec!["3".into()])),
            ],
        ),
    );
    // "C": let the registrar assign a C-type AE-ID.
    register.fr = Some("C".into());
    let registration = ae.register_ae(register).await?;
    expect_status(
        "register (reg_req)",
        &registration.response,
        ResponseStatusCode::CREATED,
    )?;
    println!(
        "AE         registered as {}, client id {}",
        registration.ae_id, registration.client_id
    );

    // From here on `fr` is filled in with the AE-ID and `rqi` is generated.
    let originator = ae.originator();
    let container = RequestPrimitive::create(
        format!("{CSE_NAME}/lamp"),
        "",
        "",
        ResourceType::CONTAINER,
        content("m2m:cnt", &[("rn", "readings".into()), ("mni", 10.into())]),
    );
    let created = originator.request(without_fr(container)).await?;
    expect_status("create container", &created, ResponseStatusCode::CREATED)?;

    let reading = RequestPrimitive::create(
        format!("{CSE_NAME}/lamp/readings"),
        "",
        "",
        ResourceType::CONTENT_INSTANCE,
        content(
            "m2m:cin",
            &[("cnf", "text/plain:0".into()), ("con", "21.5".into())],
        ),
    );
    let created = originator.request(without_fr(reading)).await?;
    expect_status(
        "create contentInstance",
        &created,
        ResponseStatusCode::CREATED,
    )?;

    let latest = RequestPrimitive::retrieve(format!("{CSE_NAME}/lamp/readings/la"), "", "");
    let retrieved = originator.request(without_fr(latest)).await?;
    expect_status("retrieve latest", &retrieved, ResponseStatusCode::OK)?;
    let con = retrieved
        .pc
        .as_ref()
        .and_then(Value::as_map)
        .and_then(|pc| pc.get("m2m:cin"))
        .and_then(Value::as_map)
        .and_then(|cin| cin.get("con"))
        .and_then(Value::as_str);
    if con != Some("21.5") {
        return Err(format!("retrieved the wrong content: {con:?}").into());
    }

    let missing = RequestPrimitive::retrieve(format!("{CSE_NAME}/lamp/nothing"), "", "");
    let refused = originator.request(without_fr(missing)).await?;
    expect_status(
        "retrieve a missing one",
        &refused,
        ResponseStatusCode::NOT_FOUND,
    )?;

    ae.deregister().await;
    cse.shutdown().await;
    broker.shutdown().await?;
    println!("done");
    Ok(())
}
