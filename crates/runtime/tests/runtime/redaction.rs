//! No secret in `Debug`, `Display` or trace output: configs, handles, credentials, providers,
//! prepared requests and every error kind are formatted, and everything the runtime (and its
//! dependencies) trace at TRACE level is captured, then searched for the secrets.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudjobs_runtime::credentials::{DefaultCredentialsChain, EnvironmentCredentialsProvider};
use cloudjobs_runtime::error::Unhandled;
use cloudjobs_runtime::{
    Config, Credentials, Error, Handle, Paginator, SecretString, TimeoutConfig,
};
use futures::StreamExt;
use serde_json::json;

use crate::support::*;

const ACCESS_KEY: &str = "AKIDREDACTIONPROBE01";
const SECRET_KEY: &str = "SecretKeyRedactionProbe/wJalrXUtnFEMI";
const SESSION_TOKEN: &str = "SessionTokenRedactionProbe-FQoGZXIvYXdz";
const BEARER: &str = "BearerRedactionProbe.eyJhbGciOiJIUzI1NiJ9";

fn secrets() -> [&'static str; 3] {
    [SECRET_KEY, SESSION_TOKEN, BEARER]
}

fn assert_clean(what: &str, text: &str) {
    for secret in secrets() {
        assert!(!text.contains(secret), "{what} leaks a secret:\n{text}");
    }
    // Part of a secret is a leak too.
    assert!(!text.contains("RedactionProbe/"), "{what}:\n{text}");
    assert!(!text.contains("RedactionProbe-"), "{what}:\n{text}");
    assert!(!text.contains("RedactionProbe."), "{what}:\n{text}");
}

fn assert_clean_both<T: std::fmt::Debug + std::fmt::Display>(what: &str, value: &T) {
    assert_clean(&format!("{what} Debug"), &format!("{value:?}"));
    assert_clean(&format!("{what} Display"), &format!("{value}"));
    assert_clean(&format!("{what} alternate Debug"), &format!("{value:#?}"));
}

fn credentials() -> Credentials {
    Credentials::new(
        ACCESS_KEY,
        SECRET_KEY,
        Some(SESSION_TOKEN.to_owned()),
        None,
        "probe",
    )
}

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[test]
fn configs_handles_credentials_and_providers() {
    let sigv4 = Config::builder()
        .region("us-east-1")
        .credentials(credentials())
        .build();
    let bearer = Config::builder()
        .endpoint_url("http://127.0.0.1:9")
        .bearer_token(BEARER)
        .env_var("CLOUDJOBS_SPACEONE_TOKEN", BEARER)
        .build();
    for (name, config) in [("sigv4 config", &sigv4), ("bearer config", &bearer)] {
        let debug = format!("{config:?} {config:#?}");
        assert_clean(name, &debug);
        assert!(
            !debug.contains(ACCESS_KEY),
            "{name} shows the access key: {debug}"
        );
        let handle = Handle::new(&SSM, config.clone());
        let debug = format!("{handle:?} {handle:#?}");
        assert_clean(name, &debug);
        assert!(!debug.contains(ACCESS_KEY), "{debug}");
    }
    assert!(format!("{bearer:?}").contains("** redacted **"));

    // Credentials' own Debug (from aws-credential-types) hides the secret and token.
    assert_clean("credentials", &format!("{:?}", credentials()));
    let token = SecretString::new(BEARER);
    assert_clean_both("secret string", &token);

    let env = EnvironmentCredentialsProvider::from_vars([
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
        ("AWS_SESSION_TOKEN", SESSION_TOKEN),
    ]);
    assert_clean("env provider", &format!("{env:?}"));
    let chain = DefaultCredentialsChain::from_vars(
        &[("AWS_SECRET_ACCESS_KEY".to_owned(), SECRET_KEY.to_owned())]
            .into_iter()
            .collect(),
    );
    assert_clean("chain", &format!("{chain:?}"));
}

#[tokio::test]
async fn prepared_requests() {
    let sigv4 = Handle::new(
        &SSM,
        Config::builder()
            .region("us-east-1")
            .credentials(credentials())
            .build(),
    );
    let req = sigv4
        .prepare::<SsmDescribe>(&RawIn::default())
        .await
        .unwrap();
    assert_eq!(
        req.headers()["x-amz-security-token"],
        SESSION_TOKEN,
        "the token is sent"
    );
    assert_clean("sigv4 request", &format!("{req:?}"));
    let bearer = Handle::new(
        &SPACEONE,
        Config::builder()
            .endpoint_url("http://127.0.0.1:9")
            .bearer_token(BEARER)
            .build(),
    );
    let req = bearer
        .prepare::<SpaceoneList>(&RawIn::default())
        .await
        .unwrap();
    assert_clean("bearer request", &format!("{req:?}"));
}

/// Every kind of error, produced for real with secrets configured, plus everything traced
/// meanwhile at TRACE level.
#[tokio::test(start_paused = true)]
async fn every_error_kind_and_all_trace_output() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = TestServer::start(|req, _| {
        let body = req.json();
        if body.get("NextToken").is_some() {
            return Reply::json(200, json!({"Items": [1], "NextToken": "same"}));
        }
        match body["case"].as_str() {
            Some("ok") => {
                Reply::json(200, json!({"fine": true})).with_header("x-amzn-RequestId", "rid-ok-1")
            }
            Some("throttle") => Reply::json(400, json!({"__type": "ThrottlingException"})),
            Some("bad-json") => {
                Reply::raw(200, "{not json").with_header("x-amzn-RequestId", "rid-bad-1")
            }
            Some("hang") => Reply::Hang,
            _ => Reply::json(
                404,
                json!({"detail": {"code": "ERROR_NOT_FOUND", "message": "no job"}}),
            )
            .with_header("x-request-id", "rid-nf-1"),
        }
    })
    .await;
    let sigv4 = Handle::new(
        &SSM,
        local_config(&server)
            .credentials(credentials())
            .bearer_token(BEARER)
            .timeout_config(TimeoutConfig::disabled().with_attempt_timeout(Duration::from_secs(1)))
            .build(),
    );
    let bearer = Handle::new(
        &SPACEONE,
        local_config(&server)
            .bearer_token(BEARER)
            .timeout_config(
                TimeoutConfig::disabled().with_operation_timeout(Duration::from_secs(1)),
            )
            .build(),
    );
    let case = |c: &str| RawIn::body(&json!({"case": c}).to_string());

    let mut errors: Vec<(&str, Error<Unhandled>)> = Vec::new();
    // Success (traced) and success after a throttling retry.
    sigv4.invoke::<SsmDescribe>(case("ok")).await.unwrap();
    // Service error.
    errors.push((
        "service",
        bearer
            .invoke::<SpaceoneList>(case("not-found"))
            .await
            .unwrap_err(),
    ));
    errors.push((
        "service after retries",
        sigv4
            .invoke::<SsmDescribe>(case("throttle"))
            .await
            .unwrap_err(),
    ));
    // Invalid input.
    let invalid = RawIn {
        catalog: Some("1".into()),
        ..case("ok")
    };
    errors.push((
        "invalid input",
        sigv4.invoke::<SsmDescribe>(invalid).await.unwrap_err(),
    ));
    // Construction: no token for this handle.
    let no_token = Handle::new(
        &SPACEONE,
        Config::builder().endpoint_url(server.url()).build(),
    );
    errors.push((
        "construction",
        no_token
            .invoke::<SpaceoneList>(case("ok"))
            .await
            .unwrap_err(),
    ));
    // Undecodable response.
    errors.push((
        "response",
        sigv4
            .invoke::<SsmDescribe>(case("bad-json"))
            .await
            .unwrap_err(),
    ));
    // Attempt timeout, operation timeout.
    errors.push((
        "attempt timeout",
        sigv4.invoke::<SsmDescribe>(case("hang")).await.unwrap_err(),
    ));
    errors.push((
        "operation timeout",
        bearer
            .invoke::<SpaceoneList>(case("hang"))
            .await
            .unwrap_err(),
    ));
    // Dispatch: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let dead = Handle::new(
        &SSM,
        local_config(&server)
            .endpoint_url(dead_url)
            .credentials(credentials())
            .max_attempts(2)
            .build(),
    );
    errors.push((
        "dispatch",
        dead.invoke::<SsmDescribe>(case("ok")).await.unwrap_err(),
    ));
    // Pagination.
    let pages: Vec<_> =
        Paginator::<crate::paginate::TokenList>::new(sigv4.clone(), Default::default())
            .pages()
            .collect()
            .await;
    match pages.into_iter().last() {
        Some(Err(e)) => errors.push(("pagination", e)),
        _ => panic!("expected a pagination error"),
    }

    let kinds: Vec<&str> = errors
        .iter()
        .map(|(_, e)| match e {
            Error::InvalidInput(_) => "InvalidInput",
            Error::Construction(_) => "Construction",
            Error::Dispatch(_) => "Dispatch",
            Error::Timeout(_) => "Timeout",
            Error::Response(_) => "Response",
            Error::Pagination(_) => "Pagination",
            Error::Service { .. } => "Service",
            _ => "other",
        })
        .collect();
    for kind in [
        "InvalidInput",
        "Construction",
        "Dispatch",
        "Timeout",
        "Response",
        "Pagination",
        "Service",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    for (what, err) in &errors {
        assert_clean_both(what, err);
        // The source chain too.
        let mut source = std::error::Error::source(err);
        while let Some(s) = source {
            assert_clean(what, &format!("{s} {s:?}"));
            source = s.source();
        }
        assert!(!err.to_string().is_empty());
    }

    drop(_guard);
    let trace = buffer.text();
    assert_clean("trace output", &trace);
    assert!(
        !trace.to_ascii_lowercase().contains("authorization: "),
        "headers traced:\n{trace}"
    );
    // The spans carry what an operator needs.
    assert!(
        trace.contains(
            "operation{service=\"ssm\" operation=\"DescribeMaintenanceWindowExecutionTasks\""
        ),
        "{trace}"
    );
    assert!(trace.contains("attempt{attempt=1"), "{trace}");
    assert!(trace.contains("status=200"), "{trace}");
    assert!(trace.contains("request_id=\"rid-ok-1\""), "{trace}");
    assert!(trace.contains("request_id=\"rid-nf-1\""), "{trace}");
    assert!(
        trace.contains("attempt{attempt=3"),
        "retries are traced:\n{trace}"
    );
    assert!(trace.contains("retrying"), "{trace}");
}

/// An API key sent in the query is in the request, and nowhere in what is traced or in the
/// errors (reqwest's errors show their URL; not this one).
#[tokio::test(start_paused = true)]
async fn an_api_key_in_the_query_is_not_traced() {
    const KEY: &str = "QueryKeyRedactionProbe";
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = TestServer::scripted(vec![Reply::json(200, json!({}))]).await;
    let handle = Handle::new(&KEYS, local_config(&server).api_key(KEY).build());
    handle.invoke::<KeysGet>(RawIn::default()).await.unwrap();
    let seen = server.requests.lock().unwrap()[0].target.clone();
    assert!(seen.contains(&format!("api_key={KEY}")), "{seen}");

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let dead = Handle::new(
        &KEYS,
        local_config(&server)
            .endpoint_url(dead_url)
            .api_key(KEY)
            .max_attempts(1)
            .build(),
    );
    let err = dead.invoke::<KeysGet>(RawIn::default()).await.unwrap_err();
    assert!(matches!(err, Error::Dispatch(_)), "{err:?}");
    let mut chain = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        chain.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    assert!(!chain.contains(KEY), "{chain}");

    drop(_guard);
    let trace = buffer.text();
    assert!(!trace.contains(KEY), "{trace}");
    assert!(trace.contains("api_key=**"), "{trace}");
}
