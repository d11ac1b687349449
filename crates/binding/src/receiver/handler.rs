//! The application side of a receiver.

use std::future::Future;

use async_trait::async_trait;
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive};

use super::RequestContext;

/// Serves the requests a receiver accepted: the application's logic (a CSE, or an AE
/// taking notifications).
///
/// The binding calls it only for a request that passed every check of the receiver
/// (see `docs/binding.md`): not expired, from the originator the topic names, valid,
/// and not a redelivered duplicate. The response it returns is published once it
/// returns, in the request's serialization; its `rqi` is set to the request's if the
/// handler left it empty. Handlers run concurrently, one task per request.
///
/// A closure `Fn(RequestPrimitive, RequestContext) -> impl Future<Output =
/// ResponsePrimitive>` is a handler:
///
/// ```
/// use onem2m_binding::receiver::{Handler, RequestContext};
/// use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, ResponseStatusCode};
///
/// fn takes(_: impl Handler) {}
/// takes(|req: RequestPrimitive, _ctx: RequestContext| async move {
///     ResponsePrimitive::answering(&req, ResponseStatusCode::OK)
/// });
/// ```
#[async_trait]
pub trait Handler: Send + Sync + 'static {
    /// Executes `request` and returns its response.
    async fn handle(&self, request: RequestPrimitive, ctx: RequestContext) -> ResponsePrimitive;
}

#[async_trait]
impl<F, Fut> Handler for F
where
    F: Fn(RequestPrimitive, RequestContext) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ResponsePrimitive> + Send + 'static,
{
    async fn handle(&self, request: RequestPrimitive, ctx: RequestContext) -> ResponsePrimitive {
        self(request, ctx).await
    }
}
