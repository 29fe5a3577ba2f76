//! The awsJson1_1 wire fixture: every member in the body, with the idempotency token filled
//! and the host prefix applied.

use cloudjobs_runtime::{Config, Credentials, ErrorMetadata, HttpResponse, Operation};
use wire_fixture_json::Client;
use wire_fixture_json::operation::start_job::{StartJob, StartJobError, StartJobInput};

#[tokio::test]
async fn everything_in_the_body() {
    let client = Client::new(
        Config::builder()
            .endpoint_url("https://example.com")
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", "secret", None, None, "test"))
            .build(),
    );
    let mut input = StartJobInput::default();
    input.account_id = Some("123".into());
    input.size = Some(3);
    let req = client.handle().prepare::<StartJob>(&input).await.unwrap();
    assert_eq!(req.method(), http::Method::POST);
    assert_eq!(req.uri().to_string(), "https://123.example.com/");
    assert_eq!(
        req.headers()["content-type"],
        "application/x-amz-json-1.1"
    );
    assert_eq!(req.headers()["x-amz-target"], "WireFix.StartJob");
    let body: serde_json::Value = serde_json::from_slice(req.body()).unwrap();
    assert_eq!(body["AccountId"], "123");
    assert_eq!(body["Size"], 3);
    assert_eq!(body["ClientToken"].as_str().map(str::len), Some(36));

    let out = StartJob::deserialize_output(&HttpResponse {
        status: 200,
        headers: http::HeaderMap::new(),
        body: bytes::Bytes::from_static(br#"{"JobId":"j-1"}"#),
    })
    .unwrap();
    assert_eq!(out.job_id.as_deref(), Some("j-1"));
    let err = StartJob::deserialize_error(
        ErrorMetadata {
            code: Some("Other".into()),
            status: 400,
            ..ErrorMetadata::default()
        },
        &HttpResponse {
            status: 400,
            headers: http::HeaderMap::new(),
            body: bytes::Bytes::from_static(b"{}"),
        },
    );
    assert!(matches!(err, StartJobError::Unhandled(_)));
    let all: wire_fixture_json::Error = err.into();
    assert!(matches!(all, wire_fixture_json::Error::Unhandled(_)));
}
