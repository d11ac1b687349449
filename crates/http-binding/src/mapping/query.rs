//! The query string: `name=value` pairs joined by `&`, list values joined by `+`
//! (TS-0009 6.2.2.2).

use super::percent;
use crate::error::Error;

/// A query string being written.
#[derive(Debug, Default)]
pub(crate) struct QueryWriter {
    out: String,
}

impl QueryWriter {
    /// Adds `name=value`.
    pub(crate) fn pair(&mut self, name: &str, value: &str) {
        self.start(name);
        self.out.push_str(&percent::encode_query(value));
    }

    /// Adds `name=item1+item2+...`. A list of one empty item would read back as an
    /// empty list, so it is refused.
    pub(crate) fn list<'i>(
        &mut self,
        name: &str,
        items: impl IntoIterator<Item = &'i str>,
    ) -> Result<(), Error> {
        let mut items = items.into_iter().peekable();
        let first = items.peek().copied();
        let mut joined = String::new();
        let mut count = 0;
        for item in items {
            if count > 0 {
                joined.push('+');
            }
            joined.push_str(&percent::encode_query(item));
            count += 1;
        }
        if count == 1 && first == Some("") {
            return Err(Error::not_mappable(
                name,
                "a list of one empty item has no query form",
            ));
        }
        self.start(name);
        self.out.push_str(&joined);
        Ok(())
    }

    fn start(&mut self, name: &str) {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        self.out.push_str(&percent::encode_query(name));
        self.out.push('=');
    }

    /// The query, if any pair was added.
    pub(crate) fn finish(self) -> Option<String> {
        (!self.out.is_empty()).then_some(self.out)
    }
}

/// One received `name=value` pair: the name decoded, the value raw (a list and a scalar
/// decode differently).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryPair<'q> {
    pub(crate) name: String,
    pub(crate) raw: &'q str,
}

impl QueryPair<'_> {
    /// The value as one text (`+` is a space).
    pub(crate) fn scalar(&self) -> Result<String, Error> {
        percent::decode_query_scalar(self.raw).ok_or_else(|| self.not_utf8())
    }

    /// The value as a `+`-joined list; an empty value is an empty list.
    pub(crate) fn list(&self) -> Result<Vec<String>, Error> {
        if self.raw.is_empty() {
            return Ok(Vec::new());
        }
        self.raw
            .split('+')
            .map(|item| percent::decode(item).ok_or_else(|| self.not_utf8()))
            .collect()
    }

    fn not_utf8(&self) -> Error {
        Error::query(&self.name, "not UTF-8 once percent-decoded")
    }
}

/// The pairs of a query string, in order. Empty segments (`a=1&&b=2`) are skipped; a
/// segment without `=` has an empty value.
pub(crate) fn parse(query: &str) -> Result<Vec<QueryPair<'_>>, Error> {
    query
        .split('&')
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            let (name, raw) = segment.split_once('=').unwrap_or((segment, ""));
            let name = percent::decode_query_scalar(name)
                .filter(|name| !name.is_empty())
                .ok_or_else(|| Error::query(name, "not a field name"))?;
            Ok(QueryPair { name, raw })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn ts_0009_6_2_2_2_lists_are_joined_by_plus_and_pairs_by_ampersand() {
        let mut query = QueryWriter::default();
        query.list("ty", ["2", "3", "4"]).unwrap();
        query.pair("rp", "P1Y2M3DT10H1M0S");
        query.list("lbl", ["a+b", "c d"]).unwrap();
        let text = query.finish().unwrap();
        assert_eq!(text, "ty=2+3+4&rp=P1Y2M3DT10H1M0S&lbl=a%2Bb+c%20d");
        let pairs = parse(&text).unwrap();
        assert_eq!(pairs[0].list().unwrap(), ["2", "3", "4"]);
        assert_eq!(pairs[1].scalar().unwrap(), "P1Y2M3DT10H1M0S");
        assert_eq!(pairs[2].list().unwrap(), ["a+b", "c d"]);
    }

    #[test]
    fn empty_lists_and_odd_segments_parse() {
        let pairs = parse("lbl=&&flag&x=a+b").unwrap();
        assert_eq!(pairs.len(), 3);
        assert!(pairs[0].list().unwrap().is_empty());
        assert_eq!(pairs[1].name, "flag");
        assert_eq!(pairs[2].scalar().unwrap(), "a b");
        assert!(parse("=1").is_err());
        assert!(parse("a=%FF").unwrap()[0].scalar().is_err());
        let mut query = QueryWriter::default();
        assert!(query.list("lbl", [""]).is_err());
        assert_eq!(QueryWriter::default().finish(), None);
    }
}
