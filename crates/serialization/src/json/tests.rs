#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use onem2m_primitive::{
    Map, Operation, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode, Value,
};

use super::JsonSerializer;
use crate::error::Error;
use crate::limits::Limits;
use crate::map_format::samples;
use crate::serializer::Serializer;

fn json() -> JsonSerializer {
    JsonSerializer::new()
}

fn decode_request(text: &str) -> Result<RequestPrimitive, Error> {
    json().decode_request(text.as_bytes())
}

fn decode_response(text: &str) -> Result<ResponsePrimitive, Error> {
    json().decode_response(text.as_bytes())
}

fn assert_syntax(result: Result<impl std::fmt::Debug, Error>, needle: &str) {
    match result {
        Err(Error::Syntax { format, message }) => {
            assert_eq!(format, "json");
            assert!(message.contains(needle), "{message:?} lacks {needle:?}");
        }
        other => panic!("expected a JSON syntax error with {needle:?}, got {other:?}"),
    }
}

/// A request whose `pc` holds `levels` nested lists around an empty one.
fn nested_pc(levels: usize) -> String {
    format!(
        r#"{{"op":1,"to":"x","rqi":"r","pc":{}{}}}"#,
        "[".repeat(levels),
        "]".repeat(levels)
    )
}

#[test]
fn names_and_media_types() {
    let s = json();
    assert_eq!(s.name(), "json");
    assert_eq!(s.request_media_type(), "application/vnd.onem2m-preq+json");
    assert_eq!(s.response_media_type(), "application/vnd.onem2m-prsp+json");
    assert_eq!(
        JsonSerializer::with_limits(Limits::default()).limits(),
        &Limits::default()
    );
}

#[test]
fn ae_create_encodes_as_a_plain_object_with_numbers_and_strings() {
    let bytes = json().encode_request(&samples::ae_create()).unwrap();
    assert_eq!(
        std::str::from_utf8(&bytes).unwrap(),
        r#"{"op":1,"to":"cse-in","fr":"CrigJson","rqi":"848994-01","ty":2,"pc":{"m2m:ae":{"rn":"rigJsonAE","api":"Nrig.example.json","rr":true,"srv":["3"],"poa":["mqtt://127.0.0.1:18830"]}},"rvi":"3"}"#
    );
}

#[test]
fn ae_create_round_trips() {
    let req = samples::ae_create();
    let bytes = json().encode_request(&req).unwrap();
    assert_eq!(json().decode_request(&bytes).unwrap(), req);
}

#[test]
fn cin_create_round_trips_with_a_relative_expiry_as_a_number() {
    let req = samples::cin_create();
    let bytes = json().encode_request(&req).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    assert!(text.contains(r#""rqet":10000"#), "{text}");
    assert_eq!(json().decode_request(&bytes).unwrap(), req);
}

#[test]
fn notify_round_trips_every_kind_of_value() {
    let req = samples::notify();
    let bytes = json().encode_request(&req).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    assert!(text.contains(r#""op":5"#), "{text}");
    assert!(text.contains(r#""ot":"20261124T215237,752277""#), "{text}");
    assert!(
        text.contains(r#""rt":{"rtv":2,"nu":["mqtt://h/t"]}"#),
        "{text}"
    );
    assert!(
        text.contains(r#""con":"line 1\n\"quoted\" \\ tab\t é €""#),
        "{text}"
    );
    assert!(text.contains(r#""none":null"#), "{text}");
    assert_eq!(json().decode_request(&bytes).unwrap(), req);
}

#[test]
fn response_round_trips() {
    let rsp = samples::created_response();
    let bytes = json().encode_response(&rsp).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    assert!(
        text.starts_with(r#"{"rsc":2001,"rqi":"848994-01","pc":"#),
        "{text}"
    );
    assert_eq!(json().decode_response(&bytes).unwrap(), rsp);
}

#[test]
fn every_parameter_round_trips() {
    let req = samples::every_request_parameter();
    assert_eq!(
        json()
            .decode_request(&json().encode_request(&req).unwrap())
            .unwrap(),
        req
    );
    let rsp = samples::every_response_parameter();
    assert_eq!(
        json()
            .decode_response(&json().encode_response(&rsp).unwrap())
            .unwrap(),
        rsp
    );
}

#[test]
fn wrapped_request_and_response_are_unwrapped() {
    let req =
        decode_request(r#"{"m2m:rqp":{"op":2,"to":"cse-in","fr":"C1","rqi":"r1","rvi":"3"}}"#)
            .unwrap();
    assert_eq!(req, RequestPrimitive::retrieve("cse-in", "C1", "r1"));
    let rsp = decode_response(r#"{"m2m:rsp":{"rsc":2000,"rqi":"r1","rvi":"3"}}"#).unwrap();
    assert_eq!(rsp, ResponsePrimitive::new(ResponseStatusCode::OK, "r1"));
}

#[test]
fn wrapper_next_to_other_members_is_an_ignored_member() {
    let req = decode_request(r#"{"m2m:rqp":{"op":3},"op":2,"to":"cse-in","fr":"C1","rqi":"r1"}"#)
        .unwrap();
    assert_eq!(req.op, Operation::Retrieve);
}

#[test]
fn wrapper_holding_no_object_is_not_a_primitive() {
    assert!(matches!(
        decode_request(r#"{"m2m:rqp":"op=1"}"#),
        Err(Error::NotAPrimitive { .. })
    ));
}

#[test]
fn wrapped_content_may_be_as_deep_as_unwrapped_content() {
    let limits = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    let s = JsonSerializer::with_limits(limits);
    let deepest = r#"{"m2m:rqp":{"op":1,"to":"x","rqi":"r","pc":[[[]]]}}"#;
    assert!(s.decode_request(deepest.as_bytes()).is_ok());
    let deeper = r#"{"m2m:rqp":{"op":1,"to":"x","rqi":"r","pc":[[[[]]]]}}"#;
    assert_eq!(
        s.decode_request(deeper.as_bytes()),
        Err(Error::TooDeep { limit: 3 })
    );
}

#[test]
fn string_typed_operation_and_resource_type_are_accepted() {
    let req = decode_request(
        r#"{"op":"1","to":"cse-in","fr":"S","rqi":"1","ty":"2","pc":{"m2m:ae":{"api":"Nx","rr":false,"srv":["3"]}}}"#,
    )
    .unwrap();
    assert_eq!(req.op, Operation::Create);
    assert_eq!(req.ty, Some(ResourceType::AE));
}

#[test]
fn unknown_members_are_ignored_even_when_repeated() {
    let req = decode_request(r#"{"op":2,"to":"x","rqi":"r","drt2":1,"drt2":[1,2],"xyz":{"a":1}}"#)
        .unwrap();
    assert_eq!(req.to, "x");
}

#[test]
fn repeated_parameter_is_refused() {
    assert_syntax(
        decode_request(r#"{"op":2,"to":"x","rqi":"r","to":"y"}"#),
        r#"duplicate key "to""#,
    );
}

#[test]
fn repeated_key_in_content_is_refused() {
    assert_syntax(
        decode_request(
            r#"{"op":1,"to":"x","rqi":"r","ty":4,"pc":{"m2m:cin":{"con":"a","con":"b"}}}"#,
        ),
        r#"duplicate key "con""#,
    );
}

#[test]
fn repeated_key_in_a_large_map_is_refused() {
    let members: Vec<String> = (0..40).map(|i| format!(r#""k{i}":{i}"#)).collect();
    let text = format!(
        r#"{{"op":1,"to":"x","rqi":"r","pc":{{{},"k7":0}}}}"#,
        members.join(",")
    );
    assert_syntax(decode_request(&text), r#"duplicate key "k7""#);
}

#[test]
fn hundred_thousand_brackets_at_the_top_are_not_a_primitive() {
    let text = "[".repeat(100_000);
    assert!(matches!(
        decode_request(&text),
        Err(Error::NotAPrimitive {
            expected: "request primitive",
            ..
        })
    ));
}

#[test]
fn hundred_thousand_brackets_in_content_are_too_deep() {
    let text = format!(
        r#"{{"op":1,"to":"x","rqi":"r","pc":{}"#,
        "[".repeat(100_000)
    );
    assert_eq!(decode_request(&text), Err(Error::TooDeep { limit: 64 }));
}

#[test]
fn nesting_up_to_the_limit_is_accepted_and_one_more_is_refused() {
    let limits = Limits::default();
    let req = decode_request(&nested_pc(limits.max_depth)).unwrap();
    assert_eq!(req.pc.unwrap().depth(), limits.max_depth);
    assert_eq!(
        decode_request(&nested_pc(limits.max_depth + 1)),
        Err(Error::TooDeep {
            limit: limits.max_depth
        })
    );
}

#[test]
fn nesting_is_capped_at_126_levels_whatever_the_limit() {
    let s = JsonSerializer::with_limits(Limits {
        max_depth: 100_000,
        ..Limits::default()
    });
    assert!(s.decode_request(nested_pc(126).as_bytes()).is_ok());
    assert_eq!(
        s.decode_request(nested_pc(127).as_bytes()),
        Err(Error::TooDeep { limit: 126 })
    );
    let mut deep = Value::Null;
    for _ in 0..127 {
        deep = Value::List(vec![deep]);
    }
    let req = RequestPrimitive::update("x", "C", "r", deep);
    assert_eq!(s.encode_request(&req), Err(Error::TooDeep { limit: 126 }));
}

#[test]
fn too_many_items_are_refused() {
    let s = JsonSerializer::with_limits(Limits {
        max_items: 3,
        ..Limits::default()
    });
    let list = r#"{"op":1,"to":"x","rqi":"r","pc":[1,2,3,4]}"#;
    assert!(matches!(
        s.decode_request(list.as_bytes()),
        Err(Error::TooLarge {
            what: "list",
            size: 4,
            limit: 3
        })
    ));
    let map = r#"{"op":1,"to":"x","rqi":"r","pc":{"a":1,"b":2,"c":3,"d":4}}"#;
    assert!(matches!(
        s.decode_request(map.as_bytes()),
        Err(Error::TooLarge {
            what: "map",
            size: 4,
            limit: 3
        })
    ));
    let top = r#"{"op":1,"to":"x","rqi":"r","rvi":"3"}"#;
    assert!(matches!(
        s.decode_request(top.as_bytes()),
        Err(Error::TooLarge {
            what: "map",
            size: 4,
            limit: 3
        })
    ));
}

#[test]
fn document_larger_than_the_limit_is_refused_before_parsing() {
    let s = JsonSerializer::with_limits(Limits {
        max_document: 10,
        ..Limits::default()
    });
    // Not even JSON: the size is checked first.
    assert_eq!(
        s.decode_request(&[b'x'; 11]),
        Err(Error::TooLarge {
            what: "document",
            size: 11,
            limit: 10
        })
    );
}

#[test]
fn truncated_document_is_a_syntax_error() {
    assert_syntax(
        decode_request(r#"{"op": 2, "to": "cse-in", "fr": "CrigJson", "rqi": "broken-json""#),
        "EOF",
    );
    assert_syntax(decode_request(""), "EOF");
}

#[test]
fn bytes_after_the_object_are_a_syntax_error() {
    assert_syntax(
        decode_request(r#"{"op":2,"to":"x","rqi":"r"} {}"#),
        "trailing characters",
    );
    // Whitespace after the object is fine.
    assert!(decode_request("{\"op\":2,\"to\":\"x\",\"rqi\":\"r\"}\r\n").is_ok());
}

#[test]
fn invalid_utf8_is_a_syntax_error() {
    let mut bytes = br#"{"op":2,"to":"x","rqi":"r","fr":"#.to_vec();
    bytes.extend_from_slice(b"\"\xff\xfe\"}");
    assert_syntax(json().decode_request(&bytes), "unicode");
}

#[test]
fn top_level_that_is_not_an_object_is_not_a_primitive() {
    for text in ["[]", "\"op\"", "1", "true", "null"] {
        match decode_response(text) {
            Err(Error::NotAPrimitive { expected, found }) => {
                assert_eq!(expected, "response primitive");
                assert!(found.starts_with("a JSON "), "{found}");
            }
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn integer_beyond_i64_is_refused_clearly() {
    assert_syntax(
        decode_request(r#"{"op":1,"to":"x","rqi":"r","pc":{"n":9223372036854775808}}"#),
        "integer 9223372036854775808 is beyond the signed 64-bit range",
    );
    let min =
        decode_request(r#"{"op":1,"to":"x","rqi":"r","pc":{"n":-9223372036854775808}}"#).unwrap();
    assert_eq!(
        min.pc.unwrap().as_map().unwrap().get("n"),
        Some(&Value::Int(i64::MIN))
    );
}

#[test]
fn wrong_parameter_type_keeps_its_typed_error() {
    assert!(matches!(
        decode_request(r#"{"op":[1],"to":"x","rqi":"r"}"#),
        Err(Error::WrongType { .. })
    ));
    assert_eq!(
        decode_request(r#"{"to":"x","rqi":"r"}"#),
        Err(Error::MissingParameter("op"))
    );
}

#[test]
fn non_finite_float_is_unencodable() {
    for x in [f64::NAN, f64::INFINITY] {
        let mut pc = Map::new();
        pc.insert("x", x);
        let req = RequestPrimitive::update("x", "C", "r", Value::Map(pc));
        assert!(matches!(
            json().encode_request(&req),
            Err(Error::Unencodable(_))
        ));
    }
}

#[test]
fn content_deeper_than_the_limit_is_not_encoded() {
    let mut pc = Value::Null;
    for _ in 0..65 {
        pc = Value::List(vec![pc]);
    }
    let req = RequestPrimitive::update("x", "C", "r", pc);
    assert_eq!(
        json().encode_request(&req),
        Err(Error::TooDeep { limit: 64 })
    );
}

/// The payload lines of `file` that follow a header starting with one of `headers`.
fn payloads_after(file: &str, headers: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    let mut wanted = false;
    let mut lines = file.lines();
    while let Some(line) = lines.next() {
        if line.starts_with(">>>") || line.starts_with("<<<") || line.starts_with("===") {
            wanted = headers.iter().any(|h| line.starts_with(h));
        } else if line == "payload:" && wanted {
            found.push(lines.next().expect("a payload line").to_owned());
            wanted = false;
        }
    }
    found
}

#[test]
fn every_acme_capture_decodes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/peer-captures/acme");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 20,
        "only {} captures in {}",
        files.len(),
        dir.display()
    );
    let (mut requests, mut responses) = (0, 0);
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy();
        let file = std::fs::read_to_string(path).unwrap();
        for payload in payloads_after(&file, &["<<< RESPONSE", "=== AE RESPONSE"]) {
            if let Err(e) = decode_response(&payload) {
                panic!("{name}: response {payload}: {e}");
            }
            responses += 1;
        }
        for payload in payloads_after(&file, &[">>> REQUEST", "=== ACME-INITIATED REQUEST"]) {
            let decoded = decode_request(&payload);
            if name.starts_with("22-") {
                assert_syntax(decoded, "EOF");
            } else if let Err(e) = decoded {
                panic!("{name}: request {payload}: {e}");
            }
            requests += 1;
        }
    }
    assert_eq!((requests, responses), (23, 22));
}

#[test]
fn acme_notification_keeps_its_content_and_ignores_drt_in_responses() {
    let notification = r#"{"fr": "/id-in", "to": "CrigJson", "ot": "20261124T215237,752277", "op": 5, "rqi": "xQfDP0ZYxR", "rvi": "3", "drt": 1, "pc": {"m2m:sgn": {"nev": {"net": 3, "rep": {"m2m:cin": {"con": "21.5"}}}, "sur": "/id-in/subNPhwcTdRiL"}}}"#;
    let req = decode_request(notification).unwrap();
    assert_eq!(req.op, Operation::Notify);
    let sgn = req
        .pc
        .as_ref()
        .unwrap()
        .as_map()
        .unwrap()
        .get("m2m:sgn")
        .unwrap();
    assert_eq!(
        sgn.as_map().unwrap().get("sur").unwrap().as_str(),
        Some("/id-in/subNPhwcTdRiL")
    );
    let malformed = r#"{"fr": "/id-in", "to": "/id-in", "rsc": 4000, "drt": 1, "pc": {"m2m:dbg": "Malformed"}}"#;
    let rsp = decode_response(malformed).unwrap();
    assert_eq!(rsp.rsc, ResponseStatusCode::BAD_REQUEST);
    assert_eq!(rsp.rqi, None);
    assert_eq!(rsp.debug_message(), Some("Malformed"));
}

#[test]
fn a_float_survives_decoding_its_own_encoding() {
    // Found by the json_decode fuzz target: without serde_json's exact float parsing,
    // 78 digits read as one double and its shortest form read back as the next one.
    let text = format!(
        r#"{{"rsc":2000,"rqi":"f","pc":{{"ty":2{}}}}}"#,
        "5".repeat(77)
    );
    let first = decode_response(&text).unwrap();
    let again =
        decode_response(std::str::from_utf8(&json().encode_response(&first).unwrap()).unwrap())
            .unwrap();
    assert_eq!(again, first);
}
