//! `<CSEBase>`, root `m2m:cb` (TS-0001 9.6.3): the root of a CSE's resource tree, which
//! describes the CSE itself.

use crate::error::Error;
use crate::release_version::ReleaseVersion;
use crate::resource_type::ResourceType;
use crate::value::Map;

use super::Resource;
use super::attribute_reader::AttributeReader;
use super::attribute_writer::AttributeWriter;
use super::common_attributes::{self, CommonAttributes};

/// The order of the CSEBase's own attributes. The first five follow the XSD; where the
/// later-release attributes (`srv`, `ncp`, `csz`) sit could not be checked against it.
const ORDER: &[&str] = &[
    "cst", "csi", "srt", "poa", "nl", "esi", "trn", "srv", "ncp", "csz",
];

/// A `<CSEBase>` resource, as a CSE returns it on a retrieve.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CseBase {
    /// The universal and common attributes.
    pub common: CommonAttributes,
    /// `cst` cseType: 1 IN-CSE, 2 MN-CSE, 3 ASN-CSE.
    pub cst: Option<i64>,
    /// `csi` CSE-ID, SP-relative (`/id-in`).
    pub csi: Option<String>,
    /// `srt` supportedResourceType.
    pub srt: Option<Vec<ResourceType>>,
    /// `poa` pointOfAccess.
    pub poa: Option<Vec<String>>,
    /// `nl` nodeLink.
    pub nl: Option<String>,
    /// `srv` supportedReleaseVersions.
    pub srv: Option<Vec<ReleaseVersion>>,
    /// `ncp` notificationCongestionPolicy.
    pub ncp: Option<i64>,
    /// `csz` contentSerialization.
    pub csz: Option<Vec<String>>,
    /// Attributes this type does not model, kept as received.
    pub extra: Map,
}

impl Resource for CseBase {
    const SHORT_NAME: &'static str = "m2m:cb";
    const TYPE: Option<ResourceType> = Some(ResourceType::CSE_BASE);

    fn to_map(&self) -> Map {
        let mut w = AttributeWriter::new();
        self.common.write(&mut w);
        w.put("cst", self.cst);
        w.put("csi", self.csi.clone());
        w.put(
            "srt",
            self.srt
                .as_ref()
                .map(|v| v.iter().map(|t| i64::from(t.code())).collect::<Vec<_>>()),
        );
        w.put("poa", self.poa.clone());
        w.put("nl", self.nl.clone());
        w.put(
            "srv",
            self.srv
                .as_ref()
                .map(|v| v.iter().map(|r| r.as_str().to_owned()).collect::<Vec<_>>()),
        );
        w.put("ncp", self.ncp);
        w.put("csz", self.csz.clone());
        w.finish(&self.extra, &[common_attributes::ORDER, ORDER])
    }

    fn from_map(map: &Map) -> Result<Self, Error> {
        let mut r = AttributeReader::new(Self::SHORT_NAME, map);
        let common = CommonAttributes::read(&mut r, Self::TYPE)?;
        let srt = match r.ints("srt")? {
            None => None,
            Some(codes) => Some(
                codes
                    .into_iter()
                    .map(|code| {
                        u32::try_from(code)
                            .map(ResourceType)
                            .map_err(|_| r.error("srt", format!("{code} is not a resource type")))
                    })
                    .collect::<Result<_, _>>()?,
            ),
        };
        Ok(Self {
            common,
            cst: r.int("cst")?,
            csi: r.string("csi")?,
            srt,
            poa: r.strings("poa")?,
            nl: r.string("nl")?,
            srv: r
                .strings("srv")?
                .map(|v| v.iter().map(|s| ReleaseVersion::parse(s)).collect()),
            ncp: r.int("ncp")?,
            csz: r.strings("csz")?,
            extra: r.finish(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::resources::test_values::{members, unordered, vmap};
    use crate::value::Value;

    /// `pc` of capture 04 (json-retrieve-csebase-admin), ACME's response.
    fn acme_cse_base() -> Value {
        let srt: Vec<i64> = vec![
            1, 2, 3, 4, 5, 9, 10, 13, 14, 15, 16, 17, 18, 23, 24, 25, 26, 27, 28, 29, 30, 34, 43,
            44, 47, 48, 58, 60, 62, 63, 64, 65, 66, 10001, 10002, 10003, 10004, 10009, 10010,
            10013, 10014, 10016, 10018, 10024, 10028, 10029, 10030, 10058, 10060, 10062, 10063,
            10064, 10065, 10066,
        ];
        vmap! {"m2m:cb" => vmap!{
            "ri" => "id-in", "rn" => "cse-in", "csi" => "/id-in", "spi" => "//acme.example.com",
            "csz" => vec!["application/json", "application/vnd.onem2m-res+json", "application/cbor", "application/vnd.onem2m-res+cbor"],
            "acpi" => vec!["/id-in/acpCreateRootResources"],
            "poa" => vec!["http://127.0.0.1:18080", "mqtt://127.0.0.1:18830"],
            "cst" => 1, "srt" => srt, "srv" => vec!["2a", "3", "4", "5"],
            "pi" => "", "ty" => 5,
            "ct" => "20261124T215236,804701", "lt" => "20261124T215236,804701",
            "ici" => "/id-in", "ctm" => "20261124T215237,124207",
        }}
    }

    #[test]
    fn acme_cse_base_reads_into_typed_fields_and_keeps_the_rest() {
        let cb = CseBase::from_content(&acme_cse_base()).unwrap();
        assert_eq!(cb.csi.as_deref(), Some("/id-in"));
        assert_eq!(cb.cst, Some(1));
        assert_eq!(cb.common.pi.as_deref(), Some(""));
        assert_eq!(cb.common.rn.as_deref(), Some("cse-in"));
        let srt = cb.srt.as_ref().unwrap();
        assert!(srt.contains(&ResourceType::SUBSCRIPTION));
        assert!(srt.contains(&ResourceType(10002)));
        assert_eq!(cb.srv.as_ref().unwrap()[0], ReleaseVersion::V2a);
        let extra: Vec<_> = cb.extra.iter().map(|(k, _)| k).collect();
        assert_eq!(extra, ["spi", "ici", "ctm"]);
        assert_eq!(unordered(&cb.to_content()), unordered(&acme_cse_base()));
    }

    #[test]
    fn written_cse_base_starts_with_the_common_attributes() {
        let cb = CseBase::from_content(&acme_cse_base()).unwrap();
        let pc = cb.to_content();
        let body = members(&pc).get("m2m:cb").unwrap();
        let keys: Vec<_> = members(body).iter().map(|(k, _)| k).collect();
        assert_eq!(&keys[..7], ["rn", "ty", "ri", "pi", "ct", "lt", "acpi"]);
        assert_eq!(&keys[keys.len() - 3..], ["spi", "ici", "ctm"]);
    }
}
