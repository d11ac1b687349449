//! Turning identifiers into MQTT topic levels and back (TS-0010 6.4.2-6.4.4).
//!
//! A topic level cannot contain `/`, so TS-0010 writes an SP-relative ID without its
//! leading `/` and with every other `/` as `:` (`/id-in/CAE01` → `id-in:CAE01`), and an
//! absolute ID with its leading `//` as one `:` (`//sp.com/in-cse` → `:sp.com:in-cse`).
//! The mapping is reversible because an ID never contains `:` (see [`crate::id`]).
//!
//! Every function here also refuses what would be unsafe in a topic level: an empty
//! level, the wildcards `+` and `#`, `/` and NUL.

use crate::error::Error;
use crate::id::{CredentialId, Id, Scope};

fn invalid(value: &str, reason: &'static str) -> Error {
    Error::InvalidId {
        value: Error::excerpt(value),
        reason,
    }
}

/// Checks that `level` can stand as one level of an MQTT topic name.
pub fn check_topic_level(level: &str) -> Result<(), Error> {
    if level.is_empty() {
        return Err(invalid(level, "empty topic level"));
    }
    if level.bytes().any(|b| matches!(b, b'/' | b'+' | b'#' | 0)) {
        return Err(invalid(
            level,
            "'/', '+', '#' and NUL cannot appear in a topic level",
        ));
    }
    Ok(())
}

/// The topic level for an AE-ID or CSE-ID (TS-0010 6.4.2).
///
/// ```
/// use onem2m_primitive::topic_level::id_to_topic_level;
///
/// assert_eq!(id_to_topic_level("/id-in/CAE01").unwrap(), "id-in:CAE01");
/// assert_eq!(id_to_topic_level("/SAE01").unwrap(), "SAE01");
/// assert_eq!(id_to_topic_level("//sp.com/in-cse").unwrap(), ":sp.com:in-cse");
/// assert!(id_to_topic_level("cse-in/myAE").is_err());
/// ```
///
/// A bare AE-ID-Stem (`CAE01`) is accepted and kept as it is, because ACME addresses
/// C-type AEs that way; note that [`topic_level_to_id`] reads such a level back as the
/// SP-relative `/CAE01`, as TS-0010 prescribes. A CSE-relative path with more than one
/// segment is refused: its level would read back as an SP-relative ID.
pub fn id_to_topic_level(id: &str) -> Result<String, Error> {
    let parsed = Id::parse(id)?;
    if parsed.scope() == Scope::CseRelative && id.contains('/') {
        return Err(invalid(
            id,
            "a CSE-relative path is no entity ID: qualify it with its CSE-ID first",
        ));
    }
    Ok(parsed.to_topic_level())
}

/// The ID a topic level stands for (the reverse of [`id_to_topic_level`]).
///
/// ```
/// use onem2m_primitive::topic_level::topic_level_to_id;
///
/// assert_eq!(topic_level_to_id("id-in:CAE01").unwrap(), "/id-in/CAE01");
/// assert_eq!(topic_level_to_id(":sp.com:in-cse").unwrap(), "//sp.com/in-cse");
/// assert!(topic_level_to_id("+").is_err());
/// ```
pub fn topic_level_to_id(level: &str) -> Result<String, Error> {
    check_topic_level(level)?;
    let id = match level.strip_prefix(':') {
        Some(rest) => format!("//{}", rest.replace(':', "/")),
        None => format!("/{}", level.replace(':', "/")),
    };
    Id::parse(&id).map_err(|_| {
        invalid(
            level,
            "does not read back as an ID: expected segments of letters, digits, '-', '.', '_' joined by ':'",
        )
    })?;
    Ok(id)
}

/// The originator level of a registration topic for a Credential-ID: every `/` becomes
/// `:` (TS-0010 6.4.4). A TS-0003 Credential-ID has neither, so this normally returns
/// the ID unchanged; the replacement is kept for IDs from a broker that allows `/`.
pub fn credential_id_to_topic_level(credential_id: &str) -> Result<String, Error> {
    let level = credential_id.replace('/', ":");
    check_topic_level(&level)?;
    Ok(level)
}

/// The Credential-ID in the originator level of a registration topic.
///
/// No `:` is turned back into `/`: a TS-0003 Credential-ID contains neither, so a level
/// with `:` is refused rather than guessed at.
pub fn topic_level_to_credential_id(level: &str) -> Result<CredentialId, Error> {
    check_topic_level(level)?;
    CredentialId::parse(level)
}

impl Id {
    /// This ID as a topic level (see [`id_to_topic_level`]). Never fails: a parsed ID is
    /// made of unreserved characters and `/` only.
    pub fn to_topic_level(&self) -> String {
        let text = self.to_string();
        match text.strip_prefix("//") {
            Some(rest) => format!(":{}", rest.replace('/', ":")),
            None => text.trim_start_matches('/').replace('/', ":"),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ts0010_examples_map_both_ways() {
        for (id, level) in [
            ("/id-in", "id-in"),
            ("/id-in/CAE01", "id-in:CAE01"),
            ("/SAE01", "SAE01"),
            ("//sp.com/in-cse", ":sp.com:in-cse"),
            ("//a.com/in1", ":a.com:in1"),
            ("//sp.com/id-in/CAE01", ":sp.com:id-in:CAE01"),
            ("/id-in/cse-in/myAE", "id-in:cse-in:myAE"),
        ] {
            assert_eq!(id_to_topic_level(id).unwrap(), level, "{id}");
            assert_eq!(topic_level_to_id(level).unwrap(), id, "{level}");
        }
    }

    #[test]
    fn bare_stems_are_kept_as_acme_sends_them() {
        assert_eq!(id_to_topic_level("CrigJson").unwrap(), "CrigJson");
        assert_eq!(id_to_topic_level("cse-in").unwrap(), "cse-in");
        assert_eq!(topic_level_to_id("CrigJson").unwrap(), "/CrigJson");
    }

    #[test]
    fn unsafe_or_unreadable_levels_are_refused() {
        for level in [
            "", "+", "#", "a/b", "a+b", "x#", "a\0b", "id-in::x", ":", "::", "a:", "a b", "é",
        ] {
            assert!(topic_level_to_id(level).is_err(), "{level:?}");
        }
        for id in ["", "cse-in/myAE", "a+b", "a#", "a:b", "//sp.com"] {
            assert!(id_to_topic_level(id).is_err(), "{id:?}");
        }
    }

    #[test]
    fn credential_ids_map_slashes_to_colons_and_refuse_wildcards() {
        assert_eq!(credential_id_to_topic_level("AE1").unwrap(), "AE1");
        assert_eq!(
            credential_id_to_topic_level("psk-x@y.com").unwrap(),
            "psk-x@y.com"
        );
        assert_eq!(credential_id_to_topic_level("a/b").unwrap(), "a:b");
        for bad in ["", "a+", "#", "a\0"] {
            assert!(credential_id_to_topic_level(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            topic_level_to_credential_id("CrigJson").unwrap().as_str(),
            "CrigJson"
        );
        assert!(topic_level_to_credential_id("a:b").is_err());
        assert!(topic_level_to_credential_id("+").is_err());
    }

    proptest! {
        #[test]
        fn every_accepted_id_round_trips_through_a_safe_level(s in "/{0,2}[a-zA-Z0-9._:+#-]{1,12}(/[a-zA-Z0-9._-]{1,8}){0,3}") {
            if let Ok(level) = id_to_topic_level(&s) {
                prop_assert!(check_topic_level(&level).is_ok());
                prop_assert!(!level.contains('/'));
                // A bare stem reads back SP-relative; everything else exactly.
                let back = topic_level_to_id(&level).unwrap();
                if s.starts_with('/') {
                    prop_assert_eq!(back, s);
                } else {
                    prop_assert_eq!(back, format!("/{s}"));
                }
            }
        }

        #[test]
        fn reverse_mapping_never_panics(level in "\\PC{0,24}") {
            if let Ok(id) = topic_level_to_id(&level) {
                prop_assert_eq!(id_to_topic_level(&id).unwrap(), level);
            }
        }
    }
}
