//! The binding in tower terms (cargo feature `tower`): an [`Originator`] is a
//! `tower::Service<RequestPrimitive>`, and [`ServiceHandler`] serves a receiver's
//! requests with any such service, so the binding plugs into tower middleware
//! (timeouts, rate limits, load shedding) and into frameworks built on it.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll};

use async_trait::async_trait;
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, ResponseStatusCode};
use tower::Service;

use crate::receiver::{Handler, RequestContext};
use crate::{Error, Originator};

impl Service<RequestPrimitive> for Originator {
    type Response = ResponsePrimitive;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<ResponsePrimitive, Error>> + Send>>;

    /// Always ready: the pending limit is enforced per request
    /// ([`Error::PendingFull`]).
    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: RequestPrimitive) -> Self::Future {
        let originator = self.clone();
        Box::pin(async move { originator.request(request).await })
    }
}

/// A [`Handler`] that calls a `tower::Service<RequestPrimitive, Response =
/// ResponsePrimitive>` (cloned per request, as tower services usually are). A service
/// error becomes a 5000 INTERNAL_SERVER_ERROR response with the error's text.
///
/// ```
/// use onem2m_binding::tower_service::ServiceHandler;
/// use onem2m_binding::Binding;
/// use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, ResponseStatusCode};
///
/// let service = tower::service_fn(|req: RequestPrimitive| async move {
///     Ok::<_, std::convert::Infallible>(ResponsePrimitive::answering(&req, ResponseStatusCode::OK))
/// });
/// let builder = Binding::builder().cse_id("/id-in").handler(ServiceHandler::new(service));
/// # let _ = builder;
/// ```
#[derive(Debug, Clone)]
pub struct ServiceHandler<S> {
    service: S,
}

impl<S> ServiceHandler<S> {
    /// Serves requests with `service`.
    pub fn new(service: S) -> Self {
        Self { service }
    }
}

#[async_trait]
impl<S> Handler for ServiceHandler<S>
where
    S: Service<RequestPrimitive, Response = ResponsePrimitive> + Clone + Send + Sync + 'static,
    S::Error: std::fmt::Display + Send,
    S::Future: Send,
{
    async fn handle(&self, request: RequestPrimitive, _ctx: RequestContext) -> ResponsePrimitive {
        let mut service = self.service.clone();
        let skeleton = RequestPrimitive {
            rqi: request.rqi.clone(),
            fr: request.fr.clone(),
            rvi: request.rvi.clone(),
            ..RequestPrimitive::default()
        };
        let result = match poll_fn(|cx| service.poll_ready(cx)).await {
            Ok(()) => service.call(request).await,
            Err(e) => Err(e),
        };
        result.unwrap_or_else(|e| {
            ResponsePrimitive::error(
                &skeleton,
                ResponseStatusCode::INTERNAL_SERVER_ERROR,
                e.to_string(),
            )
        })
    }
}
