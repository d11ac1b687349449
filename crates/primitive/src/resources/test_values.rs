//! Building and comparing value trees in tests (the ACME captures are JSON; these tests
//! build the same trees by hand, since this crate has no JSON parser).

use crate::value::{Map, Value};

/// `vmap!{"rn" => "a", "mni" => 10}`: a `Value::Map` with members in the given order.
macro_rules! vmap {
    ($($key:expr => $value:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut map = $crate::value::Map::new();
        $( map.push($key, $crate::value::Value::from($value)); )*
        $crate::value::Value::Map(map)
    }};
}
pub(crate) use vmap;

/// The map inside a `Value::Map`.
pub(crate) fn members(value: &Value) -> &Map {
    match value {
        Value::Map(m) => m,
        other => panic!("not a map: {other}"),
    }
}

/// The same tree with every map's members sorted by name, to compare content whose
/// order differs (ACME writes attributes in its own order, this crate in XSD order).
pub(crate) fn unordered(value: &Value) -> Value {
    match value {
        Value::Map(m) => {
            let mut entries: Vec<(&str, Value)> =
                m.iter().map(|(k, v)| (k, unordered(v))).collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let mut sorted = Map::with_capacity(entries.len());
            for (k, v) in entries {
                sorted.push(k, v);
            }
            Value::Map(sorted)
        }
        Value::List(items) => Value::List(items.iter().map(unordered).collect()),
        other => other.clone(),
    }
}

/// The member names of a map, in order.
pub(crate) fn keys(value: &Value) -> Vec<&str> {
    members(value).iter().map(|(k, _)| k).collect()
}
