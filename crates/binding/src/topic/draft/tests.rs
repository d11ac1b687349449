#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;
use crate::topic::filter_matches;

fn request_topic(to: &str, receiver: &str) -> Result<String, TopicError> {
    DraftScheme.request_topic(&Hop {
        originator: "CAE01",
        receiver,
        to,
        serialization: "xml",
    })
}

fn subscriptions(me: &Entity) -> Vec<String> {
    DraftScheme.subscriptions(me).unwrap()
}

fn any_matches(filters: &[String], topic: &str) -> bool {
    filters.iter().any(|filter| filter_matches(filter, topic))
}

#[test]
fn the_whole_target_becomes_levels_between_onem2m_and_req() {
    for (to, topic) in [
        ("/id-in", "/oneM2M/id-in/req"),
        ("/id-in/cse-in/myAE", "/oneM2M/id-in/cse-in/myAE/req"),
        ("/id-in/cnt74dSy0QGuX", "/oneM2M/id-in/cnt74dSy0QGuX/req"),
        ("//sp.com/in1/cse-in", "/oneM2M/:sp.com/in1/cse-in/req"),
        ("/SAE01", "/oneM2M/SAE01/req"),
        // CSE-relative targets are placed on the receiver CSE.
        ("cse-in/myAE", "/oneM2M/id-in/cse-in/myAE/req"),
        ("CAE02", "/oneM2M/id-in/CAE02/req"),
        ("SAE02", "/oneM2M/SAE02/req"),
    ] {
        assert_eq!(request_topic(to, "/id-in").unwrap(), topic, "{to}");
    }
}

#[test]
fn a_request_route_names_the_target_and_no_originator_or_serialization() {
    let route = DraftScheme.parse("/oneM2M/id-in/cse-in/myAE/req").unwrap();
    assert_eq!(
        route,
        Route {
            kind: RouteKind::Request,
            originator: None,
            receiver: Some("/id-in/cse-in/myAE".into()),
            serialization: None,
        }
    );
    let route = DraftScheme.parse("/oneM2M/:sp.com/in1/resp").unwrap();
    assert_eq!(route.kind, RouteKind::Response);
    assert_eq!(route.originator.as_deref(), Some("//sp.com/in1"));
    assert_eq!(route.receiver, None);
}

#[test]
fn the_response_goes_to_the_requests_fr() {
    let request = DraftScheme.parse("/oneM2M/id-in/cse-in/myAE/req").unwrap();
    let err = DraftScheme.response_topic(&request, "xml").unwrap_err();
    assert!(matches!(err, TopicError::MissingContext { .. }), "{err}");
    for (fr, topic) in [
        ("CAE01", "/oneM2M/id-in/CAE01/resp"),
        ("/id-in/CAE01", "/oneM2M/id-in/CAE01/resp"),
        ("SAE01", "/oneM2M/SAE01/resp"),
        ("/id-mn", "/oneM2M/id-mn/resp"),
        ("//sp.com/in1", "/oneM2M/:sp.com/in1/resp"),
    ] {
        let route = request.clone().or_originator(Some(fr));
        assert_eq!(
            DraftScheme.response_topic(&route, "xml").unwrap(),
            topic,
            "{fr}"
        );
    }
    let answered = DraftScheme.parse("/oneM2M/id-in/CAE01/resp").unwrap();
    assert_eq!(
        DraftScheme.response_topic(&answered, "xml").unwrap_err(),
        TopicError::NotARequest {
            kind: RouteKind::Response
        }
    );
}

#[test]
fn a_resource_called_req_or_resp_is_still_an_address() {
    let topic = request_topic("/id-in/cse-in/resp/req", "/id-in").unwrap();
    assert_eq!(topic, "/oneM2M/id-in/cse-in/resp/req/req");
    let route = DraftScheme.parse(&topic).unwrap();
    assert_eq!(route.kind, RouteKind::Request);
    assert_eq!(route.receiver.as_deref(), Some("/id-in/cse-in/resp/req"));
}

#[test]
fn subscribers_receive_their_requests_and_responses() {
    let cse = subscriptions(&Entity::cse("/id-in"));
    assert_eq!(cse, ["/oneM2M/id-in/#"]);
    let ae = subscriptions(&Entity::ae("CAE01").with_registrar("/id-in"));
    assert_eq!(ae, ["/oneM2M/id-in/CAE01/#"]);

    let create = request_topic("cse-in/myAE", "/id-in").unwrap();
    assert!(any_matches(&cse, &create));
    assert!(!any_matches(&ae, &create));
    let answer = DraftScheme
        .response_topic(
            &DraftScheme
                .parse(&create)
                .unwrap()
                .or_originator(Some("CAE01")),
            "xml",
        )
        .unwrap();
    assert!(any_matches(&ae, &answer));
    // The draft's known overlap: the CSE also sees its C-type AE's traffic.
    assert!(any_matches(&cse, &answer));

    let notify = request_topic("/id-in/CAE01", "/id-in/CAE01").unwrap();
    assert!(any_matches(&ae, &notify));

    assert_eq!(
        subscriptions(&Entity::cse("//sp.com/in1")),
        ["/oneM2M/:sp.com/in1/#", "/oneM2M/in1/#"]
    );
}

#[test]
fn registration_is_an_ordinary_request_to_the_registrar() {
    let topic = DraftScheme
        .registration_request_topic("AE1", "/id-in", "xml")
        .unwrap();
    assert_eq!(topic, "/oneM2M/id-in/req");
    assert!(
        DraftScheme
            .registration_request_topic("AE1", "cse-in", "xml")
            .is_err()
    );
    let err = DraftScheme
        .subscriptions(&Entity::unregistered_ae("AE1", "/id-in"))
        .unwrap_err();
    assert!(matches!(err, TopicError::MissingContext { .. }), "{err}");
}

#[test]
fn targets_that_cannot_be_placed_are_refused() {
    for (to, receiver) in [("cse-in/myAE", "SAE01"), ("", "/id-in"), ("a+b", "/id-in")] {
        assert!(request_topic(to, receiver).is_err(), "{to} via {receiver}");
    }
}

#[test]
fn malformed_topics_are_refused_with_the_reason() {
    type Check = fn(&TopicError) -> bool;
    let cases: [(&str, Check); 9] = [
        ("oneM2M/id-in/req", |e| {
            matches!(e, TopicError::WrongLiteral { .. })
        }),
        ("/onem2m/id-in/req", |e| {
            matches!(e, TopicError::WrongLiteral { .. })
        }),
        ("/oneM2M/req", |e| {
            matches!(e, TopicError::LevelCount { .. })
        }),
        ("/oneM2M/id-in/request", |e| {
            matches!(e, TopicError::UnknownKind { .. })
        }),
        ("/oneM2M/id-in/", |e| {
            matches!(e, TopicError::EmptyLevel { level: "kind", .. })
        }),
        ("/oneM2M//req", |e| {
            matches!(
                e,
                TopicError::EmptyLevel {
                    level: "address",
                    ..
                }
            )
        }),
        ("/oneM2M/id-in//x/req", |e| {
            matches!(
                e,
                TopicError::EmptyLevel {
                    level: "address",
                    ..
                }
            )
        }),
        ("/oneM2M/id-in/a:b/req", |e| {
            matches!(e, TopicError::InvalidLevel { .. })
        }),
        ("/oneM2M/:sp.com/req", |e| {
            matches!(e, TopicError::InvalidLevel { .. })
        }),
    ];
    for (topic, check) in cases {
        let err = DraftScheme.parse(topic).unwrap_err();
        assert!(check(&err), "{topic:?}: {err}");
        assert!(err.to_string().contains(topic), "{err} names {topic}");
    }
}

fn target() -> impl Strategy<Value = String> {
    let segment = "[a-zA-Z0-9._-]{1,8}";
    (
        prop::option::of("[a-z]{1,6}\\.com"),
        prop::collection::vec(segment, 1..5),
    )
        .prop_map(|(sp, segments)| match sp {
            Some(sp) => format!("//{sp}/{}", segments.join("/")),
            None => format!("/{}", segments.join("/")),
        })
}

proptest! {
    #[test]
    fn parse_never_panics(topic in "\\PC{0,64}") {
        let _ = DraftScheme.parse(&topic);
        let _ = DraftScheme.parse(&format!("/oneM2M/{topic}"));
    }

    #[test]
    fn every_target_reads_back_from_its_topic(to in target(), fr in target()) {
        let topic = request_topic(&to, "/id-in").unwrap();
        let route = DraftScheme.parse(&topic).unwrap();
        prop_assert_eq!(route.receiver.as_deref(), Some(to.as_str()));
        let answer = DraftScheme.response_topic(&route.or_originator(Some(&fr)), "xml").unwrap();
        prop_assert_eq!(DraftScheme.parse(&answer).unwrap().originator, Some(fr));
    }
}
