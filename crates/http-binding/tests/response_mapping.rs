//! Response primitive ↔ HTTP response: one test per TS-0009 rule (clause in the name).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bytes::Bytes;
use http::Response;
use onem2m_http_binding::{BodyFormat, Error, HttpMapping};
use onem2m_primitive::{
    AbsRelTimestamp, ContentStatus, EventCategory, Map, Operation, ReleaseVersion,
    ResponsePrimitive, ResponseStatusCode, Timestamp, Value, debug_info,
};

fn map<const N: usize>(members: [(&str, Value); N]) -> Value {
    Value::Map(members.into_iter().collect::<Map>())
}

fn mapping() -> HttpMapping {
    HttpMapping::new()
}

/// Maps `rsp` to HTTP and back, asserting the round trip, and returns the HTTP response.
fn round_trip(
    rsp: &ResponsePrimitive,
    answering: Operation,
    format: BodyFormat,
) -> Response<Bytes> {
    let http = mapping().response_to_http(rsp, answering, format).unwrap();
    assert_eq!(
        &mapping().response_from_http(&http).unwrap(),
        rsp,
        "{http:?}"
    );
    http
}

fn header<'r>(http: &'r Response<Bytes>, name: &str) -> &'r str {
    http.headers()[name].to_str().unwrap()
}

fn ae() -> Value {
    map([(
        "m2m:ae",
        map([("rn", "myAE".into()), ("ri", "CAE1".into())]),
    )])
}

#[test]
fn ts_0009_6_3_2_and_6_4_17_rsc_is_the_status_and_x_m2m_rsc() {
    for (rsc, status) in [
        (ResponseStatusCode::OK, 200),
        (ResponseStatusCode::CREATED, 201),
        (ResponseStatusCode::DELETED, 200),
        (ResponseStatusCode::CONTENTS_UNACCEPTABLE, 400),
        (ResponseStatusCode::NOT_FOUND, 404),
        (ResponseStatusCode::ORIGINATOR_HAS_NO_PRIVILEGE, 403),
    ] {
        let rsp = ResponsePrimitive::new(rsc, "r1");
        let http = round_trip(&rsp, Operation::Retrieve, BodyFormat::Json);
        assert_eq!(http.status().as_u16(), status, "{rsc:?}");
        assert_eq!(header(&http, "x-m2m-rsc"), rsc.code().to_string());
    }
}

#[test]
fn ts_0009_6_4_response_parameters_are_x_m2m_headers() {
    let mut rsp = ResponsePrimitive::new(ResponseStatusCode::OK, "r-9").with_content(ae());
    rsp.fr = Some("/id-in".into());
    rsp.ot = Some(Timestamp::parse("20261124T215237,116712").unwrap());
    rsp.rset = Some(AbsRelTimestamp::Relative(60_000));
    rsp.ec = Some(EventCategory::IMMEDIATE);
    rsp.cnst = Some(ContentStatus::PartialContent);
    rsp.cnot = Some(3);
    rsp.rvi = Some(ReleaseVersion::V3);
    rsp.vsi = Some("v".into());
    let http = round_trip(&rsp, Operation::Retrieve, BodyFormat::Json);
    for (name, value) in [
        ("X-M2M-RI", "r-9"),
        ("X-M2M-Origin", "/id-in"),
        ("X-M2M-OT", "20261124T215237,116712"),
        ("X-M2M-RST", "60000"),
        ("X-M2M-EC", "2"),
        ("X-M2M-CTS", "1"),
        ("X-M2M-CTO", "3"),
        ("X-M2M-RVI", "3"),
        ("X-M2M-VSI", "v"),
        ("Content-Type", "application/json"),
    ] {
        assert_eq!(header(&http, name), value, "{name}");
    }
}

#[test]
fn ts_0009_6_4_4_content_location_is_the_created_resource_uri() {
    let uri = ResponsePrimitive::new(ResponseStatusCode::CREATED, "r")
        .with_content(map([("m2m:uri", "/id-in/cse-in/myAE".into())]));
    let http = round_trip(&uri, Operation::Create, BodyFormat::Json);
    assert_eq!(header(&http, "content-location"), "/id-in/cse-in/myAE");
    let rce = ResponsePrimitive::new(ResponseStatusCode::CREATED, "r").with_content(map([(
        "m2m:rce",
        map([
            ("m2m:ae", map([("rn", "myAE".into())])),
            ("uri", "cse-in/myAE".into()),
        ]),
    )]));
    let http = round_trip(&rce, Operation::Create, BodyFormat::Json);
    assert_eq!(header(&http, "content-location"), "cse-in/myAE");
    let spaced = ResponsePrimitive::new(ResponseStatusCode::CREATED, "r")
        .with_content(map([("m2m:uri", "/id-in/cse-in/my AE é".into())]));
    let http = round_trip(&spaced, Operation::Create, BodyFormat::Json);
    assert_eq!(
        header(&http, "content-location"),
        "/id-in/cse-in/my%20AE%20%C3%A9"
    );
    // Only a Create's response has one, and only when the content names the URI.
    let http = round_trip(&uri, Operation::Retrieve, BodyFormat::Json);
    assert!(http.headers().get("content-location").is_none());
    let plain = ResponsePrimitive::new(ResponseStatusCode::CREATED, "r").with_content(ae());
    let http = round_trip(&plain, Operation::Create, BodyFormat::Json);
    assert!(http.headers().get("content-location").is_none());
}

#[test]
fn ts_0009_6_4_18_assigned_token_ids_are_lti_tkid_pairs_joined_by_plus() {
    let entry = |lti: &str, tkid: &str| map([("lti", lti.into()), ("tkid", tkid.into())]);
    let mut rsp = ResponsePrimitive::new(ResponseStatusCode::OK, "r");
    rsp.ati = Some(map([(
        "ltia",
        Value::List(vec![
            entry("lti-value1", "tkid-value1"),
            entry("lti-value2", "tkid-value2"),
        ]),
    )]));
    let http = round_trip(&rsp, Operation::Retrieve, BodyFormat::Json);
    assert_eq!(
        header(&http, "x-m2m-ati"),
        "lti-value1:tkid-value1+lti-value2:tkid-value2"
    );
}

#[test]
fn ts_0009_6_5_the_body_is_the_content_in_the_request_serialization() {
    let rsp =
        ResponsePrimitive::new(ResponseStatusCode::NOT_FOUND, "r").with_content(debug_info("gone"));
    for (format, content_type) in [
        (BodyFormat::Json, "application/json"),
        (BodyFormat::Xml, "application/xml"),
        (BodyFormat::Cbor, "application/cbor"),
    ] {
        let http = round_trip(&rsp, Operation::Retrieve, format);
        assert_eq!(header(&http, "content-type"), content_type);
        let body = mapping()
            .serializer(format)
            .decode_content(http.body())
            .unwrap();
        assert_eq!(body, debug_info("gone"));
    }
    let empty = ResponsePrimitive::new(ResponseStatusCode::DELETED, "r");
    let http = round_trip(&empty, Operation::Delete, BodyFormat::Xml);
    assert!(http.body().is_empty());
    assert!(http.headers().get("content-type").is_none());
}

#[test]
fn a_response_without_x_m2m_rsc_takes_the_code_of_its_status() {
    let http = Response::builder()
        .status(502)
        .body(Bytes::from_static(b"Bad Gateway"))
        .unwrap();
    // A body in no oneM2M media type cannot be read.
    assert_eq!(
        mapping()
            .response_from_http(&http)
            .unwrap_err()
            .status_code(),
        ResponseStatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let http = Response::builder().status(504).body(Bytes::new()).unwrap();
    let rsp = mapping().response_from_http(&http).unwrap();
    assert_eq!(rsp.rsc, ResponseStatusCode::REQUEST_TIMEOUT);
    assert_eq!(rsp.rqi, None);
}

#[test]
fn to_is_not_carried_and_token_request_information_is_not_mappable() {
    let mut rsp = ResponsePrimitive::new(ResponseStatusCode::OK, "r");
    rsp.to = Some("CAE1".into());
    let http = mapping()
        .response_to_http(&rsp, Operation::Retrieve, BodyFormat::Json)
        .unwrap();
    assert_eq!(mapping().response_from_http(&http).unwrap().to, None);
    let mut tqf = ResponsePrimitive::new(ResponseStatusCode::ORIGINATOR_HAS_NO_PRIVILEGE, "r");
    tqf.tqf = Some(map([("dasi", "x".into())]));
    assert!(matches!(
        mapping().response_to_http(&tqf, Operation::Retrieve, BodyFormat::Json),
        Err(Error::NotMappable { .. })
    ));
}

#[test]
fn malformed_response_headers_are_errors() {
    for (name, value) in [
        ("X-M2M-RSC", "ok"),
        ("X-M2M-ATI", "no-colon"),
        ("X-M2M-CTS", "9"),
    ] {
        let http = Response::builder()
            .status(200)
            .header(name, value)
            .body(Bytes::new())
            .unwrap();
        assert!(
            mapping().response_from_http(&http).is_err(),
            "{name}: {value}"
        );
    }
}
