//! Writes a third topic scheme and runs a request, its response and a registration
//! through it, next to the two schemes that come with the binding.
//!
//! The "inbox" scheme gives every entity one subtree, `o2m/<owner>/...`, holding
//! everything addressed to it: a broker ACL then needs one rule per client ("may read
//! `o2m/<me>/#`"), and an entity needs a single subscription.
//!
//! | Message | Topic |
//! |---|---|
//! | request | `o2m/<receiver>/req/<originator>/<type>` |
//! | response | `o2m/<originator>/resp/<receiver>/<type>` |
//! | registration request | `o2m/<registrar>/reg_req/<credential-id>/<type>` |
//! | registration response | `o2m/<credential-id>/reg_resp/<registrar>/<type>` |
//!
//! Run with `cargo run -p onem2m-examples --example custom_topic_scheme`.

use onem2m_binding::topic::{
    DraftScheme, Entity, Hop, Route, RouteKind, TopicError, TopicScheme, Ts0010Scheme,
    filter_matches,
};
use onem2m_primitive::topic_level::{
    check_topic_level, credential_id_to_topic_level, id_to_topic_level,
    topic_level_to_credential_id, topic_level_to_id,
};

/// Every entity reads its own subtree `o2m/<owner>/#`.
struct InboxScheme;

impl InboxScheme {
    fn topic(owner: &str, kind: &str, peer: &str, serialization: &str) -> String {
        format!("o2m/{owner}/{kind}/{peer}/{serialization}")
    }
}

/// The topic level of an AE-ID or CSE-ID, with the binding's error type.
fn id_level(id: &str, what: &'static str) -> Result<String, TopicError> {
    id_to_topic_level(id).map_err(|source| TopicError::Unmappable { what, source })
}

fn credential_level(credential_id: &str) -> Result<String, TopicError> {
    credential_id_to_topic_level(credential_id).map_err(|source| TopicError::Unmappable {
        what: "Credential-ID",
        source,
    })
}

fn type_level(serialization: &str) -> Result<&str, TopicError> {
    check_topic_level(serialization).map_err(|source| TopicError::Unmappable {
        what: "serialization",
        source,
    })?;
    Ok(serialization)
}

impl TopicScheme for InboxScheme {
    fn name(&self) -> &'static str {
        "inbox"
    }

    fn request_topic(&self, hop: &Hop<'_>) -> Result<String, TopicError> {
        Ok(Self::topic(
            &id_level(hop.receiver, "receiver")?,
            "req",
            &id_level(hop.originator, "originator")?,
            type_level(hop.serialization)?,
        ))
    }

    fn response_topic(&self, request: &Route, serialization: &str) -> Result<String, TopicError> {
        let missing = |needed| TopicError::MissingContext {
            what: "response topic",
            needed,
        };
        let originator = request
            .originator
            .as_deref()
            .ok_or(missing("the request's originator"))?;
        let receiver = request
            .receiver
            .as_deref()
            .ok_or(missing("the request's receiver"))?;
        let (owner, kind) = match request.kind {
            RouteKind::Request => (id_level(originator, "originator")?, "resp"),
            RouteKind::RegistrationRequest => (credential_level(originator)?, "reg_resp"),
            kind => return Err(TopicError::NotARequest { kind }),
        };
        Ok(Self::topic(
            &owner,
            kind,
            &id_level(receiver, "receiver")?,
            type_level(serialization)?,
        ))
    }

    fn registration_request_topic(
        &self,
        credential_id: &str,
        registrar: &str,
        serialization: &str,
    ) -> Result<String, TopicError> {
        Ok(Self::topic(
            &id_level(registrar, "registrar")?,
            "reg_req",
            &credential_level(credential_id)?,
            type_level(serialization)?,
        ))
    }

    fn subscriptions(&self, me: &Entity) -> Result<Vec<String>, TopicError> {
        let mut filters = Vec::new();
        if let Some(id) = me.id.as_deref() {
            filters.push(format!("o2m/{}/#", id_level(id, "own ID")?));
        }
        if let Some(credential_id) = me.credential_id.as_deref() {
            // Narrower than the whole subtree: a credential may share a name with an ID.
            filters.push(format!(
                "o2m/{}/reg_resp/#",
                credential_level(credential_id)?
            ));
        }
        Ok(filters)
    }

    fn parse(&self, topic: &str) -> Result<Route, TopicError> {
        let excerpt = || TopicError::excerpt(topic);
        let levels: Vec<&str> = topic.split('/').collect();
        let [root, owner, kind, peer, serialization] = levels.as_slice() else {
            return Err(TopicError::LevelCount {
                topic: excerpt(),
                expected: "5 (o2m, owner, kind, peer, type)",
                found: levels.len(),
            });
        };
        if *root != "o2m" {
            return Err(TopicError::WrongLiteral {
                topic: excerpt(),
                expected: "\"o2m\"",
                found: TopicError::excerpt(root),
            });
        }
        let unreadable = |level| {
            move |source| TopicError::InvalidLevel {
                topic: TopicError::excerpt(topic),
                level,
                source,
            }
        };
        let id = |level, name| topic_level_to_id(level).map_err(unreadable(name));
        let credential = |level| {
            topic_level_to_credential_id(level)
                .map(|c| c.as_str().to_owned())
                .map_err(unreadable("credential"))
        };
        let (kind, originator, receiver) = match *kind {
            "req" => (RouteKind::Request, id(peer, "peer")?, id(owner, "owner")?),
            "resp" => (RouteKind::Response, id(owner, "owner")?, id(peer, "peer")?),
            "reg_req" => (
                RouteKind::RegistrationRequest,
                credential(peer)?,
                id(owner, "owner")?,
            ),
            "reg_resp" => (
                RouteKind::RegistrationResponse,
                credential(owner)?,
                id(peer, "peer")?,
            ),
            other => {
                return Err(TopicError::UnknownKind {
                    topic: excerpt(),
                    found: TopicError::excerpt(other),
                });
            }
        };
        check_topic_level(serialization).map_err(unreadable("type"))?;
        Ok(Route {
            kind,
            originator: Some(originator),
            receiver: Some(receiver),
            serialization: Some((*serialization).to_owned()),
        })
    }
}

fn check(ok: bool, what: &str) -> Result<(), Box<dyn std::error::Error>> {
    if ok {
        Ok(())
    } else {
        Err(format!("check failed: {what}").into())
    }
}

fn matched_by(filters: &[String], topic: &str) -> bool {
    filters.iter().any(|filter| filter_matches(filter, topic))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ae = Entity::ae("/id-in/CAE01").with_registrar("/id-in");
    let cse = Entity::cse("/id-in");
    let hop = Hop {
        originator: "/id-in/CAE01",
        receiver: "/id-in",
        to: "/id-in/cse-in/myAE",
        serialization: "json",
    };
    let schemes: [Box<dyn TopicScheme>; 3] = [
        Box::new(Ts0010Scheme::new()),
        Box::new(DraftScheme),
        Box::new(InboxScheme),
    ];
    for scheme in &schemes {
        println!("== {}", scheme.name());
        let request = scheme.request_topic(&hop)?;
        let route = scheme.parse(&request)?.or_originator(Some(hop.originator));
        let response = scheme.response_topic(&route, hop.serialization)?;
        println!("request      {request}");
        println!("  parsed     {route:?}");
        println!("response     {response}");
        println!("  parsed     {:?}", scheme.parse(&response)?);
        let ae_filters = scheme.subscriptions(&ae)?;
        let cse_filters = scheme.subscriptions(&cse)?;
        println!("AE listens   {ae_filters:?}");
        println!("CSE listens  {cse_filters:?}");
        check(
            route.kind == RouteKind::Request,
            "the request parses as one",
        )?;
        check(
            matched_by(&cse_filters, &request),
            "the CSE gets the request",
        )?;
        check(
            matched_by(&ae_filters, &response),
            "the AE gets the response",
        )?;
    }

    println!("== inbox registration");
    let newcomer = Entity::unregistered_ae("psk-lamp@example.com", "/id-in");
    let reg = InboxScheme.registration_request_topic("psk-lamp@example.com", "/id-in", "cbor")?;
    let route = InboxScheme.parse(&reg)?;
    let reg_answer = InboxScheme.response_topic(&route, "cbor")?;
    println!("reg_req      {reg}");
    println!("reg_resp     {reg_answer}");
    check(
        route.originator.as_deref() == Some("psk-lamp@example.com"),
        "the Credential-ID reads back",
    )?;
    check(
        matched_by(&InboxScheme.subscriptions(&cse)?, &reg),
        "the registrar gets it",
    )?;
    check(
        matched_by(&InboxScheme.subscriptions(&newcomer)?, &reg_answer),
        "the newcomer gets the answer",
    )?;

    let bad = InboxScheme.parse("o2m/id-in/req/+/json");
    println!(
        "malformed    {}",
        bad.as_ref()
            .map_or_else(ToString::to_string, |r| format!("{r:?}"))
    );
    check(bad.is_err(), "a wildcard level is refused")?;
    Ok(())
}
