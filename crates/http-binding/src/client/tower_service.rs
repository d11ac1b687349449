//! An [`HttpOriginator`] as a `tower::Service<RequestPrimitive>`, so that tower
//! middleware (timeouts, rate limits, retries) and a gateway's routing can wrap it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use onem2m_primitive::{RequestPrimitive, ResponsePrimitive};
use tower::Service;

use super::{ClientError, HttpOriginator};

impl Service<RequestPrimitive> for HttpOriginator {
    type Response = ResponsePrimitive;
    type Error = ClientError;
    type Future = Pin<Box<dyn Future<Output = Result<ResponsePrimitive, ClientError>> + Send>>;

    /// Always ready: the pool opens a connection per concurrent request as needed.
    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), ClientError>> {
        Poll::Ready(Ok(()))
    }

    /// Sends the request in the originator's [`format`](HttpOriginator::format).
    fn call(&mut self, request: RequestPrimitive) -> Self::Future {
        let originator = self.clone();
        Box::pin(async move { originator.send(&request, originator.format).await })
    }
}
