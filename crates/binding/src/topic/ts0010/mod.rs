//! The published TS-0010 topic scheme (V3.1.0 6.4.2-6.4.5, 6.5.4, 6.6).

use onem2m_primitive::id::AeIdKind;
use onem2m_primitive::topic_level::{
    check_topic_level, credential_id_to_topic_level, id_to_topic_level,
    topic_level_to_credential_id, topic_level_to_id,
};
use onem2m_primitive::{CseId, Id, Scope};

use super::qualify::qualify;
use super::{Entity, Hop, Role, Route, RouteKind, TopicError, TopicPrefix, TopicScheme};

#[cfg(test)]
mod tests;

/// The literal first level of every TS-0010 topic.
const ROOT: &str = "oneM2M";

/// How [`Ts0010Scheme`] writes the AE-ID of a C-type AE in the topics it builds.
///
/// TS-0010 6.4.2 writes the SP-relative AE-ID (`id-in:CAE01`); its broker ACLs in 7.4 use
/// the bare AE-ID-Stem (`CAE01`), and so does ACME when it sends to an AE. The two
/// disagree, so the form is a choice. It applies to the topics this entity builds and
/// subscribes to; a response always echoes the levels of the request it answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum AeIdForm {
    /// `id-in:CAE01` (TS-0010 6.4.2). A bare stem is qualified with the CSE on the other
    /// end of the hop, or with the registrar in subscriptions.
    #[default]
    SpRelative,
    /// `CAE01` (TS-0010 7.4, ACME): every AE-ID is reduced to its stem.
    Stem,
}

/// The topic scheme of the published binding, TS-0010 V3.1.0, and the default.
///
/// | Message | Topic |
/// |---|---|
/// | request | `/oneM2M/req/<originator>/<receiver>/<type>` |
/// | response | `/oneM2M/resp/<originator>/<receiver>/<type>`: the request's levels, same order |
/// | registration request | `/oneM2M/reg_req/<credential-id>/<registrar>/<type>` |
/// | registration response | `/oneM2M/reg_resp/<credential-id>/<registrar>/<type>` |
///
/// IDs become levels as TS-0010 6.4.2 says (`/id-in/CAE01` → `id-in:CAE01`,
/// `//sp.com/in-cse` → `:sp.com:in-cse`, see [`onem2m_primitive::topic_level`]);
/// `<type>` is the serializer's name. A pointOfAccess path adds a prefix
/// ([`Ts0010Scheme::with_prefix`]). [`TopicScheme::parse`] also accepts the four-level
/// topics without `<type>` that Rel-1 peers send, with [`Route::serialization`] `None`.
///
/// ```
/// use onem2m_binding::topic::{Hop, TopicScheme, Ts0010Scheme};
///
/// let scheme = Ts0010Scheme::new().with_prefix("/abc/def").unwrap();
/// let hop = Hop { originator: "//a.com/in1", receiver: "//b.com/in2", to: "//b.com/in2/cse-in", serialization: "cbor" };
/// assert_eq!(scheme.request_topic(&hop).unwrap(), "abc/def/oneM2M/req/:a.com:in1/:b.com:in2/cbor");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Ts0010Scheme {
    prefix: TopicPrefix,
    ae_id_form: AeIdForm,
}

impl Ts0010Scheme {
    /// The scheme without prefix, writing C-type AE-IDs SP-relative.
    pub fn new() -> Self {
        Self::default()
    }

    /// The same scheme with every topic behind `prefix`: a pointOfAccess path
    /// (`/abc/def`) or plain levels (`abc/def`); see [`TopicPrefix::new`].
    pub fn with_prefix(mut self, prefix: &str) -> Result<Self, TopicError> {
        self.prefix = TopicPrefix::new(prefix)?;
        Ok(self)
    }

    /// The same scheme writing C-type AE-IDs in `form`.
    pub fn with_ae_id_form(mut self, form: AeIdForm) -> Self {
        self.ae_id_form = form;
        self
    }

    /// The prefix before `/oneM2M`.
    pub fn prefix(&self) -> &TopicPrefix {
        &self.prefix
    }

    /// How C-type AE-IDs are written.
    pub fn ae_id_form(&self) -> AeIdForm {
        self.ae_id_form
    }

    /// `<prefix>/oneM2M/<kind>/<originator>/<receiver>[/<type>]`, from levels.
    fn topic(&self, kind: RouteKind, levels: &[&str]) -> String {
        let mut topic = format!("{}/{ROOT}/{}", self.prefix, kind_level(kind));
        for level in levels {
            topic.push('/');
            topic.push_str(level);
        }
        topic
    }

    /// The level for an entity ID in a topic this entity builds, in the configured
    /// [`AeIdForm`]; `near` is the CSE that qualifies a bare C-type stem.
    fn entity_level(
        &self,
        id: &str,
        near: Option<&str>,
        what: &'static str,
    ) -> Result<String, TopicError> {
        let parsed = Id::parse(id).map_err(|source| TopicError::Unmappable { what, source })?;
        if let Id::Ae(ae) = &parsed {
            match self.ae_id_form {
                AeIdForm::Stem => return Ok(ae.stem().to_owned()),
                AeIdForm::SpRelative
                    if ae.scope() == Scope::CseRelative && ae.kind() == AeIdKind::C =>
                {
                    let needed = "a CSE to qualify a bare C-type AE-ID-Stem";
                    return Ok(qualify(parsed, near, what, needed)?.to_topic_level());
                }
                AeIdForm::SpRelative => {}
            }
        }
        id_to_topic_level(id).map_err(|source| TopicError::Unmappable { what, source })
    }

    /// The levels under which `me` receives requests and responses: its ID's level, and
    /// for a CSE with an absolute CSE-ID also its SP-relative one, since peers in its own
    /// SP address it that way and Mcc' peers the absolute way.
    fn own_levels(&self, me: &Entity, id: &str) -> Result<Vec<String>, TopicError> {
        let level = self.entity_level(id, me.registrar.as_deref(), "own ID")?;
        let mut levels = vec![level];
        if me.role == Role::Cse
            && let Ok(cse) = CseId::parse(id)
            && cse.scope() == Scope::Absolute
        {
            levels.push(registrar_level(&cse));
        }
        Ok(levels)
    }
}

impl TopicScheme for Ts0010Scheme {
    fn name(&self) -> &'static str {
        "ts-0010"
    }

    fn request_topic(&self, hop: &Hop<'_>) -> Result<String, TopicError> {
        let originator = self.entity_level(hop.originator, Some(hop.receiver), "originator")?;
        let receiver = self.entity_level(hop.receiver, Some(hop.originator), "receiver")?;
        let serialization = serialization_level(hop.serialization)?;
        Ok(self.topic(RouteKind::Request, &[&originator, &receiver, serialization]))
    }

    /// Echoes the request's levels in the same order, on `resp` for `req` and `reg_resp`
    /// for `reg_req`. A request that came without a type level (a Rel-1 peer) is
    /// answered without one too, on the topic that peer listens to.
    fn response_topic(&self, request: &Route, serialization: &str) -> Result<String, TopicError> {
        let kind = request
            .kind
            .response_kind()
            .ok_or(TopicError::NotARequest { kind: request.kind })?;
        let originator = request
            .originator
            .as_deref()
            .ok_or(TopicError::MissingContext {
                what: "response topic",
                needed: "the request's originator",
            })?;
        let receiver = request
            .receiver
            .as_deref()
            .ok_or(TopicError::MissingContext {
                what: "response topic",
                needed: "the request's receiver",
            })?;
        let originator = if kind == RouteKind::RegistrationResponse {
            credential_id_to_topic_level(originator)
        } else {
            id_to_topic_level(originator)
        }
        .map_err(|source| TopicError::Unmappable {
            what: "originator",
            source,
        })?;
        let receiver = id_to_topic_level(receiver).map_err(|source| TopicError::Unmappable {
            what: "receiver",
            source,
        })?;
        Ok(match request.serialization {
            Some(_) => self.topic(
                kind,
                &[&originator, &receiver, serialization_level(serialization)?],
            ),
            None => self.topic(kind, &[&originator, &receiver]),
        })
    }

    fn registration_request_topic(
        &self,
        credential_id: &str,
        registrar: &str,
        serialization: &str,
    ) -> Result<String, TopicError> {
        let credential = credential_id_to_topic_level(credential_id).map_err(|source| {
            TopicError::Unmappable {
                what: "Credential-ID",
                source,
            }
        })?;
        let registrar = CseId::parse(registrar).map_err(|source| TopicError::Unmappable {
            what: "registrar",
            source,
        })?;
        let serialization = serialization_level(serialization)?;
        Ok(self.topic(
            RouteKind::RegistrationRequest,
            &[&credential, &registrar_level(&registrar), serialization],
        ))
    }

    /// The `#` forms of TS-0010 6.5.4, which match topics with and without the type
    /// level: `/oneM2M/req/+/<me>/#` and `/oneM2M/resp/<me>/#`; for a CSE also
    /// `/oneM2M/reg_req/+/<me>/#` (it may serve as registrar); with a Credential-ID also
    /// `/oneM2M/reg_resp/<credential-id>/#`.
    fn subscriptions(&self, me: &Entity) -> Result<Vec<String>, TopicError> {
        let mut filters = Vec::new();
        if let Some(id) = me.id.as_deref() {
            for level in self.own_levels(me, id)? {
                filters.push(self.topic(RouteKind::Request, &["+", &level, "#"]));
                filters.push(self.topic(RouteKind::Response, &[&level, "#"]));
            }
            if me.role == Role::Cse {
                let cse = CseId::parse(id).map_err(|source| TopicError::Unmappable {
                    what: "own ID",
                    source,
                })?;
                let level = registrar_level(&cse);
                filters.push(self.topic(RouteKind::RegistrationRequest, &["+", &level, "#"]));
            }
        }
        if let Some(credential_id) = me.credential_id.as_deref() {
            let level = credential_id_to_topic_level(credential_id).map_err(|source| {
                TopicError::Unmappable {
                    what: "Credential-ID",
                    source,
                }
            })?;
            filters.push(self.topic(RouteKind::RegistrationResponse, &[&level, "#"]));
        }
        if filters.is_empty() {
            return Err(TopicError::MissingContext {
                what: "subscriptions",
                needed: "an ID or a Credential-ID",
            });
        }
        Ok(filters)
    }

    /// Accepts exactly the prefix's levels, then `oneM2M`, the kind, the originator, the
    /// receiver and the type, or the same without the type. An unknown type is returned
    /// as received: answering it (4015) is the binding's business, not the topic's.
    fn parse(&self, topic: &str) -> Result<Route, TopicError> {
        let excerpt = || TopicError::excerpt(topic);
        let rest = self
            .prefix
            .strip(topic)
            .ok_or_else(|| TopicError::MissingPrefix {
                topic: excerpt(),
                prefix: self.prefix.to_string(),
            })?;
        let mut levels = rest.split('/');
        // The level before `oneM2M` is the empty one a leading `/` makes.
        let (lead, root) = (levels.next(), levels.next());
        if lead != Some("") || root != Some(ROOT) {
            return Err(TopicError::WrongLiteral {
                topic: excerpt(),
                expected: "\"/oneM2M\" after the prefix",
                found: TopicError::excerpt(&rest.split('/').take(2).collect::<Vec<_>>().join("/")),
            });
        }
        let kind = match levels.next() {
            None => {
                return Err(TopicError::LevelCount {
                    topic: excerpt(),
                    expected: LEVELS_EXPECTED,
                    found: 1,
                });
            }
            Some("") => {
                return Err(TopicError::EmptyLevel {
                    topic: excerpt(),
                    level: "kind",
                });
            }
            Some(level) => kind_from_level(level).ok_or_else(|| TopicError::UnknownKind {
                topic: excerpt(),
                found: TopicError::excerpt(level),
            })?,
        };
        let ends: Vec<&str> = levels.collect();
        let (originator, receiver, serialization) = match ends.as_slice() {
            [o, r] => (*o, *r, None),
            [o, r, t] => (*o, *r, Some(*t)),
            _ => {
                return Err(TopicError::LevelCount {
                    topic: excerpt(),
                    expected: LEVELS_EXPECTED,
                    found: 2 + ends.len(),
                });
            }
        };
        for (level, name) in [
            (Some(originator), "originator"),
            (Some(receiver), "receiver"),
            (serialization, "type"),
        ] {
            if level == Some("") {
                return Err(TopicError::EmptyLevel {
                    topic: excerpt(),
                    level: name,
                });
            }
        }
        let unreadable = |level| {
            move |source| TopicError::InvalidLevel {
                topic: TopicError::excerpt(topic),
                level,
                source,
            }
        };
        let originator = match kind {
            RouteKind::RegistrationRequest | RouteKind::RegistrationResponse => {
                topic_level_to_credential_id(originator).map(|c| c.as_str().to_owned())
            }
            RouteKind::Request | RouteKind::Response => topic_level_to_id(originator),
        }
        .map_err(unreadable("originator"))?;
        let receiver = topic_level_to_id(receiver).map_err(unreadable("receiver"))?;
        if let Some(serialization) = serialization {
            check_topic_level(serialization).map_err(unreadable("type"))?;
        }
        Ok(Route {
            kind,
            originator: Some(originator),
            receiver: Some(receiver),
            serialization: serialization.map(str::to_owned),
        })
    }
}

const LEVELS_EXPECTED: &str = "5 (oneM2M, kind, originator, receiver, type) or 4 without the type";

fn kind_level(kind: RouteKind) -> &'static str {
    match kind {
        RouteKind::Request => "req",
        RouteKind::Response => "resp",
        RouteKind::RegistrationRequest => "reg_req",
        RouteKind::RegistrationResponse => "reg_resp",
    }
}

fn kind_from_level(level: &str) -> Option<RouteKind> {
    Some(match level {
        "req" => RouteKind::Request,
        "resp" => RouteKind::Response,
        "reg_req" => RouteKind::RegistrationRequest,
        "reg_resp" => RouteKind::RegistrationResponse,
        _ => return None,
    })
}

/// The receiver level of the registration topics: the registrar's SP-relative CSE-ID
/// without its `/` (TS-0010 6.4.4).
fn registrar_level(cse: &CseId) -> String {
    Id::Cse(cse.to_sp_relative()).to_topic_level()
}

fn serialization_level(serialization: &str) -> Result<&str, TopicError> {
    check_topic_level(serialization).map_err(|source| TopicError::Unmappable {
        what: "serialization",
        source,
    })?;
    Ok(serialization)
}
