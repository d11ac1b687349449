//! Request primitive ↔ HTTP request: one test per TS-0009 rule (clause in the name),
//! then the errors a receiver answers with.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bytes::Bytes;
use http::Request;
use onem2m_http_binding::{BodyFormat, Error, HttpMapping};
use onem2m_primitive::{
    AbsRelTimestamp, DesiredIdentifierResultType, EventCategory, Map, Operation, ReleaseVersion,
    RequestPrimitive, ResourceType, ResponseStatusCode, ResponseType, ResponseTypeInfo,
    ResultContent, Timestamp, Value,
};

fn map<const N: usize>(members: [(&str, Value); N]) -> Value {
    Value::Map(members.into_iter().collect::<Map>())
}

fn cnt() -> Value {
    map([("m2m:cnt", map([("rn", "data".into()), ("mni", 10.into())]))])
}

/// Header fields as a test writes them.
type Headers<'a> = &'a [(&'a str, &'a str)];

fn mapping() -> HttpMapping {
    HttpMapping::new()
}

/// Maps `req` to HTTP and back, asserting the round trip, and returns the HTTP request.
fn round_trip(req: &RequestPrimitive, format: BodyFormat) -> Request<Bytes> {
    let http = mapping().request_to_http(req, format).unwrap();
    let back = mapping().request_from_http(&http).unwrap();
    assert_eq!(&back.primitive, req, "{http:?}");
    assert_eq!(back.response_format, format);
    http
}

fn header<'r>(http: &'r Request<Bytes>, name: &str) -> &'r str {
    http.headers()[name].to_str().unwrap()
}

/// An HTTP request as a peer sends it.
fn incoming(method: &str, uri: &str, headers: Headers<'_>, body: &[u8]) -> Request<Bytes> {
    let mut builder = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Bytes::copy_from_slice(body)).unwrap()
}

fn receive(http: &Request<Bytes>) -> Result<RequestPrimitive, Error> {
    mapping()
        .request_from_http(http)
        .map(|incoming| incoming.primitive)
}

#[test]
fn ts_0009_6_2_1_operations_map_to_methods() {
    let create =
        RequestPrimitive::create("cse-in/ae", "CAE1", "r1", ResourceType::CONTAINER, cnt());
    let http = round_trip(&create, BodyFormat::Json);
    assert_eq!(http.method(), "POST");
    for (req, method) in [
        (RequestPrimitive::retrieve("cse-in/ae", "CAE1", "r2"), "GET"),
        (
            RequestPrimitive::update("cse-in/ae", "CAE1", "r3", cnt()),
            "PUT",
        ),
        (
            RequestPrimitive::delete("cse-in/ae", "CAE1", "r4"),
            "DELETE",
        ),
        (
            RequestPrimitive::notify("CAE1", "/id-in", "r5", cnt()),
            "POST",
        ),
    ] {
        assert_eq!(round_trip(&req, BodyFormat::Json).method(), method);
    }
}

#[test]
fn ts_0009_6_2_1_a_post_is_a_create_with_ty_and_a_notify_without() {
    let create = incoming(
        "POST",
        "/cse-in",
        &[
            ("X-M2M-Origin", "CAE1"),
            ("X-M2M-RI", "r1"),
            ("Content-Type", "application/json;ty=2"),
        ],
        br#"{"m2m:ae":{"rn":"x"}}"#,
    );
    let req = receive(&create).unwrap();
    assert_eq!(
        (req.op, req.ty),
        (Operation::Create, Some(ResourceType::AE))
    );
    let notify = incoming(
        "POST",
        "/CAE1",
        &[
            ("X-M2M-Origin", "/id-in"),
            ("X-M2M-RI", "n1"),
            ("Content-Type", "application/json"),
        ],
        br#"{"m2m:sgn":{"vrq":true}}"#,
    );
    let req = receive(&notify).unwrap();
    assert_eq!((req.op, req.ty), (Operation::Notify, None));
}

#[test]
fn ts_0009_6_4_3_ty_goes_in_the_content_type_of_a_create_only() {
    let create = RequestPrimitive::create("cse-in", "CAE1", "r1", ResourceType::CONTAINER, cnt());
    let http = round_trip(&create, BodyFormat::Xml);
    assert_eq!(
        header(&http, "content-type"),
        "application/vnd.onem2m-res+xml; ty=3"
    );
    let update = RequestPrimitive::update("cse-in", "CAE1", "r1", cnt());
    let http = round_trip(&update, BodyFormat::Cbor);
    assert_eq!(header(&http, "content-type"), "application/cbor");
    let mut retrieve = RequestPrimitive::retrieve("cse-in", "CAE1", "r1");
    retrieve.ty = Some(ResourceType::AE);
    assert!(matches!(
        mapping().request_to_http(&retrieve, BodyFormat::Json),
        Err(Error::NotMappable { .. })
    ));
    let ty_on_put = incoming(
        "PUT",
        "/cse-in",
        &[
            ("X-M2M-RI", "r"),
            ("Content-Type", "application/json; ty=3"),
        ],
        b"{}",
    );
    assert_eq!(
        receive(&ty_on_put).unwrap_err().status_code(),
        ResponseStatusCode::BAD_REQUEST
    );
}

#[test]
fn ts_0009_6_2_2_1_to_becomes_the_path_in_its_three_forms() {
    for (to, path) in [
        ("cse-in/ae1", "/cse-in/ae1"),
        ("/id-in/cse-in/ae1", "/~/id-in/cse-in/ae1"),
        (
            "//example.net/myCSE/-/Cont1",
            "/_/example.net/myCSE/-/Cont1",
        ),
    ] {
        let http = round_trip(&RequestPrimitive::delete(to, "CAE1", "r"), BodyFormat::Json);
        assert_eq!(http.uri().path(), path);
    }
}

/// TS-0009 6.2.2.2 EXAMPLE 1, with `P3DT10H1M0S` for its `P1Y2M3DT10H1M0S`: the
/// primitive crate refuses years and months, which have no fixed length.
#[test]
fn ts_0009_6_2_2_2_example_1_nonblocking_request_with_result_persistence() {
    let mut req = RequestPrimitive::retrieve("/CSE1234/RCSE78/container234", "CAE1", "r");
    req.rt = Some(ResponseTypeInfo::new(ResponseType::NonBlockingRequestSynch));
    req.rp = Some(AbsRelTimestamp::parse("P3DT10H1M0S").unwrap());
    let http = round_trip(&req, BodyFormat::Json);
    assert_eq!(
        http.uri(),
        "/~/CSE1234/RCSE78/container234?rp=P3DT10H1M0S&rt=1"
    );
}

#[test]
fn ts_0009_6_2_2_2_request_parameters_are_query_fields() {
    let mut req = RequestPrimitive::retrieve("cse-in", "CAE1", "r");
    req.rcn = Some(ResultContent::AttributesAndChildResources);
    req.drt = Some(DesiredIdentifierResultType::Unstructured);
    req.da = Some(true);
    req.sqi = Some(false);
    req.tqi = Some(true);
    req.asi = Some(false);
    req.auri = Some(true);
    req.rids = Some(vec!["role1".into(), "role 2".into()]);
    req.tids = Some(vec!["t1".into()]);
    req.ltids = Some(vec!["l1".into(), "l2".into()]);
    req.grtm = Some(vec!["/id-in/a".into()]);
    let http = round_trip(&req, BodyFormat::Json);
    assert_eq!(
        http.uri().query().unwrap(),
        "rids=role1+role%202&rcn=4&da=true&drt=2&tids=t1&ltids=l1+l2&tqi=true&grtm=%2Fid-in%2Fa\
         &asi=false&auri=true&sqi=false"
    );
}

#[test]
fn ts_0009_6_2_2_2_filter_criteria_are_query_fields() {
    let mut req = RequestPrimitive::retrieve("/CSE1234/RCSE78", "CAE1", "r");
    req.fc = Some(map([
        ("ty", vec![Value::Int(3)].into()),
        (
            "atr",
            Value::List(vec![map([("nm", "cr".into()), ("val", "Sam".into())])]),
        ),
        ("fu", 1.into()),
    ]));
    let http = round_trip(&req, BodyFormat::Json);
    // TS-0009's own example target, with the SP-relative prefix of 6.2.2.1.
    assert_eq!(http.uri(), "/~/CSE1234/RCSE78?ty=3&cr=Sam&fu=1");
}

#[test]
fn ts_0009_6_2_2_2_partial_retrieve_attributes_are_atrl() {
    // Case 2: one attribute after `#` in `to`.
    let single =
        RequestPrimitive::retrieve("//example.net/myCSE/-/Cont1#rr", "/myCSE/C2345", "0002bf63");
    let http = round_trip(&single, BodyFormat::Json);
    assert_eq!(http.uri(), "/_/example.net/myCSE/-/Cont1?atrl=rr");
    assert!(http.body().is_empty());
    // Case 1: an attribute list in the content.
    let mut listed =
        RequestPrimitive::retrieve("//example.net/myCSE/-/Cont1", "/myCSE/C2345", "0002bf63");
    listed.pc = Some(map([("m2m:atrl", vec!["ri", "lbl", "rr"].into())]));
    let http = round_trip(&listed, BodyFormat::Xml);
    assert_eq!(http.uri(), "/_/example.net/myCSE/-/Cont1?atrl=ri+lbl+rr");
    assert!(http.body().is_empty());
    // A partial retrieve field on another operation is malformed.
    let wrong = incoming("DELETE", "/cse-in?atrl=rr", &[("X-M2M-RI", "r")], b"");
    assert_eq!(
        receive(&wrong).unwrap_err().status_code(),
        ResponseStatusCode::BAD_REQUEST
    );
}

#[test]
fn ts_0009_6_4_request_parameters_are_x_m2m_headers() {
    let mut req = RequestPrimitive::update("cse-in/ae", "CAE1", "r-17", cnt());
    req.ot = Some(Timestamp::parse("20261124T215237,752277").unwrap());
    req.rqet = Some(AbsRelTimestamp::Relative(10_000));
    req.rset = Some(AbsRelTimestamp::parse("20261124T220000").unwrap());
    req.oet = Some(AbsRelTimestamp::parse("PT2S").unwrap());
    req.ec = Some(EventCategory::BEST_EFFORT);
    req.gid = Some("g-1".into());
    req.rvi = Some(ReleaseVersion::V4);
    req.vsi = Some("vendor x".into());
    let http = round_trip(&req, BodyFormat::Json);
    for (name, value) in [
        ("X-M2M-Origin", "CAE1"),
        ("X-M2M-RI", "r-17"),
        ("X-M2M-OT", "20261124T215237,752277"),
        ("X-M2M-RET", "10000"),
        ("X-M2M-RST", "20261124T220000"),
        ("X-M2M-OET", "PT2S"),
        ("X-M2M-EC", "3"),
        ("X-M2M-GID", "g-1"),
        ("X-M2M-RVI", "4"),
        ("X-M2M-VSI", "vendor x"),
        ("Accept", "application/json"),
    ] {
        assert_eq!(header(&http, name), value, "{name}");
    }
}

#[test]
fn ts_0009_5_1_a_receiver_accepts_header_names_in_any_case() {
    let http = incoming(
        "GET",
        "/cse-in",
        &[
            ("x-m2m-origin", "CAE1"),
            ("X-M2M-RI", "r1"),
            ("X-m2m-Rvi", "3"),
        ],
        b"",
    );
    let req = receive(&http).unwrap();
    assert_eq!(req.fr.as_deref(), Some("CAE1"));
    assert_eq!(req.rvi, Some(ReleaseVersion::V3));
}

#[test]
fn ts_0009_6_4_11_notification_uris_are_x_m2m_rtu_joined_by_ampersand() {
    let mut req = RequestPrimitive::retrieve("cse-in", "CAE1", "r");
    req.rt = Some(ResponseTypeInfo {
        rtv: ResponseType::NonBlockingRequestAsynch,
        nu: vec!["http://h:1/a".into(), "/id-in/CAE1".into()],
    });
    let http = round_trip(&req, BodyFormat::Json);
    assert_eq!(header(&http, "X-M2M-RTU"), "http://h:1/a&/id-in/CAE1");
    assert_eq!(http.uri().query(), Some("rt=2"));
    // Without `rt`, notification URIs belong to nonBlockingRequestAsynch.
    let rtu_only = incoming(
        "GET",
        "/cse-in",
        &[("X-M2M-RI", "r"), ("X-M2M-RTU", "/id-in/a")],
        b"",
    );
    let rt = receive(&rtu_only).unwrap().rt.unwrap();
    assert_eq!(rt.rtv, ResponseType::NonBlockingRequestAsynch);
    assert_eq!(rt.nu, ["/id-in/a"]);
}

#[test]
fn ts_0009_6_4_19_tokens_are_authorization_joined_by_plus() {
    let mut req = RequestPrimitive::retrieve("cse-in", "CAE1", "r");
    req.tkns = Some(vec![
        "eyJ0.eyJp.dBjf".into(),
        "eyJ0.eyJp.dBjf.5eym.XFBo".into(),
    ]);
    let http = round_trip(&req, BodyFormat::Json);
    assert_eq!(
        header(&http, "authorization"),
        "eyJ0.eyJp.dBjf+eyJ0.eyJp.dBjf.5eym.XFBo"
    );
    // The spec's example has a space after `+`; HTTP authentication is not tokens.
    let spaced = incoming(
        "GET",
        "/cse-in",
        &[("X-M2M-RI", "r"), ("Authorization", "a.b.c+ d.e.f")],
        b"",
    );
    assert_eq!(receive(&spaced).unwrap().tkns.unwrap(), ["a.b.c", "d.e.f"]);
    let basic = incoming(
        "GET",
        "/cse-in",
        &[("X-M2M-RI", "r"), ("Authorization", "Basic dXNlcjpwdw==")],
        b"",
    );
    assert_eq!(receive(&basic).unwrap().tkns, None);
}

#[test]
fn ts_0009_6_4_24_authorization_signatures_are_x_m2m_as_joined_by_plus() {
    let mut req = RequestPrimitive::retrieve("cse-in", "CAE1", "r");
    req.aus = Some(vec!["i6watmQQ-VsWq5f==", "IWijxQ_gyTE=="].into());
    let http = round_trip(&req, BodyFormat::Json);
    assert_eq!(header(&http, "x-m2m-as"), "i6watmQQ-VsWq5f==+IWijxQ_gyTE==");
}

#[test]
fn ts_0009_6_5_the_body_is_the_content_in_the_content_type_serialization() {
    let req = RequestPrimitive::create("cse-in", "CAE1", "r1", ResourceType::CONTAINER, cnt());
    let json = round_trip(&req, BodyFormat::Json);
    assert_eq!(
        json.body().as_ref(),
        br#"{"m2m:cnt":{"rn":"data","mni":10}}"#
    );
    let xml = round_trip(&req, BodyFormat::Xml);
    assert!(
        std::str::from_utf8(xml.body())
            .unwrap()
            .contains(r#"<m2m:cnt xmlns:m2m="#)
    );
    let cbor = round_trip(&req, BodyFormat::Cbor);
    assert_eq!(cbor.body()[0], 0xa1, "a CBOR map of one member");
}

#[test]
fn ts_0009_6_4_2_accept_chooses_the_response_format() {
    let http = incoming(
        "GET",
        "/cse-in",
        &[
            ("X-M2M-RI", "r"),
            ("Accept", "application/vnd.onem2m-res+cbor"),
        ],
        b"",
    );
    let incoming_request = mapping().request_from_http(&http).unwrap();
    assert_eq!(incoming_request.response_format, BodyFormat::Cbor);
    let xml_body = incoming(
        "PUT",
        "/cse-in",
        &[("X-M2M-RI", "r"), ("Content-Type", "application/xml")],
        br#"<m2m:cnt rn="x"/>"#,
    );
    assert_eq!(
        mapping()
            .request_from_http(&xml_body)
            .unwrap()
            .response_format,
        BodyFormat::Xml
    );
    let refused = incoming(
        "GET",
        "/cse-in",
        &[("X-M2M-RI", "r"), ("Accept", "text/html")],
        b"",
    );
    assert_eq!(
        mapping()
            .request_from_http(&refused)
            .unwrap_err()
            .status_code(),
        ResponseStatusCode::NOT_ACCEPTABLE
    );
}

#[test]
fn bodies_a_receiver_cannot_read_are_4015_or_4000() {
    let cases: [(Headers<'_>, &[u8], ResponseStatusCode); 4] = [
        (&[], b"{}", ResponseStatusCode::UNSUPPORTED_MEDIA_TYPE),
        (
            &[("Content-Type", "text/plain")],
            b"hi",
            ResponseStatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            &[("Content-Type", "application/json")],
            b"{",
            ResponseStatusCode::BAD_REQUEST,
        ),
        (
            &[("Content-Type", "application/cbor")],
            b"\xa1",
            ResponseStatusCode::BAD_REQUEST,
        ),
    ];
    for (headers, body, status) in cases {
        let mut all = vec![("X-M2M-RI", "r")];
        all.extend_from_slice(headers);
        let http = incoming("PUT", "/cse-in", &all, body);
        assert_eq!(
            receive(&http).unwrap_err().status_code(),
            status,
            "{headers:?}"
        );
    }
}

#[test]
fn malformed_headers_and_queries_are_4000() {
    let cases: [(&str, &str, Headers<'_>); 8] = [
        ("GET", "/cse-in", &[]),
        (
            "GET",
            "/cse-in",
            &[("X-M2M-RI", "r"), ("X-M2M-EC", "often")],
        ),
        (
            "GET",
            "/cse-in",
            &[("X-M2M-RI", "r"), ("X-M2M-RET", "tomorrow")],
        ),
        (
            "GET",
            "/cse-in",
            &[("X-M2M-RI", "r"), ("X-M2M-OT", "20261301T000000")],
        ),
        ("GET", "/cse-in?rcn=1&rcn=2", &[("X-M2M-RI", "r")]),
        ("GET", "/cse-in?rcn=all", &[("X-M2M-RI", "r")]),
        ("GET", "/cse-in?lim=%FF", &[("X-M2M-RI", "r")]),
        ("GET", "/~", &[("X-M2M-RI", "r")]),
    ];
    for (method, uri, headers) in cases {
        let error = receive(&incoming(method, uri, headers, b"")).unwrap_err();
        assert_eq!(
            error.status_code(),
            ResponseStatusCode::BAD_REQUEST,
            "{uri} {headers:?}: {error}"
        );
    }
}

#[test]
fn a_method_without_an_operation_is_4005() {
    let http = incoming("PATCH", "/cse-in", &[("X-M2M-RI", "r")], b"");
    assert_eq!(
        receive(&http).unwrap_err().status_code(),
        ResponseStatusCode::OPERATION_NOT_ALLOWED
    );
}

#[test]
fn parameters_without_an_http_form_are_refused_when_sending() {
    let mut bad_header = RequestPrimitive::retrieve("cse-in", "CAE\n1", "r");
    bad_header.vsi = None;
    let mut bad_fc = RequestPrimitive::retrieve("cse-in", "CAE1", "r");
    bad_fc.fc = Some(map([("gq", map([("gmty", 1.into())]))]));
    let mut bad_rtu = RequestPrimitive::retrieve("cse-in", "CAE1", "r");
    bad_rtu.rt = Some(ResponseTypeInfo {
        rtv: ResponseType::NonBlockingRequestAsynch,
        nu: vec!["http://h/?a=1&b=2".into()],
    });
    let mut bad_tokens = RequestPrimitive::retrieve("cse-in", "CAE1", "r");
    bad_tokens.tkns = Some(vec!["a+b".into()]);
    for req in [bad_header, bad_fc, bad_rtu, bad_tokens] {
        assert!(
            matches!(
                mapping().request_to_http(&req, BodyFormat::Json),
                Err(Error::NotMappable { .. })
            ),
            "{req:?}"
        );
    }
}
