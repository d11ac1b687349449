//! One HTTP request answered: its body read up to a limit, mapped to a primitive,
//! handed to the handler, and the handler's response mapped back.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use futures_util::FutureExt as _;
use http::{Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use onem2m_primitive::ResponseStatusCode;

use super::handler::HttpHandler;
use super::options::ServerOptions;
use super::refusal::{InternalError, bare, refuse, with_status};
use crate::body::{BodyError, read_limited};
use crate::mapping::headers as h;

/// Answers the requests of every connection of one server.
pub(crate) struct Responder {
    pub(crate) options: ServerOptions,
    pub(crate) handler: Arc<dyn HttpHandler>,
}

impl Responder {
    /// The response to `request`; never fails, never panics.
    pub(crate) async fn answer(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let started = Instant::now();
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        let response = self.respond(request).await;
        tracing::debug!(
            %method,
            %path,
            status = response.status().as_u16(),
            rsc = response
                .headers()
                .get(h::RSC)
                .and_then(|rsc| rsc.to_str().ok())
                .unwrap_or_default(),
            elapsed_us = started.elapsed().as_micros() as u64,
            "HTTP request answered"
        );
        response.map(Full::new)
    }

    async fn respond(&self, request: Request<Incoming>) -> Response<Bytes> {
        let mapping = &self.options.mapping;
        let (parts, body) = request.into_parts();
        let body = match read_limited(body, self.options.max_body).await {
            Ok(body) => body,
            Err(BodyError::TooLarge { limit }) => {
                let reason = format!("the body exceeds the limit of {limit} bytes");
                let refused = refuse(
                    mapping,
                    &parts.headers,
                    ResponseStatusCode::BAD_REQUEST,
                    reason,
                );
                // 413 tells HTTP machinery what 4000 alone does not.
                return with_status(refused, StatusCode::PAYLOAD_TOO_LARGE);
            }
            Err(BodyError::Read(reason)) => {
                let reason = format!("reading the body: {reason}");
                return refuse(
                    mapping,
                    &parts.headers,
                    ResponseStatusCode::BAD_REQUEST,
                    reason,
                );
            }
        };
        let request = Request::from_parts(parts, body);
        let incoming = match mapping.request_from_http(&request) {
            Ok(incoming) => incoming,
            Err(e) => return refuse(mapping, request.headers(), e.status_code(), e.to_string()),
        };
        let op = incoming.primitive.op;
        let format = incoming.response_format;
        let rqi = incoming.primitive.rqi.clone();
        let internal_error = InternalError::for_request(&incoming.primitive);
        let mut response = match AssertUnwindSafe(self.handler.handle(incoming))
            .catch_unwind()
            .await
        {
            Ok(response) => response,
            Err(_) => {
                tracing::warn!(%rqi, "the HTTP handler panicked; answering 5000");
                internal_error.clone().because("the request handler failed")
            }
        };
        if response.rqi.is_none() {
            response.rqi = Some(rqi);
        }
        mapping
            .response_to_http(&response, op, format)
            .or_else(|e| {
                tracing::warn!(error = %e, "the HTTP handler's response has no HTTP form");
                let failed = internal_error.because(format!("the response cannot be sent: {e}"));
                mapping.response_to_http(&failed, op, format)
            })
            .unwrap_or_else(|_| bare(ResponseStatusCode::INTERNAL_SERVER_ERROR))
    }
}
