//! Percent-encoding of the path and query components (RFC 3986, as TS-0009 6.2.2
//! requires for the query's reserved characters).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Everything but RFC 3986's unreserved characters: a query value keeps `+`, `&`, `=`
/// and `#` (the binding's own separators) only in encoded form.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// As [`QUERY_VALUE`], keeping `/` (the path separator) and `:` (frequent in IDs and
/// harmless in a path after its first character).
const PATH: &AsciiSet = &QUERY_VALUE.remove(b'/').remove(b':');

/// `text` encoded for a path.
pub(crate) fn encode_path(text: &str) -> String {
    utf8_percent_encode(text, PATH).to_string()
}

/// `text` encoded as one query name or value (or one item of a `+`-joined list).
pub(crate) fn encode_query(text: &str) -> String {
    utf8_percent_encode(text, QUERY_VALUE).to_string()
}

/// The text of an encoded component, `None` when it is not UTF-8.
pub(crate) fn decode(raw: &str) -> Option<String> {
    percent_decode_str(raw)
        .decode_utf8()
        .ok()
        .map(|text| text.into_owned())
}

/// The text of a query value that is not a list: `+` is a space there, as in the
/// form encoding most HTTP servers apply to every query (ACME's included).
pub(crate) fn decode_query_scalar(raw: &str) -> Option<String> {
    if raw.contains('+') {
        return decode(&raw.replace('+', " "));
    }
    decode(raw)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn ts_0009_6_2_2_2_reserved_characters_are_percent_encoded() {
        assert_eq!(encode_query("a b+c&d=e#f%"), "a%20b%2Bc%26d%3De%23f%25");
        assert_eq!(encode_query("x-y_z.~"), "x-y_z.~");
        assert_eq!(encode_path("/id-in/cse in/ä?"), "/id-in/cse%20in/%C3%A4%3F");
        assert_eq!(decode("%C3%A4%2B").unwrap(), "ä+");
        assert_eq!(decode_query_scalar("a+b%2Bc").unwrap(), "a b+c");
        assert_eq!(decode("%FF"), None);
    }
}
