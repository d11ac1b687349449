#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;
use crate::topic::filter_matches;

fn hop<'a>(originator: &'a str, receiver: &'a str, serialization: &'a str) -> Hop<'a> {
    Hop {
        originator,
        receiver,
        to: "cse-in",
        serialization,
    }
}

fn request_topic(originator: &str, receiver: &str, serialization: &str) -> String {
    Ts0010Scheme::new()
        .request_topic(&hop(originator, receiver, serialization))
        .unwrap()
}

fn answer(scheme: &Ts0010Scheme, topic: &str, serialization: &str) -> String {
    let route = scheme.parse(topic).unwrap();
    scheme.response_topic(&route, serialization).unwrap()
}

fn route(kind: RouteKind, originator: &str, receiver: &str, serialization: Option<&str>) -> Route {
    Route {
        kind,
        originator: Some(originator.into()),
        receiver: Some(receiver.into()),
        serialization: serialization.map(Into::into),
    }
}

fn subscriptions(scheme: &Ts0010Scheme, me: &Entity) -> Vec<String> {
    scheme.subscriptions(me).unwrap()
}

fn any_matches(filters: &[String], topic: &str) -> bool {
    filters.iter().any(|filter| filter_matches(filter, topic))
}

// Facts §2.6: an S-type AE creates a container on its CSE, which answers.
#[test]
fn s_type_ae_request_and_its_answer_use_the_same_levels() {
    for me in ["SAE01", "/SAE01"] {
        let topic = request_topic(me, "/id-in", "json");
        assert_eq!(topic, "/oneM2M/req/SAE01/id-in/json", "{me}");
    }
    let scheme = Ts0010Scheme::new();
    assert_eq!(
        scheme.parse("/oneM2M/req/SAE01/id-in/json").unwrap(),
        route(RouteKind::Request, "/SAE01", "/id-in", Some("json"))
    );
    assert_eq!(
        answer(&scheme, "/oneM2M/req/SAE01/id-in/json", "json"),
        "/oneM2M/resp/SAE01/id-in/json"
    );
}

// Facts §2.6: a C-type AE, known by its full ID or by its stem.
#[test]
fn c_type_ae_is_written_sp_relative_and_subscribes_under_that_form() {
    assert_eq!(
        request_topic("/id-in/CAE01", "/id-in", "json"),
        "/oneM2M/req/id-in:CAE01/id-in/json"
    );
    assert_eq!(
        request_topic("CAE01", "/id-in", "json"),
        "/oneM2M/req/id-in:CAE01/id-in/json"
    );
    let scheme = Ts0010Scheme::new();
    let expected = ["/oneM2M/req/+/id-in:CAE01/#", "/oneM2M/resp/id-in:CAE01/#"];
    assert_eq!(
        subscriptions(&scheme, &Entity::ae("/id-in/CAE01")),
        expected
    );
    assert_eq!(
        subscriptions(&scheme, &Entity::ae("CAE01").with_registrar("/id-in")),
        expected
    );
}

// Facts §2.6: the CSE notifies the AE, which answers.
#[test]
fn cse_notifying_its_ae_gets_the_answer_on_the_same_levels() {
    for ae in ["/id-in/CAE01", "CAE01"] {
        assert_eq!(
            request_topic("/id-in", ae, "json"),
            "/oneM2M/req/id-in/id-in:CAE01/json",
            "{ae}"
        );
    }
    let scheme = Ts0010Scheme::new();
    let notify = "/oneM2M/req/id-in/id-in:CAE01/json";
    let parsed = scheme.parse(notify).unwrap();
    assert_eq!(parsed.receiver.as_deref(), Some("/id-in/CAE01"));
    let answer = answer(&scheme, notify, "json");
    assert_eq!(answer, "/oneM2M/resp/id-in/id-in:CAE01/json");
    let ae = subscriptions(&scheme, &Entity::ae("/id-in/CAE01"));
    let cse = subscriptions(&scheme, &Entity::cse("/id-in"));
    assert!(any_matches(&ae, notify));
    assert!(any_matches(&cse, &answer));
    assert!(!any_matches(&cse, notify));
    assert!(!any_matches(&ae, &answer));
}

// Facts §2.6: an MN-CSE registers to the IN-CSE over Mcc with an ordinary request.
#[test]
fn mn_cse_registers_over_mcc_on_the_request_topic() {
    let topic = request_topic("/id-mn", "/id-in", "json");
    assert_eq!(topic, "/oneM2M/req/id-mn/id-in/json");
    let scheme = Ts0010Scheme::new();
    assert!(any_matches(
        &subscriptions(&scheme, &Entity::cse("/id-in")),
        &topic
    ));
    let answer = answer(&scheme, &topic, "json");
    assert_eq!(answer, "/oneM2M/resp/id-mn/id-in/json");
    assert!(any_matches(
        &subscriptions(&scheme, &Entity::cse("/id-mn")),
        &answer
    ));
}

// Facts §2.6: Mcc' between IN-CSEs of two service providers.
#[test]
fn absolute_cse_ids_travel_with_a_leading_colon() {
    let topic = request_topic("//a.com/in1", "//b.com/in2", "cbor");
    assert_eq!(topic, "/oneM2M/req/:a.com:in1/:b.com:in2/cbor");
    let scheme = Ts0010Scheme::new();
    assert_eq!(
        scheme.parse(&topic).unwrap(),
        route(
            RouteKind::Request,
            "//a.com/in1",
            "//b.com/in2",
            Some("cbor")
        )
    );
    assert_eq!(
        answer(&scheme, &topic, "cbor"),
        "/oneM2M/resp/:a.com:in1/:b.com:in2/cbor"
    );
    // An IN-CSE with an absolute ID listens under both forms, its reg_req under the
    // SP-relative one (TS-0010 6.4.4).
    assert_eq!(
        subscriptions(&scheme, &Entity::cse("//b.com/in2")),
        [
            "/oneM2M/req/+/:b.com:in2/#",
            "/oneM2M/resp/:b.com:in2/#",
            "/oneM2M/req/+/in2/#",
            "/oneM2M/resp/in2/#",
            "/oneM2M/reg_req/+/in2/#",
        ]
    );
}

// Facts §2.4: ACME's test topics for a registration.
#[test]
fn registration_goes_on_reg_req_and_is_answered_on_reg_resp() {
    let scheme = Ts0010Scheme::new();
    for registrar in ["/id-in", "//sp.com/id-in"] {
        let topic = scheme
            .registration_request_topic("AE1", registrar, "json")
            .unwrap();
        assert_eq!(topic, "/oneM2M/reg_req/AE1/id-in/json", "{registrar}");
    }
    let topic = "/oneM2M/reg_req/AE1/id-in/json";
    let parsed = scheme.parse(topic).unwrap();
    assert_eq!(
        parsed,
        route(
            RouteKind::RegistrationRequest,
            "AE1",
            "/id-in",
            Some("json")
        )
    );
    let answer = scheme.response_topic(&parsed, "json").unwrap();
    assert_eq!(answer, "/oneM2M/reg_resp/AE1/id-in/json");
    assert_eq!(
        scheme.parse(&answer).unwrap().kind,
        RouteKind::RegistrationResponse
    );

    let newcomer = Entity::unregistered_ae("AE1", "/id-in");
    assert_eq!(
        subscriptions(&scheme, &newcomer),
        ["/oneM2M/reg_resp/AE1/#"]
    );
    assert!(any_matches(&subscriptions(&scheme, &newcomer), &answer));
    assert!(any_matches(
        &subscriptions(&scheme, &Entity::cse("/id-in")),
        topic
    ));
    // An AE is nobody's registrar.
    assert!(!any_matches(
        &subscriptions(&scheme, &Entity::ae("/SAE01")),
        "/oneM2M/reg_req/AE1/SAE01/json"
    ));
}

#[test]
fn registration_topics_refuse_what_is_not_a_credential_or_a_cse() {
    let scheme = Ts0010Scheme::new();
    for (credential, registrar) in [
        ("AE+1", "/id-in"),
        ("", "/id-in"),
        ("AE1", "/id-in/CAE01"),
        ("AE1", "cse-in"),
    ] {
        let err = scheme
            .registration_request_topic(credential, registrar, "json")
            .unwrap_err();
        assert!(
            matches!(err, TopicError::Unmappable { .. }),
            "{credential} {registrar}: {err}"
        );
    }
    // TS-0010 6.4.4: `/` in a Credential-ID becomes `:`.
    assert_eq!(
        scheme
            .registration_request_topic("a/b", "/id-in", "json")
            .unwrap(),
        "/oneM2M/reg_req/a:b/id-in/json"
    );
}

#[test]
fn a_poa_path_prefixes_every_topic_and_parsing_requires_it() {
    let scheme = Ts0010Scheme::new().with_prefix("/abc/def").unwrap();
    let topic = scheme
        .request_topic(&hop("/id-in/CAE01", "/id-in", "xml"))
        .unwrap();
    assert_eq!(topic, "abc/def/oneM2M/req/id-in:CAE01/id-in/xml");
    assert_eq!(
        answer(&scheme, &topic, "xml"),
        "abc/def/oneM2M/resp/id-in:CAE01/id-in/xml"
    );
    assert_eq!(
        scheme
            .registration_request_topic("AE1", "/id-in", "xml")
            .unwrap(),
        "abc/def/oneM2M/reg_req/AE1/id-in/xml"
    );
    let cse = subscriptions(&scheme, &Entity::cse("/id-in"));
    assert!(
        cse.iter()
            .all(|filter| filter.starts_with("abc/def/oneM2M/"))
    );
    assert!(any_matches(&cse, &topic));

    for unprefixed in [
        "/oneM2M/req/id-in:CAE01/id-in/xml",
        "abc/oneM2M/req/id-in:CAE01/id-in/xml",
        "abc/defg/oneM2M/req/id-in:CAE01/id-in/xml",
    ] {
        let err = scheme.parse(unprefixed).unwrap_err();
        assert!(
            matches!(err, TopicError::MissingPrefix { .. }),
            "{unprefixed}: {err}"
        );
    }
    // Without a prefix, a prefixed topic is refused as well.
    assert!(Ts0010Scheme::new().parse(&topic).is_err());
    assert!(Ts0010Scheme::new().with_prefix("a/#").is_err());
}

// TS-0010 6.6's example: the AE with poa mqtt://h/abc/def, written as ACME writes C-type AEs.
#[test]
fn stem_form_writes_c_type_aes_by_their_stem() {
    let scheme = Ts0010Scheme::new()
        .with_prefix("/abc/def")
        .unwrap()
        .with_ae_id_form(AeIdForm::Stem);
    let me = Entity::ae("/id-in/CAE01");
    let filters = subscriptions(&scheme, &me);
    assert_eq!(filters[0], "abc/def/oneM2M/req/+/CAE01/#");
    let notify = scheme
        .request_topic(&hop("/id-in", "/id-in/CAE01", "json"))
        .unwrap();
    assert_eq!(notify, "abc/def/oneM2M/req/id-in/CAE01/json");
    assert!(any_matches(&filters, &notify));
    // The answer echoes the stem as received; it is not qualified on the way back.
    assert_eq!(
        answer(&scheme, &notify, "json"),
        "abc/def/oneM2M/resp/id-in/CAE01/json"
    );
    // A spec-form request is answered in the spec form even by a Stem-form scheme.
    let spec_form = "abc/def/oneM2M/req/id-in:CAE01/id-in/json";
    assert_eq!(
        answer(&scheme, spec_form, "json"),
        "abc/def/oneM2M/resp/id-in:CAE01/id-in/json"
    );
}

#[test]
fn a_bare_c_stem_needs_a_cse_to_be_qualified() {
    let scheme = Ts0010Scheme::new();
    let err = scheme
        .request_topic(&hop("CAE01", "SAE02", "json"))
        .unwrap_err();
    assert!(matches!(err, TopicError::MissingContext { .. }), "{err}");
    let err = scheme.subscriptions(&Entity::ae("CAE01")).unwrap_err();
    assert!(matches!(err, TopicError::MissingContext { .. }), "{err}");
}

#[test]
fn ids_that_are_no_entity_cannot_be_written() {
    let scheme = Ts0010Scheme::new();
    for (originator, receiver, serialization) in [
        ("cse-in/myAE", "/id-in", "json"),
        ("/id-in", "my+ae", "json"),
        ("", "/id-in", "json"),
        ("/id-in", "/id-mn", ""),
        ("/id-in", "/id-mn", "js/on"),
        ("/id-in", "/id-mn", "#"),
    ] {
        let err = scheme
            .request_topic(&hop(originator, receiver, serialization))
            .unwrap_err();
        assert!(
            matches!(err, TopicError::Unmappable { .. }),
            "{originator} {receiver} {serialization}: {err}"
        );
    }
}

// Rel-1 peers (Mobius's `resp_topic_rel1`) send topics without the type level.
#[test]
fn topics_without_type_are_accepted_and_answered_without_type() {
    let scheme = Ts0010Scheme::new();
    let topic = "/oneM2M/req/id-in:CAE01/id-in";
    assert_eq!(
        scheme.parse(topic).unwrap(),
        route(RouteKind::Request, "/id-in/CAE01", "/id-in", None)
    );
    assert_eq!(
        answer(&scheme, topic, "json"),
        "/oneM2M/resp/id-in:CAE01/id-in"
    );
    assert!(any_matches(
        &subscriptions(&scheme, &Entity::cse("/id-in")),
        topic
    ));
    assert_eq!(
        scheme
            .parse("/oneM2M/reg_resp/AE1/id-in")
            .unwrap()
            .serialization,
        None
    );
}

#[test]
fn unknown_types_are_returned_as_received() {
    let scheme = Ts0010Scheme::new();
    for ty in ["yaml", "JSON", "xml2"] {
        let topic = format!("/oneM2M/req/SAE01/id-in/{ty}");
        assert_eq!(
            scheme.parse(&topic).unwrap().serialization.as_deref(),
            Some(ty)
        );
    }
    // The answer may use another serialization than the request announced.
    let route = scheme.parse("/oneM2M/req/SAE01/id-in/yaml").unwrap();
    assert_eq!(
        scheme.response_topic(&route, "json").unwrap(),
        "/oneM2M/resp/SAE01/id-in/json"
    );
}

#[test]
fn malformed_topics_are_refused_with_the_reason() {
    let scheme = Ts0010Scheme::new();
    type Check = fn(&TopicError) -> bool;
    let cases: [(&str, Check); 16] = [
        ("oneM2M/req/SAE01/id-in/json", |e| {
            matches!(e, TopicError::WrongLiteral { .. })
        }),
        ("/onem2m/req/SAE01/id-in/json", |e| {
            matches!(e, TopicError::WrongLiteral { .. })
        }),
        ("//oneM2M/req/SAE01/id-in/json", |e| {
            matches!(e, TopicError::WrongLiteral { .. })
        }),
        ("", |e| matches!(e, TopicError::WrongLiteral { .. })),
        ("/oneM2M", |e| {
            matches!(e, TopicError::LevelCount { found: 1, .. })
        }),
        ("/oneM2M/req/SAE01", |e| {
            matches!(e, TopicError::LevelCount { found: 3, .. })
        }),
        ("/oneM2M/req/SAE01/id-in/json/x", |e| {
            matches!(e, TopicError::LevelCount { found: 6, .. })
        }),
        ("/oneM2M/request/SAE01/id-in/json", |e| {
            matches!(e, TopicError::UnknownKind { .. })
        }),
        ("/oneM2M/REQ/SAE01/id-in/json", |e| {
            matches!(e, TopicError::UnknownKind { .. })
        }),
        ("/oneM2M//SAE01/id-in/json", |e| {
            matches!(e, TopicError::EmptyLevel { level: "kind", .. })
        }),
        ("/oneM2M/req//id-in/json", |e| {
            matches!(
                e,
                TopicError::EmptyLevel {
                    level: "originator",
                    ..
                }
            )
        }),
        ("/oneM2M/req/SAE01//json", |e| {
            matches!(
                e,
                TopicError::EmptyLevel {
                    level: "receiver",
                    ..
                }
            )
        }),
        ("/oneM2M/req/SAE01/id-in/", |e| {
            matches!(e, TopicError::EmptyLevel { level: "type", .. })
        }),
        ("/oneM2M/req/SAE01/id in/json", |e| {
            matches!(
                e,
                TopicError::InvalidLevel {
                    level: "receiver",
                    ..
                }
            )
        }),
        ("/oneM2M/req/id-in::x/id-in/json", |e| {
            matches!(
                e,
                TopicError::InvalidLevel {
                    level: "originator",
                    ..
                }
            )
        }),
        ("/oneM2M/reg_req/a:b/id-in/json", |e| {
            matches!(
                e,
                TopicError::InvalidLevel {
                    level: "originator",
                    ..
                }
            )
        }),
    ];
    for (topic, check) in cases {
        let err = scheme.parse(topic).unwrap_err();
        assert!(check(&err), "{topic:?}: {err}");
        if !topic.is_empty() {
            assert!(err.to_string().contains(topic), "{err} names {topic}");
        }
    }
}

#[test]
fn only_requests_are_answered() {
    let scheme = Ts0010Scheme::new();
    for kind in [RouteKind::Response, RouteKind::RegistrationResponse] {
        let err = scheme
            .response_topic(&route(kind, "/SAE01", "/id-in", Some("json")), "json")
            .unwrap_err();
        assert_eq!(err, TopicError::NotARequest { kind });
    }
    let mut missing = route(RouteKind::Request, "/SAE01", "/id-in", None);
    missing.originator = None;
    assert!(matches!(
        scheme.response_topic(&missing, "json"),
        Err(TopicError::MissingContext { .. })
    ));
}

// Facts §2.3: the 6.4.5/7.4 filters miss the mandatory type level.
#[test]
fn filters_without_hash_miss_suffixed_topics() {
    let suffixed = "/oneM2M/resp/me/id-in/json";
    assert!(!filter_matches("/oneM2M/resp/me/+", suffixed));
    assert!(filter_matches("/oneM2M/resp/me/+", "/oneM2M/resp/me/id-in"));
    assert!(filter_matches("/oneM2M/resp/me/#", suffixed));
    assert!(filter_matches("/oneM2M/resp/me/#", "/oneM2M/resp/me/id-in"));
    // Mobius subscribes `/oneM2M/req/+/<csi>/+`, which only sees suffixed requests.
    assert!(filter_matches(
        "/oneM2M/req/+/id-in/+",
        "/oneM2M/req/SAE01/id-in/json"
    ));
    assert!(!filter_matches(
        "/oneM2M/req/+/id-in/+",
        "/oneM2M/req/SAE01/id-in"
    ));
}

#[test]
fn scheme_works_behind_a_trait_object() {
    let scheme: Box<dyn TopicScheme> = Box::new(Ts0010Scheme::new());
    assert_eq!(scheme.name(), "ts-0010");
    assert!(scheme.parse("/oneM2M/req/SAE01/id-in/json").is_ok());
}

fn entity_id() -> impl Strategy<Value = String> {
    let name = "[a-z][a-z0-9.-]{0,7}";
    prop_oneof![
        name.prop_map(|csi| format!("/{csi}")),
        (name, "C[a-zA-Z0-9_]{0,7}").prop_map(|(csi, stem)| format!("/{csi}/{stem}")),
        "S[a-zA-Z0-9_]{0,7}".prop_map(|stem| format!("/{stem}")),
        (name, name).prop_map(|(sp, csi)| format!("//{sp}/{csi}")),
    ]
}

fn entity(id: &str) -> Entity {
    if Id::parse(id).unwrap().is_ae() {
        Entity::ae(id)
    } else {
        Entity::cse(id)
    }
}

proptest! {
    #[test]
    fn parse_never_panics(topic in "\\PC{0,64}") {
        let _ = Ts0010Scheme::new().parse(&topic);
        let _ = Ts0010Scheme::new().with_prefix("a/b").unwrap().parse(&topic);
    }

    #[test]
    fn parse_never_panics_on_near_misses(
        levels in prop::collection::vec("[a-zA-Z0-9:._+#-]{0,6}|oneM2M|req|resp|reg_req|reg_resp", 0..8),
    ) {
        let topic = format!("/{}", levels.join("/"));
        let _ = Ts0010Scheme::new().parse(&topic);
        let _ = Ts0010Scheme::new().parse(&format!("/oneM2M/{}", levels.join("/")));
    }

    #[test]
    fn every_accepted_request_is_answered_on_its_own_levels(
        kind in "req|reg_req",
        originator in "[a-zA-Z0-9:._@-]{1,10}",
        receiver in "[a-zA-Z0-9:._-]{1,10}",
        serialization in prop::option::of("[a-z]{1,5}"),
    ) {
        let scheme = Ts0010Scheme::new();
        let suffix = serialization.as_ref().map(|t| format!("/{t}")).unwrap_or_default();
        let topic = format!("/oneM2M/{kind}/{originator}/{receiver}{suffix}");
        if let Ok(parsed) = scheme.parse(&topic) {
            let answer = scheme.response_topic(&parsed, serialization.as_deref().unwrap_or("json")).unwrap();
            let answer_kind = if kind == "req" { "resp" } else { "reg_resp" };
            prop_assert_eq!(answer, format!("/oneM2M/{answer_kind}/{originator}/{receiver}{suffix}"));
        }
    }

    #[test]
    fn request_and_response_topics_read_back_and_reach_their_subscribers(
        originator in entity_id(),
        receiver in entity_id(),
        serialization in "xml|json|cbor|[a-z]{1,6}",
        prefix in "|p|p/q",
    ) {
        let scheme = Ts0010Scheme::new().with_prefix(&prefix).unwrap();
        let topic = scheme.request_topic(&hop(&originator, &receiver, &serialization)).unwrap();
        let parsed = scheme.parse(&topic).unwrap();
        prop_assert_eq!(&parsed, &route(RouteKind::Request, &originator, &receiver, Some(&serialization)));
        prop_assert!(any_matches(&subscriptions(&scheme, &entity(&receiver)), &topic));

        let answer = scheme.response_topic(&parsed, &serialization).unwrap();
        let back = scheme.parse(&answer).unwrap();
        prop_assert_eq!(back, route(RouteKind::Response, &originator, &receiver, Some(&serialization)));
        prop_assert!(any_matches(&subscriptions(&scheme, &entity(&originator)), &answer));
    }
}
