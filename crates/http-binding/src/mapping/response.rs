//! A response primitive as an HTTP response, and back (TS-0009 6.3, 6.4, 6.5).
//!
//! | primitive | HTTP |
//! |---|---|
//! | `rsc` | status (see [`super::status`]) and `X-M2M-RSC` |
//! | `rqi`, `fr`, `ot`, `rset`, `ec`, `cnst`, `cnot`, `rvi`, `vsi` | `X-M2M-RI`, `-Origin`, `-OT`, `-RST`, `-EC`, `-CTS`, `-CTO`, `-RVI`, `-VSI` |
//! | `ati` | `X-M2M-ATI`: `lti:tkid` pairs joined by `+` |
//! | `asri` | `X-M2M-ASRI`, when it is text |
//! | `pc` | body, in the request's serialization; on a Create, `Content-Location` from `m2m:uri` or `m2m:rce.uri` |
//!
//! `to` is not carried: the response travels back on the request's own connection, and
//! its client knows the originator.

use bytes::Bytes;
use http::Response;
use http::header::HeaderMap;
use onem2m_primitive::{Map, Operation, ResponsePrimitive, Value};
use onem2m_serialization::params::{Param, ResponseFields, response_params};

use super::headers::{self as h, get, put};
use super::media_type::BodyFormat;
use super::status::{http_status, rsc_from_http_status};
use super::{HttpMapping, content_type, param_text, percent};
use crate::error::Error;

/// Response parameters carried in a header as their text (TS-0009 6.4).
const HEADER_PARAMS: [(&str, &str); 10] = [
    ("rsc", h::RSC),
    ("rqi", h::RI),
    ("fr", h::ORIGIN),
    ("ot", h::OT),
    ("rset", h::RST),
    ("ec", h::EC),
    ("cnst", h::CTS),
    ("cnot", h::CTO),
    ("rvi", h::RVI),
    ("vsi", h::VSI),
];

/// The members of `ati` (m2m:dynAuthLocalTokenIdAssignments): a list of `ltia`
/// entries, each a local token ID and a token ID.
const ASSIGNMENTS: &str = "ltia";
const LOCAL_TOKEN_ID: &str = "lti";
const TOKEN_ID: &str = "tkid";

impl HttpMapping {
    /// The HTTP response for `response`, which answers a request of operation
    /// `answering`, with its body in `format` (the request's serialization, or the one
    /// its `Accept` chose: [`super::request::IncomingRequest::response_format`]).
    pub fn response_to_http(
        &self,
        response: &ResponsePrimitive,
        answering: Operation,
        format: BodyFormat,
    ) -> Result<Response<Bytes>, Error> {
        let mut headers = HeaderMap::new();
        response_params(response, |name, param| {
            write_param(name, param, &mut headers)
        })?;
        let body = self.write_body(response.pc.as_ref(), format)?;
        if !body.is_empty() {
            put(&mut headers, h::CONTENT_TYPE, "pc", format.media_type())?;
        }
        if answering == Operation::Create
            && let Some(uri) = response.pc.as_ref().and_then(created_uri)
        {
            // A URI reference: characters a header cannot carry are percent-encoded.
            put(
                &mut headers,
                h::CONTENT_LOCATION,
                "pc",
                &percent::encode_path(uri),
            )?;
        }
        let mut http_response = Response::builder()
            .status(http_status(response.rsc))
            .body(body)?;
        *http_response.headers_mut() = headers;
        Ok(http_response)
    }

    /// The response primitive an HTTP response carries. Without `X-M2M-RSC` (a response
    /// from HTTP machinery rather than a CSE), `rsc` is the most general code of the
    /// HTTP status.
    pub fn response_from_http(
        &self,
        response: &Response<Bytes>,
    ) -> Result<ResponsePrimitive, Error> {
        let headers = response.headers();
        let mut fields = ResponseFields::new();
        let mut set = |name: &str, value: Value| fields.set(name, value).map_err(Error::Parameter);
        if get(headers, h::RSC)?.is_none() {
            let rsc = rsc_from_http_status(response.status());
            set("rsc", Value::Int(rsc.code().into()))?;
        }
        for (param, header) in HEADER_PARAMS {
            if let Some(text) = get(headers, header)? {
                set(param, Value::Text(text.to_owned()))?;
            }
        }
        if let Some(text) = get(headers, h::ATI)? {
            set("ati", assignments(text)?)?;
        }
        if let Some(text) = get(headers, h::ASRI)? {
            set("asri", Value::Text(text.to_owned()))?;
        }
        if let Some(pc) = self.read_body(response.body(), content_type(headers)?)? {
            set("pc", pc)?;
        }
        fields.finish().map_err(Error::Parameter)
    }
}

/// Writes one parameter into its header. `pc` is the body; `to` is not carried.
fn write_param(name: &'static str, param: Param<'_>, headers: &mut HeaderMap) -> Result<(), Error> {
    if let Some((_, header)) = HEADER_PARAMS.iter().find(|(param, _)| *param == name) {
        let text = param_text(&param)
            .ok_or_else(|| Error::not_mappable(name, "its value has no text form"))?;
        return put(headers, header, name, &text);
    }
    match (name, param) {
        ("pc" | "to", _) => Ok(()),
        ("ati", Param::Tree(ati)) => put(headers, h::ATI, name, &assignments_text(&ati)?),
        ("asri", Param::Tree(asri)) => match asri.as_ref() {
            Value::Text(text) => put(headers, h::ASRI, name, text),
            _ => Err(Error::not_mappable(
                name,
                "TS-0009 gives X-M2M-ASRI no form for structured information",
            )),
        },
        (name, _) => Err(Error::not_mappable(
            name,
            "no HTTP form in TS-0009 (a token request information body would be read back as content)",
        )),
    }
}

/// The URI of a created resource in a Create response's content (TS-0009 6.4.4): the
/// content of result content 2 (`m2m:uri`) or 3 (`m2m:rce` with its `uri`).
fn created_uri(pc: &Value) -> Option<&str> {
    let content = pc.as_map()?;
    content.get("m2m:uri").and_then(Value::as_str).or_else(|| {
        content
            .get("m2m:rce")?
            .as_map()?
            .get("uri")
            .and_then(Value::as_str)
    })
}

/// `ati` as `X-M2M-ATI` text: `lti:tkid` pairs joined by `+` (TS-0009 6.4.18).
fn assignments_text(ati: &Value) -> Result<String, Error> {
    let not_mappable = || {
        Error::not_mappable(
            "ati",
            "X-M2M-ATI carries {ltia: [{lti, tkid}]} with lti free of : and +, tkid free of +",
        )
    };
    let entries = ati
        .as_map()
        .filter(|ati| ati.len() == 1)
        .and_then(|ati| ati.get(ASSIGNMENTS))
        .and_then(Value::as_list)
        .filter(|entries| !entries.is_empty())
        .ok_or_else(not_mappable)?;
    let mut pairs = Vec::with_capacity(entries.len());
    for entry in entries {
        let entry = entry
            .as_map()
            .filter(|entry| entry.len() == 2)
            .ok_or_else(not_mappable)?;
        let (Some(lti), Some(tkid)) = (
            entry.get(LOCAL_TOKEN_ID).and_then(Value::as_str),
            entry.get(TOKEN_ID).and_then(Value::as_str),
        ) else {
            return Err(not_mappable());
        };
        if lti.is_empty() || lti.contains([':', '+']) || tkid.contains('+') {
            return Err(not_mappable());
        }
        pairs.push(format!("{lti}:{tkid}"));
    }
    Ok(pairs.join("+"))
}

/// `ati` from `X-M2M-ATI` text.
fn assignments(text: &str) -> Result<Value, Error> {
    let mut entries = Vec::new();
    for pair in text.split('+') {
        let Some((lti, tkid)) = pair.trim().split_once(':') else {
            return Err(Error::Header {
                name: h::ATI,
                reason: "each assignment must be lti:tkid".to_owned(),
            });
        };
        let mut entry = Map::with_capacity(2);
        entry.push(LOCAL_TOKEN_ID, Value::Text(lti.to_owned()));
        entry.push(TOKEN_ID, Value::Text(tkid.to_owned()));
        entries.push(Value::Map(entry));
    }
    let mut ati = Map::with_capacity(1);
    ati.push(ASSIGNMENTS, Value::List(entries));
    Ok(Value::Map(ati))
}
