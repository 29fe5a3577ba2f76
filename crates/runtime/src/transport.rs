//! The HTTP transport: what sends one signed request and reads its whole response.
//!
//! [`Handle::invoke`](crate::Handle::invoke) builds, signs and retries; each attempt hands
//! the signed request to an [`HttpTransport`]. The default is [`ReqwestTransport`] (reqwest
//! over rustls). Another transport is set with
//! [`ConfigBuilder::transport`](crate::ConfigBuilder::transport): a recording or replaying
//! one for tests (the `replay` module, feature `test-util`), or an adapter to another HTTP
//! stack.
//!
//! The runtime keeps what does not depend on the transport: the attempt timeout wraps the
//! transport's future, and the retry policy reads the [`TransportError`] kind (a connect
//! error is always retryable; another failure only for idempotent operations).
//!
//! Operations that switch protocols ([`Handle::upgrade`](crate::Handle::upgrade), WebSocket
//! endpoints) always go through reqwest, since they hand back the live connection: a custom
//! transport does not see them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;

use crate::error::{BoxError, ConstructionError, ConstructionErrorKind};
use crate::wire::HttpResponse;

/// The future a transport returns.
pub type SendFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// What the runtime tells the transport about one request besides the request itself.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SendOptions {
    /// The response size limit: a larger response must end in [`TransportError::TooLarge`].
    pub max_response_bytes: u64,
    /// Query parameters that carry a secret (API keys in the query): never log or store
    /// their values, nor the URL of an error.
    pub secret_query_params: Vec<&'static str>,
}

impl SendOptions {
    /// Options with this size limit and no secret query parameter.
    pub fn new(max_response_bytes: u64) -> Self {
        SendOptions {
            max_response_bytes,
            secret_query_params: Vec::new(),
        }
    }

    /// Marks `name` as a query parameter whose value is a secret.
    pub fn with_secret_query_param(mut self, name: &'static str) -> Self {
        self.secret_query_params.push(name);
        self
    }
}

/// Sends one signed request and reads the whole response.
///
/// Implementations must not follow redirects (a 3xx is the operation's output or error),
/// must refuse a body larger than [`SendOptions::max_response_bytes`] with
/// [`TransportError::TooLarge`], and should tell a connection failure
/// ([`TransportError::Connect`], always retried) from a later one
/// ([`TransportError::Io`], retried for idempotent operations only). Timeouts are the
/// runtime's: it drops the future when the attempt timeout elapses.
///
/// ```
/// use cloudjobs_runtime::HttpResponse;
/// use cloudjobs_runtime::transport::{HttpTransport, SendFuture, SendOptions};
///
/// /// Answers every request with `200 {}`.
/// #[derive(Debug)]
/// struct Always;
///
/// impl HttpTransport for Always {
///     fn send(&self, _request: http::Request<bytes::Bytes>, _options: &SendOptions) -> SendFuture<'_> {
///         Box::pin(async {
///             Ok(HttpResponse { status: 200, headers: Default::default(), body: "{}".into() })
///         })
///     }
/// }
///
/// let config = cloudjobs_runtime::Config::builder().transport(Always).build();
/// assert!(format!("{config:?}").contains("Always"));
/// ```
pub trait HttpTransport: Send + Sync + fmt::Debug + 'static {
    /// Sends `request` (signed; its `Host` header is the URI's authority) and reads the
    /// whole response.
    fn send(&self, request: http::Request<Bytes>, options: &SendOptions) -> SendFuture<'_>;
}

/// Why a transport returned no response.
#[derive(Debug)]
#[non_exhaustive]
pub enum TransportError {
    /// The request could not be turned into a request of the transport (an invalid URL,
    /// a request a replaying transport has not recorded): not retried.
    Request(ConstructionError),
    /// The connection could not be established (the server surely did not get the
    /// request): retried. `timed_out` when the connect timeout elapsed.
    Connect {
        /// Whether the connect timeout elapsed.
        timed_out: bool,
        /// The cause.
        source: BoxError,
    },
    /// The exchange failed after connecting: retried for idempotent operations only.
    Io(BoxError),
    /// The response passed the size limit.
    TooLarge {
        /// Its status.
        status: u16,
        /// Its request id, if any.
        request_id: Option<String>,
        /// The start of its body (empty when `Content-Length` alone told).
        start: Bytes,
        /// Its `Content-Length`, if any.
        declared: Option<u64>,
        /// The limit.
        limit: u64,
    },
}

impl TransportError {
    /// A request the transport cannot send, with a message naming what is wrong.
    pub fn request(message: impl Into<String>) -> Self {
        TransportError::Request(ConstructionError::new(
            ConstructionErrorKind::InvalidRequest,
            message.into(),
        ))
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Request(e) => write!(f, "{e}"),
            TransportError::Connect { source, .. } => write!(f, "could not connect: {source}"),
            TransportError::Io(e) => write!(f, "{e}"),
            TransportError::TooLarge { status, limit, .. } => {
                write!(
                    f,
                    "response (status {status}) larger than the limit of {limit} bytes"
                )
            }
        }
    }
}

impl std::error::Error for TransportError {}

/// The default transport: a `reqwest` client (rustls with the `ring` provider), HTTP/1.1
/// and HTTP/2, no redirects followed.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// Sends through `client` (its own settings apply).
    pub fn new(client: reqwest::Client) -> Self {
        ReqwestTransport { client }
    }

    /// The reqwest client.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

impl HttpTransport for ReqwestTransport {
    fn send(&self, request: http::Request<Bytes>, options: &SendOptions) -> SendFuture<'_> {
        let secret = !options.secret_query_params.is_empty();
        let max_bytes = options.max_response_bytes;
        Box::pin(async move {
            let request = to_reqwest(request, secret).map_err(TransportError::Request)?;
            let io = |e: reqwest::Error| {
                let e = without_secret_url(e, secret);
                if e.is_connect() {
                    TransportError::Connect {
                        timed_out: e.is_timeout(),
                        source: Box::new(e),
                    }
                } else {
                    TransportError::Io(Box::new(e))
                }
            };
            let mut response = self.client.execute(request).await.map_err(io)?;
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            let too_large = |start: Bytes, declared: Option<u64>| TransportError::TooLarge {
                status,
                request_id: crate::client::request_id(&headers),
                start,
                declared,
                limit: max_bytes,
            };
            let declared = response.content_length();
            if let Some(len) = declared
                && len > max_bytes
            {
                return Err(too_large(Bytes::new(), Some(len)));
            }
            let mut body = bytes::BytesMut::new();
            while let Some(chunk) = response.chunk().await.map_err(io)? {
                if (body.len() + chunk.len()) as u64 > max_bytes {
                    let mut start = body;
                    start.extend_from_slice(
                        &chunk[..chunk.len().min(crate::error::BODY_EXCERPT_LIMIT)],
                    );
                    start.truncate(crate::error::BODY_EXCERPT_LIMIT);
                    return Err(too_large(start.freeze(), declared));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(HttpResponse {
                status,
                headers,
                body: body.freeze(),
            })
        })
    }
}

/// The reqwest request of `request` (without `Host`: reqwest derives it from the URL,
/// identical to the signed value).
pub(crate) fn to_reqwest(
    request: http::Request<Bytes>,
    secret_query: bool,
) -> Result<reqwest::Request, ConstructionError> {
    let (mut parts, body) = request.into_parts();
    parts.headers.remove(http::header::HOST);
    let request = http::Request::from_parts(parts, reqwest::Body::from(body));
    reqwest::Request::try_from(request).map_err(|e| {
        ConstructionError::new(
            ConstructionErrorKind::InvalidEndpoint,
            "invalid request URL",
        )
        .with_source(without_secret_url(e, secret_query))
    })
}

/// A transport error shows its URL; not when an API key is in the query.
pub(crate) fn without_secret_url(e: reqwest::Error, secret_query: bool) -> reqwest::Error {
    if secret_query { e.without_url() } else { e }
}
