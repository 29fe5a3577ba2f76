//! AWS credential providers of the default chain: environment variables and the shared
//! config and credentials files.
//!
//! These cover static keys (with an optional session token). Profiles that assume a role, use
//! SSO, a web identity or a `credential_process` need `aws-config`: turn on the `aws-config`
//! feature and load the config with `cloudjobs_runtime::aws_config::load`, or build an
//! aws-config provider yourself and pass it with
//! [`ConfigBuilder::credentials_provider`](crate::ConfigBuilder::credentials_provider).
//!
//! File format: INI-like sections. In the config file a profile is `[profile NAME]` (or
//! `[default]`); in the credentials file it is `[NAME]`. Keys: `aws_access_key_id`,
//! `aws_secret_access_key`, `aws_session_token`, `region`, ... Lines starting with `#` or `;`
//! are comments. For the same profile, the credentials file wins over the config file.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{self, ProvideCredentials};

use crate::config_error::ConfigError;
use crate::secret::SecretString;

const ACCESS_KEY: &str = "AWS_ACCESS_KEY_ID";
const SECRET_KEY: &str = "AWS_SECRET_ACCESS_KEY";
const SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";
const SECURITY_TOKEN: &str = "AWS_SECURITY_TOKEN";

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and the optional
/// `AWS_SESSION_TOKEN`.
#[derive(Clone)]
pub struct EnvironmentCredentialsProvider {
    /// `None`: read the process environment at each call.
    snapshot: Option<BTreeMap<&'static str, SecretString>>,
}

impl Default for EnvironmentCredentialsProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl EnvironmentCredentialsProvider {
    /// Reads the process environment each time credentials are asked for.
    pub fn new() -> Self {
        EnvironmentCredentialsProvider { snapshot: None }
    }

    /// Reads the given variables instead of the process environment.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: Into<String>,
    {
        let mut snapshot = BTreeMap::new();
        for (k, v) in vars {
            for name in [ACCESS_KEY, SECRET_KEY, SESSION_TOKEN, SECURITY_TOKEN] {
                if k.as_ref() == name {
                    snapshot.insert(name, SecretString::new(v));
                    break;
                }
            }
        }
        EnvironmentCredentialsProvider {
            snapshot: Some(snapshot),
        }
    }

    fn var(&self, name: &str) -> Option<String> {
        let value = match &self.snapshot {
            Some(map) => map.get(name).map(|v| v.expose_secret().to_owned()),
            None => std::env::var(name).ok(),
        };
        value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    /// Loads the credentials now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let access = self.var(ACCESS_KEY);
        let secret = self.var(SECRET_KEY);
        match (access, secret) {
            (Some(access), Some(secret)) => {
                let token = self.var(SESSION_TOKEN).or_else(|| self.var(SECURITY_TOKEN));
                Ok(Credentials::new(access, secret, token, None, "Environment"))
            }
            (None, None) => Err(CredentialsError::not_loaded(
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
            )),
            (Some(_), None) => Err(CredentialsError::invalid_configuration(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            )),
            (None, Some(_)) => Err(CredentialsError::invalid_configuration(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
            )),
        }
    }
}

impl fmt::Debug for EnvironmentCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvironmentCredentialsProvider")
            .field(
                "source",
                &if self.snapshot.is_some() {
                    "captured variables"
                } else {
                    "process environment"
                },
            )
            .finish()
    }
}

impl ProvideCredentials for EnvironmentCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        provider::future::ProvideCredentials::ready(self.load())
    }
}

/// The locations of the shared config and credentials files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileFiles {
    /// The credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`).
    pub credentials: Option<PathBuf>,
    /// The config file (`AWS_CONFIG_FILE`, default `~/.aws/config`).
    pub config: Option<PathBuf>,
}

impl ProfileFiles {
    /// The files named by `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE` in `vars`, else
    /// the defaults under `HOME` (or `USERPROFILE`). A leading `~/` is expanded.
    pub fn from_vars(vars: &BTreeMap<String, String>) -> ProfileFiles {
        let get = |name: &str| vars.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
        let home = get("HOME")
            .or_else(|| get("USERPROFILE"))
            .map(PathBuf::from);
        let path = |var: &str, default: &str| -> Option<PathBuf> {
            match get(var) {
                Some(p) => Some(match (p.strip_prefix("~/"), &home) {
                    (Some(rest), Some(home)) => home.join(rest),
                    _ => PathBuf::from(p),
                }),
                None => home.as_ref().map(|h| h.join(".aws").join(default)),
            }
        };
        ProfileFiles {
            credentials: path("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
            config: path("AWS_CONFIG_FILE", "config"),
        }
    }

    /// The files the process environment names (see [`from_vars`](Self::from_vars)).
    pub fn from_process_env() -> ProfileFiles {
        ProfileFiles::from_vars(&std::env::vars().collect())
    }
}

/// One profile: its keys (lower case) and values.
#[derive(Clone, Default)]
pub(crate) struct Profile {
    values: BTreeMap<String, String>,
}

impl Profile {
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.values
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// The profiles of both shared files, merged.
#[derive(Clone, Default)]
pub(crate) struct ProfileSet {
    profiles: BTreeMap<String, Profile>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Config,
    Credentials,
}

impl ProfileSet {
    /// Reads and merges both files; a missing file is no error.
    pub(crate) fn load(files: &ProfileFiles) -> Result<ProfileSet, ConfigError> {
        let mut set = ProfileSet::default();
        if let Some(path) = &files.config {
            set.merge_file(path, FileKind::Config)?;
        }
        if let Some(path) = &files.credentials {
            set.merge_file(path, FileKind::Credentials)?;
        }
        Ok(set)
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    fn merge_file(&mut self, path: &Path, kind: FileKind) -> Result<(), ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(source) => {
                return Err(ConfigError::Io {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        self.merge_text(&text, kind)
            .map_err(|(line, message)| ConfigError::Parse {
                path: path.to_owned(),
                line,
                message,
            })
    }

    fn merge_text(&mut self, text: &str, kind: FileKind) -> Result<(), (usize, String)> {
        // `None`: inside a section we ignore (sso-session, services, a config-file section
        // without the `profile ` prefix).
        let mut current: Option<String> = None;
        let mut in_section = false;
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
                continue;
            }
            if raw.starts_with([' ', '\t']) && in_section {
                // Continuation line of a nested property (e.g. `s3 =` sub-settings).
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix('[') {
                let Some(end) = rest.find(']') else {
                    return Err((line_no, "section header without `]`".to_owned()));
                };
                let name = rest[..end].trim();
                in_section = true;
                current = match kind {
                    FileKind::Credentials => Some(name.to_owned()),
                    FileKind::Config => {
                        if name == "default" {
                            Some("default".to_owned())
                        } else {
                            name.strip_prefix("profile")
                                .filter(|r| r.starts_with([' ', '\t']))
                                .map(|r| r.trim().to_owned())
                        }
                    }
                };
                if let Some(name) = &current {
                    if name.is_empty() {
                        return Err((line_no, "empty profile name".to_owned()));
                    }
                    self.profiles.entry(name.clone()).or_default();
                }
                continue;
            }
            let Some((key, value)) = trimmed.split_once('=') else {
                return Err((line_no, "expected `key = value` or `[section]`".to_owned()));
            };
            if !in_section {
                return Err((line_no, "property outside of any profile".to_owned()));
            }
            let key = key.trim().to_ascii_lowercase();
            if key.is_empty() {
                return Err((line_no, "empty property name".to_owned()));
            }
            if let Some(name) = &current {
                let profile = self.profiles.entry(name.clone()).or_default();
                profile.values.insert(key, value.trim().to_owned());
            }
        }
        Ok(())
    }
}

/// Credentials (static keys, optional session token) from a profile of the shared files.
#[derive(Debug, Clone)]
pub struct ProfileCredentialsProvider {
    files: ProfileFiles,
    profile: String,
}

impl ProfileCredentialsProvider {
    /// The profile named `profile` of the given files.
    pub fn new(files: ProfileFiles, profile: impl Into<String>) -> Self {
        ProfileCredentialsProvider {
            files,
            profile: profile.into(),
        }
    }

    /// The profile named by `AWS_PROFILE` (else `default`) of the files the process
    /// environment names.
    pub fn from_process_env() -> Self {
        let profile = std::env::var("AWS_PROFILE")
            .ok()
            .filter(|p| !p.trim().is_empty())
            .unwrap_or_else(|| "default".to_owned());
        ProfileCredentialsProvider::new(ProfileFiles::from_process_env(), profile)
    }

    /// The profile name.
    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// Reads the files and loads the credentials now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let set = ProfileSet::load(&self.files).map_err(CredentialsError::invalid_configuration)?;
        let describe_files = || {
            let names: Vec<String> = [&self.files.config, &self.files.credentials]
                .into_iter()
                .flatten()
                .map(|p| p.display().to_string())
                .collect();
            if names.is_empty() {
                "no shared files (HOME not set)".to_owned()
            } else {
                names.join(" and ")
            }
        };
        let Some(profile) = set.get(&self.profile) else {
            return Err(CredentialsError::not_loaded(format!(
                "profile `{}` not found in {}",
                self.profile,
                describe_files()
            )));
        };
        match (
            profile.get("aws_access_key_id"),
            profile.get("aws_secret_access_key"),
        ) {
            (Some(access), Some(secret)) => {
                let token = profile
                    .get("aws_session_token")
                    .or_else(|| profile.get("aws_security_token"))
                    .map(str::to_owned);
                Ok(Credentials::new(access, secret, token, None, "ProfileFile"))
            }
            (Some(_), None) | (None, Some(_)) => {
                Err(CredentialsError::invalid_configuration(format!(
                    "profile `{}` has only one of aws_access_key_id and aws_secret_access_key",
                    self.profile
                )))
            }
            (None, None) => {
                let unsupported = [
                    "role_arn",
                    "credential_process",
                    "sso_session",
                    "sso_start_url",
                    "web_identity_token_file",
                ]
                .into_iter()
                .find(|k| profile.get(k).is_some());
                match unsupported {
                    Some(key) => Err(CredentialsError::invalid_configuration(format!(
                        "profile `{}` uses `{key}`, which the built-in chain does not support; \
                         enable the `aws-config` feature (of cloudjobs or cloudjobs-runtime) and \
                         load the config with cloudjobs_runtime::aws_config::load, or pass an \
                         aws-config provider with ConfigBuilder::credentials_provider",
                        self.profile
                    ))),
                    None => Err(CredentialsError::not_loaded(format!(
                        "profile `{}` has no aws_access_key_id / aws_secret_access_key",
                        self.profile
                    ))),
                }
            }
        }
    }
}

impl ProvideCredentials for ProfileCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        provider::future::ProvideCredentials::ready(self.load())
    }
}

/// The default chain: environment variables, then the profile of the shared files.
#[derive(Debug, Clone)]
pub struct DefaultCredentialsChain {
    env: EnvironmentCredentialsProvider,
    profile: ProfileCredentialsProvider,
}

impl DefaultCredentialsChain {
    /// The chain over the process environment and the files and profile it names.
    pub fn from_process_env() -> Self {
        DefaultCredentialsChain {
            env: EnvironmentCredentialsProvider::new(),
            profile: ProfileCredentialsProvider::from_process_env(),
        }
    }

    /// The chain over the given variables (as [`Config::from_env_vars`](crate::Config::from_env_vars)).
    pub fn from_vars(vars: &BTreeMap<String, String>) -> Self {
        let profile = vars
            .get("AWS_PROFILE")
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "default".to_owned());
        Self::from_parts(vars, ProfileFiles::from_vars(vars), profile)
    }

    pub(crate) fn from_parts(
        vars: &BTreeMap<String, String>,
        files: ProfileFiles,
        profile: String,
    ) -> Self {
        DefaultCredentialsChain {
            env: EnvironmentCredentialsProvider::from_vars(
                vars.iter().map(|(k, v)| (k, v.clone())),
            ),
            profile: ProfileCredentialsProvider::new(files, profile),
        }
    }

    /// Loads the credentials now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let env_err = match self.env.load() {
            Ok(c) => return Ok(c),
            Err(e @ CredentialsError::CredentialsNotLoaded(_)) => e,
            Err(other) => return Err(other),
        };
        match self.profile.load() {
            Ok(c) => Ok(c),
            Err(profile_err @ CredentialsError::CredentialsNotLoaded(_)) => {
                let why = |e: &dyn std::error::Error| {
                    std::error::Error::source(e)
                        .map(ToString::to_string)
                        .unwrap_or_else(|| e.to_string())
                };
                Err(CredentialsError::not_loaded(format!(
                    "no AWS credentials found: environment: {}; shared files: {}",
                    why(&env_err),
                    why(&profile_err)
                )))
            }
            Err(other) => Err(other),
        }
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        provider::future::ProvideCredentials::ready(self.load())
    }
}

/// Credentials are fetched again when they expire within this margin.
pub(crate) const EXPIRY_MARGIN: Duration = Duration::from_secs(300);

/// How long one credential load may take by default before it fails (see
/// [`ConfigBuilder::credentials_timeout`](crate::ConfigBuilder::credentials_timeout)).
pub const DEFAULT_CREDENTIALS_TIMEOUT: Duration = Duration::from_secs(5);

/// A credential load that did not finish in time. Its message names the provider and the
/// timeout.
#[derive(Debug)]
pub(crate) struct CredentialsTimeout {
    provider: &'static str,
    timeout: Duration,
}

impl fmt::Display for CredentialsTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "credentials provider `{}` did not answer within {:?} (change the limit with \
             ConfigBuilder::credentials_timeout)",
            self.provider, self.timeout
        )
    }
}

impl std::error::Error for CredentialsTimeout {}

/// The last path segment of a type name, without generic arguments:
/// `cloudjobs_runtime::credentials::DefaultCredentialsChain` -> `DefaultCredentialsChain`.
fn short_type_name(full: &'static str) -> &'static str {
    let base = full.split('<').next().unwrap_or(full);
    base.rsplit("::").next().unwrap_or(base)
}

/// A credentials provider with a cache that refreshes credentials before they expire.
pub(crate) struct CredentialsCache {
    provider: Arc<dyn ProvideCredentials>,
    provider_type: &'static str,
    cached: tokio::sync::Mutex<Option<Credentials>>,
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the provider's own Debug: `Credentials` prints its access key id.
        f.debug_struct("CredentialsProvider")
            .field("type", &self.provider_type)
            .finish_non_exhaustive()
    }
}

impl CredentialsCache {
    pub(crate) fn new<P: ProvideCredentials + 'static>(provider: P) -> Self {
        Self::named(provider, short_type_name(std::any::type_name::<P>()))
    }

    /// A cache over `provider`, called `name` in errors and `Debug` output.
    pub(crate) fn named<P: ProvideCredentials + 'static>(provider: P, name: &'static str) -> Self {
        CredentialsCache {
            provider: Arc::new(provider),
            provider_type: name,
            cached: tokio::sync::Mutex::new(None),
        }
    }

    /// Valid credentials at `now`: cached ones unless they expire within the margin. A load
    /// that takes longer than `timeout` (when set) fails with an error naming the provider.
    pub(crate) async fn get(
        &self,
        now: SystemTime,
        timeout: Option<Duration>,
    ) -> Result<Credentials, CredentialsError> {
        let mut cached = self.cached.lock().await;
        if let Some(creds) = cached.as_ref() {
            let fresh = match creds.expiry() {
                None => true,
                Some(expiry) => now + EXPIRY_MARGIN < expiry,
            };
            if fresh {
                return Ok(creds.clone());
            }
            tracing::debug!("cached credentials expire soon, refreshing");
        }
        let load = self.provider.provide_credentials();
        let creds = match timeout {
            None => load.await?,
            Some(limit) => match tokio::time::timeout(limit, load).await {
                Ok(result) => result?,
                Err(_) => {
                    return Err(CredentialsError::provider_error(CredentialsTimeout {
                        provider: self.provider_type,
                        timeout: limit,
                    }));
                }
            },
        };
        *cached = Some(creds.clone());
        Ok(creds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_profiles() {
        let mut set = ProfileSet::default();
        set.merge_text(
            "# comment\n[default]\nregion = us-west-2\n\n[profile dev]\nregion=eu-west-1\ns3 =\n  max_concurrent_requests = 2\n[sso-session x]\nsso_region = a\n[ignored]\nregion = nope\n",
            FileKind::Config,
        )
        .unwrap();
        set.merge_text(
            "[dev]\naws_access_key_id = AKID\naws_secret_access_key = SECRET ; not a comment\n",
            FileKind::Credentials,
        )
        .unwrap();
        assert_eq!(set.get("default").unwrap().get("region"), Some("us-west-2"));
        let dev = set.get("dev").unwrap();
        assert_eq!(dev.get("region"), Some("eu-west-1"));
        assert_eq!(dev.get("aws_access_key_id"), Some("AKID"));
        assert!(set.get("ignored").is_none());
        assert!(set.get("x").is_none());
        assert!(
            ProfileSet::default()
                .merge_text("[default\n", FileKind::Config)
                .is_err()
        );
        assert!(
            ProfileSet::default()
                .merge_text("region = x\n", FileKind::Config)
                .is_err()
        );
    }

    #[test]
    fn profiles_only_aws_config_serves_point_to_the_feature() {
        let dir = std::env::temp_dir().join(format!("cloudjobs-creds-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        std::fs::write(
            &config,
            "[profile sso]\nsso_session = corp\n[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = sso\n",
        )
        .unwrap();
        let files = ProfileFiles {
            credentials: None,
            config: Some(config),
        };
        for (profile, key) in [("sso", "sso_session"), ("role", "role_arn")] {
            let err = ProfileCredentialsProvider::new(files.clone(), profile)
                .load()
                .unwrap_err();
            let text = crate::error::describe(&err);
            assert!(text.contains(&format!("`{key}`")), "{text}");
            assert!(text.contains("`aws-config` feature"), "{text}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A provider that never answers.
    #[derive(Debug)]
    struct Stuck;

    impl ProvideCredentials for Stuck {
        fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            provider::future::ProvideCredentials::new(std::future::pending())
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_stuck_provider_times_out_with_its_name() {
        let cache = CredentialsCache::new(Stuck);
        let err = cache
            .get(SystemTime::now(), Some(Duration::from_secs(5)))
            .await
            .unwrap_err();
        let text = crate::error::describe(&err);
        assert!(text.contains("`Stuck`"), "{text}");
        assert!(text.contains("5s"), "{text}");
        // Without a limit the load keeps waiting.
        let waited =
            tokio::time::timeout(Duration::from_secs(60), cache.get(SystemTime::now(), None)).await;
        assert!(waited.is_err());
    }

    #[tokio::test]
    async fn a_fast_provider_is_cached() {
        let cache = CredentialsCache::new(Credentials::new("AKID", "S", None, None, "test"));
        let creds = cache
            .get(SystemTime::now(), Some(Duration::from_secs(5)))
            .await
            .unwrap();
        assert_eq!(creds.access_key_id(), "AKID");
        assert_eq!(short_type_name("a::b::C<d::E>"), "C");
    }
}
