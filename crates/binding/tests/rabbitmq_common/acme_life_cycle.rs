//! The interop scenario with ACME connected to one broker node and our AE to another:
//! the AE's life cycle through the broker cluster's links.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use onem2m_binding::Binding;
use onem2m_binding::driver::ReconnectPolicy;
use onem2m_primitive::{RequestPrimitive, ResponseStatusCode, Value};
use onem2m_serialization::JsonSerializer;
use onem2m_test_support::Acme;

use crate::acme_common::{
    CSE_ID, CSE_NAME, Inbox, ae_create_with_poa, container, content_instance, expect_from,
    resource, stem_scheme, subscription, unique,
};

use super::PATIENCE;

/// Notifications the scenario triggers.
const READINGS: usize = 3;

/// Our AE on `ae_url` registers with `acme` (connected elsewhere), makes a container
/// with a subscription notifying itself, writes
/// [`READINGS`] contentInstances and receives a notification for each, retrieves
/// the latest, and deletes its AE resource.
pub async fn life_cycle(ae_url: &str, acme: &Acme) {
    let inbox = Inbox::default();
    let id = unique("Crmq-");
    let rn = unique("rmq-");
    let ae = Binding::builder()
        .url(ae_url)
        .unwrap()
        .topic_scheme(stem_scheme())
        .serializer(JsonSerializer::new())
        .reconnect(ReconnectPolicy::new(
            Duration::from_millis(50),
            Duration::from_millis(500),
        ))
        .connect_timeout(PATIENCE)
        .request_timeout(PATIENCE)
        .registration(unique("cred-"))
        .registrar(CSE_ID)
        .handler(inbox.handler())
        .build()
        .await
        .unwrap();
    let registration = ae
        .register_ae(ae_create_with_poa(
            &rn,
            &id,
            "json",
            &acme.mqtt_poa().unwrap(),
        ))
        .await
        .unwrap_or_else(|e| panic!("registration failed: {e}\nACME:\n{}", acme.log_tail(60)));
    assert_eq!(registration.ae_id, id);

    let ae_path = format!("{CSE_NAME}/{rn}");
    expect_from(
        acme,
        &ae,
        container(&ae_path, "data"),
        ResponseStatusCode::CREATED,
    )
    .await;
    let data = format!("{ae_path}/data");
    expect_from(
        acme,
        &ae,
        subscription(&data, "self", &id),
        ResponseStatusCode::CREATED,
    )
    .await;
    for n in 0..READINGS {
        let reading = content_instance(&data, &format!("reading {n}"));
        expect_from(acme, &ae, reading, ResponseStatusCode::CREATED).await;
    }
    let notifications = inbox.wait_for_notifications(READINGS).await;
    assert!(
        notifications
            .iter()
            .all(|n| n.fr.as_deref() == Some(CSE_ID)),
        "{notifications:?}"
    );
    let latest = expect_from(
        acme,
        &ae,
        RequestPrimitive::retrieve(format!("{data}/la"), "", ""),
        ResponseStatusCode::OK,
    )
    .await;
    let last = format!("reading {}", READINGS - 1);
    assert_eq!(
        resource(&latest, "m2m:cin")
            .get("con")
            .and_then(Value::as_str),
        Some(last.as_str())
    );
    expect_from(
        acme,
        &ae,
        RequestPrimitive::delete(&ae_path, "", ""),
        ResponseStatusCode::DELETED,
    )
    .await;
    ae.deregister().await;
}
