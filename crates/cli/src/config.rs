//! The configuration file: named profiles of per-service settings.
//!
//! # Where it is
//!
//! `--config PATH`, else `CLOUDJOBS_CONFIG`, else the platform's configuration directory:
//! `$XDG_CONFIG_HOME/cloudjobs/config.toml` (when `XDG_CONFIG_HOME` is an absolute path), else
//! `$HOME/.config/cloudjobs/config.toml` on Unix (macOS included, as most command-line tools
//! do), and `%APPDATA%\cloudjobs\config.toml` on Windows. `cloudjobs config path` prints it,
//! `cloudjobs config init` writes a commented template there. A missing file at the default
//! location is no error (every setting then comes from flags and the environment); a missing
//! file named by `--config` or `CLOUDJOBS_CONFIG` is.
//!
//! # Format
//!
//! ```toml
//! default_profile = "work"          # optional; else the profile named `default`
//!
//! [profiles.work]                   # settings for every service of this profile
//! region = "eu-west-1"              # AWS services
//! aws_profile = "work"              # profile of ~/.aws/config and ~/.aws/credentials
//!
//! [profiles.work.ssm-mw]            # one service: partner-central, macie2, ssm-mw,
//! region = "us-east-1"              #   spaceone-identity or cloud-rewind
//!
//! [profiles.work.spaceone-identity]
//! endpoint = "https://spaceone.example.com"
//! path_prefix = "/identity"         # the deployment serves /identity/job/<verb>
//! token_env = "SPACEONE_TOKEN"      # the token is read from this variable
//!
//! [profiles.work.cloud-rewind]
//! endpoint = "https://api.cloudrewind.example/api/v1"
//! token_command = ["pass", "show", "cloud-rewind/token"]   # run (no shell); stdout is the token
//!
//! [profiles.emulator]               # `cloudjobs --config-profile emulator ...`
//! endpoint = "http://127.0.0.1:4566"
//! ```
//!
//! A profile is chosen with `--config-profile NAME` or `CLOUDJOBS_PROFILE`, else the file's
//! `default_profile`, else `default`. Keys: `endpoint` and `path_prefix` (any service; the
//! path prefix replaces the spec's, `<PREFIX>_PATH_PREFIX` in the environment), `region` and
//! `aws_profile` (the AWS services: partner-central, macie2, ssm-mw), `token_env` or
//! `token_command` (the bearer-token services: spaceone-identity, cloud-rewind; per service
//! only). A service's own section wins over its profile's. Unknown keys and sections are
//! errors, so a typo does not go unnoticed.
//!
//! A plain `token = "..."` is refused unless the same section says `allow_plain_token = true`
//! and (on Unix) the file is readable by its owner only: configuration files get copied,
//! synced and committed, and a token in one is readable by anyone who gets the file.
//!
//! # Precedence
//!
//! Flags win over the environment, which wins over the file: `--endpoint-url`, then
//! `<PREFIX>_ENDPOINT_URL` (e.g. `CLOUDJOBS_SPACEONE_ENDPOINT_URL`) and for AWS services
//! `AWS_ENDPOINT_URL_<SERVICE>` and `AWS_ENDPOINT_URL`, then the file's `endpoint`;
//! `--region`, then `AWS_REGION`/`AWS_DEFAULT_REGION`, then `region`; `--profile`, then
//! `AWS_PROFILE`, then `aws_profile`; `--token`, then `<PREFIX>_TOKEN`, then `token_env`,
//! `token_command` or an allowed `token`. A token command is run only when its token is the
//! one that will be used. `cloudjobs config show` prints every resolved setting and where it
//! came from, never a token.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cloudjobs::Service;
use cloudjobs_runtime::{AuthScheme, SecretString, ServiceMeta};
use serde::Serialize;

use crate::args::{ConfigCommand, GlobalOpts, OutputFormat};
use crate::error::CliError;

/// The settings one service's client gets: what [`crate::services::load_config`] applies on
/// top of the environment and the shared AWS files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceSettings {
    /// Base URL of the service.
    pub endpoint: Option<String>,
    /// Path prefix replacing the spec's (e.g. `/identity` for SpaceONE deployments that serve
    /// `/identity/job/<verb>`).
    pub path_prefix: Option<String>,
    /// AWS region (AWS services only).
    pub region: Option<String>,
    /// AWS shared-files profile (AWS services only).
    pub aws_profile: Option<String>,
    /// Bearer token (SpaceONE and Cloud Rewind only).
    pub token: Option<SecretString>,
}

/// The settings of `service` from the command line, the process environment and the
/// configuration file, in that order of precedence. Runs a `token_command` when its token is
/// the one used.
pub fn resolve(global: &GlobalOpts, service: Service) -> Result<ServiceSettings, CliError> {
    let env = process_env();
    let file = ConfigFile::load(global, &env)?;
    let resolver = Resolver::new(global, &env, file.as_ref())?;
    resolver.settings(service)
}

// ----------------------------------------------------------------------------------------
// Location

/// Where the configuration file is, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigPath {
    /// The path.
    pub path: PathBuf,
    /// Given by `--config` or `CLOUDJOBS_CONFIG` (then it must exist), not the default.
    pub explicit: bool,
}

/// The process environment, as a map (non-UTF-8 variables are left out).
pub fn process_env() -> BTreeMap<String, String> {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect()
}

/// The platform's default path, from the given environment (see the module docs).
pub fn default_path(env: &BTreeMap<String, String>) -> Option<PathBuf> {
    let var = |name: &str| env.get(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let base = if cfg!(windows) {
        var("APPDATA")
    } else {
        var("XDG_CONFIG_HOME")
            .filter(|p| p.is_absolute())
            .or_else(|| var("HOME").map(|h| h.join(".config")))
    }?;
    Some(base.join("cloudjobs").join("config.toml"))
}

/// `--config`/`CLOUDJOBS_CONFIG`, else the default path.
pub fn config_path(
    global: &GlobalOpts,
    env: &BTreeMap<String, String>,
) -> Result<ConfigPath, CliError> {
    if let Some(path) = &global.config {
        return Ok(ConfigPath {
            path: path.clone(),
            explicit: true,
        });
    }
    default_path(env)
        .map(|path| ConfigPath {
            path,
            explicit: false,
        })
        .ok_or_else(|| {
            CliError::Usage(
                "cannot tell where the configuration file is: neither XDG_CONFIG_HOME nor HOME \
                 (APPDATA on Windows) is set; pass --config PATH"
                    .to_owned(),
            )
        })
}

// ----------------------------------------------------------------------------------------
// The file

/// The settings a profile or a service section may hold.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Section {
    endpoint: Option<String>,
    path_prefix: Option<String>,
    region: Option<String>,
    aws_profile: Option<String>,
    token_env: Option<String>,
    token_command: Option<Vec<String>>,
    #[serde(default, deserialize_with = "secret")]
    token: Option<SecretString>,
    #[serde(default)]
    allow_plain_token: bool,
}

/// A plain token, wrapped as soon as it is read so no `Debug` shows it.
/// Whatever the value is, an error never repeats it.
fn secret<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    match <toml::Value as serde::Deserialize>::deserialize(d)? {
        toml::Value::String(s) => Ok(Some(SecretString::new(s))),
        _ => Err(serde::de::Error::custom("`token` must be a string")),
    }
}

/// A TOML error as `line L, column C: message`, without the source line the parser would
/// quote (it may hold a token).
fn syntax_error(text: &str, e: &toml::de::Error) -> String {
    match e.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            // The key of that line, never its value.
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let key = text
                .get(line_start..)
                .unwrap_or("")
                .lines()
                .next()
                .and_then(|l| l.split_once('='))
                .map(|(k, _)| format!(" (`{}`)", k.trim()))
                .unwrap_or_default();
            format!("line {line}, column {column}{key}: {}", e.message().trim())
        }
        None => e.message().trim().to_owned(),
    }
}

/// One profile: its own settings and those of each service.
#[derive(Debug, Clone, Default, PartialEq)]
struct Profile {
    common: Section,
    services: BTreeMap<Service, Section>,
}

/// A parsed configuration file.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigFile {
    path: PathBuf,
    default_profile: Option<String>,
    profiles: BTreeMap<String, Profile>,
    /// The file can be read by its owner only (always true where permissions are not checked).
    private: bool,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    default_profile: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, toml::Table>,
}

fn meta(service: Service) -> &'static ServiceMeta {
    match service {
        Service::PartnerCentral => &cloudjobs::partner_central::SERVICE,
        Service::Macie2 => &cloudjobs::macie2::SERVICE,
        Service::SsmMw => &cloudjobs::ssm_mw::SERVICE,
        Service::SpaceoneIdentity => &cloudjobs::spaceone_identity::SERVICE,
        Service::CloudRewind => &cloudjobs::cloud_rewind::SERVICE,
    }
}

fn is_aws(service: Service) -> bool {
    matches!(meta(service).auth, AuthScheme::SigV4 { .. })
}

fn service_names() -> String {
    Service::ALL
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl ConfigFile {
    /// Parses the text of a configuration file; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<ConfigFile, CliError> {
        let bad = |msg: String| CliError::Usage(format!("{}: {msg}", path.display()));
        let raw: RawFile = toml::from_str(text).map_err(|e| bad(syntax_error(text, &e)))?;
        let mut profiles = BTreeMap::new();
        for (name, table) in raw.profiles {
            let mut common = toml::Table::new();
            let mut services = BTreeMap::new();
            for (key, value) in table {
                match key.parse::<Service>() {
                    Ok(service) => {
                        let where_ = format!("[profiles.{name}.{key}]");
                        let toml::Value::Table(t) = value else {
                            return Err(bad(format!(
                                "profiles.{name}.{key} must be a table of settings"
                            )));
                        };
                        let section: Section = toml::Value::Table(t)
                            .try_into()
                            .map_err(|e| bad(format!("{where_}: {}", e.to_string().trim())))?;
                        check_section(&section, Some(service))
                            .map_err(|m| bad(format!("{where_}: {m}")))?;
                        services.insert(service, section);
                    }
                    Err(_) if value.is_table() => {
                        return Err(bad(format!(
                            "[profiles.{name}.{key}]: unknown service `{key}`; expected one of {}",
                            service_names()
                        )));
                    }
                    Err(_) => {
                        common.insert(key, value);
                    }
                }
            }
            let where_ = format!("[profiles.{name}]");
            let common: Section = toml::Value::Table(common)
                .try_into()
                .map_err(|e| bad(format!("{where_}: {}", e.to_string().trim())))?;
            check_section(&common, None).map_err(|m| bad(format!("{where_}: {m}")))?;
            profiles.insert(name, Profile { common, services });
        }
        Ok(ConfigFile {
            path: path.to_owned(),
            default_profile: raw.default_profile,
            profiles,
            private: true,
        })
    }

    /// Reads the file [`config_path`] names: `None` when there is none at the default
    /// location.
    pub fn load(
        global: &GlobalOpts,
        env: &BTreeMap<String, String>,
    ) -> Result<Option<ConfigFile>, CliError> {
        let location = match config_path(global, env) {
            Ok(l) => l,
            // No HOME: no default file, which is fine unless a profile was asked for.
            Err(_) if global.config_profile.is_none() => return Ok(None),
            Err(e) => return Err(e),
        };
        let text = match std::fs::read_to_string(&location.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !location.explicit => {
                return Ok(None);
            }
            Err(e) => {
                return Err(CliError::Usage(format!(
                    "could not read the configuration file {}: {e}",
                    location.path.display()
                )));
            }
        };
        let mut file = ConfigFile::parse(&text, &location.path)?;
        file.private = owner_only(&location.path);
        Ok(Some(file))
    }

    /// The path the file was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The profile names, sorted.
    pub fn profile_names(&self) -> Vec<&str> {
        self.profiles.keys().map(String::as_str).collect()
    }
}

/// Checks what a section may hold: tokens only for bearer services and only per service,
/// AWS settings not for bearer services, one token source.
fn check_section(s: &Section, service: Option<Service>) -> Result<(), String> {
    let token_keys: Vec<&str> = [
        ("token_env", s.token_env.is_some()),
        ("token_command", s.token_command.is_some()),
        ("token", s.token.is_some()),
    ]
    .into_iter()
    .filter_map(|(k, set)| set.then_some(k))
    .collect();
    match service {
        None if !token_keys.is_empty() || s.allow_plain_token => {
            return Err(format!(
                "`{}` belongs in a service's own section (e.g. [profiles.<name>.spaceone-identity]): \
                 each service has its own token",
                token_keys.first().copied().unwrap_or("allow_plain_token")
            ));
        }
        Some(svc) if is_aws(svc) && !token_keys.is_empty() => {
            return Err(format!(
                "`{}`: {svc} signs requests with AWS credentials (set `aws_profile`), it takes no token",
                token_keys[0]
            ));
        }
        Some(svc) if !is_aws(svc) => {
            for (key, set) in [
                ("region", s.region.is_some()),
                ("aws_profile", s.aws_profile.is_some()),
            ] {
                if set {
                    return Err(format!(
                        "`{key}`: {svc} is not an AWS service (it uses a bearer token); \
                         `{key}` applies to partner-central, macie2 and ssm-mw"
                    ));
                }
            }
        }
        _ => {}
    }
    if token_keys.len() > 1 {
        return Err(format!(
            "`{}` and `{}` both give the token; keep one",
            token_keys[0], token_keys[1]
        ));
    }
    if let Some(cmd) = &s.token_command
        && cmd.first().is_none_or(|c| c.trim().is_empty())
    {
        return Err("`token_command` must name a program: [\"program\", \"arg\", ...]".into());
    }
    if let Some(var) = &s.token_env
        && var.trim().is_empty()
    {
        return Err("`token_env` must name an environment variable".into());
    }
    if s.token.is_some() && !s.allow_plain_token {
        return Err(
            "a plain `token` is refused: configuration files get copied, synced and committed, \
             and anyone who reads the file has the token. Use `token_env = \"VAR\"` or \
             `token_command = [\"program\", \"arg\"]`, or add `allow_plain_token = true` to \
             this section to accept the risk (the file must then be readable by you only)"
                .into(),
        );
    }
    Ok(())
}

#[cfg(unix)]
fn owner_only(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o077 == 0)
        .unwrap_or(false)
}

#[cfg(not(unix))]
fn owner_only(_path: &Path) -> bool {
    true
}

// ----------------------------------------------------------------------------------------
// Resolution

/// Where a setting came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Origin {
    /// A command-line flag, e.g. `--region`.
    Flag(String),
    /// An environment variable.
    Env(String),
    /// A key of the configuration file, e.g. `profiles.work.ssm-mw.region`.
    File(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag(n) => write!(f, "flag {n}"),
            Origin::Env(n) => write!(f, "environment {n}"),
            Origin::File(n) => write!(f, "file {n}"),
        }
    }
}

/// A setting and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Setting {
    /// The value (never a token).
    pub value: String,
    /// Where it came from.
    pub from: Origin,
}

/// Where the token of a service will come from.
#[derive(Clone, PartialEq)]
pub enum TokenSource {
    /// Given as a value (flag, environment variable, or an allowed plain `token`).
    Value(SecretString, Origin),
    /// The environment variable a file's `token_env` names.
    FileEnv {
        /// The variable.
        var: String,
        /// Its value, when set and not empty.
        value: Option<SecretString>,
        /// The file key.
        key: String,
    },
    /// A file's `token_command`, run when the token is needed.
    Command {
        /// Program and arguments.
        argv: Vec<String>,
        /// The file key.
        key: String,
    },
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (value, from) = self.describe();
        write!(f, "{value} from {from}")
    }
}

impl TokenSource {
    /// What `config show` prints: a value column that never holds the token, and the origin.
    pub fn describe(&self) -> (String, String) {
        const HIDDEN: &str = "** redacted **";
        match self {
            TokenSource::Value(_, origin) => (HIDDEN.to_owned(), origin.to_string()),
            TokenSource::FileEnv { var, value, key } => (
                if value.is_some() {
                    HIDDEN.to_owned()
                } else {
                    format!("(${var} is not set)")
                },
                format!("environment {var}, per file {key}"),
            ),
            TokenSource::Command { argv, key } => (
                format!("(output of `{}`)", argv.join(" ")),
                format!("file {key}"),
            ),
        }
    }

    /// The token: the value, the variable's value, or the command's output.
    pub fn fetch(&self, service: Service) -> Result<SecretString, CliError> {
        match self {
            TokenSource::Value(v, _) => Ok(v.clone()),
            TokenSource::FileEnv { var, value, key } => value.clone().ok_or_else(|| {
                CliError::Usage(format!(
                    "{service}: the configuration ({key}) takes the token from ${var}, which is not set"
                ))
            }),
            TokenSource::Command { argv, key } => run_token_command(argv)
                .map_err(|m| CliError::Usage(format!("{service}: token command of {key}: {m}"))),
        }
    }
}

/// How long a token command may run.
const TOKEN_COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs a token command (no shell): stdout, trimmed, is the token. Its stderr goes to ours
/// (password managers prompt there).
fn run_token_command(argv: &[String]) -> Result<SecretString, String> {
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| "empty command".to_owned())?;
    let shown = argv.join(" ");
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("could not run `{shown}`: {e}"))?;
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| format!("could not read the output of `{shown}`"))?;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        stdout.read_to_end(&mut buf).map(|_| buf)
    });
    let deadline = Instant::now() + TOKEN_COMMAND_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "`{shown}` did not finish within {} seconds",
                    TOKEN_COMMAND_TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("waiting for `{shown}`: {e}")),
        }
    };
    let out = reader
        .join()
        .map_err(|_| format!("reading the output of `{shown}` failed"))?
        .map_err(|e| format!("reading the output of `{shown}`: {e}"))?;
    if !status.success() {
        return Err(format!("`{shown}` failed ({status})"));
    }
    let text = String::from_utf8(out).map_err(|_| format!("`{shown}` printed non-UTF-8"))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(format!("`{shown}` printed nothing"));
    }
    Ok(SecretString::new(token))
}

/// Everything a service's settings are resolved from.
pub struct Resolver<'a> {
    global: &'a GlobalOpts,
    env: &'a BTreeMap<String, String>,
    file: Option<&'a ConfigFile>,
    profile: Option<(&'a str, &'a Profile)>,
}

/// One service's resolved settings, with their origins; tokens not fetched yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The service.
    pub service: Service,
    /// Base URL.
    pub endpoint: Option<Setting>,
    /// Path prefix.
    pub path_prefix: Option<Setting>,
    /// AWS region.
    pub region: Option<Setting>,
    /// AWS profile.
    pub aws_profile: Option<Setting>,
    /// Token source (bearer services).
    pub token: Option<TokenSource>,
}

impl Resolved {
    /// The settings a client gets; fetches the token (runs its command) when there is one.
    pub fn settings(&self) -> Result<ServiceSettings, CliError> {
        Ok(ServiceSettings {
            endpoint: self.endpoint.as_ref().map(|s| s.value.clone()),
            path_prefix: self.path_prefix.as_ref().map(|s| s.value.clone()),
            region: self.region.as_ref().map(|s| s.value.clone()),
            aws_profile: self.aws_profile.as_ref().map(|s| s.value.clone()),
            token: self
                .token
                .as_ref()
                .map(|t| t.fetch(self.service))
                .transpose()?,
        })
    }
}

impl<'a> Resolver<'a> {
    /// Picks the profile: `--config-profile`/`CLOUDJOBS_PROFILE`, else the file's
    /// `default_profile`, else `default` (which may be absent).
    pub fn new(
        global: &'a GlobalOpts,
        env: &'a BTreeMap<String, String>,
        file: Option<&'a ConfigFile>,
    ) -> Result<Resolver<'a>, CliError> {
        let chosen = global
            .config_profile
            .as_deref()
            .or_else(|| file.and_then(|f| f.default_profile.as_deref()));
        let profile = match (file, chosen) {
            (Some(f), Some(name)) => match f.profiles.get_key_value(name) {
                Some((n, p)) => Some((n.as_str(), p)),
                None => {
                    return Err(CliError::Usage(format!(
                        "{}: no profile `{name}` (profiles: {})",
                        f.path.display(),
                        if f.profiles.is_empty() {
                            "none".to_owned()
                        } else {
                            f.profile_names().join(", ")
                        }
                    )));
                }
            },
            (Some(f), None) => f
                .profiles
                .get_key_value("default")
                .map(|(n, p)| (n.as_str(), p)),
            (None, Some(name)) => {
                return Err(CliError::Usage(format!(
                    "profile `{name}` was asked for, but there is no configuration file ({})",
                    config_path(global, env)
                        .map(|p| format!("looked for {}", p.path.display()))
                        .unwrap_or_else(|e| e.to_string())
                )));
            }
            (None, None) => None,
        };
        Ok(Resolver {
            global,
            env,
            file,
            profile,
        })
    }

    /// The chosen profile's name, if a profile applies.
    pub fn profile_name(&self) -> Option<&str> {
        self.profile.map(|(n, _)| n)
    }

    /// The file, if one was read.
    pub fn file(&self) -> Option<&ConfigFile> {
        self.file
    }

    fn env(&self, name: &str) -> Option<Setting> {
        self.env
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(|v| Setting {
                value: v.to_owned(),
                from: Origin::Env(name.to_owned()),
            })
    }

    /// A file key: the service's section first, then the profile's.
    fn file_value(
        &self,
        service: Service,
        key: &str,
        get: impl Fn(&Section) -> Option<&String>,
    ) -> Option<Setting> {
        let (name, profile) = self.profile?;
        if let Some(v) = profile.services.get(&service).and_then(&get) {
            return Some(Setting {
                value: v.clone(),
                from: Origin::File(format!("profiles.{name}.{service}.{key}")),
            });
        }
        get(&profile.common).map(|v| Setting {
            value: v.clone(),
            from: Origin::File(format!("profiles.{name}.{key}")),
        })
    }

    /// One service's settings and their origins.
    pub fn service(&self, service: Service) -> Resolved {
        let m = meta(service);
        let aws = is_aws(service);
        let flag = |name: &str, v: &Option<String>| {
            v.as_ref().map(|v| Setting {
                value: v.clone(),
                from: Origin::Flag(name.to_owned()),
            })
        };
        let mut endpoint = flag("--endpoint-url", &self.global.endpoint_url)
            .or_else(|| self.env(&format!("{}_ENDPOINT_URL", m.env_prefix)));
        if aws {
            endpoint = endpoint
                .or_else(|| {
                    self.env(&format!(
                        "AWS_ENDPOINT_URL_{}",
                        cloudjobs_runtime::sdk_id_env_suffix(m.sdk_id)
                    ))
                })
                .or_else(|| self.env("AWS_ENDPOINT_URL"));
        }
        let endpoint =
            endpoint.or_else(|| self.file_value(service, "endpoint", |s| s.endpoint.as_ref()));
        let path_prefix = self
            .env(&format!("{}_PATH_PREFIX", m.env_prefix))
            .or_else(|| self.file_value(service, "path_prefix", |s| s.path_prefix.as_ref()));
        let (region, aws_profile) = if aws {
            (
                flag("--region", &self.global.region)
                    .or_else(|| self.env("AWS_REGION"))
                    .or_else(|| self.env("AWS_DEFAULT_REGION"))
                    .or_else(|| self.file_value(service, "region", |s| s.region.as_ref())),
                flag("--profile", &self.global.profile)
                    .or_else(|| self.env("AWS_PROFILE"))
                    .or_else(|| {
                        self.file_value(service, "aws_profile", |s| s.aws_profile.as_ref())
                    }),
            )
        } else {
            (None, None)
        };
        let token = if aws { None } else { self.token(service, m) };
        Resolved {
            service,
            endpoint,
            path_prefix,
            region,
            aws_profile,
            token,
        }
    }

    fn token(&self, service: Service, m: &ServiceMeta) -> Option<TokenSource> {
        if let Some(t) = &self.global.token {
            return Some(TokenSource::Value(
                SecretString::new(t.as_str()),
                Origin::Flag("--token".into()),
            ));
        }
        let var = format!("{}_TOKEN", m.env_prefix);
        if let Some(s) = self.env(&var) {
            return Some(TokenSource::Value(SecretString::new(s.value), s.from));
        }
        let (name, profile) = self.profile?;
        let section = profile.services.get(&service)?;
        let key = |k: &str| format!("profiles.{name}.{service}.{k}");
        if let Some(var) = &section.token_env {
            return Some(TokenSource::FileEnv {
                var: var.clone(),
                value: self.env(var).map(|s| SecretString::new(s.value)),
                key: key("token_env"),
            });
        }
        if let Some(argv) = &section.token_command {
            return Some(TokenSource::Command {
                argv: argv.clone(),
                key: key("token_command"),
            });
        }
        section
            .token
            .as_ref()
            .map(|t| TokenSource::Value(t.clone(), Origin::File(key("token"))))
    }

    /// Refuses an allowed plain token in a file others can read (checked when it is used).
    fn check_plain_token(&self, resolved: &Resolved) -> Result<(), CliError> {
        if let (Some(TokenSource::Value(_, Origin::File(key))), Some(file)) =
            (&resolved.token, self.file)
            && !file.private
        {
            return Err(CliError::Usage(format!(
                "{}: {key} holds a token, but the file can be read by others; run `chmod 600 {}` \
                 or use token_env / token_command",
                file.path.display(),
                file.path.display()
            )));
        }
        Ok(())
    }

    /// One service's settings for a client (the token fetched).
    pub fn settings(&self, service: Service) -> Result<ServiceSettings, CliError> {
        let resolved = self.service(service);
        self.check_plain_token(&resolved)?;
        resolved.settings()
    }
}

/// A URL with any `user:password@` replaced by `***@`.
fn redact_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        let authority_end = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@') {
            return format!("{scheme}://***@{}", &rest[at + 1..]);
        }
    }
    url.to_owned()
}

// ----------------------------------------------------------------------------------------
// Commands

/// `cloudjobs config path|show|init`.
pub fn run(global: &GlobalOpts, cmd: &ConfigCommand) -> Result<(), CliError> {
    match cmd {
        ConfigCommand::Path => path_command(global),
        ConfigCommand::Show => show_command(global),
        ConfigCommand::Init => init_command(global),
    }
}

/// `cloudjobs config path`.
pub fn path_command(global: &GlobalOpts) -> Result<(), CliError> {
    let location = config_path(global, &process_env())?;
    crate::output::emit(&format!("{}\n", location.path.display()))
}

/// The template `config init` writes: every key, commented out, under an empty `default`
/// profile.
pub const TEMPLATE: &str = r#"# cloudjobs configuration (`cloudjobs config show` prints what each service gets).
# Precedence: command-line flags, then environment variables, then this file.
# Pick a profile with --config-profile NAME or CLOUDJOBS_PROFILE.

# default_profile = "default"

[profiles.default]
# Settings for every service of this profile:
# endpoint = "http://127.0.0.1:4566"        # e.g. the one `cloudjobs emulator` prints
# region = "us-east-1"                      # AWS services (partner-central, macie2, ssm-mw)
# aws_profile = "default"                   # profile of ~/.aws/config and ~/.aws/credentials

# One service's own section wins over the profile's settings. Services: partner-central,
# macie2, ssm-mw, spaceone-identity, cloud-rewind.
#
# [profiles.default.ssm-mw]
# region = "eu-west-1"
#
# The bearer-token services take the token from a variable or a command, never from this
# file (a plain `token = "..."` needs `allow_plain_token = true` and a file only you can read):
#
# [profiles.default.spaceone-identity]
# endpoint = "https://spaceone.example.com"
# path_prefix = "/identity"                 # deployments that serve /identity/job/<verb>
# token_env = "SPACEONE_TOKEN"
#
# [profiles.default.cloud-rewind]
# endpoint = "https://cloud-rewind.example.com/api/v1"
# token_command = ["pass", "show", "cloud-rewind/token"]
"#;

/// `cloudjobs config init`: writes [`TEMPLATE`] (readable by the owner only on Unix); an
/// existing file is never overwritten.
pub fn init_command(global: &GlobalOpts) -> Result<(), CliError> {
    let location = config_path(global, &process_env())?;
    let path = &location.path;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::Other(format!("could not create {}: {e}", dir.display())))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(CliError::Usage(format!(
                "{} already exists; it was left as it is (edit it, or remove it first)",
                path.display()
            )));
        }
        Err(e) => {
            return Err(CliError::Other(format!(
                "could not create {}: {e}",
                path.display()
            )));
        }
    };
    std::io::Write::write_all(&mut file, TEMPLATE.as_bytes())
        .map_err(|e| CliError::Other(format!("could not write {}: {e}", path.display())))?;
    crate::output::emit(&format!("{}\n", path.display()))
}

/// One line of `config show`.
#[derive(Debug, Serialize)]
struct ShowRow {
    service: Service,
    setting: &'static str,
    value: Option<String>,
    from: Option<String>,
}

/// `cloudjobs config show`: every service's settings and their origins; tokens never.
pub fn show_command(global: &GlobalOpts) -> Result<(), CliError> {
    let env = process_env();
    let file = ConfigFile::load(global, &env)?;
    let resolver = Resolver::new(global, &env, file.as_ref())?;
    let (header, rows) = show(&resolver, global, &env);
    if global.output == OutputFormat::Json {
        let value = serde_json::json!({
            "file": resolver.file().map(|f| f.path().display().to_string()),
            "profile": resolver.profile_name(),
            "settings": rows,
        });
        crate::output::emit(&crate::output::to_json(&value)?)
    } else {
        let table: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.service.to_string(),
                    r.setting.to_owned(),
                    r.value.clone().unwrap_or_else(|| "-".into()),
                    r.from.clone().unwrap_or_else(|| "-".into()),
                ]
            })
            .collect();
        crate::output::emit(&format!(
            "{header}\n{}",
            crate::output::render_table(&["SERVICE", "SETTING", "VALUE", "FROM"], &table)
        ))
    }
}

fn show(
    resolver: &Resolver<'_>,
    global: &GlobalOpts,
    env: &BTreeMap<String, String>,
) -> (String, Vec<ShowRow>) {
    let header = match (resolver.file(), resolver.profile_name()) {
        (Some(f), Some(p)) => format!("# file {} (profile `{p}`)", f.path().display()),
        (Some(f), None) => format!("# file {} (no `default` profile)", f.path().display()),
        (None, _) => match config_path(global, env) {
            Ok(p) => format!("# no file at {}", p.path.display()),
            Err(_) => "# no configuration file".to_owned(),
        },
    };
    let mut rows = Vec::new();
    for service in Service::ALL {
        let r = resolver.service(service);
        let row = |setting: &'static str, s: &Option<Setting>, url: bool| ShowRow {
            service,
            setting,
            value: s.as_ref().map(|s| {
                if url {
                    redact_url(&s.value)
                } else {
                    s.value.clone()
                }
            }),
            from: s.as_ref().map(|s| s.from.to_string()),
        };
        rows.push(row("endpoint", &r.endpoint, true));
        if r.path_prefix.is_some() || !is_aws(service) {
            rows.push(row("path_prefix", &r.path_prefix, false));
        }
        if is_aws(service) {
            rows.push(row("region", &r.region, false));
            rows.push(row("aws_profile", &r.aws_profile, false));
        } else {
            let (value, from) = r.token.as_ref().map(TokenSource::describe).unzip();
            rows.push(ShowRow {
                service,
                setting: "token",
                value,
                from,
            });
        }
    }
    (header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn global(args: &[&str]) -> GlobalOpts {
        let mut argv = vec!["cloudjobs"];
        argv.extend_from_slice(args);
        argv.extend_from_slice(&["config", "show"]);
        crate::args::Cli::try_parse_from(argv)
            .expect("valid arguments")
            .global
    }

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn parse(text: &str) -> Result<ConfigFile, String> {
        ConfigFile::parse(text, Path::new("/cfg/config.toml")).map_err(|e| e.to_string())
    }

    const FILE: &str = r#"
default_profile = "work"
[profiles.work]
region = "eu-west-1"
aws_profile = "work"
endpoint = "http://profile-wide"
[profiles.work.ssm-mw]
region = "us-east-2"
[profiles.work.spaceone-identity]
endpoint = "https://spaceone.example"
path_prefix = "/identity"
token_env = "MY_SPACEONE_TOKEN"
[profiles.work.cloud-rewind]
token_command = ["printf", "%s\n", "from-command"]
[profiles.other]
region = "ap-south-1"
"#;

    #[test]
    fn default_path_follows_the_platform_rules() {
        if cfg!(windows) {
            return;
        }
        assert_eq!(
            default_path(&env(&[("XDG_CONFIG_HOME", "/x"), ("HOME", "/h")])),
            Some(PathBuf::from("/x/cloudjobs/config.toml"))
        );
        assert_eq!(
            default_path(&env(&[("XDG_CONFIG_HOME", "relative"), ("HOME", "/h")])),
            Some(PathBuf::from("/h/.config/cloudjobs/config.toml"))
        );
        assert_eq!(default_path(&env(&[])), None);
    }

    #[test]
    fn file_then_environment_then_flags() {
        let file = parse(FILE).expect("valid file");
        let g = global(&[]);
        let none = env(&[]);
        let r = Resolver::new(&g, &none, Some(&file)).expect("profile work");
        assert_eq!(r.profile_name(), Some("work"));
        let ssm = r.service(Service::SsmMw);
        assert_eq!(
            ssm.region.as_ref().map(|s| s.value.as_str()),
            Some("us-east-2")
        );
        assert_eq!(
            ssm.region.map(|s| s.from),
            Some(Origin::File("profiles.work.ssm-mw.region".into()))
        );
        let macie = r.service(Service::Macie2);
        assert_eq!(macie.region.map(|s| s.value), Some("eu-west-1".into()));
        assert_eq!(macie.aws_profile.map(|s| s.value), Some("work".into()));
        assert_eq!(
            macie.endpoint.map(|s| s.value),
            Some("http://profile-wide".into())
        );

        let vars = env(&[
            ("AWS_REGION", "sa-east-1"),
            ("AWS_PROFILE", "envprof"),
            ("CLOUDJOBS_SPACEONE_ENDPOINT_URL", "http://env-spaceone"),
        ]);
        let r = Resolver::new(&g, &vars, Some(&file)).expect("profile work");
        let ssm = r.service(Service::SsmMw);
        assert_eq!(ssm.region.map(|s| s.value), Some("sa-east-1".into()));
        assert_eq!(ssm.aws_profile.map(|s| s.value), Some("envprof".into()));
        let sp = r.service(Service::SpaceoneIdentity);
        assert_eq!(
            sp.endpoint.map(|s| s.from),
            Some(Origin::Env("CLOUDJOBS_SPACEONE_ENDPOINT_URL".into()))
        );

        let g = global(&["--region", "us-west-1", "--endpoint-url", "http://flag"]);
        let r = Resolver::new(&g, &vars, Some(&file)).expect("profile work");
        let ssm = r.service(Service::SsmMw);
        assert_eq!(ssm.region.map(|s| s.value), Some("us-west-1".into()));
        assert_eq!(ssm.endpoint.map(|s| s.value), Some("http://flag".into()));
    }

    #[test]
    fn tokens_come_from_the_named_variable_or_the_command() {
        let file = parse(FILE).expect("valid file");
        let g = global(&[]);
        let vars = env(&[("MY_SPACEONE_TOKEN", "sp-secret")]);
        let r = Resolver::new(&g, &vars, Some(&file)).expect("profile");
        let sp = r
            .settings(Service::SpaceoneIdentity)
            .expect("token from env");
        assert_eq!(
            sp.token.map(|t| t.expose_secret().to_owned()),
            Some("sp-secret".into())
        );
        assert_eq!(sp.region, None, "bearer services get no AWS settings");
        assert_eq!(sp.path_prefix.as_deref(), Some("/identity"));
        if cfg!(unix) {
            let cr = r
                .settings(Service::CloudRewind)
                .expect("token from command");
            assert_eq!(
                cr.token.map(|t| t.expose_secret().to_owned()),
                Some("from-command".into())
            );
        }
        // The variable unset: the error names the service, the file key and the variable.
        let none = env(&[]);
        let r = Resolver::new(&g, &none, Some(&file)).expect("profile");
        let err = r
            .settings(Service::SpaceoneIdentity)
            .unwrap_err()
            .to_string();
        assert!(err.contains("spaceone-identity"), "{err}");
        assert!(err.contains("MY_SPACEONE_TOKEN"), "{err}");
        assert!(
            err.contains("profiles.work.spaceone-identity.token_env"),
            "{err}"
        );
        // The environment's own token variable wins over the file.
        let vars = env(&[("CLOUDJOBS_CLOUD_REWIND_TOKEN", "env-token")]);
        let r = Resolver::new(&g, &vars, Some(&file)).expect("profile");
        let cr = r.settings(Service::CloudRewind).expect("env token");
        assert_eq!(
            cr.token.map(|t| t.expose_secret().to_owned()),
            Some("env-token".into())
        );
    }

    #[test]
    fn a_failing_token_command_is_reported_with_its_section() {
        if !cfg!(unix) {
            return;
        }
        let file = parse(
            "[profiles.default.cloud-rewind]\ntoken_command = [\"false\"]\n\
             [profiles.default.spaceone-identity]\ntoken_command = [\"true\"]\n",
        )
        .expect("valid");
        let g = global(&[]);
        let none = env(&[]);
        let r = Resolver::new(&g, &none, Some(&file)).expect("default profile");
        let err = r.settings(Service::CloudRewind).unwrap_err().to_string();
        assert!(
            err.contains("profiles.default.cloud-rewind.token_command"),
            "{err}"
        );
        assert!(err.contains("`false` failed"), "{err}");
        let err = r
            .settings(Service::SpaceoneIdentity)
            .unwrap_err()
            .to_string();
        assert!(err.contains("printed nothing"), "{err}");
    }

    #[test]
    fn plain_tokens_are_refused_unless_allowed() {
        let err = parse("[profiles.default.cloud-rewind]\ntoken = \"abc\"\n").unwrap_err();
        assert!(err.contains("plain `token` is refused"), "{err}");
        assert!(err.contains("[profiles.default.cloud-rewind]"), "{err}");
        assert!(err.contains("/cfg/config.toml"), "{err}");
        assert!(!err.contains("abc"), "the token leaked: {err}");

        let mut file =
            parse("[profiles.default.cloud-rewind]\ntoken = \"abc\"\nallow_plain_token = true\n")
                .expect("allowed");
        let g = global(&[]);
        let none = env(&[]);
        let r = Resolver::new(&g, &none, Some(&file)).expect("profile");
        let s = r.settings(Service::CloudRewind).expect("private file");
        assert_eq!(
            s.token.map(|t| t.expose_secret().to_owned()),
            Some("abc".into())
        );
        file.private = false;
        let r = Resolver::new(&g, &none, Some(&file)).expect("profile");
        let err = r.settings(Service::CloudRewind).unwrap_err().to_string();
        assert!(err.contains("chmod 600"), "{err}");
        assert!(!err.contains("abc"), "{err}");
        assert!(
            !format!("{file:?}").contains("abc"),
            "Debug shows the token"
        );
    }

    #[test]
    fn mistakes_in_the_file_name_the_key_and_section() {
        let cases = [
            ("[profiles.p]\nregoin = \"x\"\n", "regoin"),
            (
                "[profiles.p.ssm]\nregion = \"x\"\n",
                "unknown service `ssm`",
            ),
            ("[profiles.p.ssm-mw]\ntoken_env = \"T\"\n", "takes no token"),
            ("[profiles.p]\ntoken_env = \"T\"\n", "service's own section"),
            (
                "[profiles.p.cloud-rewind]\nregion = \"x\"\n",
                "not an AWS service",
            ),
            (
                "[profiles.p.cloud-rewind]\ntoken_env = \"T\"\ntoken_command = [\"x\"]\n",
                "keep one",
            ),
            (
                "[profiles.p.cloud-rewind]\ntoken_command = []\n",
                "must name a program",
            ),
            ("profiles = 3\n", "profiles"),
            ("[profiles.p\n", "line 1"),
            (
                "[profiles.p.cloud-rewind]\ntoken = 12345\n",
                "must be a string",
            ),
            (
                "x = 1\n[profiles.p.cloud-rewind]\ntoken = \"sec ret\" junk\n",
                "line 3",
            ),
        ];
        for (text, needle) in cases {
            let err = parse(text).unwrap_err();
            assert!(err.contains(needle), "{text:?}: {err}");
            assert!(err.starts_with("/cfg/config.toml"), "{err}");
            assert!(!err.contains("12345") && !err.contains("sec ret"), "{err}");
        }
    }

    #[test]
    fn profiles_are_chosen_by_flag_then_file_default() {
        let file = parse(FILE).expect("valid");
        let none = env(&[]);
        let g = global(&["--config-profile", "other"]);
        let r = Resolver::new(&g, &none, Some(&file)).expect("other exists");
        assert_eq!(
            r.service(Service::Macie2).region.map(|s| s.value),
            Some("ap-south-1".into())
        );
        let g = global(&["--config-profile", "nope"]);
        let err = Resolver::new(&g, &none, Some(&file))
            .err()
            .expect("missing");
        assert!(
            err.to_string()
                .contains("no profile `nope` (profiles: other, work)")
        );
        let g = global(&["--config-profile", "x"]);
        assert!(Resolver::new(&g, &none, None).is_err());
        // No file and no profile asked for: nothing from the file.
        let g = global(&[]);
        let r = Resolver::new(&g, &none, None).expect("no file is fine");
        assert_eq!(
            r.service(Service::SsmMw),
            Resolved {
                service: Service::SsmMw,
                endpoint: None,
                path_prefix: None,
                region: None,
                aws_profile: None,
                token: None,
            }
        );
    }

    #[test]
    fn the_template_parses_and_sets_nothing() {
        let file = parse(TEMPLATE).expect("template parses");
        let g = global(&[]);
        let none = env(&[]);
        let r = Resolver::new(&g, &none, Some(&file)).expect("default profile");
        assert_eq!(r.profile_name(), Some("default"));
        for s in Service::ALL {
            assert_eq!(
                r.settings(s).expect("nothing to fetch"),
                ServiceSettings::default()
            );
        }
    }

    #[test]
    fn urls_lose_their_user_info() {
        assert_eq!(redact_url("https://u:p@h:1/x@y"), "https://***@h:1/x@y");
        assert_eq!(redact_url("http://h/p"), "http://h/p");
    }
}
