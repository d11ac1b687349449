//! The entity a binding speaks for, as far as its subscriptions depend on it.

/// Whether an entity is an application or a common services entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// An Application Entity.
    Ae,
    /// A Common Services Entity, which may serve as registrar for others.
    Cse,
}

/// Who is subscribing: what [`TopicScheme::subscriptions`](super::TopicScheme::subscriptions)
/// needs to know about the local entity.
///
/// ```
/// use onem2m_binding::topic::{Entity, Role};
///
/// let cse = Entity::cse("/id-in");
/// let ae = Entity::ae("CAE01").with_registrar("/id-in");
/// let newcomer = Entity::unregistered_ae("psk-lamp@example.com", "/id-in");
/// assert_eq!(newcomer.role, Role::Ae);
/// assert!(newcomer.id.is_none());
/// # let _ = (cse, ae);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entity {
    /// The entity's AE-ID or CSE-ID (`/id-in`, `/id-in/CAE01`, `CAE01`, `//sp.com/in1`);
    /// `None` for an AE that has not registered yet.
    pub id: Option<String>,
    /// AE or CSE.
    pub role: Role,
    /// The registrar CSE's CSE-ID, for an entity that has one. It qualifies a bare
    /// C-type AE-ID-Stem (`CAE01` below `/id-in` is `/id-in/CAE01`).
    pub registrar: Option<String>,
    /// The TS-0003 Credential-ID the entity registers with, for the registration topics.
    pub credential_id: Option<String>,
}

impl Entity {
    /// A CSE with the given CSE-ID.
    pub fn cse(id: impl Into<String>) -> Self {
        Self {
            id: Some(id.into()),
            role: Role::Cse,
            registrar: None,
            credential_id: None,
        }
    }

    /// A registered AE with the given AE-ID.
    pub fn ae(id: impl Into<String>) -> Self {
        Self {
            id: Some(id.into()),
            role: Role::Ae,
            registrar: None,
            credential_id: None,
        }
    }

    /// An AE that has no AE-ID yet and will register to `registrar` with `credential_id`.
    pub fn unregistered_ae(credential_id: impl Into<String>, registrar: impl Into<String>) -> Self {
        Self {
            id: None,
            role: Role::Ae,
            registrar: Some(registrar.into()),
            credential_id: Some(credential_id.into()),
        }
    }

    /// The same entity with a registrar CSE.
    pub fn with_registrar(mut self, registrar: impl Into<String>) -> Self {
        self.registrar = Some(registrar.into());
        self
    }

    /// The same entity with a Credential-ID, which adds the registration-response
    /// subscription.
    pub fn with_credential_id(mut self, credential_id: impl Into<String>) -> Self {
        self.credential_id = Some(credential_id.into());
        self
    }
}
