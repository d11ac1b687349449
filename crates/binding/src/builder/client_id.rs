//! The MQTT client id an entity connects with.

use onem2m_primitive::topic_level::id_to_topic_level;

use crate::Error;
use crate::topic::{Entity, Role};

/// The client id of TS-0010 6.3.3 for `entity`: `C::` or `A::` before its ID written as
/// a topic level, because CSE-IDs and AE-IDs may collide (`C::id-in`, as ACME connects;
/// `A::CAE01`, `A::id-in:CAE01`, `C:::sp.com:in2`). An AE without an ID yet connects
/// with its Credential-ID, which TS-0010 allows ("any other unique ID").
///
/// ```
/// use onem2m_binding::builder::client_id;
/// use onem2m_binding::topic::Entity;
///
/// assert_eq!(client_id(&Entity::cse("/id-in")).unwrap(), "C::id-in");
/// assert_eq!(client_id(&Entity::ae("CAE01")).unwrap(), "A::CAE01");
/// let newcomer = Entity::unregistered_ae("psk-lamp", "/id-in");
/// assert_eq!(client_id(&newcomer).unwrap(), "psk-lamp");
/// ```
pub fn client_id(entity: &Entity) -> Result<String, Error> {
    match (&entity.id, &entity.credential_id) {
        (Some(id), _) => {
            let prefix = match entity.role {
                Role::Cse => "C::",
                Role::Ae => "A::",
            };
            let level = id_to_topic_level(id)
                .map_err(|e| Error::Config(format!("the entity ID cannot be a client id: {e}")))?;
            Ok(format!("{prefix}{level}"))
        }
        (None, Some(credential_id)) => Ok(credential_id.clone()),
        (None, None) => Err(Error::Config(
            "an entity needs an AE-ID, a CSE-ID or a Credential-ID".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn every_id_form_gets_its_prefix() {
        assert_eq!(
            client_id(&Entity::ae("/id-in/CAE01")).unwrap(),
            "A::id-in:CAE01"
        );
        assert_eq!(client_id(&Entity::ae("SAE01")).unwrap(), "A::SAE01");
        assert_eq!(
            client_id(&Entity::cse("//sp.com/in2")).unwrap(),
            "C:::sp.com:in2"
        );
        assert!(client_id(&Entity::cse("cse-in/x")).is_err());
    }
}
