//! Any HTTP message a peer can send maps to a primitive or to a typed error whose status
//! is a oneM2M error code; nothing panics.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bytes::Bytes;
use http::header::HeaderValue;
use http::{Request, Response};
use onem2m_http_binding::HttpMapping;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

fn header_name() -> impl Strategy<Value = &'static str> {
    select(vec![
        "X-M2M-Origin",
        "X-M2M-RI",
        "X-M2M-RVI",
        "X-M2M-GID",
        "X-M2M-RTU",
        "X-M2M-OT",
        "X-M2M-RST",
        "X-M2M-RET",
        "X-M2M-OET",
        "X-M2M-EC",
        "X-M2M-VSI",
        "X-M2M-AS",
        "X-M2M-RSC",
        "X-M2M-CTS",
        "X-M2M-CTO",
        "X-M2M-ATI",
        "X-M2M-ASRI",
        "Authorization",
        "Content-Type",
        "Accept",
    ])
}

/// Header values: plausible text, or any bytes a header may hold (obs-text included).
fn header_value() -> impl Strategy<Value = HeaderValue> {
    prop_oneof![
        "[ -~]{0,24}".prop_map(|text| HeaderValue::from_str(&text).unwrap()),
        select(vec![
            "application/json; ty=2",
            "application/xml",
            "application/cbor; ty=x",
            "application/vnd.onem2m-res+json;ty=99999999999",
            "2000",
            "-1",
            "a:b+c",
            "Bearer x",
        ])
        .prop_map(HeaderValue::from_static),
        vec(
            any::<u8>().prop_filter("what a header may hold", |b| *b == b'\t'
                || (*b >= 0x20 && *b != 0x7f)),
            0..16
        )
        .prop_map(|bytes| HeaderValue::from_bytes(&bytes).unwrap()),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(&'static str, HeaderValue)>> {
    vec((header_name(), header_value()), 0..8)
}

/// Paths and queries: percent signs, pluses, separators, unusual prefixes.
fn uri() -> impl Strategy<Value = String> {
    (
        "/[~_]?[A-Za-z0-9/%+._~-]{0,16}",
        "[A-Za-z0-9=&+%.#_~-]{0,32}",
    )
        .prop_map(|(path, query)| format!("{path}?{query}"))
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..64),
        select(vec![
            &br#"{"m2m:ae":{"rn":"x"}}"#[..],
            br#"<m2m:ae rn="x"><api>N</api></m2m:ae>"#,
            b"\xa1\x66m2m:ae\xa0",
            b"{\"m2m:atrl\":[\"a\"]}",
        ])
        .prop_map(<[u8]>::to_vec),
    ]
}

proptest! {
    #[test]
    fn any_request_maps_or_fails_with_a_status(
        method in select(vec!["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]),
        uri in uri(),
        headers in headers(),
        body in body(),
    ) {
        let mut request = Request::builder().method(method);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let Ok(request) = request.uri(uri).body(Bytes::from(body)) else {
            // The `http` crate refuses the URI: no server would hand it over.
            return Ok(());
        };
        if let Err(error) = HttpMapping::new().request_from_http(&request) {
            prop_assert!(error.status_code().is_error(), "{error}");
        }
    }

    #[test]
    fn any_response_maps_or_fails_with_a_status(
        status in 100u16..600,
        headers in headers(),
        body in body(),
    ) {
        let mut response = Response::builder().status(status);
        for (name, value) in headers {
            response = response.header(name, value);
        }
        let response = response.body(Bytes::from(body)).unwrap();
        if let Err(error) = HttpMapping::new().response_from_http(&response) {
            prop_assert!(error.status_code().is_error(), "{error}");
        }
    }
}
