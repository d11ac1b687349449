//! `<contentInstance>`, root `m2m:cin` (TS-0001 9.6.7): one piece of data in a container.

use crate::error::Error;
use crate::resource_type::ResourceType;
use crate::value::{Map, Value};

use super::Resource;
use super::attribute_reader::AttributeReader;
use super::attribute_writer::{AttributeWriter, uint_value};
use super::common_attributes::{self, CommonAttributes};

/// The XSD order of the content instance's own attributes.
const ORDER: &[&str] = &["st", "cr", "cnf", "cs", "conr", "or", "con"];

/// A `<contentInstance>` resource.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContentInstance {
    /// The universal and common attributes.
    pub common: CommonAttributes,
    /// `st` stateTag.
    pub st: Option<u64>,
    /// `cr` creator.
    pub cr: Option<String>,
    /// `cnf` contentInfo: `<media type>:<encoding>`, e.g. `text/plain:0`.
    pub cnf: Option<String>,
    /// `cs` contentSize in bytes (read-only).
    pub cs: Option<u64>,
    /// `or` ontologyRef.
    pub or: Option<String>,
    /// `con` content. Usually a string, but peers also store numbers and JSON objects,
    /// so it is kept as a tree.
    pub con: Option<Value>,
    /// Attributes this type does not model, kept as received.
    pub extra: Map,
}

impl ContentInstance {
    /// A content instance carrying `con` described by `cnf`.
    pub fn new(cnf: impl Into<String>, con: impl Into<Value>) -> Self {
        Self {
            cnf: Some(cnf.into()),
            con: Some(con.into()),
            ..Self::default()
        }
    }
}

impl Resource for ContentInstance {
    const SHORT_NAME: &'static str = "m2m:cin";
    const TYPE: Option<ResourceType> = Some(ResourceType::CONTENT_INSTANCE);

    fn to_map(&self) -> Map {
        let mut w = AttributeWriter::new();
        self.common.write(&mut w);
        w.put("st", self.st.map(uint_value));
        w.put("cr", self.cr.clone());
        w.put("cnf", self.cnf.clone());
        w.put("cs", self.cs.map(uint_value));
        w.put("or", self.or.clone());
        w.put("con", self.con.clone());
        w.finish(&self.extra, &[common_attributes::ORDER, ORDER])
    }

    fn from_map(map: &Map) -> Result<Self, Error> {
        let mut r = AttributeReader::new(Self::SHORT_NAME, map);
        Ok(Self {
            common: CommonAttributes::read(&mut r, Self::TYPE)?,
            st: r.uint("st")?,
            cr: r.string("cr")?,
            cnf: r.string("cnf")?,
            cs: r.uint("cs")?,
            or: r.string("or")?,
            con: r.take("con"),
            extra: r.finish(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::resources::test_values::{keys, members, unordered, vmap};

    /// `pc` of capture 10/11, ACME's response.
    fn acme_cin() -> Value {
        vmap! {"m2m:cin" => vmap!{
            "con" => "21.5", "cnf" => "text/plain:0", "lbl" => vec!["rig"], "cs" => 4,
            "pi" => "cnt74dSy0QGuX", "ri" => "cinU5c3VOC3Zl", "rn" => "cin_bJb4xdUzJx", "ty" => 4,
            "ct" => "20261124T215237,748702", "lt" => "20261124T215237,748702",
            "et" => "20311123T215237,115701", "st" => 1,
        }}
    }

    #[test]
    fn acme_create_request_reads_and_writes_back() {
        // Capture 10 (json-create-contentinstance-triggers-notification), request.
        let request = vmap! {"m2m:cin" => vmap!{"con" => "21.5", "cnf" => "text/plain:0", "lbl" => vec!["rig"]}};
        let cin = ContentInstance::from_content(&request).unwrap();
        let mut expected = ContentInstance::new("text/plain:0", "21.5");
        expected.common.lbl = Some(vec!["rig".into()]);
        assert_eq!(cin, expected);
        assert_eq!(unordered(&cin.to_content()), unordered(&request));
    }

    #[test]
    fn acme_response_round_trips_with_content_last() {
        let cin = ContentInstance::from_content(&acme_cin()).unwrap();
        assert_eq!(cin.cs, Some(4));
        assert_eq!(cin.st, Some(1));
        assert_eq!(cin.con, Some(Value::from("21.5")));
        let back = cin.to_content();
        assert_eq!(unordered(&back), unordered(&acme_cin()));
        assert_eq!(
            keys(members(&back).get("m2m:cin").unwrap()),
            [
                "rn", "ty", "ri", "pi", "ct", "lt", "lbl", "et", "st", "cnf", "cs", "con"
            ]
        );
    }

    #[test]
    fn structured_content_is_kept_as_a_tree() {
        let pc = vmap! {"m2m:cin" => vmap!{"con" => vmap!{"t" => 21.5}}};
        let cin = ContentInstance::from_content(&pc).unwrap();
        assert_eq!(
            cin.con.as_ref().and_then(Value::as_map).map(Map::len),
            Some(1)
        );
        assert_eq!(cin.to_content(), pc);
    }
}
