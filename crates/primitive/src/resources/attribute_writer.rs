//! Writing typed attributes into a resource's member map, in XSD order.
//!
//! XML must follow the element order of the XSD; JSON and CBOR do not care, so one order
//! serves all three. Members a type does not know (kept in its `extra` map) are placed
//! at their XSD position when the order table names them, else after all known ones in
//! the order they were received (child resources of an `rcn`=4 retrieve end up there).

use crate::value::{Map, Value};

/// Collects the members of one structure.
#[derive(Default)]
pub(crate) struct AttributeWriter {
    map: Map,
}

/// An unsigned counter as a oneM2M integer (saturating: every oneM2M integer fits in an
/// `i64`, so only a value a caller made up can be cut).
pub(crate) fn uint_value(v: u64) -> Value {
    Value::Int(i64::try_from(v).unwrap_or(i64::MAX))
}

impl AttributeWriter {
    /// An empty writer.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Writes `key` if `value` is present.
    pub(crate) fn put(&mut self, key: &str, value: Option<impl Into<Value>>) {
        if let Some(value) = value {
            self.map.push(key, value);
        }
    }

    /// The member map: the written members, then those of `extra` that were not written,
    /// all sorted by `order` (a concatenation of order tables, e.g. common attributes
    /// then the resource's own). A typed value wins over an `extra` member of the same
    /// name.
    pub(crate) fn finish(self, extra: &Map, order: &[&[&str]]) -> Map {
        let mut all = self.map;
        for (key, value) in extra.iter() {
            if !all.contains_key(key) {
                all.push(key, value.clone());
            }
        }
        let mut sorted = Map::with_capacity(all.len());
        for key in order.iter().flat_map(|table| table.iter()) {
            if let Some(value) = all.remove(key) {
                sorted.push(*key, value);
            }
        }
        for (key, value) in all {
            sorted.push(key, value);
        }
        sorted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_follow_the_order_tables_then_arrival_order() {
        let mut w = AttributeWriter::new();
        w.put("b", Some(1i64));
        w.put("a", Some(2i64));
        w.put("none", None::<i64>);
        let extra: Map = [
            ("zz", Value::from(3i64)),
            ("c", Value::Null),
            ("a", Value::from(9i64)),
        ]
        .into_iter()
        .collect();
        let map = w.finish(&extra, &[&["a"], &["b", "c"]]);
        let keys: Vec<_> = map.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["a", "b", "c", "zz"]);
        assert_eq!(map.get("a"), Some(&Value::Int(2)), "the typed value wins");
    }

    #[test]
    fn huge_counters_saturate() {
        assert_eq!(uint_value(u64::MAX), Value::Int(i64::MAX));
        assert_eq!(uint_value(7), Value::Int(7));
    }
}
