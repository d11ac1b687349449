//! The binding in tower terms: the originator is a `tower::Service`, and a
//! `tower::Service` serves a receiver's requests.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binding_common;

use binding_common::{AE_ID, CSE_ID, Scheme, builder, retrieve};
use onem2m_binding::tower_service::ServiceHandler;
use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, ResponseStatusCode};
use tower::{ServiceExt, service_fn};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_originator_service_reaches_a_receiver_served_by_a_service() {
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(false))
        .await
        .unwrap();
    let url = broker.url();
    let service = service_fn(|request: RequestPrimitive| async move {
        if request.rqi == "fails" {
            return Err("backend down");
        }
        Ok(ResponsePrimitive::answering(
            &request,
            ResponseStatusCode::UPDATED,
        ))
    });
    let cse = builder(&url, Scheme::Ts0010, "json")
        .cse_id(CSE_ID)
        .handler(ServiceHandler::new(service))
        .build()
        .await
        .unwrap();
    let ae = builder(&url, Scheme::Ts0010, "cbor")
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .build()
        .await
        .unwrap();

    let response = ae
        .originator()
        .oneshot(retrieve("via-tower"))
        .await
        .unwrap();
    assert_eq!(response.rsc, ResponseStatusCode::UPDATED);
    assert_eq!(response.rqi.as_deref(), Some("via-tower"));

    let failed = ae.originator().oneshot(retrieve("fails")).await.unwrap();
    assert_eq!(failed.rsc, ResponseStatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(failed.debug_message(), Some("backend down"));
    ae.shutdown().await;
    cse.shutdown().await;
}
