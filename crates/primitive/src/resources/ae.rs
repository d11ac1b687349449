//! `<AE>`, root `m2m:ae` (TS-0001 9.6.5, TS-0004 7.4.5): an application registered with
//! a CSE.

use crate::error::Error;
use crate::release_version::ReleaseVersion;
use crate::resource_type::ResourceType;
use crate::value::Map;

use super::Resource;
use super::attribute_reader::AttributeReader;
use super::attribute_writer::AttributeWriter;
use super::common_attributes::{self, CommonAttributes};

/// The XSD order of the AE's own attributes.
const ORDER: &[&str] = &[
    "apn", "api", "aei", "poa", "or", "nl", "rr", "csz", "esi", "srv",
];

/// An `<AE>` resource: what an AE sends to register, and what the CSE answers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ae {
    /// The universal and common attributes.
    pub common: CommonAttributes,
    /// `apn` appName.
    pub apn: Option<String>,
    /// `api` App-ID: starts with `R` (registered) or `N` (non-registered).
    pub api: Option<String>,
    /// `aei` AE-ID, assigned by the CSE (read-only).
    pub aei: Option<String>,
    /// `poa` pointOfAccess, e.g. `mqtt://127.0.0.1:1883`.
    pub poa: Option<Vec<String>>,
    /// `or` ontologyRef.
    pub or: Option<String>,
    /// `nl` nodeLink.
    pub nl: Option<String>,
    /// `rr` requestReachability: whether the AE can receive requests.
    pub rr: Option<bool>,
    /// `csz` contentSerialization: the media types the AE accepts, preferred first.
    pub csz: Option<Vec<String>>,
    /// `srv` supportedReleaseVersions.
    pub srv: Option<Vec<ReleaseVersion>>,
    /// Attributes this type does not model, kept as received.
    pub extra: Map,
}

impl Ae {
    /// The content of a registration: name, App-ID and request reachability.
    pub fn registration(rn: impl Into<String>, api: impl Into<String>, rr: bool) -> Self {
        Self {
            common: CommonAttributes::named(rn),
            api: Some(api.into()),
            rr: Some(rr),
            srv: Some(vec![ReleaseVersion::default()]),
            ..Self::default()
        }
    }
}

impl Resource for Ae {
    const SHORT_NAME: &'static str = "m2m:ae";
    const TYPE: Option<ResourceType> = Some(ResourceType::AE);

    fn to_map(&self) -> Map {
        let mut w = AttributeWriter::new();
        self.common.write(&mut w);
        w.put("apn", self.apn.clone());
        w.put("api", self.api.clone());
        w.put("aei", self.aei.clone());
        w.put("poa", self.poa.clone());
        w.put("or", self.or.clone());
        w.put("nl", self.nl.clone());
        w.put("rr", self.rr);
        w.put("csz", self.csz.clone());
        w.put(
            "srv",
            self.srv
                .as_ref()
                .map(|v| v.iter().map(|r| r.as_str().to_owned()).collect::<Vec<_>>()),
        );
        w.finish(&self.extra, &[common_attributes::ORDER, ORDER])
    }

    fn from_map(map: &Map) -> Result<Self, Error> {
        let mut r = AttributeReader::new(Self::SHORT_NAME, map);
        Ok(Self {
            common: CommonAttributes::read(&mut r, Self::TYPE)?,
            apn: r.string("apn")?,
            api: r.string("api")?,
            aei: r.string("aei")?,
            poa: r.strings("poa")?,
            or: r.string("or")?,
            nl: r.string("nl")?,
            rr: r.boolean("rr")?,
            csz: r.strings("csz")?,
            srv: r
                .strings("srv")?
                .map(|v| v.iter().map(|s| ReleaseVersion::parse(s)).collect()),
            extra: r.finish(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::resources::test_values::{keys, unordered, vmap};
    use crate::time::Timestamp;
    use crate::value::Value;

    /// `pc` of capture 01 (json-register-ae), request.
    fn registration_request() -> Value {
        vmap! {"m2m:ae" => vmap!{
            "rn" => "rigJsonAE",
            "api" => "Nrig.example.json",
            "rr" => true,
            "srv" => vec!["3"],
            "poa" => vec!["mqtt://127.0.0.1:18830"],
        }}
    }

    /// `pc` of capture 01, ACME's response.
    fn registration_response() -> Value {
        vmap! {"m2m:ae" => vmap!{
            "rn" => "rigJsonAE", "api" => "Nrig.example.json", "rr" => true,
            "srv" => vec!["3"], "poa" => vec!["mqtt://127.0.0.1:18830"],
            "pi" => "id-in", "ri" => "CrigJson", "ty" => 2, "aei" => "CrigJson",
            "ct" => "20261124T215237,114672", "lt" => "20261124T215237,114672",
            "et" => "20311123T215237,115701",
        }}
    }

    #[test]
    fn acme_registration_request_reads_into_typed_fields() {
        let ae = Ae::from_content(&registration_request()).unwrap();
        assert_eq!(ae.common.rn.as_deref(), Some("rigJsonAE"));
        assert_eq!(ae.api.as_deref(), Some("Nrig.example.json"));
        assert_eq!(ae.rr, Some(true));
        assert_eq!(ae.srv, Some(vec![ReleaseVersion::V3]));
        assert_eq!(ae.poa, Some(vec!["mqtt://127.0.0.1:18830".to_owned()]));
        assert!(ae.extra.is_empty());
        assert_eq!(
            unordered(&ae.to_content()),
            unordered(&registration_request())
        );
    }

    #[test]
    fn registration_constructor_builds_the_capture_content() {
        let mut ae = Ae::registration("rigJsonAE", "Nrig.example.json", true);
        ae.poa = Some(vec!["mqtt://127.0.0.1:18830".into()]);
        assert_eq!(
            unordered(&ae.to_content()),
            unordered(&registration_request())
        );
    }

    #[test]
    fn acme_registration_response_round_trips_in_xsd_order() {
        let ae = Ae::from_content(&registration_response()).unwrap();
        assert_eq!(ae.aei.as_deref(), Some("CrigJson"));
        assert_eq!(ae.common.ty, Some(ResourceType::AE));
        assert_eq!(
            ae.common.ct,
            Some(Timestamp::parse("20261124T215237,114672").unwrap())
        );
        let back = ae.to_content();
        assert_eq!(unordered(&back), unordered(&registration_response()));
        let Value::Map(root) = &back else { panic!() };
        assert_eq!(
            keys(root.get("m2m:ae").unwrap()),
            [
                "rn", "ty", "ri", "pi", "ct", "lt", "et", "api", "aei", "poa", "rr", "srv"
            ]
        );
    }

    #[test]
    fn content_of_another_type_is_refused() {
        let cnt = vmap! {"m2m:ae" => vmap!{"ty" => 3}};
        let err = Ae::from_content(&cnt).unwrap_err();
        assert!(
            matches!(err, Error::InvalidContent { what: "m2m:ae", .. }),
            "{err}"
        );
        assert!(Ae::from_content(&vmap! {"m2m:cnt" => vmap!{}}).is_err());
        assert!(Ae::from_content(&Value::from("x")).is_err());
        assert!(Ae::from_content(&vmap! {"m2m:ae" => "x"}).is_err());
    }

    #[test]
    fn root_without_prefix_is_accepted() {
        let ae = Ae::from_content(&vmap! {"ae" => vmap!{"rn" => "x"}}).unwrap();
        assert_eq!(ae.common.rn.as_deref(), Some("x"));
    }
}
