//! An AE on a real oneM2M CSE, ACME (<https://github.com/ankraft/ACME-oneM2M-CSE>),
//! over its MQTT broker:
//!
//! 1. registers over `reg_req` and lets ACME assign its AE-ID (`fr` = `C`);
//! 2. creates a container and subscribes to it with `nu` = its own AE-ID;
//! 3. writes a value (a contentInstance);
//! 4. receives ACME's notification of it over MQTT and answers it;
//! 5. deletes its AE resource and leaves the MQTT session for good.
//!
//! Arguments (or environment variables), with their defaults:
//!
//! | argument | variable | default |
//! |---|---|---|
//! | 1: broker URL | `ACME_BROKER_URL` | `mqtt://127.0.0.1:1883` |
//! | 2: CSE-ID | `ACME_CSE_ID` | `/id-in` |
//! | 3: CSEBase name | `ACME_CSE_NAME` | `cse-in` |
//! | 4: the AE's pointOfAccess | `ACME_AE_POA` | the broker URL, if `mqtt://` |
//!
//! The pointOfAccess is where ACME sends notifications: the `mqtt://host:port` at which
//! ACME itself reaches the broker (an AE on the broker's TLS or WebSocket listener
//! still gives the plain one, the broker is the same).
//!
//! Run with `cargo run -p onem2m-examples --example acme_ae -- mqtt://127.0.0.1:1883`.
//! It exits non-zero unless every step got the status it expects.

use std::time::Duration;

use onem2m_binding::topic::AeIdForm;
use onem2m_binding::{Binding, RequestContext, Ts0010Scheme};
use onem2m_examples::{ExampleError, content, expect_status, json_like, without_fr};
use onem2m_primitive::{
    Map, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode, Value,
};
use onem2m_serialization::JsonSerializer;
use tokio::sync::mpsc;

/// Argument `n` (1-based), else the variable, else the default.
fn setting(n: usize, variable: &str, default: &str) -> String {
    std::env::args()
        .nth(n)
        .or_else(|| std::env::var(variable).ok())
        .unwrap_or_else(|| default.to_owned())
}

#[tokio::main]
async fn main() -> Result<(), ExampleError> {
    let url = setting(1, "ACME_BROKER_URL", "mqtt://127.0.0.1:1883");
    let cse_id = setting(2, "ACME_CSE_ID", "/id-in");
    let cse_name = setting(3, "ACME_CSE_NAME", "cse-in");
    let default_poa = if url.starts_with("mqtt://") {
        url.as_str()
    } else {
        ""
    };
    let poa = setting(4, "ACME_AE_POA", default_poa);
    if poa.is_empty() {
        return Err(
            "give the AE's pointOfAccess (argument 4 or ACME_AE_POA): mqtt://host:port".into(),
        );
    }
    println!("broker     {url}, CSE {cse_id} ({cse_name})");

    // Notifications go from the handler to main.
    let (notified, mut notifications) = mpsc::unbounded_channel();
    let ae = Binding::builder()
        .registration(format!("acme-ae-example-{}", std::process::id()))
        .registrar(&cse_id)
        .url(&url)?
        .serializer(JsonSerializer::new())
        // ACME sends requests to an AE on its bare AE-ID (`/oneM2M/req/id-in/Cxyz/json`).
        .topic_scheme(Ts0010Scheme::new().with_ae_id_form(AeIdForm::Stem))
        .handler(move |request: RequestPrimitive, _ctx: RequestContext| {
            let _ = notified.send(request.clone());
            async move { ResponsePrimitive::answering(&request, ResponseStatusCode::OK) }
        })
        .build()
        .await?;

    // A resource name of its own, so that the example can run again on the same CSE.
    let rn = format!("acmeAeExample{}", std::process::id());
    let mut register = RequestPrimitive::create(
        &cse_name,
        "C",
        "",
        ResourceType::AE,
        content(
            "m2m:ae",
            &[
                ("rn", rn.as_str().into()),
                ("api", "Nonem2m-mqtt.example".into()),
                ("rr", true.into()),
                ("srv", Value::List(vec!["3".into()])),
                ("poa", Value::List(vec![poa.as_str().into()])),
            ],
        ),
    );
    register.fr = Some("C".into());
    let registration = ae.register_ae(register).await?;
    expect_status(
        "register (reg_req)",
        &registration.response,
        ResponseStatusCode::CREATED,
    )?;
    let aei = registration.ae_id;
    println!(
        "AE         registered as {aei}, client id {}",
        registration.client_id
    );

    let originator = ae.originator();
    let ae_path = format!("{cse_name}/{rn}");
    let container = RequestPrimitive::create(
        &ae_path,
        "",
        "",
        ResourceType::CONTAINER,
        content("m2m:cnt", &[("rn", "readings".into())]),
    );
    let created = originator.request(without_fr(container)).await?;
    expect_status("create container", &created, ResponseStatusCode::CREATED)?;

    let mut enc = Map::new();
    enc.insert("net", Value::List(vec![3.into()]));
    let subscription = RequestPrimitive::create(
        format!("{ae_path}/readings"),
        "",
        "",
        ResourceType::SUBSCRIPTION,
        content(
            "m2m:sub",
            &[
                ("rn", "toMe".into()),
                ("nu", Value::List(vec![aei.as_str().into()])),
                ("enc", Value::Map(enc)),
            ],
        ),
    );
    let created = originator.request(without_fr(subscription)).await?;
    expect_status(
        "subscribe (nu = own AE-ID)",
        &created,
        ResponseStatusCode::CREATED,
    )?;

    let reading = RequestPrimitive::create(
        format!("{ae_path}/readings"),
        "",
        "",
        ResourceType::CONTENT_INSTANCE,
        content(
            "m2m:cin",
            &[("cnf", "text/plain:0".into()), ("con", "21.5".into())],
        ),
    );
    let created = originator.request(without_fr(reading)).await?;
    expect_status("write a value", &created, ResponseStatusCode::CREATED)?;

    let notification = tokio::time::timeout(Duration::from_secs(10), notifications.recv())
        .await
        .map_err(|_| "no notification within 10 s")?
        .ok_or("the handler is gone")?;
    let con = notification
        .pc
        .as_ref()
        .and_then(|pc| {
            pc.as_map()?
                .get("m2m:sgn")?
                .as_map()?
                .get("nev")?
                .as_map()?
                .get("rep")
        })
        .and_then(|rep| rep.as_map()?.get("m2m:cin")?.as_map()?.get("con")?.as_str());
    println!(
        "notified   by {} : {}",
        notification.fr.as_deref().unwrap_or("?"),
        notification.pc.as_ref().map(json_like).unwrap_or_default()
    );
    if con != Some("21.5") {
        return Err(format!("the notification carries {con:?}, not the value written").into());
    }
    println!("notified   of con 21.5");

    let deleted = originator
        .request(without_fr(RequestPrimitive::delete(&ae_path, "", "")))
        .await?;
    expect_status("delete the AE", &deleted, ResponseStatusCode::DELETED)?;
    ae.deregister().await;
    println!("done");
    Ok(())
}
