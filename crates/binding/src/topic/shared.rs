//! Shared subscriptions: several processes serving one CSE-ID split its requests.

use std::sync::Arc;

use super::{Entity, Hop, Route, RouteKind, TopicError, TopicScheme, filter_matches};

/// An ID that no real peer has, used to ask a scheme what its topics look like.
const PROBE_PEER: &str = "Cshared-subscription-probe";

/// A serialization name for the probes; every scheme accepts `json`.
const PROBE_SERIALIZATION: &str = "json";

/// Wraps a scheme so that the filters where requests to the entity arrive are
/// subscribed as `$share/<group>/<filter>`: the broker hands each request to one member
/// of the group. The filters for responses to the entity's own requests stay unshared,
/// so every member receives each response to the CSE-ID and keeps those whose `rqi`
/// it is waiting for.
///
/// Which filters carry requests is derived from the inner scheme itself: a filter is
/// shared when it matches the topic of a request (or registration request) addressed to
/// the entity and not the topic of a response to one of its own requests. A scheme that
/// carries both on one filter, as the draft's `/oneM2M/<id>/#` does, cannot be shared
/// and [`subscriptions`](TopicScheme::subscriptions) says so.
///
/// ```
/// use onem2m_binding::topic::{Entity, SharedSubscriptions, TopicScheme, Ts0010Scheme};
///
/// let scheme = SharedSubscriptions::new(Ts0010Scheme::new(), "gw").unwrap();
/// let filters = scheme.subscriptions(&Entity::cse("/id-in")).unwrap();
/// assert!(filters.contains(&"$share/gw//oneM2M/req/+/id-in/#".to_string()));
/// assert!(filters.contains(&"/oneM2M/resp/id-in/#".to_string()));
/// ```
#[derive(Clone)]
pub struct SharedSubscriptions {
    inner: Arc<dyn TopicScheme>,
    group: String,
}

impl std::fmt::Debug for SharedSubscriptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedSubscriptions")
            .field("inner", &self.inner.name())
            .field("group", &self.group)
            .finish()
    }
}

impl SharedSubscriptions {
    /// Shares `inner`'s request filters in `group`, a single topic level without
    /// wildcards (MQTT 5 shared subscriptions, which Mosquitto also grants to 3.1.1
    /// clients).
    pub fn new(inner: impl TopicScheme, group: impl Into<String>) -> Result<Self, TopicError> {
        Self::from_arc(Arc::new(inner), group)
    }

    /// Like [`new`](Self::new), for a scheme already shared by other handles.
    pub fn from_arc(
        inner: Arc<dyn TopicScheme>,
        group: impl Into<String>,
    ) -> Result<Self, TopicError> {
        let group = group.into();
        if group.is_empty() || group.contains(['/', '+', '#', '\0']) {
            return Err(TopicError::InvalidShareGroup { group });
        }
        Ok(Self { inner, group })
    }

    /// The group name.
    pub fn group(&self) -> &str {
        &self.group
    }

    /// Topics of a request and a registration request addressed to `me`, and of a
    /// response to a request `me` sent, for each way of writing its ID (a bare AE-ID
    /// stem and the same below its registrar). An AE's peer is its registrar; a CSE's
    /// peers are AEs (and other CSEs, whose topics have the same shape).
    fn probes(&self, me: &Entity) -> (Vec<String>, Vec<String>) {
        let Some(id) = me.id.as_deref() else {
            return (Vec::new(), Vec::new());
        };
        let peer = me.registrar.as_deref().unwrap_or(PROBE_PEER);
        let mut ids = vec![id.to_owned()];
        if let Some(registrar) = me.registrar.as_deref()
            && !id.starts_with('/')
        {
            ids.push(format!("{registrar}/{id}"));
        }
        let mut requests = Vec::new();
        let mut responses = Vec::new();
        for id in &ids {
            let to_me = Hop {
                originator: peer,
                receiver: id,
                to: id,
                serialization: PROBE_SERIALIZATION,
            };
            requests.extend(self.inner.request_topic(&to_me).ok());
            requests.extend(
                self.inner
                    .registration_request_topic(PROBE_PEER, id, PROBE_SERIALIZATION)
                    .ok(),
            );
            let from_me = Route {
                kind: RouteKind::Request,
                originator: Some(id.clone()),
                receiver: Some(peer.to_owned()),
                serialization: Some(PROBE_SERIALIZATION.to_owned()),
            };
            responses.extend(
                self.inner
                    .response_topic(&from_me, PROBE_SERIALIZATION)
                    .ok(),
            );
        }
        (requests, responses)
    }
}

impl TopicScheme for SharedSubscriptions {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn request_topic(&self, hop: &Hop<'_>) -> Result<String, TopicError> {
        self.inner.request_topic(hop)
    }

    fn response_topic(&self, request: &Route, serialization: &str) -> Result<String, TopicError> {
        self.inner.response_topic(request, serialization)
    }

    fn registration_request_topic(
        &self,
        credential_id: &str,
        registrar: &str,
        serialization: &str,
    ) -> Result<String, TopicError> {
        self.inner
            .registration_request_topic(credential_id, registrar, serialization)
    }

    fn subscriptions(&self, me: &Entity) -> Result<Vec<String>, TopicError> {
        let filters = self.inner.subscriptions(me)?;
        let (requests, responses) = self.probes(me);
        let matches_any = |filter: &str, topics: &[String]| {
            topics.iter().any(|topic| filter_matches(filter, topic))
        };
        let mut shared = 0;
        let filters = filters
            .into_iter()
            .map(|filter| {
                match (
                    matches_any(&filter, &requests),
                    matches_any(&filter, &responses),
                ) {
                    (true, true) => Err(TopicError::Unshareable {
                        filter,
                        scheme: self.inner.name(),
                    }),
                    (true, false) => {
                        shared += 1;
                        Ok(format!("$share/{}/{filter}", self.group))
                    }
                    (false, _) => Ok(filter),
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        if shared == 0 {
            // Unshared, every member would handle every request.
            return Err(TopicError::MissingContext {
                what: "shared subscription",
                needed: "a filter that receives the requests addressed to the entity",
            });
        }
        Ok(filters)
    }

    fn parse(&self, topic: &str) -> Result<Route, TopicError> {
        self.inner.parse(topic)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::topic::{DraftScheme, Ts0010Scheme};

    fn shared(scheme: impl TopicScheme) -> SharedSubscriptions {
        SharedSubscriptions::new(scheme, "g1").unwrap()
    }

    #[test]
    fn a_cse_shares_its_request_and_registration_filters_and_keeps_its_responses() {
        let filters = shared(Ts0010Scheme::new())
            .subscriptions(&Entity::cse("/id-in"))
            .unwrap();
        let plain = Ts0010Scheme::new()
            .subscriptions(&Entity::cse("/id-in"))
            .unwrap();
        assert_eq!(filters.len(), plain.len());
        for (filter, original) in filters.iter().zip(&plain) {
            if original.starts_with("/oneM2M/resp/") {
                assert_eq!(filter, original);
            } else {
                assert_eq!(filter, &format!("$share/g1/{original}"));
            }
        }
        assert!(filters.contains(&"$share/g1//oneM2M/reg_req/+/id-in/#".to_string()));
    }

    #[test]
    fn an_ae_shares_only_its_request_filter() {
        let ae = Entity::ae("CAE01").with_registrar("/id-in");
        let filters = shared(Ts0010Scheme::new()).subscriptions(&ae).unwrap();
        let shared_count = filters.iter().filter(|f| f.starts_with("$share/")).count();
        assert_eq!(shared_count, 1, "{filters:?}");
        assert!(filters.iter().any(|f| f.starts_with("/oneM2M/resp/")));
    }

    #[test]
    fn the_draft_scheme_cannot_share_its_one_filter_for_requests_and_responses() {
        for me in [
            Entity::cse("/id-in"),
            Entity::ae("CAE01").with_registrar("/id-in"),
            Entity::ae("/id-in/CAE01").with_registrar("/id-in"),
        ] {
            let err = shared(DraftScheme).subscriptions(&me).unwrap_err();
            assert!(
                matches!(
                    err,
                    TopicError::Unshareable { .. } | TopicError::MissingContext { .. }
                ),
                "{me:?}: {err}"
            );
        }
    }

    #[test]
    fn a_group_name_with_a_separator_or_wildcard_is_refused() {
        for group in ["", "a/b", "+", "#", "g#"] {
            let err = SharedSubscriptions::new(Ts0010Scheme::new(), group).unwrap_err();
            assert!(
                matches!(err, TopicError::InvalidShareGroup { .. }),
                "{group:?}"
            );
        }
    }

    #[test]
    fn everything_but_subscriptions_is_the_inner_scheme() {
        let inner = Ts0010Scheme::new();
        let scheme = shared(Ts0010Scheme::new());
        let hop = Hop {
            originator: "CAE01",
            receiver: "/id-in",
            to: "cse-in",
            serialization: "cbor",
        };
        let topic = scheme.request_topic(&hop).unwrap();
        assert_eq!(topic, inner.request_topic(&hop).unwrap());
        assert_eq!(scheme.parse(&topic).unwrap(), inner.parse(&topic).unwrap());
        assert_eq!(scheme.name(), inner.name());
    }
}
