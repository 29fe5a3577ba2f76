//! The default credential chain (environment variables, shared files and profiles), and the
//! refresh of expiring credentials. No test changes the process environment: they pass
//! explicit variables to `Config::from_env_vars` and explicit file paths.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use cloudjobs_runtime::aws_credential_types::provider::{self, ProvideCredentials};
use cloudjobs_runtime::credentials::{
    DefaultCredentialsChain, EnvironmentCredentialsProvider, ProfileCredentialsProvider,
    ProfileFiles,
};
use cloudjobs_runtime::{Config, ConstructionErrorKind, Credentials, Error, Handle};

use crate::support::*;

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "cloudjobs-runtime-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The access key id in the Authorization header of a prepared SSM request.
async fn signing_key_of(
    config: Config,
) -> Result<(String, Option<String>), Error<cloudjobs_runtime::error::Unhandled>> {
    let handle = Handle::new(&SSM, config);
    let req = handle.prepare::<SsmDescribe>(&RawIn::default()).await?;
    let auth = req.headers()["authorization"].to_str().unwrap();
    let key = auth
        .split("Credential=")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let token = req
        .headers()
        .get("x-amz-security-token")
        .map(|v| v.to_str().unwrap().to_owned());
    Ok((key, token))
}

const CONFIG_FILE: &str = "\
[default]
region = us-west-2

[profile dev]
region = eu-west-1
max_attempts = 5

[profile assumed]
role_arn = arn:aws:iam::123456789012:role/x
source_profile = default
";

const CREDENTIALS_FILE: &str = "\
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret

# The dev profile has a session token.
[dev]
aws_access_key_id = AKIDDEV
aws_secret_access_key = dev-secret
aws_session_token = dev-session-token
";

#[tokio::test]
async fn environment_variables_with_session_token() {
    let config = Config::from_env_vars(vars(&[
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ("AWS_SESSION_TOKEN", "env-session-token"),
        ("AWS_REGION", "ap-southeast-2"),
    ]))
    .await
    .unwrap();
    assert_eq!(config.region().unwrap().as_str(), "ap-southeast-2");
    let (key, token) = signing_key_of(config).await.unwrap();
    assert_eq!(key, "AKIDENV");
    assert_eq!(token.as_deref(), Some("env-session-token"));
}

#[tokio::test]
async fn session_token_reaches_the_wire() {
    let server = TestServer::scripted(vec![Reply::json(200, serde_json::json!({}))]).await;
    let config = Config::from_env_vars(vars(&[
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ("AWS_SESSION_TOKEN", "env-session-token"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL", &server.url()),
    ]))
    .await
    .unwrap()
    .to_builder()
    .http_client(test_http_client())
    .build();
    Handle::new(&SSM, config)
        .invoke::<SsmDescribe>(RawIn::default())
        .await
        .unwrap();
    let req = server.request(0);
    assert_eq!(
        req.header("x-amz-security-token"),
        Some("env-session-token")
    );
    let auth = req.header("authorization").unwrap();
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDENV/"),
        "{auth}"
    );
    assert!(auth.contains("/us-east-1/ssm/aws4_request"), "{auth}");
    assert!(auth.contains("x-amz-security-token"), "{auth}");
}

#[tokio::test]
async fn profile_files_and_aws_profile_selection() {
    let dir = TempDir::new("profiles");
    let config_path = dir.write("config", CONFIG_FILE);
    let creds_path = dir.write("credentials", CREDENTIALS_FILE);
    let base = [
        ("AWS_CONFIG_FILE", config_path.to_str().unwrap()),
        ("AWS_SHARED_CREDENTIALS_FILE", creds_path.to_str().unwrap()),
    ];

    // Default profile.
    let config = Config::from_env_vars(vars(&base)).await.unwrap();
    assert_eq!(config.region().unwrap().as_str(), "us-west-2");
    assert_eq!(config.retry_config().max_attempts(), 3);
    assert_eq!(
        signing_key_of(config).await.unwrap(),
        ("AKIDDEFAULT".to_owned(), None)
    );

    // AWS_PROFILE=dev: `[profile dev]` in config, `[dev]` in credentials.
    let mut with_profile = base.to_vec();
    with_profile.push(("AWS_PROFILE", "dev"));
    let config = Config::from_env_vars(vars(&with_profile)).await.unwrap();
    assert_eq!(config.region().unwrap().as_str(), "eu-west-1");
    assert_eq!(config.retry_config().max_attempts(), 5);
    let (key, token) = signing_key_of(config).await.unwrap();
    assert_eq!(key, "AKIDDEV");
    assert_eq!(token.as_deref(), Some("dev-session-token"));

    // Environment variables win over the files; AWS_REGION over the profile's region.
    let mut with_env = with_profile.clone();
    with_env.extend([
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ("AWS_REGION", "sa-east-1"),
    ]);
    let config = Config::from_env_vars(vars(&with_env)).await.unwrap();
    assert_eq!(config.region().unwrap().as_str(), "sa-east-1");
    assert_eq!(signing_key_of(config).await.unwrap().0, "AKIDENV");

    // The same files found under HOME/.aws.
    let home = TempDir::new("home");
    home.write(".aws/config", CONFIG_FILE);
    home.write(".aws/credentials", CREDENTIALS_FILE);
    let config = Config::from_env_vars(vars(&[
        ("HOME", home.0.to_str().unwrap()),
        ("AWS_PROFILE", "dev"),
    ]))
    .await
    .unwrap();
    assert_eq!(config.region().unwrap().as_str(), "eu-west-1");
    assert_eq!(signing_key_of(config).await.unwrap().0, "AKIDDEV");

    // The providers on their own.
    let files = ProfileFiles {
        credentials: Some(creds_path.clone()),
        config: Some(config_path.clone()),
    };
    let dev = ProfileCredentialsProvider::new(files.clone(), "dev")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(dev.access_key_id(), "AKIDDEV");
    assert_eq!(dev.session_token(), Some("dev-session-token"));
    let chain = DefaultCredentialsChain::from_vars(&vars(&with_profile).into_iter().collect());
    assert_eq!(
        chain.provide_credentials().await.unwrap().access_key_id(),
        "AKIDDEV"
    );
}

#[tokio::test]
async fn missing_or_unsupported_profiles_are_explained() {
    let dir = TempDir::new("missing");
    let config_path = dir.write("config", CONFIG_FILE);
    let creds_path = dir.write("credentials", CREDENTIALS_FILE);
    let files = [
        ("AWS_CONFIG_FILE", config_path.to_str().unwrap()),
        ("AWS_SHARED_CREDENTIALS_FILE", creds_path.to_str().unwrap()),
        ("AWS_REGION", "us-east-1"),
    ];
    let message_of = |r: Result<(String, Option<String>), Error<_>>| match r {
        Err(Error::Construction(e)) => {
            assert_eq!(e.kind(), ConstructionErrorKind::MissingCredentials);
            e.message().to_owned()
        }
        other => panic!("unexpected: {:?}", other.map(|_| ())),
    };

    let mut nope = files.to_vec();
    nope.push(("AWS_PROFILE", "nope"));
    let msg = message_of(signing_key_of(Config::from_env_vars(vars(&nope)).await.unwrap()).await);
    assert!(msg.contains("profile `nope` not found"), "{msg}");
    assert!(msg.contains("AWS_ACCESS_KEY_ID"), "{msg}");

    let mut assumed = files.to_vec();
    assumed.push(("AWS_PROFILE", "assumed"));
    let msg =
        message_of(signing_key_of(Config::from_env_vars(vars(&assumed)).await.unwrap()).await);
    assert!(
        msg.contains("role_arn") && msg.contains("aws-config"),
        "{msg}"
    );

    // Nothing anywhere (no HOME, no variables).
    let config = Config::from_env_vars(vars(&[("AWS_REGION", "us-east-1")]))
        .await
        .unwrap();
    let msg = message_of(signing_key_of(config).await);
    assert!(msg.contains("no AWS credentials found"), "{msg}");

    // Half-set environment variables are a configuration error.
    let config = Config::from_env_vars(vars(&[
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "AKID"),
    ]))
    .await
    .unwrap();
    let msg = message_of(signing_key_of(config).await);
    assert!(msg.contains("AWS_SECRET_ACCESS_KEY"), "{msg}");

    // A broken file is reported when the config is loaded, with its line.
    let bad = dir.write("bad-config", "[default]\nregion us-east-1\n");
    let err = Config::from_env_vars(vars(&[("AWS_CONFIG_FILE", bad.to_str().unwrap())]))
        .await
        .unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("bad-config:2"), "{shown}");
    // So is a bad setting.
    let err = Config::from_env_vars(vars(&[("AWS_MAX_ATTEMPTS", "many")]))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("AWS_MAX_ATTEMPTS"), "{err}");
    let err = Config::from_env_vars(vars(&[("AWS_USE_FIPS_ENDPOINT", "maybe")]))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("AWS_USE_FIPS_ENDPOINT"), "{err}");
}

#[tokio::test]
async fn environment_settings_and_tokens() {
    let config = Config::from_env_vars(vars(&[
        ("AWS_REGION", "us-east-1"),
        ("AWS_USE_FIPS_ENDPOINT", "true"),
        ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
        ("AWS_MAX_ATTEMPTS", "7"),
        ("CLOUDJOBS_SPACEONE_TOKEN", "spaceone-token"),
        ("CLOUDJOBS_SPACEONE_ENDPOINT_URL", "http://127.0.0.1:8080"),
        ("CLOUDJOBS_SPACEONE_PATH_PREFIX", "/identity"),
        ("UNRELATED_TOKEN", "not captured"),
    ]))
    .await
    .unwrap();
    assert!(config.use_fips() && config.use_dual_stack());
    assert_eq!(config.retry_config().max_attempts(), 7);
    let handle = Handle::new(&SPACEONE, config.clone());
    let req = handle
        .prepare::<SpaceoneList>(&RawIn::default())
        .await
        .unwrap();
    assert_eq!(
        req.uri().to_string(),
        "http://127.0.0.1:8080/identity/job/list"
    );
    assert_eq!(req.headers()["authorization"], "Bearer spaceone-token");
    let debug = format!("{config:?}");
    assert!(
        debug.contains("CLOUDJOBS_SPACEONE_TOKEN") && !debug.contains("UNRELATED_TOKEN"),
        "{debug}"
    );
}

#[tokio::test]
async fn environment_provider_from_vars() {
    let p = EnvironmentCredentialsProvider::from_vars([
        ("AWS_ACCESS_KEY_ID", "AKIDX"),
        ("AWS_SECRET_ACCESS_KEY", "secret-x"),
        ("PATH", "/bin"),
    ]);
    let c = p.provide_credentials().await.unwrap();
    assert_eq!(
        (c.access_key_id(), c.secret_access_key(), c.session_token()),
        ("AKIDX", "secret-x", None)
    );
    let empty = EnvironmentCredentialsProvider::from_vars(Vec::<(String, String)>::new());
    assert!(empty.provide_credentials().await.is_err());
}

/// A provider whose credentials expire 10 minutes after they are issued, on a clock the test
/// moves.
#[derive(Debug)]
struct Expiring {
    calls: Arc<AtomicU32>,
    clock: Arc<AtomicU64>,
}

fn at(clock: &AtomicU64) -> SystemTime {
    vector_time() + Duration::from_secs(clock.load(Ordering::SeqCst))
}

impl ProvideCredentials for Expiring {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        let expiry = at(&self.clock) + Duration::from_secs(600);
        provider::future::ProvideCredentials::new(async move {
            Ok(Credentials::new(
                format!("AKIDGEN{n}"),
                "secret",
                Some(format!("token-{n}")),
                Some(expiry),
                "expiring",
            ))
        })
    }
}

#[tokio::test]
async fn expiring_credentials_are_refreshed_before_use() {
    let calls = Arc::new(AtomicU32::new(0));
    let clock = Arc::new(AtomicU64::new(0));
    let now = clock.clone();
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(Expiring {
            calls: calls.clone(),
            clock: clock.clone(),
        })
        .time_source(move || at(&now))
        .build();
    assert_eq!(signing_key_of(config.clone()).await.unwrap().0, "AKIDGEN1");
    // 4 minutes later: 6 minutes left, more than the 5-minute margin: cached.
    clock.store(240, Ordering::SeqCst);
    assert_eq!(signing_key_of(config.clone()).await.unwrap().0, "AKIDGEN1");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // 6 minutes later: within the margin: fetched again before use.
    clock.store(360, Ordering::SeqCst);
    let (key, token) = signing_key_of(config.clone()).await.unwrap();
    assert_eq!(
        (key.as_str(), token.as_deref()),
        ("AKIDGEN2", Some("token-2"))
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // Clones of the config share the cache.
    clock.store(400, Ordering::SeqCst);
    assert_eq!(signing_key_of(config).await.unwrap().0, "AKIDGEN2");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_app_name_comes_from_the_profile_and_reaches_the_user_agent() {
    let dir = TempDir::new("app-name");
    let config_file = dir.write(
        "config",
        "[default]\nsdk_ua_app_id = from-default\n\n[profile ops]\nsdk_ua_app_id = bad name\n",
    );
    let files = |profile: &str| {
        vars(&[
            ("AWS_CONFIG_FILE", config_file.to_str().unwrap()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/cloudjobs-creds",
            ),
            ("AWS_PROFILE", profile),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
        ])
    };
    let config = Config::from_env_vars(files("default")).await.unwrap();
    assert_eq!(config.app_name().unwrap().as_str(), "from-default");
    let handle = Handle::new(&SSM, config);
    let req = handle
        .prepare::<SsmDescribe>(&RawIn::default())
        .await
        .unwrap();
    let ua = req.headers()["user-agent"].to_str().unwrap();
    assert!(ua.ends_with(" app/from-default"), "{ua}");

    // The variable wins over the profile.
    let mut with_var = files("default");
    with_var.push(("AWS_SDK_UA_APP_ID".into(), "from-env".into()));
    let config = Config::from_env_vars(with_var).await.unwrap();
    assert_eq!(config.app_name().unwrap().as_str(), "from-env");

    // An invalid one is refused when the config is loaded, naming the profile key.
    let err = Config::from_env_vars(files("ops")).await.unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid value for sdk_ua_app_id"),
        "{err}"
    );
}
