//! The HTTP originator (cargo feature `client`): sends request primitives to a CSE or
//! AE over HTTP/1.1 and returns their response primitives.
//!
//! [`HttpOriginator`] maps a request with [`HttpMapping::request_to_http`], puts the
//! base URL's scheme and authority (and path prefix) in front of its path, sends it on a
//! pooled keep-alive connection (hyper-util's client, `TCP_NODELAY` on), reads the
//! whole response body up to a limit and maps it back with
//! [`HttpMapping::response_from_http`]. Plain `http` only: there is no TLS.

mod base_url;
mod deadline;
mod error;
mod tower_service;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, Uri};
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, Timestamp};
use onem2m_serialization::Limits;

use self::base_url::BaseUrl;
use self::deadline::Wait;
pub use self::error::ClientError;
use crate::body::{BodyError, error_chain, read_limited};
use crate::{BodyFormat, HttpMapping};

/// How long an originator waits for a response by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How long an idle pooled connection is kept. Shorter than the usual server idle
/// timeouts (ours closes a connection idle for 30 s), so that a request is rarely
/// written to a connection the server is closing at the same moment.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(20);

/// Sends request primitives over HTTP/1.1 to one base URL and returns the response
/// primitives. Cheap to clone: clones share the connection pool.
///
/// ```no_run
/// use onem2m_http_binding::{BodyFormat, HttpOriginator};
/// use onem2m_primitive::{ReleaseVersion, RequestPrimitive};
///
/// # async fn example() -> Result<(), onem2m_http_binding::ClientError> {
/// let cse = HttpOriginator::new("http://127.0.0.1:8080")?;
/// let mut request = RequestPrimitive::retrieve("cse-in", "CAdmin", "r1");
/// request.rvi = Some(ReleaseVersion::parse("3"));
/// let response = cse.send(&request, BodyFormat::Json).await?;
/// println!("{}", response.rsc);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct HttpOriginator {
    client: Client<HttpConnector, Full<Bytes>>,
    base: BaseUrl,
    mapping: Arc<HttpMapping>,
    format: BodyFormat,
    timeout: Duration,
    max_body: usize,
}

impl HttpOriginator {
    /// An originator sending to `base`: `http://host:port`, or with a path prefix
    /// `http://host:port/prefix`; the path for a request's `to` is appended to it.
    ///
    /// It must be used inside a Tokio runtime (its connections are tasks).
    pub fn new(base: &str) -> Result<Self, ClientError> {
        let base = BaseUrl::parse(base)?;
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        // Requests carry the absolute URI only so that the pool knows the next hop;
        // the connector refuses https, which it could not speak.
        connector.enforce_http(true);
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .build(connector);
        Ok(Self {
            client,
            base,
            mapping: Arc::new(HttpMapping::new()),
            format: BodyFormat::Json,
            timeout: DEFAULT_TIMEOUT,
            max_body: Limits::default().max_document,
        })
    }

    /// The body format of requests sent through the `tower::Service` impl (default
    /// JSON); [`send`](Self::send) takes its own.
    pub fn with_format(self, format: BodyFormat) -> Self {
        Self { format, ..self }
    }

    /// How long to wait for a response (default 30 s), from sending to the end of the
    /// response body. A request whose `rqet` comes sooner waits only until then.
    pub fn with_timeout(self, timeout: Duration) -> Self {
        Self { timeout, ..self }
    }

    /// The largest response body read (default 8 MiB, [`Limits::max_document`]);
    /// a larger one is [`ClientError::BodyTooLarge`].
    pub fn with_max_body(self, max_body: usize) -> Self {
        Self { max_body, ..self }
    }

    /// Maps primitives with `mapping` (for its serializers' [`Limits`]).
    pub fn with_mapping(self, mapping: HttpMapping) -> Self {
        Self {
            mapping: Arc::new(mapping),
            ..self
        }
    }

    /// The base URL, as given to [`new`](Self::new).
    pub fn base(&self) -> &Uri {
        self.base.uri()
    }

    /// The body format of the `tower::Service` impl.
    pub fn format(&self) -> BodyFormat {
        self.format
    }

    /// Sends `request` with its content in `format` (asking for the response in the
    /// same format) and returns the response primitive.
    ///
    /// The caller assigns `rqi`; an empty one is [`ClientError::MissingRequestId`]. The
    /// response's `rqi` and `to` are taken from the request when the peer's HTTP
    /// response leaves them out (TS-0009 carries no `to` in a response, and a proxy's
    /// error has no `X-M2M-RI`). A request whose `rqet` has already passed is not sent:
    /// [`ClientError::Timeout`] with `expired`.
    pub async fn send(
        &self,
        request: &RequestPrimitive,
        format: BodyFormat,
    ) -> Result<ResponsePrimitive, ClientError> {
        if request.rqi.is_empty() {
            return Err(ClientError::MissingRequestId);
        }
        let wait = Wait::for_request(request, self.timeout, Timestamp::now());
        let timeout = || ClientError::Timeout {
            rqi: request.rqi.clone(),
            after: wait.limit,
            expired: wait.expires,
        };
        if wait.limit.is_zero() {
            return Err(timeout());
        }
        let http = self
            .mapping
            .request_to_http(request, format)
            .map_err(ClientError::Request)?;
        let (mut parts, body) = http.into_parts();
        parts.uri = self.base.join(&parts.uri)?;
        let started = std::time::Instant::now();
        let response = tokio::time::timeout(
            wait.limit,
            self.exchange(Request::from_parts(parts, Full::new(body))),
        )
        .await
        .map_err(|_| timeout())??;
        let mut primitive = self
            .mapping
            .response_from_http(&response)
            .map_err(ClientError::Response)?;
        tracing::debug!(
            rqi = %request.rqi,
            op = ?request.op,
            to = %request.to,
            rsc = %primitive.rsc,
            elapsed_us = started.elapsed().as_micros() as u64,
            "HTTP request answered"
        );
        if primitive.rqi.is_none() {
            primitive.rqi = Some(request.rqi.clone());
        }
        if primitive.to.is_none() {
            primitive.to = request.fr.clone();
        }
        Ok(primitive)
    }

    /// Sends one HTTP request and reads the whole response.
    async fn exchange(
        &self,
        request: Request<Full<Bytes>>,
    ) -> Result<Response<Bytes>, ClientError> {
        let response = self.client.request(request).await.map_err(|e| {
            let target = self.base.target();
            let reason = error_chain(&e);
            if e.is_connect() {
                ClientError::Connect { target, reason }
            } else {
                ClientError::Transport { target, reason }
            }
        })?;
        let (parts, body) = response.into_parts();
        let body = read_limited(body, self.max_body)
            .await
            .map_err(|e| match e {
                BodyError::TooLarge { limit } => ClientError::BodyTooLarge { limit },
                BodyError::Read(reason) => ClientError::Transport {
                    target: self.base.target(),
                    reason,
                },
            })?;
        Ok(Response::from_parts(parts, body))
    }
}
