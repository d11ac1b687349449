//! The response primitive (TS-0004 7.2.1.2, short names from 8.2.2).

use crate::content_status::ContentStatus;
use crate::event_category::EventCategory;
use crate::release_version::ReleaseVersion;
use crate::request::RequestPrimitive;
use crate::status_code::ResponseStatusCode;
use crate::time::{AbsRelTimestamp, Timestamp};
use crate::value::{Map, Value};

/// A oneM2M response: every parameter of TS-0004 Table 7.2.1.2-1, by its short name.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponsePrimitive {
    /// `rsc`: the response status code.
    pub rsc: ResponseStatusCode,
    /// `rqi`: the request identifier, copied from the request. Mandatory, but a peer that
    /// could not read a request at all answers without it (ACME does), so it is optional
    /// here to let such a response still be decoded.
    pub rqi: Option<String>,
    /// `pc`: the primitive content.
    pub pc: Option<Value>,
    /// `to`: the originator of the request.
    pub to: Option<String>,
    /// `fr`: the responder.
    pub fr: Option<String>,
    /// `ot`: originating timestamp.
    pub ot: Option<Timestamp>,
    /// `rset`: result expiration timestamp.
    pub rset: Option<AbsRelTimestamp>,
    /// `ec`: event category.
    pub ec: Option<EventCategory>,
    /// `cnst`: content status (retrieve only).
    pub cnst: Option<ContentStatus>,
    /// `cnot`: content offset (retrieve only).
    pub cnot: Option<u64>,
    /// `ati`: assigned token identifiers.
    pub ati: Option<Value>,
    /// `tqf`: token request information (errors only).
    pub tqf: Option<Value>,
    /// `asri`: authorization signature request information (errors only).
    pub asri: Option<Value>,
    /// `rvi`: release version indicator.
    pub rvi: Option<ReleaseVersion>,
    /// `vsi`: vendor information.
    pub vsi: Option<String>,
}

impl ResponsePrimitive {
    /// A response with status `rsc` for the request identified by `rqi`, release default.
    pub fn new(rsc: ResponseStatusCode, rqi: impl Into<String>) -> Self {
        Self {
            rsc,
            rqi: Some(rqi.into()),
            pc: None,
            to: None,
            fr: None,
            ot: None,
            rset: None,
            ec: None,
            cnst: None,
            cnot: None,
            ati: None,
            tqf: None,
            asri: None,
            rvi: Some(ReleaseVersion::default()),
            vsi: None,
        }
    }

    /// The response to `request`: its `rqi` and `rvi` copied, `to` set to its originator.
    pub fn answering(request: &RequestPrimitive, rsc: ResponseStatusCode) -> Self {
        Self {
            to: request.fr.clone(),
            rvi: request
                .rvi
                .clone()
                .or_else(|| Some(ReleaseVersion::default())),
            ..Self::new(rsc, request.rqi.clone())
        }
    }

    /// An error response to `request` whose content is `{"m2m:dbg": message}`.
    pub fn error(
        request: &RequestPrimitive,
        rsc: ResponseStatusCode,
        message: impl Into<String>,
    ) -> Self {
        Self {
            pc: Some(debug_info(message)),
            ..Self::answering(request, rsc)
        }
    }

    /// Sets the content.
    pub fn with_content(mut self, pc: Value) -> Self {
        self.pc = Some(pc);
        self
    }

    /// The text of an `m2m:dbg` content, if the response carries one.
    pub fn debug_message(&self) -> Option<&str> {
        self.pc.as_ref()?.as_map()?.get("m2m:dbg")?.as_str()
    }
}

/// The content `{"m2m:dbg": message}` that carries an error's explanation.
pub fn debug_info(message: impl Into<String>) -> Value {
    let mut m = Map::with_capacity(1);
    m.push("m2m:dbg", Value::Text(message.into()));
    Value::Map(m)
}
