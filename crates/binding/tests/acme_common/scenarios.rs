//! The whole AE life cycle against ACME, run for each serialization and transport.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use onem2m_binding::Error;
use onem2m_primitive::{RequestPrimitive, ResponseStatusCode};
use onem2m_test_support::raw_mqtt::{CONNACK_ACCEPTED, RawMqttClient, connect, hex};
use tokio::net::TcpStream;

use super::*;

/// Notifications the scenario triggers.
const READINGS: usize = 3;

/// Our AE (`transport`, `serialization`) registers under an AE-ID it chose,
/// subscribes to its own container with `nu` = its AE-ID, writes [`READINGS`]
/// contentInstances and receives exactly that many notifications; the admin
/// subscribes our AE to the container twice: accepted by our handler (2001) and
/// refused (4101, so ACME answers 5204). Then the AE deregisters: DELETE of its
/// resource, the MQTT clean-up, after which ACME answers 4004 and the broker
/// holds no session for the AE's client id.
pub async fn life_cycle(transport: Transport, serialization: &str) {
    let Some(suite) = suite() else { return };
    let TestAe {
        binding: ae,
        registration,
        inbox,
        id: stem,
        path: ae_path,
    } = fresh_ae(
        &suite,
        transport,
        serialization,
        &format!("{transport:?}{serialization}"),
    )
    .await;
    assert_eq!(registration.ae_id, stem);
    assert_eq!(ae.client_id(), format!("A::{stem}"));

    let data = container_notifying(&suite, &ae, &ae_path, &stem).await;
    for n in 0..READINGS {
        let request = content_instance(&data, &format!("reading {n}"));
        expect(&suite, &ae, request, ResponseStatusCode::CREATED).await;
    }
    let notifications = inbox.wait_for_notifications(READINGS).await;
    assert!(
        notifications
            .iter()
            .all(|n| n.op == onem2m_primitive::Operation::Notify && n.fr.as_deref() == Some(CSE_ID)),
        "{notifications:?}"
    );
    assert!(
        inbox.serializations().iter().all(|s| *s == serialization),
        "{:?}",
        inbox.serializations()
    );
    let latest = expect(
        &suite,
        &ae,
        RequestPrimitive::retrieve(format!("{data}/la"), "", ""),
        ResponseStatusCode::OK,
    )
    .await;
    let last = format!("reading {}", READINGS - 1);
    assert_eq!(
        resource(&latest, "m2m:cin")
            .get("con")
            .and_then(|v| v.as_str()),
        Some(last.as_str())
    );

    let admin = admin(&suite).await;
    expect(
        &suite,
        &admin,
        subscription(&data, "byAdmin", &stem),
        ResponseStatusCode::CREATED,
    )
    .await;
    assert_eq!(inbox.verifications().len(), 1, "one verification request");
    inbox.refuse_verifications(true);
    expect(
        &suite,
        &admin,
        subscription(&data, "refused", &stem),
        ResponseStatusCode::SUBSCRIPTION_VERIFICATION_INITIATION_FAILED,
    )
    .await;
    assert_eq!(
        inbox.verifications().len(),
        2,
        "a second verification request"
    );
    // The refused subscription does not exist.
    expect(
        &suite,
        &admin,
        RequestPrimitive::retrieve(format!("{data}/refused"), "", ""),
        ResponseStatusCode::NOT_FOUND,
    )
    .await;

    deregister(&suite, &ae, &admin, &ae_path).await;
    admin.shutdown().await;
}

/// DELETE of the AE resource, then the MQTT clean-up; afterwards ACME has no such
/// AE and the broker no session for its client id.
pub async fn deregister(suite: &Suite, ae: &Binding, admin: &Binding, ae_path: &str) {
    let client_id = ae.client_id();
    expect(
        suite,
        ae,
        RequestPrimitive::delete(ae_path, "", ""),
        ResponseStatusCode::DELETED,
    )
    .await;
    ae.deregister().await;
    assert!(matches!(
        ae.originator()
            .request(RequestPrimitive::retrieve(ae_path, "", ""))
            .await,
        Err(Error::Closed | Error::Mqtt(_))
    ));
    expect(
        suite,
        admin,
        RequestPrimitive::retrieve(ae_path, "", ""),
        ResponseStatusCode::NOT_FOUND,
    )
    .await;
    assert!(
        !broker_has_session(suite, &client_id).await,
        "the broker kept a session for {client_id}"
    );
}

/// Whether the broker holds a session for `client_id`: a CONNECT without Clean
/// Session is answered with Session Present set. (The probe itself is cleaned up
/// by a second, clean connection.)
pub async fn broker_has_session(suite: &Suite, client_id: &str) -> bool {
    let port = suite.broker.ports().mqtt;
    let mut probe = RawMqttClient::new(TcpStream::connect(("127.0.0.1", port)).await.unwrap());
    probe.send(&connect(client_id, false, 60)).await.unwrap();
    let connack = probe.read_packet().await.unwrap().to_bytes();
    probe.disconnect().await.unwrap();
    let mut cleanup = RawMqttClient::new(TcpStream::connect(("127.0.0.1", port)).await.unwrap());
    cleanup.connect(client_id).await.unwrap();
    cleanup.disconnect().await.unwrap();
    match connack.as_slice() {
        c if c == CONNACK_ACCEPTED => false,
        [0x20, 0x02, 0x01, 0x00] => true,
        other => panic!("unexpected CONNACK {}", hex(other)),
    }
}
