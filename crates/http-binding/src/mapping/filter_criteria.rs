//! Filter criteria `fc` as query fields (TS-0009 6.2.2.2).
//!
//! Every member of `fc` with a query field is one pair: lists (`ty`, `chty`, `pty`,
//! `lbl`, `clbl`, `plbl`, `cty`) joined by `+`, the other members as their text. The attribute filters `atr`, `catr`
//! and `patr` (lists of `{"nm": name, "val": value}`) are not a field of their own:
//! each entry is `name=value`, prefixed `c.` for a child attribute and `p.` for a parent
//! attribute. At the receiver, any field that is neither a request parameter nor a
//! filter criteria member is an attribute filter.

use onem2m_primitive::{Map, Value};

use super::query::{QueryPair, QueryWriter};
use crate::error::Error;

/// How a filter criteria member's value reads from its query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Text,
    IntList,
    TextList,
}

/// The filter criteria members with a query field of their own (TS-0004 6.3.5.8, short
/// names of TS-0004 8.2.4).
fn kind(name: &str) -> Option<Kind> {
    Some(match name {
        // filterUsage, limit, level, offset, stateTagSmaller/Bigger, sizeAbove/Below,
        // filterOperation, contentFilterSyntax.
        "fu" | "lim" | "lvl" | "ofst" | "sts" | "stb" | "sza" | "szb" | "fo" | "cfs" => Kind::Int,
        // createdBefore/After, modifiedSince, unmodifiedSince, expireBefore/After,
        // applyRelativePath, semanticsFilter, contentFilterQuery, labelsQuery.
        "crb" | "cra" | "ms" | "us" | "exb" | "exa" | "arp" | "smf" | "cfq" | "lbq" => Kind::Text,
        // resourceType, childResourceType, parentResourceType.
        "ty" | "chty" | "pty" => Kind::IntList,
        // labels, childLabels, parentLabels, contentType.
        "lbl" | "clbl" | "plbl" | "cty" => Kind::TextList,
        _ => return None,
    })
}

/// The attribute filters and the prefix of their query names.
const ATTRIBUTE_FILTERS: [(&str, &str); 3] = [("atr", ""), ("catr", "c."), ("patr", "p.")];

/// Whether `name` is a filter criteria member with a query field.
pub(crate) fn is_member(name: &str) -> bool {
    kind(name).is_some()
}

/// Writes the members of `fc` into the query. `reserved` tells the query fields of the
/// request's other parameters, which an attribute filter must not shadow.
pub(crate) fn write(
    fc: &Value,
    query: &mut QueryWriter,
    reserved: impl Fn(&str) -> bool,
) -> Result<(), Error> {
    let Value::Map(members) = fc else {
        return Err(Error::not_mappable("fc", "filter criteria must be a map"));
    };
    for (name, value) in members.iter() {
        if let Some((_, prefix)) = ATTRIBUTE_FILTERS.iter().find(|(member, _)| *member == name) {
            write_attributes(name, prefix, value, query, &reserved)?;
            continue;
        }
        let Some(kind) = kind(name) else {
            return Err(Error::not_mappable(
                format!("fc.{name}"),
                "no query field in TS-0009 Table 6.2.2.2-1",
            ));
        };
        match (kind, value) {
            (Kind::IntList | Kind::TextList, Value::List(items)) => {
                let texts = items
                    .iter()
                    .map(|item| scalar_text(name, item))
                    .collect::<Result<Vec<_>, _>>()?;
                query.list(name, texts.iter().map(String::as_str))?;
            }
            (_, value) => query.pair(name, &scalar_text(name, value)?),
        }
    }
    Ok(())
}

fn write_attributes(
    member: &str,
    prefix: &str,
    value: &Value,
    query: &mut QueryWriter,
    reserved: &impl Fn(&str) -> bool,
) -> Result<(), Error> {
    let entries = match value {
        Value::List(entries) => entries.as_slice(),
        single @ Value::Map(_) => std::slice::from_ref(single),
        _ => {
            return Err(Error::not_mappable(
                format!("fc.{member}"),
                "must be a list of {nm, val}",
            ));
        }
    };
    for entry in entries {
        let fields = entry.as_map().filter(|map| map.len() == 2);
        let (Some(Value::Text(nm)), Some(val)) = (
            fields.and_then(|map| map.get("nm")),
            fields.and_then(|map| map.get("val")),
        ) else {
            return Err(Error::not_mappable(
                format!("fc.{member}"),
                "each entry must be exactly {nm: text, val: value}",
            ));
        };
        // Unprefixed, the receiver reads these as other fields or as another attribute
        // filter; a `c.` or `p.` prefix already tells them apart.
        let ambiguous = nm.is_empty()
            || (prefix.is_empty()
                && (reserved(nm) || is_member(nm) || nm.starts_with("c.") || nm.starts_with("p.")));
        if ambiguous {
            return Err(Error::not_mappable(
                format!("fc.{member}"),
                format!("the attribute name {nm:?} reads back as another query field"),
            ));
        }
        query.pair(&format!("{prefix}{nm}"), &scalar_text(member, val)?);
    }
    Ok(())
}

/// The text of a scalar value in the query.
fn scalar_text(name: &str, value: &Value) -> Result<String, Error> {
    match value {
        Value::Text(text) => Ok(text.clone()),
        Value::Int(i) => Ok(i.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Float(x) => Ok(x.to_string()),
        other => Err(Error::not_mappable(
            format!("fc.{name}"),
            format!("a {} has no query form", other.kind()),
        )),
    }
}

/// Filter criteria read from query fields, in the order met.
#[derive(Debug, Default)]
pub(crate) struct FilterCriteriaReader {
    members: Map,
}

impl FilterCriteriaReader {
    /// Takes a field that is not a request parameter: a member, or an attribute filter.
    /// A list member may repeat (its items add up, TS-0009 multiplicity `0..n`); another
    /// member may not.
    pub(crate) fn take(&mut self, pair: &QueryPair<'_>) -> Result<(), Error> {
        let name = pair.name.as_str();
        let Some(kind) = kind(name) else {
            return self.take_attribute(pair);
        };
        let value = match kind {
            Kind::Int => Value::Int(int(name, &pair.scalar()?)?),
            Kind::Text => Value::Text(pair.scalar()?),
            Kind::IntList => Value::List(
                pair.list()?
                    .iter()
                    .map(|item| int(name, item).map(Value::Int))
                    .collect::<Result<_, _>>()?,
            ),
            Kind::TextList => Value::List(pair.list()?.into_iter().map(Value::Text).collect()),
        };
        match (self.members.get_mut(name), value) {
            (None, value) => {
                self.members.push(name.to_owned(), value);
                Ok(())
            }
            (Some(Value::List(items)), Value::List(more)) => {
                items.extend(more);
                Ok(())
            }
            _ => Err(Error::query(name, "given more than once")),
        }
    }

    fn take_attribute(&mut self, pair: &QueryPair<'_>) -> Result<(), Error> {
        let name = pair.name.as_str();
        let (member, nm) = match (name.strip_prefix("c."), name.strip_prefix("p.")) {
            (Some(nm), _) => ("catr", nm),
            (_, Some(nm)) => ("patr", nm),
            _ => ("atr", name),
        };
        if nm.is_empty() {
            return Err(Error::query(name, "an attribute filter without a name"));
        }
        let mut entry = Map::with_capacity(2);
        entry.push("nm", Value::Text(nm.to_owned()));
        entry.push("val", Value::Text(pair.scalar()?));
        match self.members.get_mut(member) {
            Some(Value::List(entries)) => entries.push(Value::Map(entry)),
            _ => self
                .members
                .push(member, Value::List(vec![Value::Map(entry)])),
        }
        Ok(())
    }

    /// The filter criteria, if any field was one.
    pub(crate) fn finish(self) -> Option<Value> {
        (!self.members.is_empty()).then_some(Value::Map(self.members))
    }
}

fn int(name: &str, text: &str) -> Result<i64, Error> {
    text.trim().parse().map_err(|_| {
        Error::query(
            name,
            format!("{:?} is not an integer", super::media_type::excerpt(text)),
        )
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::super::query::parse;
    use super::*;

    fn map<const N: usize>(members: [(&str, Value); N]) -> Value {
        Value::Map(members.into_iter().collect())
    }

    fn attribute(nm: &str, val: &str) -> Value {
        map([("nm", nm.into()), ("val", val.into())])
    }

    fn query_of(fc: &Value) -> String {
        let mut query = QueryWriter::default();
        write(fc, &mut query, |name| name == "rcn").unwrap();
        query.finish().unwrap_or_default()
    }

    fn read(query: &str) -> Option<Value> {
        let mut reader = FilterCriteriaReader::default();
        for pair in parse(query).unwrap() {
            reader.take(&pair).unwrap();
        }
        reader.finish()
    }

    /// TS-0009 6.2.2.2 EXAMPLE 2: discovery of containers created by Sam.
    #[test]
    fn ts_0009_6_2_2_2_example_2_discovery_query() {
        let fc = map([
            ("ty", vec![Value::Int(3)].into()),
            ("atr", Value::List(vec![attribute("cr", "Sam")])),
            ("fu", 1.into()),
        ]);
        assert_eq!(query_of(&fc), "ty=3&cr=Sam&fu=1");
        assert_eq!(read("ty=3&cr=Sam&fu=1"), Some(fc));
    }

    #[test]
    fn ts_0009_6_2_2_2_list_members_join_with_plus_and_may_repeat() {
        let fc = map([
            (
                "ty",
                vec![Value::Int(2), Value::Int(3), Value::Int(4)].into(),
            ),
            ("lbl", vec!["a", "b c"].into()),
            ("cty", vec!["text/plain:0"].into()),
        ]);
        let query = query_of(&fc);
        assert_eq!(query, "ty=2+3+4&lbl=a+b%20c&cty=text%2Fplain%3A0");
        assert_eq!(read(&query), Some(fc.clone()));
        assert_eq!(
            read("ty=2&ty=3+4&lbl=a&lbl=b%20c&cty=text/plain:0"),
            Some(fc)
        );
    }

    #[test]
    fn ts_0009_6_2_2_2_child_and_parent_attributes_take_c_and_p_prefixes() {
        let fc = map([
            (
                "catr",
                Value::List(vec![attribute("rn", "x"), attribute("lbl2", "y")]),
            ),
            ("patr", Value::List(vec![attribute("ty", "3")])),
        ]);
        // `ty` as a parent attribute is not the `ty` member: its prefix tells them apart.
        let query = query_of(&fc);
        assert_eq!(query, "c.rn=x&c.lbl2=y&p.ty=3");
        assert_eq!(read(&query), Some(fc));
    }

    #[test]
    fn ts_0009_6_2_2_2_scalar_members_are_name_value_pairs() {
        let fc = map([
            ("crb", "20261124T120000".into()),
            ("cra", "20261123T120000".into()),
            ("ms", "20261122T120000".into()),
            ("us", "20261125T120000".into()),
            ("sts", 5.into()),
            ("stb", 1.into()),
            ("exb", "20271124T120000".into()),
            ("exa", "20251124T120000".into()),
            ("sza", 10.into()),
            ("szb", 100.into()),
            ("lim", 10.into()),
            ("lvl", 2.into()),
            ("ofst", 3.into()),
            ("arp", "data/la".into()),
            ("fo", 2.into()),
            (
                "smf",
                "SELECT ?car WHERE { ?car rdf:type myOnt:Car }".into(),
            ),
        ]);
        let query = query_of(&fc);
        assert!(
            query.contains("smf=SELECT%20%3Fcar%20WHERE%20%7B"),
            "{query}"
        );
        assert_eq!(read(&query), Some(fc));
    }

    #[test]
    fn members_without_a_query_form_are_not_mappable() {
        let refused = [
            map([("gq", map([("gmty", 1.into())]))]),
            map([("ops", 1.into())]),
            map([("lim", map([]))]),
            map([("atr", Value::List(vec![attribute("rcn", "1")]))]),
            map([("atr", Value::List(vec![attribute("lim", "1")]))]),
            map([("atr", Value::List(vec![attribute("c.x", "1")]))]),
            map([("atr", Value::List(vec![map([("nm", "x".into())])]))]),
            Value::Text("fu=1".into()),
        ];
        for fc in refused {
            let mut query = QueryWriter::default();
            assert!(
                matches!(
                    write(&fc, &mut query, |name| name == "rcn"),
                    Err(Error::NotMappable { .. })
                ),
                "{fc:?}"
            );
        }
    }

    #[test]
    fn malformed_or_repeated_members_are_4000() {
        for query in ["lim=ten", "ty=3+x", "fu=1&fu=2", "c.=1"] {
            let mut reader = FilterCriteriaReader::default();
            let result = parse(query)
                .unwrap()
                .iter()
                .try_for_each(|pair| reader.take(pair));
            let error = result.unwrap_err();
            assert_eq!(
                error.status_code(),
                onem2m_primitive::ResponseStatusCode::BAD_REQUEST,
                "{query}"
            );
        }
    }
}
