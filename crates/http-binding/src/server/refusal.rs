//! The server's own answers: to a request refused before any handler saw it, and in
//! place of a handler's response that failed.

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use http::{Response, StatusCode};
use onem2m_primitive::{
    Operation, ReleaseVersion, RequestPrimitive, ResponsePrimitive, ResponseStatusCode, debug_info,
};

use crate::HttpMapping;
use crate::mapping::headers::{self as h, get};
use crate::mapping::media_type::{BodyFormat, ContentType, negotiate};
use crate::mapping::status::http_status;

/// The answer to a request refused with `rsc` before it became a primitive: `X-M2M-RI`
/// and `X-M2M-RVI` echoed when they were readable, the reason in an `m2m:dbg` body in
/// the format the request asked for (JSON when that itself was the problem).
pub(crate) fn refuse(
    mapping: &HttpMapping,
    headers: &HeaderMap,
    rsc: ResponseStatusCode,
    reason: String,
) -> Response<Bytes> {
    let readable = |name| {
        get(headers, name)
            .ok()
            .flatten()
            .filter(|text| !text.is_empty())
    };
    let rvi = readable(h::RVI)
        .map(ReleaseVersion::parse)
        .filter(ReleaseVersion::is_supported)
        .unwrap_or_default();
    let response = ResponsePrimitive {
        rqi: readable(h::RI).map(str::to_owned),
        rvi: Some(rvi),
        pc: Some(debug_info(reason)),
        ..ResponsePrimitive::new(rsc, String::new())
    };
    let request_format = readable(h::CONTENT_TYPE)
        .and_then(|text| ContentType::parse(text).ok())
        .map(|content_type| content_type.format);
    let format = negotiate(readable(h::ACCEPT), request_format).unwrap_or(BodyFormat::Json);
    // The operation only decides Content-Location, which an error never has.
    mapping
        .response_to_http(&response, Operation::Retrieve, format)
        .unwrap_or_else(|_| bare(rsc))
}

/// A 5000 response to `request`, made before the request moves into the handler, for
/// when the handler panics or its response cannot be carried.
#[derive(Debug, Clone)]
pub(crate) struct InternalError(ResponsePrimitive);

impl InternalError {
    pub(crate) fn for_request(request: &RequestPrimitive) -> Self {
        Self(ResponsePrimitive {
            to: request.fr.clone(),
            rvi: Some(request.rvi.clone().unwrap_or_default()),
            ..ResponsePrimitive::new(
                ResponseStatusCode::INTERNAL_SERVER_ERROR,
                request.rqi.clone(),
            )
        })
    }

    /// The response, its `m2m:dbg` saying why.
    pub(crate) fn because(self, reason: impl Into<String>) -> ResponsePrimitive {
        self.0.with_content(debug_info(reason))
    }
}

/// A response with nothing but its status and `X-M2M-RSC`: the last resort when even an
/// error response cannot be mapped.
pub(crate) fn bare(rsc: ResponseStatusCode) -> Response<Bytes> {
    let mut response = Response::new(Bytes::new());
    *response.status_mut() = http_status(rsc);
    // Lower case: a static header name must be.
    response.headers_mut().insert(
        HeaderName::from_static("x-m2m-rsc"),
        HeaderValue::from(rsc.code()),
    );
    response
}

/// `response` with its HTTP status replaced (the oneM2M code stays in `X-M2M-RSC`).
pub(crate) fn with_status(mut response: Response<Bytes>, status: StatusCode) -> Response<Bytes> {
    *response.status_mut() = status;
    response
}
