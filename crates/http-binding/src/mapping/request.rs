//! A request primitive as an HTTP request, and back (TS-0009 6.2, 6.4, 6.5).
//!
//! | primitive | HTTP |
//! |---|---|
//! | `op` | method: Create and Notify POST, Retrieve GET, Update PUT, Delete DELETE |
//! | `ty` | `Content-Type: application/vnd.onem2m-res+<format>; ty=<ty>` (Create only) |
//! | `to` | path (see [`super::target`]); a partial retrieve's `#attr` is `atrl=attr` |
//! | `fr`, `rqi`, `ot`, `rqet`, `rset`, `oet`, `ec`, `gid`, `rvi`, `vsi` | `X-M2M-Origin`, `-RI`, `-OT`, `-RET`, `-RST`, `-OET`, `-EC`, `-GID`, `-RVI`, `-VSI` |
//! | `rt` | `rt=<rtv>` in the query, `rt.nu` in `X-M2M-RTU` joined by `&` |
//! | `rcn`, `rp`, `drt`, `da`, `tqi`, `asi`, `auri`, `sqi` | query fields |
//! | `rids`, `tids`, `ltids`, `grtm` | query fields, items joined by `+` |
//! | `fc` | query fields (see [`super::filter_criteria`]) |
//! | `tkns` | `Authorization`, tokens joined by `+` |
//! | `aus` | `X-M2M-AS`, signatures joined by `+` |
//! | `pc` | body, in the serialization of `Content-Type`; a Retrieve's `m2m:atrl` is `atrl` |
//!
//! At the receiver a POST whose `Content-Type` has `ty` is a Create, one without is a
//! Notify (TS-0009 6.2.1).

use bytes::Bytes;
use http::header::HeaderMap;
use http::{Method, Request};
use onem2m_primitive::{Map, Operation, RequestPrimitive, ResponseType, Value};
use onem2m_serialization::params::{Param, RequestFields, request_params};

use super::filter_criteria::{self, FilterCriteriaReader};
use super::headers::{self as h, get, put};
use super::media_type::{BodyFormat, negotiate};
use super::query::{self, QueryWriter};
use super::target::{path_from_to, to_from_path};
use super::{HttpMapping, content_type, param_text};
use crate::error::Error;

/// Request parameters carried in a header as their text (TS-0009 6.4).
const HEADER_PARAMS: [(&str, &str); 10] = [
    ("fr", h::ORIGIN),
    ("rqi", h::RI),
    ("ot", h::OT),
    ("rqet", h::RET),
    ("rset", h::RST),
    ("oet", h::OET),
    ("ec", h::EC),
    ("gid", h::GID),
    ("rvi", h::RVI),
    ("vsi", h::VSI),
];

/// Request parameters that are a query field of their own (TS-0009 Table 6.2.2.2-1).
const QUERY_PARAMS: [&str; 8] = ["rcn", "rp", "drt", "da", "tqi", "asi", "auri", "sqi"];

/// Request parameters that are a `+`-joined list in one query field. `grtm` is not in
/// TS-0009 V3.9.1's text; it travels like the other lists of IDs.
const QUERY_LIST_PARAMS: [&str; 4] = ["rids", "tids", "ltids", "grtm"];

/// The query field of the response type's value.
const RT: &str = "rt";
/// The query field of a partial retrieve's attribute names (TS-0009 6.2.2.2).
const ATRL: &str = "atrl";
/// The content member that lists a partial retrieve's attributes (TS-0004 attributeList).
const ATTRIBUTE_LIST: &str = "m2m:atrl";

/// Whether `name` is a query field of a request parameter, which an attribute filter of
/// `fc` must not shadow.
fn is_request_field(name: &str) -> bool {
    QUERY_PARAMS.contains(&name) || QUERY_LIST_PARAMS.contains(&name) || [RT, ATRL].contains(&name)
}

/// A request read from HTTP.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomingRequest {
    /// The request primitive.
    pub primitive: RequestPrimitive,
    /// The serialization the response's body must use: from `Accept`, else the
    /// request's own body format, else JSON (TS-0009 6.4.2, 6.4.3).
    pub response_format: BodyFormat,
}

impl HttpMapping {
    /// The HTTP request for `request`, its body (if any) in `format`, asking for a
    /// response in the same format. The URI is origin-form (path and query): the
    /// client adds the scheme and authority of the next hop.
    pub fn request_to_http(
        &self,
        request: &RequestPrimitive,
        format: BodyFormat,
    ) -> Result<Request<Bytes>, Error> {
        let method = method(request)?;
        let mut headers = HeaderMap::new();
        let mut query = QueryWriter::default();
        let PartialRetrieve {
            to,
            attributes,
            content,
        } = partial_retrieve(request)?;
        request_params(request, |name, param| {
            write_param(name, param, &mut headers, &mut query)
        })?;
        if let Some(rt) = &request.rt {
            query.pair(RT, &rt.rtv.code().to_string());
            if !rt.nu.is_empty() {
                if let Some(nu) = rt.nu.iter().find(|nu| nu.contains('&')) {
                    return Err(Error::not_mappable(
                        "rt.nu",
                        format!("{nu:?}: X-M2M-RTU joins URIs with &"),
                    ));
                }
                put(&mut headers, h::RTU, "rt.nu", &rt.nu.join("&"))?;
            }
        }
        if let Some(attributes) = attributes {
            query.list(ATRL, attributes)?;
        }
        let body = self.write_body(content, format)?;
        let ty = request.ty.filter(|_| request.op == Operation::Create);
        if !body.is_empty() || ty.is_some() {
            put(
                &mut headers,
                h::CONTENT_TYPE,
                "pc",
                &format.content_type(ty),
            )?;
        }
        put(&mut headers, h::ACCEPT, "pc", format.media_type())?;
        let mut uri = path_from_to(to)?;
        if let Some(query) = query.finish() {
            uri.push('?');
            uri.push_str(&query);
        }
        let mut http_request = Request::builder().method(method).uri(uri).body(body)?;
        *http_request.headers_mut() = headers;
        Ok(http_request)
    }

    /// The request primitive an HTTP request carries, and the format its response
    /// must use.
    ///
    /// Every error carries the status the receiver answers with ([`Error::status_code`]):
    /// 4000 for a malformed header, query or parameter, 4005 for a method with no
    /// operation, 4015 for a body it cannot read, 5207 for an `Accept` it cannot meet.
    pub fn request_from_http(&self, request: &Request<Bytes>) -> Result<IncomingRequest, Error> {
        let headers = request.headers();
        let content_type = content_type(headers)?;
        let ty = content_type.and_then(|content_type| content_type.ty);
        let op = operation(request.method(), ty.is_some())?;
        let mut fields = Fields::default();
        fields.set("op", Value::Int(op.code()))?;
        if let Some(ty) = ty {
            fields.set("ty", Value::Int(ty.code().into()))?;
        }
        for (param, header) in HEADER_PARAMS {
            if let Some(text) = get(headers, header)? {
                fields.set(param, Value::Text(text.to_owned()))?;
            }
        }
        if let Some(tokens) =
            get(headers, h::AUTHORIZATION)?.filter(|text| !is_http_credential(text))
        {
            fields.set("tkns", plus_list(tokens))?;
        }
        if let Some(signatures) = get(headers, h::AS)? {
            fields.set("aus", plus_list(signatures))?;
        }
        let query = read_query(request.uri().query().unwrap_or_default())?;
        if let Some(rt) = response_type(query.rtv, get(headers, h::RTU)?) {
            fields.set("rt", rt)?;
        }
        for (name, value) in query.params {
            fields.set(name, value)?;
        }
        if let Some(fc) = query.filter_criteria.finish() {
            fields.set("fc", fc)?;
        }
        let to = to_from_path(request.uri().path())?;
        let pc = self.read_body(request.body(), content_type)?;
        let (to, pc) = merge_partial_retrieve(op, to, pc, query.attributes)?;
        fields.set("to", Value::Text(to))?;
        if let Some(pc) = pc {
            fields.set("pc", pc)?;
        }
        let response_format = negotiate(
            get(headers, h::ACCEPT)?,
            content_type.map(|content_type| content_type.format),
        )?;
        Ok(IncomingRequest {
            primitive: fields.finish()?,
            response_format,
        })
    }
}

/// `to` and `pc` with the attribute names of `atrl` put back (TS-0009 6.2.2.2): one name
/// after `#` in `to`, several as `m2m:atrl` content.
fn merge_partial_retrieve(
    op: Operation,
    to: String,
    pc: Option<Value>,
    attributes: Vec<String>,
) -> Result<(String, Option<Value>), Error> {
    match (attributes.as_slice(), op, &pc) {
        ([], _, _) => Ok((to, pc)),
        (_, Operation::Retrieve, Some(_)) => {
            Err(Error::query(ATRL, "a partial retrieve with a body as well"))
        }
        ([attribute], Operation::Retrieve, None) => Ok((format!("{to}#{attribute}"), None)),
        (_, Operation::Retrieve, None) => {
            let list = attributes.into_iter().map(Value::Text).collect();
            let mut content = Map::with_capacity(1);
            content.push(ATTRIBUTE_LIST, Value::List(list));
            Ok((to, Some(Value::Map(content))))
        }
        (_, op, _) => Err(Error::query(
            ATRL,
            format!("a partial retrieve field on a {op:?} request"),
        )),
    }
}

/// The method for `op` (TS-0009 Table 6.2.1-1); `ty` belongs to a Create only.
fn method(request: &RequestPrimitive) -> Result<Method, Error> {
    if request.ty.is_some() && request.op != Operation::Create {
        return Err(Error::not_mappable(
            "ty",
            "Content-Type carries ty for a Create only",
        ));
    }
    Ok(match request.op {
        Operation::Create | Operation::Notify => Method::POST,
        Operation::Retrieve => Method::GET,
        Operation::Update => Method::PUT,
        Operation::Delete => Method::DELETE,
    })
}

/// The operation of a method; a POST is a Create when its `Content-Type` has `ty`.
fn operation(method: &Method, has_ty: bool) -> Result<Operation, Error> {
    let op = match *method {
        Method::POST if has_ty => Operation::Create,
        Method::POST => Operation::Notify,
        Method::GET => Operation::Retrieve,
        Method::PUT => Operation::Update,
        Method::DELETE => Operation::Delete,
        _ => return Err(Error::Method(method.to_string())),
    };
    if has_ty && op != Operation::Create {
        return Err(Error::Header {
            name: h::CONTENT_TYPE,
            reason: format!("ty on a {method} request"),
        });
    }
    Ok(op)
}

/// A request's target and content, with a partial retrieve's attribute names apart.
struct PartialRetrieve<'r> {
    /// `to` without a partial retrieve's `#attr`.
    to: &'r str,
    /// The attribute names for `atrl`.
    attributes: Option<Vec<&'r str>>,
    /// The content left for the body (a Retrieve's `m2m:atrl` goes to `atrl` instead).
    content: Option<&'r Value>,
}

fn partial_retrieve(request: &RequestPrimitive) -> Result<PartialRetrieve<'_>, Error> {
    if request.op != Operation::Retrieve {
        return Ok(PartialRetrieve {
            to: &request.to,
            attributes: None,
            content: request.pc.as_ref(),
        });
    }
    let listed = request
        .pc
        .as_ref()
        .and_then(Value::as_map)
        .filter(|content| content.len() == 1)
        .and_then(|content| content.get(ATTRIBUTE_LIST))
        .map(|list| -> Result<Vec<&str>, Error> {
            list.as_list()
                .ok_or_else(|| not_attribute_name("pc"))?
                .iter()
                .map(|name| name.as_str().ok_or_else(|| not_attribute_name("pc")))
                .collect()
        })
        .transpose()?;
    let content = if listed.is_some() {
        None
    } else {
        request.pc.as_ref()
    };
    let (to, fragment) = match request.to.split_once('#') {
        Some((to, attribute)) => (to, Some(attribute)),
        None => (request.to.as_str(), None),
    };
    let attributes = match (fragment, listed) {
        (Some(_), Some(_)) => {
            return Err(Error::not_mappable(
                "to",
                "a partial retrieve names attributes in to and in pc",
            ));
        }
        (Some(attribute), None) => Some(vec![attribute]),
        (None, listed) => listed,
    };
    if let Some(attributes) = &attributes
        && (attributes.is_empty()
            || attributes
                .iter()
                .any(|name| name.is_empty() || name.contains(['#', '+'])))
    {
        return Err(not_attribute_name("atrl"));
    }
    Ok(PartialRetrieve {
        to,
        attributes,
        content,
    })
}

fn not_attribute_name(parameter: &str) -> Error {
    Error::not_mappable(
        parameter,
        "a partial retrieve needs attribute short names (non-empty, without # or +)",
    )
}

/// Writes one parameter into its header or query field. `op`, `to`, `ty`, `pc` and `rt`
/// are written by the caller.
fn write_param(
    name: &'static str,
    param: Param<'_>,
    headers: &mut HeaderMap,
    query: &mut QueryWriter,
) -> Result<(), Error> {
    if let Some((_, header)) = HEADER_PARAMS.iter().find(|(param, _)| *param == name) {
        let text = param_text(&param).ok_or_else(|| not_text(name))?;
        return put(headers, header, name, &text);
    }
    if QUERY_PARAMS.contains(&name) {
        let text = param_text(&param).ok_or_else(|| not_text(name))?;
        query.pair(name, &text);
        return Ok(());
    }
    match (name, param) {
        ("op" | "to" | "ty" | "pc" | "rt", _) => Ok(()),
        (name, Param::StrList(items)) if QUERY_LIST_PARAMS.contains(&name) => {
            query.list(name, items.iter().map(String::as_str))
        }
        ("fc", Param::Tree(fc)) => filter_criteria::write(&fc, query, is_request_field),
        ("tkns", Param::StrList(tokens)) => {
            let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
            put(
                headers,
                h::AUTHORIZATION,
                name,
                &plus_joined(name, &tokens)?,
            )
        }
        ("aus", Param::Tree(signatures)) => {
            let signatures = match signatures.as_ref() {
                Value::Text(one) => vec![one.as_str()],
                Value::List(items) => items
                    .iter()
                    .map(|item| item.as_str().ok_or_else(|| not_text(name)))
                    .collect::<Result<_, _>>()?,
                _ => return Err(not_text(name)),
            };
            put(headers, h::AS, name, &plus_joined(name, &signatures)?)
        }
        (name, _) => Err(Error::not_mappable(name, "no HTTP form in TS-0009")),
    }
}

fn not_text(name: &str) -> Error {
    Error::not_mappable(name, "its value has no text form")
}

/// Items joined by `+` for a header: none of them may be empty or hold `+` or a space.
fn plus_joined(name: &str, items: &[&str]) -> Result<String, Error> {
    if items.is_empty()
        || items
            .iter()
            .any(|item| item.is_empty() || item.contains(['+', ' ']))
    {
        return Err(Error::not_mappable(
            name,
            "a +-joined header needs non-empty items without + or spaces",
        ));
    }
    Ok(items.join("+"))
}

/// The items of a `+`-joined header; whitespace around them is insignificant
/// (TS-0009 6.4.24).
fn plus_list(text: &str) -> Value {
    Value::List(
        text.split('+')
            .map(|item| Value::Text(item.trim().to_owned()))
            .collect(),
    )
}

/// Whether an `Authorization` value is HTTP authentication (`Basic ...`, `Bearer ...`)
/// rather than oneM2M tokens: a scheme is one word without the dots every JWS and JWE
/// has, followed by a space.
fn is_http_credential(text: &str) -> bool {
    text.split_once(' ')
        .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains(['.', '+']))
}

/// `rt` from the `rt` query field and `X-M2M-RTU`. Notification URIs without a response
/// type can only belong to nonBlockingRequestAsynch, the one type that uses them.
fn response_type(rtv: Option<String>, rtu: Option<&str>) -> Option<Value> {
    if rtv.is_none() && rtu.is_none() {
        return None;
    }
    let mut rt = Map::with_capacity(2);
    rt.push(
        "rtv",
        rtv.map_or(
            Value::Int(ResponseType::NonBlockingRequestAsynch.code()),
            Value::Text,
        ),
    );
    if let Some(rtu) = rtu.filter(|rtu| !rtu.is_empty()) {
        let nu = rtu
            .split('&')
            .map(|nu| Value::Text(nu.to_owned()))
            .collect();
        rt.push("nu", Value::List(nu));
    }
    Some(Value::Map(rt))
}

/// What the query of a request holds.
#[derive(Debug, Default)]
struct RequestQuery {
    /// Request parameters, typed by the primitive's collector.
    params: Vec<(&'static str, Value)>,
    rtv: Option<String>,
    attributes: Vec<String>,
    filter_criteria: FilterCriteriaReader,
}

/// Sorts the query's fields: request parameters, `rt`, `atrl`, and filter criteria.
/// A parameter given twice is malformed, except the lists (TS-0009 multiplicity `0..n`),
/// whose items add up.
fn read_query(text: &str) -> Result<RequestQuery, Error> {
    let mut query = RequestQuery::default();
    let mut lists: Vec<(&'static str, Vec<Value>)> = Vec::new();
    for pair in query::parse(text)? {
        let name = pair.name.as_str();
        if let Some(param) = QUERY_PARAMS.iter().find(|param| **param == name) {
            if query.params.iter().any(|(seen, _)| seen == param) {
                return Err(Error::query(name, "given more than once"));
            }
            query.params.push((param, Value::Text(pair.scalar()?)));
        } else if let Some(param) = QUERY_LIST_PARAMS.iter().find(|param| **param == name) {
            let items = pair.list()?.into_iter().map(Value::Text);
            match lists.iter_mut().find(|(seen, _)| seen == param) {
                Some((_, list)) => list.extend(items),
                None => lists.push((param, items.collect())),
            }
        } else if name == RT {
            if query.rtv.is_some() {
                return Err(Error::query(name, "given more than once"));
            }
            query.rtv = Some(pair.scalar()?);
        } else if name == ATRL {
            query.attributes.extend(pair.list()?);
        } else {
            query.filter_criteria.take(&pair)?;
        }
    }
    query.params.extend(
        lists
            .into_iter()
            .map(|(param, items)| (param, Value::List(items))),
    );
    Ok(query)
}

/// The primitive's collector, with its errors as [`Error::Parameter`].
#[derive(Default)]
struct Fields(RequestFields);

impl Fields {
    fn set(&mut self, name: &str, value: Value) -> Result<(), Error> {
        self.0.set(name, value).map_err(Error::Parameter)
    }

    fn finish(self) -> Result<RequestPrimitive, Error> {
        self.0.finish().map_err(Error::Parameter)
    }
}
