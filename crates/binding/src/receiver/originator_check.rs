//! Whether a request's `fr` is the originator its topic names.

use onem2m_primitive::{Rejection, ResponseStatusCode};

use crate::same_entity::same_entity;
use crate::topic::{Route, RouteKind};

/// The receiver's check that a request's `fr` names the entity that published it, as
/// far as the topic tells: with TS-0010 topics the originator level is what a broker's
/// ACL can vouch for (TS-0010 7.4), while `fr` is whatever the payload claims.
///
/// A mismatch is answered with 4103 ORIGINATOR_HAS_NO_PRIVILEGE and the handler is not
/// called. Not checked: registration requests (their topic carries a Credential-ID), a
/// request without `fr` (only an AE create may omit it, which validation checks) and
/// topics that do not name the originator (the draft's scheme).
///
/// A CSE forwards requests of other entities with their `fr` unchanged, so its hops
/// carry `fr` values other than its own ID: name such CSEs with
/// [`OriginatorCheck::trust_forwarder`].
///
/// ```
/// use onem2m_binding::receiver::OriginatorCheck;
///
/// let check = OriginatorCheck::strict().trust_forwarder("/id-mn");
/// # let _ = (check, OriginatorCheck::off());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginatorCheck {
    enabled: bool,
    forwarders: Vec<String>,
}

impl Default for OriginatorCheck {
    fn default() -> Self {
        Self::strict()
    }
}

impl OriginatorCheck {
    /// `fr` must name the topic's originator (the default).
    pub fn strict() -> Self {
        Self {
            enabled: true,
            forwarders: Vec::new(),
        }
    }

    /// No check: any `fr` is taken as it is.
    pub fn off() -> Self {
        Self {
            enabled: false,
            forwarders: Vec::new(),
        }
    }

    /// The same check, with requests published by the CSE `cse_id` accepted whatever
    /// their `fr` (it forwards requests of other entities).
    pub fn trust_forwarder(mut self, cse_id: impl Into<String>) -> Self {
        self.forwarders.push(cse_id.into());
        self
    }

    /// Checks `fr` against the originator named by `route`.
    pub fn check(&self, route: &Route, fr: Option<&str>) -> Result<(), Rejection> {
        if !self.enabled || route.kind != RouteKind::Request {
            return Ok(());
        }
        let (Some(topic_originator), Some(fr)) = (route.originator.as_deref(), fr) else {
            return Ok(());
        };
        if fr.is_empty() || same_entity(fr, topic_originator) {
            return Ok(());
        }
        if self
            .forwarders
            .iter()
            .any(|cse| same_entity(cse, topic_originator))
        {
            return Ok(());
        }
        Err(Rejection::new(
            ResponseStatusCode::ORIGINATOR_HAS_NO_PRIVILEGE,
            format!(
                "originator (fr) {:?} is not the entity that published the request ({topic_originator})",
                onem2m_primitive::error::excerpt(fr, 64)
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn route(originator: Option<&str>) -> Route {
        Route {
            kind: RouteKind::Request,
            originator: originator.map(str::to_owned),
            receiver: Some("/id-in".into()),
            serialization: Some("json".into()),
        }
    }

    #[test]
    fn an_ae_may_send_under_its_own_id() {
        let check = OriginatorCheck::strict();
        assert!(
            check
                .check(&route(Some("/id-in/CAE01")), Some("CAE01"))
                .is_ok()
        );
        assert!(check.check(&route(Some("/SAE01")), Some("SAE01")).is_ok());
    }

    #[test]
    fn a_spoofed_originator_is_4103() {
        let check = OriginatorCheck::strict();
        let rejection = check
            .check(&route(Some("/id-in/CAE01")), Some("/id-in"))
            .unwrap_err();
        assert_eq!(
            rejection.rsc,
            ResponseStatusCode::ORIGINATOR_HAS_NO_PRIVILEGE
        );
        assert!(check.check(&route(Some("/SAE01")), Some("SAE02")).is_err());
    }

    #[test]
    fn a_trusted_forwarder_may_carry_other_originators() {
        let check = OriginatorCheck::strict().trust_forwarder("/id-mn");
        assert!(
            check
                .check(&route(Some("/id-mn")), Some("/id-mn/CAE07"))
                .is_ok()
        );
        assert!(
            check
                .check(&route(Some("/id-xx")), Some("/id-mn/CAE07"))
                .is_err()
        );
    }

    #[test]
    fn what_the_topic_cannot_tell_is_not_checked() {
        let check = OriginatorCheck::strict();
        assert!(check.check(&route(None), Some("CAE01")).is_ok());
        assert!(check.check(&route(Some("/id-in/CAE01")), None).is_ok());
        let mut registration = route(Some("/psk-lamp"));
        registration.kind = RouteKind::RegistrationRequest;
        assert!(check.check(&registration, Some("C")).is_ok());
        assert!(
            OriginatorCheck::off()
                .check(&route(Some("/SAE01")), Some("SAE02"))
                .is_ok()
        );
    }
}
