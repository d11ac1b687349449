//! `<container>`, root `m2m:cnt` (TS-0001 9.6.6): a place to store content instances.

use crate::error::Error;
use crate::resource_type::ResourceType;
use crate::value::Map;

use super::Resource;
use super::attribute_reader::AttributeReader;
use super::attribute_writer::{AttributeWriter, uint_value};
use super::common_attributes::{self, CommonAttributes};

/// The XSD order of the container's own attributes.
const ORDER: &[&str] = &[
    "st", "cr", "mni", "mbs", "mia", "cni", "cbs", "li", "or", "disr",
];

/// A `<container>` resource.
///
/// A retrieve with `rcn`=4 returns the children inside it (`"m2m:cin": [...]`); they are
/// kept in `extra` and can be read with [`super::ContentInstance::from_map`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Container {
    /// The universal and common attributes.
    pub common: CommonAttributes,
    /// `st` stateTag: incremented on every change.
    pub st: Option<u64>,
    /// `cr` creator. To ask the CSE to fill it in, a create sends `"cr": null`: put
    /// `Value::Null` under `cr` in `extra`.
    pub cr: Option<String>,
    /// `mni` maxNrOfInstances.
    pub mni: Option<u64>,
    /// `mbs` maxByteSize.
    pub mbs: Option<u64>,
    /// `mia` maxInstanceAge, in seconds.
    pub mia: Option<u64>,
    /// `cni` currentNrOfInstances (read-only).
    pub cni: Option<u64>,
    /// `cbs` currentByteSize (read-only).
    pub cbs: Option<u64>,
    /// `li` locationID.
    pub li: Option<String>,
    /// `or` ontologyRef.
    pub or: Option<String>,
    /// `disr` disableRetrieval.
    pub disr: Option<bool>,
    /// Attributes and children this type does not model, kept as received.
    pub extra: Map,
}

impl Container {
    /// A container with just a resource name, the usual content of a create.
    pub fn named(rn: impl Into<String>) -> Self {
        Self {
            common: CommonAttributes::named(rn),
            ..Self::default()
        }
    }
}

impl Resource for Container {
    const SHORT_NAME: &'static str = "m2m:cnt";
    const TYPE: Option<ResourceType> = Some(ResourceType::CONTAINER);

    fn to_map(&self) -> Map {
        let mut w = AttributeWriter::new();
        self.common.write(&mut w);
        w.put("st", self.st.map(uint_value));
        w.put("cr", self.cr.clone());
        w.put("mni", self.mni.map(uint_value));
        w.put("mbs", self.mbs.map(uint_value));
        w.put("mia", self.mia.map(uint_value));
        w.put("cni", self.cni.map(uint_value));
        w.put("cbs", self.cbs.map(uint_value));
        w.put("li", self.li.clone());
        w.put("or", self.or.clone());
        w.put("disr", self.disr);
        w.finish(&self.extra, &[common_attributes::ORDER, ORDER])
    }

    fn from_map(map: &Map) -> Result<Self, Error> {
        let mut r = AttributeReader::new(Self::SHORT_NAME, map);
        Ok(Self {
            common: CommonAttributes::read(&mut r, Self::TYPE)?,
            st: r.uint("st")?,
            cr: r.string("cr")?,
            mni: r.uint("mni")?,
            mbs: r.uint("mbs")?,
            mia: r.uint("mia")?,
            cni: r.uint("cni")?,
            cbs: r.uint("cbs")?,
            li: r.string("li")?,
            or: r.string("or")?,
            disr: r.boolean("disr")?,
            extra: r.finish(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::resources::test_values::{keys, members, unordered, vmap};
    use crate::resources::{ContentInstance, Subscription};
    use crate::value::Value;

    #[test]
    fn acme_create_request_and_response_round_trip() {
        // Capture 07 (json-create-container).
        let request = vmap! {"m2m:cnt" => vmap!{"rn" => "data", "mni" => 10}};
        let mut expected = Container::named("data");
        expected.mni = Some(10);
        assert_eq!(Container::from_content(&request).unwrap(), expected);
        assert_eq!(expected.to_content(), request);

        let response = vmap! {"m2m:cnt" => vmap!{
            "rn" => "data", "mni" => 10, "cni" => 0, "cbs" => 0, "st" => 0, "pi" => "CrigJson",
            "ri" => "cnt74dSy0QGuX", "ty" => 3, "ct" => "20261124T215237,129075",
            "lt" => "20261124T215237,129075", "et" => "20311123T215237,115701",
        }};
        let cnt = Container::from_content(&response).unwrap();
        assert_eq!((cnt.cni, cnt.cbs, cnt.st), (Some(0), Some(0), Some(0)));
        assert_eq!(cnt.common.ri.as_deref(), Some("cnt74dSy0QGuX"));
        let back = cnt.to_content();
        assert_eq!(unordered(&back), unordered(&response));
        assert_eq!(
            keys(members(&back).get("m2m:cnt").unwrap()),
            [
                "rn", "ty", "ri", "pi", "ct", "lt", "et", "st", "mni", "cni", "cbs"
            ]
        );
    }

    #[test]
    fn acme_update_request_reads_labels_and_limit() {
        // Capture 14 (json-update-container).
        let request = vmap! {"m2m:cnt" => vmap!{"lbl" => vec!["updated"], "mni" => 5}};
        let cnt = Container::from_content(&request).unwrap();
        assert_eq!(cnt.common.lbl, Some(vec!["updated".to_owned()]));
        assert_eq!(cnt.mni, Some(5));
        assert_eq!(cnt.to_content(), request);
    }

    #[test]
    fn children_of_an_rcn4_retrieve_are_kept_and_readable() {
        // Capture 13 (json-retrieve-with-children), shortened.
        let sub = vmap! {"rn" => "sub1", "nu" => vec!["CrigJson"], "enc" => vmap!{"net" => vec![3]}, "ty" => 23, "nct" => 1};
        let cin = vmap! {"con" => "21.5", "cnf" => "text/plain:0", "cs" => 4, "ty" => 4, "st" => 1};
        let response = vmap! {"m2m:cnt" => vmap!{
            "rn" => "data", "mni" => 10, "cni" => 1, "ty" => 3,
            "m2m:sub" => Value::List(vec![sub]), "m2m:cin" => Value::List(vec![cin]),
        }};
        let cnt = Container::from_content(&response).unwrap();
        let children = |name: &str| {
            cnt.extra
                .get(name)
                .and_then(Value::as_list)
                .unwrap()
                .to_vec()
        };
        let cins: Vec<ContentInstance> = children("m2m:cin")
            .iter()
            .map(|v| ContentInstance::from_map(members(v)).unwrap())
            .collect();
        assert_eq!(cins[0].cs, Some(4));
        let subs = children("m2m:sub");
        assert_eq!(
            Subscription::from_map(members(&subs[0]))
                .unwrap()
                .common
                .rn
                .as_deref(),
            Some("sub1")
        );
        let back = cnt.to_content();
        assert_eq!(unordered(&back), unordered(&response));
        assert_eq!(
            keys(members(&back).get("m2m:cnt").unwrap())[4..],
            ["m2m:sub", "m2m:cin"]
        );
    }

    #[test]
    fn xml_text_values_are_accepted() {
        let xml_like = vmap! {"m2m:cnt" => vmap!{"rn" => "d", "mni" => "10", "disr" => "false", "lbl" => "a b"}};
        let cnt = Container::from_content(&xml_like).unwrap();
        assert_eq!(cnt.mni, Some(10));
        assert_eq!(cnt.disr, Some(false));
        assert_eq!(cnt.common.lbl, Some(vec!["a".to_owned(), "b".to_owned()]));
    }

    #[test]
    fn null_members_are_written_back() {
        let update = vmap! {"m2m:cnt" => vmap!{"lbl" => Value::Null, "cr" => Value::Null}};
        let cnt = Container::from_content(&update).unwrap();
        assert_eq!(cnt.common.lbl, None);
        assert_eq!(cnt.to_content(), update);
    }

    #[test]
    fn negative_counters_are_refused() {
        let bad = vmap! {"m2m:cnt" => vmap!{"mni" => -1}};
        assert!(matches!(
            Container::from_content(&bad),
            Err(Error::InvalidContent { .. })
        ));
    }
}
