//! Per-call customization, hooks and the app name against the in-process emulator: headers
//! added with `customize()` arrive and are signed, per-call timeouts and endpoints apply to
//! one call only, hooks see requests and responses, and the app name is in the User-Agent.
//!
//! The emulator's router is served here behind a layer that records the head of every
//! request it receives (and, when asked, alters one header before the emulator checks the
//! signature, to show that the signature covers it).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::HeaderMap;
use cloudjobs::runtime::{
    AfterResponse, AppName, BeforeSign, ConfigOverride, ConstructionErrorKind, Error, Hook,
    HookStage, TimeoutKind, error::BoxError,
};
use cloudjobs_emulator::{DEFAULT_BEARER_TOKEN, Emulator, Faults};
use futures::TryStreamExt;

/// One request as the emulator received it.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    headers: HeaderMap,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `SignedHeaders` list of the SigV4 `Authorization` header.
    fn signed_headers(&self) -> Vec<String> {
        let auth = self.header("authorization").unwrap_or_default();
        auth.split(", ")
            .find_map(|part| part.strip_prefix("SignedHeaders="))
            .map(|list| list.split(';').map(str::to_owned).collect())
            .unwrap_or_default()
    }
}

struct Recording {
    url: String,
    emulator: Emulator,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// When set, `x-trace-id` is changed on its way to the emulator.
    tamper: Arc<AtomicBool>,
}

impl Recording {
    async fn start() -> Recording {
        let emulator = Emulator::builder()
            .seed(5)
            .jobs_per_service(30)
            .build()
            .expect("emulator builds");
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let tamper: Arc<AtomicBool> = Arc::default();
        let (log, alter) = (seen.clone(), tamper.clone());
        let router = emulator.router().layer(axum::middleware::from_fn(
            move |mut req: axum::extract::Request, next: axum::middleware::Next| {
                let (log, alter) = (log.clone(), alter.clone());
                async move {
                    if alter.load(Ordering::SeqCst) {
                        req.headers_mut().insert(
                            "x-trace-id",
                            axum::http::HeaderValue::from_static("altered-on-the-way"),
                        );
                    }
                    log.lock().unwrap().push(Seen {
                        path: req.uri().path().to_owned(),
                        headers: req.headers().clone(),
                    });
                    next.run(req).await
                }
            },
        ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Recording {
            url,
            emulator,
            seen,
            tamper,
        }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn last(&self) -> Seen {
        self.seen().pop().expect("the emulator received a request")
    }

    fn aws(&self) -> cloudjobs::runtime::ConfigBuilder {
        cloudjobs::Config::builder()
            .region("us-east-1")
            .endpoint_url(&self.url)
            .credentials(cloudjobs::runtime::Credentials::new(
                cloudjobs_emulator::DEFAULT_ACCESS_KEY,
                cloudjobs_emulator::DEFAULT_SECRET_KEY,
                None,
                None,
                "emulator",
            ))
            .max_attempts(1)
    }

    fn ssm(&self) -> cloudjobs::ssm_mw::Client {
        cloudjobs::ssm_mw::Client::new(self.aws().build())
    }

    fn window(&self) -> String {
        self.emulator.seeded().ssm.window_execution_ids[0].clone()
    }
}

#[tokio::test]
async fn a_customized_header_reaches_the_emulator_signed() {
    let rec = Recording::start().await;
    let client = rec.ssm();
    let window = rec.window();

    // `prepare()` shows the header, and the signature lists it.
    let prepared = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(&window)
        .customize()
        .header("X-Trace-Id", "trace-7f3a")
        .prepare()
        .await
        .unwrap();
    assert_eq!(prepared.headers()["x-trace-id"], "trace-7f3a");
    let auth = prepared.headers()["authorization"].to_str().unwrap();
    assert!(auth.contains("x-trace-id"), "{auth}");
    assert!(rec.seen().is_empty(), "prepare sends nothing");

    // Sent: it arrives, signed, and the emulator accepts the signature.
    let out = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(&window)
        .customize()
        .header("x-trace-id", "trace-7f3a")
        .send()
        .await
        .unwrap();
    assert!(out.window_execution_task_identities.is_some());
    let seen = rec.last();
    assert_eq!(seen.header("x-trace-id"), Some("trace-7f3a"));
    assert!(
        seen.signed_headers().contains(&"x-trace-id".to_owned()),
        "{:?}",
        seen.signed_headers()
    );

    // The signature covers its value: altered on the way, the emulator refuses the request.
    rec.tamper.store(true, Ordering::SeqCst);
    let err = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(&window)
        .customize()
        .header("x-trace-id", "trace-7f3a")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidSignatureException"), "{err}");
    rec.tamper.store(false, Ordering::SeqCst);

    // Without customization the same builder sends no such header.
    client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(&window)
        .send()
        .await
        .unwrap();
    assert_eq!(rec.last().header("x-trace-id"), None);
}

#[tokio::test]
async fn an_invalid_header_fails_before_sending_and_names_the_header() {
    let rec = Recording::start().await;
    let client = rec.ssm();
    for (name, value, named) in [
        ("x-trace-id", "line\nbreak", "`x-trace-id`"),
        ("bad name", "v", "\"bad name\""),
        ("Authorization", "mine", "`authorization`"),
    ] {
        let err = client
            .describe_maintenance_window_execution_tasks()
            .window_execution_id(rec.window())
            .customize()
            .header(name, value)
            .send()
            .await
            .unwrap_err();
        let Error::Construction(e) = &err else {
            panic!("expected a construction error, got {err:?}");
        };
        assert_eq!(e.kind(), ConstructionErrorKind::InvalidRequest);
        assert!(e.message().contains(named), "{err}");
    }
    assert!(rec.seen().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn an_openapi_call_and_every_page_carry_the_header() {
    let rec = Recording::start().await;
    let client = cloudjobs::spaceone_identity::Client::new(
        cloudjobs::Config::builder()
            .endpoint_url(&rec.url)
            .bearer_token(DEFAULT_BEARER_TOKEN)
            .max_attempts(1)
            .build(),
    );
    let prepared = client
        .list_jobs()
        .customize()
        .header("x-trace-id", "spaceone-1")
        .prepare()
        .await
        .unwrap();
    assert_eq!(prepared.headers()["x-trace-id"], "spaceone-1");

    let jobs: Vec<_> = client
        .list_jobs()
        .customize()
        .header("x-trace-id", "spaceone-1")
        .into_paginator()
        .page_size(10)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(jobs.len(), rec.emulator.fixture().spaceone.len());
    let seen = rec.seen();
    assert!(seen.len() >= 3, "{} pages", seen.len());
    for s in &seen {
        assert!(s.path.ends_with("/job/list"), "{}", s.path);
        assert_eq!(s.header("x-trace-id"), Some("spaceone-1"));
    }
}

#[tokio::test]
async fn a_per_call_timeout_applies_to_that_call_only() {
    let rec = Recording::start().await;
    let client = rec.ssm();
    rec.emulator.set_faults(Faults {
        latency: Duration::from_millis(400),
        ..Faults::NONE
    });

    let err = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(rec.window())
        .customize()
        .config_override(ConfigOverride::new().attempt_timeout(Duration::from_millis(40)))
        .send()
        .await
        .unwrap_err();
    let Error::Timeout(t) = &err else {
        panic!("expected a timeout, got {err:?}");
    };
    assert_eq!(t.kind(), TimeoutKind::Attempt);
    assert_eq!(t.duration(), Some(Duration::from_millis(40)));

    let err = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(rec.window())
        .customize()
        .config_override(ConfigOverride::new().operation_timeout(Duration::from_millis(40)))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Timeout(t) if t.kind() == TimeoutKind::Operation),
        "{err:?}"
    );

    // The next call on the same client, without override, waits for the slow answer.
    client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(rec.window())
        .send()
        .await
        .unwrap();
    assert_eq!(
        client.config().timeout_config().attempt_timeout(),
        Some(cloudjobs::runtime::TimeoutConfig::DEFAULT_ATTEMPT)
    );
}

#[tokio::test]
async fn a_per_call_endpoint_goes_to_the_other_endpoint() {
    let (a, b) = (Recording::start().await, Recording::start().await);
    let client = a.ssm();
    client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(b.window())
        .customize()
        .config_override(ConfigOverride::new().endpoint_url(&b.url))
        .send()
        .await
        .unwrap();
    assert_eq!((a.seen().len(), b.seen().len()), (0, 1));
    client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(a.window())
        .send()
        .await
        .unwrap();
    assert_eq!((a.seen().len(), b.seen().len()), (1, 1));
}

/// What a hook saw of one response: operation, status, request id, attempt.
type ResponseSeen = (String, u16, Option<String>, u32);

/// Adds `x-hook-attempt` before signing and keeps what it saw of every response.
#[derive(Debug, Default)]
struct Recorder {
    responses: Mutex<Vec<ResponseSeen>>,
}

impl Hook for Recorder {
    fn name(&self) -> &str {
        "recorder"
    }
    fn before_sign(&self, request: &mut BeforeSign<'_>) -> Result<(), BoxError> {
        let value = format!("{}-{}", request.operation(), request.attempt());
        request
            .headers_mut()
            .insert("x-hook-attempt", value.parse()?);
        Ok(())
    }
    fn after_response(&self, response: &AfterResponse<'_>) -> Result<(), BoxError> {
        self.responses.lock().unwrap().push((
            response.operation().to_owned(),
            response.status(),
            response.request_id().map(str::to_owned),
            response.attempt(),
        ));
        Ok(())
    }
}

#[derive(Debug)]
struct Refuse(HookStage);

impl Hook for Refuse {
    fn before_sign(&self, _: &mut BeforeSign<'_>) -> Result<(), BoxError> {
        match self.0 {
            HookStage::BeforeSign => Err("no trace context for this request".into()),
            _ => Ok(()),
        }
    }
    fn after_response(&self, response: &AfterResponse<'_>) -> Result<(), BoxError> {
        match self.0 {
            HookStage::AfterResponse => {
                Err(format!("status {} not allowed", response.status()).into())
            }
            _ => Ok(()),
        }
    }
}

#[tokio::test]
async fn hooks_sign_their_headers_see_responses_and_fail_calls() {
    let rec = Recording::start().await;
    let recorder = Arc::new(Recorder::default());
    let client = cloudjobs::ssm_mw::Client::new(rec.aws().hook(recorder.clone()).build());
    client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(rec.window())
        .send()
        .await
        .unwrap();
    let seen = rec.last();
    assert_eq!(
        seen.header("x-hook-attempt"),
        Some("DescribeMaintenanceWindowExecutionTasks-1")
    );
    assert!(seen.signed_headers().contains(&"x-hook-attempt".to_owned()));
    let responses = recorder.responses.lock().unwrap().clone();
    assert_eq!(responses.len(), 1);
    let (op, status, request_id, attempt) = &responses[0];
    assert_eq!(
        (op.as_str(), *status, *attempt),
        ("DescribeMaintenanceWindowExecutionTasks", 200, 1)
    );
    assert!(request_id.as_deref().is_some_and(|id| !id.is_empty()));

    // A hook refusing before signing: nothing is sent, the error names it.
    let sent = rec.seen().len();
    let err = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(rec.window())
        .customize()
        .hook(Refuse(HookStage::BeforeSign))
        .send()
        .await
        .unwrap_err();
    let Error::Hook(e) = &err else {
        panic!("expected a hook error, got {err:?}");
    };
    assert_eq!(e.stage(), HookStage::BeforeSign);
    assert!(e.hook().ends_with("Refuse"), "{}", e.hook());
    assert!(
        err.to_string()
            .contains("no trace context for this request"),
        "{err}"
    );
    assert_eq!(rec.seen().len(), sent);

    // A hook refusing a response: the call fails with its message, after one attempt.
    let err = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(rec.window())
        .customize()
        .hook(Refuse(HookStage::AfterResponse))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Hook(e) if e.stage() == HookStage::AfterResponse),
        "{err:?}"
    );
    assert!(err.to_string().contains("status 200 not allowed"), "{err}");
    assert_eq!(err.attempts(), 1);
    assert_eq!(rec.seen().len(), sent + 1);
    // The config's hook ran first, on every call.
    assert_eq!(recorder.responses.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn the_app_name_is_in_the_user_agent() {
    let rec = Recording::start().await;
    let client = cloudjobs::ssm_mw::Client::new(
        rec.aws()
            .app_name(AppName::new("nightly-report").unwrap())
            .build(),
    );
    client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(rec.window())
        .send()
        .await
        .unwrap();
    let ua = rec.last().header("user-agent").unwrap().to_owned();
    assert!(ua.starts_with("cloudjobs/"), "{ua}");
    assert!(ua.ends_with(" app/nightly-report"), "{ua}");

    // One call may name another application.
    client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(rec.window())
        .customize()
        .config_override(ConfigOverride::new().app_name(AppName::new("backfill").unwrap()))
        .send()
        .await
        .unwrap();
    let ua = rec.last().header("user-agent").unwrap().to_owned();
    assert!(ua.ends_with(" app/backfill"), "{ua}");

    let err = AppName::new("nightly report").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid value for app_name: \"nightly report\" has ' '; an app name holds only \
         ASCII letters, digits and !#$%&'*+-.^_`|~"
    );
}
