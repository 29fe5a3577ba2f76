//! Every AWS credential source through [`aws-config`](https://docs.rs/aws-config), behind the
//! `aws-config` feature: IAM Identity Center (SSO, with `sso_session` or the legacy
//! `sso_start_url`), AssumeRole (`role_arn` with `source_profile` or `credential_source`), web
//! identity, `credential_process`, ECS container credentials and EC2 instance metadata, read
//! from the same profiles and variables as the AWS CLI.
//!
//! Three ways in:
//!
//! * [`load`] / [`load_from_vars`]: what [`Config::from_env`] does (region, endpoints, retries
//!   from the environment and the shared files), with aws-config's providers behind the
//!   built-in chain. Environment keys and static profile keys are still read by the built-in
//!   chain; whatever it cannot load (an SSO or role profile, a container, an instance) goes to
//!   aws-config.
//! * [`Config::from_aws_config`] / [`ConfigBuilder::aws_config`]: take credentials, region and
//!   endpoint settings from an [`SdkConfig`] you loaded yourself (for instance the one your
//!   program already shares with `aws-sdk-*` clients).
//! * [`load_sdk_config`]: aws-config's loader as this crate sets it up (HTTPS client on rustls
//!   and ring, see [`https_client`]).
//!
//! Every load is bounded by [`ConfigBuilder::credentials_timeout`] (5 s by default).
//!
//! ```no_run
//! # async fn run() -> Result<(), cloudjobs_runtime::config::ConfigError> {
//! // `[profile dev]` with `sso_session = my-sso` (after `aws sso login`), or with
//! // `role_arn` + `source_profile`, or with `credential_process = ...`:
//! let config = cloudjobs_runtime::aws_config::load(Some("dev")).await?;
//! // `None`: AWS_PROFILE, else the default chain (environment, `default` profile, web
//! // identity, ECS, IMDS).
//! let config = cloudjobs_runtime::aws_config::load(None).await?;
//! # let _ = config;
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::fmt;

use ::aws_config::BehaviorVersion;
use ::aws_config::profile::ProfileFileCredentialsProvider;
use ::aws_config::provider_config::ProviderConfig;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{self, ProvideCredentials, SharedCredentialsProvider};
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
pub use aws_smithy_runtime_api::client::http::SharedHttpClient;
pub use aws_types::{SdkConfig, region::Region};

use crate::config::{Config, ConfigBuilder, ConfigError};
use crate::credentials::DefaultCredentialsChain;

/// The HTTPS client aws-config uses for its own calls (STS, SSO portal, ECS, IMDS): hyper on
/// rustls with the ring provider, the TLS stack of the rest of the runtime. aws-config's
/// default client would bring aws-lc, whose C build costs more than all of aws-config.
pub fn https_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// Loads aws-config's view of the environment with this crate's HTTPS client.
///
/// With `profile`, credentials come from that profile only (environment keys are ignored, as
/// with the AWS CLI's `--profile`), and so do the region and the other profile settings.
/// Without it, aws-config's default chain applies: environment, the `AWS_PROFILE` (else
/// `default`) profile, web identity, ECS, IMDS. aws-config reads the process environment.
pub async fn load_sdk_config(profile: Option<&str>) -> SdkConfig {
    load_sdk(profile, None).await
}

/// [`load_sdk_config`], with the region already known (then aws-config does not look for one,
/// which could mean asking the instance metadata service).
async fn load_sdk(profile: Option<&str>, region: Option<Region>) -> SdkConfig {
    let http = https_client();
    let mut loader = ::aws_config::defaults(BehaviorVersion::latest()).http_client(http.clone());
    if let Some(region) = region {
        loader = loader.region(region);
    }
    let Some(name) = profile else {
        return loader.load().await;
    };
    loader = loader.profile_name(name);
    let sdk = loader.load().await;
    // The profile's own chain (role, SSO, process, static keys) signs its STS calls in the
    // profile's region; without one, STS's global endpoint region, as the AWS CLI does.
    let sts_region = sdk
        .region()
        .cloned()
        .unwrap_or_else(|| aws_types::region::Region::from_static("us-east-1"));
    let provider_config = ProviderConfig::default()
        .with_http_client(http)
        .with_region(Some(sts_region));
    let credentials = ProfileFileCredentialsProvider::builder()
        .configure(&provider_config)
        .profile_name(name)
        .build();
    sdk.into_builder()
        .credentials_provider(SharedCredentialsProvider::new(credentials))
        .build()
}

/// [`Config::from_env`] with every credential source of aws-config; `profile` overrides
/// `AWS_PROFILE` (and then environment keys are not used, as with the AWS CLI's `--profile`).
pub async fn load(profile: Option<&str>) -> Result<Config, ConfigError> {
    load_from_vars(std::env::vars(), profile).await
}

/// Like [`load`], with the runtime's own settings (region, endpoints, retries, built-in chain)
/// read from `vars` instead of the process environment. aws-config's providers still read
/// the process environment and the shared files it names.
pub async fn load_from_vars<I, K, V>(vars: I, profile: Option<&str>) -> Result<Config, ConfigError>
where
    I: IntoIterator<Item = (K, V)>,
    K: Into<String>,
    V: Into<String>,
{
    let mut vars: BTreeMap<String, String> = vars
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    if let Some(name) = profile {
        for key in [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_SECURITY_TOKEN",
        ] {
            vars.remove(key);
        }
        vars.insert("AWS_PROFILE".to_owned(), name.to_owned());
    }
    let config = Config::from_env_vars(vars.clone()).await?;
    let chosen = vars
        .get("AWS_PROFILE")
        .map(|p| p.trim())
        .filter(|p| !p.is_empty());
    let known_region = config.region().map(|r| Region::new(r.as_str().to_owned()));
    // aws-config's loading may look for a region in IMDS: bounded like a credential load.
    let loading = load_sdk(chosen, known_region);
    let sdk = match config.credentials_timeout() {
        None => loading.await,
        Some(limit) => match tokio::time::timeout(limit, loading).await {
            Ok(sdk) => sdk,
            Err(_) => {
                tracing::warn!(
                    ?limit,
                    "aws-config did not load within the credentials timeout; using the \
                     built-in chain only"
                );
                return Ok(config);
            }
        },
    };
    let builtin = DefaultCredentialsChain::from_vars(&vars);
    let mut builder = config.to_builder();
    if let Some(aws) = sdk.credentials_provider() {
        builder = builder.named_credentials_provider(
            BuiltinThenAwsConfig { builtin, aws },
            "built-in chain, then aws-config",
        );
    }
    if config.region().is_none()
        && let Some(region) = sdk.region()
    {
        builder = builder.region(region.as_ref());
    }
    Ok(builder.build())
}

impl Config {
    /// A configuration with the credentials provider, region, endpoint URL and FIPS /
    /// dual-stack settings of an aws-config [`SdkConfig`]; everything else is the default.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let sdk = cloudjobs_runtime::aws_config::load_sdk_config(Some("dev")).await;
    /// let config = cloudjobs_runtime::Config::from_aws_config(&sdk);
    /// # let _ = config;
    /// # }
    /// ```
    pub fn from_aws_config(sdk: &SdkConfig) -> Config {
        Config::builder().aws_config(sdk).build()
    }
}

impl ConfigBuilder {
    /// Takes the credentials provider, region, endpoint URL and FIPS / dual-stack settings
    /// an aws-config [`SdkConfig`] has (settings it lacks are left as they are).
    pub fn aws_config(mut self, sdk: &SdkConfig) -> Self {
        if let Some(provider) = sdk.credentials_provider() {
            self = self.named_credentials_provider(provider, "aws-config");
        }
        if let Some(region) = sdk.region() {
            self = self.region(region.as_ref());
        }
        if let Some(url) = sdk.endpoint_url() {
            self = self.endpoint_url(url);
        }
        if let Some(fips) = sdk.use_fips() {
            self = self.use_fips(fips);
        }
        if let Some(dual) = sdk.use_dual_stack() {
            self = self.use_dual_stack(dual);
        }
        self
    }
}

/// Environment and static profile keys through the built-in chain; anything else through
/// aws-config.
struct BuiltinThenAwsConfig {
    builtin: DefaultCredentialsChain,
    aws: SharedCredentialsProvider,
}

impl fmt::Debug for BuiltinThenAwsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BuiltinThenAwsConfig")
            .finish_non_exhaustive()
    }
}

impl BuiltinThenAwsConfig {
    async fn load(&self) -> Result<aws_credential_types::Credentials, CredentialsError> {
        match self.builtin.load() {
            Ok(creds) => Ok(creds),
            Err(builtin) => {
                tracing::debug!(
                    reason = %crate::error::describe(&builtin),
                    "built-in credential chain has nothing, asking aws-config"
                );
                match self.aws.provide_credentials().await {
                    // Nothing anywhere: say what each chain looked at.
                    Err(aws @ CredentialsError::CredentialsNotLoaded(_)) => {
                        Err(CredentialsError::not_loaded(format!(
                            "{}; aws-config: {}",
                            reason(&builtin),
                            reason(&aws)
                        )))
                    }
                    other => other,
                }
            }
        }
    }
}

/// What a credentials error says beyond its kind ("the credential provider was not enabled").
fn reason(err: &CredentialsError) -> String {
    match std::error::Error::source(err) {
        Some(source) => crate::error::describe(source),
        None => err.to_string(),
    }
}

impl ProvideCredentials for BuiltinThenAwsConfig {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        provider::future::ProvideCredentials::new(self.load())
    }
}
