#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::convert::Infallible;

use minicbor::Encoder;
use onem2m_primitive::{
    Map, Operation, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode, Value,
};

use super::CborSerializer;
use crate::error::Error;
use crate::limits::Limits;
use crate::map_format::samples;
use crate::serializer::Serializer;

type Written = Result<(), minicbor::encode::Error<Infallible>>;

fn cbor() -> CborSerializer {
    CborSerializer::new()
}

/// CBOR bytes written by hand with minicbor's encoder.
fn build(write: impl FnOnce(&mut Encoder<Vec<u8>>) -> Written) -> Vec<u8> {
    let mut enc = Encoder::new(Vec::new());
    write(&mut enc).unwrap();
    enc.into_writer()
}

/// The mandatory members of a retrieve request, after a map header for `extra` more.
fn retrieve_with(enc: &mut Encoder<Vec<u8>>, extra: u64) -> Written {
    enc.map(4 + extra)?;
    enc.str("op")?.u8(2)?;
    enc.str("to")?.str("cse-in")?;
    enc.str("fr")?.str("C1")?;
    enc.str("rqi")?.str("r1")?;
    Ok(())
}

fn bare_retrieve() -> RequestPrimitive {
    RequestPrimitive {
        rvi: None,
        ..RequestPrimitive::retrieve("cse-in", "C1", "r1")
    }
}

/// A request whose `pc` is `content`, written after the mandatory members.
fn request_with_pc(content: &[u8]) -> Vec<u8> {
    let mut bytes = build(|enc| {
        retrieve_with(enc, 1)?;
        enc.str("pc")?;
        Ok(())
    });
    bytes.extend_from_slice(content);
    bytes
}

fn pc_of(bytes: &[u8]) -> Value {
    cbor().decode_request(bytes).unwrap().pc.unwrap()
}

fn assert_syntax(result: Result<impl std::fmt::Debug, Error>, needle: &str) {
    match result {
        Err(Error::Syntax { format, message }) => {
            assert_eq!(format, "cbor");
            assert!(message.contains(needle), "{message:?} lacks {needle:?}");
        }
        other => panic!("expected a CBOR syntax error with {needle:?}, got {other:?}"),
    }
}

#[test]
fn names_and_media_types() {
    let s = cbor();
    assert_eq!(s.name(), "cbor");
    assert_eq!(s.request_media_type(), "application/vnd.onem2m-preq+cbor");
    assert_eq!(s.response_media_type(), "application/vnd.onem2m-prsp+cbor");
    assert_eq!(
        CborSerializer::with_limits(Limits::default()).limits(),
        &Limits::default()
    );
}

#[test]
fn ae_create_encodes_as_a_definite_map_with_text_keys() {
    let expected = build(|enc| {
        enc.map(7)?;
        enc.str("op")?.u8(1)?;
        enc.str("to")?.str("cse-in")?;
        enc.str("fr")?.str("CrigJson")?;
        enc.str("rqi")?.str("848994-01")?;
        enc.str("ty")?.u8(2)?;
        enc.str("pc")?.map(1)?.str("m2m:ae")?.map(5)?;
        enc.str("rn")?.str("rigJsonAE")?;
        enc.str("api")?.str("Nrig.example.json")?;
        enc.str("rr")?.bool(true)?;
        enc.str("srv")?.array(1)?.str("3")?;
        enc.str("poa")?.array(1)?.str("mqtt://127.0.0.1:18830")?;
        enc.str("rvi")?.str("3")?;
        Ok(())
    });
    assert_eq!(
        cbor().encode_request(&samples::ae_create()).unwrap(),
        expected
    );
}

#[test]
fn ae_create_round_trips() {
    let req = samples::ae_create();
    let bytes = cbor().encode_request(&req).unwrap();
    assert_eq!(cbor().decode_request(&bytes).unwrap(), req);
}

#[test]
fn cin_create_round_trips() {
    let req = samples::cin_create();
    let bytes = cbor().encode_request(&req).unwrap();
    assert_eq!(cbor().decode_request(&bytes).unwrap(), req);
}

#[test]
fn notify_round_trips_every_kind_of_value() {
    let req = samples::notify();
    let bytes = cbor().encode_request(&req).unwrap();
    assert_eq!(cbor().decode_request(&bytes).unwrap(), req);
}

#[test]
fn response_round_trips() {
    let rsp = samples::created_response();
    let bytes = cbor().encode_response(&rsp).unwrap();
    assert_eq!(cbor().decode_response(&bytes).unwrap(), rsp);
}

#[test]
fn every_parameter_round_trips_with_a_two_byte_map_header() {
    let req = samples::every_request_parameter();
    let bytes = cbor().encode_request(&req).unwrap();
    // 30 parameters: more than fit in the initial byte.
    assert_eq!(bytes[..2], [0xb8, 30]);
    assert_eq!(cbor().decode_request(&bytes).unwrap(), req);
    let rsp = samples::every_response_parameter();
    assert_eq!(
        cbor()
            .decode_response(&cbor().encode_response(&rsp).unwrap())
            .unwrap(),
        rsp
    );
}

#[test]
fn floats_take_single_precision_only_when_exact() {
    let mut pc = Map::new();
    pc.insert("exact", 2.5);
    pc.insert("inexact", 0.1);
    let req = RequestPrimitive::update("x", "C", "r", Value::Map(pc.clone()));
    let bytes = cbor().encode_request(&req).unwrap();
    let exact = build(|enc| enc.str("exact")?.f32(2.5).map(|_| ()));
    let inexact = build(|enc| enc.str("inexact")?.f64(0.1).map(|_| ()));
    assert!(bytes.windows(exact.len()).any(|w| w == exact));
    assert!(bytes.windows(inexact.len()).any(|w| w == inexact));
    assert_eq!(pc_of(&bytes), Value::Map(pc));
}

#[test]
fn byte_string_keys_are_read_as_text() {
    // TS-0004 8.5.2 writes keys as byte strings: 0x42 0x70 0x63 is "pc".
    let bytes = [
        &[0xa5, 0x42, b'o', b'p', 0x02][..],
        &[0x42, b't', b'o', 0x46],
        b"cse-in",
        &[0x42, b'f', b'r', 0x42, b'C', b'1'],
        &[0x43, b'r', b'q', b'i', 0x42, b'r', b'1'],
        &[0x42, b'p', b'c', 0xa1, 0x41, b'a', 0x41, b'b'],
    ]
    .concat();
    let req = cbor().decode_request(&bytes).unwrap();
    let mut pc = Map::new();
    pc.insert("a", "b");
    assert_eq!(
        req,
        RequestPrimitive {
            pc: Some(Value::Map(pc)),
            ..bare_retrieve()
        }
    );
}

#[test]
fn byte_string_that_is_not_utf8_is_refused() {
    assert_syntax(
        cbor().decode_request(&request_with_pc(&[0x42, 0xff, 0xfe])),
        "a string value at byte",
    );
    let mut key = build(|enc| retrieve_with(enc, 1));
    key.extend_from_slice(&[0x41, 0xff, 0x01]);
    assert_syntax(cbor().decode_request(&key), "a map key at byte");
}

#[test]
fn indefinite_lengths_are_accepted() {
    let bytes = build(|enc| {
        enc.begin_map()?;
        enc.str("op")?.u8(2)?;
        enc.begin_str()?.str("t")?.str("o")?.end()?;
        enc.str("cse-in")?;
        enc.str("fr")?
            .begin_bytes()?
            .bytes(b"C")?
            .bytes(b"1")?
            .end()?;
        enc.str("rqi")?.str("r1")?;
        enc.str("pc")?.begin_array()?;
        enc.begin_map()?.str("k")?.begin_str()?.end()?.end()?;
        enc.u8(7)?;
        enc.end()?;
        enc.end()?;
        Ok(())
    });
    let req = cbor().decode_request(&bytes).unwrap();
    let mut inner = Map::new();
    inner.insert("k", "");
    assert_eq!(
        req,
        RequestPrimitive {
            pc: Some(Value::List(vec![Value::Map(inner), Value::Int(7)])),
            ..bare_retrieve()
        }
    );
}

#[test]
fn tags_are_skipped_except_bignums_and_decimals() {
    let mut bytes = build(|enc| {
        enc.tag(minicbor::data::Tag::new(55_799))?;
        retrieve_with(enc, 1)?;
        enc.str("pc")?
            .tag(minicbor::data::Tag::new(0))?
            .str("2026-11-24T21:52:37Z")?;
        Ok(())
    });
    assert_eq!(pc_of(&bytes), Value::from("2026-11-24T21:52:37Z"));
    bytes = request_with_pc(&[0xc2, 0x41, 0x01]);
    assert_syntax(cbor().decode_request(&bytes), "bignum (tag 2)");
    bytes = request_with_pc(&[0xc4, 0x82, 0x21, 0x19, 0x6a, 0xb3]);
    assert_syntax(
        cbor().decode_request(&bytes),
        "decimal fraction or bigfloat (tag 4)",
    );
}

#[test]
fn half_floats_and_undefined_are_read() {
    assert_eq!(
        pc_of(&request_with_pc(&[0xf9, 0x3e, 0x00])),
        Value::Float(1.5)
    );
    assert_eq!(
        pc_of(&request_with_pc(&[0xf9, 0x00, 0x01])),
        Value::Float(2f64.powi(-24))
    );
    assert_eq!(
        pc_of(&request_with_pc(&[0xf9, 0xfc, 0x00])),
        Value::Float(f64::NEG_INFINITY)
    );
    assert_eq!(pc_of(&request_with_pc(&[0xf7])), Value::Null);
}

#[test]
fn hex_text_from_mobius_is_decoded() {
    let req = samples::ae_create();
    let bytes = cbor().encode_request(&req).unwrap();
    let lower: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(cbor().decode_request(lower.as_bytes()).unwrap(), req);
    let upper = lower.to_ascii_uppercase();
    assert_eq!(cbor().decode_request(upper.as_bytes()).unwrap(), req);
    // Odd length or a non-hex character: not hex text, and not a map either.
    assert!(matches!(
        cbor().decode_request(&upper.as_bytes()[1..]),
        Err(Error::NotAPrimitive { .. })
    ));
}

#[test]
fn wrapped_request_is_unwrapped() {
    let mut bytes = build(|enc| {
        enc.map(1)?.str("m2m:rqp")?;
        Ok(())
    });
    bytes.extend_from_slice(&build(|enc| retrieve_with(enc, 0)));
    assert_eq!(cbor().decode_request(&bytes).unwrap(), bare_retrieve());
    let rsp = build(|enc| {
        enc.map(1)?.str("m2m:rsp")?.map(2)?;
        enc.str("rsc")?.u16(2000)?.str("rqi")?.str("r1")?;
        Ok(())
    });
    let expected = ResponsePrimitive {
        rvi: None,
        ..ResponsePrimitive::new(ResponseStatusCode::OK, "r1")
    };
    assert_eq!(cbor().decode_response(&rsp).unwrap(), expected);
}

#[test]
fn string_typed_operation_and_resource_type_are_accepted() {
    let bytes = build(|enc| {
        enc.map(4)?;
        enc.str("op")?.str("1")?;
        enc.str("to")?.str("cse-in")?;
        enc.str("rqi")?.str("r1")?;
        enc.str("ty")?.str("2")?;
        Ok(())
    });
    let req = cbor().decode_request(&bytes).unwrap();
    assert_eq!(req.op, Operation::Create);
    assert_eq!(req.ty, Some(ResourceType::AE));
}

#[test]
fn huge_declared_lengths_are_refused_before_allocating() {
    // An array, a map and the top-level map claiming 2^32 - 1 entries, 2^64 - 1 entries.
    let array = request_with_pc(&[0x9a, 0xff, 0xff, 0xff, 0xff, 0x01]);
    let map = request_with_pc(&[0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    let top = [0xba, 0xff, 0xff, 0xff, 0xff, 0x62, b'o', b'p', 0x01];
    assert!(matches!(
        cbor().decode_request(&array),
        Err(Error::TooLarge {
            what: "list",
            size: 4_294_967_295,
            ..
        })
    ));
    assert!(matches!(
        cbor().decode_request(&map),
        Err(Error::TooLarge { what: "map", .. })
    ));
    assert!(matches!(
        cbor().decode_request(&top),
        Err(Error::TooLarge { what: "map", .. })
    ));
    // Without an item limit, the bytes left still bound the allocation.
    let unlimited = CborSerializer::with_limits(Limits {
        max_items: usize::MAX,
        ..Limits::default()
    });
    for bytes in [&array[..], &map[..], &top[..]] {
        assert_syntax(unlimited.decode_request(bytes), "truncated");
    }
}

#[test]
fn too_many_items_are_refused() {
    let s = CborSerializer::with_limits(Limits {
        max_items: 3,
        ..Limits::default()
    });
    let list = build(|enc| {
        enc.map(4)?
            .str("op")?
            .u8(2)?
            .str("to")?
            .str("x")?
            .str("rqi")?
            .str("r")?;
        enc.str("pc")?
            .begin_array()?
            .u8(1)?
            .u8(2)?
            .u8(3)?
            .u8(4)?
            .end()?;
        Ok(())
    });
    // The primitive's own map counts too.
    assert!(matches!(
        s.decode_request(&list),
        Err(Error::TooLarge {
            what: "map",
            size: 4,
            limit: 3
        })
    ));
    let list = build(|enc| {
        enc.map(3)?
            .str("op")?
            .u8(2)?
            .str("to")?
            .str("x")?
            .str("pc")?;
        enc.begin_array()?.u8(1)?.u8(2)?.u8(3)?.u8(4)?.end()?;
        Ok(())
    });
    assert!(matches!(
        s.decode_request(&list),
        Err(Error::TooLarge {
            what: "list",
            size: 4,
            limit: 3
        })
    ));
}

#[test]
fn hundred_thousand_nested_arrays_are_too_deep() {
    for header in [0x81, 0x9f] {
        let bytes = request_with_pc(&vec![header; 100_000]);
        assert_eq!(
            cbor().decode_request(&bytes),
            Err(Error::TooDeep { limit: 64 })
        );
    }
    assert!(matches!(
        cbor().decode_request(&vec![0x81; 100_000]),
        Err(Error::NotAPrimitive { .. })
    ));
}

#[test]
fn nesting_up_to_the_limit_is_accepted_and_one_more_is_refused() {
    let depth = Limits::default().max_depth;
    let mut content = vec![0x81; depth - 1];
    content.push(0x80);
    assert_eq!(pc_of(&request_with_pc(&content)).depth(), depth);
    content.insert(0, 0x81);
    assert_eq!(
        cbor().decode_request(&request_with_pc(&content)),
        Err(Error::TooDeep { limit: depth })
    );
}

#[test]
fn nesting_is_capped_at_126_levels_whatever_the_limit() {
    let s = CborSerializer::with_limits(Limits {
        max_depth: 100_000,
        ..Limits::default()
    });
    let mut content = vec![0x81; 125];
    content.push(0x80);
    assert!(s.decode_request(&request_with_pc(&content)).is_ok());
    content.insert(0, 0x81);
    assert_eq!(
        s.decode_request(&request_with_pc(&content)),
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
fn every_truncation_is_a_syntax_error() {
    let bytes = cbor().encode_request(&samples::notify()).unwrap();
    for end in 1..bytes.len() {
        assert!(
            matches!(
                cbor().decode_request(&bytes[..end]),
                Err(Error::Syntax { .. })
            ),
            "cut at {end}"
        );
    }
    assert_syntax(
        cbor().decode_request(&bytes[..bytes.len() - 1]),
        "truncated",
    );
    assert_syntax(cbor().decode_request(&[]), "empty document");
}

#[test]
fn bytes_after_the_primitive_are_a_syntax_error() {
    let mut bytes = build(|enc| retrieve_with(enc, 0));
    bytes.push(0x00);
    assert_syntax(
        cbor().decode_request(&bytes),
        "trailing bytes after the primitive: 1 from byte",
    );
}

#[test]
fn invalid_utf8_text_is_a_syntax_error() {
    assert_syntax(
        cbor().decode_request(&request_with_pc(&[0x62, 0xc3, 0x28])),
        "invalid utf-8",
    );
}

#[test]
fn top_level_that_is_not_a_map_is_not_a_primitive() {
    for bytes in [&[0x80][..], &[0x61, b'x'], &[0x01], &[0xf6]] {
        match cbor().decode_response(bytes) {
            Err(Error::NotAPrimitive { expected, found }) => {
                assert_eq!(expected, "response primitive");
                assert!(found.starts_with("a CBOR "), "{found}");
            }
            other => panic!("{bytes:?}: {other:?}"),
        }
    }
}

#[test]
fn repeated_keys_are_refused() {
    let top = build(|enc| {
        retrieve_with(enc, 1)?;
        enc.str("to")?.str("y")?;
        Ok(())
    });
    assert_syntax(cbor().decode_request(&top), r#"duplicate key "to""#);
    let nested = request_with_pc(&build(|enc| {
        enc.map(2)?.str("a")?.u8(1)?.bytes(b"a")?.u8(2)?;
        Ok(())
    }));
    assert_syntax(cbor().decode_request(&nested), r#"duplicate key "a""#);
}

#[test]
fn integers_beyond_i64_are_refused_clearly() {
    assert_syntax(
        cbor().decode_request(&request_with_pc(&[0x1b, 0x80, 0, 0, 0, 0, 0, 0, 0])),
        "integer 9223372036854775808 at byte",
    );
    assert_syntax(
        cbor().decode_request(&request_with_pc(&[
            0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ])),
        "beyond the signed 64-bit range",
    );
    let min = [0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
    assert_eq!(pc_of(&request_with_pc(&min)), Value::Int(i64::MIN));
}

#[test]
fn keys_that_are_not_strings_are_refused() {
    let bytes = request_with_pc(&[0xa1, 0x01, 0x02]);
    assert_syntax(
        cbor().decode_request(&bytes),
        "a map key must be a text string",
    );
}

#[test]
fn stray_break_and_reserved_bytes_are_refused() {
    assert_syntax(
        cbor().decode_request(&request_with_pc(&[0xff])),
        "unexpected break",
    );
    assert_syntax(
        cbor().decode_request(&request_with_pc(&[0x1c])),
        "reserved initial byte 0x1c",
    );
    assert_syntax(
        cbor().decode_request(&request_with_pc(&[0xe0])),
        "unsupported CBOR item",
    );
}

#[test]
fn document_larger_than_the_limit_is_refused_before_parsing() {
    let s = CborSerializer::with_limits(Limits {
        max_document: 4,
        ..Limits::default()
    });
    assert_eq!(
        s.decode_request(&[0xff; 5]),
        Err(Error::TooLarge {
            what: "document",
            size: 5,
            limit: 4
        })
    );
}

#[test]
fn non_finite_float_is_unencodable() {
    let mut pc = Map::new();
    pc.insert("x", f64::NAN);
    let req = RequestPrimitive::update("x", "C", "r", Value::Map(pc));
    assert!(matches!(
        cbor().encode_request(&req),
        Err(Error::Unencodable(_))
    ));
}

#[test]
fn content_deeper_than_the_limit_is_not_encoded() {
    let mut pc = Value::Null;
    for _ in 0..65 {
        pc = Value::List(vec![pc]);
    }
    let req = RequestPrimitive::update("x", "C", "r", pc);
    assert_eq!(
        cbor().encode_request(&req),
        Err(Error::TooDeep { limit: 64 })
    );
}

#[test]
fn encoding_is_the_same_after_a_failed_and_after_a_large_encoding() {
    // The writer reuses one buffer per thread: nothing of an earlier document, whole or
    // half written, may leak into the next.
    let req = samples::cin_create();
    let expected = cbor().encode_request(&req).unwrap();
    let mut bad = Map::new();
    bad.insert("first", "written before the failure");
    bad.insert("x", f64::NAN);
    let bad = RequestPrimitive::update("x", "C", "r", Value::Map(bad));
    assert!(cbor().encode_request(&bad).is_err());
    assert_eq!(cbor().encode_request(&req).unwrap(), expected);
    let large = RequestPrimitive::update("x", "C", "r", Value::from("y".repeat(100_000)));
    let large_bytes = cbor().encode_request(&large).unwrap();
    assert_eq!(cbor().decode_request(&large_bytes).unwrap(), large);
    assert_eq!(cbor().encode_request(&req).unwrap(), expected);
    assert_eq!(cbor().encode_content(&Value::Int(7)).unwrap()[..], [0x07]);
}
