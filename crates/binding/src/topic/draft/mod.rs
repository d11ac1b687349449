//! The topic scheme of the seed MQTT binding draft (6.2.2-6.2.3).

use onem2m_primitive::{CseId, Id, Scope};

use super::qualify::qualify;
use super::{Entity, Hop, Role, Route, RouteKind, TopicError, TopicScheme};

#[cfg(test)]
mod tests;

/// What every draft topic starts with.
const ROOT: &str = "/oneM2M/";

/// The topic scheme the seed MQTT binding draft suggests (its 6.2.2-6.2.3), before
/// TS-0010 was published: a request goes to `/oneM2M/<to>/req`, its response to
/// `/oneM2M/<originator>/resp`.
///
/// The draft leaves the details "FFS"; this type fixes them so that topics read back
/// exactly:
///
/// - `<to>` is the request's target, written SP-relative without its leading `/`, one
///   topic level per path segment (`/id-in/cse-in/myAE` → `id-in/cse-in/myAE`). An
///   absolute ID keeps its SP-ID behind a `:` (`//sp.com/in1/cse-in` →
///   `:sp.com/in1/cse-in`); no ID contains `:`, so the two read back unambiguously. A
///   CSE-relative `to` (`cse-in/myAE`, `CAE01`) is placed on the hop's receiver CSE
///   first.
/// - `<originator>` is written the same way; the topic of a request does not carry it,
///   so the response is addressed to the request's `fr` (see [`Route::or_originator`]),
///   placed on the receiver's CSE if it is a bare stem.
/// - The last level is `req` or `resp`, so a resource called `req` is no problem.
/// - There is no serialization in the topic ([`Route::serialization`] is `None`): both
///   ends must agree on one (the draft says XML).
/// - There are no registration topics: a registration is an ordinary request to the
///   registrar, and the registering entity must already know the ID it asks for, as the
///   response is addressed to it.
///
/// An entity subscribes to `/oneM2M/<its ID>/#`, which also catches requests addressed
/// to any resource below it. Two consequences of addressing by target instead of by
/// hop: a request goes straight to whoever hosts its target (no transit CSE on MQTT),
/// and a CSE `/id-in` also receives the traffic of its C-type AEs `/id-in/C…`; the
/// binding compares [`Route::receiver`] (or the response's originator) with its own ID.
///
/// ```
/// use onem2m_binding::topic::{DraftScheme, Hop, TopicScheme};
///
/// let hop = Hop { originator: "CAE01", receiver: "/id-in", to: "cse-in/myAE", serialization: "xml" };
/// assert_eq!(DraftScheme.request_topic(&hop).unwrap(), "/oneM2M/id-in/cse-in/myAE/req");
/// let route = DraftScheme.parse("/oneM2M/id-in/cse-in/myAE/req").unwrap().or_originator(Some("CAE01"));
/// assert_eq!(DraftScheme.response_topic(&route, "xml").unwrap(), "/oneM2M/id-in/CAE01/resp");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct DraftScheme;

impl TopicScheme for DraftScheme {
    fn name(&self) -> &'static str {
        "draft"
    }

    fn request_topic(&self, hop: &Hop<'_>) -> Result<String, TopicError> {
        let to =
            Id::parse(hop.to).map_err(|source| TopicError::Unmappable { what: "to", source })?;
        let needed = "a receiver with a CSE-ID to place a CSE-relative `to` on";
        let to = qualify(to, Some(hop.receiver), "to", needed)?;
        Ok(format!("{ROOT}{}/req", id_levels(&to)))
    }

    fn response_topic(&self, request: &Route, _serialization: &str) -> Result<String, TopicError> {
        if !request.kind.is_request() {
            return Err(TopicError::NotARequest { kind: request.kind });
        }
        let originator = request
            .originator
            .as_deref()
            .ok_or(TopicError::MissingContext {
                what: "response topic",
                needed: "the request's originator: pass its `fr` to Route::or_originator",
            })?;
        let originator = Id::parse(originator).map_err(|source| TopicError::Unmappable {
            what: "originator",
            source,
        })?;
        let needed = "the request's receiver to place a CSE-relative originator on";
        let originator = qualify(
            originator,
            request.receiver.as_deref(),
            "originator",
            needed,
        )?;
        Ok(format!("{ROOT}{}/resp", id_levels(&originator)))
    }

    /// The draft has no registration topics: this is the request topic to the registrar.
    fn registration_request_topic(
        &self,
        _credential_id: &str,
        registrar: &str,
        _serialization: &str,
    ) -> Result<String, TopicError> {
        let registrar = CseId::parse(registrar).map_err(|source| TopicError::Unmappable {
            what: "registrar",
            source,
        })?;
        Ok(format!("{ROOT}{}/req", id_levels(&Id::Cse(registrar))))
    }

    /// `/oneM2M/<my ID>/#`; a CSE with an absolute CSE-ID also listens under its
    /// SP-relative one.
    fn subscriptions(&self, me: &Entity) -> Result<Vec<String>, TopicError> {
        let id = me.id.as_deref().ok_or(TopicError::MissingContext {
            what: "subscriptions",
            needed: "an ID: the draft has no registration topics, so an entity registers \
                     under the ID it asks for",
        })?;
        let parsed = Id::parse(id).map_err(|source| TopicError::Unmappable {
            what: "own ID",
            source,
        })?;
        let needed = "a registrar to place a bare own AE-ID-Stem on";
        let own = qualify(parsed, me.registrar.as_deref(), "own ID", needed)?;
        let mut filters = vec![format!("{ROOT}{}/#", id_levels(&own))];
        if me.role == Role::Cse
            && let Id::Cse(cse) = &own
            && cse.scope() == Scope::Absolute
        {
            filters.push(format!(
                "{ROOT}{}/#",
                id_levels(&Id::Cse(cse.to_sp_relative()))
            ));
        }
        Ok(filters)
    }

    fn parse(&self, topic: &str) -> Result<Route, TopicError> {
        let excerpt = || TopicError::excerpt(topic);
        let rest = topic
            .strip_prefix(ROOT)
            .ok_or_else(|| TopicError::WrongLiteral {
                topic: excerpt(),
                expected: "\"/oneM2M/\" at the start",
                found: TopicError::excerpt(topic.get(..ROOT.len()).unwrap_or(topic)),
            })?;
        let (address, last) = rest
            .rsplit_once('/')
            .ok_or_else(|| TopicError::LevelCount {
                topic: excerpt(),
                expected: "at least 3 (oneM2M, the address, req or resp)",
                found: 2,
            })?;
        let kind = match last {
            "req" => RouteKind::Request,
            "resp" => RouteKind::Response,
            "" => {
                return Err(TopicError::EmptyLevel {
                    topic: excerpt(),
                    level: "kind",
                });
            }
            other => {
                return Err(TopicError::UnknownKind {
                    topic: excerpt(),
                    found: TopicError::excerpt(other),
                });
            }
        };
        if address.split('/').any(str::is_empty) {
            return Err(TopicError::EmptyLevel {
                topic: excerpt(),
                level: "address",
            });
        }
        let id = levels_id(address).map_err(|source| TopicError::InvalidLevel {
            topic: excerpt(),
            level: "address",
            source,
        })?;
        Ok(match kind {
            RouteKind::Request => Route {
                kind,
                originator: None,
                receiver: Some(id),
                serialization: None,
            },
            _ => Route {
                kind,
                originator: Some(id),
                receiver: None,
                serialization: None,
            },
        })
    }
}

/// The topic levels for an SP-relative or absolute ID (see [`DraftScheme`]).
fn id_levels(id: &Id) -> String {
    let text = id.to_string();
    match text.strip_prefix("//") {
        Some(rest) => format!(":{rest}"),
        None => text.strip_prefix('/').unwrap_or(&text).to_owned(),
    }
}

/// The ID that [`id_levels`] turned into `levels`.
fn levels_id(levels: &str) -> Result<String, onem2m_primitive::Error> {
    let id = match levels.strip_prefix(':') {
        Some(rest) => format!("//{rest}"),
        None => format!("/{levels}"),
    };
    Id::parse(&id)?;
    Ok(id)
}
