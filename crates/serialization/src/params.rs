//! The mapping between primitives and their parameters, shared by every format.
//!
//! TS-0004 gives XML, JSON and CBOR one data model: a primitive is a set of parameters
//! named by short names, in the XSD order. Encoders walk [`request_params`] /
//! [`response_params`], which lend each parameter as a [`Param`] without copying it.
//! Decoders feed `(short name, value)` pairs into [`RequestFields`] / [`ResponseFields`],
//! which type-check them, accept the lenient forms real peers send (numbers as strings,
//! `xs:list` as space-separated text from XML), and ignore unknown members.

use std::borrow::Cow;

use onem2m_primitive::{
    AbsRelTimestamp, ContentStatus, DesiredIdentifierResultType, EventCategory, Map, Operation,
    ReleaseVersion, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode,
    ResponseType, ResponseTypeInfo, ResultContent, Timestamp, Value,
};

use crate::error::Error;

/// One parameter of a primitive, lent to an encoder.
#[derive(Debug, Clone, PartialEq)]
pub enum Param<'a> {
    /// A string (IDs, URIs, timestamps, release version).
    Str(Cow<'a, str>),
    /// A number (enumerations, relative times, counters).
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A list of strings (`xs:list` of IDs or URIs).
    StrList(&'a [String]),
    /// A complex value (`pc`, `fc`, `rt`, ...).
    Tree(Cow<'a, Value>),
}

/// What a parameter is when it goes into XML: the element's text or a nested structure.
impl Param<'_> {
    /// Whether the parameter is a complex value.
    pub fn is_tree(&self) -> bool {
        matches!(self, Param::Tree(_))
    }
}

fn str_param(s: &str) -> Param<'_> {
    Param::Str(Cow::Borrowed(s))
}

fn abs_rel(t: &AbsRelTimestamp) -> Param<'static> {
    match t {
        AbsRelTimestamp::Relative(ms) => Param::Int(*ms),
        other => Param::Str(Cow::Owned(other.to_string())),
    }
}

/// Calls `f` with every parameter of `req` that is present, in XSD order.
pub fn request_params<'a, E>(
    req: &'a RequestPrimitive,
    mut f: impl FnMut(&'static str, Param<'a>) -> Result<(), E>,
) -> Result<(), E> {
    f("op", Param::Int(req.op.code()))?;
    f("to", str_param(&req.to))?;
    if let Some(fr) = &req.fr {
        f("fr", str_param(fr))?;
    }
    f("rqi", str_param(&req.rqi))?;
    if let Some(ty) = req.ty {
        f("ty", Param::Int(ty.code().into()))?;
    }
    if let Some(pc) = &req.pc {
        f("pc", Param::Tree(Cow::Borrowed(pc)))?;
    }
    if let Some(v) = &req.rids {
        f("rids", Param::StrList(v))?;
    }
    if let Some(ot) = &req.ot {
        f("ot", Param::Str(Cow::Owned(ot.to_string())))?;
    }
    for (name, t) in [("rqet", &req.rqet), ("rset", &req.rset), ("oet", &req.oet)] {
        if let Some(t) = t {
            f(name, abs_rel(t))?;
        }
    }
    if let Some(rt) = &req.rt {
        f("rt", Param::Tree(Cow::Owned(response_type_value(rt))))?;
    }
    if let Some(rp) = &req.rp {
        f("rp", abs_rel(rp))?;
    }
    if let Some(rcn) = req.rcn {
        f("rcn", Param::Int(rcn.code()))?;
    }
    if let Some(ec) = req.ec {
        f("ec", Param::Int(ec.code().into()))?;
    }
    if let Some(da) = req.da {
        f("da", Param::Bool(da))?;
    }
    if let Some(gid) = &req.gid {
        f("gid", str_param(gid))?;
    }
    if let Some(fc) = &req.fc {
        f("fc", Param::Tree(Cow::Borrowed(fc)))?;
    }
    if let Some(drt) = req.drt {
        f("drt", Param::Int(drt.code()))?;
    }
    for (name, list) in [
        ("tkns", &req.tkns),
        ("tids", &req.tids),
        ("ltids", &req.ltids),
    ] {
        if let Some(list) = list {
            f(name, Param::StrList(list))?;
        }
    }
    if let Some(tqi) = req.tqi {
        f("tqi", Param::Bool(tqi))?;
    }
    if let Some(grtm) = &req.grtm {
        f("grtm", Param::StrList(grtm))?;
    }
    if let Some(asi) = req.asi {
        f("asi", Param::Bool(asi))?;
    }
    if let Some(aus) = &req.aus {
        f("aus", Param::Tree(Cow::Borrowed(aus)))?;
    }
    if let Some(auri) = req.auri {
        f("auri", Param::Bool(auri))?;
    }
    if let Some(sqi) = req.sqi {
        f("sqi", Param::Bool(sqi))?;
    }
    if let Some(rvi) = &req.rvi {
        f("rvi", str_param(rvi.as_str()))?;
    }
    if let Some(vsi) = &req.vsi {
        f("vsi", str_param(vsi))?;
    }
    Ok(())
}

/// Calls `f` with every parameter of `rsp` that is present, in XSD order.
pub fn response_params<'a, E>(
    rsp: &'a ResponsePrimitive,
    mut f: impl FnMut(&'static str, Param<'a>) -> Result<(), E>,
) -> Result<(), E> {
    f("rsc", Param::Int(rsp.rsc.code().into()))?;
    if let Some(rqi) = &rsp.rqi {
        f("rqi", str_param(rqi))?;
    }
    if let Some(pc) = &rsp.pc {
        f("pc", Param::Tree(Cow::Borrowed(pc)))?;
    }
    if let Some(to) = &rsp.to {
        f("to", str_param(to))?;
    }
    if let Some(fr) = &rsp.fr {
        f("fr", str_param(fr))?;
    }
    if let Some(ot) = &rsp.ot {
        f("ot", Param::Str(Cow::Owned(ot.to_string())))?;
    }
    if let Some(rset) = &rsp.rset {
        f("rset", abs_rel(rset))?;
    }
    if let Some(ec) = rsp.ec {
        f("ec", Param::Int(ec.code().into()))?;
    }
    if let Some(cnst) = rsp.cnst {
        f("cnst", Param::Int(cnst.code()))?;
    }
    if let Some(cnot) = rsp.cnot {
        f("cnot", Param::Int(i64::try_from(cnot).unwrap_or(i64::MAX)))?;
    }
    for (name, v) in [("ati", &rsp.ati), ("tqf", &rsp.tqf), ("asri", &rsp.asri)] {
        if let Some(v) = v {
            f(name, Param::Tree(Cow::Borrowed(v)))?;
        }
    }
    if let Some(rvi) = &rsp.rvi {
        f("rvi", str_param(rvi.as_str()))?;
    }
    if let Some(vsi) = &rsp.vsi {
        f("vsi", str_param(vsi))?;
    }
    Ok(())
}

fn response_type_value(rt: &ResponseTypeInfo) -> Value {
    let mut m = Map::with_capacity(2);
    m.push("rtv", Value::Int(rt.rtv.code()));
    if !rt.nu.is_empty() {
        m.push(
            "nu",
            Value::List(rt.nu.iter().cloned().map(Value::Text).collect()),
        );
    }
    Value::Map(m)
}

/// The kind of value a parameter of a primitive holds, for decoders that cannot tell
/// from the wire (XML text is untyped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A string.
    Str,
    /// An integer.
    Int,
    /// An integer or a string (`m2m:absRelTimestamp`).
    IntOrStr,
    /// A boolean.
    Bool,
    /// A list of strings (`xs:list`).
    StrList,
    /// A complex value.
    Tree,
}

/// The kind of a request parameter, or `None` for a name that is not one.
pub fn request_param_kind(name: &str) -> Option<ParamKind> {
    RequestParam::from_name(name).map(RequestParam::kind)
}

/// The kind of a response parameter, or `None` for a name that is not one.
pub fn response_param_kind(name: &str) -> Option<ParamKind> {
    ResponseParam::from_name(name).map(ResponseParam::kind)
}

/// A parameter of a request, named once: decoders look a member name up here and then
/// dispatch on the variant, and keep the parameters met in a [`ParamSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RequestParam {
    Op,
    To,
    Fr,
    Rqi,
    Ty,
    Pc,
    Rids,
    Ot,
    Rqet,
    Rset,
    Oet,
    Rt,
    Rp,
    Rcn,
    Ec,
    Da,
    Gid,
    Fc,
    Drt,
    Tkns,
    Tids,
    Ltids,
    Tqi,
    Grtm,
    Asi,
    Aus,
    Auri,
    Sqi,
    Rvi,
    Vsi,
}

impl RequestParam {
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        use RequestParam::*;
        Some(match name {
            "op" => Op,
            "to" => To,
            "fr" => Fr,
            "rqi" => Rqi,
            "ty" => Ty,
            "pc" => Pc,
            "rids" => Rids,
            "ot" => Ot,
            "rqet" => Rqet,
            "rset" => Rset,
            "oet" => Oet,
            "rt" => Rt,
            "rp" => Rp,
            "rcn" => Rcn,
            "ec" => Ec,
            "da" => Da,
            "gid" => Gid,
            "fc" => Fc,
            "drt" => Drt,
            "tkns" => Tkns,
            "tids" => Tids,
            "ltids" => Ltids,
            "tqi" => Tqi,
            "grtm" => Grtm,
            "asi" => Asi,
            "aus" => Aus,
            "auri" => Auri,
            "sqi" => Sqi,
            "rvi" => Rvi,
            "vsi" => Vsi,
            _ => return None,
        })
    }

    pub(crate) fn kind(self) -> ParamKind {
        use ParamKind::*;
        use RequestParam::*;
        match self {
            To | Fr | Rqi | Ot | Gid | Rvi | Vsi => Str,
            Op | Ty | Rcn | Ec | Drt => Int,
            Rqet | Rset | Oet | Rp => IntOrStr,
            Da | Tqi | Asi | Auri | Sqi => Bool,
            Rids | Tkns | Tids | Ltids | Grtm => StrList,
            Pc | Fc | Rt | Aus => Tree,
        }
    }

    /// The parameter's bit in a [`ParamSet`].
    pub(crate) fn bit(self) -> u64 {
        1 << self as u32
    }
}

/// A parameter of a response (see [`RequestParam`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResponseParam {
    Rsc,
    Rqi,
    Pc,
    To,
    Fr,
    Ot,
    Rset,
    Ec,
    Cnst,
    Cnot,
    Ati,
    Tqf,
    Asri,
    Rvi,
    Vsi,
}

impl ResponseParam {
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        use ResponseParam::*;
        Some(match name {
            "rsc" => Rsc,
            "rqi" => Rqi,
            "pc" => Pc,
            "to" => To,
            "fr" => Fr,
            "ot" => Ot,
            "rset" => Rset,
            "ec" => Ec,
            "cnst" => Cnst,
            "cnot" => Cnot,
            "ati" => Ati,
            "tqf" => Tqf,
            "asri" => Asri,
            "rvi" => Rvi,
            "vsi" => Vsi,
            _ => return None,
        })
    }

    pub(crate) fn kind(self) -> ParamKind {
        use ParamKind::*;
        use ResponseParam::*;
        match self {
            Rqi | To | Fr | Ot | Rvi | Vsi => Str,
            Rsc | Ec | Cnst | Cnot => Int,
            Rset => IntOrStr,
            Pc | Ati | Tqf | Asri => Tree,
        }
    }

    /// The parameter's bit in a [`ParamSet`].
    pub(crate) fn bit(self) -> u64 {
        1 << self as u32
    }
}

/// The parameters a decoder has met, one bit each: refusing a repeated parameter costs
/// no allocation.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct ParamSet(u64);

impl ParamSet {
    /// Adds the parameter with `bit`; `false` when it was already there.
    pub(crate) fn insert(&mut self, bit: u64) -> bool {
        let new = self.0 & bit == 0;
        self.0 |= bit;
        new
    }
}

/// Collects the parameters of a request as a decoder finds them.
///
/// The mandatory `op`, `to` and `rqi` go straight into the request, with a flag each
/// saying they were given: [`Self::finish`] then moves the request out once (it is
/// several hundred bytes) instead of rebuilding it.
#[derive(Debug, Default)]
pub struct RequestFields {
    req: RequestPrimitive,
    has_op: bool,
    has_to: bool,
    has_rqi: bool,
}

impl RequestFields {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes one parameter. Unknown names are ignored (TS-0004 primitives grow with each
    /// release; a Release 3 receiver must still read a Release 4 request).
    pub fn set(&mut self, name: &str, value: Value) -> Result<(), Error> {
        match RequestParam::from_name(name) {
            Some(param) => self.set_param(param, value),
            None => Ok(()),
        }
    }

    /// Takes one parameter, already looked up.
    pub(crate) fn set_param(&mut self, param: RequestParam, value: Value) -> Result<(), Error> {
        use RequestParam::*;
        let r = &mut self.req;
        match param {
            Op => {
                let code = int("op", &value)?;
                r.op = Operation::try_from(code).map_err(invalid("op"))?;
                self.has_op = true;
            }
            To => {
                r.to = string("to", value)?;
                self.has_to = true;
            }
            Fr => r.fr = Some(string("fr", value)?),
            Rqi => {
                r.rqi = string("rqi", value)?;
                self.has_rqi = true;
            }
            Ty => r.ty = Some(resource_type("ty", &value)?),
            Pc => r.pc = Some(value),
            Rids => r.rids = Some(string_list("rids", value)?),
            Ot => r.ot = Some(timestamp("ot", &value)?),
            Rqet => r.rqet = Some(abs_rel_timestamp("rqet", &value)?),
            Rset => r.rset = Some(abs_rel_timestamp("rset", &value)?),
            Oet => r.oet = Some(abs_rel_timestamp("oet", &value)?),
            Rt => r.rt = Some(response_type_info(value)?),
            Rp => r.rp = Some(abs_rel_timestamp("rp", &value)?),
            Rcn => {
                r.rcn = Some(ResultContent::try_from(int("rcn", &value)?).map_err(invalid("rcn"))?)
            }
            Ec => r.ec = Some(EventCategory::new(int("ec", &value)?).map_err(invalid("ec"))?),
            Da => r.da = Some(boolean("da", &value)?),
            Gid => r.gid = Some(string("gid", value)?),
            Fc => r.fc = Some(value),
            Drt => {
                r.drt = Some(
                    DesiredIdentifierResultType::try_from(int("drt", &value)?)
                        .map_err(invalid("drt"))?,
                )
            }
            Tkns => r.tkns = Some(string_list("tkns", value)?),
            Tids => r.tids = Some(string_list("tids", value)?),
            Ltids => r.ltids = Some(string_list("ltids", value)?),
            Tqi => r.tqi = Some(boolean("tqi", &value)?),
            Grtm => r.grtm = Some(string_list("grtm", value)?),
            Asi => r.asi = Some(boolean("asi", &value)?),
            Aus => r.aus = Some(value),
            Auri => r.auri = Some(boolean("auri", &value)?),
            Sqi => r.sqi = Some(boolean("sqi", &value)?),
            Rvi => r.rvi = Some(release_version("rvi", &value)?),
            Vsi => r.vsi = Some(string("vsi", value)?),
        }
        Ok(())
    }

    /// The request, once `op`, `to` and `rqi` were seen.
    pub fn finish(self) -> Result<RequestPrimitive, Error> {
        for (given, name) in [
            (self.has_op, "op"),
            (self.has_to, "to"),
            (self.has_rqi, "rqi"),
        ] {
            if !given {
                return Err(Error::MissingParameter(name));
            }
        }
        Ok(self.req)
    }
}

/// Collects the parameters of a response as a decoder finds them.
#[derive(Debug, Default)]
pub struct ResponseFields {
    rsc: Option<ResponseStatusCode>,
    rsp: Option<ResponsePrimitive>,
}

impl ResponseFields {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes one parameter; unknown names are ignored (ACME adds `ty`, `rcn` and `drt`).
    pub fn set(&mut self, name: &str, value: Value) -> Result<(), Error> {
        match ResponseParam::from_name(name) {
            Some(param) => self.set_param(param, value),
            None => Ok(()),
        }
    }

    /// Takes one parameter, already looked up.
    pub(crate) fn set_param(&mut self, param: ResponseParam, value: Value) -> Result<(), Error> {
        use ResponseParam::*;
        let r = self.rsp.get_or_insert_with(|| {
            let mut rsp = ResponsePrimitive::new(ResponseStatusCode(0), String::new());
            rsp.rqi = None;
            rsp.rvi = None;
            rsp
        });
        match param {
            Rsc => {
                let code = int("rsc", &value)?;
                let code = u16::try_from(code)
                    .ok()
                    .filter(|c| (1000..10_000).contains(c))
                    .ok_or(Error::InvalidValue {
                        name: "rsc",
                        source: onem2m_primitive::Error::UnknownCode {
                            what: "response status",
                            code,
                        },
                    })?;
                self.rsc = Some(ResponseStatusCode(code));
            }
            Rqi => r.rqi = Some(string("rqi", value)?),
            Pc => r.pc = Some(value),
            To => r.to = Some(string("to", value)?),
            Fr => r.fr = Some(string("fr", value)?),
            Ot => r.ot = Some(timestamp("ot", &value)?),
            Rset => r.rset = Some(abs_rel_timestamp("rset", &value)?),
            Ec => r.ec = Some(EventCategory::new(int("ec", &value)?).map_err(invalid("ec"))?),
            Cnst => {
                r.cnst =
                    Some(ContentStatus::try_from(int("cnst", &value)?).map_err(invalid("cnst"))?)
            }
            Cnot => {
                let n = int("cnot", &value)?;
                r.cnot = Some(u64::try_from(n).map_err(|_| Error::InvalidValue {
                    name: "cnot",
                    source: onem2m_primitive::Error::OutOfRange {
                        what: "content offset",
                        value: n.to_string(),
                    },
                })?);
            }
            Ati => r.ati = Some(value),
            Tqf => r.tqf = Some(value),
            Asri => r.asri = Some(value),
            Rvi => r.rvi = Some(release_version("rvi", &value)?),
            Vsi => r.vsi = Some(string("vsi", value)?),
        }
        Ok(())
    }

    /// The response, once `rsc` was seen.
    pub fn finish(self) -> Result<ResponsePrimitive, Error> {
        let rsc = self.rsc.ok_or(Error::MissingParameter("rsc"))?;
        let mut rsp = self.rsp.ok_or(Error::MissingParameter("rsc"))?;
        rsp.rsc = rsc;
        Ok(rsp)
    }
}

fn invalid(name: &'static str) -> impl Fn(onem2m_primitive::Error) -> Error {
    move |source| Error::InvalidValue { name, source }
}

fn wrong(name: &str, expected: &'static str, found: &Value) -> Error {
    Error::WrongType {
        name: name.to_owned(),
        expected,
        found: found.kind(),
    }
}

/// An integer; a string of digits is accepted too (nCube-Thyme and Mobius send `"op":"1"`,
/// and XML text is always a string).
pub fn int(name: &str, value: &Value) -> Result<i64, Error> {
    value
        .lenient_int()
        .ok_or_else(|| wrong(name, "an integer", value))
}

/// A string; an integer is accepted and written in decimal (some peers send a numeric
/// `rqi`).
pub fn string(name: &str, value: Value) -> Result<String, Error> {
    match value {
        // The common case, taken without a call.
        Value::Text(text) => Ok(text),
        other => other
            .into_lenient_string()
            .map_err(|other| wrong(name, "a string", &other)),
    }
}

/// A boolean; the XML texts `true`/`false`/`1`/`0` are accepted too.
pub fn boolean(name: &str, value: &Value) -> Result<bool, Error> {
    value
        .lenient_bool()
        .ok_or_else(|| wrong(name, "a boolean", value))
}

/// A list of strings; space-separated text (the XML form of `xs:list`) is split.
pub fn string_list(name: &str, value: Value) -> Result<Vec<String>, Error> {
    value
        .into_lenient_list()
        .map_err(|other| wrong(name, "a list of strings", &other))?
        .into_iter()
        .map(|v| string(name, v))
        .collect()
}

/// A release version, parsed from the text without copying it (an integer is accepted,
/// as [`string`] accepts one).
fn release_version(name: &str, value: &Value) -> Result<ReleaseVersion, Error> {
    match value {
        Value::Text(s) => Ok(ReleaseVersion::parse(s)),
        Value::Int(i) => Ok(ReleaseVersion::parse(&i.to_string())),
        other => Err(wrong(name, "a string", other)),
    }
}

fn resource_type(name: &'static str, value: &Value) -> Result<ResourceType, Error> {
    let code = int(name, value)?;
    u32::try_from(code)
        .ok()
        .filter(|c| *c > 0)
        .map(ResourceType)
        .ok_or(Error::InvalidValue {
            name,
            source: onem2m_primitive::Error::UnknownCode {
                what: "resource type",
                code,
            },
        })
}

fn timestamp(name: &'static str, value: &Value) -> Result<Timestamp, Error> {
    match value {
        Value::Text(s) => Timestamp::parse(s).map_err(invalid(name)),
        other => Err(wrong(name, "a timestamp string", other)),
    }
}

fn abs_rel_timestamp(name: &'static str, value: &Value) -> Result<AbsRelTimestamp, Error> {
    match value {
        Value::Int(ms) => Ok(AbsRelTimestamp::Relative(*ms)),
        Value::Text(s) => AbsRelTimestamp::parse(s.trim()).map_err(invalid(name)),
        other => Err(wrong(name, "a timestamp or milliseconds", other)),
    }
}

fn response_type_info(value: Value) -> Result<ResponseTypeInfo, Error> {
    let Value::Map(mut m) = value else {
        return Err(wrong("rt", "a map with rtv", &value));
    };
    let rtv = m.remove("rtv").ok_or(Error::MissingParameter("rt.rtv"))?;
    let rtv = ResponseType::try_from(int("rtv", &rtv)?).map_err(invalid("rt"))?;
    let nu = match m.remove("nu") {
        Some(v) => string_list("nu", v)?,
        None => Vec::new(),
    };
    Ok(ResponseTypeInfo { rtv, nu })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn lenient_request_fields_accept_string_numbers_and_space_lists() {
        let mut f = RequestFields::new();
        f.set("op", Value::from("1")).unwrap();
        f.set("to", Value::from("cse-in")).unwrap();
        f.set("rqi", Value::Int(42)).unwrap();
        f.set("ty", Value::from("2")).unwrap();
        f.set("rids", Value::from("r1 r2")).unwrap();
        f.set("rqet", Value::from("-10000")).unwrap();
        f.set("unknownParam", Value::Null).unwrap();
        let req = f.finish().unwrap();
        assert_eq!(req.op, Operation::Create);
        assert_eq!(req.rqi, "42");
        assert_eq!(req.ty, Some(ResourceType::AE));
        assert_eq!(req.rids, Some(vec!["r1".to_owned(), "r2".to_owned()]));
        assert_eq!(req.rqet, Some(AbsRelTimestamp::Relative(-10_000)));
    }

    #[test]
    fn missing_and_wrong_parameters_name_the_parameter() {
        let mut f = RequestFields::new();
        f.set("op", Value::Int(2)).unwrap();
        f.set("to", Value::from("x")).unwrap();
        assert_eq!(f.finish().unwrap_err(), Error::MissingParameter("rqi"));
        let mut f = RequestFields::new();
        assert!(matches!(
            f.set("op", Value::Int(9)),
            Err(Error::InvalidValue { name: "op", .. })
        ));
        assert!(matches!(
            f.set("rqi", Value::List(vec![])),
            Err(Error::WrongType { .. })
        ));
    }

    #[test]
    fn params_walk_round_trips_through_fields() {
        let mut req = RequestPrimitive::retrieve("cse-in", "CAE1", "r1");
        req.rt = Some(ResponseTypeInfo {
            rtv: ResponseType::NonBlockingRequestAsynch,
            nu: vec!["mqtt://h/t".into()],
        });
        req.rqet = Some(AbsRelTimestamp::Relative(5000));
        req.da = Some(true);
        let mut f = RequestFields::new();
        request_params(&req, |k, p| {
            let v = match p {
                Param::Str(s) => Value::Text(s.into_owned()),
                Param::Int(i) => Value::Int(i),
                Param::Bool(b) => Value::Bool(b),
                Param::StrList(l) => Value::List(l.iter().cloned().map(Value::Text).collect()),
                Param::Tree(t) => t.into_owned(),
            };
            f.set(k, v)
        })
        .unwrap();
        assert_eq!(f.finish().unwrap(), req);
    }
}
