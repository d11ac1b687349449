//! What a topic says about the message published on it.

/// The four kinds of message the MQTT binding carries (TS-0010 6.4.2-6.4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RouteKind {
    /// A request primitive.
    Request,
    /// The response to a [`RouteKind::Request`].
    Response,
    /// A registration request from an entity that has no ID yet (TS-0010 `reg_req`).
    RegistrationRequest,
    /// The response to a [`RouteKind::RegistrationRequest`] (TS-0010 `reg_resp`).
    RegistrationResponse,
}

impl RouteKind {
    /// Whether a message of this kind is a request primitive.
    pub fn is_request(self) -> bool {
        matches!(self, RouteKind::Request | RouteKind::RegistrationRequest)
    }

    /// The kind of the answer to a message of this kind; `None` for a response.
    pub fn response_kind(self) -> Option<RouteKind> {
        match self {
            RouteKind::Request => Some(RouteKind::Response),
            RouteKind::RegistrationRequest => Some(RouteKind::RegistrationResponse),
            RouteKind::Response | RouteKind::RegistrationResponse => None,
        }
    }
}

/// What a topic tells about the message published on it.
///
/// `originator` and `receiver` always name the two ends of the *request*, also in a
/// response route, as TS-0010 keeps them in the same order on both topics: the
/// originator is the entity that sent the request on this hop (a Credential-ID for the
/// registration kinds), the receiver the MQTT peer that serves it. IDs are given as
/// IDs (`/id-in/CAE01`), mapped back from their topic levels (`id-in:CAE01`). A
/// scheme whose topics leave an end out sets it to `None`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Route {
    /// Request, response, or one of the registration kinds.
    pub kind: RouteKind,
    /// The request's originator on this hop (or Credential-ID), if the topic names it.
    pub originator: Option<String>,
    /// The request's receiver on this hop, if the topic names it.
    pub receiver: Option<String>,
    /// The serialization the topic announces (`xml`, `json`, `cbor` or any other text,
    /// as received), `None` when the topic has no type level: the binding then uses its
    /// configured serializer.
    pub serialization: Option<String>,
}

impl Route {
    /// Takes the request's `fr` as the originator when the topic did not name one.
    ///
    /// A scheme whose topics do not carry the originator (the draft's `/oneM2M/<to>/req`)
    /// needs it to address the response; the binding calls this with the decoded
    /// request's `fr` before asking for the response topic. An originator read from the
    /// topic wins, because on a forwarded request the hop's sender differs from `fr`.
    pub fn or_originator(mut self, fr: Option<&str>) -> Self {
        if self.originator.is_none() {
            self.originator = fr.map(str::to_owned);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_answered_by_their_own_response_kind() {
        assert_eq!(
            RouteKind::Request.response_kind(),
            Some(RouteKind::Response)
        );
        assert_eq!(
            RouteKind::RegistrationRequest.response_kind(),
            Some(RouteKind::RegistrationResponse)
        );
        assert_eq!(RouteKind::Response.response_kind(), None);
        assert!(!RouteKind::RegistrationResponse.is_request());
    }

    #[test]
    fn originator_from_fr_fills_only_a_gap() {
        let route = Route {
            kind: RouteKind::Request,
            originator: None,
            receiver: Some("/id-in".into()),
            serialization: None,
        };
        let filled = route.clone().or_originator(Some("CAE01"));
        assert_eq!(filled.originator.as_deref(), Some("CAE01"));
        let kept = filled.or_originator(Some("/other"));
        assert_eq!(kept.originator.as_deref(), Some("CAE01"));
        assert_eq!(route.or_originator(None).originator, None);
    }
}
