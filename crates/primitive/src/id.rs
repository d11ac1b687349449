//! oneM2M identifiers (TS-0001 7.2, TS-0004 6.2.3 and 6.2.4) and the TS-0003 Credential-ID.
//!
//! An identifier is written in one of three scopes:
//!
//! | Scope | Prefix | Examples |
//! |---|---|---|
//! | CSE-relative | none | `cse-in/myAE/data` (structured), `cnt74dSy0QGuX` (unstructured), `CAE01` (AE-ID-Stem) |
//! | SP-relative | `/` | `/id-in` (CSE-ID), `/id-in/CAE01`, `/SAE01` (AE-IDs), `/id-in/cse-in/myAE` |
//! | Absolute | `//<SP FQDN>` | `//sp.example.com/id-in`, `//sp.example.com/id-in/cse-in/myAE` |
//!
//! [`Id::parse`] classifies a text as a CSE-ID, an AE-ID or another resource address. The
//! grammar alone cannot always tell them apart (`/id-in/CAE01` is both the AE-ID of a
//! C-type AE and the address of the resource `CAE01` on CSE `id-in`; `/Sxyz` could be a
//! CSE called `Sxyz`), so the classification follows the forms of TS-0001 Table 7.2-1,
//! as ACME does:
//!
//! - after the scope prefix, one segment starting with `S` is an S-type AE-ID; any other
//!   single segment is a CSE-ID (`/Cxyz` is not an AE form, so it is a CSE-ID);
//! - two segments whose second starts with `C` are a C-type AE-ID (`/<csi>/C<stem>`);
//! - a single CSE-relative segment starting with `C` or `S` is an AE-ID-Stem;
//! - everything else is a resource address.
//!
//! Every segment must be non-empty and made of the oneM2M *unreserved* characters, which
//! this crate takes as ALPHA, DIGIT, `-`, `.` and `_` (the set the MQTT binding relies on,
//! see `ts-0010-facts.md` §2.2). RFC 3986 also counts `~` as unreserved; it is refused
//! here because no oneM2M peer uses it in an ID and because it keeps every identifier
//! safe to use unchanged in an MQTT topic level once `/` becomes `:`.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// Whether `b` is one of the characters an ID segment may contain (see the module docs).
pub const fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_')
}

/// How much context an identifier needs to be resolved (TS-0001 7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Relative to the receiving CSE: no leading `/`.
    CseRelative,
    /// Relative to the M2M service provider: one leading `/`.
    SpRelative,
    /// Globally unique: `//` and the service provider's FQDN first.
    Absolute,
}

/// Who assigned an AE-ID-Stem: the first letter of the stem tells (TS-0001 7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AeIdKind {
    /// `C...`: assigned by the registrar CSE, unique only below it, so its SP-relative
    /// form names that CSE (`/<csi>/C<stem>`).
    C,
    /// `S...`: assigned by the service provider, unique in the SP (`/S<stem>`).
    S,
}

/// A CSE-ID: `/<csi>` (SP-relative) or `//<sp>/<csi>` (absolute).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CseId {
    sp: Option<String>,
    csi: String,
}

/// An AE-ID in any of its forms: the bare stem (`CAE01`, `SAE01`), SP-relative
/// (`/id-in/CAE01`, `/SAE01`) or absolute (`//sp.example.com/id-in/CAE01`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AeId {
    scope: Scope,
    sp: Option<String>,
    csi: Option<String>,
    stem: String,
}

/// The address of a resource that is neither a CSE-ID nor an AE-ID: a structured path
/// (`cse-in/myAE/data`) or an unstructured resource ID (`cnt74dSy0QGuX`), in any scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceAddress {
    scope: Scope,
    sp: Option<String>,
    csi: Option<String>,
    path: String,
}

/// Any identifier a primitive carries in `to` or `fr`, classified.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Id {
    /// A CSE-ID (`/id-in`, `//sp.example.com/id-in`).
    Cse(CseId),
    /// An AE-ID (`CAE01`, `/id-in/CAE01`, `/SAE01`, `//sp.example.com/SAE01`).
    Ae(AeId),
    /// Any other resource address (`cse-in/myAE`, `/id-in/cse-in/myAE`, ...).
    Resource(ResourceAddress),
}

/// A TS-0003 Credential-ID, the originator level of the registration topics.
///
/// TS-0003 writes it `<typeID>-<value>` with characters `[A-Za-z0-9._@-]`. Peers also use
/// plain names without a type (ACME's tests register as `CrigJson` or `anMqttClient`), so
/// only the character set is enforced; [`CredentialId::type_id`] splits at the first `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CredentialId(String);

fn invalid(value: &str, reason: &'static str) -> Error {
    Error::InvalidId {
        value: Error::excerpt(value),
        reason,
    }
}

/// Checks one `/`-separated segment of `whole`.
fn check_segment(whole: &str, segment: &str) -> Result<(), Error> {
    if segment.is_empty() {
        return Err(invalid(whole, "empty path segment"));
    }
    if !segment.bytes().all(is_unreserved) {
        return Err(invalid(
            whole,
            "only letters, digits, '-', '.' and '_' may appear between '/'",
        ));
    }
    Ok(())
}

fn starts_with(segment: &str, letter: u8) -> bool {
    segment.as_bytes().first() == Some(&letter)
}

impl Scope {
    /// The prefix the scope adds before the first segment, given the SP FQDN if absolute.
    fn write_prefix(self, sp: Option<&str>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, sp) {
            (Scope::Absolute, Some(sp)) => write!(f, "//{sp}/"),
            (Scope::SpRelative, _) | (Scope::Absolute, None) => f.write_str("/"),
            (Scope::CseRelative, _) => Ok(()),
        }
    }
}

impl Id {
    /// Reads and classifies an identifier (see the module docs for the rules).
    ///
    /// ```
    /// use onem2m_primitive::id::{Id, Scope};
    ///
    /// let id = Id::parse("//sp.example.com/id-in/CAE01").unwrap();
    /// assert!(id.is_ae());
    /// assert_eq!(id.scope(), Scope::Absolute);
    /// assert_eq!(id.sp_id(), Some("sp.example.com"));
    /// assert_eq!(id.cse_id().unwrap().to_string(), "//sp.example.com/id-in");
    /// assert_eq!(id.to_string(), "//sp.example.com/id-in/CAE01");
    /// ```
    pub fn parse(s: &str) -> Result<Self, Error> {
        if s.is_empty() {
            return Err(invalid(s, "empty identifier"));
        }
        let (scope, rest) = if let Some(rest) = s.strip_prefix("//") {
            (Scope::Absolute, rest)
        } else if let Some(rest) = s.strip_prefix('/') {
            (Scope::SpRelative, rest)
        } else {
            (Scope::CseRelative, s)
        };
        let mut segments: Vec<&str> = rest.split('/').collect();
        for segment in &segments {
            check_segment(s, segment)?;
        }
        let sp = if scope == Scope::Absolute {
            if segments.len() < 2 {
                return Err(invalid(s, "an SP-ID alone names no entity: add a CSE-ID"));
            }
            Some(segments.remove(0).to_owned())
        } else {
            None
        };
        Ok(match (scope, segments.as_slice()) {
            (Scope::CseRelative, [one]) if starts_with(one, b'C') || starts_with(one, b'S') => {
                Id::Ae(AeId {
                    scope,
                    sp,
                    csi: None,
                    stem: (*one).to_owned(),
                })
            }
            (Scope::CseRelative, _) => Id::Resource(ResourceAddress {
                scope,
                sp,
                csi: None,
                path: rest.to_owned(),
            }),
            (_, [one]) if starts_with(one, b'S') => Id::Ae(AeId {
                scope,
                sp,
                csi: None,
                stem: (*one).to_owned(),
            }),
            (_, [csi]) => Id::Cse(CseId {
                sp,
                csi: (*csi).to_owned(),
            }),
            (_, [csi, stem]) if starts_with(stem, b'C') => Id::Ae(AeId {
                scope,
                sp,
                csi: Some((*csi).to_owned()),
                stem: (*stem).to_owned(),
            }),
            (_, [csi, path @ ..]) => Id::Resource(ResourceAddress {
                scope,
                sp,
                csi: Some((*csi).to_owned()),
                path: path.join("/"),
            }),
            (_, []) => return Err(invalid(s, "no segment after the scope prefix")),
        })
    }

    /// CSE-relative, SP-relative or absolute.
    pub fn scope(&self) -> Scope {
        match self {
            Id::Cse(c) => c.scope(),
            Id::Ae(a) => a.scope,
            Id::Resource(r) => r.scope,
        }
    }

    /// The FQDN of the service provider, for an absolute ID (`sp.example.com`, without
    /// the leading `//` of the M2M-SP-ID).
    pub fn sp_id(&self) -> Option<&str> {
        match self {
            Id::Cse(c) => c.sp.as_deref(),
            Id::Ae(a) => a.sp.as_deref(),
            Id::Resource(r) => r.sp.as_deref(),
        }
    }

    /// The CSE the ID names or lives on, in the scope the ID was written in (SP-relative,
    /// or absolute for an absolute ID). `None` for a CSE-relative ID (it is on the
    /// receiving CSE) and for an S-type AE-ID (it belongs to the whole SP).
    pub fn cse_id(&self) -> Option<CseId> {
        let (sp, csi) = match self {
            Id::Cse(c) => return Some(c.clone()),
            Id::Ae(a) => (&a.sp, a.csi.as_ref()?),
            Id::Resource(r) => (&r.sp, r.csi.as_ref()?),
        };
        Some(CseId {
            sp: sp.clone(),
            csi: csi.clone(),
        })
    }

    /// Whether this is an AE-ID.
    pub fn is_ae(&self) -> bool {
        matches!(self, Id::Ae(_))
    }

    /// Whether this is a CSE-ID.
    pub fn is_cse(&self) -> bool {
        matches!(self, Id::Cse(_))
    }

    /// The same ID in SP-relative form, as seen from the CSE `home`.
    ///
    /// An absolute ID must belong to `home`'s service provider (so `home` must be an
    /// absolute CSE-ID for absolute input); a CSE-relative ID is placed on `home`, except
    /// an S-type AE-ID-Stem, which is SP-wide (`SAE01` becomes `/SAE01`).
    ///
    /// ```
    /// use onem2m_primitive::id::{CseId, Id};
    ///
    /// let home = CseId::parse("//sp.example.com/id-in").unwrap();
    /// let sp_rel = |s: &str| Id::parse(s).unwrap().to_sp_relative(&home).unwrap().to_string();
    /// assert_eq!(sp_rel("CAE01"), "/id-in/CAE01");
    /// assert_eq!(sp_rel("cse-in/myAE"), "/id-in/cse-in/myAE");
    /// assert_eq!(sp_rel("//sp.example.com/id-mn/cse-mn"), "/id-mn/cse-mn");
    /// assert!(Id::parse("//other.com/id-in").unwrap().to_sp_relative(&home).is_err());
    /// ```
    pub fn to_sp_relative(&self, home: &CseId) -> Result<Id, Error> {
        if let Some(sp) = self.sp_id() {
            match home.sp.as_deref() {
                Some(home_sp) if home_sp == sp => {}
                Some(_) => {
                    return Err(invalid(
                        &self.to_string(),
                        "belongs to another service provider: it has no SP-relative form here",
                    ));
                }
                None => {
                    return Err(invalid(
                        &self.to_string(),
                        "absolute ID, but the home CSE-ID has no SP-ID to compare with",
                    ));
                }
            }
        }
        let mut out = self.clone();
        match &mut out {
            Id::Cse(c) => c.sp = None,
            Id::Ae(a) => {
                if a.scope == Scope::CseRelative && a.kind() == AeIdKind::C {
                    a.csi = Some(home.csi.clone());
                }
                a.sp = None;
                a.scope = Scope::SpRelative;
            }
            Id::Resource(r) => {
                if r.scope == Scope::CseRelative {
                    r.csi = Some(home.csi.clone());
                }
                r.sp = None;
                r.scope = Scope::SpRelative;
            }
        }
        Ok(out)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Cse(c) => c.fmt(f),
            Id::Ae(a) => a.fmt(f),
            Id::Resource(r) => r.fmt(f),
        }
    }
}

impl FromStr for Id {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Id::parse(s)
    }
}

impl CseId {
    /// Reads a CSE-ID (`/id-in` or `//sp.example.com/id-in`); anything else is an error.
    pub fn parse(s: &str) -> Result<Self, Error> {
        match Id::parse(s)? {
            Id::Cse(c) => Ok(c),
            _ => Err(invalid(s, "not a CSE-ID: expected /<csi> or //<sp>/<csi>")),
        }
    }

    /// The SP-relative CSE-ID `/<csi>`; `csi` is given without the slash.
    pub fn sp_relative(csi: &str) -> Result<Self, Error> {
        check_segment(csi, csi)?;
        Ok(Self {
            sp: None,
            csi: csi.to_owned(),
        })
    }

    /// The absolute CSE-ID `//<sp>/<csi>`; both are given without slashes.
    pub fn absolute(sp: &str, csi: &str) -> Result<Self, Error> {
        check_segment(sp, sp)?;
        Ok(Self {
            sp: Some(sp.to_owned()),
            ..Self::sp_relative(csi)?
        })
    }

    /// SP-relative or absolute.
    pub fn scope(&self) -> Scope {
        if self.sp.is_some() {
            Scope::Absolute
        } else {
            Scope::SpRelative
        }
    }

    /// The CSE-ID without any slash (`id-in`).
    pub fn csi(&self) -> &str {
        &self.csi
    }

    /// The service provider's FQDN, for an absolute CSE-ID.
    pub fn sp_id(&self) -> Option<&str> {
        self.sp.as_deref()
    }

    /// The SP-relative form `/<csi>` (drops the SP-ID of an absolute CSE-ID).
    pub fn to_sp_relative(&self) -> CseId {
        CseId {
            sp: None,
            csi: self.csi.clone(),
        }
    }
}

impl fmt::Display for CseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.scope().write_prefix(self.sp.as_deref(), f)?;
        f.write_str(&self.csi)
    }
}

impl FromStr for CseId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        CseId::parse(s)
    }
}

impl AeId {
    /// Reads an AE-ID in any of its forms; anything else is an error.
    pub fn parse(s: &str) -> Result<Self, Error> {
        match Id::parse(s)? {
            Id::Ae(a) => Ok(a),
            _ => Err(invalid(
                s,
                "not an AE-ID: expected C<stem>, S<stem>, /<csi>/C<stem> or /S<stem>",
            )),
        }
    }

    /// The AE-ID-Stem (`CAE01`), which an AE puts in `fr` on Mca.
    pub fn stem(&self) -> &str {
        &self.stem
    }

    /// Who assigned the stem.
    pub fn kind(&self) -> AeIdKind {
        if starts_with(&self.stem, b'S') {
            AeIdKind::S
        } else {
            AeIdKind::C
        }
    }

    /// CSE-relative (a bare stem), SP-relative or absolute.
    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// The registrar CSE named in a C-type AE-ID (`id-in` in `/id-in/CAE01`).
    pub fn csi(&self) -> Option<&str> {
        self.csi.as_deref()
    }

    /// The service provider's FQDN, for an absolute AE-ID.
    pub fn sp_id(&self) -> Option<&str> {
        self.sp.as_deref()
    }
}

impl fmt::Display for AeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.scope.write_prefix(self.sp.as_deref(), f)?;
        if let Some(csi) = &self.csi {
            write!(f, "{csi}/")?;
        }
        f.write_str(&self.stem)
    }
}

impl FromStr for AeId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        AeId::parse(s)
    }
}

impl ResourceAddress {
    /// CSE-relative, SP-relative or absolute.
    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// The CSE the resource lives on, when the address names it.
    pub fn csi(&self) -> Option<&str> {
        self.csi.as_deref()
    }

    /// The service provider's FQDN, for an absolute address.
    pub fn sp_id(&self) -> Option<&str> {
        self.sp.as_deref()
    }

    /// The part after the CSE-ID: a resource ID or a structured path (`cse-in/myAE`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether the path is structured (resource names below the CSEBase) rather than a
    /// single unstructured resource ID.
    pub fn is_structured(&self) -> bool {
        self.path.contains('/')
    }
}

impl fmt::Display for ResourceAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.scope.write_prefix(self.sp.as_deref(), f)?;
        if let Some(csi) = &self.csi {
            write!(f, "{csi}/")?;
        }
        f.write_str(&self.path)
    }
}

impl CredentialId {
    /// Reads a Credential-ID: one or more of `[A-Za-z0-9._@-]`.
    pub fn parse(s: &str) -> Result<Self, Error> {
        if s.is_empty() {
            return Err(invalid(s, "empty Credential-ID"));
        }
        if !s.bytes().all(|b| is_unreserved(b) || b == b'@') {
            return Err(invalid(
                s,
                "a Credential-ID may only contain letters, digits, '.', '_', '@' and '-'",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `<typeID>` before the first `-`, if the ID has the TS-0003 two-part form.
    pub fn type_id(&self) -> Option<&str> {
        self.split().map(|(t, _)| t)
    }

    /// The `<value>` after the first `-`, or the whole ID if it has no type part.
    pub fn value(&self) -> &str {
        self.split().map_or(&self.0, |(_, v)| v)
    }

    fn split(&self) -> Option<(&str, &str)> {
        self.0
            .split_once('-')
            .filter(|(t, v)| !t.is_empty() && !v.is_empty())
    }
}

impl fmt::Display for CredentialId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CredentialId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        CredentialId::parse(s)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use proptest::prelude::*;

    fn id(s: &str) -> Id {
        Id::parse(s).unwrap()
    }

    #[test]
    fn cse_ids_in_both_scopes() {
        let rel = id("/id-in");
        assert!(rel.is_cse());
        assert_eq!(rel.scope(), Scope::SpRelative);
        assert_eq!(rel.sp_id(), None);
        assert_eq!(rel.cse_id().unwrap().csi(), "id-in");

        let abs = id("//sp.example.com/cse1");
        assert!(abs.is_cse());
        assert_eq!(abs.scope(), Scope::Absolute);
        assert_eq!(abs.sp_id(), Some("sp.example.com"));
        assert_eq!(abs.cse_id().unwrap().to_string(), "//sp.example.com/cse1");
        // A single segment starting with C is not an AE form (TS-0001: /C... does not exist).
        assert!(id("/CSE01").is_cse());
    }

    #[test]
    fn ae_ids_in_every_form() {
        for (text, scope, kind, csi) in [
            ("CAE01", Scope::CseRelative, AeIdKind::C, None),
            ("SAE01", Scope::CseRelative, AeIdKind::S, None),
            ("C", Scope::CseRelative, AeIdKind::C, None),
            (
                "/id-in/CAE01",
                Scope::SpRelative,
                AeIdKind::C,
                Some("id-in"),
            ),
            ("/SAE01", Scope::SpRelative, AeIdKind::S, None),
            (
                "//sp.com/id-in/CAE01",
                Scope::Absolute,
                AeIdKind::C,
                Some("id-in"),
            ),
            ("//sp.com/SAE01", Scope::Absolute, AeIdKind::S, None),
        ] {
            let Id::Ae(ae) = id(text) else {
                panic!("{text} is not classified as an AE-ID");
            };
            assert_eq!(ae.scope(), scope, "{text}");
            assert_eq!(ae.kind(), kind, "{text}");
            assert_eq!(ae.csi(), csi, "{text}");
            assert_eq!(ae.to_string(), text);
            assert_eq!(AeId::parse(text).unwrap(), ae);
        }
        assert_eq!(AeId::parse("/id-in/CAE01").unwrap().stem(), "CAE01");
        assert!(AeId::parse("/id-in").is_err());
    }

    #[test]
    fn resource_addresses_in_every_scope() {
        let Id::Resource(r) = id("cse-in/myAE/data") else {
            panic!()
        };
        assert_eq!(
            (r.scope(), r.csi(), r.path()),
            (Scope::CseRelative, None, "cse-in/myAE/data")
        );
        assert!(r.is_structured());

        let Id::Resource(r) = id("/id-in/cse-in/myAE") else {
            panic!()
        };
        assert_eq!(
            (r.scope(), r.csi(), r.path()),
            (Scope::SpRelative, Some("id-in"), "cse-in/myAE")
        );

        let Id::Resource(r) = id("//acme.example.com/id-in/cse-in/rigJsonAE") else {
            panic!()
        };
        assert_eq!(r.sp_id(), Some("acme.example.com"));
        assert_eq!(r.path(), "cse-in/rigJsonAE");

        let unstructured = id("cnt74dSy0QGuX");
        assert!(matches!(&unstructured, Id::Resource(r) if !r.is_structured()));
        assert_eq!(unstructured.cse_id(), None);
        assert!(matches!(id("/id-in/cnt1"), Id::Resource(_)));
        assert!(matches!(id("cse-in"), Id::Resource(_)));
    }

    #[test]
    fn display_gives_back_the_exact_text() {
        for s in [
            "/id-in",
            "//sp.example.com/cse1",
            "CAE01",
            "/id-in/CAE01",
            "/SAE01",
            "//sp.com/SAE01",
            "cse-in/myAE/data/la",
            "/id-in/cse-in/myAE",
            "//sp.com/id-in/cse-in/-/x_y.z",
        ] {
            assert_eq!(id(s).to_string(), s);
            assert_eq!(s.parse::<Id>().unwrap(), id(s));
        }
    }

    #[test]
    fn malformed_ids_are_refused_with_a_reason() {
        for s in [
            "",
            "/",
            "//",
            "//sp.com",
            "//sp.com/",
            "cse-in//x",
            "cse-in/",
            "/id-in/",
            "a b",
            "id:in",
            "my+ae",
            "my#ae",
            "a~b",
            "\0",
            "é",
            "///x",
        ] {
            let err = Id::parse(s).expect_err(s);
            assert!(matches!(err, Error::InvalidId { .. }), "{s}: {err}");
        }
    }

    #[test]
    fn sp_relative_conversion_needs_the_home_cse() {
        let home = CseId::parse("//sp.example.com/id-in").unwrap();
        let conv = |s: &str| id(s).to_sp_relative(&home).map(|i| i.to_string());
        assert_eq!(conv("CAE01").unwrap(), "/id-in/CAE01");
        assert_eq!(conv("SAE01").unwrap(), "/SAE01");
        assert_eq!(conv("cse-in/myAE").unwrap(), "/id-in/cse-in/myAE");
        assert_eq!(conv("/id-mn/CAE02").unwrap(), "/id-mn/CAE02");
        assert_eq!(conv("//sp.example.com/id-in").unwrap(), "/id-in");
        assert_eq!(conv("//sp.example.com/SAE01").unwrap(), "/SAE01");
        assert_eq!(
            conv("//sp.example.com/id-in/cse-in/a").unwrap(),
            "/id-in/cse-in/a"
        );
        assert!(conv("//other.com/id-in").is_err());

        let sp_relative_home = CseId::sp_relative("id-in").unwrap();
        assert!(
            id("//sp.example.com/id-in")
                .to_sp_relative(&sp_relative_home)
                .is_err()
        );
        assert_eq!(
            id("CAE01")
                .to_sp_relative(&sp_relative_home)
                .unwrap()
                .to_string(),
            "/id-in/CAE01"
        );
    }

    #[test]
    fn cse_id_constructors_validate() {
        assert_eq!(
            CseId::absolute("sp.com", "in").unwrap().to_string(),
            "//sp.com/in"
        );
        assert_eq!(CseId::sp_relative("in").unwrap().to_string(), "/in");
        assert!(CseId::sp_relative("in/x").is_err());
        assert!(CseId::absolute("", "in").is_err());
        assert!(CseId::parse("CAE01").is_err());
        assert_eq!(
            CseId::parse("//sp.com/in")
                .unwrap()
                .to_sp_relative()
                .to_string(),
            "/in"
        );
    }

    #[test]
    fn credential_ids_follow_ts0003_characters() {
        let c = CredentialId::parse("psk-user@example.com").unwrap();
        assert_eq!(c.type_id(), Some("psk"));
        assert_eq!(c.value(), "user@example.com");
        let plain = CredentialId::parse("CrigJson").unwrap();
        assert_eq!(plain.type_id(), None);
        assert_eq!(plain.value(), "CrigJson");
        assert_eq!(plain.to_string(), "CrigJson");
        for bad in ["", "a/b", "a:b", "a+b", "a#b", "a b", "a\0"] {
            assert!(CredentialId::parse(bad).is_err(), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_accepted_ids_round_trip(s in "[/a-zA-Z0-9._:~+# -]{0,30}") {
            if let Ok(parsed) = Id::parse(&s) {
                prop_assert_eq!(parsed.to_string(), s);
            }
        }
    }
}
