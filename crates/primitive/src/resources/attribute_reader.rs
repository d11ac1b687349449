//! Reading typed attributes out of a resource's member map.
//!
//! XML carries no types, so a decoder hands `<mni>10</mni>` over as the text `"10"` and
//! an `xs:list` such as `<lbl>a b</lbl>` as one space-separated text; nCube-Thyme sends
//! JSON numbers as strings. Every reader here therefore accepts the text form as well as
//! the typed one. A member sent as `null` is left alone (see [`AttributeReader::finish`]).

use crate::error::Error;
use crate::time::Timestamp;
use crate::value::{Map, Value};

/// Takes the known attributes out of a copy of a member map; what remains is kept by the
/// caller so that unknown attributes survive a round trip.
pub(crate) struct AttributeReader {
    what: &'static str,
    rest: Map,
}

impl AttributeReader {
    /// A reader over a copy of `map`; `what` names the structure in errors (`m2m:cnt`).
    pub(crate) fn new(what: &'static str, map: &Map) -> Self {
        Self {
            what,
            rest: map.clone(),
        }
    }

    /// An `InvalidContent` error for attribute `key`.
    pub(crate) fn error(&self, key: &str, reason: impl std::fmt::Display) -> Error {
        Error::InvalidContent {
            what: self.what,
            reason: format!("{key}: {reason}"),
        }
    }

    fn wrong(&self, key: &str, expected: &str, found: &Value) -> Error {
        let shown = Error::excerpt(&found.to_string());
        self.error(
            key,
            format!("expected {expected}, found {} {shown}", found.kind()),
        )
    }

    /// Removes and returns the value of `key`, unless it is absent or `null` (a `null`
    /// member means "delete this attribute" in an update, or "fill it in" for `cr` in a
    /// create; it stays in the remainder so that it is written back as received).
    pub(crate) fn take(&mut self, key: &str) -> Option<Value> {
        match self.rest.get(key) {
            None | Some(Value::Null) => None,
            Some(_) => self.rest.remove(key),
        }
    }

    /// A string; an integer is accepted and written in decimal.
    pub(crate) fn string(&mut self, key: &str) -> Result<Option<String>, Error> {
        self.take(key).map(|v| self.to_string(key, v)).transpose()
    }

    fn to_string(&self, key: &str, value: Value) -> Result<String, Error> {
        value
            .into_lenient_string()
            .map_err(|other| self.wrong(key, "a string", &other))
    }

    fn to_int(&self, key: &str, value: &Value) -> Result<i64, Error> {
        value
            .lenient_int()
            .ok_or_else(|| self.wrong(key, "an integer", value))
    }

    /// An integer; a string of digits is accepted.
    pub(crate) fn int(&mut self, key: &str) -> Result<Option<i64>, Error> {
        self.take(key).map(|v| self.to_int(key, &v)).transpose()
    }

    /// A non-negative integer (counters and sizes).
    pub(crate) fn uint(&mut self, key: &str) -> Result<Option<u64>, Error> {
        let Some(value) = self.take(key) else {
            return Ok(None);
        };
        let i = self.to_int(key, &value)?;
        u64::try_from(i)
            .map(Some)
            .map_err(|_| self.wrong(key, "a non-negative integer", &value))
    }

    /// A boolean; the texts `true`, `false`, `1` and `0` are accepted.
    pub(crate) fn boolean(&mut self, key: &str) -> Result<Option<bool>, Error> {
        let Some(value) = self.take(key) else {
            return Ok(None);
        };
        value
            .lenient_bool()
            .map(Some)
            .ok_or_else(|| self.wrong(key, "a boolean", &value))
    }

    /// The items of a list; one text is split at white space (the XML form of `xs:list`).
    fn items(&self, key: &str, value: Value) -> Result<Vec<Value>, Error> {
        value
            .into_lenient_list()
            .map_err(|other| self.wrong(key, "a list", &other))
    }

    /// A list of strings.
    pub(crate) fn strings(&mut self, key: &str) -> Result<Option<Vec<String>>, Error> {
        let Some(value) = self.take(key) else {
            return Ok(None);
        };
        self.items(key, value)?
            .into_iter()
            .map(|item| self.to_string(key, item))
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// A list of integers.
    pub(crate) fn ints(&mut self, key: &str) -> Result<Option<Vec<i64>>, Error> {
        let Some(value) = self.take(key) else {
            return Ok(None);
        };
        self.items(key, value)?
            .iter()
            .map(|item| self.to_int(key, item))
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// An `m2m:timestamp`.
    pub(crate) fn timestamp(&mut self, key: &str) -> Result<Option<Timestamp>, Error> {
        let Some(value) = self.take(key) else {
            return Ok(None);
        };
        match &value {
            Value::Text(s) => Timestamp::parse(s.trim())
                .map(Some)
                .map_err(|e| self.error(key, e)),
            other => Err(self.wrong(key, "a timestamp", other)),
        }
    }

    /// A nested structure.
    pub(crate) fn map(&mut self, key: &str) -> Result<Option<Map>, Error> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Map(m)) => Ok(Some(m)),
            Some(other) => Err(self.wrong(key, "a map", &other)),
        }
    }

    /// The members not taken: unknown attributes and `null` members, in their order.
    pub(crate) fn finish(self) -> Map {
        self.rest
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn reader(entries: Vec<(&str, Value)>) -> AttributeReader {
        AttributeReader::new("m2m:test", &entries.into_iter().collect())
    }

    #[test]
    fn text_forms_from_xml_are_read_as_typed_values() {
        let mut r = reader(vec![
            ("mni", "10".into()),
            ("rr", "true".into()),
            ("lbl", "a b".into()),
            ("srt", "2 3".into()),
            ("ct", "20261124T215237,114672".into()),
        ]);
        assert_eq!(r.uint("mni").unwrap(), Some(10));
        assert_eq!(r.boolean("rr").unwrap(), Some(true));
        assert_eq!(
            r.strings("lbl").unwrap(),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(r.ints("srt").unwrap(), Some(vec![2, 3]));
        assert_eq!(
            r.timestamp("ct").unwrap().unwrap().to_string(),
            "20261124T215237,114672"
        );
        assert!(r.finish().is_empty());
    }

    #[test]
    fn wrong_types_name_the_attribute() {
        let mut r = reader(vec![("mni", Value::from(-1i64)), ("rr", Value::from(3i64))]);
        let err = r.uint("mni").unwrap_err().to_string();
        assert!(err.contains("m2m:test") && err.contains("mni"), "{err}");
        assert!(r.boolean("rr").is_err());
    }

    #[test]
    fn nulls_and_unknown_members_stay_in_the_remainder() {
        let mut r = reader(vec![
            ("lbl", Value::Null),
            ("xyz", 1i64.into()),
            ("rn", "a".into()),
        ]);
        assert_eq!(r.strings("lbl").unwrap(), None);
        assert_eq!(r.string("rn").unwrap().as_deref(), Some("a"));
        let rest: Vec<_> = r.finish().iter().map(|(k, _)| k.to_owned()).collect();
        assert_eq!(rest, ["lbl", "xyz"]);
    }
}
