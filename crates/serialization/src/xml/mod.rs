//! The XML serialization of TS-0004 clause 8.3: a primitive is an `m2m:rqp` or `m2m:rsp`
//! document.
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <m2m:rqp xmlns:m2m="http://www.onem2m.org/xml/protocols"><op>1</op><to>cse-in</to>
//! <fr>CAE1</fr><rqi>r1</rqi><ty>2</ty><pc><m2m:ae rn="myAE"><api>Nx</api><rr>true</rr>
//! <srv>3</srv></m2m:ae></pc><rvi>3</rvi></m2m:rqp>
//! ```
//!
//! (one line on the wire: the encoder writes no whitespace between elements.)
//!
//! The reader and writer are written by hand on quick-xml's pull parser and its escaping
//! functions: its serde path is slower, drops the `m2m:` prefix and writes no namespace.
//!
//! # The document
//! - UTF-8 XML 1.0 starting with `<?xml version="1.0" encoding="UTF-8"?>`, which TS-0004
//!   allows and which spares a peer from guessing the encoding. The root is `m2m:rqp` or
//!   `m2m:rsp` declaring `xmlns:m2m="http://www.onem2m.org/xml/protocols"`; its children
//!   are the parameters, unprefixed, in the XSD order of [`crate::params`].
//! - Decoding accepts the document with or without a declaration (which must then say
//!   UTF-8), and with the namespace declaration missing (some peers omit it), but the
//!   root's local name must be `rqp` / `rsp` ([`Error::NotAPrimitive`] otherwise) and a
//!   namespace it does declare must be oneM2M's. A root that binds another prefix to the
//!   oneM2M namespace has that prefix read as `m2m:`. Comments and indentation between
//!   elements are ignored. Text parameters go to the lenient collectors of
//!   [`crate::params`] as text (`<op>1</op>`, `<rids>a b</rids>`).
//!
//! # Content (`pc` and the other tree parameters)
//! Content is a [`Value`] tree; a map member is a child element
//! named by its key.
//! - Keys are written as they are: `m2m:ae`, `m2m:cin`, `m2m:sgn`, `m2m:dbg` (global
//!   elements) keep their prefix, attribute short names (`api`, `lbl`) have none. A key
//!   that is not an XML name cannot be encoded.
//! - **Resource name.** In a resource element (`m2m:ae`, `m2m:cnt`, ...: the value of a
//!   `m2m:<resource>` key) a text `rn` is the attribute `resourceName`, as TS-0004's XSD
//!   declares it: `<m2m:ae rn="myAE">`. Decoding turns every attribute into a map member
//!   and puts `rn` first.
//! - **Text with attributes.** A map with a `val` member whose other members are all
//!   booleans, numbers or strings is an element with those members as attributes and
//!   `val` as text (TS-0004 8.4: a simple type with attributes is an object with `val`):
//!   `{"nm": "c", "typ": 3, "val": "/cse/c"}` is `<ch nm="c" typ="3">/cse/c</ch>`. An
//!   element with attributes and text decodes the same way. A map holding only `val` is
//!   written as its text and decodes as that scalar.
//! - **Lists.** A list named by an `xs:list` type of the XSD (`lbl`, `acpi`, `poa`, `srv`,
//!   `nu`, `srt`, `m2m:uril`, ...) is one element of space-separated items
//!   (`<lbl>a b</lbl>`), so an item cannot be empty or contain a space. Any other list
//!   (`acr`, `ch`, a resource's child resources, ...) is one element per item. On decode,
//!   sibling elements with the same name become a list, and names the schema knows as
//!   lists are lists even with one item. A list directly inside a list cannot be encoded.
//! - **Types.** XML text is untyped, so a table (`xml/schema.rs`) lists the names whose
//!   text is an integer or a boolean and which are lists; everything else, including any
//!   name it does not know, decodes as text. Text that does not parse as the expected type
//!   stays text.
//! - **Null.** TS-0004 8.3: NULL is an empty element, so `<lbl/>` decodes as null (an
//!   update deleting the attribute), whatever the name. Consequently an empty string, an
//!   empty list of an `xs:list` name and an empty map also encode as an empty element and
//!   decode as null, and an empty list of a repeated name writes nothing at all.
//! - `m2m:dbg` is a string: `<m2m:dbg>text</m2m:dbg>` is `{"m2m:dbg": "text"}`.
//! - Floats are written as `xs:double` (`21.5`, `INF`, `NaN`); no attribute of the schema
//!   is a float, so they decode as text.
//!
//! Round trip: decoding what was encoded gives back the same primitive when the content
//! uses names whose types that table knows, keeps `rn` first in resources, and has no
//! empty strings, lists or maps (they come back as null). Member order is kept as given;
//! the writer does not reorder a map into the XSD order.
//!
//! # Content alone
//! [`Serializer::encode_content`] writes a `pc` value as its own document (the body of a
//! TS-0009 HTTP message): the content must be a map of one member, which becomes the
//! document element and declares the namespace,
//! `<m2m:ae xmlns:m2m="http://www.onem2m.org/xml/protocols" rn="myAE">...</m2m:ae>`; any
//! other shape has no XML document and is [`Error::Unencodable`]. Decoding reads the
//! document element as the one member of the content map, with the rules above (its
//! parent, for the schema, is `pc`), and the same defences.
//!
//! # Untrusted input
//! A DOCTYPE (and so any entity declaration) and any processing instruction other than
//! the XML declaration are refused with [`Error::ForbiddenXml`]; only the five predefined
//! entities and character references are resolved, any other entity is a syntax error.
//! The document size is checked first, then UTF-8; element nesting, members per element
//! and list items are bounded by [`Limits`]; at most 32 attributes per element and 16
//! namespace declarations per document are accepted. Truncated documents, mismatched
//! tags, content after the root, text mixed with elements, characters XML 1.0 forbids
//! (raw or as a reference) and a repeated parameter are [`Error::Syntax`].
//! Nesting is counted as [`Value::depth`] counts it: a
//! parameter that contains elements is level 1.

use bytes::Bytes;
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, Value};

use crate::error::Error;
use crate::limits::Limits;
use crate::serializer::Serializer;

mod reader;
pub(crate) mod schema;
mod writer;

/// The namespace of oneM2M's XML elements, bound to the prefix `m2m`.
pub const NAMESPACE: &str = "http://www.onem2m.org/xml/protocols";

/// The XML declaration every encoded document starts with: TS-0004 requires UTF-8, and
/// saying so spares a peer from guessing.
const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

const REQUEST_ROOT: &str = "m2m:rqp";
const RESPONSE_ROOT: &str = "m2m:rsp";
/// The parameter that holds content: the parent of content's document element when
/// content is encoded alone, so that the schema sees the same parent as in a primitive.
const CONTENT: &str = "pc";

/// The XML serialization (TS-0004 8.3), name `xml`.
///
/// ```
/// use onem2m_primitive::{Map, RequestPrimitive, ResourceType, Value};
/// use onem2m_serialization::{Serializer, XmlSerializer};
///
/// let mut ae = Map::new();
/// ae.insert("rn", "myAE");
/// ae.insert("api", "Nx");
/// ae.insert("rr", true);
/// let pc: Map = [("m2m:ae", Value::Map(ae))].into_iter().collect();
/// let req = RequestPrimitive::create("cse-in", "CAE1", "r1", ResourceType::AE, pc.into());
///
/// let xml = XmlSerializer::new();
/// let bytes = xml.encode_request(&req)?;
/// assert!(bytes.starts_with(b"<?xml"));
/// assert_eq!(xml.decode_request(&bytes)?, req);
/// # Ok::<(), onem2m_serialization::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct XmlSerializer {
    limits: Limits,
}

impl XmlSerializer {
    /// A serializer with the default [`Limits`].
    pub fn new() -> Self {
        Self::default()
    }

    /// A serializer that enforces `limits` when decoding (and the depth limit when
    /// encoding, so that whatever it writes it can read).
    pub fn with_limits(limits: Limits) -> Self {
        Self { limits }
    }
}

/// The first character of `text` that XML 1.0 cannot carry, not even as a character
/// reference (its `Char` production): a control character other than tab, line feed and
/// carriage return, U+FFFE or U+FFFF.
fn first_illegal_char(text: &str) -> Option<char> {
    if !may_hold_illegal_char(text) {
        return None;
    }
    text.chars().find(|&c| !is_xml_char(c))
}

/// Whether `text` has a control byte or 0xEF (the first byte of U+FFFE and U+FFFF), the
/// only bytes that can start a character XML 1.0 forbids. Most texts have none. The scan
/// does not stop early, which lets the compiler check many bytes per instruction.
fn may_hold_illegal_char(text: &str) -> bool {
    text.bytes()
        .fold(false, |found, b| found | (b < 0x20) | (b == 0xEF))
}

/// Whether XML 1.0 can carry `c`.
fn is_xml_char(c: char) -> bool {
    !matches!(
        c,
        '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}'
    )
}

impl Serializer for XmlSerializer {
    fn name(&self) -> &'static str {
        "xml"
    }

    fn request_media_type(&self) -> &'static str {
        "application/vnd.onem2m-preq+xml"
    }

    fn response_media_type(&self) -> &'static str {
        "application/vnd.onem2m-prsp+xml"
    }

    fn encode_request(&self, request: &RequestPrimitive) -> Result<Bytes, Error> {
        writer::write_request(request, &self.limits).map(Bytes::from)
    }

    fn decode_request(&self, bytes: &[u8]) -> Result<RequestPrimitive, Error> {
        reader::read_request(bytes, &self.limits)
    }

    fn encode_response(&self, response: &ResponsePrimitive) -> Result<Bytes, Error> {
        writer::write_response(response, &self.limits).map(Bytes::from)
    }

    fn decode_response(&self, bytes: &[u8]) -> Result<ResponsePrimitive, Error> {
        reader::read_response(bytes, &self.limits)
    }

    fn encode_content(&self, content: &Value) -> Result<Bytes, Error> {
        writer::write_content(content, &self.limits).map(Bytes::from)
    }

    fn decode_content(&self, bytes: &[u8]) -> Result<Value, Error> {
        reader::read_content(bytes, &self.limits)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use onem2m_primitive::{
        AbsRelTimestamp, ReleaseVersion, ResourceType, ResponseStatusCode, ResponseType,
        ResponseTypeInfo, ResultContent, Value,
    };

    use super::*;

    fn map<const N: usize>(members: [(&str, Value); N]) -> Value {
        Value::Map(members.into_iter().collect())
    }

    fn round_trip_request(req: &RequestPrimitive) {
        let xml = XmlSerializer::new();
        let bytes = xml.encode_request(req).unwrap();
        let back = xml.decode_request(&bytes).unwrap_or_else(|e| {
            panic!("{e}: {}", String::from_utf8_lossy(&bytes));
        });
        assert_eq!(&back, req, "{}", String::from_utf8_lossy(&bytes));
    }

    fn round_trip_response(rsp: &ResponsePrimitive) {
        let xml = XmlSerializer::new();
        let bytes = xml.encode_response(rsp).unwrap();
        let back = xml.decode_response(&bytes).unwrap_or_else(|e| {
            panic!("{e}: {}", String::from_utf8_lossy(&bytes));
        });
        assert_eq!(&back, rsp, "{}", String::from_utf8_lossy(&bytes));
    }

    fn ae() -> Value {
        map([
            ("rn", "myAE".into()),
            ("api", "Nx".into()),
            ("rr", true.into()),
            ("srv", vec!["2a", "3"].into()),
            ("poa", vec!["mqtt://127.0.0.1:1883"].into()),
            ("lbl", vec!["a", "b"].into()),
        ])
    }

    #[test]
    fn ae_create_round_trips() {
        let mut req = RequestPrimitive::create(
            "cse-in",
            "CAE1",
            "r1",
            ResourceType::AE,
            map([("m2m:ae", ae())]),
        );
        req.rqet = Some(AbsRelTimestamp::Relative(10_000));
        req.rt = Some(ResponseTypeInfo {
            rtv: ResponseType::NonBlockingRequestAsynch,
            nu: vec!["mqtt://h/a".into(), "mqtt://h/b".into()],
        });
        req.rcn = Some(ResultContent::Attributes);
        req.da = Some(false);
        req.rids = Some(vec!["role1".into(), "role2".into()]);
        round_trip_request(&req);
    }

    #[test]
    fn text_that_needs_escaping_round_trips_in_elements_and_attributes() {
        let tricky = "a\tb\nc\r\n\"d\" 'e' <f> & ]]> \u{e9}\u{1F600}";
        let ae = map([("rn", tricky.into()), ("apn", tricky.into())]);
        round_trip_request(&RequestPrimitive::create(
            "cse-in",
            tricky,
            "r1",
            ResourceType::AE,
            map([("m2m:ae", ae)]),
        ));
    }

    #[test]
    fn ae_create_without_originator_round_trips() {
        let mut req = RequestPrimitive::create(
            "cse-in",
            "",
            "r1",
            ResourceType::AE,
            map([("m2m:ae", ae())]),
        );
        req.fr = None;
        round_trip_request(&req);
    }

    #[test]
    fn container_and_content_instance_creates_round_trip() {
        let cnt = map([
            ("rn", "data".into()),
            ("mni", 100.into()),
            ("mbs", 10_000.into()),
            ("lbl", vec!["temperature"].into()),
        ]);
        round_trip_request(&RequestPrimitive::create(
            "cse-in/myAE",
            "CAE1",
            "r2",
            ResourceType::CONTAINER,
            map([("m2m:cnt", cnt)]),
        ));
        let cin = map([
            ("cnf", "text/plain:0".into()),
            ("con", "21.5 <°C> & \"more\"\nline two".into()),
            ("lbl", vec!["room1"].into()),
        ]);
        round_trip_request(&RequestPrimitive::create(
            "cse-in/myAE/data",
            "CAE1",
            "r3",
            ResourceType::CONTENT_INSTANCE,
            map([("m2m:cin", cin)]),
        ));
    }

    #[test]
    fn subscription_create_round_trips() {
        let sub = map([
            ("rn", "sub1".into()),
            (
                "enc",
                map([
                    ("net", vec![Value::Int(1), Value::Int(3)].into()),
                    ("atr", vec!["con", "lbl"].into()),
                ]),
            ),
            ("nu", vec!["/id-in/CAE1"].into()),
            ("nct", 1.into()),
            ("bn", map([("num", 5.into()), ("dur", "PT10S".into())])),
            ("exc", 10.into()),
        ]);
        round_trip_request(&RequestPrimitive::create(
            "cse-in/myAE/data",
            "CAE1",
            "r4",
            ResourceType::SUBSCRIPTION,
            map([("m2m:sub", sub)]),
        ));
    }

    #[test]
    fn notify_with_nested_event_and_representation_round_trips() {
        let cin = map([
            ("rn", "cin_1".into()),
            ("ty", 4.into()),
            ("ri", "cinU5c3".into()),
            ("pi", "cnt74dS".into()),
            ("ct", "20261124T215237,748702".into()),
            ("st", 1.into()),
            ("cs", 4.into()),
            ("con", "21.5".into()),
            ("lbl", vec!["rig"].into()),
        ]);
        let sgn = map([
            (
                "nev",
                map([("rep", map([("m2m:cin", cin)])), ("net", 3.into())]),
            ),
            ("sur", "/id-in/subNPhw".into()),
            ("vrq", false.into()),
        ]);
        let req = RequestPrimitive::notify("CAE1", "/id-in", "n1", map([("m2m:sgn", sgn)]));
        round_trip_request(&req);
    }

    #[test]
    fn filter_criteria_and_update_with_null_round_trip() {
        let mut req = RequestPrimitive::retrieve("cse-in", "CAE1", "r5");
        req.fc = Some(map([
            ("fu", 1.into()),
            ("ty", vec![Value::Int(3)].into()),
            ("lbl", vec!["a", "b"].into()),
            ("lim", 10.into()),
        ]));
        round_trip_request(&req);
        let update = RequestPrimitive::update(
            "cse-in/myAE",
            "CAE1",
            "r6",
            map([("m2m:ae", map([("lbl", Value::Null), ("rr", false.into())]))]),
        );
        round_trip_request(&update);
    }

    #[test]
    fn access_control_policy_with_repeated_rules_round_trips() {
        let rule = |originators: Vec<&str>, ops: i64| {
            map([("acor", originators.into()), ("acop", ops.into())])
        };
        let acp = map([
            ("rn", "acp1".into()),
            (
                "pv",
                map([("acr", Value::List(vec![rule(vec!["CAE1", "CAE2"], 63)]))]),
            ),
            (
                "pvs",
                map([(
                    "acr",
                    Value::List(vec![rule(vec!["CAdmin"], 63), rule(vec!["all"], 2)]),
                )]),
            ),
        ]);
        round_trip_request(&RequestPrimitive::create(
            "cse-in",
            "CAdmin",
            "r7",
            ResourceType::ACCESS_CONTROL_POLICY,
            map([("m2m:acp", acp)]),
        ));
    }

    #[test]
    fn responses_with_a_resource_a_csebase_and_debug_info_round_trip() {
        let created =
            ResponsePrimitive::new(ResponseStatusCode::CREATED, "r1").with_content(map([(
                "m2m:ae",
                map([
                    ("rn", "myAE".into()),
                    ("aei", "CAE1".into()),
                    ("ty", 2.into()),
                ]),
            )]));
        round_trip_response(&created);

        let cb = map([
            ("rn", "cse-in".into()),
            ("ty", 5.into()),
            ("ri", "id-in".into()),
            ("cst", 1.into()),
            ("csi", "/id-in".into()),
            (
                "srt",
                vec![Value::Int(1), Value::Int(2), Value::Int(3)].into(),
            ),
            ("srv", vec!["3", "4"].into()),
            ("poa", vec!["mqtt://localhost:1883"].into()),
        ]);
        let mut retrieved = ResponsePrimitive::new(ResponseStatusCode::OK, "r2")
            .with_content(map([("m2m:cb", cb)]));
        retrieved.fr = Some("/id-in".into());
        retrieved.to = Some("CAE1".into());
        retrieved.ot = Some(onem2m_primitive::Timestamp::parse("20261124T215237,751651").unwrap());
        round_trip_response(&retrieved);

        let mut not_found = ResponsePrimitive::new(ResponseStatusCode::NOT_FOUND, "r3")
            .with_content(onem2m_primitive::debug_info("resource does not exist"));
        not_found.rvi = Some(ReleaseVersion::V3);
        round_trip_response(&not_found);
        let bytes = XmlSerializer::new().encode_response(&not_found).unwrap();
        let decoded = XmlSerializer::new().decode_response(&bytes).unwrap();
        assert_eq!(decoded.debug_message(), Some("resource does not exist"));
    }

    #[test]
    fn child_resources_and_references_round_trip() {
        let child = |rn: &str| map([("rn", rn.into()), ("con", "1".into())]);
        let cnt = map([
            ("rn", "data".into()),
            ("cni", 2.into()),
            ("m2m:cin", Value::List(vec![child("a"), child("b")])),
            (
                "ch",
                Value::List(vec![map([
                    ("nm", "sub1".into()),
                    ("typ", 23.into()),
                    ("val", "/id-in/sub1".into()),
                ])]),
            ),
        ]);
        round_trip_response(
            &ResponsePrimitive::new(ResponseStatusCode::OK, "r")
                .with_content(map([("m2m:cnt", cnt)])),
        );
        let uril = map([("m2m:uril", vec!["/id-in/a", "/id-in/b"].into())]);
        round_trip_response(
            &ResponsePrimitive::new(ResponseStatusCode::OK, "r").with_content(uril),
        );
    }

    #[test]
    fn serializer_names_its_format_and_media_types() {
        let xml = XmlSerializer::with_limits(Limits::default());
        assert_eq!(xml.name(), "xml");
        assert_eq!(xml.request_media_type(), "application/vnd.onem2m-preq+xml");
        assert_eq!(xml.response_media_type(), "application/vnd.onem2m-prsp+xml");
    }
}
