//! Rules shared by the formats whose primitive is one map of short names: JSON and CBOR
//! (TS-0004 8.4 and 8.5 give both the same data model).
//!
//! A reader only knows its format's syntax. It hands each top-level member to
//! [`TopLevel`], which accepts the wrapped form some peers send, refuses a repeated
//! parameter and feeds [`crate::params`]'s collectors; and it asks [`check_level`],
//! [`check_items`] and [`refuse_duplicate_keys`] about every map and list it builds.
//! Writers walk [`Parameters`] and use [`check_level`] too, so that whatever is encoded
//! can be decoded.
//!
//! Nesting is counted the way [`Value::depth`] counts it: a parameter's value is at level
//! 1 when it is a map or list, its children at level 2, and so on. The primitive's own map
//! (and a `m2m:rqp` / `m2m:rsp` wrapper around it) is level 0 and not counted.

use std::collections::HashSet;

use onem2m_primitive::{Map, RequestPrimitive, ResponsePrimitive, Value};

use crate::error::Error;
use crate::limits::Limits;
use crate::params::{
    Param, ParamSet, RequestFields, RequestParam, ResponseFields, ResponseParam, request_params,
    response_params,
};

/// A primitive that lends its parameters in XSD order, for the writers: one writer serves
/// requests and responses alike.
pub(crate) trait Parameters {
    /// Calls `f` with every parameter present ([`request_params`] / [`response_params`]).
    fn for_each_param<'a, E>(
        &'a self,
        f: impl FnMut(&'static str, Param<'a>) -> Result<(), E>,
    ) -> Result<(), E>;
}

impl Parameters for RequestPrimitive {
    fn for_each_param<'a, E>(
        &'a self,
        f: impl FnMut(&'static str, Param<'a>) -> Result<(), E>,
    ) -> Result<(), E> {
        request_params(self, f)
    }
}

impl Parameters for ResponsePrimitive {
    fn for_each_param<'a, E>(
        &'a self,
        f: impl FnMut(&'static str, Param<'a>) -> Result<(), E>,
    ) -> Result<(), E> {
        response_params(self, f)
    }
}

/// The request or the response collector of [`crate::params`], as [`TopLevel`] fills it.
pub(crate) trait PrimitiveFields: Default {
    /// What the collector builds.
    type Primitive;
    /// `request primitive` or `response primitive`, for [`Error::NotAPrimitive`].
    const EXPECTED: &'static str;
    /// The root name XML uses, which some JSON peers wrap the primitive in.
    const WRAPPER: &'static str;
    /// A parameter of this primitive, as [`crate::params`] names it.
    type Param: Copy;
    /// The parameter `name` is, if any (other members are ignored).
    fn parameter(name: &str) -> Option<Self::Param>;
    /// The parameter's bit in a [`ParamSet`].
    fn bit(param: Self::Param) -> u64;
    /// Takes one parameter.
    fn set(&mut self, param: Self::Param, value: Value) -> Result<(), Error>;
    /// The primitive, once every member was given.
    fn finish(self) -> Result<Self::Primitive, Error>;
}

impl PrimitiveFields for RequestFields {
    type Primitive = RequestPrimitive;
    const EXPECTED: &'static str = "request primitive";
    const WRAPPER: &'static str = "m2m:rqp";
    type Param = RequestParam;
    fn parameter(name: &str) -> Option<RequestParam> {
        RequestParam::from_name(name)
    }
    fn bit(param: RequestParam) -> u64 {
        param.bit()
    }
    fn set(&mut self, param: RequestParam, value: Value) -> Result<(), Error> {
        self.set_param(param, value)
    }
    fn finish(self) -> Result<RequestPrimitive, Error> {
        RequestFields::finish(self)
    }
}

impl PrimitiveFields for ResponseFields {
    type Primitive = ResponsePrimitive;
    const EXPECTED: &'static str = "response primitive";
    const WRAPPER: &'static str = "m2m:rsp";
    type Param = ResponseParam;
    fn parameter(name: &str) -> Option<ResponseParam> {
        ResponseParam::from_name(name)
    }
    fn bit(param: ResponseParam) -> u64 {
        param.bit()
    }
    fn set(&mut self, param: ResponseParam, value: Value) -> Result<(), Error> {
        self.set_param(param, value)
    }
    fn finish(self) -> Result<ResponsePrimitive, Error> {
        ResponseFields::finish(self)
    }
}

/// The members of a primitive's top-level map, as a reader meets them.
///
/// Mobius and nCube-Thyme accept `{"m2m:rqp": {...}}` as well as the plain object
/// TS-0004 prescribes, and some originators send it; an object whose only member is the
/// wrapper is unwrapped. A wrapper next to other members is an unknown member, ignored
/// like any other.
pub(crate) struct TopLevel<F> {
    fields: F,
    format: &'static str,
    max_items: usize,
    members: usize,
    wrapped: Option<Value>,
    /// The parameters met so far.
    seen: ParamSet,
}

impl<F: PrimitiveFields> TopLevel<F> {
    /// An empty top level for a document in `format` (`json`, `cbor`).
    pub(crate) fn new(format: &'static str, limits: &Limits) -> Self {
        Self {
            fields: F::default(),
            format,
            max_items: limits.max_items,
            members: 0,
            wrapped: None,
            seen: ParamSet::default(),
        }
    }

    /// The nesting level the value of member `key` starts at: a possible wrapper's map is
    /// not counted, every other value starts at level 1.
    pub(crate) fn level_of(&self, key: &str) -> usize {
        if self.members == 0 && key == F::WRAPPER {
            0
        } else {
            1
        }
    }

    /// Takes the next member.
    pub(crate) fn member(&mut self, key: &str, value: Value) -> Result<(), Error> {
        self.members += 1;
        check_items(self.max_items, self.members, "map")?;
        if self.members == 1 && key == F::WRAPPER {
            self.wrapped = Some(value);
            return Ok(());
        }
        // A second member: the first one was not a wrapper but an unknown member.
        self.wrapped = None;
        if let Some(param) = F::parameter(key) {
            if !self.seen.insert(F::bit(param)) {
                return Err(duplicate_key(self.format, key));
            }
            self.fields.set(param, value)?;
        }
        Ok(())
    }

    /// The primitive, from the members given.
    pub(crate) fn finish(self) -> Result<F::Primitive, Error> {
        let Some(wrapped) = self.wrapped else {
            return self.fields.finish();
        };
        let Value::Map(inner) = wrapped else {
            return Err(Error::NotAPrimitive {
                expected: F::EXPECTED,
                found: format!("{} holding a {}", F::WRAPPER, wrapped.kind()),
            });
        };
        // The inner map was built by the generic map reader, which already refused
        // duplicate keys and counted its members.
        let mut fields = F::default();
        for (name, value) in inner {
            if let Some(param) = F::parameter(&name) {
                fields.set(param, value)?;
            }
        }
        fields.finish()
    }
}

/// The deepest nesting read or written whatever the limits say. serde_json refuses deeper
/// JSON (127 nested arrays and objects, the primitive's own object included), and the
/// readers and writers recurse once per level: this keeps them well inside the stack of
/// a small thread.
pub(crate) const NESTING_CAP: usize = 126;

/// Refuses a map or list at `level` (see the module docs) when it is deeper than allowed.
pub(crate) fn check_level(limits: &Limits, level: usize) -> Result<(), Error> {
    let limit = limits.max_depth.min(NESTING_CAP);
    if level > limit {
        return Err(Error::TooDeep { limit });
    }
    Ok(())
}

/// Refuses a map or list with more than `max_items` members or items. Readers call it
/// with a declared length before they allocate, and with a running count otherwise.
pub(crate) fn check_items(max_items: usize, count: usize, what: &'static str) -> Result<(), Error> {
    if count > max_items {
        return Err(Error::TooLarge {
            what,
            size: count,
            limit: max_items,
        });
    }
    Ok(())
}

/// Refuses a document larger than the limit, before anything is parsed.
pub(crate) fn check_document(limits: &Limits, len: usize) -> Result<(), Error> {
    if len > limits.max_document {
        return Err(Error::TooLarge {
            what: "document",
            size: len,
            limit: limits.max_document,
        });
    }
    Ok(())
}

/// Maps up to this size are checked pairwise: cheaper than hashing their few keys.
const PAIRWISE_MAX: usize = 16;

/// Refuses a map with a repeated key.
///
/// Parsers disagree on which of two equal keys wins (first, last, or an error), so a
/// repeated key is a way to make two oneM2M entities see different content. Real peers
/// never send one (their JSON and CBOR libraries build maps from dictionaries).
pub(crate) fn refuse_duplicate_keys(map: &Map, format: &'static str) -> Result<(), Error> {
    let repeated = if map.len() <= PAIRWISE_MAX {
        map.iter()
            .enumerate()
            .find(|(i, (key, _))| map.iter().take(*i).any(|(earlier, _)| earlier == *key))
            .map(|(_, (key, _))| key)
    } else {
        let mut keys = HashSet::with_capacity(map.len());
        map.iter()
            .map(|(key, _)| key)
            .find(|key| !keys.insert(*key))
    };
    match repeated {
        Some(key) => Err(duplicate_key(format, key)),
        None => Ok(()),
    }
}

fn duplicate_key(format: &'static str, key: &str) -> Error {
    // The key comes from the peer: quote only its start.
    const SHOWN: usize = 64;
    let shown = match key.char_indices().nth(SHOWN) {
        Some((end, _)) => &key[..end],
        None => key,
    };
    Error::Syntax {
        format,
        message: format!("duplicate key {shown:?}"),
    }
}

/// Primitives the format tests of JSON and CBOR share.
#[cfg(test)]
pub(crate) mod samples {
    #![allow(clippy::unwrap_used)]
    use onem2m_primitive::{
        AbsRelTimestamp, ContentStatus, DesiredIdentifierResultType, EventCategory, IsoDuration,
        Map, ReleaseVersion, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode,
        ResponseType, ResponseTypeInfo, ResultContent, Timestamp, Value,
    };

    fn map<const N: usize>(members: [(&str, Value); N]) -> Value {
        Value::Map(members.into_iter().collect::<Map>())
    }

    /// The AE registration of ACME capture 01.
    pub(crate) fn ae_create() -> RequestPrimitive {
        let ae = map([
            ("rn", "rigJsonAE".into()),
            ("api", "Nrig.example.json".into()),
            ("rr", true.into()),
            ("srv", vec!["3"].into()),
            ("poa", vec!["mqtt://127.0.0.1:18830"].into()),
        ]);
        RequestPrimitive::create(
            "cse-in",
            "CrigJson",
            "848994-01",
            ResourceType::AE,
            map([("m2m:ae", ae)]),
        )
    }

    /// The contentInstance create of ACME capture 10, with a relative expiry.
    pub(crate) fn cin_create() -> RequestPrimitive {
        let cin = map([
            ("con", "21.5".into()),
            ("cnf", "text/plain:0".into()),
            ("lbl", vec!["rig", "temperature"].into()),
        ]);
        let mut req = RequestPrimitive::create(
            "cse-in/rigJsonAE/data",
            "CrigJson",
            "848994-10",
            ResourceType::CONTENT_INSTANCE,
            map([("m2m:cin", cin)]),
        );
        req.rqet = Some(AbsRelTimestamp::Relative(10_000));
        req
    }

    /// A notification with every kind of value: nested maps, lists, integers, a float, a
    /// boolean, null, and text that needs escaping in JSON.
    pub(crate) fn notify() -> RequestPrimitive {
        let rep = map([(
            "m2m:cin",
            map([
                ("con", "line 1\n\"quoted\" \\ tab\t é €".into()),
                ("cs", 4i64.into()),
                ("ri", "cinU5c3VOC3Zl".into()),
                ("ty", 4i64.into()),
                ("st", i64::MIN.into()),
                ("big", i64::MAX.into()),
                ("ratio", 0.1f64.into()),
                ("exact", 2.5f64.into()),
                ("flag", false.into()),
                ("none", Value::Null),
                ("empty", Value::List(vec![])),
                ("emptyMap", map([])),
            ]),
        )]);
        let sgn = map([
            ("nev", map([("net", 3i64.into()), ("rep", rep)])),
            ("sur", "/id-in/subNPhwcTdRiL".into()),
        ]);
        let mut req =
            RequestPrimitive::notify("CrigJson", "/id-in", "xQfDP0ZYxR", map([("m2m:sgn", sgn)]));
        req.ot = Some(Timestamp::parse("20261124T215237,752277").unwrap());
        req.rt = Some(ResponseTypeInfo {
            rtv: ResponseType::NonBlockingRequestAsynch,
            nu: vec!["mqtt://h/t".into()],
        });
        req.rqet = Some(AbsRelTimestamp::Relative(-5));
        req.rids = Some(vec!["r1".into(), "r2".into()]);
        req.da = Some(true);
        req
    }

    /// ACME's answer to the AE registration (capture 01), less its extra `drt`.
    pub(crate) fn created_response() -> ResponsePrimitive {
        let ae = map([
            ("rn", "rigJsonAE".into()),
            ("ri", "CrigJson".into()),
            ("ty", 2i64.into()),
            ("ct", "20261124T215237,114672".into()),
        ]);
        let mut rsp = ResponsePrimitive::new(ResponseStatusCode::CREATED, "848994-01")
            .with_content(map([("m2m:ae", ae)]));
        rsp.fr = Some("/id-in".into());
        rsp.to = Some("CrigJson".into());
        rsp.ot = Some(Timestamp::parse("20261124T215237,116712").unwrap());
        rsp
    }

    /// A request with every parameter set: more than 23 top-level members.
    pub(crate) fn every_request_parameter() -> RequestPrimitive {
        let mut req = cin_create();
        let list = || Some(vec!["a".to_owned(), "b c".to_owned()]);
        req.rids = list();
        req.ot = Some(Timestamp::parse("20261124T215237").unwrap());
        req.rset = Some(AbsRelTimestamp::parse("20261124T215237,5").unwrap());
        req.oet = Some(AbsRelTimestamp::Duration(
            IsoDuration::parse("PT2S").unwrap(),
        ));
        req.rt = Some(ResponseTypeInfo::new(ResponseType::BlockingRequest));
        req.rp = Some(AbsRelTimestamp::Relative(3_600_000));
        req.rcn = Some(ResultContent::AttributesAndChildResources);
        req.ec = Some(EventCategory::new(100).unwrap());
        req.da = Some(false);
        req.gid = Some("g1".into());
        req.fc = Some(map([("fu", 1i64.into()), ("ty", vec![4i64].into())]));
        req.drt = Some(DesiredIdentifierResultType::Unstructured);
        req.tkns = list();
        req.tids = list();
        req.ltids = list();
        req.tqi = Some(true);
        req.grtm = list();
        req.asi = Some(false);
        req.aus = Some(map([("sig", "x".into())]));
        req.auri = Some(true);
        req.sqi = Some(false);
        req.rvi = Some(ReleaseVersion::V4);
        req.vsi = Some("vendor".into());
        req
    }

    /// A response with every parameter set.
    pub(crate) fn every_response_parameter() -> ResponsePrimitive {
        let mut rsp = created_response();
        rsp.rset = Some(AbsRelTimestamp::Relative(5));
        rsp.ec = Some(EventCategory::LATEST);
        rsp.cnst = Some(ContentStatus::PartialContent);
        rsp.cnot = Some(7);
        rsp.ati = Some(vec!["t1"].into());
        rsp.tqf = Some(map([("a", Value::Null)]));
        rsp.asri = Some(map([("b", 1i64.into())]));
        rsp.rvi = Some(ReleaseVersion::Other("9".into()));
        rsp.vsi = Some("vendor".into());
        rsp
    }
}
