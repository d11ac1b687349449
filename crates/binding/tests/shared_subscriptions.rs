//! Several receivers serving one CSE-ID through a shared subscription, on Mosquitto
//! (skipped when it is not installed, unless `ONEM2M_REQUIRE_MOSQUITTO=1`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binding_common;

use binding_common::{AE_ID, CSE_ID, Echo, Scheme, builder, content, echo_response, retrieve};
use onem2m_binding::Error;
use onem2m_primitive::{RequestPrimitive, ResponseStatusCode};
use onem2m_test_support::require_mosquitto;

const REQUESTS: usize = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_of_a_group_split_the_requests_and_each_gets_the_answers_to_its_own() {
    let broker = require_mosquitto!();
    let url = broker.mqtt_url();
    let members = [Echo::default(), Echo::default()];
    let mut cses = Vec::new();
    for (i, echo) in members.iter().enumerate() {
        let cse = builder(&url, Scheme::Ts0010, "json")
            .cse_id(CSE_ID)
            .client_id(format!("cse-member-{i}"))
            .shared_subscription("cse-in")
            .handler(echo.handler())
            .build()
            .await
            .unwrap();
        cses.push(cse);
    }
    let ae_echo = Echo::default();
    let ae = builder(&url, Scheme::Ts0010, "json")
        .ae_id(AE_ID)
        .registrar(CSE_ID)
        .handler(ae_echo.handler())
        .build()
        .await
        .unwrap();

    for i in 0..REQUESTS {
        let request = retrieve(&format!("shared-{i}"));
        let response = ae.originator().request(request.clone()).await.unwrap();
        assert_eq!(response, echo_response(&request));
    }
    let calls = members.iter().map(Echo::calls).collect::<Vec<_>>();
    assert_eq!(calls.iter().sum::<usize>(), REQUESTS, "{calls:?}");
    assert!(
        calls.iter().all(|&n| n > 0),
        "one member got nothing: {calls:?}"
    );

    // Responses are not shared: each member gets the answers to its own requests even
    // though both subscribe to the CSE-ID's response topics.
    for (i, cse) in cses.iter().enumerate() {
        for j in 0..5 {
            let notify = RequestPrimitive::notify(
                AE_ID,
                CSE_ID,
                format!("ntf-{i}-{j}"),
                content("m2m:sgn", "sur", "sub1"),
            );
            let response = cse.originator().request(notify.clone()).await.unwrap();
            assert_eq!(response.rsc, ResponseStatusCode::OK);
            assert_eq!(response, echo_response(&notify));
        }
    }
    assert_eq!(ae_echo.calls(), 10);
    ae.shutdown().await;
    for cse in cses {
        cse.shutdown().await;
    }
}

#[tokio::test]
async fn a_member_without_its_own_client_id_is_refused_before_connecting() {
    let err = builder("mqtt://127.0.0.1:9", Scheme::Ts0010, "json")
        .cse_id(CSE_ID)
        .shared_subscription("cse-in")
        .build()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m.contains("client_id")),
        "{err}"
    );
}

#[tokio::test]
async fn a_scheme_that_cannot_share_is_refused_before_connecting() {
    let err = builder("mqtt://127.0.0.1:9", Scheme::Draft, "json")
        .cse_id(CSE_ID)
        .client_id("cse-member-0")
        .shared_subscription("cse-in")
        .build()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Topic(_)), "{err}");
}
