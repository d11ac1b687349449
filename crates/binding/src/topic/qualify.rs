//! Placing a CSE-relative ID on a CSE, so that it can name an entity in a topic.

use onem2m_primitive::{Id, Scope};

use super::TopicError;

/// `id` itself if it names its CSE or SP already; a CSE-relative `id` (`CAE01`,
/// `cse-in/myAE`) in SP-relative form on the CSE that `near` names or lives on
/// (`/id-in/CAE01` for `near` = `/id-in`).
///
/// `what` and `needed` word the error when `near` gives no CSE.
pub(crate) fn qualify(
    id: Id,
    near: Option<&str>,
    what: &'static str,
    needed: &'static str,
) -> Result<Id, TopicError> {
    if id.scope() != Scope::CseRelative {
        return Ok(id);
    }
    let home = near
        .and_then(|near| Id::parse(near).ok())
        .and_then(|near| near.cse_id())
        .ok_or(TopicError::MissingContext { what, needed })?;
    id.to_sp_relative(&home)
        .map_err(|source| TopicError::Unmappable { what, source })
}
