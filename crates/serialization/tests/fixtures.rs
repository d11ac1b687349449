//! Golden wire fixtures (`tests/fixtures/` at the workspace root, written by hand from
//! TS-0004 clause 8): for every fixture and every format, decoding the file gives the
//! primitive built here, and encoding that primitive gives the file (JSON compared as
//! JSON values, XML after canonicalisation, CBOR byte for byte).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use onem2m_primitive::{
    AbsRelTimestamp, ContentStatus, Map, ReleaseVersion, RequestPrimitive, ResourceType,
    ResponsePrimitive, ResponseStatusCode, ResponseType, ResponseTypeInfo, ResultContent,
    Timestamp, Value, debug_info,
};
use onem2m_serialization::{CborSerializer, JsonSerializer, Serializer, XmlSerializer};

/// The primitive a fixture holds.
#[derive(Debug)]
enum Expected {
    Request(Box<RequestPrimitive>),
    Response(Box<ResponsePrimitive>),
}

/// The three wire formats and how their fixtures are read and compared.
#[derive(Debug, Clone, Copy)]
enum Format {
    Json,
    Xml,
    Cbor,
}

impl Format {
    fn serializer(self) -> Box<dyn Serializer> {
        match self {
            Format::Json => Box::new(JsonSerializer::new()),
            Format::Xml => Box::new(XmlSerializer::new()),
            Format::Cbor => Box::new(CborSerializer::new()),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Xml => "xml",
            Format::Cbor => "cbor.hex",
        }
    }

    /// The payload bytes the fixture stands for.
    fn payload(self, name: &str) -> Vec<u8> {
        let path = fixtures_dir().join(format!("{name}.{}", self.extension()));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        match self {
            Format::Json | Format::Xml => text.into_bytes(),
            Format::Cbor => hex_fixture_bytes(&text),
        }
    }

    /// Asserts that an encoder's output is the fixture, by this format's rule.
    fn assert_same_wire(self, name: &str, encoded: &[u8], fixture: &[u8]) {
        match self {
            Format::Json => {
                let encoded: serde_json::Value = serde_json::from_slice(encoded)
                    .unwrap_or_else(|e| panic!("{name}: encoder wrote invalid JSON: {e}"));
                let fixture: serde_json::Value = serde_json::from_slice(fixture).unwrap();
                assert_eq!(encoded, fixture, "{name}.json: encoded JSON differs");
            }
            Format::Xml => {
                let encoded = std::str::from_utf8(encoded)
                    .unwrap_or_else(|e| panic!("{name}: encoder wrote invalid UTF-8: {e}"));
                let fixture = std::str::from_utf8(fixture).unwrap();
                assert_eq!(
                    canonical_xml(encoded),
                    canonical_xml(fixture),
                    "{name}.xml: encoded XML differs"
                );
            }
            Format::Cbor => assert_eq!(
                to_hex(encoded),
                to_hex(fixture),
                "{name}.cbor.hex: encoded CBOR differs"
            ),
        }
    }
}

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// Reads the hex text of a `.cbor.hex` fixture: `#` starts a comment, whitespace is
/// ignored.
fn hex_fixture_bytes(text: &str) -> Vec<u8> {
    let digits: String = text
        .lines()
        .map(|line| line.split('#').next().unwrap_or(""))
        .flat_map(str::chars)
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(digits.len().is_multiple_of(2), "odd number of hex digits");
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).expect("hex digit"))
        .collect()
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Drops an XML declaration and the whitespace-only text between tags, so that an indented
/// fixture compares equal to an encoder's compact output.
fn canonical_xml(xml: &str) -> String {
    let mut rest = xml.trim_start_matches('\u{feff}').trim();
    if rest.starts_with("<?xml") {
        let end = rest.find("?>").expect("unterminated XML declaration");
        rest = rest[end + 2..].trim_start();
    }
    let mut out = String::with_capacity(rest.len());
    let mut pending_space = String::new();
    let mut after_tag = false;
    for c in rest.chars() {
        if after_tag && c.is_whitespace() {
            pending_space.push(c);
            continue;
        }
        if c == '<' {
            pending_space.clear();
        } else {
            out.push_str(&pending_space);
            pending_space.clear();
        }
        after_tag = c == '>';
        out.push(c);
    }
    out
}

fn check_decode(format: Format, name: &str, expected: Expected) {
    let serializer = format.serializer();
    let payload = format.payload(name);
    match expected {
        Expected::Request(expected) => {
            let decoded = serializer
                .decode_request(&payload)
                .unwrap_or_else(|e| panic!("{name}.{}: decode failed: {e:?}", format.extension()));
            assert_eq!(decoded, *expected, "{name}.{}", format.extension());
        }
        Expected::Response(expected) => {
            let decoded = serializer
                .decode_response(&payload)
                .unwrap_or_else(|e| panic!("{name}.{}: decode failed: {e:?}", format.extension()));
            assert_eq!(decoded, *expected, "{name}.{}", format.extension());
        }
    }
}

fn check_encode(format: Format, name: &str, expected: Expected) {
    let serializer = format.serializer();
    let encoded = match expected {
        Expected::Request(req) => serializer.encode_request(&req),
        Expected::Response(rsp) => serializer.encode_response(&rsp),
    }
    .unwrap_or_else(|e| panic!("{name}.{}: encode failed: {e:?}", format.extension()));
    format.assert_same_wire(name, &encoded, &format.payload(name));
}

// ---- building blocks for the expected content, in the fixtures' member order ----

fn obj<const N: usize>(members: [(&str, Value); N]) -> Value {
    let mut map = Map::with_capacity(N);
    for (key, value) in members {
        map.push(key, value);
    }
    Value::Map(map)
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn texts(items: &[&str]) -> Value {
    Value::List(items.iter().map(|s| text(s)).collect())
}

fn ints(items: &[i64]) -> Value {
    Value::List(items.iter().map(|i| Value::Int(*i)).collect())
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

const POA: &str = "mqtt://broker.example.com:1883";

// ---- one function per fixture: the primitive it holds ----

fn request_ae_create() -> Expected {
    let ae = obj([
        ("rn", text("myAE")),
        ("api", text("Nmyapp")),
        ("poa", texts(&[POA])),
        ("rr", Value::Bool(true)),
        ("srv", texts(&["3"])),
    ]);
    let mut req = RequestPrimitive::create(
        "cse-in",
        "CmyAE",
        "req-ae-1",
        ResourceType::AE,
        obj([("m2m:ae", ae)]),
    );
    req.ot = Some(ts("20261124T120000"));
    req.rqet = Some(AbsRelTimestamp::Relative(3_600_000));
    req.rvi = Some(ReleaseVersion::V3);
    Expected::Request(Box::new(req))
}

fn request_cse_base_retrieve() -> Expected {
    let mut req = RequestPrimitive::retrieve("/id-in", "CmyAE", "req-cb-1");
    req.ot = Some(ts("20261124T120000"));
    req.rqet = Some(AbsRelTimestamp::Absolute(ts("20261124T120100")));
    req.rt = Some(ResponseTypeInfo::new(ResponseType::BlockingRequest));
    req.rcn = Some(ResultContent::Attributes);
    req.rvi = Some(ReleaseVersion::V3);
    Expected::Request(Box::new(req))
}

fn request_container_create() -> Expected {
    let cnt = obj([
        ("rn", text("data")),
        ("lbl", texts(&["temperature", "room1"])),
        ("mni", Value::Int(10)),
        ("mbs", Value::Int(10_000)),
    ]);
    let mut req = RequestPrimitive::create(
        "cse-in/myAE",
        "CmyAE",
        "req-cnt-1",
        ResourceType::CONTAINER,
        obj([("m2m:cnt", cnt)]),
    );
    req.rvi = Some(ReleaseVersion::V3);
    Expected::Request(Box::new(req))
}

fn request_content_instance_create() -> Expected {
    let cin = obj([("cnf", text("text/plain:0")), ("con", text("21.5"))]);
    let mut req = RequestPrimitive::create(
        "cse-in/myAE/data",
        "CmyAE",
        "req-cin-1",
        ResourceType::CONTENT_INSTANCE,
        obj([("m2m:cin", cin)]),
    );
    req.ot = Some(ts("20261124T120005"));
    req.rcn = Some(ResultContent::Nothing);
    req.rvi = Some(ReleaseVersion::V3);
    Expected::Request(Box::new(req))
}

fn request_subscription_create() -> Expected {
    let sub = obj([
        ("rn", text("sub1")),
        ("enc", obj([("net", ints(&[3]))])),
        (
            "nu",
            texts(&["CmyAE", "mqtt://broker.example.com:1883/myAE/notify"]),
        ),
        ("nct", Value::Int(1)),
    ]);
    let mut req = RequestPrimitive::create(
        "cse-in/myAE/data",
        "CmyAE",
        "req-sub-1",
        ResourceType::SUBSCRIPTION,
        obj([("m2m:sub", sub)]),
    );
    req.rvi = Some(ReleaseVersion::V3);
    Expected::Request(Box::new(req))
}

fn request_notify() -> Expected {
    let cin = obj([
        ("rn", text("cin-001")),
        ("ty", Value::Int(4)),
        ("ri", text("cin4711")),
        ("pi", text("cnt0815")),
        ("ct", text("20261124T120005")),
        ("lt", text("20261124T120005")),
        ("et", text("20271124T120005")),
        ("st", Value::Int(0)),
        ("cnf", text("text/plain:0")),
        ("cs", Value::Int(4)),
        ("con", text("21.5")),
    ]);
    let sgn = obj([
        (
            "nev",
            obj([("rep", obj([("m2m:cin", cin)])), ("net", Value::Int(3))]),
        ),
        ("sur", text("cse-in/myAE/data/sub1")),
    ]);
    let mut req = RequestPrimitive::notify("CmyAE", "/id-in", "notif-1", obj([("m2m:sgn", sgn)]));
    req.ot = Some(ts("20261124T120005,250"));
    req.rvi = Some(ReleaseVersion::V3);
    Expected::Request(Box::new(req))
}

fn response_ae_created() -> Expected {
    let ae = obj([
        ("rn", text("myAE")),
        ("ty", Value::Int(2)),
        ("ri", text("CmyAE")),
        ("pi", text("id-in")),
        ("ct", text("20261124T120000")),
        ("lt", text("20261124T120000")),
        ("et", text("20271124T120000")),
        ("api", text("Nmyapp")),
        ("aei", text("CmyAE")),
        ("poa", texts(&[POA])),
        ("rr", Value::Bool(true)),
        ("srv", texts(&["3"])),
    ]);
    let mut rsp = ResponsePrimitive::new(ResponseStatusCode::CREATED, "req-ae-1")
        .with_content(obj([("m2m:ae", ae)]));
    rsp.to = Some("CmyAE".into());
    rsp.fr = Some("/id-in".into());
    rsp.ot = Some(ts("20261124T120000,123"));
    rsp.rvi = Some(ReleaseVersion::V3);
    Expected::Response(Box::new(rsp))
}

fn response_cse_base_retrieved() -> Expected {
    let cb = obj([
        ("rn", text("cse-in")),
        ("ty", Value::Int(5)),
        ("ri", text("id-in")),
        ("ct", text("20261101T000000")),
        ("lt", text("20261101T000000")),
        ("cst", Value::Int(1)),
        ("csi", text("/id-in")),
        ("srt", ints(&[1, 2, 3, 4, 5, 23])),
        ("poa", texts(&[POA])),
        ("srv", texts(&["2a", "3", "4"])),
    ]);
    let mut rsp = ResponsePrimitive::new(ResponseStatusCode::OK, "req-cb-1")
        .with_content(obj([("m2m:cb", cb)]));
    rsp.cnst = Some(ContentStatus::FullContent);
    rsp.rvi = Some(ReleaseVersion::V3);
    Expected::Response(Box::new(rsp))
}

fn response_not_found() -> Expected {
    let mut rsp = ResponsePrimitive::new(ResponseStatusCode::NOT_FOUND, "req-cnt-2")
        .with_content(debug_info("resource does not exist: cse-in/myAE/nothing"));
    rsp.to = Some("CmyAE".into());
    rsp.fr = Some("/id-in".into());
    rsp.rvi = Some(ReleaseVersion::V3);
    Expected::Response(Box::new(rsp))
}

fn response_request_timeout() -> Expected {
    let mut rsp = ResponsePrimitive::new(ResponseStatusCode::REQUEST_TIMEOUT, "req-cin-2")
        .with_content(debug_info("request expired at 20261124T120010"));
    rsp.ot = Some(ts("20261124T120011"));
    rsp.rvi = Some(ReleaseVersion::V3);
    Expected::Response(Box::new(rsp))
}

/// One module per fixture, one test per format and direction.
macro_rules! fixture_cases {
    ($($name:ident),* $(,)?) => {
        const CASES: &[&str] = &[$(stringify!($name)),*];
        $(
            mod $name {
                use super::{Format, check_decode, check_encode};

                #[test]
                fn json_fixture_decodes_to_the_expected_primitive() {
                    check_decode(Format::Json, stringify!($name), super::$name());
                }
                #[test]
                fn xml_fixture_decodes_to_the_expected_primitive() {
                    check_decode(Format::Xml, stringify!($name), super::$name());
                }
                #[test]
                fn cbor_fixture_decodes_to_the_expected_primitive() {
                    check_decode(Format::Cbor, stringify!($name), super::$name());
                }
                #[test]
                fn expected_primitive_encodes_to_the_json_fixture() {
                    check_encode(Format::Json, stringify!($name), super::$name());
                }
                #[test]
                fn expected_primitive_encodes_to_the_xml_fixture() {
                    check_encode(Format::Xml, stringify!($name), super::$name());
                }
                #[test]
                fn expected_primitive_encodes_to_the_cbor_fixture() {
                    check_encode(Format::Cbor, stringify!($name), super::$name());
                }
            }
        )*
    };
}

fixture_cases!(
    request_ae_create,
    request_cse_base_retrieve,
    request_container_create,
    request_content_instance_create,
    request_subscription_create,
    request_notify,
    response_ae_created,
    response_cse_base_retrieved,
    response_not_found,
    response_request_timeout,
);

#[test]
fn every_fixture_file_belongs_to_a_case() {
    let formats = [Format::Json, Format::Xml, Format::Cbor];
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(fixtures_dir()).unwrap() {
        let file = entry.unwrap().file_name().into_string().unwrap();
        if file == "README.md" {
            continue;
        }
        let case = formats
            .iter()
            .find_map(|f| file.strip_suffix(&format!(".{}", f.extension())));
        if !case.is_some_and(|case| CASES.contains(&case)) {
            orphans.push(file);
        }
    }
    assert!(
        orphans.is_empty(),
        "fixture files without a case: {orphans:?}"
    );
}

#[test]
fn every_case_has_a_fixture_in_each_format() {
    let present: BTreeSet<String> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let missing: Vec<String> = CASES
        .iter()
        .flat_map(|case| {
            [Format::Json, Format::Xml, Format::Cbor].map(|f| format!("{case}.{}", f.extension()))
        })
        .filter(|file| !present.contains(file))
        .collect();
    assert!(missing.is_empty(), "missing fixture files: {missing:?}");
}

#[test]
fn canonical_xml_drops_only_the_declaration_and_indentation() {
    let indented = "<?xml version=\"1.0\"?>\n<a x=\"1\">\n  <b>t u</b>\n  <c> </c>\n</a>\n";
    assert_eq!(canonical_xml(indented), "<a x=\"1\"><b>t u</b><c></c></a>");
    assert_eq!(canonical_xml("<a><b>x y</b></a>"), "<a><b>x y</b></a>");
}

#[test]
fn hex_fixtures_ignore_comments_and_whitespace() {
    assert_eq!(
        hex_fixture_bytes("a1   # map(1)\n  62 6f70 # \"op\"\n01\n"),
        [0xa1, 0x62, 0x6f, 0x70, 0x01]
    );
}
