//! Reads an `m2m:rqp` / `m2m:rsp` document with quick-xml's pull parser, treating the
//! bytes as untrusted.
//!
//! The mapping rules are in the module documentation of [`crate::xml`]. Defences, in the
//! order they apply: the document size limit before anything else; UTF-8 checked once for
//! the whole document; DOCTYPE (and with it every entity declaration) and processing
//! instructions refused; only the five predefined entities and character references
//! resolved; characters XML 1.0 forbids refused, raw or referenced (quick-xml lets them
//! through); at most [`MAX_ATTRIBUTES`] attributes per element and
//! [`MAX_NAMESPACE_DECLARATIONS`] namespace declarations per document; element nesting,
//! members per element and items per list bounded by [`Limits`]; a repeated parameter
//! refused. Elements are decoded with an explicit stack, not recursion, so that parsing
//! cannot overflow the call stack (dropping a decoded tree is recursive, which is one more
//! reason to keep `max_depth` modest).

use std::borrow::Cow;
use std::collections::HashMap;

use onem2m_primitive::{Key, Map, RequestPrimitive, ResponsePrimitive, Value};
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::reader::Reader;

use super::schema::{self, Scalar, Shape};
use super::{
    CONTENT, NAMESPACE, REQUEST_ROOT, RESPONSE_ROOT, XML_DECLARATION, first_illegal_char,
    is_xml_char, may_hold_illegal_char,
};
use crate::error::Error;
use crate::limits::Limits;
use crate::params::{
    ParamKind, ParamSet, RequestFields, RequestParam, ResponseFields, ResponseParam,
};

/// Most attributes accepted on one element. oneM2M elements carry at most a handful; the
/// cap also bounds quick-xml's duplicate-attribute check (RUSTSEC-2026-0194).
const MAX_ATTRIBUTES: usize = 32;

/// Most namespace declarations accepted in one document: a primitive needs one
/// (`xmlns:m2m`), a few peers add `xmlns:xsi`. Bounds the cost of hostile `xmlns`
/// floods (RUSTSEC-2026-0195 is that attack on quick-xml's own resolver, unused here).
const MAX_NAMESPACE_DECLARATIONS: usize = 16;

/// Members of a map beyond which repeated-name lookups use a hash index instead of a
/// scan, so that an element with many distinct children decodes in linear time.
const INDEXED_MEMBERS: usize = 32;

/// Decodes an `m2m:rqp` document.
pub(crate) fn read_request(bytes: &[u8], limits: &Limits) -> Result<RequestPrimitive, Error> {
    let mut fields = RequestFields::new();
    let root = Root {
        name: REQUEST_ROOT,
        what: "request primitive",
        param: |name| RequestParam::from_name(name).map(|p| (p.kind(), p.bit())),
        content: false,
    };
    Parser::parse(bytes, limits, &root, |name, value| fields.set(name, value))?;
    fields.finish()
}

/// Decodes an `m2m:rsp` document.
pub(crate) fn read_response(bytes: &[u8], limits: &Limits) -> Result<ResponsePrimitive, Error> {
    let mut fields = ResponseFields::new();
    let root = Root {
        name: RESPONSE_ROOT,
        what: "response primitive",
        param: |name| ResponseParam::from_name(name).map(|p| (p.kind(), p.bit())),
        content: false,
    };
    Parser::parse(bytes, limits, &root, |name, value| fields.set(name, value))?;
    fields.finish()
}

/// Decodes content alone (a primitive's `pc`): the document element is its one member.
/// It is read as the content of a `pc` parameter would be, so the schema sees the same
/// parent and the limits count the same levels.
pub(crate) fn read_content(bytes: &[u8], limits: &Limits) -> Result<Value, Error> {
    let root = Root {
        name: CONTENT,
        what: "oneM2M content",
        param: |name| (name == CONTENT).then_some((ParamKind::Tree, 1)),
        content: true,
    };
    let mut content = None;
    Parser::parse(bytes, limits, &root, |_, value| {
        content = Some(value);
        Ok(())
    })?;
    content.ok_or_else(|| syntax("no document element"))
}

/// Which primitive a document must hold.
struct Root {
    /// `m2m:rqp` or `m2m:rsp`; only its local name is required of the document.
    name: &'static str,
    /// For [`Error::NotAPrimitive`].
    what: &'static str,
    /// Tells a parameter holding a tree from one holding text, and gives its bit in a
    /// [`ParamSet`].
    param: fn(&str) -> Option<(ParamKind, u64)>,
    /// Content alone: no root element, the document element is the one member of the
    /// content map, held by a frame named [`CONTENT`] that the document does not write.
    content: bool,
}

impl Root {
    fn local_name(&self) -> &'static str {
        self.name
            .split_once(':')
            .map_or(self.name, |(_, local)| local)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    Prolog,
    InRoot,
    Epilog,
}

struct Parser<'a, 'r, F> {
    document: &'a str,
    limits: &'r Limits,
    root: &'r Root,
    on_param: F,
    position: Position,
    seen_event: bool,
    namespace_declarations: usize,
    /// A prefix other than `m2m` that the root binds to the oneM2M namespace; elements
    /// with it are renamed to `m2m:...`.
    m2m_alias: Option<String>,
    params: usize,
    /// The known parameters read so far.
    seen_params: ParamSet,
    /// The open elements inside the root: parameters, then content.
    stack: Vec<Frame<'a>>,
}

impl<'a, 'r, F> Parser<'a, 'r, F>
where
    F: FnMut(&str, Value) -> Result<(), Error>,
{
    fn parse(
        bytes: &'a [u8],
        limits: &'r Limits,
        root: &'r Root,
        on_param: F,
    ) -> Result<(), Error> {
        if bytes.len() > limits.max_document {
            return Err(Error::TooLarge {
                what: "document",
                size: bytes.len(),
                limit: limits.max_document,
            });
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|e| syntax(format!("invalid UTF-8 at byte {}", e.valid_up_to())))?;
        let mut reader = Reader::from_str(text);
        let mut parser = Parser {
            document: text,
            limits,
            root,
            on_param,
            position: Position::Prolog,
            seen_event: false,
            namespace_declarations: 0,
            m2m_alias: None,
            params: 0,
            seen_params: ParamSet::default(),
            stack: Vec::with_capacity(8),
        };
        loop {
            let event = reader
                .read_event()
                .map_err(|e| syntax(format!("{e} at byte {}", reader.error_position())))?;
            if parser.event(event)? {
                return Ok(());
            }
        }
    }

    /// Handles one event; `true` at the end of the document.
    fn event(&mut self, event: Event<'a>) -> Result<bool, Error> {
        let first = !self.seen_event;
        self.seen_event = true;
        match event {
            Event::Start(e) => self.start(&e, false)?,
            Event::Empty(e) => self.start(&e, true)?,
            Event::End(_) => self.end()?,
            Event::Text(t) => self.text(checked_text(t.into_inner())?)?,
            Event::CData(c) => self.text(checked_text(c.into_inner())?)?,
            Event::GeneralRef(r) => self.text(resolve_reference(&r)?)?,
            Event::Comment(_) => {}
            Event::Decl(decl) => {
                if !first {
                    return Err(syntax("XML declaration after the start of the document"));
                }
                // Parsing the declaration's pseudo-attributes costs as much as an element;
                // the usual declaration (ours) is recognised by its bytes.
                if self.document.starts_with(XML_DECLARATION) {
                    return Ok(false);
                }
                if let Some(encoding) = decl.encoding() {
                    let encoding = encoding.map_err(|e| syntax(e.to_string()))?;
                    if !encoding.eq_ignore_ascii_case("utf-8") {
                        return Err(syntax(format!("encoding {encoding}: oneM2M XML is UTF-8")));
                    }
                }
            }
            Event::PI(_) => return Err(Error::ForbiddenXml("processing instruction")),
            Event::DocType(_) => return Err(Error::ForbiddenXml("DOCTYPE (DTD and entities)")),
            Event::Eof => {
                return match self.position {
                    Position::Epilog => Ok(true),
                    Position::Prolog => Err(syntax("no root element")),
                    Position::InRoot => Err(syntax(format!(
                        "document ends before </{}> (truncated?)",
                        self.stack
                            .get(1)
                            .map_or(self.root.name, |frame| &frame.name)
                    ))),
                };
            }
        }
        Ok(false)
    }

    fn start(&mut self, e: &BytesStart<'a>, empty: bool) -> Result<(), Error> {
        match self.position {
            Position::Prolog if self.root.content => {
                let name = e.name().into_inner();
                let prefix = name.split_once(':').map_or("", |(prefix, _)| prefix);
                // Counted with the element's other attributes when they are read.
                self.bind_namespaces(e, name, prefix)?;
                self.position = Position::InRoot;
                self.stack.push(Frame::new(Cow::Borrowed(CONTENT)));
                self.start(e, empty)
            }
            Position::Prolog => {
                self.open_root(e)?;
                self.position = if empty {
                    Position::Epilog
                } else {
                    Position::InRoot
                };
                Ok(())
            }
            Position::Epilog => Err(syntax("an element after the root element")),
            Position::InRoot => {
                // Parameters are level 1, so an element at level n makes its parent a map
                // at level n - 1, counted as `Value::depth` counts.
                if self.stack.len() > self.limits.max_depth {
                    return Err(Error::TooDeep {
                        limit: self.limits.max_depth,
                    });
                }
                match self.stack.last_mut() {
                    Some(parent) => parent.child_starts()?,
                    None => {
                        self.params += 1;
                        check_items(self.limits, self.params)?;
                    }
                }
                let mut frame = Frame::new(self.element_name(e.name().into_inner()));
                read_attributes(e, &mut frame, &mut self.namespace_declarations, self.limits)?;
                self.stack.push(frame);
                if empty {
                    self.end()?;
                }
                Ok(())
            }
        }
    }

    fn open_root(&mut self, e: &BytesStart<'_>) -> Result<(), Error> {
        let name = e.name().into_inner();
        let (prefix, local) = name.split_once(':').unwrap_or(("", name));
        if local != self.root.local_name() {
            return Err(Error::NotAPrimitive {
                expected: self.root.what,
                found: format!("<{name}>"),
            });
        }
        // The root as the writer writes it, recognised without parsing its attribute.
        if name == REQUEST_ROOT || name == RESPONSE_ROOT {
            let declaration = e.attributes_raw().strip_prefix(" xmlns:m2m=\"");
            if declaration.and_then(|rest| rest.strip_suffix('"')) == Some(NAMESPACE) {
                return count_namespace_declaration(&mut self.namespace_declarations);
            }
        }
        for _ in 0..self.bind_namespaces(e, name, prefix)? {
            count_namespace_declaration(&mut self.namespace_declarations)?;
        }
        Ok(())
    }

    /// Reads the namespace declarations of the document element `name`: refuses another
    /// namespace for its own `prefix`, and notes a prefix other than `m2m` bound to
    /// oneM2M's. Returns how many it declares.
    fn bind_namespaces(
        &mut self,
        e: &BytesStart<'_>,
        name: &str,
        prefix: &str,
    ) -> Result<usize, Error> {
        let mut declarations = 0;
        let mut count = 0;
        for attribute in e.attributes() {
            let attribute = attribute.map_err(|e| syntax(e.to_string()))?;
            count += 1;
            check_attribute_count(count)?;
            let key = attribute.key.into_inner();
            let declared = if key == "xmlns" {
                ""
            } else if let Some(declared) = key.strip_prefix("xmlns:") {
                declared
            } else {
                continue;
            };
            declarations += 1;
            let uri = if attribute.value == NAMESPACE {
                Cow::Borrowed(NAMESPACE)
            } else {
                attribute
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|e| syntax(e.to_string()))?
            };
            // A missing declaration is tolerated (some peers omit it); a wrong one is not.
            if declared == prefix && uri != NAMESPACE {
                return Err(Error::NotAPrimitive {
                    expected: self.root.what,
                    found: format!("<{name}> in namespace {uri:?}"),
                });
            }
            if uri == NAMESPACE && !declared.is_empty() && declared != "m2m" {
                self.m2m_alias = Some(declared.to_owned());
            }
        }
        Ok(declarations)
    }

    /// The member name of an element: its qualified name, borrowed from the document.
    fn element_name(&self, qname: &str) -> Cow<'a, str> {
        let aliased = self.m2m_alias.as_deref().and_then(|alias| {
            qname
                .strip_prefix(alias)
                .and_then(|rest| rest.strip_prefix(':'))
        });
        if let Some(local) = aliased {
            return Cow::Owned(format!("m2m:{local}"));
        }
        document_slice(self.document, qname)
            .map_or_else(|| Cow::Owned(qname.to_owned()), Cow::Borrowed)
    }

    fn end(&mut self) -> Result<(), Error> {
        let Some(frame) = self.stack.pop() else {
            self.position = Position::Epilog;
            return Ok(());
        };
        match self.stack.last_mut() {
            None => {
                let param = (self.root.param)(&frame.name);
                // The XSD allows each parameter once; which copy would win is up to the
                // peer, so a repeated one is refused (as JSON and CBOR refuse it).
                if let Some((_, bit)) = param
                    && !self.seen_params.insert(bit)
                {
                    return Err(syntax(format!("parameter {} repeated", frame.name)));
                }
                let kind = param.map(|(kind, _)| kind);
                // Parameters go to the collector as text, which coerces it leniently. Only
                // an empty one depends on its kind: null for a tree, "" for text.
                let text_param = frame.is_leaf()
                    && (!frame.text.is_empty()
                        || matches!(kind, Some(kind) if kind != ParamKind::Tree));
                let (name, value) = if text_param {
                    (frame.name, param_text(frame.text, kind))
                } else {
                    frame.into_value(Shape::One(Scalar::Text), self.limits)?
                };
                (self.on_param)(&name, value)
            }
            Some(parent) => {
                let shape = schema::shape(&parent.name, &frame.name);
                let (name, value) = frame.into_value(shape, self.limits)?;
                parent.attach(Key::from(name), value, shape, self.limits)?;
                if self.root.content && self.stack.len() == 1 {
                    // The document element of content alone has ended: so has the document.
                    self.end()?;
                    self.position = Position::Epilog;
                }
                Ok(())
            }
        }
    }

    fn text(&mut self, piece: Cow<'a, str>) -> Result<(), Error> {
        match (self.position, self.stack.last_mut()) {
            (Position::InRoot, Some(frame)) => frame.append_text(piece),
            _ if is_blank(&piece) => Ok(()),
            (Position::InRoot, None) => {
                Err(syntax(format!("text directly inside <{}>", self.root.name)))
            }
            _ => Err(syntax("text outside the root element")),
        }
    }
}

/// Turns the attributes of a content element into members of its map.
fn read_attributes(
    e: &BytesStart<'_>,
    frame: &mut Frame<'_>,
    namespace_declarations: &mut usize,
    limits: &Limits,
) -> Result<(), Error> {
    if is_blank(e.attributes_raw()) {
        return Ok(());
    }
    let mut count = 0;
    for attribute in e.attributes() {
        let attribute = attribute.map_err(|e| syntax(e.to_string()))?;
        count += 1;
        check_attribute_count(count)?;
        let key = attribute.key.into_inner();
        if key == "xmlns" || key.starts_with("xmlns:") {
            count_namespace_declaration(namespace_declarations)?;
            continue;
        }
        // xsi:nil, xsi:type: schema instructions, not data.
        if key.starts_with("xsi:") {
            continue;
        }
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| syntax(e.to_string()))?;
        if let Some(c) = first_illegal_char(&value) {
            return Err(illegal_char(c));
        }
        let value = match schema::shape(&frame.name, key) {
            Shape::One(kind) => scalar(value, kind),
            Shape::SpaceList(_) | Shape::Repeated(_) => Value::Text(value.into_owned()),
        };
        check_items(limits, frame.members.len() + 1)?;
        if key == "rn" {
            frame.members.insert_first(Key::from(key), value);
        } else {
            frame.members.push(Key::from(key), value);
        }
    }
    Ok(())
}

fn count_namespace_declaration(declarations: &mut usize) -> Result<(), Error> {
    *declarations += 1;
    if *declarations > MAX_NAMESPACE_DECLARATIONS {
        return Err(Error::ForbiddenXml(
            "more than 16 namespace declarations in one document",
        ));
    }
    Ok(())
}

/// An element being read.
struct Frame<'a> {
    name: Cow<'a, str>,
    /// Attributes, then child elements.
    members: Members,
    has_children: bool,
    /// Text content; borrowed from the document unless it came in several pieces.
    text: Cow<'a, str>,
}

impl<'a> Frame<'a> {
    fn new(name: Cow<'a, str>) -> Self {
        Self {
            name,
            members: Members::default(),
            has_children: false,
            text: Cow::Borrowed(""),
        }
    }

    fn is_leaf(&self) -> bool {
        !self.has_children && self.members.is_empty()
    }

    fn child_starts(&mut self) -> Result<(), Error> {
        if !self.has_children {
            if !is_blank(&self.text) {
                return Err(self.mixed_content());
            }
            self.has_children = true;
            self.text = Cow::Borrowed("");
        }
        Ok(())
    }

    fn append_text(&mut self, piece: Cow<'a, str>) -> Result<(), Error> {
        if self.has_children {
            // Indentation between child elements.
            return if is_blank(&piece) {
                Ok(())
            } else {
                Err(self.mixed_content())
            };
        }
        if self.text.is_empty() {
            self.text = piece;
        } else {
            self.text.to_mut().push_str(&piece);
        }
        Ok(())
    }

    fn mixed_content(&self) -> Error {
        syntax(format!("<{}> mixes text and elements", self.name))
    }

    /// The element's name and value: a map if it has attributes or children (its text
    /// becoming `val` when it has only attributes), else its text typed by `shape`, or null
    /// when empty.
    fn into_value(self, shape: Shape, limits: &Limits) -> Result<(Cow<'a, str>, Value), Error> {
        let Frame {
            name,
            mut members,
            has_children,
            text,
        } = self;
        let kind = match shape {
            Shape::One(kind) | Shape::SpaceList(kind) | Shape::Repeated(kind) => kind,
        };
        if has_children {
            return Ok((name, Value::Map(members.into_map())));
        }
        if !members.is_empty() {
            if !text.is_empty() {
                check_items(limits, members.len() + 1)?;
                members.push(Key::from_static("val"), scalar(text, kind));
            }
            return Ok((name, Value::Map(members.into_map())));
        }
        if text.is_empty() {
            return Ok((name, Value::Null));
        }
        match shape {
            Shape::One(kind) | Shape::Repeated(kind @ Scalar::Text) => {
                Ok((name, scalar(text, kind)))
            }
            // A number never contains a space, so a repeated integer element also accepts
            // the xs:list form some peers send.
            Shape::SpaceList(kind) | Shape::Repeated(kind) => {
                let mut items = Vec::new();
                for item in text.split(is_xml_space).filter(|item| !item.is_empty()) {
                    check_items(limits, items.len() + 1)?;
                    items.push(scalar(Cow::Borrowed(item), kind));
                }
                Ok((name, Value::List(items)))
            }
        }
    }

    /// Adds a finished child element. Repeated siblings, and every element whose name the
    /// schema says repeats or is an `xs:list`, become one list.
    fn attach(
        &mut self,
        name: Key,
        value: Value,
        shape: Shape,
        limits: &Limits,
    ) -> Result<(), Error> {
        let listed = !matches!(shape, Shape::One(_));
        let Some(existing) = self.members.get_mut(&name) else {
            check_items(limits, self.members.len() + 1)?;
            let value = if listed && !matches!(value, Value::List(_) | Value::Null) {
                Value::List(vec![value])
            } else {
                value
            };
            self.members.push(name, value);
            return Ok(());
        };
        // Another element of the same name: the member becomes, or grows, a list.
        let mut items = match std::mem::replace(existing, Value::Null) {
            Value::List(items) => items,
            Value::Null if listed => Vec::new(),
            single => vec![single],
        };
        match value {
            Value::List(more) if listed => items.extend(more),
            Value::Null if listed => {}
            value => items.push(value),
        }
        check_items(limits, items.len())?;
        *existing = Value::List(items);
        Ok(())
    }
}

/// A map under construction. A small map is built in place; one that grows past
/// [`INDEXED_MEMBERS`] moves to a vector with a name index, so that looking up the names of
/// repeated elements stays linear in the size of the document.
enum Members {
    Small(Map),
    Large(Box<IndexedMembers>),
}

struct IndexedMembers {
    entries: Vec<(Key, Value)>,
    index: HashMap<Key, usize>,
}

impl Default for Members {
    fn default() -> Self {
        Members::Small(Map::new())
    }
}

impl Members {
    fn len(&self) -> usize {
        match self {
            Members::Small(map) => map.len(),
            Members::Large(large) => large.entries.len(),
        }
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn push(&mut self, name: Key, value: Value) {
        match self {
            // Room for a typical resource's members from the start, without regrowing.
            Members::Small(map) if map.is_empty() => {
                *map = Map::with_capacity(8);
                map.push(name, value);
            }
            Members::Small(map) if map.len() < INDEXED_MEMBERS => map.push(name, value),
            Members::Small(map) => {
                let entries: Vec<(Key, Value)> = std::mem::take(map).into_iter().collect();
                let index = entries
                    .iter()
                    .enumerate()
                    .map(|(i, (key, _))| (key.clone(), i))
                    .collect();
                *self = Members::Large(Box::new(IndexedMembers { entries, index }));
                self.push(name, value);
            }
            Members::Large(large) => {
                large.index.insert(name.clone(), large.entries.len());
                large.entries.push((name, value));
            }
        }
    }

    /// Puts `rn` before the other members, where TS-0004 lists it.
    fn insert_first(&mut self, name: Key, value: Value) {
        if self.is_empty() {
            self.push(name, value);
            return;
        }
        let earlier = std::mem::take(self).into_map();
        self.push(name, value);
        for (key, value) in earlier {
            self.push(key, value);
        }
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut Value> {
        match self {
            Members::Small(map) => map.get_mut(name),
            Members::Large(large) => {
                let position = *large.index.get(name)?;
                large.entries.get_mut(position).map(|(_, value)| value)
            }
        }
    }

    fn into_map(self) -> Map {
        match self {
            Members::Small(map) => map,
            Members::Large(large) => {
                let mut map = Map::with_capacity(large.entries.len());
                for (name, value) in large.entries {
                    map.push(name, value);
                }
                map
            }
        }
    }
}

/// Text refused if it holds a character XML 1.0 forbids (quick-xml does not check), and
/// read with XML's end-of-line handling (`\r\n` and `\r` become `\n`). Texts in a
/// primitive are short and rarely hold a control character, so one plain scan decides
/// both, sooner than quick-xml's vectorised search would.
fn checked_text(text: Cow<'_, str>) -> Result<Cow<'_, str>, Error> {
    if !may_hold_illegal_char(&text) {
        return Ok(text);
    }
    if let Some(c) = first_illegal_char(&text) {
        return Err(illegal_char(c));
    }
    if !text.contains('\r') {
        return Ok(text);
    }
    Ok(Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n")))
}

fn illegal_char(c: char) -> Error {
    syntax(format!("U+{:04X}, which XML 1.0 forbids", u32::from(c)))
}

/// The part of `document` that `part` is, with the document's lifetime. quick-xml's
/// events borrow the document, but its name accessors tie a name to the event; taking the
/// same bytes from the document lets a parameter name be used without copying it.
fn document_slice<'a>(document: &'a str, part: &str) -> Option<&'a str> {
    let start = (part.as_ptr() as usize).checked_sub(document.as_ptr() as usize)?;
    document.get(start..start.checked_add(part.len())?)
}

/// The value of a parameter given as text. The collector coerces text leniently; a
/// number or boolean it would read from the text is read here instead, which spares
/// copying text that is about to be parsed and dropped.
fn param_text(text: Cow<'_, str>, kind: Option<ParamKind>) -> Value {
    match kind {
        Some(ParamKind::Int) => scalar(text, Scalar::Int),
        Some(ParamKind::Bool) => scalar(text, Scalar::Bool),
        // Only the decimal form: other texts are timestamps or durations, for the
        // collector to parse (and `+5` is not a relative time there).
        Some(ParamKind::IntOrStr) => {
            let trimmed = text.trim_matches(is_xml_space);
            let digits = trimmed.strip_prefix('-').unwrap_or(trimmed);
            match trimmed.parse() {
                Ok(ms) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                    Value::Int(ms)
                }
                _ => Value::Text(text.into_owned()),
            }
        }
        _ => Value::Text(text.into_owned()),
    }
}

/// Types the text of an element or attribute. Text that does not parse as the expected
/// type stays text, for the validation layer to report with the attribute's name.
fn scalar(text: Cow<'_, str>, kind: Scalar) -> Value {
    let trimmed = || text.trim_matches(is_xml_space);
    match kind {
        Scalar::Text => {}
        Scalar::Int => {
            if let Ok(i) = trimmed().parse() {
                return Value::Int(i);
            }
        }
        Scalar::Bool => match trimmed() {
            "true" | "1" => return Value::Bool(true),
            "false" | "0" => return Value::Bool(false),
            _ => {}
        },
    }
    Value::Text(text.into_owned())
}

/// The text of `&name;`: one of the five predefined entities or a character reference.
/// Any other entity would need a DTD, which is refused, so it is undefined.
fn resolve_reference<'a>(reference: &BytesRef<'a>) -> Result<Cow<'a, str>, Error> {
    if let Some(text) = resolve_predefined_entity(reference) {
        return Ok(Cow::Borrowed(text));
    }
    match reference.resolve_char_ref() {
        Ok(Some(c)) if !is_xml_char(c) => Err(illegal_char(c)),
        Ok(Some(c)) => Ok(Cow::Owned(c.to_string())),
        Ok(None) => {
            let name: &str = reference;
            Err(syntax(format!("undefined entity &{name};")))
        }
        Err(e) => Err(syntax(e.to_string())),
    }
}

fn check_attribute_count(count: usize) -> Result<(), Error> {
    if count > MAX_ATTRIBUTES {
        return Err(Error::ForbiddenXml(
            "more than 32 attributes on one element",
        ));
    }
    Ok(())
}

fn check_items(limits: &Limits, count: usize) -> Result<(), Error> {
    if count > limits.max_items {
        return Err(Error::TooLarge {
            what: "element members or list items",
            size: count,
            limit: limits.max_items,
        });
    }
    Ok(())
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn is_blank(text: &str) -> bool {
    text.chars().all(is_xml_space)
}

fn syntax(message: impl Into<String>) -> Error {
    Error::Syntax {
        format: "xml",
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use onem2m_primitive::{Operation, ResourceType, ResponseStatusCode};

    use super::*;

    const HEAD: &str = r#"<m2m:rqp xmlns:m2m="http://www.onem2m.org/xml/protocols">"#;

    fn request(xml: &str) -> Result<RequestPrimitive, Error> {
        read_request(xml.as_bytes(), &Limits::default())
    }

    /// A request whose `pc` holds `content`, decoded; returns the `pc` value.
    fn content(content: &str) -> Value {
        let xml = format!("{HEAD}<op>5</op><to>x</to><rqi>r</rqi><pc>{content}</pc></m2m:rqp>");
        request(&xml).unwrap().pc.unwrap()
    }

    fn map<const N: usize>(members: [(&str, Value); N]) -> Value {
        Value::Map(members.into_iter().collect())
    }

    fn is_syntax(result: Result<RequestPrimitive, Error>) -> bool {
        matches!(result, Err(Error::Syntax { format: "xml", .. }))
    }

    #[test]
    fn an_indented_document_with_declaration_and_comments_decodes() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<!-- an AE registers -->
<m2m:rqp xmlns:m2m="http://www.onem2m.org/xml/protocols"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <op>1</op>
  <to>cse-in</to>
  <fr>CAE1</fr>
  <rqi>r1</rqi>
  <ty>2</ty>
  <pc>
    <m2m:ae rn="myAE">
      <api>Nx</api>
      <rr>true</rr>
      <srv>2a 3</srv>
    </m2m:ae>
  </pc>
  <rvi>3</rvi>
</m2m:rqp>
"#;
        let req = request(xml).unwrap();
        assert_eq!(req.op, Operation::Create);
        assert_eq!(req.ty, Some(ResourceType::AE));
        let ae = map([
            ("rn", "myAE".into()),
            ("api", "Nx".into()),
            ("rr", true.into()),
            ("srv", vec!["2a", "3"].into()),
        ]);
        assert_eq!(req.pc, Some(map([("m2m:ae", ae)])));
    }

    #[test]
    fn a_root_without_namespace_declaration_or_with_another_prefix_is_accepted() {
        let bare = "<m2m:rqp><op>2</op><to>x</to><rqi>r</rqi></m2m:rqp>";
        assert_eq!(request(bare).unwrap().op, Operation::Retrieve);
        let unprefixed = "<rqp><op>2</op><to>x</to><rqi>r</rqi></rqp>";
        assert_eq!(request(unprefixed).unwrap().rqi, "r");
        let aliased = r#"<p:rqp xmlns:p="http://www.onem2m.org/xml/protocols"><op>1</op><to>x</to>
            <rqi>r</rqi><ty>4</ty><pc><p:cin><con>1</con></p:cin></pc></p:rqp>"#;
        let pc = request(aliased).unwrap().pc.unwrap();
        assert_eq!(pc, map([("m2m:cin", map([("con", "1".into())]))]));
    }

    #[test]
    fn a_document_that_is_not_the_expected_primitive_is_refused() {
        let not_primitive = |result: Result<RequestPrimitive, Error>| {
            matches!(
                result,
                Err(Error::NotAPrimitive {
                    expected: "request primitive",
                    ..
                })
            )
        };
        assert!(not_primitive(request("<m2m:rsp><rsc>2000</rsc></m2m:rsp>")));
        assert!(not_primitive(request("<html><body/></html>")));
        assert!(not_primitive(request(
            r#"<m2m:rqp xmlns:m2m="urn:other"><op>1</op></m2m:rqp>"#
        )));
        let response = read_response(
            format!("{HEAD}<op>1</op><to>x</to><rqi>r</rqi></m2m:rqp>").as_bytes(),
            &Limits::default(),
        );
        assert!(matches!(
            response,
            Err(Error::NotAPrimitive {
                expected: "response primitive",
                ..
            })
        ));
    }

    #[test]
    fn missing_mandatory_parameters_are_named() {
        assert_eq!(
            request(&format!("{HEAD}<op>1</op><to>x</to></m2m:rqp>")).unwrap_err(),
            Error::MissingParameter("rqi")
        );
    }

    #[test]
    fn doctype_entities_and_processing_instructions_are_forbidden() {
        let billion_laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<m2m:rqp><op>1</op><to>&lol9;</to><rqi>r</rqi></m2m:rqp>"#;
        assert!(matches!(
            request(billion_laughs),
            Err(Error::ForbiddenXml(_))
        ));
        let external = r#"<!DOCTYPE m2m:rqp SYSTEM "file:///etc/passwd"><m2m:rqp/>"#;
        assert!(matches!(request(external), Err(Error::ForbiddenXml(_))));
        let pi = format!("{HEAD}<?php evil() ?><op>1</op><to>x</to><rqi>r</rqi></m2m:rqp>");
        assert!(matches!(request(&pi), Err(Error::ForbiddenXml(_))));
        assert!(matches!(
            request(&format!("<?xml-stylesheet href=\"x\"?>{HEAD}</m2m:rqp>")),
            Err(Error::ForbiddenXml(_))
        ));
    }

    #[test]
    fn only_predefined_entities_and_character_references_are_resolved() {
        assert_eq!(
            content("<con>&lt;&gt;&amp;&apos;&quot;&#65;&#x42;</con>"),
            map([("con", "<>&'\"AB".into())])
        );
        assert!(is_syntax(request(&format!(
            "{HEAD}<op>1</op><to>&lol;</to><rqi>r</rqi></m2m:rqp>"
        ))));
        assert!(is_syntax(request(&format!(
            "{HEAD}<op>1</op><to>x</to><rqi>r</rqi><pc><m2m:ae rn=\"&xxe;\"/></pc></m2m:rqp>"
        ))));
    }

    #[test]
    fn nesting_ten_thousand_levels_deep_is_refused() {
        let deep = format!(
            "{HEAD}<op>1</op><to>x</to><rqi>r</rqi><pc>{}{}</pc></m2m:rqp>",
            "<a>".repeat(10_000),
            "</a>".repeat(10_000)
        );
        assert_eq!(request(&deep).unwrap_err(), Error::TooDeep { limit: 64 });
    }

    #[test]
    fn nesting_up_to_the_depth_limit_is_accepted() {
        let limits = Limits {
            max_depth: 3,
            ..Limits::default()
        };
        let at_limit = format!(
            "{HEAD}<op>1</op><to>x</to><rqi>r</rqi><pc><a><b><c>1</c></b></a></pc></m2m:rqp>"
        );
        assert!(read_request(at_limit.as_bytes(), &limits).is_ok());
        let beyond = at_limit.replace("<c>1</c>", "<c><d>1</d></c>");
        assert_eq!(
            read_request(beyond.as_bytes(), &limits).unwrap_err(),
            Error::TooDeep { limit: 3 }
        );
    }

    #[test]
    fn too_many_attributes_or_namespace_declarations_are_forbidden() {
        let attributes: String = (0..40).map(|i| format!(" a{i}=\"v\"")).collect();
        let xml =
            format!("{HEAD}<op>1</op><to>x</to><rqi>r</rqi><pc><x{attributes}/></pc></m2m:rqp>");
        assert!(matches!(request(&xml), Err(Error::ForbiddenXml(_))));
        let declarations: String = (0..20)
            .map(|i| format!(" xmlns:p{i}=\"urn:{i}\""))
            .collect();
        let xml =
            format!("{HEAD}<op>1</op><to>x</to><rqi>r</rqi><pc><x{declarations}/></pc></m2m:rqp>");
        assert!(matches!(request(&xml), Err(Error::ForbiddenXml(_))));
        let duplicate = format!(
            "{HEAD}<op>1</op><to>x</to><rqi>r</rqi><pc><x a=\"1\" a=\"2\"/></pc></m2m:rqp>"
        );
        assert!(is_syntax(request(&duplicate)));
    }

    #[test]
    fn size_and_item_limits_are_enforced() {
        let limits = Limits {
            max_document: 10,
            ..Limits::default()
        };
        assert!(matches!(
            read_request(HEAD.as_bytes(), &limits),
            Err(Error::TooLarge {
                what: "document",
                ..
            })
        ));
        let limits = Limits {
            max_items: 3,
            ..Limits::default()
        };
        let many = format!(
            "{HEAD}<op>1</op><to>x</to><rqi>r</rqi><pc><x>{}</x></pc></m2m:rqp>",
            "<a/>".repeat(4)
        );
        assert!(matches!(
            read_request(many.as_bytes(), &limits),
            Err(Error::TooLarge { .. })
        ));
        let long_list =
            format!("{HEAD}<op>1</op><to>x</to><rqi>r</rqi><pc><lbl>a b c d</lbl></pc></m2m:rqp>");
        assert!(matches!(
            read_request(long_list.as_bytes(), &limits),
            Err(Error::TooLarge { .. })
        ));
    }

    #[test]
    fn many_distinct_children_decode() {
        let children: String = (0..1000).map(|i| format!("<a{i}>{i}</a{i}>")).collect();
        let Value::Map(members) = content(&format!("<x>{children}</x>")) else {
            panic!("not a map");
        };
        let Some(Value::Map(x)) = members.get("x") else {
            panic!("no x");
        };
        assert_eq!(x.len(), 1000);
        assert_eq!(x.get("a999"), Some(&Value::from("999")));
    }

    #[test]
    fn malformed_documents_are_syntax_errors() {
        let valid = format!(
            "{HEAD}<op>1</op><to>x</to><rqi>r</rqi><pc><m2m:cin><con>1</con></m2m:cin></pc></m2m:rqp>"
        );
        assert!(request(&valid).is_ok());
        for end in 0..valid.len() {
            assert!(
                request(&valid[..end]).is_err(),
                "prefix of {end} bytes accepted"
            );
        }
        assert!(is_syntax(request(&valid[..valid.len() - 3])));
        assert!(is_syntax(request(&format!("{valid}garbage"))));
        assert!(is_syntax(request(&format!("{valid}<m2m:rqp/>"))));
        assert!(is_syntax(request(&valid.replace("</con>", "</cnf>"))));
        assert!(is_syntax(request(
            &valid.replace("<con>1</con>", "text<con>1</con>")
        )));
        assert!(is_syntax(request("")));
        assert!(is_syntax(request(&format!(
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>{valid}"
        ))));
        assert!(is_syntax(request(&format!(
            " {HEAD}<?xml version=\"1.0\"?></m2m:rqp>"
        ))));
        assert!(request(&format!("{valid}\n<!-- trailing comment -->\n")).is_ok());
    }

    #[test]
    fn number_and_boolean_parameters_read_as_the_collector_reads_their_text() {
        let xml = format!(
            "{HEAD}<op> 2 </op><to>x</to><rqi>r</rqi><rqet>-10000</rqet><rset>PT10S</rset><da>1</da></m2m:rqp>"
        );
        let req = request(&xml).unwrap();
        assert_eq!(req.op, Operation::Retrieve);
        assert_eq!(
            req.rqet,
            Some(onem2m_primitive::AbsRelTimestamp::Relative(-10_000))
        );
        assert!(matches!(
            req.rset,
            Some(onem2m_primitive::AbsRelTimestamp::Duration(_))
        ));
        assert_eq!(req.da, Some(true));
        // `+5` is an integer but no relative time: refused as before, not read as 5.
        let plus = format!("{HEAD}<op>2</op><to>x</to><rqi>r</rqi><rqet>+5</rqet></m2m:rqp>");
        assert!(matches!(
            request(&plus),
            Err(Error::InvalidValue { name: "rqet", .. })
        ));
        let not_a_number = format!("{HEAD}<op>two</op><to>x</to><rqi>r</rqi></m2m:rqp>");
        assert!(matches!(
            request(&not_a_number),
            Err(Error::WrongType { .. })
        ));
    }

    #[test]
    fn a_repeated_parameter_is_refused_and_a_repeated_unknown_element_ignored() {
        let repeated = format!("{HEAD}<op>2</op><to>x</to><rqi>r1</rqi><rqi>r2</rqi></m2m:rqp>");
        assert!(is_syntax(request(&repeated)));
        let unknown = format!("{HEAD}<op>2</op><to>x</to><rqi>r</rqi><zz/><zz/></m2m:rqp>");
        assert_eq!(request(&unknown).unwrap().rqi, "r");
    }

    #[test]
    fn characters_xml_forbids_are_refused_raw_or_as_references() {
        for text in ["a\u{1}b", "a&#1;b", "a&#xFFFE;b", "\u{FFFF}"] {
            let xml = format!("{HEAD}<op>2</op><to>x</to><rqi>{text}</rqi></m2m:rqp>");
            assert!(is_syntax(request(&xml)), "{text:?}");
        }
        let in_attribute = format!(
            "{HEAD}<op>1</op><to>x</to><rqi>r</rqi><pc><m2m:ae rn=\"&#8;\"/></pc></m2m:rqp>"
        );
        assert!(is_syntax(request(&in_attribute)));
        let tab_and_newline =
            format!("{HEAD}<op>2</op><to>x</to><rqi>a&#9;b&#10;c</rqi></m2m:rqp>");
        assert_eq!(request(&tab_and_newline).unwrap().rqi, "a\tb\nc");
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let xml = format!("\u{feff}{HEAD}<op>2</op><to>x</to><rqi>r</rqi></m2m:rqp>");
        assert_eq!(request(&xml).unwrap().rqi, "r");
    }

    #[test]
    fn invalid_utf8_is_a_syntax_error() {
        let mut bytes = format!("{HEAD}<op>1</op><to>").into_bytes();
        bytes.extend_from_slice(&[0xC3, 0x28]);
        bytes.extend_from_slice(b"</to><rqi>r</rqi></m2m:rqp>");
        assert!(matches!(
            read_request(&bytes, &Limits::default()),
            Err(Error::Syntax { .. })
        ));
    }

    #[test]
    fn attributes_with_text_become_a_map_with_val() {
        assert_eq!(
            content(r#"<m2m:rrl><rrf nm="c" typ="3">/id-in/c</rrf></m2m:rrl>"#),
            map([(
                "m2m:rrl",
                map([(
                    "rrf",
                    Value::List(vec![map([
                        ("nm", "c".into()),
                        ("typ", 3.into()),
                        ("val", "/id-in/c".into()),
                    ])])
                )])
            )])
        );
        assert_eq!(
            content(r#"<m2m:ae api="Nx" rn="first"/>"#),
            map([(
                "m2m:ae",
                map([("rn", "first".into()), ("api", "Nx".into())])
            )])
        );
    }

    #[test]
    fn lists_decode_from_both_forms() {
        assert_eq!(content("<lbl>a</lbl>"), map([("lbl", vec!["a"].into())]));
        assert_eq!(
            content("<lbl> a\n b </lbl>"),
            map([("lbl", vec!["a", "b"].into())])
        );
        assert_eq!(
            content("<x><y>1</y><y>2</y><z/><y>3</y></x>"),
            map([(
                "x",
                map([("y", vec!["1", "2", "3"].into()), ("z", Value::Null)])
            )])
        );
        assert_eq!(
            content("<pv><acr><acop>1</acop></acr></pv>"),
            map([(
                "pv",
                map([("acr", Value::List(vec![map([("acop", 1.into())])]))])
            )])
        );
        let xml = format!(
            "{HEAD}<op>2</op><to>x</to><rqi>r</rqi><fc><ty>2</ty><ty>3 4</ty></fc></m2m:rqp>"
        );
        assert_eq!(
            request(&xml).unwrap().fc,
            Some(map([("ty", vec![2i64, 3, 4].into())]))
        );
    }

    #[test]
    fn empty_elements_are_null_and_empty_text_parameters_are_empty() {
        let xml = format!(
            "{HEAD}<op>3</op><to>x</to><fr/><rqi>r</rqi><pc><m2m:ae><lbl/><apn></apn><x xsi:nil=\"true\"/></m2m:ae></pc></m2m:rqp>"
        );
        let req = request(&xml).unwrap();
        assert_eq!(req.fr.as_deref(), Some(""));
        assert_eq!(
            req.pc,
            Some(map([(
                "m2m:ae",
                map([
                    ("lbl", Value::Null),
                    ("apn", Value::Null),
                    ("x", Value::Null)
                ])
            )]))
        );
    }

    #[test]
    fn text_that_does_not_fit_the_schema_type_stays_text() {
        assert_eq!(
            content("<m2m:cnt><mni>many</mni><rr>maybe</rr><cni> 7 </cni></m2m:cnt>"),
            map([(
                "m2m:cnt",
                map([
                    ("mni", "many".into()),
                    ("rr", "maybe".into()),
                    ("cni", 7.into())
                ])
            )])
        );
    }

    #[test]
    fn cdata_and_line_endings_are_text() {
        assert_eq!(
            content("<con><![CDATA[<a & b>]]>\r\nend</con>"),
            map([("con", "<a & b>\nend".into())])
        );
    }

    #[test]
    fn a_response_with_debug_info_decodes() {
        let xml = r#"<m2m:rsp xmlns:m2m="http://www.onem2m.org/xml/protocols"><rsc>4004</rsc><rqi>r1</rqi><pc><m2m:dbg>not found: cse-in/x</m2m:dbg></pc><rvi>3</rvi></m2m:rsp>"#;
        let rsp = read_response(xml.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(rsp.rsc, ResponseStatusCode::NOT_FOUND);
        assert_eq!(rsp.debug_message(), Some("not found: cse-in/x"));
    }
}
