//! What to do with a message that arrived: the receiver's checks, without IO.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use onem2m_primitive::validate::{check_expiry, validate_request};
use onem2m_primitive::{
    Id, Rejection, RequestPrimitive, ResponsePrimitive, ResponseStatusCode, Timestamp, debug_info,
};
use onem2m_serialization::Serializer;

use super::RequestContext;
use super::duplicate_cache::{DuplicateCache, RequestKey, Seen};
use super::originator_check::OriginatorCheck;
use super::request_id_recovery::recover_request_id;
use crate::SerializerSet;
use crate::same_entity::same_entity;
use crate::topic::{Entity, Role, Route, RouteKind, TopicScheme};

/// When a message was read: the wall-clock time for the expiry check, and a monotonic
/// instant for the duplicate cache.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arrival {
    /// The oneM2M time of arrival (relative `rqet` values without `ot` count from it).
    pub time: Timestamp,
    /// The same moment on the monotonic clock.
    pub instant: Instant,
}

impl Arrival {
    /// Now.
    pub fn now() -> Self {
        Self {
            time: Timestamp::now(),
            instant: Instant::now(),
        }
    }
}

/// What the binding does with one incoming message.
#[derive(Debug)]
pub enum Decision {
    /// A request passed every check: call the handler, then [`Pipeline::finish`].
    Handle(Box<Accepted>),
    /// Publish this answer now, without calling the handler (a rejection, or the cached
    /// response to a duplicate).
    Respond(Outgoing),
    /// A response (or registration response) for the originator: hand it to the
    /// request awaiting its `rqi`.
    Response(Box<ResponsePrimitive>),
    /// Nothing to do; log why.
    Drop(Dropped),
}

/// A message to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The topic.
    pub topic: String,
    /// The encoded primitive.
    pub payload: Bytes,
    /// The `rqi` it answers, for the logs.
    pub rqi: Option<String>,
    /// Its status code, for the logs.
    pub rsc: ResponseStatusCode,
}

/// Why a message is dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// What happened, for the log line.
    pub reason: String,
    /// Whether it deserves a warning (`false`: a debug line, e.g. a duplicate still in
    /// progress or a message for another entity).
    pub warn: bool,
}

impl Dropped {
    fn warn(reason: impl Into<String>) -> Decision {
        Decision::Drop(Self {
            reason: reason.into(),
            warn: true,
        })
    }

    fn quietly(reason: impl Into<String>) -> Decision {
        Decision::Drop(Self {
            reason: reason.into(),
            warn: false,
        })
    }
}

/// A request that passed the checks, with what is needed to answer it.
pub struct Accepted {
    /// The request, for the handler.
    pub request: RequestPrimitive,
    /// Its context, for the handler.
    pub context: RequestContext,
    response_topic: String,
    serializer: Arc<dyn Serializer>,
    key: RequestKey,
}

impl std::fmt::Debug for Accepted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accepted")
            .field("request", &self.request)
            .field("context", &self.context)
            .field("response_topic", &self.response_topic)
            .field("serializer", &self.serializer.name())
            .finish()
    }
}

impl Accepted {
    /// Takes the request out for the handler, leaving what answering it needs (`rqi`,
    /// `fr`, `rt`, `rvi`) without its content.
    pub fn take_request(&mut self) -> RequestPrimitive {
        let skeleton = RequestPrimitive {
            op: self.request.op,
            to: self.request.to.clone(),
            fr: self.request.fr.clone(),
            rqi: self.request.rqi.clone(),
            rt: self.request.rt.clone(),
            rvi: self.request.rvi.clone(),
            ..RequestPrimitive::default()
        };
        std::mem::replace(&mut self.request, skeleton)
    }

    /// The topic the response will be published on.
    pub fn response_topic(&self) -> &str {
        &self.response_topic
    }
}

/// How long and how many requests the duplicate cache remembers, by default: QoS 1
/// redelivery happens on reconnect, which can be minutes after the first delivery.
pub const DEFAULT_DUPLICATE_TTL: Duration = Duration::from_secs(600);
/// See [`DEFAULT_DUPLICATE_TTL`].
pub const DEFAULT_DUPLICATE_CAPACITY: usize = 10_000;

/// The receiver's protocol logic, free of IO: a topic, a payload and the time of arrival
/// in, a [`Decision`] out.
///
/// The checks run in this order; the first that fails decides, and the handler runs
/// only when all pass (`docs/binding.md` has the table):
///
/// 1. the topic parses, and the message is addressed to this entity (else dropped);
/// 2. responses go to the originator: [`Decision::Response`];
/// 3. the serialization is supported (else 4015, in the default serialization);
/// 4. the request decodes (else 4000 when its `rqi` can be recovered, else dropped);
/// 5. it has not expired: `rqet`/`rset` (4008), before anything else looks at it;
/// 6. its `fr` is the originator the topic names (4103, see [`OriginatorCheck`]);
/// 7. it is valid ([`validate_request`]: 4001, 4000);
/// 8. it is not a duplicate by (`fr`, `rqi`) and the topic's originator: a duplicate
///    gets the cached response again, or nothing while the first is still being
///    handled.
///
/// A request with `rt` = no response (`rtv` 5) is never answered, not even a rejection.
pub struct Pipeline {
    scheme: Arc<dyn TopicScheme>,
    serializers: SerializerSet,
    originator_check: OriginatorCheck,
    duplicates: DuplicateCache,
    me: Entity,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("scheme", &self.scheme.name())
            .field("serializers", &self.serializers)
            .field("originator_check", &self.originator_check)
            .field("remembered", &self.duplicates.len())
            .field("me", &self.me)
            .finish()
    }
}

impl Pipeline {
    /// A pipeline for the entity `me`, reading topics with `scheme`.
    pub fn new(scheme: Arc<dyn TopicScheme>, serializers: SerializerSet, me: Entity) -> Self {
        Self {
            scheme,
            serializers,
            originator_check: OriginatorCheck::default(),
            duplicates: DuplicateCache::new(DEFAULT_DUPLICATE_TTL, DEFAULT_DUPLICATE_CAPACITY),
            me,
        }
    }

    /// The same pipeline with another originator check.
    pub fn with_originator_check(mut self, check: OriginatorCheck) -> Self {
        self.originator_check = check;
        self
    }

    /// The same pipeline remembering requests `ttl` long, at most `capacity` of them.
    pub fn with_duplicate_cache(mut self, ttl: Duration, capacity: usize) -> Self {
        self.duplicates = DuplicateCache::new(ttl, capacity);
        self
    }

    /// Changes the entity messages must be addressed to (after a registration).
    pub fn set_entity(&mut self, me: Entity) {
        self.me = me;
    }

    /// Decides what to do with the message `payload` that arrived on `topic`.
    pub fn on_message(&mut self, topic: &str, payload: &[u8], at: Arrival) -> Decision {
        let route = match self.scheme.parse(topic) {
            Ok(route) => route,
            Err(e) => return Dropped::warn(format!("unreadable topic: {e}")),
        };
        if !self.addressed_to_me(&route) {
            return Dropped::quietly(format!("{topic} is addressed to another entity"));
        }
        match route.kind {
            RouteKind::Response | RouteKind::RegistrationResponse => {
                self.on_response(topic, &route, payload)
            }
            RouteKind::Request | RouteKind::RegistrationRequest => {
                self.on_request(topic, route, payload, at)
            }
        }
    }

    /// The answer to an accepted request, once the handler returned `response`: its
    /// `rqi` filled in if the handler left it out, encoded in the request's
    /// serialization, and remembered for duplicates. `None` when the request asked for
    /// no response.
    pub fn finish(
        &mut self,
        accepted: &Accepted,
        mut response: ResponsePrimitive,
    ) -> Option<Outgoing> {
        let request = &accepted.request;
        if response.rqi.as_deref().is_none_or(str::is_empty) {
            response.rqi = Some(request.rqi.clone());
        }
        if request.wants_no_response() {
            self.duplicates.answered(&accepted.key, None);
            return None;
        }
        let payload = match accepted.serializer.encode_response(&response) {
            Ok(payload) => payload,
            Err(e) => {
                response = ResponsePrimitive::error(
                    request,
                    ResponseStatusCode::INTERNAL_SERVER_ERROR,
                    format!("the response could not be encoded: {e}"),
                );
                match accepted.serializer.encode_response(&response) {
                    Ok(payload) => payload,
                    Err(_) => {
                        self.duplicates.forget(&accepted.key);
                        return None;
                    }
                }
            }
        };
        let outgoing = Outgoing {
            topic: accepted.response_topic.clone(),
            payload,
            rqi: response.rqi,
            rsc: response.rsc,
        };
        self.duplicates
            .answered(&accepted.key, Some(outgoing.clone()));
        Some(outgoing)
    }

    /// Forgets an accepted request whose handler did not return (it panicked), so that
    /// a redelivery runs it again.
    pub fn abandon(&mut self, accepted: &Accepted) {
        self.duplicates.forget(&accepted.key);
    }

    fn addressed_to_me(&self, route: &Route) -> bool {
        let me = self.me.id.as_deref();
        match route.kind {
            RouteKind::Request | RouteKind::RegistrationRequest => {
                match (route.receiver.as_deref(), me) {
                    (Some(receiver), Some(me)) => {
                        same_entity(receiver, me) || self.hosts(receiver, me)
                    }
                    _ => true,
                }
            }
            RouteKind::Response => match (route.originator.as_deref(), me) {
                (Some(addressee), Some(me)) => same_entity(addressee, me),
                _ => true,
            },
            RouteKind::RegistrationResponse => {
                match (
                    route.originator.as_deref(),
                    self.me.credential_id.as_deref(),
                ) {
                    (Some(addressee), Some(mine)) => addressee == mine,
                    _ => true,
                }
            }
        }
    }

    /// Whether the CSE `me` hosts the resource `target` (the draft's scheme addresses
    /// requests by target: `/id-in/cse-in/myAE` is served by `/id-in`).
    fn hosts(&self, target: &str, me: &str) -> bool {
        if self.me.role != Role::Cse {
            return false;
        }
        match Id::parse(target) {
            Ok(id @ Id::Resource(_)) => id
                .cse_id()
                .is_some_and(|cse| same_entity(&cse.to_string(), me)),
            _ => false,
        }
    }

    fn on_response(&self, topic: &str, route: &Route, payload: &[u8]) -> Decision {
        let Some(serializer) = self.serializers.get(route.serialization.as_deref()) else {
            return Dropped::warn(format!(
                "response on {topic} in an unsupported serialization"
            ));
        };
        match serializer.decode_response(payload) {
            Ok(response) => Decision::Response(Box::new(response)),
            Err(e) => Dropped::warn(format!("undecodable response on {topic}: {e}")),
        }
    }

    fn on_request(&mut self, topic: &str, route: Route, payload: &[u8], at: Arrival) -> Decision {
        let Some(serializer) = self
            .serializers
            .get(route.serialization.as_deref())
            .cloned()
        else {
            return self.unsupported_serialization(route);
        };
        let request = match serializer.decode_request(payload) {
            Ok(request) => request,
            Err(e) => return self.undecodable(topic, &route, serializer.as_ref(), payload, &e),
        };
        // Checked against what the topic itself says, before `fr` fills a gap in it.
        let originator_checked = self.originator_check.check(&route, request.fr.as_deref());
        let route = route.or_originator(request.fr.as_deref());
        let response_topic = match self.scheme.response_topic(&route, serializer.name()) {
            Ok(t) => t,
            Err(e) => {
                return Dropped::warn(format!(
                    "request {:?} on {topic} cannot be answered: {e}",
                    request.rqi
                ));
            }
        };
        let checks = check_expiry(&request, at.time, at.time)
            .and(originator_checked)
            .and_then(|()| validate_request(&request, at.time, at.time));
        if let Err(rejection) = checks {
            return reject(&request, rejection, response_topic, serializer.as_ref());
        }
        // The topic's originator tells registering AEs apart (they all may send `fr` "C")
        // and the originators behind one forwarding CSE; `fr` the rest.
        let who = format!(
            "{} {}",
            route.originator.as_deref().unwrap_or(""),
            request.fr.as_deref().unwrap_or("")
        );
        let key = (who, request.rqi.clone());
        match self.duplicates.check(&key, at.instant) {
            Seen::New => Decision::Handle(Box::new(Accepted {
                context: RequestContext {
                    topic: topic.to_owned(),
                    route,
                    serialization: serializer.name(),
                    arrival: at.time,
                },
                request,
                response_topic,
                serializer,
                key,
            })),
            Seen::InProgress => Dropped::quietly(format!(
                "duplicate of request {:?} from {:?}, still being handled",
                key.1, key.0
            )),
            Seen::Unanswered => Dropped::quietly(format!(
                "duplicate of request {:?} from {:?}, which wanted no response",
                key.1, key.0
            )),
            Seen::Answered(outgoing) => Decision::Respond(outgoing),
        }
    }

    fn unsupported_serialization(&self, route: Route) -> Decision {
        let serializer = self.serializers.default_serializer();
        let announced = route.serialization.clone().unwrap_or_default();
        let response = ResponsePrimitive {
            pc: Some(debug_info(format!(
                "serialization {:?} is not supported; supported: {}",
                onem2m_primitive::error::excerpt(&announced, 32),
                self.serializers.names().join(", ")
            ))),
            rqi: None,
            ..ResponsePrimitive::new(ResponseStatusCode::UNSUPPORTED_MEDIA_TYPE, "")
        };
        self.answer_unread(&route, response, serializer.as_ref())
    }

    fn undecodable(
        &self,
        topic: &str,
        route: &Route,
        serializer: &dyn Serializer,
        payload: &[u8],
        error: &onem2m_serialization::Error,
    ) -> Decision {
        let Some(rqi) = recover_request_id(serializer.name(), payload) else {
            return Dropped::warn(format!(
                "undecodable request on {topic} (no rqi to answer): {error}"
            ));
        };
        let response = ResponsePrimitive {
            pc: Some(debug_info(format!("the request does not decode: {error}"))),
            ..ResponsePrimitive::new(error.status_code(), rqi)
        };
        match self.answer_unread(route, response, serializer) {
            Decision::Drop(_) => Dropped::warn(format!(
                "undecodable request on {topic} (no originator to answer): {error}"
            )),
            decision => decision,
        }
    }

    /// Answers a request that could not be read, on the topic its route names.
    fn answer_unread(
        &self,
        route: &Route,
        response: ResponsePrimitive,
        serializer: &dyn Serializer,
    ) -> Decision {
        let topic = match self.scheme.response_topic(route, serializer.name()) {
            Ok(topic) => topic,
            Err(e) => return Dropped::warn(format!("cannot answer an unreadable request: {e}")),
        };
        match serializer.encode_response(&response) {
            Ok(payload) => Decision::Respond(Outgoing {
                topic,
                payload,
                rqi: response.rqi,
                rsc: response.rsc,
            }),
            Err(e) => Dropped::warn(format!("cannot encode the error response: {e}")),
        }
    }
}

fn reject(
    request: &RequestPrimitive,
    rejection: Rejection,
    topic: String,
    serializer: &dyn Serializer,
) -> Decision {
    if request.wants_no_response() {
        return Dropped::quietly(format!(
            "request {:?} rejected ({rejection}); it wants no response",
            request.rqi
        ));
    }
    let response = rejection.into_response(request);
    match serializer.encode_response(&response) {
        Ok(payload) => Decision::Respond(Outgoing {
            topic,
            payload,
            rqi: response.rqi,
            rsc: response.rsc,
        }),
        Err(e) => Dropped::warn(format!("cannot encode the rejection: {e}")),
    }
}

#[cfg(test)]
mod tests;
