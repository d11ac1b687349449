//! Writes a primitive as an `m2m:rqp` / `m2m:rsp` document, by hand into a byte buffer.
//!
//! The mapping rules are in the module documentation of [`crate::xml`]. The writer is
//! strict: whatever it cannot express in well-formed XML 1.0 (a member name that is not an
//! XML name, a control character, an `xs:list` item with a space, a list directly inside a
//! list) is refused with [`Error::Unencodable`] rather than written into a document a peer
//! would misread.

use onem2m_primitive::{Map, RequestPrimitive, ResponsePrimitive, Value};
use quick_xml::escape::{escape, partial_escape};

use super::schema::{self, Shape};
use super::{CONTENT, NAMESPACE, REQUEST_ROOT, RESPONSE_ROOT, XML_DECLARATION, first_illegal_char};
use crate::error::Error;
use crate::limits::Limits;
use crate::params::{Param, request_params, response_params};

/// Room for a typical primitive, so that encoding an AE or contentInstance create does not
/// reallocate.
const INITIAL_CAPACITY: usize = 512;

/// Encodes a request as an `m2m:rqp` document.
pub(crate) fn write_request(request: &RequestPrimitive, limits: &Limits) -> Result<Vec<u8>, Error> {
    let mut writer = Writer::start(REQUEST_ROOT, limits);
    request_params(request, |name, param| writer.param(name, param))?;
    Ok(writer.finish(REQUEST_ROOT))
}

/// Encodes a response as an `m2m:rsp` document.
pub(crate) fn write_response(
    response: &ResponsePrimitive,
    limits: &Limits,
) -> Result<Vec<u8>, Error> {
    let mut writer = Writer::start(RESPONSE_ROOT, limits);
    response_params(response, |name, param| writer.param(name, param))?;
    Ok(writer.finish(RESPONSE_ROOT))
}

/// Encodes content alone (a primitive's `pc`, the body of a TS-0009 HTTP message): its one
/// member is the document element, which declares the oneM2M namespace
/// (`<m2m:ae xmlns:m2m="..." rn="myAE">`). Content of any other shape has no XML document.
pub(crate) fn write_content(content: &Value, limits: &Limits) -> Result<Vec<u8>, Error> {
    let mut members = content.as_map().map(Map::iter).into_iter().flatten();
    let (Some((name, value)), None) = (members.next(), members.next()) else {
        return Err(Error::Unencodable(format!(
            "{} content as an XML document: it must be a map of exactly one member, the \
             document element",
            content.kind()
        )));
    };
    if !is_element_name(name) {
        return Err(Error::Unencodable(format!(
            "content {name:?}: not an XML element name"
        )));
    }
    let one_element = match value {
        Value::List(items) => {
            matches!(schema::shape(CONTENT, name), Shape::SpaceList(_))
                && items.iter().all(is_scalar)
        }
        _ => true,
    };
    if !one_element {
        return Err(Error::Unencodable(format!(
            "content {name} as a list: its items would be several document elements"
        )));
    }
    let mut writer = Writer {
        out: Vec::with_capacity(INITIAL_CAPACITY),
        limits,
        declare_namespace: true,
    };
    writer.out.extend_from_slice(XML_DECLARATION.as_bytes());
    // Levels as in a primitive, where the content map is level 1.
    writer.check_level(1)?;
    writer.value(name, value, CONTENT, 2)?;
    Ok(writer.out)
}

/// How a map's members are split between XML attributes, element text and child elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MapLayout {
    /// Every member is a child element.
    Elements,
    /// A resource: `rn` is the attribute `resourceName`, the rest are child elements.
    ResourceName,
    /// A simple type with attributes (TS-0004 8.4): `val` is the element's text and every
    /// other member an attribute.
    TextWithAttributes,
}

struct Writer<'l> {
    out: Vec<u8>,
    limits: &'l Limits,
    /// Whether the next element written is the document element of content alone, which
    /// declares the namespace its `m2m:` prefix needs.
    declare_namespace: bool,
}

impl<'l> Writer<'l> {
    fn start(root: &str, limits: &'l Limits) -> Self {
        let mut out = Vec::with_capacity(INITIAL_CAPACITY);
        out.extend_from_slice(XML_DECLARATION.as_bytes());
        out.push(b'<');
        out.extend_from_slice(root.as_bytes());
        out.extend_from_slice(b" xmlns:m2m=\"");
        out.extend_from_slice(NAMESPACE.as_bytes());
        out.extend_from_slice(b"\">");
        Self {
            out,
            limits,
            declare_namespace: false,
        }
    }

    fn finish(mut self, root: &str) -> Vec<u8> {
        self.close(root);
        self.out
    }

    /// Writes one parameter of the primitive as an unprefixed child of the root.
    fn param(&mut self, name: &'static str, param: Param<'_>) -> Result<(), Error> {
        match param {
            Param::Str(s) => self.text_element(name, &s),
            Param::Int(i) => {
                self.open(name);
                push_int(&mut self.out, i);
                self.close(name);
                Ok(())
            }
            Param::Bool(b) => self.text_element(name, bool_text(b)),
            Param::StrList(items) => {
                self.open(name);
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(b' ');
                    }
                    self.list_item_text(name, item)?;
                }
                self.close(name);
                Ok(())
            }
            // Its items would be repeated parameter elements, which the XSD forbids and
            // the reader refuses.
            Param::Tree(value) if matches!(*value, Value::List(_)) => Err(Error::Unencodable(
                format!("parameter {name} as a list: XML has no element to hold its items"),
            )),
            Param::Tree(value) => self.value(name, &value, "", 1),
        }
    }

    /// Writes `value` as the element `name` (already known to be a valid XML name) inside
    /// the element `parent`; `level` is the nesting level `value` has if it is a map or a
    /// list, counted as [`Value::depth`] counts it.
    fn value(
        &mut self,
        name: &str,
        value: &Value,
        parent: &str,
        level: usize,
    ) -> Result<(), Error> {
        match value {
            Value::Null => {
                self.empty(name);
                Ok(())
            }
            Value::Text(s) if s.is_empty() => {
                self.empty(name);
                Ok(())
            }
            Value::List(items) => {
                self.check_level(level)?;
                self.list(name, items, parent, level)
            }
            Value::Map(map) => {
                self.check_level(level)?;
                self.map(name, map, level)
            }
            scalar => {
                self.open(name);
                self.scalar_text(scalar)?;
                self.close(name);
                Ok(())
            }
        }
    }

    fn list(
        &mut self,
        name: &str,
        items: &[Value],
        parent: &str,
        level: usize,
    ) -> Result<(), Error> {
        if matches!(schema::shape(parent, name), Shape::SpaceList(_)) && items.iter().all(is_scalar)
        {
            if items.is_empty() {
                self.empty(name);
                return Ok(());
            }
            self.open(name);
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    self.out.push(b' ');
                }
                match item {
                    Value::Text(s) => self.list_item_text(name, s)?,
                    other => self.scalar_text(other)?,
                }
            }
            self.close(name);
            return Ok(());
        }
        for item in items {
            if matches!(item, Value::List(_)) {
                return Err(Error::Unencodable(format!(
                    "a list directly inside the list {name}: repeated XML elements cannot nest"
                )));
            }
            self.value(name, item, parent, level + 1)?;
        }
        Ok(())
    }

    fn map(&mut self, name: &str, map: &Map, level: usize) -> Result<(), Error> {
        let layout = layout(name, map);
        self.tag_start(name);
        match layout {
            MapLayout::Elements => {}
            MapLayout::ResourceName => {
                if let Some(rn) = map.get("rn") {
                    self.attribute("rn", rn)?;
                }
            }
            MapLayout::TextWithAttributes => {
                for (key, value) in map.iter().filter(|(key, _)| *key != "val") {
                    self.attribute(key, value)?;
                }
            }
        }
        if layout == MapLayout::TextWithAttributes {
            match map.get("val") {
                Some(Value::Null) | None => self.out.extend_from_slice(b"/>"),
                Some(Value::Text(s)) if s.is_empty() => self.out.extend_from_slice(b"/>"),
                Some(text) => {
                    self.out.push(b'>');
                    self.scalar_text(text)?;
                    self.close(name);
                }
            }
            return Ok(());
        }
        let in_attributes = usize::from(layout == MapLayout::ResourceName);
        if map.len() == in_attributes {
            self.out.extend_from_slice(b"/>");
            return Ok(());
        }
        self.out.push(b'>');
        for (key, value) in map.iter() {
            if layout == MapLayout::ResourceName && key == "rn" {
                continue;
            }
            if !is_element_name(key) {
                return Err(Error::Unencodable(format!(
                    "member {key:?} of {name}: not an XML element name"
                )));
            }
            self.value(key, value, name, level + 1)?;
        }
        self.close(name);
        Ok(())
    }

    /// Writes ` key="value"` for a scalar member (the layout checked both).
    fn attribute(&mut self, key: &str, value: &Value) -> Result<(), Error> {
        self.out.push(b' ');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"=\"");
        match value {
            Value::Text(s) => {
                check_chars(s)?;
                // Attribute-value normalisation turns a literal tab or newline into a space,
                // so they travel as character references.
                for &b in escape(s.as_str()).as_bytes() {
                    match b {
                        b'\t' => self.out.extend_from_slice(b"&#9;"),
                        b'\n' => self.out.extend_from_slice(b"&#10;"),
                        _ => self.out.push(b),
                    }
                }
            }
            other => self.scalar_text(other)?,
        }
        self.out.push(b'"');
        Ok(())
    }

    /// Writes the text of a boolean, number or string.
    fn scalar_text(&mut self, value: &Value) -> Result<(), Error> {
        match value {
            Value::Bool(b) => self.out.extend_from_slice(bool_text(*b).as_bytes()),
            Value::Int(i) => push_int(&mut self.out, *i),
            Value::Float(x) => push_float(&mut self.out, *x),
            Value::Text(s) => self.text(s)?,
            Value::Null | Value::List(_) | Value::Map(_) => {}
        }
        Ok(())
    }

    /// Writes one item of an `xs:list`, which must be a non-empty string without spaces.
    fn list_item_text(&mut self, name: &str, item: &str) -> Result<(), Error> {
        if item.is_empty() || item.bytes().any(is_xml_space) {
            return Err(Error::Unencodable(format!(
                "item {item:?} of the xs:list {name}: items are separated by spaces, so an \
                 item cannot be empty or contain one"
            )));
        }
        self.text(item)
    }

    fn text_element(&mut self, name: &str, text: &str) -> Result<(), Error> {
        if text.is_empty() {
            self.empty(name);
            return Ok(());
        }
        self.open(name);
        self.text(text)?;
        self.close(name);
        Ok(())
    }

    fn text(&mut self, text: &str) -> Result<(), Error> {
        // Most texts (IDs, names, numbers) need neither escaping nor checking: one scan
        // finds out, instead of one for each. It does not stop early, so that the compiler
        // can check many bytes per instruction.
        if text
            .bytes()
            .fold(true, |plain, b| plain & is_plain_text_byte(b))
        {
            self.out.extend_from_slice(text.as_bytes());
            return Ok(());
        }
        check_chars(text)?;
        self.out.extend_from_slice(partial_escape(text).as_bytes());
        Ok(())
    }

    /// Writes `<name`, and the namespace declaration if this is content's document element.
    fn tag_start(&mut self, name: &str) {
        self.out.push(b'<');
        self.out.extend_from_slice(name.as_bytes());
        if std::mem::take(&mut self.declare_namespace) {
            self.out.extend_from_slice(b" xmlns:m2m=\"");
            self.out.extend_from_slice(NAMESPACE.as_bytes());
            self.out.push(b'"');
        }
    }

    fn open(&mut self, name: &str) {
        self.tag_start(name);
        self.out.push(b'>');
    }

    fn close(&mut self, name: &str) {
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b'>');
    }

    fn empty(&mut self, name: &str) {
        self.tag_start(name);
        self.out.extend_from_slice(b"/>");
    }

    fn check_level(&self, level: usize) -> Result<(), Error> {
        if level > self.limits.max_depth {
            return Err(Error::TooDeep {
                limit: self.limits.max_depth,
            });
        }
        Ok(())
    }
}

/// Chooses how the map written as element `name` is laid out.
fn layout(name: &str, map: &Map) -> MapLayout {
    let (mut val, mut rn) = (None, None);
    for (key, value) in map.iter() {
        match key {
            "val" => val = Some(value),
            "rn" => rn = Some(value),
            _ => {}
        }
    }
    let has_text_value = matches!(
        val,
        Some(Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Text(_))
    );
    if has_text_value
        && map.len() > 1
        && map
            .iter()
            .all(|(key, value)| key == "val" || (is_attribute_name(key) && is_scalar(value)))
    {
        return MapLayout::TextWithAttributes;
    }
    if matches!(rn, Some(Value::Text(_))) && schema::is_resource_element(name) {
        return MapLayout::ResourceName;
    }
    MapLayout::Elements
}

/// A value that can be an attribute or an `xs:list` item: a boolean, number or string.
fn is_scalar(value: &Value) -> bool {
    matches!(
        value,
        Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Text(_)
    )
}

fn bool_text(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

fn push_int(out: &mut Vec<u8>, i: i64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut n = i.unsigned_abs();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[start..]);
}

/// Writes an `xs:double`, whose special values are spelt `NaN`, `INF` and `-INF`.
fn push_float(out: &mut Vec<u8>, x: f64) {
    if x.is_nan() {
        out.extend_from_slice(b"NaN");
    } else if x.is_infinite() {
        out.extend_from_slice(if x > 0.0 { b"INF" } else { b"-INF" });
    } else {
        out.extend_from_slice(x.to_string().as_bytes());
    }
}

/// A byte that text can carry as it is: not markup, not a control character, and not the
/// first byte of U+FFFE or U+FFFF.
fn is_plain_text_byte(b: u8) -> bool {
    b >= 0x20 && !matches!(b, b'<' | b'>' | b'&' | 0xEF)
}

/// Refuses the characters XML 1.0 cannot carry at all, not even as a character reference.
fn check_chars(text: &str) -> Result<(), Error> {
    match first_illegal_char(text) {
        Some(c) => Err(Error::Unencodable(format!(
            "text with U+{:04X}, which XML 1.0 cannot carry",
            u32::from(c)
        ))),
        None => Ok(()),
    }
}

fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// An element name: a name without a colon, or `prefix:local`.
fn is_element_name(name: &str) -> bool {
    match name.split_once(':') {
        Some((prefix, local)) => is_ncname(prefix) && is_ncname(local),
        None => is_ncname(name),
    }
}

/// An attribute name the writer may use: no prefix, and not a namespace declaration.
fn is_attribute_name(name: &str) -> bool {
    name != "xmlns" && is_ncname(name)
}

/// An XML name without a colon. Non-ASCII names are accepted when made of letters and
/// digits, a subset of what XML allows that keeps the check simple.
fn is_ncname(name: &str) -> bool {
    // Short-cut for the usual all-ASCII name.
    if let [first, rest @ ..] = name.as_bytes()
        && (first.is_ascii_alphabetic() || *first == b'_')
        && rest
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    {
        return true;
    }
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let start =
        first.is_ascii_alphabetic() || first == '_' || (!first.is_ascii() && first.is_alphabetic());
    start
        && chars.all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '-' | '.' | '_')
                || (!c.is_ascii() && c.is_alphanumeric())
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use onem2m_primitive::{ReleaseVersion, ResourceType, ResponseStatusCode, debug_info};

    use super::*;

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).unwrap()
    }

    fn ae_create() -> RequestPrimitive {
        let mut ae = Map::new();
        ae.insert("rn", "myAE");
        ae.insert("api", "Nx");
        ae.insert("rr", true);
        ae.insert("srv", Value::from(vec!["3"]));
        let mut pc = Map::new();
        pc.insert("m2m:ae", ae);
        let mut req = RequestPrimitive::create("cse-in", "CAE1", "r1", ResourceType::AE, pc.into());
        req.rvi = Some(ReleaseVersion::V3);
        req
    }

    #[test]
    fn ae_create_is_written_as_ts_0004_shows_it() {
        let xml = text(write_request(&ae_create(), &Limits::default()).unwrap());
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <m2m:rqp xmlns:m2m=\"http://www.onem2m.org/xml/protocols\"><op>1</op><to>cse-in</to>\
             <fr>CAE1</fr><rqi>r1</rqi><ty>2</ty><pc><m2m:ae rn=\"myAE\"><api>Nx</api><rr>true</rr>\
             <srv>3</srv></m2m:ae></pc><rvi>3</rvi></m2m:rqp>"
        );
    }

    #[test]
    fn debug_info_is_a_text_element_in_the_response() {
        let mut rsp = ResponsePrimitive::new(ResponseStatusCode::NOT_FOUND, "r1");
        rsp.rvi = None;
        rsp.pc = Some(debug_info("no <such> resource & more"));
        let xml = text(write_response(&rsp, &Limits::default()).unwrap());
        assert!(xml.ends_with(
            "<rsc>4004</rsc><rqi>r1</rqi><pc><m2m:dbg>no &lt;such&gt; resource &amp; more\
             </m2m:dbg></pc></m2m:rsp>"
        ));
    }

    fn written_content(member: &str, value: Value) -> String {
        let mut pc = Map::new();
        pc.insert(member, value);
        let req = RequestPrimitive::update("x", "C", "r", pc.into());
        let xml = text(write_request(&req, &Limits::default()).unwrap());
        let start = xml.find("<pc>").unwrap() + 4;
        let end = xml.find("</pc>").unwrap();
        xml[start..end].to_owned()
    }

    #[test]
    fn a_map_with_val_is_text_with_attributes() {
        let mut ch = Map::new();
        ch.insert("nm", "cnt1");
        ch.insert("typ", 3);
        ch.insert("val", "/id-in/cnt1");
        assert_eq!(
            written_content("ch", Value::Map(ch)),
            "<ch nm=\"cnt1\" typ=\"3\">/id-in/cnt1</ch>"
        );
    }

    #[test]
    fn xs_lists_are_one_element_and_complex_lists_repeat() {
        let labels = Value::from(vec!["a", "b"]);
        assert_eq!(written_content("lbl", labels), "<lbl>a b</lbl>");
        let rule = |op: i64| Value::Map([("acop", Value::Int(op))].into_iter().collect());
        assert_eq!(
            written_content("acr", Value::List(vec![rule(1), rule(2)])),
            "<acr><acop>1</acop></acr><acr><acop>2</acop></acr>"
        );
    }

    #[test]
    fn attribute_values_keep_tabs_newlines_and_quotes() {
        let mut ae = Map::new();
        ae.insert("rn", "a\tb\n\"c\"");
        assert_eq!(
            written_content("m2m:ae", Value::Map(ae)),
            "<m2m:ae rn=\"a&#9;b&#10;&quot;c&quot;\"/>"
        );
    }

    #[test]
    fn what_xml_cannot_carry_is_refused() {
        let refuse = |member: &str, value: Value| {
            let mut pc = Map::new();
            pc.insert(member, value);
            let req = RequestPrimitive::update("x", "C", "r", pc.into());
            assert!(
                matches!(
                    write_request(&req, &Limits::default()),
                    Err(Error::Unencodable(_))
                ),
                "{member}"
            );
        };
        refuse("bad name", Value::from("x"));
        refuse("<x", Value::from("x"));
        refuse("con", Value::from("bell \u{7}"));
        refuse("lbl", Value::from(vec!["two words"]));
        refuse("x", Value::List(vec![Value::List(vec![])]));
    }

    #[test]
    fn content_deeper_than_the_limit_is_refused() {
        let mut value = Value::from("leaf");
        for _ in 0..10 {
            value = Value::Map([("a", value)].into_iter().collect());
        }
        let req = RequestPrimitive::update("x", "C", "r", value);
        let limits = Limits {
            max_depth: 5,
            ..Limits::default()
        };
        assert_eq!(
            write_request(&req, &limits).unwrap_err(),
            Error::TooDeep { limit: 5 }
        );
    }

    #[test]
    fn integers_and_floats_use_xsd_lexical_forms() {
        let mut out = Vec::new();
        push_int(&mut out, i64::MIN);
        out.push(b' ');
        push_int(&mut out, 0);
        out.push(b' ');
        push_float(&mut out, f64::NEG_INFINITY);
        out.push(b' ');
        push_float(&mut out, 21.5);
        assert_eq!(text(out), "-9223372036854775808 0 -INF 21.5");
    }
}
