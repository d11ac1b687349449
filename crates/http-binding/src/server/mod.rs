//! The HTTP receiver (cargo feature `server`): accepts HTTP/1.1 requests, maps each to
//! a request primitive, lets an [`HttpHandler`] answer it and maps the response back.
//!
//! Connections are kept alive (`TCP_NODELAY` on) and each runs in a task the server
//! tracks, so that [`HttpServer::shutdown`] stops accepting, lets requests in flight
//! finish (for a bounded time) and closes every connection. A request body is read
//! whole up to [`ServerOptions::max_body`]. A request the mapping refuses is answered by
//! the server itself with the error's status ([`crate::Error::status_code`]) in
//! `X-M2M-RSC` and the reason in `m2m:dbg`; a handler that panics is answered with
//! 5000. Plain `http` only: there is no TLS.

mod error;
mod handler;
mod options;
mod refusal;
mod responder;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

pub use self::error::ServerError;
pub use self::handler::{HttpHandler, ServiceHandler};
pub use self::options::ServerOptions;
use self::responder::Responder;

/// How long the accept loop pauses after a failed accept (out of file descriptors),
/// instead of spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// An HTTP/1.1 server answering request primitives with an [`HttpHandler`].
///
/// Dropping it stops accepting and closes its connections in the background, as
/// [`shutdown`](Self::shutdown) does without waiting.
///
/// ```
/// use onem2m_http_binding::{BodyFormat, HttpOriginator, HttpServer, IncomingRequest};
/// use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, ResponseStatusCode, Value};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let server = HttpServer::bind("127.0.0.1:0".parse()?, |request: IncomingRequest| async move {
///     let answer = Value::Text(format!("hello {}", request.primitive.to));
///     ResponsePrimitive::answering(&request.primitive, ResponseStatusCode::OK)
///         .with_content([("m2m:dbg", answer)].into_iter().collect::<onem2m_primitive::Map>().into())
/// })
/// .await?;
///
/// let cse = HttpOriginator::new(&server.url())?;
/// let request = RequestPrimitive::retrieve("cse-in/ae1", "CAE1", "r1");
/// let response = cse.send(&request, BodyFormat::Cbor).await?;
/// assert_eq!(response.rsc, ResponseStatusCode::OK);
/// assert_eq!(response.rqi.as_deref(), Some("r1"));
/// assert_eq!(response.debug_message(), Some("hello cse-in/ae1"));
/// server.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct HttpServer {
    local_addr: SocketAddr,
    accepted: Arc<AtomicU64>,
    stop: Option<oneshot::Sender<()>>,
    accept_loop: JoinHandle<()>,
}

impl HttpServer {
    /// Listens on `addr` (port 0 picks a free one) with the default [`ServerOptions`].
    pub async fn bind(addr: SocketAddr, handler: impl HttpHandler) -> Result<Self, ServerError> {
        Self::bind_with(addr, handler, ServerOptions::default()).await
    }

    /// Listens on `addr` with `options`.
    pub async fn bind_with(
        addr: SocketAddr,
        handler: impl HttpHandler,
        options: ServerOptions,
    ) -> Result<Self, ServerError> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ServerError::Bind { addr, source })?;
        Self::from_listener_with(listener, handler, options)
    }

    /// Serves the connections of `listener` with the default [`ServerOptions`]. Must be
    /// called inside a Tokio runtime.
    pub fn from_listener(
        listener: TcpListener,
        handler: impl HttpHandler,
    ) -> Result<Self, ServerError> {
        Self::from_listener_with(listener, handler, ServerOptions::default())
    }

    /// Serves the connections of `listener` with `options`. Must be called inside a
    /// Tokio runtime.
    pub fn from_listener_with(
        listener: TcpListener,
        handler: impl HttpHandler,
        options: ServerOptions,
    ) -> Result<Self, ServerError> {
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|e| ServerError::NoRuntime(e.to_string()))?;
        let local_addr = listener.local_addr().map_err(ServerError::LocalAddr)?;
        let accepted = Arc::new(AtomicU64::new(0));
        let (stop, stopped) = oneshot::channel();
        let responder = Arc::new(Responder {
            options,
            handler: Arc::new(handler),
        });
        let accept_loop = runtime.spawn(accept_loop(
            listener,
            responder,
            Arc::clone(&accepted),
            stopped,
        ));
        tracing::debug!(%local_addr, "HTTP server listening");
        Ok(Self {
            local_addr,
            accepted,
            stop: Some(stop),
            accept_loop,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The server's base URL, `http://127.0.0.1:<port>`, for an
    /// [`HttpOriginator`](crate::HttpOriginator) or a pointOfAccess.
    pub fn url(&self) -> String {
        format!("http://{}", self.local_addr)
    }

    /// How many connections the server has accepted so far.
    pub fn accepted_connections(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }

    /// Stops accepting, lets requests in flight finish (for at most
    /// [`ServerOptions::shutdown_grace`]), closes every connection and returns when all
    /// of the server's tasks have ended.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Err(e) = (&mut self.accept_loop).await {
            tracing::warn!(error = %e, "the HTTP server's accept loop failed");
        }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        // Dropping the sender stops the accept loop, which then closes the connections.
        self.stop.take();
    }
}

/// Accepts connections until `stopped`, then shuts them down gracefully.
async fn accept_loop(
    listener: TcpListener,
    responder: Arc<Responder>,
    accepted: Arc<AtomicU64>,
    mut stopped: oneshot::Receiver<()>,
) {
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            incoming = listener.accept() => match incoming {
                Ok((stream, peer)) => {
                    accepted.fetch_add(1, Ordering::Relaxed);
                    let connection = serve_connection(stream, peer, Arc::clone(&responder), &graceful);
                    connections.spawn(connection);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "HTTP server: accept failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            },
            // Reaps finished connection tasks so that the set does not grow.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let grace = responder.options.shutdown_grace;
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::debug!(
            ?grace,
            open = connections.len(),
            "HTTP server: closing connections whose requests did not finish in time"
        );
    }
    connections.shutdown().await;
    tracing::debug!("HTTP server stopped");
}

/// The task serving one connection, watched by `graceful`.
fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    responder: Arc<Responder>,
    graceful: &GracefulShutdown,
) -> impl Future<Output = ()> + Send + 'static {
    if let Err(e) = stream.set_nodelay(true) {
        tracing::debug!(%peer, error = %e, "cannot set TCP_NODELAY");
    }
    let header_read_timeout = responder.options.header_read_timeout;
    let service = service_fn(move |request| {
        let responder = Arc::clone(&responder);
        async move { Ok::<_, Infallible>(responder.answer(request).await) }
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .keep_alive(true)
        .header_read_timeout(header_read_timeout)
        .serve_connection(TokioIo::new(stream), service);
    let connection = graceful.watch(connection);
    async move {
        if let Err(e) = connection.await {
            tracing::debug!(%peer, error = %e, "HTTP connection ended with an error");
        }
    }
}
