//! Client configuration, shared by every service.
//!
//! CONTRACT (generated code uses): `Config` (Clone + Debug with secrets redacted),
//! `Config::builder() -> ConfigBuilder`, `ConfigBuilder::build() -> Config`,
//! `Config::from_env() -> impl Future<Output = Result<Config, ConfigError>>`,
//! `Validation::{Full, RequiredOnly}`.
//!
//! Two ways to get a [`Config`]:
//!
//! * [`Config::builder()`] — explicit; never reads the environment or any file.
//! * [`Config::from_env()`] — the usual defaults for a program: region, credentials, endpoint
//!   overrides and tokens from environment variables and the shared AWS files. The variables
//!   read are:
//!
//! | variable | used for |
//! |---|---|
//! | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` | SigV4 credentials (first in the chain) |
//! | `AWS_PROFILE` | profile of the shared files (default `default`) |
//! | `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE` | shared files (default `~/.aws/credentials`, `~/.aws/config`) |
//! | `AWS_REGION`, `AWS_DEFAULT_REGION` | region (else the profile's `region`) |
//! | `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL` | endpoint of AWS services (`<SERVICE>` = the service's SDK id, upper case, spaces and dashes as `_`, e.g. `AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING`) |
//! | `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT` | FIPS / dual-stack endpoints (else the profile's `use_fips_endpoint` / `use_dualstack_endpoint`) |
//! | `AWS_MAX_ATTEMPTS` | retry attempts (else the profile's `max_attempts`) |
//! | `AWS_RETRY_MODE` | `standard`, `adaptive` or `patient` ([`RetryConfig::from_mode_name`]; else the profile's `retry_mode`) |
//! | `CLOUDJOBS_ALLOW_INSECURE_HTTP` | `true` to send credentials over plain `http://` to a host that is not loopback ([`ConfigBuilder::allow_insecure_http`]) |
//! | `CLOUDJOBS_MAX_RESPONSE_BYTES` | response size limit in bytes ([`ConfigBuilder::max_response_bytes`]) |
//! | `AWS_SDK_UA_APP_ID` | app name in the `User-Agent` ([`ConfigBuilder::app_name`]; else the profile's `sdk_ua_app_id`) |
//! | `<PREFIX>_TOKEN` | bearer token of a service, e.g. `CLOUDJOBS_SPACEONE_TOKEN`, `CLOUDJOBS_CLOUD_REWIND_TOKEN` |
//! | `<PREFIX>_USERNAME`, `<PREFIX>_PASSWORD` | HTTP basic credentials of a service whose spec has a basic scheme |
//! | `<PREFIX>_API_KEY` | API key of a service whose spec has an `apiKey` scheme (in a header or the query) |
//! | `<PREFIX>_ENDPOINT_URL` | base URL of a service, e.g. `CLOUDJOBS_SPACEONE_ENDPOINT_URL` |
//! | `<PREFIX>_PATH_PREFIX` | path prefix of a service, e.g. `CLOUDJOBS_SPACEONE_PATH_PREFIX=/identity` |
//!
//! `<PREFIX>` is the service's [`ServiceMeta::env_prefix`](crate::ServiceMeta::env_prefix);
//! variables whose name starts with `CLOUDJOBS_` or `AWS_ENDPOINT_URL` are captured when the
//! config is loaded, so a `Config` does not change when the environment does later.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_credential_types::provider::ProvideCredentials;

pub use crate::app_name::AppName;
pub use crate::config_error::ConfigError;
use crate::credentials::{CredentialsCache, DefaultCredentialsChain, ProfileFiles, ProfileSet};
pub use crate::secret::SecretString;
pub use crate::validate::Validation;

/// Loads a config from variables only (no file), for the tests below.
#[cfg(test)]
async fn from_vars(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let mut all: Vec<(String, String)> = vec![
        (
            "AWS_CONFIG_FILE".into(),
            "/nonexistent/cloudjobs-config".into(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            "/nonexistent/cloudjobs-creds".into(),
        ),
    ];
    all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Config::from_env_vars(all).await
}

/// An AWS region name, such as `us-east-1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Region(String);

impl Region {
    /// A region by name.
    pub fn new(name: impl Into<String>) -> Self {
        Region(name.into())
    }

    /// The region name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Region {
    fn from(s: &str) -> Self {
        Region(s.to_owned())
    }
}

impl From<String> for Region {
    fn from(s: String) -> Self {
        Region(s)
    }
}

/// How retries pace themselves.
///
/// Both modes retry the same failures (see [`RetryConfig`]); they differ in how fast requests
/// go out after the service starts throttling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RetryMode {
    /// The AWS SDKs' "standard" mode: backoff with jitter and a retry budget.
    #[default]
    Standard,
    /// The AWS SDKs' "adaptive" mode: standard, plus client-side rate limiting. After a
    /// throttling error the client lowers its own send rate (to 70% of the rate it was
    /// measured sending at) and raises it again step by step on successes, so every request
    /// of the client (every clone of the handle) waits its turn instead of hammering a
    /// throttled service.
    Adaptive,
}

impl RetryMode {
    /// Parses `standard`, `adaptive` or `legacy` (taken as `standard`), as `AWS_RETRY_MODE`
    /// and the profile's `retry_mode` spell them.
    pub fn parse(value: &str) -> Option<RetryMode> {
        match value.trim().to_ascii_lowercase().as_str() {
            "standard" | "legacy" => Some(RetryMode::Standard),
            "adaptive" => Some(RetryMode::Adaptive),
            _ => None,
        }
    }
}

/// Retry behaviour (by default the "standard" mode of the AWS SDKs).
///
/// Defaults: 3 attempts; exponential backoff with full jitter, base 100 ms, capped at 20 s;
/// `Retry-After` honoured; a client-wide retry budget of 500 tokens (a retry costs 5, a retry
/// after a timeout 10, a success gives back what its retries took, or 1); paginators do not
/// ask again for a page whose operation failed.
///
/// **What is retried**, for every operation, as botocore's standard mode and smithy-rs'
/// classifiers do:
///
/// * throttling errors (the service's throttling codes, the common AWS ones, HTTP 429, and
///   errors the spec marks `@retryable(throttling: true)`);
/// * transient errors: 5xx, `RequestTimeout` codes, errors the spec marks `@retryable`;
/// * transport failures: connection refused or reset, a broken or malformed response
///   (bad status line, truncated head or body), connect and attempt timeouts.
///
/// Transport failures may have reached the service, so a request can be applied twice; the
/// AWS SDKs accept that for every operation, and so do we by default. Neither Smithy nor
/// OpenAPI has a trait that marks an operation unsafe to replay; to keep replays to the
/// operations the spec marks `@idempotent` or `@readonly` (and connection failures, which
/// surely did not reach the service), use
/// [`with_transport_retries_for_idempotent_only`](Self::with_transport_retries_for_idempotent_only).
/// Protocol upgrades (WebSocket) are never retried.
///
/// **Not retried**: every other 4xx, invalid input, construction errors, responses over the
/// size limit, and 2xx responses that do not decode.
///
/// Three presets: [`standard`](Self::standard) (the default, safe for real AWS),
/// [`adaptive`](Self::adaptive) (standard plus client-side rate limiting) and
/// [`patient`](Self::patient) (for long listings against a service that throttles hard).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    mode: RetryMode,
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    budget: Option<u32>,
    page_retries: u32,
    transport_retries_for_all: bool,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::standard()
    }
}

impl RetryConfig {
    /// Default number of attempts (the first one included).
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
    /// Default base of the exponential backoff.
    pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(100);
    /// Default cap of one backoff.
    pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(20);
    /// Default retry budget, in tokens.
    pub const DEFAULT_BUDGET: u32 = 500;
    /// Attempts per operation of the [`patient`](Self::patient) preset.
    pub const PATIENT_MAX_ATTEMPTS: u32 = 10;
    /// Retry budget of the [`patient`](Self::patient) preset, in tokens.
    pub const PATIENT_BUDGET: u32 = 20_000;
    /// Page retries of the [`patient`](Self::patient) preset.
    pub const PATIENT_PAGE_RETRIES: u32 = 5;

    /// The standard settings (see the type's docs).
    pub fn standard() -> Self {
        RetryConfig {
            mode: RetryMode::Standard,
            max_attempts: Self::DEFAULT_MAX_ATTEMPTS,
            initial_backoff: Self::DEFAULT_INITIAL_BACKOFF,
            max_backoff: Self::DEFAULT_MAX_BACKOFF,
            budget: Some(Self::DEFAULT_BUDGET),
            page_retries: 0,
            transport_retries_for_all: true,
        }
    }

    /// The standard settings in [`RetryMode::Adaptive`]: client-side rate limiting after
    /// throttling.
    pub fn adaptive() -> Self {
        RetryConfig::standard().with_mode(RetryMode::Adaptive)
    }

    /// For long listings against a service that throttles or fails often: standard mode
    /// with 10 attempts per operation, a retry budget of 20,000 tokens, backoff capped at
    /// 5 s, and paginators that ask again for a failed page up to 5 times (after a retryable
    /// error, with a backoff) before giving up with the token to resume from. Every wait is
    /// still a jittered exponential backoff, and every call is bounded by its attempts, the
    /// budget and the operation timeout, so it stays polite to real AWS (combine it with
    /// [`RetryMode::Adaptive`] to also pace requests after throttling).
    /// `AWS_RETRY_MODE=patient` selects it.
    pub fn patient() -> Self {
        RetryConfig::standard()
            .with_max_attempts(Self::PATIENT_MAX_ATTEMPTS)
            .with_retry_budget(Self::PATIENT_BUDGET)
            .with_max_backoff(Duration::from_secs(5))
            .with_page_retries(Self::PATIENT_PAGE_RETRIES)
    }

    /// No retries: one attempt per operation.
    pub fn disabled() -> Self {
        RetryConfig::standard().with_max_attempts(1)
    }

    /// The preset of a mode name: `standard` (or `legacy`), `adaptive`, or `patient`.
    pub fn from_mode_name(name: &str) -> Option<RetryConfig> {
        if name.trim().eq_ignore_ascii_case("patient") {
            return Some(RetryConfig::patient());
        }
        RetryMode::parse(name).map(|mode| RetryConfig::standard().with_mode(mode))
    }

    /// Sets the mode.
    pub fn with_mode(mut self, mode: RetryMode) -> Self {
        self.mode = mode;
        self
    }

    /// Sets the maximum number of attempts, the first one included (`1` disables retries;
    /// `0` is taken as `1`).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the base of the exponential backoff: the wait before retry `n` is a random
    /// duration in `0..=min(max_backoff, initial_backoff * 2^(n-1))`.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the cap of one backoff.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Sets the client-wide retry budget, in tokens (default 500). A retry takes 5 tokens (10
    /// after a timeout); when the bucket is empty, failures are returned without retrying.
    pub fn with_retry_budget(mut self, tokens: u32) -> Self {
        self.budget = Some(tokens);
        self
    }

    /// Removes the retry budget: every retryable failure is retried up to the attempt limit.
    pub fn without_retry_budget(mut self) -> Self {
        self.budget = None;
        self
    }

    /// How many times a paginator asks again for a page whose operation failed with a
    /// retryable error (after all its attempts), waiting a backoff first (default 0). The
    /// page is asked for with the same token or offset, so nothing is skipped or repeated.
    pub fn with_page_retries(mut self, retries: u32) -> Self {
        self.page_retries = retries;
        self
    }

    /// Retries transport failures that may have reached the service (reset or broken
    /// connections, malformed responses, attempt timeouts) only for operations the spec marks
    /// `@idempotent` or `@readonly`. Connection failures are still retried for every
    /// operation.
    pub fn with_transport_retries_for_idempotent_only(mut self) -> Self {
        self.transport_retries_for_all = false;
        self
    }

    /// The mode.
    pub fn mode(&self) -> RetryMode {
        self.mode
    }

    /// Maximum attempts, the first one included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Base of the exponential backoff.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// Cap of one backoff.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The retry budget in tokens, if any.
    pub fn retry_budget(&self) -> Option<u32> {
        self.budget
    }

    /// Page retries of paginators.
    pub fn page_retries(&self) -> u32 {
        self.page_retries
    }

    /// Whether transport failures that may have reached the service are retried for every
    /// operation (the default), or only for idempotent ones.
    pub fn transport_retries_for_all(&self) -> bool {
        self.transport_retries_for_all
    }
}

/// Timeouts. `None` disables one.
///
/// Defaults: connect 3.1 s, attempt 30 s, operation (all attempts and the waits between them)
/// 120 s. The connect timeout applies to the HTTP client the runtime builds; a client passed
/// with [`ConfigBuilder::http_client`] keeps its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    attempt: Option<Duration>,
    operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        TimeoutConfig {
            connect: Some(Self::DEFAULT_CONNECT),
            attempt: Some(Self::DEFAULT_ATTEMPT),
            operation: Some(Self::DEFAULT_OPERATION),
        }
    }
}

impl TimeoutConfig {
    /// Default connect timeout.
    pub const DEFAULT_CONNECT: Duration = Duration::from_millis(3100);
    /// Default timeout of one attempt.
    pub const DEFAULT_ATTEMPT: Duration = Duration::from_secs(30);
    /// Default timeout of a whole operation.
    pub const DEFAULT_OPERATION: Duration = Duration::from_secs(120);

    /// No timeouts at all.
    pub fn disabled() -> Self {
        TimeoutConfig {
            connect: None,
            attempt: None,
            operation: None,
        }
    }

    /// Sets (or with `None` disables) the connect timeout.
    pub fn with_connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect = timeout.into();
        self
    }

    /// Sets (or with `None` disables) the timeout of one attempt: sending the request and
    /// receiving the whole response.
    pub fn with_attempt_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.attempt = timeout.into();
        self
    }

    /// Sets (or with `None` disables) the timeout of a whole operation: every attempt and the
    /// waits between them.
    pub fn with_operation_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.operation = timeout.into();
        self
    }

    /// Connect timeout.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect
    }

    /// Timeout of one attempt.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt
    }

    /// Timeout of a whole operation.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation
    }
}

/// Where the current time comes from (for signing and credential expiry).
pub(crate) type TimeSource = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Service-specific settings captured from the environment by [`Config::from_env`].
#[derive(Clone, Default)]
pub(crate) struct EnvSnapshot {
    vars: BTreeMap<String, SecretString>,
}

impl EnvSnapshot {
    fn capture<I: IntoIterator<Item = (String, String)>>(vars: I) -> Self {
        EnvSnapshot {
            vars: vars
                .into_iter()
                .filter(|(k, _)| k.starts_with("CLOUDJOBS_") || k.starts_with("AWS_ENDPOINT_URL"))
                .map(|(k, v)| (k, SecretString::new(v)))
                .collect(),
        }
    }

    /// A non-empty captured variable.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(|v| v.expose_secret().trim())
            .filter(|v| !v.is_empty())
    }
}

impl fmt::Debug for EnvSnapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Names only: values may be tokens.
        f.debug_set().entries(self.vars.keys()).finish()
    }
}

/// The configuration of a client: where to send requests, how to authenticate them, and
/// how to retry and time them out. Cheap to clone.
///
/// ```
/// use std::time::Duration;
/// use cloudjobs_runtime::{Config, RetryConfig, TimeoutConfig};
/// let config = Config::builder()
///     .region("eu-west-1")
///     .retry_config(RetryConfig::standard().with_max_attempts(5))
///     .timeout_config(TimeoutConfig::default().with_operation_timeout(Duration::from_secs(30)))
///     .build();
/// assert_eq!(config.region().unwrap().as_str(), "eu-west-1");
/// ```
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<Region>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) path_prefix: Option<String>,
    pub(crate) path_overrides: BTreeMap<String, String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) credentials: Option<Arc<CredentialsCache>>,
    /// Limit of one credential load (`None`: no limit).
    pub(crate) credentials_timeout: Option<Duration>,
    /// The server's clock minus ours, learnt from skew errors (see `skew.rs`).
    pub(crate) clock_skew: Arc<crate::skew::ClockSkew>,
    pub(crate) bearer_token: Option<SecretString>,
    pub(crate) basic_auth: Option<(SecretString, SecretString)>,
    pub(crate) api_key: Option<SecretString>,
    pub(crate) env: Arc<EnvSnapshot>,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) validation: Validation,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) transport: Option<Arc<dyn crate::transport::HttpTransport>>,
    #[cfg(feature = "test-util")]
    pub(crate) mocks: Option<crate::mock::Mocks>,
    pub(crate) time_source: Option<TimeSource>,
    pub(crate) allow_insecure_http: bool,
    pub(crate) max_response_bytes: u64,
    /// The app name of the `User-Agent`.
    pub(crate) app_name: Option<AppName>,
    /// Hooks, run in order.
    pub(crate) hooks: Vec<crate::hooks::SharedHook>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region.as_ref().map(Region::as_str))
            .field(
                "endpoint_url",
                &self.endpoint_url.as_deref().map(redact_userinfo),
            )
            .field("path_prefix", &self.path_prefix)
            .field("path_overrides", &self.path_overrides)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("credentials", &self.credentials)
            .field("credentials_timeout", &self.credentials_timeout)
            .field("clock_skew", &self.clock_skew)
            .field("bearer_token", &self.bearer_token)
            .field("basic_auth", &self.basic_auth)
            .field("api_key", &self.api_key)
            .field("env", &self.env)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("validation", &self.validation)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("app_name", &self.app_name)
            .field("hooks", &self.hooks)
            .field(
                "http_client",
                &self.http_client.as_ref().map(|_| "custom reqwest::Client"),
            )
            .field("transport", &self.transport)
            .field(
                "time_source",
                &if self.time_source.is_some() {
                    "custom"
                } else {
                    "system"
                },
            )
            .finish()
    }
}

impl Config {
    /// Default response size limit: 8 MiB.
    pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 8 * 1024 * 1024;

    /// An empty builder: no region, no credentials, default retries and timeouts. It never
    /// reads the environment.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder holding this configuration, to change some settings.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            config: self.clone(),
        }
    }

    /// Loads the configuration from the process environment and the shared AWS files (see the
    /// [module docs](self) for the variables). Credentials are looked up when first needed:
    /// environment variables first, then the profile of the shared files.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), cloudjobs_runtime::config::ConfigError> {
    /// let config = cloudjobs_runtime::Config::from_env().await?;
    /// # Ok(()) }
    /// ```
    pub async fn from_env() -> Result<Config, ConfigError> {
        Self::from_env_vars(std::env::vars()).await
    }

    /// Like [`from_env`](Self::from_env), but reads the given variables instead of the
    /// process environment (the shared files are still read from disk, at the paths the
    /// variables give, or under `HOME`). Useful in tests and to embed a client.
    pub async fn from_env_vars<I, K, V>(vars: I) -> Result<Config, ConfigError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let vars: BTreeMap<String, String> = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let get = |name: &str| {
            vars.get(name)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };

        let files = ProfileFiles::from_vars(&vars);
        let profiles = ProfileSet::load(&files)?;
        let profile_name = get("AWS_PROFILE").unwrap_or_else(|| "default".to_owned());
        let profile = profiles.get(&profile_name);
        let from_profile = |key: &str| profile.and_then(|p| p.get(key)).map(str::to_owned);

        let mut builder = Config::builder();
        if let Some(region) = get("AWS_REGION")
            .or_else(|| get("AWS_DEFAULT_REGION"))
            .or_else(|| from_profile("region"))
        {
            builder = builder.region(region);
        }
        let flag = |env: &str, key: &str| -> Result<bool, ConfigError> {
            match get(env) {
                Some(v) => parse_bool(env, &v),
                None => match from_profile(key) {
                    Some(v) => parse_bool(key, &v),
                    None => Ok(false),
                },
            }
        };
        builder = builder
            .use_fips(flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")?)
            .use_dual_stack(flag(
                "AWS_USE_DUALSTACK_ENDPOINT",
                "use_dualstack_endpoint",
            )?);
        let mode = match get("AWS_RETRY_MODE") {
            Some(v) => Some(("AWS_RETRY_MODE", v)),
            None => from_profile("retry_mode").map(|v| ("retry_mode", v)),
        };
        let mut retry = RetryConfig::standard();
        if let Some((name, value)) = mode {
            retry =
                RetryConfig::from_mode_name(&value).ok_or_else(|| ConfigError::InvalidValue {
                    name: name.to_owned(),
                    message: format!("expected standard, adaptive or patient, got {value:?}"),
                })?;
        }
        let attempts = match get("AWS_MAX_ATTEMPTS") {
            Some(v) => Some(("AWS_MAX_ATTEMPTS", v)),
            None => from_profile("max_attempts").map(|v| ("max_attempts", v)),
        };
        if let Some((name, value)) = attempts {
            let n: u32 = value.parse().map_err(|_| ConfigError::InvalidValue {
                name: name.to_owned(),
                message: format!("expected a positive integer, got {value:?}"),
            })?;
            retry = retry.with_max_attempts(n);
        }
        builder = builder.retry_config(retry);
        if let Some(v) = get("CLOUDJOBS_ALLOW_INSECURE_HTTP") {
            builder = builder.allow_insecure_http(parse_bool("CLOUDJOBS_ALLOW_INSECURE_HTTP", &v)?);
        }
        if let Some(v) = get("CLOUDJOBS_MAX_RESPONSE_BYTES") {
            let n: u64 =
                v.parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| ConfigError::InvalidValue {
                        name: "CLOUDJOBS_MAX_RESPONSE_BYTES".to_owned(),
                        message: format!("expected a positive number of bytes, got {v:?}"),
                    })?;
            builder = builder.max_response_bytes(n);
        }

        let app_name = match get("AWS_SDK_UA_APP_ID") {
            Some(v) => Some(("AWS_SDK_UA_APP_ID", v)),
            None => from_profile("sdk_ua_app_id").map(|v| ("sdk_ua_app_id", v)),
        };
        if let Some((name, value)) = app_name {
            builder = builder.app_name(AppName::named(name, value)?);
        }

        let mut env = EnvSnapshot::capture(vars.clone());
        if env.get("AWS_ENDPOINT_URL").is_none()
            && let Some(url) = from_profile("endpoint_url")
        {
            env.vars
                .insert("AWS_ENDPOINT_URL".to_owned(), SecretString::new(url));
        }
        builder.config.env = Arc::new(env);

        let chain = DefaultCredentialsChain::from_parts(&vars, files, profile_name);
        builder = builder.credentials_provider(chain);
        Ok(builder.build())
    }

    /// The region, if one is set.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The endpoint URL override, if one is set.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The path prefix override, if one is set.
    pub fn path_prefix(&self) -> Option<&str> {
        self.path_prefix.as_deref()
    }

    /// The path template override of an operation (by its spec name), if one is set.
    pub fn path_override(&self, operation: &str) -> Option<&str> {
        self.path_overrides.get(operation).map(String::as_str)
    }

    /// Whether FIPS endpoints are used.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack endpoints are used.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// The limit of one credential load (see [`ConfigBuilder::credentials_timeout`]).
    pub fn credentials_timeout(&self) -> Option<Duration> {
        self.credentials_timeout
    }

    /// Whether AWS credentials (or a provider of them) are configured.
    pub fn has_credentials(&self) -> bool {
        self.credentials.is_some()
    }

    /// Whether a bearer token is configured (environment variables not included).
    pub fn has_bearer_token(&self) -> bool {
        self.bearer_token.is_some()
    }

    /// Whether HTTP basic credentials are configured (environment variables not included).
    pub fn has_basic_auth(&self) -> bool {
        self.basic_auth.is_some()
    }

    /// Whether an API key is configured (environment variables not included).
    pub fn has_api_key(&self) -> bool {
        self.api_key.is_some()
    }

    /// Retry settings.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry
    }

    /// Timeout settings.
    pub fn timeout_config(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// How much of the input constraints is checked before sending.
    pub fn validation(&self) -> Validation {
        self.validation
    }

    /// Whether credentials may be sent over plain `http://` to a host that is not loopback.
    pub fn allow_insecure_http(&self) -> bool {
        self.allow_insecure_http
    }

    /// The largest response body read, in bytes.
    pub fn max_response_bytes(&self) -> u64 {
        self.max_response_bytes
    }

    /// The app name of the `User-Agent`, if one is set.
    pub fn app_name(&self) -> Option<&AppName> {
        self.app_name.as_ref()
    }

    /// The registered hooks, in the order they run.
    pub fn hooks(&self) -> &[crate::hooks::SharedHook] {
        &self.hooks
    }

    /// The user's HTTP client, if one was given.
    pub fn http_client(&self) -> Option<&reqwest::Client> {
        self.http_client.as_ref()
    }

    /// The transport set with [`ConfigBuilder::transport`], if any.
    pub fn transport(&self) -> Option<&Arc<dyn crate::transport::HttpTransport>> {
        self.transport.as_ref()
    }

    /// The typed mocks set with [`ConfigBuilder::mocks`], if any.
    #[cfg(feature = "test-util")]
    pub fn mocks(&self) -> Option<&crate::mock::Mocks> {
        self.mocks.as_ref()
    }

    /// The current time according to the configured time source.
    pub fn now(&self) -> SystemTime {
        match &self.time_source {
            Some(f) => f(),
            None => SystemTime::now(),
        }
    }
}

/// Hides the user information of a URL (`https://user:pass@host` -> `https://***@host`).
fn redact_userinfo(url: &str) -> std::borrow::Cow<'_, str> {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let authority_end = url[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after_scheme + i);
    match url[after_scheme..authority_end].rfind('@') {
        Some(at) => std::borrow::Cow::Owned(format!(
            "{}***{}",
            &url[..after_scheme],
            &url[after_scheme + at..]
        )),
        None => std::borrow::Cow::Borrowed(url),
    }
}

fn parse_bool(name: &str, value: &str) -> Result<bool, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(ConfigError::InvalidValue {
            name: name.to_owned(),
            message: format!("expected true or false, got {value:?}"),
        }),
    }
}

/// Builds a [`Config`].
#[derive(Debug, Default, Clone)]
pub struct ConfigBuilder {
    config: Config,
}

impl Default for Config {
    fn default() -> Self {
        Config::empty()
    }
}

impl Config {
    fn empty() -> Config {
        Config {
            region: None,
            endpoint_url: None,
            path_prefix: None,
            path_overrides: BTreeMap::new(),
            use_fips: false,
            use_dual_stack: false,
            credentials: None,
            credentials_timeout: Some(crate::credentials::DEFAULT_CREDENTIALS_TIMEOUT),
            clock_skew: Arc::default(),
            bearer_token: None,
            basic_auth: None,
            api_key: None,
            env: Arc::new(EnvSnapshot::default()),
            retry: RetryConfig::standard(),
            timeouts: TimeoutConfig::default(),
            validation: Validation::Full,
            http_client: None,
            transport: None,
            #[cfg(feature = "test-util")]
            mocks: None,
            time_source: None,
            allow_insecure_http: false,
            max_response_bytes: Config::DEFAULT_MAX_RESPONSE_BYTES,
            app_name: None,
            hooks: Vec::new(),
        }
    }
}

impl ConfigBuilder {
    /// Sets the AWS region (SigV4 services).
    pub fn region(mut self, region: impl Into<Region>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// Sets the endpoint URL (scheme, host, optional port and base path), which overrides every
    /// other endpoint rule. Required for services without a default endpoint (SpaceONE, Cloud
    /// Rewind).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self
    }

    /// Replaces the service's path prefix, e.g. `/identity` for SpaceONE deployments that serve
    /// `/identity/job/<verb>` instead of the documented `/identity/v2/job/<verb>`. An empty
    /// string removes the prefix.
    pub fn path_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.config.path_prefix = Some(prefix.into());
        self
    }

    /// Replaces the path template of one operation (by its spec name, e.g. `list` or
    /// `GetAwsProtectionStatus`). `{label}` placeholders are filled as in the spec's template;
    /// the template is still put after the path prefix.
    pub fn path_override(
        mut self,
        operation: impl Into<String>,
        template: impl Into<String>,
    ) -> Self {
        self.config
            .path_overrides
            .insert(operation.into(), template.into());
        self
    }

    /// Uses FIPS endpoints (`{prefix}-fips.{region}...`) for regional AWS services.
    pub fn use_fips(mut self, enabled: bool) -> Self {
        self.config.use_fips = enabled;
        self
    }

    /// Uses dual-stack (IPv4 and IPv6) endpoints for regional AWS services.
    pub fn use_dual_stack(mut self, enabled: bool) -> Self {
        self.config.use_dual_stack = enabled;
        self
    }

    /// Uses these AWS credentials for SigV4.
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.credentials_provider(credentials)
    }

    /// Gets AWS credentials from a provider (for example one from `aws-config`). Credentials
    /// are cached, and fetched again shortly (5 minutes) before they expire.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.credentials = Some(Arc::new(CredentialsCache::new(provider)));
        self
    }

    /// Limits how long one credential load may take (default 5 s; `None`: no limit), for the
    /// built-in chain and for a provider given with
    /// [`credentials_provider`](Self::credentials_provider) alike. A load that takes longer
    /// fails the call with an error naming the provider and the limit.
    pub fn credentials_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.config.credentials_timeout = timeout.into();
        self
    }

    /// Replaces the credentials provider, naming it `name` in errors and `Debug` output.
    #[cfg(feature = "aws-config")]
    pub(crate) fn named_credentials_provider(
        mut self,
        provider: impl ProvideCredentials + 'static,
        name: &'static str,
    ) -> Self {
        self.config.credentials = Some(Arc::new(CredentialsCache::named(provider, name)));
        self
    }

    /// Sets the bearer token (SpaceONE, Cloud Rewind). It takes precedence over the
    /// `<PREFIX>_TOKEN` environment variable.
    pub fn bearer_token(mut self, token: impl Into<SecretString>) -> Self {
        self.config.bearer_token = Some(token.into());
        self
    }

    /// Sets the user name and password of HTTP basic authentication (services whose spec
    /// has a basic scheme). They take precedence over `<PREFIX>_USERNAME` and
    /// `<PREFIX>_PASSWORD`.
    pub fn basic_auth(
        mut self,
        username: impl Into<SecretString>,
        password: impl Into<SecretString>,
    ) -> Self {
        self.config.basic_auth = Some((username.into(), password.into()));
        self
    }

    /// Sets the API key (services whose spec has an `apiKey` scheme; it goes in the header
    /// or query parameter the spec names). It takes precedence over `<PREFIX>_API_KEY`.
    pub fn api_key(mut self, key: impl Into<SecretString>) -> Self {
        self.config.api_key = Some(key.into());
        self
    }

    /// Sets the retry settings.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.config.retry = retry;
        self
    }

    /// Shortcut for the maximum number of attempts (`1` disables retries).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.config.retry = self.config.retry.with_max_attempts(attempts);
        self
    }

    /// Sets the timeouts.
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.config.timeouts = timeouts;
        self
    }

    /// Sets how much of the spec's input constraints is checked before sending.
    pub fn validation(mut self, validation: Validation) -> Self {
        self.config.validation = validation;
        self
    }

    /// Uses this HTTP client (proxies, custom root certificates, ...). Its own timeouts and
    /// settings apply; the runtime's connect timeout does not. The client the runtime builds
    /// does not follow redirects (as the AWS SDKs do not): a 3xx answer is the operation's
    /// output when the spec models it, else an error. A client given here keeps its own
    /// redirect policy; build it with `redirect(reqwest::redirect::Policy::none())` to keep
    /// the operations' 3xx outputs.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.config.http_client = Some(client);
        self
    }

    /// Sends requests through this transport instead of reqwest (see
    /// [`transport`](crate::transport)): a recording or replaying transport in tests, or
    /// another HTTP stack. The runtime still signs, times out and retries. Operations that
    /// switch protocols (WebSocket) keep using reqwest.
    pub fn transport(mut self, transport: impl crate::transport::HttpTransport) -> Self {
        self.config.transport = Some(Arc::new(transport));
        self
    }

    /// Answers operations from these typed mocks instead of sending anything (see
    /// [`mock`](crate::mock)): after input validation, the first rule of the operation that
    /// matches the input answers; no matching rule is an error naming the operation.
    #[cfg(feature = "test-util")]
    pub fn mocks(mut self, mocks: crate::mock::Mocks) -> Self {
        self.config.mocks = Some(mocks);
        self
    }

    /// Replaces the clock used for signing and for credential expiry. Meant for tests (frozen
    /// time, golden signatures); retries and timeouts use tokio's clock.
    pub fn time_source(mut self, now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.config.time_source = Some(Arc::new(now));
        self
    }

    /// Sets an environment value as if [`Config::from_env`] had captured it, e.g.
    /// `("CLOUDJOBS_SPACEONE_TOKEN", "...")` or `("AWS_ENDPOINT_URL_SSM", "http://...")`.
    pub fn env_var(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        Arc::make_mut(&mut self.config.env)
            .vars
            .insert(name.into(), SecretString::new(value));
        self
    }

    /// Lets AWS credentials, bearer tokens, basic credentials and API keys go over plain
    /// `http://` to a host that is not loopback (default `false`: such a request is refused
    /// before anything is sent). Loopback hosts (`localhost`, `127.0.0.0/8`, `::1`) are always
    /// allowed, for local emulators. `CLOUDJOBS_ALLOW_INSECURE_HTTP=true` does the same for
    /// [`Config::from_env`].
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.config.allow_insecure_http = allow;
        self
    }

    /// Sets the response size limit in bytes (default
    /// [`Config::DEFAULT_MAX_RESPONSE_BYTES`], 8 MiB; `0` is taken as 1). A response whose
    /// `Content-Length` is larger is refused before its body is read; one without a length
    /// is refused as soon as the bytes read pass the limit. Either way the error is a
    /// [`ResponseError`](crate::ResponseError) with
    /// [`is_too_large`](crate::ResponseError::is_too_large), and it is not retried.
    /// `CLOUDJOBS_MAX_RESPONSE_BYTES` does the same for [`Config::from_env`].
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.config.max_response_bytes = bytes.max(1);
        self
    }

    /// Sets the app name sent in the `User-Agent` as `app/<name>`. [`AppName::new`] checks
    /// it; [`Config::from_env`] reads `AWS_SDK_UA_APP_ID` or the profile's `sdk_ua_app_id`.
    pub fn app_name(mut self, name: AppName) -> Self {
        self.config.app_name = Some(name);
        self
    }

    /// Registers a [`Hook`](crate::Hook): it sees every request of the client before it is
    /// signed and every response once received. Several hooks run in the order they were
    /// registered.
    pub fn hook(mut self, hook: impl crate::Hook + 'static) -> Self {
        self.config.hooks.push(Arc::new(hook));
        self
    }

    /// Builds the configuration.
    pub fn build(self) -> Config {
        self.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_user_info_is_hidden() {
        assert_eq!(
            redact_userinfo("https://u:p@host:1/x@y"),
            "https://***@host:1/x@y"
        );
        assert_eq!(redact_userinfo("http://host/a@b"), "http://host/a@b");
        let config = Config::builder()
            .endpoint_url("https://user:hunter2@example.test")
            .build();
        assert!(!format!("{config:?}").contains("hunter2"));
    }

    #[tokio::test]
    async fn retry_mode_and_attempts_come_from_the_environment() {
        let c = from_vars(&[]).await.unwrap();
        assert_eq!(c.retry_config(), &RetryConfig::standard());
        let c = from_vars(&[("AWS_RETRY_MODE", "adaptive"), ("AWS_MAX_ATTEMPTS", "7")])
            .await
            .unwrap();
        assert_eq!(c.retry_config().mode(), RetryMode::Adaptive);
        assert_eq!(c.retry_config().max_attempts(), 7);
        assert_eq!(c.retry_config().page_retries(), 0);
        let c = from_vars(&[("AWS_RETRY_MODE", "Patient")]).await.unwrap();
        assert_eq!(c.retry_config(), &RetryConfig::patient());
        let err = from_vars(&[("AWS_RETRY_MODE", "eager")]).await.unwrap_err();
        assert!(err.to_string().contains("AWS_RETRY_MODE"), "{err}");
        assert!(err.to_string().contains("patient"), "{err}");
    }

    #[tokio::test]
    async fn app_name_comes_from_the_environment() {
        assert_eq!(from_vars(&[]).await.unwrap().app_name(), None);
        let c = from_vars(&[("AWS_SDK_UA_APP_ID", "nightly-report")])
            .await
            .unwrap();
        assert_eq!(c.app_name().unwrap().as_str(), "nightly-report");
        let err = from_vars(&[("AWS_SDK_UA_APP_ID", "nightly report")])
            .await
            .unwrap_err();
        assert!(err.to_string().contains("AWS_SDK_UA_APP_ID"), "{err}");
    }

    #[tokio::test]
    async fn insecure_http_and_size_limit_come_from_the_environment() {
        let c = from_vars(&[]).await.unwrap();
        assert!(!c.allow_insecure_http());
        assert_eq!(c.max_response_bytes(), Config::DEFAULT_MAX_RESPONSE_BYTES);
        let c = from_vars(&[
            ("CLOUDJOBS_ALLOW_INSECURE_HTTP", "true"),
            ("CLOUDJOBS_MAX_RESPONSE_BYTES", "1024"),
        ])
        .await
        .unwrap();
        assert!(c.allow_insecure_http());
        assert_eq!(c.max_response_bytes(), 1024);
        let err = from_vars(&[("CLOUDJOBS_MAX_RESPONSE_BYTES", "lots")])
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("CLOUDJOBS_MAX_RESPONSE_BYTES"),
            "{err}"
        );
    }
}
