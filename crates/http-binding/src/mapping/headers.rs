//! The `X-M2M-*` header fields (TS-0009 6.4) and reading and writing their text.
//!
//! Header names are case-insensitive (TS-0009 5.1): [`http::HeaderName`] keeps them in
//! lower case, so a lookup matches whatever case the peer wrote.

use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::Error;

/// `X-M2M-Origin`: `fr` (TS-0009 6.4.7).
pub const ORIGIN: &str = "X-M2M-Origin";
/// `X-M2M-RI`: `rqi` (6.4.8).
pub const RI: &str = "X-M2M-RI";
/// `X-M2M-GID`: `gid` (6.4.10).
pub const GID: &str = "X-M2M-GID";
/// `X-M2M-RTU`: `rt.nu`, joined by `&` (6.4.11).
pub const RTU: &str = "X-M2M-RTU";
/// `X-M2M-OT`: `ot` (6.4.12).
pub const OT: &str = "X-M2M-OT";
/// `X-M2M-RST`: `rset` (6.4.13).
pub const RST: &str = "X-M2M-RST";
/// `X-M2M-RET`: `rqet` (6.4.14).
pub const RET: &str = "X-M2M-RET";
/// `X-M2M-OET`: `oet` (6.4.15).
pub const OET: &str = "X-M2M-OET";
/// `X-M2M-EC`: `ec` (6.4.16).
pub const EC: &str = "X-M2M-EC";
/// `X-M2M-RSC`: `rsc` (6.4.17).
pub const RSC: &str = "X-M2M-RSC";
/// `X-M2M-ATI`: `ati`, `lti:tkid` pairs joined by `+` (6.4.18).
pub const ATI: &str = "X-M2M-ATI";
/// `Authorization`: `tkns`, joined by `+` (6.4.19).
pub const AUTHORIZATION: &str = "Authorization";
/// `X-M2M-CTS`: `cnst` (6.4.20).
pub const CTS: &str = "X-M2M-CTS";
/// `X-M2M-CTO`: `cnot` (6.4.21).
pub const CTO: &str = "X-M2M-CTO";
/// `X-M2M-RVI`: `rvi` (6.4.22).
pub const RVI: &str = "X-M2M-RVI";
/// `X-M2M-VSI`: `vsi` (6.4.23).
pub const VSI: &str = "X-M2M-VSI";
/// `X-M2M-AS`: `aus`, joined by `+` (6.4.24).
pub const AS: &str = "X-M2M-AS";
/// `X-M2M-ASRI`: `asri` (6.4.25).
pub const ASRI: &str = "X-M2M-ASRI";
/// `Content-Type` (6.4.3).
pub const CONTENT_TYPE: &str = "Content-Type";
/// `Content-Location`: the created resource's URI (6.4.4).
pub const CONTENT_LOCATION: &str = "Content-Location";
/// `Accept` (6.4.2).
pub const ACCEPT: &str = "Accept";

/// Adds the header `name: text`, refusing text a header cannot carry unchanged: anything
/// but visible ASCII and inner spaces (HTTP strips outer whitespace, and has no escape).
pub(crate) fn put(
    headers: &mut HeaderMap,
    name: &'static str,
    parameter: &str,
    text: &str,
) -> Result<(), Error> {
    let unchanged = text.trim_matches([' ', '\t']) == text
        && text.bytes().all(|b| b == b' ' || b.is_ascii_graphic());
    let value = HeaderValue::from_str(text)
        .ok()
        .filter(|_| unchanged)
        .ok_or_else(|| {
            Error::not_mappable(
                parameter,
                format!("{name} carries visible ASCII only, without outer spaces"),
            )
        })?;
    let header = HeaderName::try_from(name).map_err(|e| Error::Http(e.to_string()))?;
    headers.append(header, value);
    Ok(())
}

/// The text of the header `name`, if present once; a repeated header or one that is not
/// visible ASCII is malformed (4000).
pub(crate) fn get<'h>(
    headers: &'h HeaderMap,
    name: &'static str,
) -> Result<Option<&'h str>, Error> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(Error::Header {
            name,
            reason: "given more than once".to_owned(),
        });
    }
    value
        .to_str()
        .map(|text| Some(text.trim()))
        .map_err(|_| Error::Header {
            name,
            reason: "not visible ASCII text".to_owned(),
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn ts_0009_5_1_header_names_are_case_insensitive() {
        for name in ["x-m2m-ri", "X-M2M-RI", "x-M2m-Ri"] {
            let mut headers = HeaderMap::new();
            headers.insert(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_static("r1"),
            );
            assert_eq!(get(&headers, RI).unwrap(), Some("r1"), "{name}");
        }
    }

    #[test]
    fn a_repeated_or_binary_header_is_malformed() {
        let mut headers = HeaderMap::new();
        headers.append("x-m2m-ri", HeaderValue::from_static("a"));
        headers.append("x-m2m-ri", HeaderValue::from_static("b"));
        assert!(matches!(get(&headers, RI), Err(Error::Header { .. })));
        let mut headers = HeaderMap::new();
        headers.insert("x-m2m-ri", HeaderValue::from_bytes(b"\xff").unwrap());
        assert!(matches!(get(&headers, RI), Err(Error::Header { .. })));
    }

    #[test]
    fn text_a_header_would_change_is_not_mappable() {
        for text in ["a\nb", " lead", "trail ", "caf\u{e9}"] {
            let mut headers = HeaderMap::new();
            assert!(
                matches!(
                    put(&mut headers, ORIGIN, "fr", text),
                    Err(Error::NotMappable { .. })
                ),
                "{text:?}"
            );
        }
        let mut headers = HeaderMap::new();
        put(&mut headers, ORIGIN, "fr", "CAE1 x").unwrap();
        assert_eq!(get(&headers, ORIGIN).unwrap(), Some("CAE1 x"));
    }
}
