//! The runtime's half of the HTTP bindings: bound headers, host prefixes, raw bodies with
//! their content type, unsigned operations, success statuses and retries the spec asks for.

use std::time::Duration;

use cloudjobs_runtime::error::Unhandled;
use cloudjobs_runtime::{
    Error, ErrorMetadata, ErrorRetry, Handle, HttpRequest, HttpResponse, InvalidInput, Operation,
    OperationMeta, RetryConfig, ServiceMeta, Validation,
};

use crate::support::*;

/// Input of the bound operation: everything goes into the request as given.
#[derive(Debug, Clone, Default)]
struct BoundIn {
    request: HttpRequest,
}

macro_rules! bound_op {
    ($name:ident, $svc:expr, $method:ident, $path:literal, $unsigned:expr, $host:expr, $status:expr, $retry:expr) => {
        struct $name;
        impl Operation for $name {
            type Input = BoundIn;
            type Output = u16;
            type Error = Unhandled;
            const SERVICE: &'static ServiceMeta = $svc;
            const META: OperationMeta = OperationMeta {
                name: stringify!($name),
                method: http::Method::$method,
                path: $path,
                idempotent: false,
                unsigned: $unsigned,
                host_prefix: $host,
                success_status: $status,
                security: &[],
                upgrade: false,
                accept: None,
            };
            fn validate(_: &BoundIn, _: Validation) -> Result<(), InvalidInput> {
                Ok(())
            }
            fn serialize(input: &BoundIn) -> Result<HttpRequest, serde_json::Error> {
                Ok(input.request.clone())
            }
            fn deserialize_output(r: &HttpResponse) -> Result<u16, serde_json::Error> {
                Ok(r.status)
            }
            fn deserialize_error(meta: ErrorMetadata, r: &HttpResponse) -> Unhandled {
                Unhandled::new(meta, &r.body)
            }
            fn modeled_retry(error: &Unhandled) -> Option<ErrorRetry> {
                let retry: fn(&Unhandled) -> Option<ErrorRetry> = $retry;
                retry(error)
            }
        }
    };
}

bound_op!(
    Put,
    &MACIE2,
    PUT,
    "/things/{Name}",
    false,
    None,
    None,
    |_| None
);
bound_op!(Anonymous, &MACIE2, POST, "/open", true, None, None, |_| {
    None
});
bound_op!(
    Prefixed,
    &MACIE2,
    POST,
    "/p",
    false,
    Some("{Account}.data."),
    None,
    |_| None
);
bound_op!(
    Accepted,
    &MACIE2,
    POST,
    "/a",
    false,
    None,
    Some(304),
    |_| None
);
bound_op!(Busy, &MACIE2, POST, "/busy", false, None, None, |e| (e
    .meta
    .code
    .as_deref()
    == Some("Busy"))
.then_some(ErrorRetry::Throttling));

fn put_request() -> HttpRequest {
    HttpRequest {
        labels: vec![("Name", "a b".into())],
        query: vec![("tag".into(), "x".into()), ("tag".into(), "y&z".into())],
        headers: vec![
            ("X-Token".into(), "tok".into()),
            ("X-Meta-Color".into(), "red".into()),
        ],
        body: Some(b"\x00\x01raw".to_vec()),
        content_type: Some("application/octet-stream".into()),
        ..HttpRequest::default()
    }
}

#[tokio::test]
async fn headers_query_and_raw_body_go_on_the_wire_and_are_signed() {
    let server = TestServer::scripted(vec![Reply::raw(200, "")]).await;
    let handle = Handle::new(&MACIE2, local_config(&server).build());
    let status = handle
        .invoke::<Put>(BoundIn {
            request: put_request(),
        })
        .await
        .unwrap();
    assert_eq!(status, 200);
    let req = server.request(0);
    assert_eq!(req.method, "PUT");
    assert_eq!(req.target, "/things/a%20b?tag=x&tag=y%26z");
    assert_eq!(req.header("x-token"), Some("tok"));
    assert_eq!(req.header("x-meta-color"), Some("red"));
    assert_eq!(req.header("content-type"), Some("application/octet-stream"));
    assert_eq!(req.body, b"\x00\x01raw");
    let auth = req.header("authorization").unwrap();
    assert!(
        auth.contains("SignedHeaders=content-type;host;x-amz-date;x-meta-color;x-token,"),
        "{auth}"
    );
}

#[tokio::test]
async fn a_bound_content_type_wins() {
    let server = TestServer::scripted(vec![Reply::raw(200, "")]).await;
    let handle = Handle::new(&MACIE2, local_config(&server).build());
    let mut request = put_request();
    request
        .headers
        .push(("Content-Type".into(), "audio/x-wav".into()));
    handle.invoke::<Put>(BoundIn { request }).await.unwrap();
    let req = server.request(0);
    assert_eq!(req.header("content-type"), Some("audio/x-wav"));
    let all: Vec<_> = req
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .collect();
    assert_eq!(all.len(), 1, "{all:?}");
}

#[tokio::test]
async fn unsigned_operations_carry_no_signature() {
    let server = TestServer::scripted(vec![Reply::raw(200, "")]).await;
    let handle = Handle::new(&MACIE2, local_config(&server).build());
    handle
        .invoke::<Anonymous>(BoundIn::default())
        .await
        .unwrap();
    let req = server.request(0);
    assert_eq!(req.header("authorization"), None);
    assert_eq!(req.header("x-amz-date"), None);
    // No body: no content type.
    assert_eq!(req.header("content-type"), None);
    assert!(req.body.is_empty());
}

#[tokio::test]
async fn host_prefix_is_filled_and_checked() {
    let handle = Handle::new(
        &MACIE2,
        cloudjobs_runtime::Config::builder()
            .endpoint_url("https://example.com")
            .region("us-east-1")
            .credentials(example_credentials())
            .build(),
    );
    let input = |account: &str| BoundIn {
        request: HttpRequest {
            host_labels: vec![("Account", account.to_owned())],
            ..HttpRequest::default()
        },
    };
    let req = handle.prepare::<Prefixed>(&input("123")).await.unwrap();
    assert_eq!(req.uri().host(), Some("123.data.example.com"));
    assert_eq!(req.headers()["host"], "123.data.example.com");
    for bad in ["", "a/b", "a b"] {
        let err = handle.prepare::<Prefixed>(&input(bad)).await.unwrap_err();
        let Error::Construction(e) = &err else {
            panic!("{err}")
        };
        assert!(e.message().contains("Account"), "{err}");
    }
}

#[tokio::test]
async fn the_modeled_success_status_is_a_success() {
    let server = TestServer::scripted(vec![Reply::raw(304, "")]).await;
    let handle = Handle::new(&MACIE2, local_config(&server).build());
    assert_eq!(
        handle.invoke::<Accepted>(BoundIn::default()).await.unwrap(),
        304
    );
}

#[tokio::test]
async fn retryable_errors_are_retried() {
    let busy = || Reply::json(400, serde_json::json!({"code": "Busy"}));
    let server = TestServer::scripted(vec![busy(), busy(), Reply::raw(200, "")]).await;
    let retry = RetryConfig::standard().with_initial_backoff(Duration::from_millis(1));
    let handle = Handle::new(&MACIE2, local_config(&server).retry_config(retry).build());
    assert_eq!(
        handle.invoke::<Busy>(BoundIn::default()).await.unwrap(),
        200
    );
    assert_eq!(server.count(), 3);

    // The same 400 without the retry hint is final.
    let server = TestServer::scripted(vec![busy(), Reply::raw(200, "")]).await;
    let handle = Handle::new(&MACIE2, local_config(&server).build());
    let err = handle
        .invoke::<Anonymous>(BoundIn::default())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(server.count(), 1);
}
