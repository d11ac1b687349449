//! Hostile and broken payloads: every decoder refuses them with the specific error a
//! receiver needs (and the status code it answers with), and none of them panics. The
//! last section checks the peer quirks a decoder must accept rather than refuse.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use onem2m_primitive::{
    AbsRelTimestamp, Map, Operation, ReleaseVersion, RequestPrimitive, ResourceType,
    ResponseStatusCode, Value,
};
use onem2m_serialization::{
    CborSerializer, Error, JsonSerializer, Limits, Serializer, XmlSerializer,
};

const NS: &str = "http://www.onem2m.org/xml/protocols";
const TEN_MB: usize = 10 * 1000 * 1000;
const DEEP: usize = 100_000;

fn json() -> JsonSerializer {
    JsonSerializer::new()
}

fn xml() -> XmlSerializer {
    XmlSerializer::new()
}

fn cbor() -> CborSerializer {
    CborSerializer::new()
}

fn small_limits() -> Limits {
    Limits {
        max_document: 1024,
        ..Limits::default()
    }
}

/// A request document with `params` (XML elements) inside the `m2m:rqp` root.
fn xml_request(params: &str) -> String {
    format!(r#"<m2m:rqp xmlns:m2m="{NS}">{params}</m2m:rqp>"#)
}

const XML_MANDATORY: &str = "<op>2</op><to>cse-in</to><fr>CmyAE</fr><rqi>r1</rqi>";

// ---- CBOR inputs are built with these few helpers (RFC 8949 3.1 heads) ----

fn cbor_head(major: u8, n: u64) -> Vec<u8> {
    let m = major << 5;
    match n {
        0..=23 => vec![m | n as u8],
        24..=0xff => vec![m | 24, n as u8],
        0x100..=0xffff => [vec![m | 25], (n as u16).to_be_bytes().to_vec()].concat(),
        0x1_0000..=0xffff_ffff => [vec![m | 26], (n as u32).to_be_bytes().to_vec()].concat(),
        _ => [vec![m | 27], n.to_be_bytes().to_vec()].concat(),
    }
}

fn cbor_text(s: &str) -> Vec<u8> {
    [cbor_head(3, s.len() as u64), s.as_bytes().to_vec()].concat()
}

fn cbor_uint(n: u64) -> Vec<u8> {
    cbor_head(0, n)
}

/// A map with text keys; the values are already encoded.
fn cbor_map(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = cbor_head(5, members.len() as u64);
    for (key, value) in members {
        out.extend(cbor_text(key));
        out.extend(value);
    }
    out
}

/// The members every request needs, to which a test adds or replaces one.
fn cbor_request_with(extra: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut members: Vec<(&str, Vec<u8>)> = vec![
        ("op", cbor_uint(2)),
        ("to", cbor_text("cse-in")),
        ("fr", cbor_text("CmyAE")),
        ("rqi", cbor_text("r1")),
    ];
    for (key, value) in extra {
        match members.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value.clone(),
            None => members.push((key, value.clone())),
        }
    }
    cbor_map(&members)
}

fn assert_bad_request(err: &Error) {
    assert_eq!(
        err.status_code(),
        ResponseStatusCode::BAD_REQUEST,
        "{err:?}"
    );
}

fn assert_syntax(err: Error, expected_format: &str) {
    assert!(
        matches!(&err, Error::Syntax { format, .. } if *format == expected_format),
        "expected a {expected_format} syntax error, got {err:?}"
    );
    assert_bad_request(&err);
}

fn assert_missing(err: Error, parameter: &str) {
    assert!(
        matches!(&err, Error::MissingParameter(p) if *p == parameter),
        "expected missing {parameter}, got {err:?}"
    );
    assert_bad_request(&err);
}

fn assert_wrong_type(err: Error, parameter: &str) {
    assert!(
        matches!(&err, Error::WrongType { name, .. } if name == parameter),
        "expected {parameter} of the wrong type, got {err:?}"
    );
    assert_bad_request(&err);
}

fn assert_invalid_value(err: Error, parameter: &str) {
    assert!(
        matches!(&err, Error::InvalidValue { name, .. } if *name == parameter),
        "expected an invalid {parameter}, got {err:?}"
    );
    assert_bad_request(&err);
}

fn assert_invalid_timestamp(err: Error, parameter: &str) {
    assert!(
        matches!(
            &err,
            Error::InvalidValue { name, source: onem2m_primitive::Error::InvalidTimestamp { .. } }
                if *name == parameter
        ),
        "expected an invalid timestamp in {parameter}, got {err:?}"
    );
    assert_bad_request(&err);
}

fn assert_not_a_request(err: Error) {
    assert!(
        matches!(
            &err,
            Error::NotAPrimitive {
                expected: "request primitive",
                ..
            }
        ),
        "expected 'not a request primitive', got {err:?}"
    );
    assert_bad_request(&err);
}

fn assert_too_deep(err: Error) {
    assert!(
        matches!(&err, Error::TooDeep { limit } if *limit == Limits::default().max_depth),
        "expected TooDeep at the default limit, got {err:?}"
    );
    assert_bad_request(&err);
}

fn assert_document_too_large(err: Error, size: usize, limit: usize) {
    assert!(
        matches!(&err, Error::TooLarge { what: "document", size: s, limit: l } if *s == size && *l == limit),
        "expected a document of {size} bytes over the {limit}-byte limit, got {err:?}"
    );
    assert_bad_request(&err);
}

fn assert_forbidden_xml(err: Error) {
    assert!(
        matches!(&err, Error::ForbiddenXml(_)),
        "expected ForbiddenXml, got {err:?}"
    );
    assert_bad_request(&err);
}

// ============================== JSON ==============================

#[test]
fn json_truncated_document_is_a_syntax_error() {
    let err = json()
        .decode_request(br#"{"op":2,"to":"cse-in","rqi":"r"#)
        .unwrap_err();
    assert_syntax(err, "json");
}

#[test]
fn json_empty_input_is_a_syntax_error() {
    assert_syntax(json().decode_request(b"").unwrap_err(), "json");
    assert_syntax(json().decode_response(b"").unwrap_err(), "json");
}

#[test]
fn json_array_at_top_is_not_a_primitive() {
    let err = json()
        .decode_request(br#"[{"op":2,"to":"cse-in","rqi":"r1"}]"#)
        .unwrap_err();
    assert_not_a_request(err);
}

#[test]
fn json_scalar_at_top_is_not_a_primitive() {
    assert_not_a_request(json().decode_request(b"null").unwrap_err());
    assert_not_a_request(json().decode_request(br#""op""#).unwrap_err());
}

#[test]
fn json_trailing_garbage_is_a_syntax_error() {
    let err = json()
        .decode_request(br#"{"op":2,"to":"cse-in","fr":"CmyAE","rqi":"r1"} {"op":4}"#)
        .unwrap_err();
    assert_syntax(err, "json");
}

#[test]
fn json_invalid_utf8_is_a_syntax_error() {
    let err = json()
        .decode_request(b"{\"op\":2,\"to\":\"cse-\xff\xfe\",\"fr\":\"CmyAE\",\"rqi\":\"r1\"}")
        .unwrap_err();
    assert_syntax(err, "json");
}

#[test]
fn json_repeated_parameter_is_a_syntax_error() {
    // Two values for one parameter let two parsers disagree on what was asked.
    let err = json()
        .decode_request(br#"{"op":2,"to":"cse-in","fr":"CmyAE","rqi":"r1","op":4}"#)
        .unwrap_err();
    assert_syntax(err, "json");
}

#[test]
fn json_op_as_non_numeric_text_is_the_wrong_type() {
    let err = json()
        .decode_request(br#"{"op":"abc","to":"cse-in","fr":"CmyAE","rqi":"r1"}"#)
        .unwrap_err();
    assert_wrong_type(err, "op");
}

#[test]
fn json_rqi_as_object_is_the_wrong_type() {
    let err = json()
        .decode_request(br#"{"op":2,"to":"cse-in","fr":"CmyAE","rqi":{"id":1}}"#)
        .unwrap_err();
    assert_wrong_type(err, "rqi");
}

#[test]
fn json_unknown_operation_9_is_an_invalid_value() {
    let err = json()
        .decode_request(br#"{"op":9,"to":"cse-in","fr":"CmyAE","rqi":"r1"}"#)
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::InvalidValue {
                name: "op",
                source: onem2m_primitive::Error::UnknownCode { code: 9, .. }
            }
        ),
        "{err:?}"
    );
    assert_bad_request(&err);
}

#[test]
fn json_op_beyond_64_bits_is_refused_as_op() {
    // 2^70 is no oneM2M integer; whatever a JSON parser makes of it, op is refused.
    let err = json()
        .decode_request(br#"{"op":1180591620717411303424,"to":"cse-in","fr":"CmyAE","rqi":"r1"}"#)
        .unwrap_err();
    assert_wrong_type(err, "op");
}

#[test]
fn json_integer_between_2_pow_63_and_2_pow_64_is_a_syntax_error() {
    // serde_json reads it as a u64, which no oneM2M (i64) integer is (`json/mod.rs`).
    let err = json()
        .decode_request(br#"{"op":18446744073709551615,"to":"cse-in","fr":"CmyAE","rqi":"r1"}"#)
        .unwrap_err();
    assert_syntax(err, "json");
}

#[test]
fn json_negative_rsc_is_an_invalid_value() {
    let err = json()
        .decode_response(br#"{"rsc":-1,"rqi":"r1","rvi":"3"}"#)
        .unwrap_err();
    assert_invalid_value(err, "rsc");
}

#[test]
fn json_resource_type_0_is_an_invalid_value() {
    let err = json()
        .decode_request(
            br#"{"op":1,"to":"cse-in","fr":"CmyAE","rqi":"r1","ty":0,"pc":{"m2m:cnt":{}}}"#,
        )
        .unwrap_err();
    assert_invalid_value(err, "ty");
}

#[test]
fn json_missing_op_to_or_rqi_names_the_parameter() {
    let s = json();
    assert_missing(
        s.decode_request(br#"{"to":"cse-in","fr":"CmyAE","rqi":"r1"}"#)
            .unwrap_err(),
        "op",
    );
    assert_missing(
        s.decode_request(br#"{"op":2,"fr":"CmyAE","rqi":"r1"}"#)
            .unwrap_err(),
        "to",
    );
    assert_missing(
        s.decode_request(br#"{"op":2,"to":"cse-in","fr":"CmyAE"}"#)
            .unwrap_err(),
        "rqi",
    );
    assert_missing(
        s.decode_response(br#"{"rqi":"r1","rvi":"3"}"#).unwrap_err(),
        "rsc",
    );
}

#[test]
fn json_dashed_date_in_ot_is_an_invalid_timestamp() {
    let err = json()
        .decode_request(br#"{"op":2,"to":"cse-in","fr":"CmyAE","rqi":"r1","ot":"2026-11-24"}"#)
        .unwrap_err();
    assert_invalid_timestamp(err, "ot");
}

#[test]
fn json_dashed_date_in_rqet_is_an_invalid_timestamp() {
    let err = json()
        .decode_request(br#"{"op":2,"to":"cse-in","fr":"CmyAE","rqi":"r1","rqet":"2026-11-24"}"#)
        .unwrap_err();
    assert_invalid_timestamp(err, "rqet");
}

#[test]
fn json_content_nested_100000_levels_is_too_deep() {
    let doc = format!(
        r#"{{"op":1,"to":"cse-in","fr":"CmyAE","rqi":"r1","ty":3,"pc":{}1{}}}"#,
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    assert_too_deep(json().decode_request(doc.as_bytes()).unwrap_err());
    let doc = format!(
        r#"{{"op":1,"to":"cse-in","fr":"CmyAE","rqi":"r1","ty":3,"pc":{}1{}}}"#,
        r#"{"a":"#.repeat(DEEP),
        "}".repeat(DEEP)
    );
    assert_too_deep(json().decode_request(doc.as_bytes()).unwrap_err());
}

fn json_with_debug_text(len: usize) -> Vec<u8> {
    format!(
        r#"{{"rsc":4000,"rqi":"r1","pc":{{"m2m:dbg":"{}"}},"rvi":"3"}}"#,
        "a".repeat(len)
    )
    .into_bytes()
}

#[test]
fn json_10_mb_string_is_over_the_default_document_limit() {
    let doc = json_with_debug_text(TEN_MB);
    let err = json().decode_response(&doc).unwrap_err();
    assert_document_too_large(err, doc.len(), Limits::default().max_document);
}

#[test]
fn json_1_mb_string_decodes_under_the_default_limits() {
    let rsp = json()
        .decode_response(&json_with_debug_text(1_000_000))
        .unwrap();
    assert_eq!(rsp.debug_message().map(str::len), Some(1_000_000));
}

#[test]
fn json_document_over_a_small_limit_is_too_large() {
    let doc = json_with_debug_text(2000);
    let err = JsonSerializer::with_limits(small_limits())
        .decode_response(&doc)
        .unwrap_err();
    assert_document_too_large(err, doc.len(), 1024);
}

#[test]
fn json_unknown_release_version_decodes_for_a_later_4001() {
    let req = json()
        .decode_request(br#"{"op":2,"to":"cse-in","fr":"CmyAE","rqi":"r1","rvi":"9z"}"#)
        .unwrap();
    assert_eq!(req.rvi, Some(ReleaseVersion::Other("9z".into())));
    assert_eq!(req.rqi, "r1");
}

#[test]
fn json_op_as_float_is_the_wrong_type() {
    let err = json()
        .decode_request(br#"{"op":1.0,"to":"cse-in","fr":"CmyAE","rqi":"r1"}"#)
        .unwrap_err();
    assert_wrong_type(err, "op");
}

#[test]
fn json_lone_surrogate_escape_is_a_syntax_error() {
    let err = json()
        .decode_request(br#"{"op":2,"to":"\ud800","fr":"CmyAE","rqi":"r1"}"#)
        .unwrap_err();
    assert_syntax(err, "json");
}

#[test]
fn json_map_of_200000_members_is_too_large() {
    let members: Vec<String> = (0..200_000).map(|i| format!("\"k{i}\":1")).collect();
    let doc = format!(
        r#"{{"op":2,"to":"cse-in","fr":"CmyAE","rqi":"r1","pc":{{{}}}}}"#,
        members.join(",")
    );
    let err = json().decode_request(doc.as_bytes()).unwrap_err();
    assert!(
        matches!(
            &err,
            Error::TooLarge {
                what: "map",
                limit: 100_000,
                ..
            }
        ),
        "{err:?}"
    );
    assert_bad_request(&err);
}

#[test]
fn json_list_of_200000_items_is_too_large() {
    let doc = format!(
        r#"{{"op":2,"to":"cse-in","fr":"CmyAE","rqi":"r1","pc":[{}]}}"#,
        vec!["1"; 200_000].join(",")
    );
    let err = json().decode_request(doc.as_bytes()).unwrap_err();
    assert!(
        matches!(
            &err,
            Error::TooLarge {
                what: "list",
                limit: 100_000,
                ..
            }
        ),
        "{err:?}"
    );
    assert_bad_request(&err);
}

// ============================== XML ==============================

#[test]
fn xml_truncated_document_is_a_syntax_error() {
    let doc = format!(r#"<m2m:rqp xmlns:m2m="{NS}"><op>2</op><to>cse-in</to><rqi>r"#);
    assert_syntax(xml().decode_request(doc.as_bytes()).unwrap_err(), "xml");
}

#[test]
fn xml_empty_input_is_a_syntax_error() {
    assert_syntax(xml().decode_request(b"").unwrap_err(), "xml");
    assert_syntax(xml().decode_response(b"").unwrap_err(), "xml");
}

#[test]
fn xml_mismatched_end_tag_is_a_syntax_error() {
    let doc = xml_request("<op>2</to><to>cse-in</to><fr>CmyAE</fr><rqi>r1</rqi>");
    assert_syntax(xml().decode_request(doc.as_bytes()).unwrap_err(), "xml");
}

#[test]
fn xml_trailing_element_after_the_root_is_a_syntax_error() {
    let doc = format!(
        "{}<m2m:rqp xmlns:m2m=\"{NS}\"/>",
        xml_request(XML_MANDATORY)
    );
    assert_syntax(xml().decode_request(doc.as_bytes()).unwrap_err(), "xml");
}

#[test]
fn xml_trailing_text_after_the_root_is_a_syntax_error() {
    let doc = format!("{}garbage", xml_request(XML_MANDATORY));
    assert_syntax(xml().decode_request(doc.as_bytes()).unwrap_err(), "xml");
}

#[test]
fn xml_invalid_utf8_is_a_syntax_error() {
    let mut doc = xml_request(XML_MANDATORY).into_bytes();
    let at = doc.windows(6).position(|w| w == b"cse-in").unwrap();
    doc[at + 3] = 0xff;
    assert_syntax(xml().decode_request(&doc).unwrap_err(), "xml");
}

#[test]
fn xml_doctype_is_forbidden() {
    let doc = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE m2m:rqp [<!ELEMENT op ANY>]>{}",
        xml_request(XML_MANDATORY)
    );
    assert_forbidden_xml(xml().decode_request(doc.as_bytes()).unwrap_err());
}

#[test]
fn xml_internal_entity_is_forbidden() {
    let doc = format!(
        "<!DOCTYPE m2m:rqp [<!ENTITY target \"cse-in\">]>{}",
        xml_request("<op>2</op><to>&target;</to><fr>CmyAE</fr><rqi>r1</rqi>")
    );
    assert_forbidden_xml(xml().decode_request(doc.as_bytes()).unwrap_err());
}

#[test]
fn xml_billion_laughs_is_forbidden() {
    let mut dtd = String::from("<!ENTITY lol \"lol\">");
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        dtd.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    let doc = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE m2m:rqp [{dtd}]>{}",
        xml_request("<op>2</op><to>cse-in</to><fr>CmyAE</fr><rqi>&lol9;</rqi>")
    );
    assert_forbidden_xml(xml().decode_request(doc.as_bytes()).unwrap_err());
}

#[test]
fn xml_external_entity_is_forbidden() {
    let doc = format!(
        "<!DOCTYPE m2m:rqp [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>{}",
        xml_request("<op>2</op><to>cse-in</to><fr>CmyAE</fr><rqi>&xxe;</rqi>")
    );
    assert_forbidden_xml(xml().decode_request(doc.as_bytes()).unwrap_err());
}

#[test]
fn xml_processing_instruction_is_forbidden() {
    let doc = format!(
        "<?xml version=\"1.0\"?><?xml-stylesheet href=\"http://evil.example/x.xsl\"?>{}",
        xml_request(XML_MANDATORY)
    );
    assert_forbidden_xml(xml().decode_request(doc.as_bytes()).unwrap_err());
}

#[test]
fn xml_undeclared_entity_reference_is_a_syntax_error() {
    let doc = xml_request("<op>2</op><to>&nothing;</to><fr>CmyAE</fr><rqi>r1</rqi>");
    assert_syntax(xml().decode_request(doc.as_bytes()).unwrap_err(), "xml");
}

#[test]
fn xml_response_root_is_not_a_request() {
    let doc = format!(r#"<m2m:rsp xmlns:m2m="{NS}"><rsc>2000</rsc><rqi>r1</rqi></m2m:rsp>"#);
    assert_not_a_request(xml().decode_request(doc.as_bytes()).unwrap_err());
}

#[test]
fn xml_foreign_root_is_not_a_request() {
    assert_not_a_request(
        xml()
            .decode_request(b"<html><body>hello</body></html>")
            .unwrap_err(),
    );
}

#[test]
fn xml_op_as_non_numeric_text_is_the_wrong_type() {
    let doc = xml_request("<op>abc</op><to>cse-in</to><fr>CmyAE</fr><rqi>r1</rqi>");
    assert_wrong_type(xml().decode_request(doc.as_bytes()).unwrap_err(), "op");
}

#[test]
fn xml_op_beyond_64_bits_is_refused_as_op() {
    let doc =
        xml_request("<op>1180591620717411303424</op><to>cse-in</to><fr>CmyAE</fr><rqi>r1</rqi>");
    assert_wrong_type(xml().decode_request(doc.as_bytes()).unwrap_err(), "op");
}

#[test]
fn xml_rqi_with_child_elements_is_the_wrong_type() {
    let doc = xml_request("<op>2</op><to>cse-in</to><fr>CmyAE</fr><rqi><id>1</id></rqi>");
    assert_wrong_type(xml().decode_request(doc.as_bytes()).unwrap_err(), "rqi");
}

#[test]
fn xml_unknown_operation_9_is_an_invalid_value() {
    let doc = xml_request("<op>9</op><to>cse-in</to><fr>CmyAE</fr><rqi>r1</rqi>");
    assert_invalid_value(xml().decode_request(doc.as_bytes()).unwrap_err(), "op");
}

#[test]
fn xml_resource_type_0_is_an_invalid_value() {
    let doc = xml_request("<op>1</op><to>cse-in</to><fr>CmyAE</fr><rqi>r1</rqi><ty>0</ty>");
    assert_invalid_value(xml().decode_request(doc.as_bytes()).unwrap_err(), "ty");
}

#[test]
fn xml_missing_rqi_names_the_parameter() {
    let doc = xml_request("<op>2</op><to>cse-in</to><fr>CmyAE</fr>");
    assert_missing(xml().decode_request(doc.as_bytes()).unwrap_err(), "rqi");
}

#[test]
fn xml_dashed_date_in_rqet_is_an_invalid_timestamp() {
    let doc = xml_request(&format!("{XML_MANDATORY}<rqet>2026-11-24</rqet>"));
    assert_invalid_timestamp(xml().decode_request(doc.as_bytes()).unwrap_err(), "rqet");
}

#[test]
fn xml_content_nested_100000_levels_is_too_deep() {
    let doc = xml_request(&format!(
        "<op>1</op><to>cse-in</to><fr>CmyAE</fr><rqi>r1</rqi><ty>3</ty><pc>{}x{}</pc>",
        "<a>".repeat(DEEP),
        "</a>".repeat(DEEP)
    ));
    assert_too_deep(xml().decode_request(doc.as_bytes()).unwrap_err());
}

fn xml_with_debug_text(len: usize) -> Vec<u8> {
    format!(
        r#"<m2m:rsp xmlns:m2m="{NS}"><rsc>4000</rsc><rqi>r1</rqi><pc><m2m:dbg>{}</m2m:dbg></pc><rvi>3</rvi></m2m:rsp>"#,
        "a".repeat(len)
    )
    .into_bytes()
}

#[test]
fn xml_10_mb_string_is_over_the_default_document_limit() {
    let doc = xml_with_debug_text(TEN_MB);
    let err = xml().decode_response(&doc).unwrap_err();
    assert_document_too_large(err, doc.len(), Limits::default().max_document);
}

#[test]
fn xml_1_mb_string_decodes_under_the_default_limits() {
    let rsp = xml()
        .decode_response(&xml_with_debug_text(1_000_000))
        .unwrap();
    assert_eq!(rsp.debug_message().map(str::len), Some(1_000_000));
}

#[test]
fn xml_document_over_a_small_limit_is_too_large() {
    let doc = xml_with_debug_text(2000);
    let err = XmlSerializer::with_limits(small_limits())
        .decode_response(&doc)
        .unwrap_err();
    assert_document_too_large(err, doc.len(), 1024);
}

#[test]
fn xml_unknown_release_version_decodes_for_a_later_4001() {
    let doc = xml_request(&format!("{XML_MANDATORY}<rvi>9z</rvi>"));
    let req = xml().decode_request(doc.as_bytes()).unwrap();
    assert_eq!(req.rvi, Some(ReleaseVersion::Other("9z".into())));
}

#[test]
fn xml_repeated_parameter_is_refused_like_in_json_and_cbor() {
    // XSD: each parameter of m2m:requestPrimitive occurs at most once. JSON and CBOR refuse
    // a repeated parameter with a syntax error because peers disagree on which copy wins;
    // XML must not silently pick one either.
    let doc = xml_request("<op>2</op><to>cse-in</to><fr>CmyAE</fr><rqi>r1</rqi><rqi>r2</rqi>");
    assert_syntax(xml().decode_request(doc.as_bytes()).unwrap_err(), "xml");
}

#[test]
fn xml_control_character_is_a_syntax_error() {
    // XML 1.0 2.2 (Char) and 4.1 (WFC: Legal Character): U+0001 may appear neither raw
    // nor as a character reference; a conforming processor reports a fatal error.
    let raw = xml_request("<op>2</op><to>cse-in</to><fr>CmyAE</fr><rqi>a\u{1}b</rqi>");
    assert_syntax(xml().decode_request(raw.as_bytes()).unwrap_err(), "xml");
    let reference = xml_request("<op>2</op><to>cse-in</to><fr>CmyAE</fr><rqi>a&#1;b</rqi>");
    assert_syntax(
        xml().decode_request(reference.as_bytes()).unwrap_err(),
        "xml",
    );
}

#[test]
fn xml_text_mixed_with_parameters_is_a_syntax_error() {
    let doc = xml_request(&format!("{XML_MANDATORY}junk"));
    assert_syntax(xml().decode_request(doc.as_bytes()).unwrap_err(), "xml");
}

#[test]
fn xml_declaring_an_encoding_other_than_utf8_is_a_syntax_error() {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>{}",
        xml_request(XML_MANDATORY)
    );
    assert_syntax(xml().decode_request(doc.as_bytes()).unwrap_err(), "xml");
}

#[test]
fn xml_root_in_another_namespace_is_not_a_primitive() {
    let doc = format!(r#"<m2m:rqp xmlns:m2m="urn:example:other">{XML_MANDATORY}</m2m:rqp>"#);
    assert_not_a_request(xml().decode_request(doc.as_bytes()).unwrap_err());
}

#[test]
fn xml_element_with_200000_attributes_is_forbidden() {
    let attributes: String = (0..200_000).map(|i| format!(" a{i}=\"\"")).collect();
    let doc = format!(r#"<m2m:rqp xmlns:m2m="{NS}"{attributes}>{XML_MANDATORY}</m2m:rqp>"#);
    assert_forbidden_xml(xml().decode_request(doc.as_bytes()).unwrap_err());
}

#[test]
fn xml_200000_namespace_declarations_are_forbidden() {
    let declarations: String = (0..200_000)
        .map(|i| format!(" xmlns:n{i}=\"urn:x\""))
        .collect();
    let doc = format!(r#"<m2m:rqp xmlns:m2m="{NS}"{declarations}>{XML_MANDATORY}</m2m:rqp>"#);
    assert_forbidden_xml(xml().decode_request(doc.as_bytes()).unwrap_err());
}

#[test]
fn xml_200000_sibling_elements_are_too_large() {
    let doc = xml_request(&format!(
        "{XML_MANDATORY}<pc><m2m:cnt rn=\"c\">{}</m2m:cnt></pc>",
        "<zz>1</zz>".repeat(200_000)
    ));
    let err = xml().decode_request(doc.as_bytes()).unwrap_err();
    assert!(
        matches!(&err, Error::TooLarge { limit: 100_000, .. }),
        "{err:?}"
    );
    assert_bad_request(&err);
}

#[test]
fn xml_list_of_200000_items_is_too_large() {
    let doc = xml_request(&format!(
        "{XML_MANDATORY}<pc><m2m:cnt rn=\"c\"><lbl>{}</lbl></m2m:cnt></pc>",
        "a ".repeat(200_000)
    ));
    let err = xml().decode_request(doc.as_bytes()).unwrap_err();
    assert!(
        matches!(&err, Error::TooLarge { limit: 100_000, .. }),
        "{err:?}"
    );
    assert_bad_request(&err);
}

// ============================== CBOR ==============================

#[test]
fn cbor_truncated_document_is_a_syntax_error() {
    let doc = cbor_request_with(&[]);
    assert_syntax(
        cbor().decode_request(&doc[..doc.len() - 3]).unwrap_err(),
        "cbor",
    );
}

#[test]
fn cbor_empty_input_is_a_syntax_error() {
    assert_syntax(cbor().decode_request(b"").unwrap_err(), "cbor");
    assert_syntax(cbor().decode_response(b"").unwrap_err(), "cbor");
}

#[test]
fn cbor_array_at_top_is_not_a_primitive() {
    let doc = [cbor_head(4, 1), cbor_request_with(&[])].concat();
    assert_not_a_request(cbor().decode_request(&doc).unwrap_err());
}

#[test]
fn cbor_trailing_bytes_are_a_syntax_error() {
    let doc = [cbor_request_with(&[]), vec![0x00]].concat();
    assert_syntax(cbor().decode_request(&doc).unwrap_err(), "cbor");
}

#[test]
fn cbor_invalid_utf8_in_a_text_string_is_a_syntax_error() {
    let doc = cbor_request_with(&[("to", vec![0x63, b'c', 0xff, 0xfe])]);
    assert_syntax(cbor().decode_request(&doc).unwrap_err(), "cbor");
}

#[test]
fn cbor_text_declared_longer_than_the_input_is_a_syntax_error() {
    // A 4 GiB string announced in a 30-byte document: truncated, and nothing allocated.
    let mut doc = cbor_request_with(&[]);
    doc[0] += 1;
    doc.extend(cbor_text("vsi"));
    doc.extend([0x7a, 0xff, 0xff, 0xff, 0xff, b'x']);
    assert_syntax(cbor().decode_request(&doc).unwrap_err(), "cbor");
}

#[test]
fn cbor_map_declaring_4_billion_members_is_too_large() {
    let doc = [
        vec![0xba, 0xff, 0xff, 0xff, 0xff],
        cbor_text("op"),
        cbor_uint(2),
    ]
    .concat();
    let err = cbor().decode_request(&doc).unwrap_err();
    assert!(
        matches!(&err, Error::TooLarge { what: "map", .. }),
        "{err:?}"
    );
    assert_bad_request(&err);
}

#[test]
fn cbor_list_declaring_2_pow_64_items_is_too_large() {
    let doc = cbor_request_with(&[(
        "pc",
        [vec![0x9b], u64::MAX.to_be_bytes().to_vec(), vec![0]].concat(),
    )]);
    let err = cbor().decode_request(&doc).unwrap_err();
    assert!(matches!(&err, Error::TooLarge { .. }), "{err:?}");
    assert_bad_request(&err);
}

#[test]
fn cbor_op_as_non_numeric_text_is_the_wrong_type() {
    let doc = cbor_request_with(&[("op", cbor_text("abc"))]);
    assert_wrong_type(cbor().decode_request(&doc).unwrap_err(), "op");
}

#[test]
fn cbor_integer_beyond_i64_is_a_syntax_error() {
    // The largest CBOR unsigned integer, 2^64 - 1, fits no oneM2M (i64) integer; the
    // CBOR reader refuses it wherever it appears, as documented in `cbor/mod.rs`.
    let doc = cbor_request_with(&[("op", cbor_uint(u64::MAX))]);
    assert_syntax(cbor().decode_request(&doc).unwrap_err(), "cbor");
}

#[test]
fn cbor_unknown_operation_9_is_an_invalid_value() {
    let doc = cbor_request_with(&[("op", cbor_uint(9))]);
    assert_invalid_value(cbor().decode_request(&doc).unwrap_err(), "op");
}

#[test]
fn cbor_negative_rsc_is_an_invalid_value() {
    let doc = cbor_map(&[("rsc", vec![0x20]), ("rqi", cbor_text("r1"))]);
    assert_invalid_value(cbor().decode_response(&doc).unwrap_err(), "rsc");
}

#[test]
fn cbor_missing_op_or_rsc_names_the_parameter() {
    let doc = cbor_map(&[("to", cbor_text("cse-in")), ("rqi", cbor_text("r1"))]);
    assert_missing(cbor().decode_request(&doc).unwrap_err(), "op");
    let doc = cbor_map(&[("rqi", cbor_text("r1")), ("rvi", cbor_text("3"))]);
    assert_missing(cbor().decode_response(&doc).unwrap_err(), "rsc");
}

#[test]
fn cbor_dashed_date_in_rqet_is_an_invalid_timestamp() {
    let doc = cbor_request_with(&[("rqet", cbor_text("2026-11-24"))]);
    assert_invalid_timestamp(cbor().decode_request(&doc).unwrap_err(), "rqet");
}

#[test]
fn cbor_content_nested_100000_levels_is_too_deep() {
    let pc = [vec![0x81; DEEP], vec![0x00]].concat();
    let doc = cbor_request_with(&[("op", cbor_uint(1)), ("ty", cbor_uint(3)), ("pc", pc)]);
    assert_too_deep(cbor().decode_request(&doc).unwrap_err());
}

fn cbor_with_debug_text(len: usize) -> Vec<u8> {
    let dbg = cbor_map(&[("m2m:dbg", cbor_text(&"a".repeat(len)))]);
    cbor_map(&[
        ("rsc", cbor_uint(4000)),
        ("rqi", cbor_text("r1")),
        ("pc", dbg),
    ])
}

#[test]
fn cbor_10_mb_string_is_over_the_default_document_limit() {
    let doc = cbor_with_debug_text(TEN_MB);
    let err = cbor().decode_response(&doc).unwrap_err();
    assert_document_too_large(err, doc.len(), Limits::default().max_document);
}

#[test]
fn cbor_1_mb_string_decodes_under_the_default_limits() {
    let rsp = cbor()
        .decode_response(&cbor_with_debug_text(1_000_000))
        .unwrap();
    assert_eq!(rsp.debug_message().map(str::len), Some(1_000_000));
}

#[test]
fn cbor_document_over_a_small_limit_is_too_large() {
    let doc = cbor_with_debug_text(2000);
    let err = CborSerializer::with_limits(small_limits())
        .decode_response(&doc)
        .unwrap_err();
    assert_document_too_large(err, doc.len(), 1024);
}

#[test]
fn cbor_unknown_release_version_decodes_for_a_later_4001() {
    let doc = cbor_request_with(&[("rvi", cbor_text("9z"))]);
    let req = cbor().decode_request(&doc).unwrap();
    assert_eq!(req.rvi, Some(ReleaseVersion::Other("9z".into())));
}

#[test]
fn cbor_map_of_200000_members_is_too_large() {
    let mut pc = vec![0xba];
    pc.extend(200_000u32.to_be_bytes());
    for i in 0..200_000u32 {
        pc.extend(cbor_text(&format!("k{i}")));
        pc.push(0x01);
    }
    let doc = cbor_request_with(&[("pc", pc)]);
    let err = cbor().decode_request(&doc).unwrap_err();
    assert!(
        matches!(&err, Error::TooLarge { limit: 100_000, .. }),
        "{err:?}"
    );
    assert_bad_request(&err);
}

#[test]
fn cbor_repeated_parameter_is_a_syntax_error() {
    let doc = cbor_map(&[
        ("op", cbor_uint(2)),
        ("to", cbor_text("cse-in")),
        ("rqi", cbor_text("r1")),
        ("op", cbor_uint(4)),
    ]);
    assert_syntax(cbor().decode_request(&doc).unwrap_err(), "cbor");
}

#[test]
fn cbor_map_key_that_is_not_a_string_is_a_syntax_error() {
    let mut doc = cbor_request_with(&[]);
    doc[0] += 1;
    doc.extend([0x01, 0x02]);
    assert_syntax(cbor().decode_request(&doc).unwrap_err(), "cbor");
}

#[test]
fn cbor_bignum_is_refused_rather_than_read_as_another_value() {
    // Tag 2 (unsigned bignum) holding 2^64: no oneM2M integer, and not silently a string.
    let bignum = [vec![0xc2, 0x49, 0x01], vec![0; 8]].concat();
    let doc = cbor_request_with(&[("op", bignum)]);
    assert_syntax(cbor().decode_request(&doc).unwrap_err(), "cbor");
}

// ======================= peer quirks that must decode =======================

#[test]
fn json_numbers_sent_as_strings_decode() {
    // nCube-Thyme sends op and ty as strings.
    let req = json()
        .decode_request(br#"{"op":"1","to":"cse-in","fr":"CmyAE","rqi":"r1","ty":"3","pc":{"m2m:cnt":{"rn":"c"}},"rqet":"-10000"}"#)
        .unwrap();
    assert_eq!(req.op, Operation::Create);
    assert_eq!(req.ty, Some(ResourceType::CONTAINER));
    assert_eq!(req.rqet, Some(AbsRelTimestamp::Relative(-10_000)));
}

#[test]
fn json_request_wrapped_in_m2m_rqp_decodes() {
    // Mobius accepts and some originators send the XML-style wrapper in JSON.
    let req = json()
        .decode_request(br#"{"m2m:rqp":{"op":2,"to":"cse-in","fr":"CmyAE","rqi":"r1"}}"#)
        .unwrap();
    assert_eq!(
        (req.op, req.to.as_str(), req.rqi.as_str()),
        (Operation::Retrieve, "cse-in", "r1")
    );
}

#[test]
fn cbor_byte_string_keys_decode() {
    // TS-0004 8.5.2's own examples encode keys as byte strings (major type 2).
    let byte_key = |k: &str| [cbor_head(2, k.len() as u64), k.as_bytes().to_vec()].concat();
    let mut doc = cbor_head(5, 4);
    for (key, value) in [
        ("op", cbor_uint(2)),
        ("to", cbor_text("cse-in")),
        ("fr", cbor_text("CmyAE")),
        ("rqi", cbor_text("r1")),
    ] {
        doc.extend(byte_key(key));
        doc.extend(value);
    }
    let req = cbor().decode_request(&doc).unwrap();
    assert_eq!(
        (req.op, req.fr.as_deref()),
        (Operation::Retrieve, Some("CmyAE"))
    );
}

#[test]
fn content_of_a_bad_request_is_not_echoed_whole_in_the_error() {
    // A 1 MB bad timestamp must not become a 1 MB error message (and log line).
    let doc = format!(
        r#"{{"op":2,"to":"cse-in","fr":"CmyAE","rqi":"r1","ot":"{}"}}"#,
        "9".repeat(1_000_000)
    );
    let err = json().decode_request(doc.as_bytes()).unwrap_err();
    assert!(
        err.to_string().len() < 1000,
        "error message of {} bytes",
        err.to_string().len()
    );
}

#[test]
fn xml_cdata_character_references_comments_and_a_bom_decode() {
    // All well-formed XML 1.0: a peer's XML library may produce any of them.
    let doc = format!(
        "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- from a peer -->\n{}",
        xml_request(
            "<op>2</op><to>cse&#x2D;in</to><fr>C&#109;yAE</fr>\n  <rqi><![CDATA[r<1>]]><!-- x -->&amp;2</rqi>"
        )
    );
    let req = xml().decode_request(doc.as_bytes()).unwrap();
    assert_eq!(
        (req.to.as_str(), req.fr.as_deref(), req.rqi.as_str()),
        ("cse-in", Some("CmyAE"), "r<1>&2")
    );
}

#[test]
fn cbor_sent_as_hex_text_decodes() {
    // Mobius and nCube-Thyme publish `cbor.encode(obj).toString('hex')`.
    let hex: String = cbor_request_with(&[])
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let req = cbor().decode_request(hex.as_bytes()).unwrap();
    assert_eq!((req.op, req.rqi.as_str()), (Operation::Retrieve, "r1"));
}

// ================= what an encoder refuses instead of writing =================

#[test]
fn json_and_cbor_refuse_to_encode_nan() {
    let mut req = RequestPrimitive::retrieve("cse-in", "CmyAE", "r1");
    req.pc = Some(Value::Float(f64::NAN));
    for s in [&json() as &dyn Serializer, &cbor()] {
        let err = s.encode_request(&req).unwrap_err();
        assert!(
            matches!(err, Error::Unencodable(_)),
            "{}: {err:?}",
            s.name()
        );
    }
}

#[test]
fn xml_refuses_to_encode_text_xml_cannot_carry() {
    let req = RequestPrimitive::retrieve("cse-in", "CmyAE", "a\u{1}b");
    assert!(matches!(
        xml().encode_request(&req),
        Err(Error::Unencodable(_))
    ));
}

#[test]
fn xml_refuses_to_encode_a_list_item_containing_its_separator() {
    let mut cnt = Map::new();
    cnt.push("lbl", Value::from(vec!["a b", "c"]));
    let mut pc = Map::new();
    pc.push("m2m:cnt", cnt);
    let mut req = RequestPrimitive::retrieve("cse-in", "CmyAE", "r1");
    req.pc = Some(pc.into());
    assert!(matches!(
        xml().encode_request(&req),
        Err(Error::Unencodable(_))
    ));
}

#[test]
fn every_encoder_refuses_content_deeper_than_the_limit() {
    let mut deep = Value::Int(1);
    for _ in 0..100 {
        let mut m = Map::new();
        m.push("zz", deep);
        deep = m.into();
    }
    let mut req = RequestPrimitive::retrieve("cse-in", "CmyAE", "r1");
    req.pc = Some(deep);
    for s in [&json() as &dyn Serializer, &xml(), &cbor()] {
        let err = s.encode_request(&req).unwrap_err();
        assert!(
            matches!(err, Error::TooDeep { limit: 64 }),
            "{}: {err:?}",
            s.name()
        );
    }
}
