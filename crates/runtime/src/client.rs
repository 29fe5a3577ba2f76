//! The shared client handle that executes operations.
//!
//! CONTRACT:
//! #[derive(Clone, Debug)] pub struct Handle { .. }            // cheap to clone (Arc inside)
//! impl Handle {
//!     pub fn new(service: &'static ServiceMeta, config: Config) -> Handle;
//!     pub fn config(&self) -> &Config;
//!     pub fn service(&self) -> &'static ServiceMeta;
//!     pub async fn invoke<O: Operation>(&self, input: O::Input) -> Result<O::Output, Error<O::Error>>;
//!     pub async fn invoke_with_metadata<O: Operation>(&self, input: O::Input)
//!         -> Result<WithMetadata<O::Output>, Error<O::Error>>;
//! }

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use tracing::Instrument;
use tracing::field::Empty;

use crate::auth;
use crate::config::Config;
use crate::customize::RequestEdits;
use crate::error::{
    ConstructionError, ConstructionErrorKind, DispatchError, Error, ErrorMetadata, ResponseError,
    TimeoutError, TimeoutKind,
};
use crate::hooks;
use crate::meta::{AuthScheme, ErrorRetry, OperationMeta, Protocol, ServiceMeta};
use crate::operation::Operation;
use crate::protocol;
use crate::retry::{self, RetryKind, RetryState, RetryStats};
use crate::transport::{HttpTransport, ReqwestTransport, SendOptions, TransportError};
use crate::wire::{HttpResponse, ResponseMetadata, WithMetadata};

/// Installs rustls' `ring` crypto provider as the process default, unless one is installed
/// already. Called before the runtime builds an HTTP client.
pub fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // An error only means another provider is installed already, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A `reqwest` client builder ready for TLS (the `ring` provider installed), for users who
/// pass their own client with [`ConfigBuilder::http_client`](crate::ConfigBuilder::http_client).
///
/// ```
/// let client = cloudjobs_runtime::http_client_builder()
///     .no_proxy()
///     .build()
///     .unwrap();
/// let config = cloudjobs_runtime::Config::builder().http_client(client).build();
/// # drop(config);
/// ```
pub fn http_client_builder() -> reqwest::ClientBuilder {
    install_crypto_provider();
    reqwest::Client::builder()
}

/// Executes the operations of one service with one configuration. Cheap to clone: every clone
/// shares the HTTP connection pool and the retry budget.
#[derive(Clone)]
pub struct Handle {
    inner: Arc<Inner>,
}

struct Inner {
    service: &'static ServiceMeta,
    config: Config,
    http: Result<reqwest::Client, String>,
    /// The configured transport, else reqwest over `http` (with its error).
    transport: Result<Arc<dyn HttpTransport>, String>,
    retry: Arc<RetryState>,
    /// Headers and edits of one customized call (customize.rs); empty for a client's handle.
    edits: RequestEdits,
    /// The service's base URL for `config`, resolved by the first call that succeeds in
    /// resolving it (the config, its environment snapshot and the service never change).
    base_url: OnceLock<String>,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("service", &self.inner.service.name)
            .field("config", &self.inner.config)
            .finish()
    }
}

/// What one attempt ended with, short of a response.
enum AttemptError {
    TimedOut,
    Transport(TransportError),
}

fn header_str<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

pub(crate) fn request_id(headers: &http::HeaderMap) -> Option<String> {
    request_id_of(headers).map(str::to_owned)
}

pub(crate) fn request_id_of(headers: &http::HeaderMap) -> Option<&str> {
    header_str(headers, "x-amzn-requestid")
        .or_else(|| header_str(headers, "x-amz-request-id"))
        .or_else(|| header_str(headers, "x-request-id"))
}

impl Handle {
    /// A handle for `service` with `config`. When the config has no HTTP client, one is built
    /// (rustls with the `ring` provider, the config's connect timeout).
    pub fn new(service: &'static ServiceMeta, config: Config) -> Handle {
        let http = match config.http_client() {
            Some(client) => Ok(client.clone()),
            None => {
                // Redirects are not followed (as in the AWS SDKs): a 3xx is the operation's
                // output when the spec models it (a 303 with its `Location`), else an error
                // the caller sees, and credentials never travel to another host.
                let mut builder = http_client_builder().redirect(reqwest::redirect::Policy::none());
                if let Some(t) = config.timeout_config().connect_timeout() {
                    builder = builder.connect_timeout(t);
                }
                builder.build().map_err(|e| crate::error::describe(&e))
            }
        };
        let retry = Arc::new(RetryState::new(config.retry_config()));
        let transport = match config.transport() {
            Some(t) => Ok(t.clone()),
            None => http
                .clone()
                .map(|client| Arc::new(ReqwestTransport::new(client)) as Arc<dyn HttpTransport>),
        };
        Handle {
            inner: Arc::new(Inner {
                service,
                config,
                http,
                transport,
                retry,
                edits: RequestEdits::default(),
                base_url: OnceLock::new(),
            }),
        }
    }

    /// A handle for one customized call (customize.rs): `config` and `edits` replace this
    /// handle's, the HTTP client and the retry state are shared.
    pub(crate) fn customized(&self, config: Config, edits: RequestEdits) -> Handle {
        Handle {
            inner: Arc::new(Inner {
                service: self.inner.service,
                config,
                http: self.inner.http.clone(),
                transport: self.inner.transport.clone(),
                retry: self.inner.retry.clone(),
                edits,
                base_url: OnceLock::new(),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The service.
    pub fn service(&self) -> &'static ServiceMeta {
        self.inner.service
    }

    /// What the retries of this client (every clone of the handle) did so far: attempts,
    /// retries by reason, spent budget, page retries. Each retry is also a `retrying` debug
    /// event of the `tracing` span of its operation.
    pub fn retry_stats(&self) -> RetryStats {
        self.inner.retry.stats()
    }

    pub(crate) fn retry_state(&self) -> &RetryState {
        &self.inner.retry
    }

    /// The service's base URL, resolved once (endpoint rules are evaluated on the first call,
    /// not on every request). An error is not kept: each call reports it.
    fn base_url(&self) -> Result<&str, ConstructionError> {
        if let Some(url) = self.inner.base_url.get() {
            return Ok(url);
        }
        let url = crate::endpoint::resolve_base_url(self.inner.service, &self.inner.config)?;
        Ok(self.inner.base_url.get_or_init(|| url))
    }

    /// Validates, serializes and builds the request of `O` (endpoint and protocol headers),
    /// without authentication.
    fn build_unsigned<O: Operation>(
        &self,
        input: &O::Input,
    ) -> Result<http::Request<Bytes>, Error<O::Error>> {
        let config = &self.inner.config;
        if let Err(e) = O::validate(input, config.validation()) {
            tracing::debug!(field = %e.field, rule = %e.rule, "input refused before sending");
            return Err(Error::InvalidInput(e));
        }
        let request = O::serialize(input).map_err(|e| {
            ConstructionError::new(
                ConstructionErrorKind::Serialization,
                format!("the input of `{}` could not be serialized", O::META.name),
            )
            .with_source(e)
        })?;
        let mut request =
            protocol::build_request(O::SERVICE, &O::META, config, self.base_url()?, request)?;
        if O::META.upgrade {
            add_handshake(&mut request);
        }
        self.inner.edits.apply(&mut request)?;
        Ok(request)
    }

    fn transport(&self) -> Result<Arc<dyn HttpTransport>, ConstructionError> {
        match &self.inner.transport {
            Ok(t) => Ok(t.clone()),
            Err(e) => Err(ConstructionError::new(
                ConstructionErrorKind::HttpClient,
                format!("the HTTP client could not be built: {e}"),
            )),
        }
    }

    fn http(&self) -> Result<reqwest::Client, ConstructionError> {
        match &self.inner.http {
            Ok(client) => Ok(client.clone()),
            Err(e) => Err(ConstructionError::new(
                ConstructionErrorKind::HttpClient,
                format!("the HTTP client could not be built: {e}"),
            )),
        }
    }

    /// Executes an operation that switches protocols (`OperationMeta::upgrade`, a WebSocket
    /// endpoint): sends the request with the WebSocket handshake headers (`Connection:
    /// Upgrade`, `Upgrade: websocket`, `Sec-WebSocket-Version: 13`, a fresh random
    /// `Sec-WebSocket-Key`) over HTTP/1.1, once (never retried), and hands back the
    /// connection when the server answers `101 Switching Protocols`. An error status is
    /// decoded as the operation's error; any other answer is a
    /// [`ResponseError`](crate::ResponseError) saying the server did not switch. The attempt
    /// timeout covers the handshake only, not the life of the connection.
    pub async fn upgrade<O: Operation>(
        &self,
        input: O::Input,
    ) -> Result<crate::Upgraded, Error<O::Error>> {
        let span = tracing::info_span!(
            "upgrade",
            service = O::SERVICE.name,
            operation = O::META.name,
        );
        self.upgrade_in_span::<O>(input).instrument(span).await
    }

    async fn upgrade_in_span<O: Operation>(
        &self,
        input: O::Input,
    ) -> Result<crate::Upgraded, Error<O::Error>> {
        if !O::META.upgrade {
            return Err(ConstructionError::new(
                ConstructionErrorKind::InvalidRequest,
                format!("operation `{}` does not switch protocols", O::META.name),
            )
            .into());
        }
        let config = &self.inner.config;
        let mut request = self.build_unsigned::<O>(&input)?;
        drop(input);
        hooks::run_before_sign(&config.hooks, O::SERVICE, &O::META, 1, &mut request)
            .map_err(Error::Hook)?;
        auth::authenticate(O::SERVICE, &O::META, config, &mut request).await?;
        *request.version_mut() = http::Version::HTTP_11;
        let client = self.http()?;
        let secret_query = auth::secret_query_params(&O::META).next().is_some();
        tracing::debug!(method = %request.method(), uri = %auth::redacted_uri(request.uri(), &O::META), "sending request");
        let request = crate::transport::to_reqwest(request, secret_query)?;
        let attempt_timeout = config.timeout_config().attempt_timeout();
        let dispatch = |e: reqwest::Error| {
            let e = crate::transport::without_secret_url(e, secret_query);
            Error::Dispatch(DispatchError::new(1, e.is_connect(), e))
        };
        let handshake = async {
            let response = client.execute(request).await.map_err(dispatch)?;
            let status = response.status().as_u16();
            tracing::debug!(status, "handshake answered");
            if status == 101 {
                return response.upgrade().await.map_err(dispatch);
            }
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(dispatch)?;
            let response = HttpResponse {
                status,
                headers,
                body,
            };
            if status >= 400 {
                let meta = ErrorMetadata::from_response(&O::SERVICE.errors, &response);
                return Err(Error::Service {
                    err: O::deserialize_error(meta, &response),
                    attempts: 1,
                });
            }
            Err(Error::Response(ResponseError::new(
                status,
                request_id(&response.headers),
                &response.body,
                1,
                Some(
                    format!(
                        "`{}` expected 101 Switching Protocols, the server answered {status}",
                        O::META.name
                    )
                    .into(),
                ),
            )))
        };
        match attempt_timeout {
            Some(limit) => {
                tokio::time::timeout(limit, handshake)
                    .await
                    .unwrap_or(Err(Error::Timeout(TimeoutError::new(
                        TimeoutKind::Attempt,
                        Some(limit),
                        1,
                    ))))
            }
            None => handshake.await,
        }
    }

    /// Builds the request of `O` exactly as the first attempt of [`invoke`](Self::invoke)
    /// would send it — validated, serialized, endpoint resolved, protocol headers added, the
    /// call's headers and edits applied ([`Customized`](crate::Customized)), the hooks'
    /// `before_sign` run for attempt 1, signed or given its bearer token — without sending
    /// it. For golden wire tests and
    /// debugging. The `Authorization` and `X-Amz-Security-Token` header values are marked
    /// sensitive (their `Debug` shows `Sensitive`).
    pub async fn prepare<O: Operation>(
        &self,
        input: &O::Input,
    ) -> Result<http::Request<Bytes>, Error<O::Error>> {
        let mut request = self.build_unsigned::<O>(input)?;
        let config = &self.inner.config;
        hooks::run_before_sign(&config.hooks, O::SERVICE, &O::META, 1, &mut request)
            .map_err(Error::Hook)?;
        auth::authenticate(O::SERVICE, &O::META, config, &mut request).await?;
        Ok(request)
    }

    /// Executes operation `O`: validates the input, builds, signs and sends the request,
    /// retries as the [`RetryConfig`](crate::RetryConfig) says (signing each attempt afresh),
    /// within the [`TimeoutConfig`](crate::TimeoutConfig), and decodes the output or error.
    pub async fn invoke<O: Operation>(
        &self,
        input: O::Input,
    ) -> Result<O::Output, Error<O::Error>> {
        self.invoke_with_metadata::<O>(input)
            .await
            .map(WithMetadata::into_inner)
    }

    /// Executes operation `O` as [`invoke`](Self::invoke) does, and returns the output with
    /// the [`ResponseMetadata`] of the response that carried it: HTTP status, request id and
    /// headers.
    pub async fn invoke_with_metadata<O: Operation>(
        &self,
        input: O::Input,
    ) -> Result<WithMetadata<O::Output>, Error<O::Error>> {
        let span = tracing::info_span!(
            "operation",
            service = O::SERVICE.name,
            operation = O::META.name,
            attempts = Empty,
        );
        self.invoke_in_span::<O>(input).instrument(span).await
    }

    async fn invoke_in_span<O: Operation>(
        &self,
        input: O::Input,
    ) -> Result<WithMetadata<O::Output>, Error<O::Error>> {
        #[cfg(feature = "test-util")]
        if let Some(mocks) = self.inner.config.mocks() {
            return crate::mock::answer::<O>(mocks, &self.inner.config, input);
        }
        let base = self.build_unsigned::<O>(&input)?;
        drop(input);
        let client = self.transport()?;
        self.inner.retry.count_operation();
        let attempts = AtomicU32::new(0);
        let op_timeout = self.inner.config.timeout_config().operation_timeout();
        let deadline = op_timeout.map(|d| tokio::time::Instant::now() + d);
        let attempt_loop = self.attempt_loop::<O>(&*client, &base, &attempts, deadline);
        let result = match op_timeout {
            Some(limit) => match tokio::time::timeout(limit, attempt_loop).await {
                Ok(result) => result,
                Err(_) => Err(Error::Timeout(TimeoutError::new(
                    TimeoutKind::Operation,
                    Some(limit),
                    attempts.load(Ordering::Relaxed),
                ))),
            },
            None => attempt_loop.await,
        };
        let made = attempts.load(Ordering::Relaxed);
        tracing::Span::current().record("attempts", made);
        match &result {
            Ok(_) => tracing::debug!(attempts = made, "operation succeeded"),
            Err(e) => tracing::debug!(attempts = made, error = %DisplayKind(e), "operation failed"),
        }
        result
    }

    async fn attempt_loop<O: Operation>(
        &self,
        transport: &dyn HttpTransport,
        base: &http::Request<Bytes>,
        attempts: &AtomicU32,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<WithMetadata<O::Output>, Error<O::Error>> {
        let config = &self.inner.config;
        let retry_config = config.retry_config();
        let max_attempts = retry_config.max_attempts();
        let attempt_timeout = config.timeout_config().attempt_timeout();
        let mut last_retry_cost: Option<u32> = None;
        let mut skew_corrected = false;
        let mut attempt: u32 = 0;
        let replay_ok = retry_config.transport_retries_for_all() || O::META.idempotent;
        let options = SendOptions {
            max_response_bytes: config.max_response_bytes(),
            secret_query_params: auth::secret_query_params(&O::META).collect(),
        };
        loop {
            attempt += 1;
            attempts.store(attempt, Ordering::Relaxed);
            // Each attempt is authenticated afresh (new date, refreshed credentials).
            let mut request = base.clone();
            hooks::run_before_sign(&config.hooks, O::SERVICE, &O::META, attempt, &mut request)
                .map_err(Error::Hook)?;
            auth::authenticate(O::SERVICE, &O::META, config, &mut request).await?;
            self.inner.retry.before_attempt().await;

            let span = tracing::info_span!(
                "attempt",
                attempt,
                max_attempts,
                status = Empty,
                request_id = Empty,
            );
            let outcome = send_once(transport, request, attempt_timeout, &options, &O::META)
                .instrument(span.clone())
                .await;

            let (kind, error, retry_after) = match outcome {
                Ok(response) => {
                    hooks::run_after_response(
                        &config.hooks,
                        O::SERVICE,
                        &O::META,
                        attempt,
                        &response,
                    )
                    .map_err(Error::Hook)?;
                    let rid = request_id(&response.headers);
                    span.record("status", response.status);
                    if let Some(rid) = &rid {
                        span.record("request_id", rid.as_str());
                    }
                    if O::is_success(response.status)
                        && !is_error_in_disguise(O::SERVICE, &response)
                    {
                        self.inner.retry.on_response(false);
                        self.inner.retry.on_success(last_retry_cost);
                        return match O::deserialize_output(&response) {
                            Ok(output) => Ok(WithMetadata::new(
                                output,
                                ResponseMetadata::new(response.status, rid, response.headers),
                            )),
                            Err(e) => Err(Error::Response(ResponseError::new(
                                response.status,
                                rid,
                                &response.body,
                                attempt,
                                Some(Box::new(e)),
                            ))),
                        };
                    }
                    let meta = ErrorMetadata::from_response(&O::SERVICE.errors, &response);
                    let status = meta.status;
                    let code = meta.code.clone();
                    // Clock skew (skew.rs): learn the server's time, re-sign and resend once.
                    if !skew_corrected
                        && matches!(O::SERVICE.auth, AuthScheme::SigV4 { .. })
                        && config.clock_skew.observe(
                            code.as_deref(),
                            meta.message.as_deref(),
                            &response.headers,
                            config.now(),
                        )
                    {
                        skew_corrected = true;
                        continue;
                    }
                    let retry_after = retry::parse_retry_after(&response.headers, config.now());
                    let err = O::deserialize_error(meta, &response);
                    // The spec's `retryable` trait first, then status and code.
                    let kind = match O::modeled_retry(&err) {
                        Some(ErrorRetry::Throttling) => Some(RetryKind::Throttling),
                        Some(ErrorRetry::Transient) => Some(RetryKind::ServerError),
                        None => retry::classify_response(
                            status,
                            code.as_deref(),
                            O::SERVICE.throttling_codes,
                        ),
                    };
                    self.inner
                        .retry
                        .on_response(kind == Some(RetryKind::Throttling));
                    span.in_scope(|| {
                        tracing::debug!(
                            code = code.as_deref().unwrap_or(""),
                            retryable = kind.is_some(),
                            "error response"
                        )
                    });
                    (
                        kind,
                        Error::Service {
                            err,
                            attempts: attempt,
                        },
                        retry_after,
                    )
                }
                Err(AttemptError::Transport(TransportError::Request(e))) => {
                    return Err(Error::Construction(e));
                }
                Err(AttemptError::Transport(TransportError::TooLarge {
                    status,
                    request_id,
                    start,
                    declared,
                    limit,
                })) => {
                    span.in_scope(|| tracing::debug!(status, limit, "response too large"));
                    return Err(Error::Response(ResponseError::too_large(
                        status, request_id, &start, attempt, limit, declared,
                    )));
                }
                Err(AttemptError::TimedOut) => {
                    span.in_scope(|| tracing::debug!("attempt timed out"));
                    let kind = replay_ok.then_some(RetryKind::Timeout);
                    (
                        kind,
                        Error::Timeout(TimeoutError::new(
                            TimeoutKind::Attempt,
                            attempt_timeout,
                            attempt,
                        )),
                        None,
                    )
                }
                Err(AttemptError::Transport(e)) => {
                    let (connect, timed_out, source) = match e {
                        TransportError::Connect { timed_out, source } => (true, timed_out, source),
                        TransportError::Io(source) => (false, false, source),
                        other => (false, false, Box::new(other) as crate::error::BoxError),
                    };
                    span.in_scope(|| tracing::debug!(connect, error = %source, "transport error"));
                    if connect && timed_out {
                        (
                            Some(RetryKind::Timeout),
                            Error::Timeout(TimeoutError::new(
                                TimeoutKind::Connect,
                                config.timeout_config().connect_timeout(),
                                attempt,
                            )),
                            None,
                        )
                    } else {
                        let kind = (connect || replay_ok).then_some(RetryKind::Transport);
                        (
                            kind,
                            Error::Dispatch(DispatchError::new(attempt, connect, source)),
                            None,
                        )
                    }
                }
            };

            let Some(kind) = kind else {
                return Err(error);
            };
            if attempt >= max_attempts {
                return Err(error);
            }
            let delay =
                retry_after.unwrap_or_else(|| self.inner.retry.backoff(retry_config, attempt));
            if let Some(deadline) = deadline
                && tokio::time::Instant::now() + delay >= deadline
            {
                tracing::debug!(?delay, "no time left for another attempt");
                return Err(error);
            }
            if !self.inner.retry.acquire(kind) {
                tracing::warn!(
                    reason = kind.as_str(),
                    "retry budget exhausted, not retrying"
                );
                return Err(error);
            }
            last_retry_cost = Some(kind.cost());
            tracing::debug!(
                reason = kind.as_str(),
                ?delay,
                next_attempt = attempt + 1,
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }
}

/// Sends one request through the transport and reads the whole response, within the attempt
/// timeout and the size limit (the transport enforces the latter).
async fn send_once(
    transport: &dyn HttpTransport,
    request: http::Request<Bytes>,
    attempt_timeout: Option<std::time::Duration>,
    options: &SendOptions,
    op: &OperationMeta,
) -> Result<HttpResponse, AttemptError> {
    tracing::debug!(method = %request.method(), uri = %auth::redacted_uri(request.uri(), op), "sending request");
    let exchange = async {
        let response = transport
            .send(request, options)
            .await
            .map_err(AttemptError::Transport)?;
        tracing::debug!(
            status = response.status,
            bytes = response.body.len(),
            "response received"
        );
        Ok(response)
    };
    match attempt_timeout {
        Some(limit) => tokio::time::timeout(limit, exchange)
            .await
            .unwrap_or(Err(AttemptError::TimedOut)),
        None => exchange.await,
    }
}

/// Whether a 2xx answer of an AWS JSON protocol is an error response after all: a JSON object
/// with a `__type` member, which no output shape has and every error body of these protocols
/// carries. Taken at its word, such a body would decode as an empty output and end a listing
/// early without a word; it is decoded as the error it names instead.
pub(crate) fn is_error_in_disguise(service: &ServiceMeta, response: &HttpResponse) -> bool {
    if !matches!(
        service.protocol,
        Protocol::AwsJson1_0 { .. } | Protocol::AwsJson1_1 { .. } | Protocol::RestJson1
    ) || !(200..300).contains(&response.status)
        || !response.body.windows(8).any(|w| w == b"\"__type\"")
    {
        return false;
    }
    #[derive(serde::Deserialize)]
    struct Probe<'a> {
        #[serde(rename = "__type", borrow)]
        error_type: Option<std::borrow::Cow<'a, str>>,
    }
    serde_json::from_slice::<Probe<'_>>(&response.body)
        .ok()
        .and_then(|p| p.error_type)
        .is_some_and(|t| !t.trim().is_empty())
}

/// The WebSocket handshake headers (RFC 6455, section 4.1) with a fresh random key.
fn add_handshake(request: &mut http::Request<Bytes>) {
    use base64::Engine;
    let key = crate::wire::random_bytes::<16>();
    let key = base64::engine::general_purpose::STANDARD.encode(key);
    let headers = request.headers_mut();
    headers.insert(
        http::header::CONNECTION,
        http::HeaderValue::from_static("Upgrade"),
    );
    headers.insert(
        http::header::UPGRADE,
        http::HeaderValue::from_static("websocket"),
    );
    headers.insert(
        http::header::SEC_WEBSOCKET_VERSION,
        http::HeaderValue::from_static("13"),
    );
    if let Ok(value) = http::HeaderValue::try_from(key) {
        headers.insert(http::header::SEC_WEBSOCKET_KEY, value);
    }
}

/// Displays the kind of an error (and no payload) for trace events.
struct DisplayKind<'a, E>(&'a Error<E>);

impl<E> fmt::Display for DisplayKind<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Error::InvalidInput(_) => "invalid input",
            Error::Construction(_) => "construction",
            Error::Dispatch(_) => "dispatch",
            Error::Timeout(_) => "timeout",
            Error::Response(_) => "response",
            Error::Pagination(_) => "pagination",
            Error::Service { .. } => "service",
            Error::Page(_) => "page",
            Error::Hook(_) => "hook",
        })
    }
}
