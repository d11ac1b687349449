//! Content alone (`Serializer::encode_content` / `decode_content`): the body of a TS-0009
//! HTTP message. Every fixture's `pc` round trips in every format; the XML document
//! element declares the namespace; bad input is a typed error; a serializer that does
//! not implement content says so with 4015.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use bytes::Bytes;
use onem2m_primitive::{
    Map, RequestPrimitive, ResponsePrimitive, ResponseStatusCode, Value, debug_info,
};
use onem2m_serialization::{
    CborSerializer, Error, JsonSerializer, Limits, Serializer, XmlSerializer,
};

fn formats() -> [Box<dyn Serializer>; 3] {
    [
        Box::new(JsonSerializer::new()),
        Box::new(XmlSerializer::new()),
        Box::new(CborSerializer::new()),
    ]
}

fn map<const N: usize>(members: [(&str, Value); N]) -> Value {
    Value::Map(members.into_iter().collect::<Map>())
}

/// The `pc` of every JSON fixture in `tests/fixtures/` (the other formats' fixtures hold
/// the same primitives, as the fixtures test checks).
fn fixture_contents() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let json = JsonSerializer::new();
    let mut contents = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".json") else {
            continue;
        };
        let bytes = std::fs::read(&path).unwrap();
        let pc = if stem.starts_with("request_") {
            json.decode_request(&bytes).unwrap().pc
        } else {
            json.decode_response(&bytes).unwrap().pc
        };
        if let Some(pc) = pc {
            contents.push((stem.to_owned(), pc));
        }
    }
    assert!(
        contents.len() >= 8,
        "fixtures not found in {}",
        dir.display()
    );
    contents
}

#[test]
fn every_fixture_content_round_trips_in_every_format() {
    for (fixture, pc) in fixture_contents() {
        for format in formats() {
            let bytes = format
                .encode_content(&pc)
                .unwrap_or_else(|e| panic!("{fixture} in {}: {e}", format.name()));
            let back = format.decode_content(&bytes).unwrap_or_else(|e| {
                panic!(
                    "{fixture} in {}: {e}: {}",
                    format.name(),
                    String::from_utf8_lossy(&bytes)
                )
            });
            assert_eq!(back, pc, "{fixture} in {}", format.name());
        }
    }
}

#[test]
fn content_is_what_the_primitive_carries_as_pc() {
    let ae = map([
        ("rn", "myAE".into()),
        ("api", "Nx".into()),
        ("rr", true.into()),
    ]);
    let pc = map([("m2m:ae", ae)]);
    let json = JsonSerializer::new().encode_content(&pc).unwrap();
    assert_eq!(
        std::str::from_utf8(&json).unwrap(),
        r#"{"m2m:ae":{"rn":"myAE","api":"Nx","rr":true}}"#
    );
    let xml = XmlSerializer::new().encode_content(&pc).unwrap();
    assert_eq!(
        std::str::from_utf8(&xml).unwrap(),
        r#"<?xml version="1.0" encoding="UTF-8"?><m2m:ae xmlns:m2m="http://www.onem2m.org/xml/protocols" rn="myAE"><api>Nx</api><rr>true</rr></m2m:ae>"#
    );
    // CBOR content is the same map the primitive's `pc` holds, byte for byte.
    let cbor = CborSerializer::new();
    let mut req = RequestPrimitive::update("cse-in/myAE", "CAE1", "r1", pc.clone());
    req.rvi = None;
    let whole = cbor.encode_request(&req).unwrap();
    let alone = cbor.encode_content(&pc).unwrap();
    assert!(
        whole.windows(alone.len()).any(|w| w == &alone[..]),
        "CBOR content differs from the pc inside the primitive"
    );
}

#[test]
fn xml_content_is_read_without_declaration_or_with_another_prefix() {
    let xml = XmlSerializer::new();
    let expected = map([("m2m:cnt", map([("rn", "data".into()), ("mni", 5.into())]))]);
    for body in [
        r#"<m2m:cnt xmlns:m2m="http://www.onem2m.org/xml/protocols" rn="data"><mni>5</mni></m2m:cnt>"#,
        r#"<m2m:cnt rn="data"><mni>5</mni></m2m:cnt>"#,
        "<?xml version=\"1.0\"?>\n<x:cnt xmlns:x=\"http://www.onem2m.org/xml/protocols\" rn=\"data\">\n  <mni>5</mni>\n</x:cnt>\n",
    ] {
        assert_eq!(
            xml.decode_content(body.as_bytes()).unwrap(),
            expected,
            "{body}"
        );
    }
}

#[test]
fn debug_info_and_uri_lists_are_content_too() {
    let uril = map([("m2m:uril", vec!["/id-in/a", "/id-in/b"].into())]);
    for pc in [debug_info("no such resource"), uril] {
        for format in formats() {
            let bytes = format.encode_content(&pc).unwrap();
            assert_eq!(
                format.decode_content(&bytes).unwrap(),
                pc,
                "{}",
                format.name()
            );
        }
    }
}

#[test]
fn content_xml_cannot_hold_is_refused_when_encoding() {
    let xml = XmlSerializer::new();
    let two_roots = map([("m2m:ae", map([])), ("m2m:cnt", map([]))]);
    let repeated = map([("m2m:cin", Value::List(vec![map([]), map([])]))]);
    for pc in [Value::Text("x".into()), map([]), two_roots, repeated] {
        assert!(
            matches!(xml.encode_content(&pc), Err(Error::Unencodable(_))),
            "{pc:?}"
        );
    }
}

#[test]
fn malformed_content_is_a_syntax_error_in_every_format() {
    let cases: [(&dyn Serializer, &[u8]); 9] = [
        (&JsonSerializer::new(), b"{\"m2m:ae\":"),
        (&JsonSerializer::new(), b"{\"m2m:ae\":{}} trailing"),
        (&JsonSerializer::new(), b"{\"a\":1,\"a\":2}"),
        (&XmlSerializer::new(), b"<m2m:ae><rn>x</rn>"),
        (&XmlSerializer::new(), b"<m2m:ae/><m2m:cnt/>"),
        (&XmlSerializer::new(), b""),
        (&CborSerializer::new(), &[0xa1, 0x61]),
        (&CborSerializer::new(), &[0xa0, 0x00]),
        (&CborSerializer::new(), b""),
    ];
    for (format, bytes) in cases {
        let error = format.decode_content(bytes).unwrap_err();
        assert!(
            matches!(error, Error::Syntax { .. }),
            "{} {bytes:?}: {error:?}",
            format.name()
        );
        assert_eq!(error.status_code(), ResponseStatusCode::BAD_REQUEST);
    }
}

#[test]
fn xml_content_refuses_a_doctype_and_a_foreign_namespace() {
    let xml = XmlSerializer::new();
    let doctype = b"<!DOCTYPE x [<!ENTITY a \"b\">]><m2m:ae/>";
    assert!(matches!(
        xml.decode_content(doctype),
        Err(Error::ForbiddenXml(_))
    ));
    let foreign = br#"<m2m:ae xmlns:m2m="urn:other"/>"#;
    assert!(matches!(
        xml.decode_content(foreign),
        Err(Error::NotAPrimitive { .. })
    ));
}

#[test]
fn content_limits_are_those_of_a_primitive() {
    let limits = Limits {
        max_document: 64,
        max_depth: 3,
        max_items: 4,
    };
    let deep = map([("m2m:x", map([("a", map([("b", map([]))]))]))]);
    let wide = map([(
        "m2m:x",
        Value::Map((0..5).map(|i| (format!("k{i}"), Value::Int(i))).collect()),
    )]);
    let formats: [Box<dyn Serializer>; 3] = [
        Box::new(JsonSerializer::with_limits(limits)),
        Box::new(XmlSerializer::with_limits(limits)),
        Box::new(CborSerializer::with_limits(limits)),
    ];
    for format in formats {
        assert!(
            matches!(format.encode_content(&deep), Err(Error::TooDeep { .. })),
            "{}",
            format.name()
        );
        let wide = formats_default(format.name())
            .encode_content(&wide)
            .unwrap();
        assert!(
            matches!(format.decode_content(&wide), Err(Error::TooLarge { .. })),
            "{}",
            format.name()
        );
        let big = vec![b' '; 65];
        assert!(
            matches!(
                format.decode_content(&big),
                Err(Error::TooLarge {
                    what: "document",
                    ..
                })
            ),
            "{}",
            format.name()
        );
    }
}

fn formats_default(name: &str) -> Box<dyn Serializer> {
    formats()
        .into_iter()
        .find(|format| format.name() == name)
        .unwrap()
}

/// A serializer written before content existed: it implements the required methods only.
struct WholePrimitivesOnly;

impl Serializer for WholePrimitivesOnly {
    fn name(&self) -> &'static str {
        "whole"
    }
    fn request_media_type(&self) -> &'static str {
        "application/x-whole"
    }
    fn response_media_type(&self) -> &'static str {
        "application/x-whole"
    }
    fn encode_request(&self, _: &RequestPrimitive) -> Result<Bytes, Error> {
        Ok(Bytes::new())
    }
    fn decode_request(&self, _: &[u8]) -> Result<RequestPrimitive, Error> {
        Err(Error::MissingParameter("op"))
    }
    fn encode_response(&self, _: &ResponsePrimitive) -> Result<Bytes, Error> {
        Ok(Bytes::new())
    }
    fn decode_response(&self, _: &[u8]) -> Result<ResponsePrimitive, Error> {
        Err(Error::MissingParameter("rsc"))
    }
}

#[test]
fn a_serializer_without_content_support_refuses_with_4015() {
    let whole = WholePrimitivesOnly;
    let error = whole.encode_content(&Value::Null).unwrap_err();
    assert_eq!(
        error,
        Error::ContentNotSupported {
            serializer: "whole"
        }
    );
    assert_eq!(
        error.status_code(),
        ResponseStatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    assert!(matches!(
        whole.decode_content(b"{}"),
        Err(Error::ContentNotSupported { .. })
    ));
}
