//! Retries, backoff, Retry-After, the retry budget and timeouts, against a scripted server.
//! Tests that wait use tokio's paused clock: no real sleeps.

use std::time::Duration;

use cloudjobs_runtime::{Error, Handle, RetryConfig, TimeoutConfig, TimeoutKind};
use serde_json::json;
use tokio::time::Instant;

use crate::support::*;

fn throttled() -> Reply {
    Reply::json(
        400,
        json!({"__type": "ThrottlingException", "message": "Rate exceeded"}),
    )
}

fn ok() -> Reply {
    Reply::json(200, json!({"ok": true})).with_header("x-amzn-RequestId", "rid-ok")
}

#[tokio::test(start_paused = true)]
async fn throttled_twice_then_success_takes_three_attempts() {
    let server = TestServer::scripted(vec![throttled(), throttled(), ok()]).await;
    let handle = Handle::new(&SSM, local_config(&server).build());
    let out = handle
        .invoke::<SsmDescribe>(RawIn::body("{}"))
        .await
        .expect("success");
    assert_eq!(out.json, json!({"ok": true}));
    assert_eq!(server.count(), 3);
}

#[tokio::test(start_paused = true)]
async fn service_throttling_codes_and_429_are_retried() {
    let server = TestServer::scripted(vec![
        Reply::json(
            400,
            json!({"detail": {"code": "ERROR_TOO_MANY_REQUESTS", "message": "slow down"}}),
        ),
        Reply::json(429, json!({})),
        ok(),
    ])
    .await;
    let handle = Handle::new(&SPACEONE, local_config(&server).build());
    handle
        .invoke::<SpaceoneList>(RawIn::default())
        .await
        .expect("success");
    assert_eq!(server.count(), 3);
}

#[tokio::test(start_paused = true)]
async fn validation_error_is_returned_after_exactly_one_attempt() {
    let server = TestServer::scripted(vec![
        Reply::json(
            400,
            json!({"__type": "ValidationException", "Message": "bad catalog"}),
        ),
        ok(),
    ])
    .await;
    let handle = Handle::new(&PARTNER_CENTRAL, local_config(&server).build());
    let err = handle
        .invoke::<PcsList>(RawIn::default())
        .await
        .unwrap_err();
    let Error::Service {
        err: service,
        attempts,
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(*attempts, 1);
    assert_eq!(service.meta.code.as_deref(), Some("ValidationException"));
    assert_eq!(server.count(), 1);
    for status in [401, 403, 404, 409] {
        let server = TestServer::scripted(vec![Reply::json(status, json!({})), ok()]).await;
        let handle = Handle::new(&SPACEONE, local_config(&server).build());
        let err = handle
            .invoke::<SpaceoneList>(RawIn::default())
            .await
            .unwrap_err();
        assert_eq!(err.attempts(), 1, "{status}");
        assert_eq!(err.status(), Some(status));
        assert_eq!(server.count(), 1, "{status}");
    }
}

#[tokio::test(start_paused = true)]
async fn max_attempts_bound_the_call() {
    for (max, want) in [(1, 1), (3, 3), (5, 5)] {
        let server = TestServer::scripted(vec![Reply::json(503, json!({"message": "down"}))]).await;
        let handle = Handle::new(&SSM, local_config(&server).max_attempts(max).build());
        let err = handle
            .invoke::<SsmDescribe>(RawIn::default())
            .await
            .unwrap_err();
        assert_eq!(err.attempts(), want);
        assert_eq!(server.count(), want as usize);
        assert!(
            err.to_string().contains(&format!("{want} attempt")),
            "{err}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_seconds_is_honoured() {
    let server = TestServer::scripted(vec![
        Reply::json(503, json!({})).with_header("Retry-After", "7"),
        ok(),
    ])
    .await;
    let retry = RetryConfig::standard().with_initial_backoff(Duration::from_millis(1));
    let handle = Handle::new(&SSM, local_config(&server).retry_config(retry).build());
    let start = Instant::now();
    handle
        .invoke::<SsmDescribe>(RawIn::default())
        .await
        .expect("success");
    let waited = start.elapsed();
    assert!(waited >= Duration::from_secs(7), "{waited:?}");
    assert!(waited < Duration::from_secs(8), "{waited:?}");
    assert_eq!(server.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn retry_after_http_date_is_honoured() {
    // The time source says 2015-08-30T12:36:00Z; the server asks to come back 5 s later.
    let server = TestServer::scripted(vec![
        Reply::json(429, json!({})).with_header("Retry-After", "Sun, 30 Aug 2015 12:36:05 GMT"),
        ok(),
    ])
    .await;
    let retry = RetryConfig::standard().with_initial_backoff(Duration::from_millis(1));
    let config = local_config(&server)
        .retry_config(retry)
        .time_source(vector_time)
        .build();
    let handle = Handle::new(&SSM, config);
    let start = Instant::now();
    handle
        .invoke::<SsmDescribe>(RawIn::default())
        .await
        .expect("success");
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_secs(5) && waited < Duration::from_secs(6),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn backoff_is_capped_and_jittered() {
    let server = TestServer::scripted(vec![Reply::json(500, json!({}))]).await;
    let retry = RetryConfig::standard()
        .with_max_attempts(6)
        .with_initial_backoff(Duration::from_secs(1))
        .with_max_backoff(Duration::from_secs(2));
    let handle = Handle::new(&SSM, local_config(&server).retry_config(retry).build());
    let start = Instant::now();
    let err = handle
        .invoke::<SsmDescribe>(RawIn::default())
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 6);
    // Five waits, each at most min(2 s, 1 s * 2^n).
    assert!(
        start.elapsed() <= Duration::from_secs(1 + 2 + 2 + 2 + 2),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn retry_budget_exhausts() {
    let server = TestServer::scripted(vec![Reply::json(500, json!({}))]).await;
    // 10 tokens: two retries (5 each), then none left for this client.
    let retry = RetryConfig::standard().with_retry_budget(10);
    let handle = Handle::new(&SSM, local_config(&server).retry_config(retry).build());
    let err = handle
        .invoke::<SsmDescribe>(RawIn::default())
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 3);
    assert_eq!(server.count(), 3);
    // Clones share the budget: the next call fails fast, without a retry.
    let clone = handle.clone();
    let err = clone
        .invoke::<SsmDescribe>(RawIn::default())
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.count(), 4);
    // A new client has its own budget.
    let other = Handle::new(&SSM, local_config(&server).build());
    let err = other
        .invoke::<SsmDescribe>(RawIn::default())
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 3);
    // Without a budget, retries go on up to the attempt limit.
    let unlimited = Handle::new(
        &SSM,
        local_config(&server)
            .retry_config(
                RetryConfig::standard()
                    .with_retry_budget(0)
                    .without_retry_budget(),
            )
            .build(),
    );
    for _ in 0..3 {
        assert_eq!(
            unlimited
                .invoke::<SsmDescribe>(RawIn::default())
                .await
                .unwrap_err()
                .attempts(),
            3
        );
    }
}

#[tokio::test(start_paused = true)]
async fn successes_refill_the_budget() {
    let fail_then_ok = |i: usize| {
        if i.is_multiple_of(2) {
            Reply::json(500, json!({}))
        } else {
            ok()
        }
    };
    let server = TestServer::start(move |_, i| fail_then_ok(i)).await;
    // 5 tokens: one retry at a time; a success after a retry gives its cost back.
    let retry = RetryConfig::standard().with_retry_budget(5);
    let handle = Handle::new(&SSM, local_config(&server).retry_config(retry).build());
    for _ in 0..5 {
        handle
            .invoke::<SsmDescribe>(RawIn::default())
            .await
            .expect("retry succeeds");
    }
    assert_eq!(server.count(), 10);
}

#[tokio::test(start_paused = true)]
async fn operation_timeout_bounds_the_call() {
    let server = TestServer::scripted(vec![Reply::Hang]).await;
    let timeouts = TimeoutConfig::disabled().with_operation_timeout(Duration::from_secs(2));
    let handle = Handle::new(&SSM, local_config(&server).timeout_config(timeouts).build());
    let start = Instant::now();
    let err = handle
        .invoke::<SsmDescribe>(RawIn::default())
        .await
        .unwrap_err();
    let Error::Timeout(t) = &err else {
        panic!("{err}")
    };
    assert_eq!(t.kind(), TimeoutKind::Operation);
    assert_eq!(t.duration(), Some(Duration::from_secs(2)));
    assert_eq!(err.attempts(), 1);
    assert!(err.is_timeout());
    assert!(start.elapsed() >= Duration::from_secs(2) && start.elapsed() < Duration::from_secs(3));
    assert!(err.to_string().contains("operation timeout"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn attempt_timeouts_are_retried_for_every_operation_by_default() {
    let server = TestServer::scripted(vec![Reply::Hang, Reply::Hang, ok()]).await;
    let timeouts = TimeoutConfig::disabled().with_attempt_timeout(Duration::from_secs(1));
    let handle = Handle::new(
        &SSM,
        local_config(&server)
            .timeout_config(timeouts.clone())
            .build(),
    );
    handle
        .invoke::<SsmDescribe>(RawIn::default())
        .await
        .expect("third attempt answers");
    assert_eq!(server.count(), 3);

    let server = TestServer::scripted(vec![Reply::Hang]).await;
    let handle = Handle::new(
        &SSM,
        local_config(&server)
            .timeout_config(timeouts.clone())
            .build(),
    );
    let err = handle
        .invoke::<SsmDescribe>(RawIn::default())
        .await
        .unwrap_err();
    let Error::Timeout(t) = &err else {
        panic!("{err}")
    };
    assert_eq!(t.kind(), TimeoutKind::Attempt);
    assert_eq!(t.attempts(), 3);
    assert_eq!(server.count(), 3);

    // As in the AWS SDKs, an operation the spec does not mark idempotent is retried after a
    // timeout too...
    let server = TestServer::scripted(vec![Reply::Hang]).await;
    let handle = Handle::new(
        &SPACEONE,
        local_config(&server)
            .timeout_config(timeouts.clone())
            .build(),
    );
    let err = handle
        .invoke::<SpaceoneDelete>(RawIn::default())
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 3);
    assert_eq!(server.count(), 3);
    let stats = handle.retry_stats();
    assert_eq!((stats.attempts, stats.timeout_retries), (3, 2));

    // ...unless the user keeps replays to idempotent operations.
    let server = TestServer::scripted(vec![Reply::Hang]).await;
    let handle = Handle::new(
        &SPACEONE,
        local_config(&server)
            .timeout_config(timeouts)
            .retry_config(RetryConfig::standard().with_transport_retries_for_idempotent_only())
            .build(),
    );
    let err = handle
        .invoke::<SpaceoneDelete>(RawIn::default())
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_wait_beyond_the_operation_deadline_returns_the_error_at_once() {
    let server = TestServer::scripted(vec![
        Reply::json(503, json!({"message": "later"})).with_header("Retry-After", "3600"),
    ])
    .await;
    let timeouts = TimeoutConfig::disabled().with_operation_timeout(Duration::from_secs(60));
    let handle = Handle::new(&SSM, local_config(&server).timeout_config(timeouts).build());
    let start = Instant::now();
    let err = handle
        .invoke::<SsmDescribe>(RawIn::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Service { attempts: 1, .. }), "{err}");
    assert!(start.elapsed() < Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn connection_failures_are_retried_then_reported() {
    // A port nothing listens on: bind, read the port, close.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let config = cloudjobs_runtime::Config::builder()
        .endpoint_url(format!("http://{addr}"))
        .region("us-east-1")
        .credentials(example_credentials())
        .http_client(test_http_client())
        .timeout_config(TimeoutConfig::disabled())
        .build();
    let handle = Handle::new(&SSM, config);
    let err = handle
        .invoke::<SsmDescribe>(RawIn::default())
        .await
        .unwrap_err();
    let Error::Dispatch(d) = &err else {
        panic!("{err}")
    };
    assert!(d.is_connect());
    assert_eq!(d.attempts(), 3);
    assert!(std::error::Error::source(d).is_some());
    assert!(err.to_string().contains("3 attempts"), "{err}");
}
