//! What answers the requests an [`HttpServer`](super::HttpServer) receives.

use std::fmt::Display;
use std::future::{Future, poll_fn};

use async_trait::async_trait;
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive};
use tower::Service;

use super::refusal::InternalError;
use crate::IncomingRequest;

/// Answers the request primitives an [`HttpServer`](super::HttpServer) receives.
///
/// A closure `Fn(IncomingRequest) -> impl Future<Output = ResponsePrimitive>` is a
/// handler; so is any `tower::Service<RequestPrimitive>` wrapped in [`ServiceHandler`].
/// A handler that panics is answered with 5000 INTERNAL_SERVER_ERROR.
#[async_trait]
pub trait HttpHandler: Send + Sync + 'static {
    /// The response to `request`. `request.primitive.to` is the target read from the
    /// path; the response is written in `request.response_format`. A response without
    /// `rqi` gets the request's.
    async fn handle(&self, request: IncomingRequest) -> ResponsePrimitive;
}

#[async_trait]
impl<F, Fut> HttpHandler for F
where
    F: Fn(IncomingRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ResponsePrimitive> + Send + 'static,
{
    async fn handle(&self, request: IncomingRequest) -> ResponsePrimitive {
        self(request).await
    }
}

/// An [`HttpHandler`] that calls a `tower::Service<RequestPrimitive, Response =
/// ResponsePrimitive>`, cloned per request as tower services usually are. A service
/// error becomes a 5000 INTERNAL_SERVER_ERROR response whose `m2m:dbg` is the error's
/// text.
///
/// ```
/// use onem2m_http_binding::ServiceHandler;
/// use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, ResponseStatusCode};
///
/// let handler = ServiceHandler::new(tower::service_fn(|req: RequestPrimitive| async move {
///     Ok::<_, std::convert::Infallible>(ResponsePrimitive::answering(&req, ResponseStatusCode::OK))
/// }));
/// # let _ = handler;
/// ```
#[derive(Debug, Clone)]
pub struct ServiceHandler<S> {
    service: S,
}

impl<S> ServiceHandler<S> {
    /// Answers requests with `service`.
    pub fn new(service: S) -> Self {
        Self { service }
    }

    /// The service.
    pub fn into_inner(self) -> S {
        self.service
    }
}

#[async_trait]
impl<S> HttpHandler for ServiceHandler<S>
where
    S: Service<RequestPrimitive, Response = ResponsePrimitive> + Clone + Send + Sync + 'static,
    S::Error: Display + Send,
    S::Future: Send,
{
    async fn handle(&self, request: IncomingRequest) -> ResponsePrimitive {
        let failed = InternalError::for_request(&request.primitive);
        let mut service = self.service.clone();
        let answered = match poll_fn(|cx| service.poll_ready(cx)).await {
            Ok(()) => service.call(request.primitive).await,
            Err(e) => Err(e),
        };
        answered.unwrap_or_else(|e| failed.because(e.to_string()))
    }
}
