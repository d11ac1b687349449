//! Finding the `rqi` of a request that does not decode, to answer it with an error.

/// The `rqi` of an undecodable request, if a plain look at the payload finds one, so
/// that the originator gets a 4000 it can correlate instead of a timeout.
///
/// Best effort and deliberately simple: the first `"rqi": "..."` member (JSON), the
/// first `<rqi>...</rqi>` element (XML), or the first text (or byte-string) key `rqi`
/// with a text value (CBOR). A value with escapes or entities, or longer than 256
/// bytes, is not recovered.
pub(crate) fn recover_request_id(serialization: &str, payload: &[u8]) -> Option<String> {
    let found = match serialization {
        "json" => json(payload),
        "xml" => xml(payload),
        "cbor" => cbor(payload),
        _ => None,
    }?;
    let text = std::str::from_utf8(found).ok()?;
    let plausible = !text.is_empty()
        && text.len() <= 256
        && !text
            .chars()
            .any(|c| c.is_control() || c == '\\' || c == '&');
    plausible.then(|| text.to_owned())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn json(payload: &[u8]) -> Option<&[u8]> {
    let at = find(payload, b"\"rqi\"")? + 5;
    let rest = payload[at..].trim_ascii_start().strip_prefix(b":")?;
    let rest = rest.trim_ascii_start().strip_prefix(b"\"")?;
    let end = rest.iter().position(|&b| b == b'"')?;
    Some(&rest[..end])
}

fn xml(payload: &[u8]) -> Option<&[u8]> {
    let at = find(payload, b"<rqi>")? + 5;
    let rest = &payload[at..];
    let end = find(rest, b"</rqi>")?;
    Some(rest[..end].trim_ascii())
}

fn cbor(payload: &[u8]) -> Option<&[u8]> {
    // Key "rqi" as a text string (0x63) or, as in TS-0004's own examples, a byte string.
    let at = find(payload, b"\x63rqi").or_else(|| find(payload, b"\x43rqi"))? + 4;
    let (&head, rest) = payload[at..].split_first()?;
    let (len, rest) = match head {
        0x60..=0x77 => (usize::from(head - 0x60), rest),
        0x78 => {
            let (&len, rest) = rest.split_first()?;
            (usize::from(len), rest)
        }
        _ => return None,
    };
    rest.get(..len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rqi_of_broken_json_is_found() {
        let payload = br#"{"op": "one", "rqi" : "r-42", "to": "#;
        assert_eq!(recover_request_id("json", payload).as_deref(), Some("r-42"));
    }

    #[test]
    fn the_rqi_of_broken_xml_is_found() {
        let payload = b"<m2m:rqp><op>x</op><rqi> r-7 </rqi><to>";
        assert_eq!(recover_request_id("xml", payload).as_deref(), Some("r-7"));
    }

    #[test]
    fn the_rqi_of_broken_cbor_is_found() {
        let mut payload = vec![0xa2, 0x62, b'o', b'p', 0x19];
        payload.extend_from_slice(b"\x63rqi\x62r9");
        assert_eq!(recover_request_id("cbor", &payload).as_deref(), Some("r9"));
    }

    #[test]
    fn nothing_is_made_up() {
        assert_eq!(recover_request_id("json", b"garbage"), None);
        assert_eq!(recover_request_id("json", br#"{"rqi": 5}"#), None);
        assert_eq!(recover_request_id("json", br#"{"rqi": "a\"b"}"#), None);
        assert_eq!(recover_request_id("xml", b"<rqi>a&amp;b</rqi>"), None);
        assert_eq!(recover_request_id("cbor", b"\x63rqi"), None);
        assert_eq!(recover_request_id("yaml", b"rqi: x"), None);
        assert_eq!(recover_request_id("json", br#"{"rqi": ""}"#), None);
    }
}
