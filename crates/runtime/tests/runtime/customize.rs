//! Per-call customization and hooks on the wire: the order hooks run in, one call's
//! settings leaving the client's alone, and what every attempt carries.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudjobs_runtime::error::BoxError;
use cloudjobs_runtime::{
    AfterResponse, BeforeSign, ConfigOverride, Customized, Error, Handle, Hook, RetryConfig,
};

use crate::support::*;

/// Hook label, status, attempt.
type StatusSeen = (&'static str, u16, u32);

/// Appends its label to `x-order` before signing and logs the statuses it sees.
#[derive(Debug)]
struct Label {
    label: &'static str,
    statuses: Arc<Mutex<Vec<StatusSeen>>>,
}

impl Hook for Label {
    fn before_sign(&self, request: &mut BeforeSign<'_>) -> Result<(), BoxError> {
        let value = format!("{}@{}", self.label, request.attempt());
        request.headers_mut().append("x-order", value.parse()?);
        Ok(())
    }
    fn after_response(&self, response: &AfterResponse<'_>) -> Result<(), BoxError> {
        self.statuses
            .lock()
            .unwrap()
            .push((self.label, response.status(), response.attempt()));
        Ok(())
    }
}

fn fast_retries() -> RetryConfig {
    RetryConfig::standard().with_initial_backoff(Duration::from_millis(1))
}

#[tokio::test]
async fn hooks_run_in_order_on_every_attempt_and_are_signed() {
    let server = TestServer::scripted(vec![
        Reply::json(500, serde_json::json!({"message": "boom"})),
        Reply::json(200, serde_json::json!({})),
    ])
    .await;
    let statuses = Arc::new(Mutex::new(Vec::new()));
    let label = |label| Label {
        label,
        statuses: statuses.clone(),
    };
    let config = local_config(&server)
        .retry_config(fast_retries())
        .hook(label("first"))
        .hook(label("second"))
        .build();
    let handle = Handle::new(&SSM, config);
    Customized::<SsmDescribe>::new(handle, RawIn::default())
        .hook(label("call"))
        .send()
        .await
        .unwrap();

    assert_eq!(server.count(), 2);
    for attempt in [1, 2] {
        let request = server.request(attempt - 1);
        let order = request
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("x-order"))
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>();
        assert_eq!(
            order,
            [
                format!("first@{attempt}"),
                format!("second@{attempt}"),
                format!("call@{attempt}")
            ]
        );
        let auth = request.header("authorization").unwrap();
        assert!(
            auth.contains(";x-order;") || auth.contains(";x-order,"),
            "{auth}"
        );
    }
    assert_eq!(
        *statuses.lock().unwrap(),
        [
            ("first", 500, 1),
            ("second", 500, 1),
            ("call", 500, 1),
            ("first", 200, 2),
            ("second", 200, 2),
            ("call", 200, 2),
        ]
    );
}

#[tokio::test]
async fn an_override_of_attempts_applies_to_one_call() {
    let server = TestServer::scripted(vec![
        Reply::json(500, serde_json::json!({"message": "boom"})),
        Reply::json(500, serde_json::json!({"message": "boom"})),
        Reply::json(200, serde_json::json!({})),
    ])
    .await;
    let handle = Handle::new(
        &SSM,
        local_config(&server).retry_config(fast_retries()).build(),
    );
    let err = Customized::<SsmDescribe>::new(handle.clone(), RawIn::default())
        .config_override(ConfigOverride::new().max_attempts(1))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Service { attempts: 1, .. }), "{err:?}");
    assert_eq!(server.count(), 1);
    // The client keeps its three attempts: the next call is retried and succeeds.
    handle
        .invoke::<SsmDescribe>(RawIn::default())
        .await
        .unwrap();
    assert_eq!(server.count(), 3);
    // The retries of both calls count in the client's one retry state.
    assert_eq!(handle.retry_stats().attempts, 3);
}

#[tokio::test]
async fn headers_replace_bound_ones_and_edits_see_the_built_request() {
    let server = TestServer::scripted(vec![Reply::json(200, serde_json::json!({}))]).await;
    let handle = Handle::new(&SSM, local_config(&server).build());
    let mut input = RawIn::default();
    input.headers.push(("x-bound".into(), "from-input".into()));
    let request = Customized::<SsmDescribe>::new(handle, input)
        .header("x-bound", "from-call")
        .mutate_request(|r| {
            let target = r.headers()["x-amz-target"].clone();
            r.headers_mut().insert("x-seen-target", target);
        })
        .prepare()
        .await
        .unwrap();
    assert_eq!(
        request
            .headers()
            .get_all("x-bound")
            .iter()
            .collect::<Vec<_>>(),
        ["from-call"]
    );
    assert_eq!(
        request.headers()["x-seen-target"],
        "AmazonSSM.DescribeMaintenanceWindowExecutionTasks"
    );
    let auth = request.headers()["authorization"].to_str().unwrap();
    assert!(
        auth.contains("x-bound") && auth.contains("x-seen-target"),
        "{auth}"
    );
    assert_eq!(server.count(), 0);
}
