//! Error types shared by every client.
//!
//! Every operation returns `Result<Output, Error<E>>`, where `E` is the operation's modeled
//! error enum (generated). [`Error`] tells apart what went wrong:
//!
//! | variant | meaning | retried |
//! |---|---|---|
//! | [`Error::InvalidInput`] | the input broke a constraint of the spec; nothing was sent | no |
//! | [`Error::Construction`] | the request could not be built (endpoint, region, credentials, token, ...) | no |
//! | [`Error::Dispatch`] | the request could not be sent or its response not received (refused, reset, malformed) | yes (see [`RetryConfig`](crate::RetryConfig)) |
//! | [`Error::Timeout`] | a connect, attempt or operation timeout elapsed | connect and attempt timeouts: yes |
//! | [`Error::Response`] | a 2xx response that could not be decoded, or a response over the size limit | no |
//! | [`Error::Pagination`] | a paginator saw the service misbehave (a repeated token) | no |
//! | [`Error::Service`] | the service answered with an error (modeled variant or `Unhandled`) | throttling and 5xx |
//! | [`Error::Hook`] | a [`Hook`](crate::Hook) refused the request or the response | no |
//!
//! None of these ever contains a secret: credentials and tokens are not part of any error.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use crate::meta::ErrorRules;
use crate::wire::HttpResponse;

/// A boxed error used as the source of runtime errors.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The constraint an input value broke.
///
/// (Not `Eq`: range bounds are floats.)
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Rule {
    /// A required member was not set.
    Required,
    /// A string did not match the pattern.
    Pattern(&'static str),
    /// A number was outside `min..=max` (either bound may be absent).
    Range {
        /// Smallest allowed value, if any.
        min: Option<f64>,
        /// Largest allowed value, if any.
        max: Option<f64>,
    },
    /// A string's length (in characters) or a list's size was outside `min..=max`.
    Length {
        /// Smallest allowed length, if any.
        min: Option<u64>,
        /// Largest allowed length, if any.
        max: Option<u64>,
    },
    /// A value was not one of the enum's known values.
    Enum(&'static [&'static str]),
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn bounds<T: fmt::Display>(
            f: &mut fmt::Formatter<'_>,
            min: &Option<T>,
            max: &Option<T>,
        ) -> fmt::Result {
            match (min, max) {
                (Some(min), Some(max)) => write!(f, "{min}..={max}"),
                (Some(min), None) => write!(f, ">= {min}"),
                (None, Some(max)) => write!(f, "<= {max}"),
                (None, None) => f.write_str("unbounded"),
            }
        }
        match self {
            Rule::Required => f.write_str("required"),
            Rule::Pattern(p) => write!(f, "pattern `{p}`"),
            Rule::Range { min, max } => {
                f.write_str("range ")?;
                bounds(f, min, max)
            }
            Rule::Length { min, max } => {
                f.write_str("length ")?;
                bounds(f, min, max)
            }
            Rule::Enum(known) => write!(f, "one of [{}]", known.join(", ")),
        }
    }
}

/// An input was refused before anything was sent.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidInput {
    /// Path of the offending member, e.g. `Filters[2].Values[0]` (wire names).
    pub field: String,
    /// The rule it broke.
    pub rule: Rule,
    /// Human-readable explanation naming the field, the rule and the value seen.
    pub message: String,
}

impl InvalidInput {
    /// Builds an `InvalidInput` whose message names the field, the rule and (a bounded excerpt
    /// of) the value seen.
    pub fn new(field: impl Into<String>, rule: Rule, value: Option<&str>) -> Self {
        let field = field.into();
        let message = match (&rule, value) {
            (Rule::Required, _) => format!("`{field}` is required but was not set"),
            (rule, Some(value)) => {
                format!(
                    "`{field}` must satisfy {rule}, got {:?}",
                    excerpt(value.as_bytes(), 80)
                )
            }
            (rule, None) => format!("`{field}` must satisfy {rule}"),
        };
        InvalidInput {
            field,
            rule,
            message,
        }
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid input: {}", self.message)
    }
}

impl std::error::Error for InvalidInput {}

/// What the runtime reads from every error response, whatever the protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    /// Error code (sanitized AWS error type, or the service's own code), if any.
    pub code: Option<String>,
    /// Error message, if any.
    pub message: Option<String>,
    /// Request id (`x-amzn-RequestId` and friends), if any.
    pub request_id: Option<String>,
    /// HTTP status.
    pub status: u16,
}

/// Largest body excerpt kept in errors and metadata, in bytes.
pub const BODY_EXCERPT_LIMIT: usize = 512;

/// Largest error message kept in [`ErrorMetadata`], in bytes (a longer one is cut, with `…`).
pub const MESSAGE_LIMIT: usize = 2048;

fn bounded(text: String, limit: usize) -> String {
    if text.len() <= limit {
        text
    } else {
        excerpt(text.as_bytes(), limit).into_owned()
    }
}

impl ErrorMetadata {
    /// Reads code, message and request id from an error response, following `rules` (the
    /// service's [`ServiceMeta::errors`](crate::ServiceMeta::errors)):
    ///
    /// * the code is the first non-empty of `code_headers`, then of `code_pointers` in the
    ///   JSON body, sanitized with [`sanitize_error_code`] when `sanitize_code` is set;
    /// * the message is the first non-empty string at `message_pointers`; else, for a body
    ///   that is not JSON, a bounded excerpt of it; else the HTTP reason phrase when
    ///   `reason_as_message` is set;
    /// * the request id is the first of `request_id_headers`.
    pub fn from_response(rules: &ErrorRules, response: &HttpResponse) -> ErrorMetadata {
        let headers = &response.headers;
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let body: Option<serde_json::Value> = if response.body.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            serde_json::from_slice(&response.body).ok()
        };
        let str_at = |pointer: &str| {
            body.as_ref()
                .and_then(|b| b.pointer(pointer))
                .and_then(|v| v.as_str())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let non_json_excerpt = || {
            if body.is_none() && !response.body.iter().all(u8::is_ascii_whitespace) {
                Some(excerpt(&response.body, BODY_EXCERPT_LIMIT).into_owned())
            } else {
                None
            }
        };
        let reason = || {
            http::StatusCode::from_u16(response.status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .map(str::to_owned)
        };
        let code = rules
            .code_headers
            .iter()
            .find_map(|h| header(h))
            .or_else(|| rules.code_pointers.iter().find_map(|p| str_at(p)))
            .map(|c| {
                if rules.sanitize_code {
                    sanitize_error_code(&c).to_owned()
                } else {
                    c
                }
            })
            .filter(|c| !c.is_empty())
            .map(|c| bounded(c, BODY_EXCERPT_LIMIT));
        let message = rules
            .message_pointers
            .iter()
            .find_map(|p| str_at(p))
            .map(|m| bounded(m, MESSAGE_LIMIT))
            .or_else(non_json_excerpt)
            .or_else(|| {
                if rules.reason_as_message {
                    reason()
                } else {
                    None
                }
            });
        ErrorMetadata {
            code,
            message,
            request_id: rules.request_id_headers.iter().find_map(|h| header(h)),
            status: response.status,
        }
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.code, &self.message) {
            (Some(c), Some(m)) => write!(f, "{c}: {m}")?,
            (Some(c), None) => write!(f, "{c}")?,
            (None, Some(m)) => write!(f, "{m}")?,
            (None, None) => write!(f, "unknown error")?,
        }
        write!(f, " (HTTP {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

/// Sanitizes an AWS error type as the Smithy JSON protocols require: everything from the first
/// `:` is cut, then only what follows the last `#` is kept.
///
/// ```
/// use cloudjobs_runtime::error::sanitize_error_code;
/// assert_eq!(
///     sanitize_error_code("com.amazonaws.partnercentralselling#ValidationException"),
///     "ValidationException"
/// );
/// assert_eq!(
///     sanitize_error_code("ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
///     "ValidationException"
/// );
/// ```
pub fn sanitize_error_code(raw: &str) -> &str {
    let cut = raw.split(':').next().unwrap_or(raw);
    let kept = cut.rsplit('#').next().unwrap_or(cut);
    kept.trim()
}

/// A bounded, lossy UTF-8 excerpt of `bytes`: at most `limit` bytes, cut on a character
/// boundary, with `…` appended when something was cut.
pub fn excerpt(bytes: &[u8], limit: usize) -> Cow<'_, str> {
    let text = String::from_utf8_lossy(bytes);
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}…", &text[..end]))
}

/// Writes the `Display` form of a service error: the code (or `kind`, the modeled variant's
/// name, when the response had no code), the message, the HTTP status and the request id,
/// e.g. `DoesNotExistException: window not found (HTTP 400, request id 7f3a...)`.
/// Used by the `Display` impl of every generated error enum.
pub fn fmt_service_error(
    f: &mut fmt::Formatter<'_>,
    kind: &str,
    meta: &ErrorMetadata,
) -> fmt::Result {
    f.write_str(meta.code.as_deref().unwrap_or(kind))?;
    if let Some(message) = &meta.message {
        write!(f, ": {message}")?;
    }
    f.write_str(" (")?;
    if kind == "Unhandled" {
        f.write_str("not modeled, ")?;
    }
    write!(f, "HTTP {}", meta.status)?;
    if let Some(id) = &meta.request_id {
        write!(f, ", request id {id}")?;
    }
    f.write_str(")")
}

/// A service error the spec does not model (the `Unhandled` variant of generated error
/// enums): its metadata, a bounded excerpt of the response body, and, when the body of a
/// modeled error could not be decoded, the decoding error as its [`source`](std::error::Error::source).
#[derive(Debug, Clone)]
pub struct Unhandled {
    /// Code, message, request id and status read from the response.
    pub meta: ErrorMetadata,
    body_excerpt: String,
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

impl PartialEq for Unhandled {
    /// Metadata and body excerpt; the source is not compared.
    fn eq(&self, other: &Self) -> bool {
        self.meta == other.meta && self.body_excerpt == other.body_excerpt
    }
}

impl Eq for Unhandled {}

impl Unhandled {
    /// An unmodeled error with its metadata; only the first [`BODY_EXCERPT_LIMIT`] bytes of the
    /// body are kept.
    pub fn new(meta: ErrorMetadata, body: &[u8]) -> Self {
        Unhandled {
            meta,
            body_excerpt: excerpt(body, BODY_EXCERPT_LIMIT).into_owned(),
            source: None,
        }
    }

    /// The error of a response that matched a modeled error whose body could not be decoded.
    pub fn undecodable(meta: ErrorMetadata, body: &[u8], source: impl Into<BoxError>) -> Self {
        let source: BoxError = source.into();
        Unhandled {
            source: Some(std::sync::Arc::from(source)),
            ..Unhandled::new(meta, body)
        }
    }

    /// The start of the response body.
    pub fn body_excerpt(&self) -> &str {
        &self.body_excerpt
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_service_error(f, "Unhandled", &self.meta)?;
        if let Some(source) = &self.source {
            write!(f, "; the error body could not be decoded: {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Unhandled {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl ProvideErrorMetadata for Unhandled {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

/// Access to the metadata of a service error. Implemented by every generated error enum.
pub trait ProvideErrorMetadata {
    /// The metadata read from the response.
    fn meta(&self) -> &ErrorMetadata;
    /// Error code.
    fn code(&self) -> Option<&str> {
        self.meta().code.as_deref()
    }
    /// Error message.
    fn message(&self) -> Option<&str> {
        self.meta().message.as_deref()
    }
    /// Request id.
    fn request_id(&self) -> Option<&str> {
        self.meta().request_id.as_deref()
    }
}

impl ProvideErrorMetadata for ErrorMetadata {
    fn meta(&self) -> &ErrorMetadata {
        self
    }
}

/// No service error: `Error<Infallible>` holds the failures that are not an answer of the
/// service (the crate-level `Error` of generated crates keeps them that way).
impl ProvideErrorMetadata for std::convert::Infallible {
    fn meta(&self) -> &ErrorMetadata {
        match *self {}
    }
}

/// Why a request could not be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConstructionErrorKind {
    /// No endpoint: the service has no default and none was configured.
    MissingEndpoint,
    /// The configured endpoint URL, or the resolved URI, is not valid.
    InvalidEndpoint,
    /// No region was configured for a regional AWS service.
    MissingRegion,
    /// No AWS credentials could be loaded.
    MissingCredentials,
    /// No bearer token was configured.
    MissingToken,
    /// A path label had no value, or a header value was not valid.
    InvalidRequest,
    /// The input could not be serialized.
    Serialization,
    /// SigV4 signing failed.
    Signing,
    /// The HTTP client could not be created.
    HttpClient,
    /// Credentials would have gone over plain `http://` to a host that is not loopback.
    InsecureTransport,
}

impl fmt::Display for ConstructionErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConstructionErrorKind::MissingEndpoint => "missing endpoint",
            ConstructionErrorKind::InvalidEndpoint => "invalid endpoint",
            ConstructionErrorKind::MissingRegion => "missing region",
            ConstructionErrorKind::MissingCredentials => "missing credentials",
            ConstructionErrorKind::MissingToken => "missing bearer token",
            ConstructionErrorKind::InvalidRequest => "invalid request",
            ConstructionErrorKind::Serialization => "serialization failed",
            ConstructionErrorKind::Signing => "signing failed",
            ConstructionErrorKind::HttpClient => "HTTP client unavailable",
            ConstructionErrorKind::InsecureTransport => "insecure transport",
        })
    }
}

/// The request could not be built; nothing was sent.
#[derive(Debug)]
pub struct ConstructionError {
    kind: ConstructionErrorKind,
    message: String,
    source: Option<BoxError>,
}

impl ConstructionError {
    /// A construction error of the given kind with an explanation.
    pub fn new(kind: ConstructionErrorKind, message: impl Into<String>) -> Self {
        ConstructionError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying cause.
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// What kind of problem it was.
    pub fn kind(&self) -> ConstructionErrorKind {
        self.kind
    }

    /// The explanation.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConstructionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "request could not be built ({}): {}",
            self.kind, self.message
        )
    }
}

impl std::error::Error for ConstructionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The request could not be sent, or its response could not be received.
#[derive(Debug)]
pub struct DispatchError {
    attempts: u32,
    connect: bool,
    source: BoxError,
}

impl DispatchError {
    /// A dispatch failure after `attempts` attempts; `connect` tells whether the connection
    /// itself could not be established.
    pub fn new(attempts: u32, connect: bool, source: impl Into<BoxError>) -> Self {
        DispatchError {
            attempts,
            connect,
            source: source.into(),
        }
    }

    /// Attempts made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether the connection could not be established (the request was surely not received).
    pub fn is_connect(&self) -> bool {
        self.connect
    }
}

impl fmt::Display for DispatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.connect {
            "could not connect"
        } else {
            "dispatch failure"
        };
        write!(
            f,
            "{what} after {} attempt{}: {}",
            self.attempts,
            plural(self.attempts),
            self.source
        )
    }
}

impl std::error::Error for DispatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// Which timeout elapsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing the connection took too long.
    Connect,
    /// One attempt (send and receive the whole response) took too long.
    Attempt,
    /// The whole operation (every attempt and the waits between them) took too long.
    Operation,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "connect",
            TimeoutKind::Attempt => "attempt",
            TimeoutKind::Operation => "operation",
        })
    }
}

/// Where a [`Hook`](crate::Hook) failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HookStage {
    /// In [`Hook::before_sign`](crate::Hook::before_sign): the attempt was not sent.
    BeforeSign,
    /// In [`Hook::after_response`](crate::Hook::after_response): the response was received
    /// and dropped.
    AfterResponse,
}

impl fmt::Display for HookStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HookStage::BeforeSign => "before_sign",
            HookStage::AfterResponse => "after_response",
        })
    }
}

/// A [`Hook`](crate::Hook) returned an error: the call ends with it, without retrying.
#[derive(Debug)]
pub struct HookError {
    hook: String,
    stage: HookStage,
    attempts: u32,
    source: BoxError,
}

impl HookError {
    /// The error `source` of hook `hook` (its [`Hook::name`](crate::Hook::name)) at `stage`,
    /// in attempt `attempts`.
    pub fn new(
        hook: impl Into<String>,
        stage: HookStage,
        attempts: u32,
        source: impl Into<BoxError>,
    ) -> Self {
        HookError {
            hook: hook.into(),
            stage,
            attempts,
            source: source.into(),
        }
    }

    /// The name of the hook that failed.
    pub fn hook(&self) -> &str {
        &self.hook
    }

    /// Where it failed.
    pub fn stage(&self) -> HookStage {
        self.stage
    }

    /// Attempts made, the one the hook stopped included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for HookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "hook `{}` failed in {} (attempt {}): {}",
            self.hook,
            self.stage,
            self.attempts,
            describe(self.source.as_ref())
        )
    }
}

impl std::error::Error for HookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// A timeout elapsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    kind: TimeoutKind,
    duration: Option<Duration>,
    attempts: u32,
}

impl TimeoutError {
    /// A timeout of `kind` (configured to `duration`, when known) after `attempts` attempts.
    pub fn new(kind: TimeoutKind, duration: Option<Duration>, attempts: u32) -> Self {
        TimeoutError {
            kind,
            duration,
            attempts,
        }
    }

    /// Which timeout elapsed.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The configured duration of that timeout, when known.
    pub fn duration(&self) -> Option<Duration> {
        self.duration
    }

    /// Attempts made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} timeout", self.kind)?;
        if let Some(d) = self.duration {
            write!(f, " of {d:?}")?;
        }
        write!(
            f,
            " elapsed after {} attempt{}",
            self.attempts,
            plural(self.attempts)
        )
    }
}

impl std::error::Error for TimeoutError {}

/// A response that could not be decoded, or was refused for its size.
#[derive(Debug)]
pub struct ResponseError {
    status: u16,
    request_id: Option<String>,
    body_excerpt: String,
    attempts: u32,
    source: Option<BoxError>,
    too_large: Option<TooLarge>,
}

/// A response over the configured size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge {
    /// The limit, in bytes ([`Config::max_response_bytes`](crate::Config::max_response_bytes)).
    pub limit: u64,
    /// The `Content-Length` the server announced, if any.
    pub declared: Option<u64>,
}

impl ResponseError {
    /// A response with `status` whose `body` could not be decoded; only a bounded excerpt of
    /// the body is kept.
    pub fn new(
        status: u16,
        request_id: Option<String>,
        body: &[u8],
        attempts: u32,
        source: Option<BoxError>,
    ) -> Self {
        ResponseError {
            status,
            request_id,
            body_excerpt: excerpt(body, BODY_EXCERPT_LIMIT).into_owned(),
            attempts,
            source,
            too_large: None,
        }
    }

    /// A response with `status` refused because its body is over `limit` bytes (`declared`
    /// is its `Content-Length`, when it had one); `start` is the start of the body, if any
    /// was read.
    pub fn too_large(
        status: u16,
        request_id: Option<String>,
        start: &[u8],
        attempts: u32,
        limit: u64,
        declared: Option<u64>,
    ) -> Self {
        ResponseError {
            too_large: Some(TooLarge { limit, declared }),
            ..ResponseError::new(status, request_id, start, attempts, None)
        }
    }

    /// Whether the response was refused for its size, and the limit it passed.
    pub fn is_too_large(&self) -> Option<TooLarge> {
        self.too_large
    }

    /// HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Request id, if the response had one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The start of the body (at most [`BODY_EXCERPT_LIMIT`] bytes).
    pub fn body_excerpt(&self) -> &str {
        &self.body_excerpt
    }

    /// Attempts made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.too_large {
            Some(TooLarge { limit, declared }) => {
                write!(f, "response refused: its body ")?;
                match declared {
                    Some(len) => write!(f, "of {len} bytes (Content-Length) is")?,
                    None => write!(f, "went")?,
                }
                write!(
                    f,
                    " over the limit of {limit} bytes (max_response_bytes, \
                     CLOUDJOBS_MAX_RESPONSE_BYTES) (HTTP {}",
                    self.status
                )?;
            }
            None => write!(f, "response could not be decoded (HTTP {}", self.status)?,
        }
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        write!(f, ", {} attempt{})", self.attempts, plural(self.attempts))?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        write!(f, "; body: {:?}", self.body_excerpt)
    }
}

impl std::error::Error for ResponseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A paginator stopped because the service misbehaved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaginationError {
    page: usize,
    message: String,
}

impl PaginationError {
    /// A pagination error found while asking for page `page` (1-based).
    pub fn new(page: usize, message: impl Into<String>) -> Self {
        PaginationError {
            page,
            message: message.into(),
        }
    }

    /// The 1-based number of the page that would have been requested next.
    pub fn page(&self) -> usize {
        self.page
    }
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pagination stopped before page {}: {}",
            self.page, self.message
        )
    }
}

impl std::error::Error for PaginationError {}

/// Where a listing can start again: what [`Paginator::resume_from`](crate::Paginator::resume_from)
/// and [`Paginator::starting_token`](crate::Paginator::starting_token) take.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResumePoint {
    /// From the first page (of the paginator's input).
    Start,
    /// From the page of this continuation token (token-style operations).
    Token(String),
    /// From this 1-based item index (offset-style operations, SpaceONE's `page.start`).
    Offset(u32),
}

impl ResumePoint {
    /// The text form a CLI takes back as `--starting-token`: the token, or the offset in
    /// decimal; `None` for [`Start`](Self::Start).
    pub fn starting_token(&self) -> Option<String> {
        match self {
            ResumePoint::Start => None,
            ResumePoint::Token(t) => Some(t.clone()),
            ResumePoint::Offset(n) => Some(n.to_string()),
        }
    }
}

impl fmt::Display for ResumePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResumePoint::Start => f.write_str("the first page"),
            ResumePoint::Token(t) => write!(f, "starting token {t:?}"),
            ResumePoint::Offset(n) => write!(f, "starting token \"{n}\" (item offset)"),
        }
    }
}

/// A paginator stopped part-way: the error of the page that failed, and where to resume so
/// that nothing is skipped or repeated.
#[derive(Debug)]
pub struct PageFailure<E> {
    error: Error<E>,
    resume: ResumePoint,
    pages: usize,
}

impl<E> PageFailure<E> {
    /// The failure of the page `resume` points at, after `pages` pages were received.
    pub fn new(error: Error<E>, resume: ResumePoint, pages: usize) -> Self {
        PageFailure {
            error,
            resume,
            pages,
        }
    }

    /// The error of the failed page.
    pub fn error(&self) -> &Error<E> {
        &self.error
    }

    /// Takes the error of the failed page out.
    pub fn into_error(self) -> Error<E> {
        self.error
    }

    /// Where to resume.
    pub fn resume_point(&self) -> &ResumePoint {
        &self.resume
    }

    /// Pages received before the failure.
    pub fn pages_received(&self) -> usize {
        self.pages
    }

    /// The error, and a function that puts another error in its place (same resume point).
    fn split<F>(self) -> (Error<E>, impl FnOnce(Error<F>) -> Error<F>) {
        let PageFailure {
            error,
            resume,
            pages,
        } = self;
        (error, move |error| {
            Error::Page(Box::new(PageFailure::new(error, resume, pages)))
        })
    }
}

/// The result error of every operation: `E` is the operation's modeled error enum.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The input broke a constraint; nothing was sent.
    InvalidInput(InvalidInput),
    /// The request could not be built (no endpoint, region, credentials or token, ...);
    /// nothing was sent.
    Construction(ConstructionError),
    /// The request could not be sent or its response not received.
    Dispatch(DispatchError),
    /// A timeout elapsed.
    Timeout(TimeoutError),
    /// A successful response could not be decoded.
    Response(ResponseError),
    /// A paginator stopped because the service repeated a continuation token.
    Pagination(PaginationError),
    /// The service answered with an error (modeled variant or `Unhandled`).
    Service {
        /// The modeled error.
        err: E,
        /// Attempts made.
        attempts: u32,
    },
    /// A paginator's page failed: the error, and where to resume. Every accessor of
    /// [`Error`] (`as_service_error`, `code`, `status`, `attempts`, ...) looks through it to
    /// the page's error.
    Page(Box<PageFailure<E>>),
    /// A [`Hook`](crate::Hook) refused the request (that attempt was not sent) or the
    /// response; not retried.
    Hook(HookError),
}

impl<E> Error<E> {
    /// The error itself: for [`Error::Page`], the error of the failed page.
    pub fn inner(&self) -> &Error<E> {
        match self {
            Error::Page(p) => p.error.inner(),
            other => other,
        }
    }

    /// Takes the error out of an [`Error::Page`] (the resume point is dropped).
    pub fn into_inner(self) -> Error<E> {
        match self {
            Error::Page(p) => p.error.into_inner(),
            other => other,
        }
    }

    /// Where a failed listing can resume, when the error came from a paginator.
    pub fn resume_point(&self) -> Option<&ResumePoint> {
        match self {
            Error::Page(p) => Some(&p.resume),
            _ => None,
        }
    }

    /// The service error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self.inner() {
            Error::Service { err, .. } => Some(err),
            _ => None,
        }
    }

    /// Takes the service error out, if the service answered with one.
    pub fn into_service_error(self) -> Option<E> {
        match self.into_inner() {
            Error::Service { err, .. } => Some(err),
            _ => None,
        }
    }

    /// The input error, if the input was refused before sending.
    pub fn as_invalid_input(&self) -> Option<&InvalidInput> {
        match self.inner() {
            Error::InvalidInput(e) => Some(e),
            _ => None,
        }
    }

    /// Attempts made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::InvalidInput(_) | Error::Construction(_) | Error::Pagination(_) => 0,
            Error::Dispatch(e) => e.attempts(),
            Error::Timeout(e) => e.attempts(),
            Error::Response(e) => e.attempts(),
            Error::Hook(e) => e.attempts(),
            Error::Service { attempts, .. } => *attempts,
            Error::Page(p) => p.error.attempts(),
        }
    }

    /// Whether the failure is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self.inner(), Error::Timeout(_))
    }

    /// Separates the service error (with the attempts made) from every other failure, which
    /// comes back as an `Error<Infallible>`.
    pub fn split_service_error(self) -> Result<(E, u32), Error<std::convert::Infallible>> {
        match self {
            Error::Service { err, attempts } => Ok((err, attempts)),
            Error::InvalidInput(e) => Err(Error::InvalidInput(e)),
            Error::Construction(e) => Err(Error::Construction(e)),
            Error::Dispatch(e) => Err(Error::Dispatch(e)),
            Error::Timeout(e) => Err(Error::Timeout(e)),
            Error::Response(e) => Err(Error::Response(e)),
            Error::Pagination(e) => Err(Error::Pagination(e)),
            Error::Hook(e) => Err(Error::Hook(e)),
            Error::Page(p) => {
                let (error, wrap) = (*p).split();
                error.split_service_error().map_err(wrap)
            }
        }
    }

    /// Converts the service error with `f`, keeping every other variant.
    pub fn map_service_error<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::InvalidInput(e) => Error::InvalidInput(e),
            Error::Construction(e) => Error::Construction(e),
            Error::Dispatch(e) => Error::Dispatch(e),
            Error::Timeout(e) => Error::Timeout(e),
            Error::Response(e) => Error::Response(e),
            Error::Pagination(e) => Error::Pagination(e),
            Error::Hook(e) => Error::Hook(e),
            Error::Service { err, attempts } => Error::Service {
                err: f(err),
                attempts,
            },
            Error::Page(p) => {
                let (error, wrap) = (*p).split();
                wrap(error.map_service_error(f))
            }
        }
    }
}

impl<E: ProvideErrorMetadata> Error<E> {
    /// Request id of the response, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self.inner() {
            Error::Service { err, .. } => err.request_id(),
            Error::Response(e) => e.request_id(),
            _ => None,
        }
    }

    /// HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self.inner() {
            Error::Service { err, .. } => Some(err.meta().status),
            Error::Response(e) => Some(e.status()),
            _ => None,
        }
    }

    /// Error code of the service error, if any.
    pub fn code(&self) -> Option<&str> {
        match self.inner() {
            Error::Service { err, .. } => err.code(),
            _ => None,
        }
    }

    /// Error message of the service error, if any.
    pub fn message(&self) -> Option<&str> {
        match self.inner() {
            Error::Service { err, .. } => err.message(),
            _ => None,
        }
    }
}

impl<E> From<InvalidInput> for Error<E> {
    fn from(e: InvalidInput) -> Self {
        Error::InvalidInput(e)
    }
}

impl<E> From<ConstructionError> for Error<E> {
    fn from(e: ConstructionError) -> Self {
        Error::Construction(e)
    }
}

impl<E: ProvideErrorMetadata> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput(e) => fmt::Display::fmt(e, f),
            Error::Construction(e) => fmt::Display::fmt(e, f),
            Error::Dispatch(e) => fmt::Display::fmt(e, f),
            Error::Timeout(e) => fmt::Display::fmt(e, f),
            Error::Response(e) => fmt::Display::fmt(e, f),
            Error::Pagination(e) => fmt::Display::fmt(e, f),
            Error::Hook(e) => fmt::Display::fmt(e, f),
            Error::Service { err, attempts } => {
                write!(
                    f,
                    "service error: {} after {attempts} attempt{}",
                    err.meta(),
                    plural(*attempts)
                )
            }
            Error::Page(p) => write!(
                f,
                "{}; {} page{} received, resume from {}",
                p.error,
                p.pages,
                if p.pages == 1 { "" } else { "s" },
                p.resume
            ),
        }
    }
}

impl<E> std::error::Error for Error<E>
where
    E: std::error::Error + ProvideErrorMetadata + 'static,
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidInput(e) => Some(e),
            Error::Construction(e) => Some(e),
            Error::Dispatch(e) => Some(e),
            Error::Timeout(e) => Some(e),
            Error::Response(e) => Some(e),
            Error::Pagination(e) => Some(e),
            Error::Hook(e) => Some(e),
            Error::Service { err, .. } => Some(err),
            Error::Page(p) => std::error::Error::source(&p.error),
        }
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Describes an error with its whole source chain, `: `-separated (the top-level `Display`
/// of `CredentialsError`, for one, hides the reason).
pub fn describe(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        out.push_str(": ");
        out.push_str(&e.to_string());
        source = e.source();
    }
    out
}
