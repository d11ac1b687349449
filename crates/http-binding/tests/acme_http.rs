//! Our originator against ACME's HTTP server (a harness ACME on a private Mosquitto,
//! one per test): the CSEBase as the admin, and an AE's life (AE, container, content
//! instance, `la`, delete) in JSON and in CBOR.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod http_common;

use http_common::{STEP, map};
use onem2m_http_binding::{BodyFormat, HttpOriginator};
use onem2m_primitive::{
    ReleaseVersion, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode, Value,
};
use onem2m_test_support::{Acme, acme_identity, require_acme, require_mosquitto};

/// An originator for ACME's HTTP server.
fn originator(acme: &Acme) -> HttpOriginator {
    HttpOriginator::new(&format!("http://127.0.0.1:{}", acme.http_port()))
        .unwrap()
        .with_timeout(STEP)
}

/// ACME refuses a request without `rvi` (4001); every request here carries one.
fn versioned(mut request: RequestPrimitive) -> RequestPrimitive {
    request.rvi = Some(ReleaseVersion::V3);
    request
}

async fn send(
    acme: &Acme,
    client: &HttpOriginator,
    request: RequestPrimitive,
    format: BodyFormat,
) -> ResponsePrimitive {
    let request = versioned(request);
    let response = client.send(&request, format).await.unwrap();
    assert_eq!(
        response.rqi.as_deref(),
        Some(request.rqi.as_str()),
        "{response:?}"
    );
    assert!(
        response.rsc.is_success(),
        "{:?} {} answered {response:?}\n{}",
        request.op,
        request.to,
        acme.log_tail(40)
    );
    response
}

fn member<'v>(response: &'v ResponsePrimitive, resource: &str, attribute: &str) -> &'v Value {
    response
        .pc
        .as_ref()
        .and_then(Value::as_map)
        .and_then(|pc| pc.get(resource))
        .and_then(Value::as_map)
        .and_then(|resource| resource.get(attribute))
        .unwrap_or_else(|| panic!("no {resource}.{attribute} in {response:?}"))
}

#[tokio::test]
async fn the_cse_base_retrieved_as_the_admin_is_2000_with_m2m_cb() {
    let broker = require_mosquitto!();
    let acme = require_acme!(broker.ports().mqtt);
    let client = originator(&acme);
    // Not XML: ACME does not serialize it, and answers 2000 with an empty
    // `application/xml` body.
    for format in [BodyFormat::Json, BodyFormat::Cbor] {
        let request = RequestPrimitive::retrieve(
            acme_identity::CSE_NAME,
            acme_identity::ADMIN,
            format!("cb-{}", format.name()),
        );
        let response = send(&acme, &client, request, format).await;
        assert_eq!(response.rsc, ResponseStatusCode::OK);
        assert_eq!(
            member(&response, "m2m:cb", "csi").as_str(),
            Some(acme_identity::CSE_ID),
            "{format:?}"
        );
    }
}

/// An AE registers, makes a container and a content instance, reads it back as `la`
/// and deletes itself, in `format`.
async fn ae_life(format: BodyFormat) {
    let broker = require_mosquitto!();
    let acme = require_acme!(broker.ports().mqtt);
    let client = originator(&acme);
    let name = format.name();
    let origin = format!("Chttptest{name}");
    let ae = format!("{}/httptest{name}", acme_identity::CSE_NAME);
    let rqi = |step: &str| format!("{name}-{step}");

    let create_ae = RequestPrimitive::create(
        acme_identity::CSE_NAME,
        origin.as_str(),
        rqi("ae"),
        ResourceType::AE,
        map([(
            "m2m:ae",
            map([
                ("rn", format!("httptest{name}").into()),
                ("api", "Nhttptest".into()),
                ("rr", false.into()),
                ("srv", vec!["3"].into()),
            ]),
        )]),
    );
    let response = send(&acme, &client, create_ae, format).await;
    assert_eq!(response.rsc, ResponseStatusCode::CREATED);
    assert_eq!(
        member(&response, "m2m:ae", "aei").as_str(),
        Some(origin.as_str())
    );

    let create_cnt = RequestPrimitive::create(
        ae.as_str(),
        origin.as_str(),
        rqi("cnt"),
        ResourceType::CONTAINER,
        map([("m2m:cnt", map([("rn", "data".into()), ("mni", 5.into())]))]),
    );
    let response = send(&acme, &client, create_cnt, format).await;
    assert_eq!(response.rsc, ResponseStatusCode::CREATED);

    let create_cin = RequestPrimitive::create(
        format!("{ae}/data"),
        origin.as_str(),
        rqi("cin"),
        ResourceType::CONTENT_INSTANCE,
        map([(
            "m2m:cin",
            map([("cnf", "text/plain:0".into()), ("con", "21.5".into())]),
        )]),
    );
    let response = send(&acme, &client, create_cin, format).await;
    assert_eq!(response.rsc, ResponseStatusCode::CREATED);

    let latest = RequestPrimitive::retrieve(format!("{ae}/data/la"), origin.as_str(), rqi("la"));
    let response = send(&acme, &client, latest, format).await;
    assert_eq!(response.rsc, ResponseStatusCode::OK);
    assert_eq!(member(&response, "m2m:cin", "con").as_str(), Some("21.5"));

    let delete = RequestPrimitive::delete(ae.as_str(), origin.as_str(), rqi("del"));
    let response = send(&acme, &client, delete, format).await;
    assert_eq!(response.rsc, ResponseStatusCode::DELETED);

    let gone = versioned(RequestPrimitive::retrieve(
        ae.as_str(),
        acme_identity::ADMIN,
        rqi("gone"),
    ));
    let response = client.send(&gone, format).await.unwrap();
    assert_eq!(response.rsc, ResponseStatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_ae_lives_and_dies_over_http_in_json() {
    ae_life(BodyFormat::Json).await;
}

#[tokio::test]
async fn an_ae_lives_and_dies_over_http_in_cbor() {
    ae_life(BodyFormat::Cbor).await;
}
