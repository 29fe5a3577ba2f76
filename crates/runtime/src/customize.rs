//! Per-call customization: extra headers, request edits, hooks and configuration overrides
//! for one call, on top of the client's configuration.
//!
//! Every fluent builder of the generated crates has a `customize()` method that turns it
//! into a [`Customized`], for example
//! `client.describe_maintenance_window_execution_tasks().window_execution_id(id).customize()
//! .header("x-trace-id", "abc").config_override(ConfigOverride::new().max_attempts(1)).send()`.
//! A [`Customized`] is sent with `send()`, shown signed with `prepare()`, or turned into a
//! paginator whose every page carries the customizations.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderName, HeaderValue};

use crate::client::Handle;
use crate::config::{AppName, Config, Region, RetryConfig, SecretString, Validation};
use crate::credentials::CredentialsCache;
use crate::error::{ConstructionError, ConstructionErrorKind, Error};
use crate::hooks::{Hook, SharedHook};
use crate::operation::Operation;
use crate::paginate::{Paginated, Paginator};

/// Headers the runtime sets itself and a call may not: they are derived from the endpoint
/// and the body, or written by authentication.
const RUNTIME_HEADERS: [&str; 7] = [
    "host",
    "content-length",
    "transfer-encoding",
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
];

type Mutator = Arc<dyn Fn(&mut http::Request<Bytes>) + Send + Sync>;

/// What one call changes in its requests: headers and request edits, applied to every
/// attempt (and every page) before the hooks and before signing.
#[derive(Clone, Default)]
pub(crate) struct RequestEdits {
    /// `(name, value, append)`; `append` false replaces every value of the name.
    headers: Vec<(HeaderName, HeaderValue, bool)>,
    mutators: Vec<Mutator>,
    /// The first invalid header given, reported when the call is made.
    invalid: Option<String>,
}

impl fmt::Debug for RequestEdits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestEdits")
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(n, _, _)| n.as_str())
                    .collect::<Vec<_>>(),
            )
            .field("mutators", &self.mutators.len())
            .field("invalid", &self.invalid)
            .finish()
    }
}

impl RequestEdits {
    pub(crate) fn is_empty(&self) -> bool {
        self.headers.is_empty() && self.mutators.is_empty() && self.invalid.is_none()
    }

    fn add_header(&mut self, name: &str, value: &str, append: bool) {
        if self.invalid.is_some() {
            return;
        }
        match checked_header(name, value) {
            Ok((name, value)) => self.headers.push((name, value, append)),
            Err(message) => self.invalid = Some(message),
        }
    }

    /// Applies the headers, then the mutations, then sets `Host` and `Content-Length` again.
    pub(crate) fn apply(
        &self,
        request: &mut http::Request<Bytes>,
    ) -> Result<(), ConstructionError> {
        if let Some(message) = &self.invalid {
            return Err(ConstructionError::new(
                ConstructionErrorKind::InvalidRequest,
                message.clone(),
            ));
        }
        if self.headers.is_empty() && self.mutators.is_empty() {
            return Ok(());
        }
        for (name, value, append) in &self.headers {
            if *append {
                request.headers_mut().append(name.clone(), value.clone());
            } else {
                request.headers_mut().insert(name.clone(), value.clone());
            }
        }
        for mutate in &self.mutators {
            mutate(request);
        }
        crate::hooks::refresh_derived_headers(request);
        Ok(())
    }
}

/// Checks a header a call adds: a valid name that the runtime does not own, and a valid
/// value (visible ASCII, spaces and tabs; no line breaks). The error names the header.
pub(crate) fn checked_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        format!(
            "invalid header name {name:?}: a header name is a non-empty token of ASCII \
             letters, digits and !#$%&'*+-.^_`|~"
        )
    })?;
    if RUNTIME_HEADERS.contains(&header_name.as_str()) {
        return Err(format!(
            "header `{header_name}` is set by the runtime (from the endpoint, the body or the \
             credentials) and cannot be customized"
        ));
    }
    // Bytes past ASCII are valid HTTP (obs-text) but cannot be signed as text: refused.
    let ascii = value
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b));
    let header_value = ascii
        .then(|| HeaderValue::from_str(value).ok())
        .flatten()
        .ok_or_else(|| {
            format!(
                "invalid value for header `{header_name}`: only visible ASCII, spaces and tabs \
                 are allowed (the value is not shown: it may be a secret)"
            )
        })?;
    Ok((header_name, header_value))
}

/// Settings of the client's [`Config`] replaced for one call, given to
/// [`Customized::config_override`].
///
/// The call still uses the client's connection pool, retry budget and adaptive rate limiter,
/// and its learnt clock skew. So what belongs to the HTTP client cannot be changed for one
/// call, and has no setter here: the connect timeout, the HTTP client itself. A
/// [`RetryConfig`] given here sets the attempts, backoff, page retries and which failures are
/// replayed; its budget size and mode stay the client's.
///
/// ```
/// use std::time::Duration;
/// use cloudjobs_runtime::{Config, ConfigOverride};
/// let base = Config::builder().region("us-east-1").build();
/// let call = ConfigOverride::new()
///     .attempt_timeout(Duration::from_millis(500))
///     .max_attempts(1)
///     .region("eu-west-1");
/// let config = call.apply_to(&base);
/// assert_eq!(config.region().unwrap().as_str(), "eu-west-1");
/// assert_eq!(config.timeout_config().attempt_timeout(), Some(Duration::from_millis(500)));
/// assert_eq!(config.retry_config().max_attempts(), 1);
/// // The rest is the client's.
/// assert_eq!(config.timeout_config().connect_timeout(), base.timeout_config().connect_timeout());
/// ```
#[derive(Clone, Default)]
pub struct ConfigOverride {
    region: Option<Region>,
    endpoint_url: Option<String>,
    credentials: Option<Arc<CredentialsCache>>,
    bearer_token: Option<SecretString>,
    api_key: Option<SecretString>,
    retry: Option<RetryConfig>,
    max_attempts: Option<u32>,
    attempt_timeout: Option<Option<Duration>>,
    operation_timeout: Option<Option<Duration>>,
    validation: Option<Validation>,
    max_response_bytes: Option<u64>,
    app_name: Option<AppName>,
    hooks: Vec<SharedHook>,
}

impl fmt::Debug for ConfigOverride {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigOverride")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url.is_some())
            .field("credentials", &self.credentials.is_some())
            .field("bearer_token", &self.bearer_token)
            .field("api_key", &self.api_key)
            .field("retry", &self.retry)
            .field("max_attempts", &self.max_attempts)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("validation", &self.validation)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("app_name", &self.app_name)
            .field("hooks", &self.hooks)
            .finish()
    }
}

impl ConfigOverride {
    /// An override that changes nothing.
    pub fn new() -> Self {
        ConfigOverride::default()
    }

    /// The region (SigV4 signing and regional endpoints).
    pub fn region(mut self, region: impl Into<Region>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The endpoint URL.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// The AWS credentials (cached for this call only).
    pub fn credentials(mut self, credentials: aws_credential_types::Credentials) -> Self {
        self.credentials = Some(Arc::new(CredentialsCache::new(credentials)));
        self
    }

    /// The bearer token.
    pub fn bearer_token(mut self, token: impl Into<SecretString>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// The API key.
    pub fn api_key(mut self, key: impl Into<SecretString>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The retry settings (attempts, backoff, page retries, replays; the budget and the mode
    /// stay the client's).
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The maximum number of attempts (`1`: no retry), applied after
    /// [`retry_config`](Self::retry_config).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// The timeout of one attempt (`None`: none).
    pub fn attempt_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.attempt_timeout = Some(timeout.into());
        self
    }

    /// The timeout of the whole operation, every attempt and wait included (`None`: none).
    /// A paginator applies it to each page.
    pub fn operation_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.operation_timeout = Some(timeout.into());
        self
    }

    /// How much of the input constraints is checked before sending.
    pub fn validation(mut self, validation: Validation) -> Self {
        self.validation = Some(validation);
        self
    }

    /// The response size limit in bytes (`0` is taken as 1).
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = Some(bytes.max(1));
        self
    }

    /// The app name of the `User-Agent`.
    pub fn app_name(mut self, name: AppName) -> Self {
        self.app_name = Some(name);
        self
    }

    /// Adds a hook, run after the config's hooks.
    pub fn hook(mut self, hook: impl Hook + 'static) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// The configuration of the call: `base` with this override's settings.
    pub fn apply_to(&self, base: &Config) -> Config {
        let mut config = base.clone();
        if let Some(region) = &self.region {
            config.region = Some(region.clone());
        }
        if let Some(url) = &self.endpoint_url {
            config.endpoint_url = Some(url.clone());
        }
        if let Some(credentials) = &self.credentials {
            config.credentials = Some(credentials.clone());
        }
        if let Some(token) = &self.bearer_token {
            config.bearer_token = Some(token.clone());
        }
        if let Some(key) = &self.api_key {
            config.api_key = Some(key.clone());
        }
        if let Some(retry) = &self.retry {
            config.retry = retry.clone();
        }
        if let Some(n) = self.max_attempts {
            config.retry = config.retry.with_max_attempts(n);
        }
        if let Some(t) = self.attempt_timeout {
            config.timeouts = config.timeouts.with_attempt_timeout(t);
        }
        if let Some(t) = self.operation_timeout {
            config.timeouts = config.timeouts.with_operation_timeout(t);
        }
        if let Some(v) = self.validation {
            config.validation = v;
        }
        if let Some(n) = self.max_response_bytes {
            config.max_response_bytes = n;
        }
        if let Some(name) = &self.app_name {
            config.app_name = Some(name.clone());
        }
        config.hooks.extend(self.hooks.iter().cloned());
        config
    }

    fn is_empty(&self) -> bool {
        self.region.is_none()
            && self.endpoint_url.is_none()
            && self.credentials.is_none()
            && self.bearer_token.is_none()
            && self.api_key.is_none()
            && self.retry.is_none()
            && self.max_attempts.is_none()
            && self.attempt_timeout.is_none()
            && self.operation_timeout.is_none()
            && self.validation.is_none()
            && self.max_response_bytes.is_none()
            && self.app_name.is_none()
            && self.hooks.is_empty()
    }
}

/// One call of operation `O` with customizations: headers, request edits, hooks and
/// configuration overrides that apply to this call only (every attempt, and every page when
/// it is turned into a paginator). Made by the generated fluent builders' `customize()`, or
/// with [`Customized::new`].
///
/// Headers are added after the protocol built the request and before hooks and signing, so
/// they are signed (SigV4 leaves out only `user-agent`, `accept`, `x-amzn-trace-id` and the
/// headers of the transport). A header name or value that is invalid, or one the runtime sets
/// itself (`host`, `content-length`, `authorization`, `x-amz-date`, ...), makes the call fail
/// with a [`ConstructionError`] naming the header, before anything is sent.
///
/// ```
/// # use cloudjobs_runtime::{ConfigOverride, Customized, Handle, Error};
/// # async fn run<O: cloudjobs_runtime::Operation>(handle: Handle, input: O::Input) -> Result<(), Error<O::Error>> {
/// // With a generated client: `client.some_operation().member(..).customize()`.
/// let request = Customized::<O>::new(handle, input)
///     .header("x-trace-id", "abc-123")
///     .append_header("x-tag", "one")
///     .append_header("x-tag", "two")
///     .config_override(ConfigOverride::new().attempt_timeout(std::time::Duration::from_secs(2)))
///     .prepare()
///     .await?;
/// assert_eq!(request.headers()["x-trace-id"], "abc-123");
/// # Ok(()) }
/// ```
pub struct Customized<O: Operation> {
    handle: Handle,
    input: O::Input,
    edits: RequestEdits,
    config: ConfigOverride,
}

impl<O: Operation> Clone for Customized<O> {
    fn clone(&self) -> Self {
        Customized {
            handle: self.handle.clone(),
            input: self.input.clone(),
            edits: self.edits.clone(),
            config: self.config.clone(),
        }
    }
}

impl<O: Operation> fmt::Debug for Customized<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Customized")
            .field("operation", &O::META.name)
            .field("edits", &self.edits)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<O: Operation> Customized<O> {
    /// A call of `O` with `input` on `handle`, with nothing customized yet.
    pub fn new(handle: Handle, input: O::Input) -> Self {
        Customized {
            handle,
            input,
            edits: RequestEdits::default(),
            config: ConfigOverride::default(),
        }
    }

    /// The input of the call.
    pub fn as_input(&self) -> &O::Input {
        &self.input
    }

    /// Sets header `name` to `value`, replacing any value the request has (a header bound to
    /// an input member included).
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        self.edits.add_header(name.as_ref(), value.as_ref(), false);
        self
    }

    /// Adds a value of header `name`, keeping the values it has.
    pub fn append_header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        self.edits.add_header(name.as_ref(), value.as_ref(), true);
        self
    }

    /// Edits the request of every attempt after the protocol built it and the headers of
    /// this call were added, before hooks and signing. `Host` and `Content-Length` are set
    /// again from the URI and body afterwards.
    pub fn mutate_request(
        mut self,
        mutate: impl Fn(&mut http::Request<Bytes>) + Send + Sync + 'static,
    ) -> Self {
        self.edits.mutators.push(Arc::new(mutate));
        self
    }

    /// Replaces settings of the client's configuration for this call (see
    /// [`ConfigOverride`] for what can be). A second call replaces the settings of the first;
    /// hooks added so far are kept, and run before the override's own.
    pub fn config_override(mut self, config: ConfigOverride) -> Self {
        let hooks = std::mem::take(&mut self.config.hooks);
        self.config = config;
        self.config.hooks.splice(0..0, hooks);
        self
    }

    /// Adds a hook for this call, run after the config's hooks.
    pub fn hook(mut self, hook: impl Hook + 'static) -> Self {
        self.config.hooks.push(Arc::new(hook));
        self
    }

    /// The handle the call runs on: the client's, or one sharing its connections and retry
    /// budget with this call's configuration and edits.
    fn into_parts(self) -> (Handle, O::Input) {
        if self.edits.is_empty() && self.config.is_empty() {
            return (self.handle, self.input);
        }
        let config = self.config.apply_to(self.handle.config());
        (self.handle.customized(config, self.edits), self.input)
    }

    /// The request the first attempt of [`send`](Self::send) would send, signed, without
    /// sending it (see [`Handle::prepare`]).
    pub async fn prepare(self) -> Result<http::Request<Bytes>, Error<O::Error>> {
        let (handle, input) = self.into_parts();
        handle.prepare::<O>(&input).await
    }

    /// Sends the call (see [`Handle::invoke`]).
    pub async fn send(self) -> Result<O::Output, Error<O::Error>> {
        let (handle, input) = self.into_parts();
        handle.invoke::<O>(input).await
    }

    /// Sends the call and returns the output with its status, request id and headers (see
    /// [`Handle::invoke_with_metadata`]).
    pub async fn send_with_metadata(
        self,
    ) -> Result<crate::WithMetadata<O::Output>, Error<O::Error>> {
        let (handle, input) = self.into_parts();
        handle.invoke_with_metadata::<O>(input).await
    }
}

impl<O: Paginated> Customized<O> {
    /// A paginator whose every page is sent with this call's customizations.
    pub fn into_paginator(self) -> Paginator<O> {
        let (handle, input) = self.into_parts();
        Paginator::new(handle, input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_headers_are_accepted() {
        let (name, value) = checked_header("X-Trace-Id", "abc 123\tdef").unwrap();
        assert_eq!(name.as_str(), "x-trace-id");
        assert_eq!(value, "abc 123\tdef");
        assert!(checked_header("user-agent", "mine/1").is_ok());
    }

    #[test]
    fn invalid_header_names_are_refused_by_name() {
        for name in ["", "x trace", "x:y", "é"] {
            let err = checked_header(name, "v").unwrap_err();
            assert!(err.contains(&format!("{name:?}")), "{err}");
            assert!(err.starts_with("invalid header name"), "{err}");
        }
    }

    #[test]
    fn invalid_header_values_are_refused_naming_the_header() {
        for value in ["a\r\nb", "a\nb", "\u{7f}", "é"] {
            let err = checked_header("x-trace-id", value).unwrap_err();
            assert!(
                err.starts_with("invalid value for header `x-trace-id`"),
                "{err}"
            );
        }
    }

    #[test]
    fn runtime_headers_are_refused() {
        for name in ["Host", "content-length", "Authorization", "X-Amz-Date"] {
            let err = checked_header(name, "v").unwrap_err();
            assert!(err.contains("set by the runtime"), "{err}");
            assert!(err.contains(&name.to_ascii_lowercase()), "{err}");
        }
    }

    #[test]
    fn the_first_invalid_header_fails_the_call() {
        let mut edits = RequestEdits::default();
        edits.add_header("x-ok", "1", false);
        edits.add_header("x-bad", "a\nb", false);
        edits.add_header("bad name", "v", false);
        let mut request = http::Request::new(Bytes::new());
        let err = edits.apply(&mut request).unwrap_err();
        assert_eq!(err.kind(), ConstructionErrorKind::InvalidRequest);
        assert!(err.message().contains("`x-bad`"), "{err}");
        assert!(request.headers().is_empty());
    }

    #[test]
    fn headers_replace_or_append_and_derived_headers_follow() {
        let mut edits = RequestEdits::default();
        edits.add_header("x-one", "a", false);
        edits.add_header("x-many", "b", true);
        edits.add_header("x-many", "c", true);
        edits
            .mutators
            .push(Arc::new(|r: &mut http::Request<Bytes>| {
                *r.body_mut() = Bytes::from_static(b"{\"k\":1}");
                *r.uri_mut() = "https://other.example:8443/p".parse().unwrap();
            }));
        let mut request = http::Request::builder()
            .uri("https://example.test/")
            .header("x-one", "old")
            .header("x-many", "a")
            .header("host", "example.test")
            .header("content-length", "0")
            .body(Bytes::new())
            .unwrap();
        edits.apply(&mut request).unwrap();
        let h = request.headers();
        assert_eq!(h.get_all("x-one").iter().collect::<Vec<_>>(), ["a"]);
        assert_eq!(
            h.get_all("x-many").iter().collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        assert_eq!(h["host"], "other.example:8443");
        assert_eq!(h["content-length"], "7");
    }
}
