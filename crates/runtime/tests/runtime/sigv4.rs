//! SigV4 golden vectors and session tokens, through `Handle::prepare`.

use cloudjobs_runtime::{Config, Credentials, Handle, ServiceMeta};
use serde_json::Value;

use crate::support::*;

fn vectors() -> Vec<Value> {
    let text = include_str!("../fixtures/sigv4_vectors.json");
    serde_json::from_str(text).expect("vectors")
}

fn vector(name_prefix: &str) -> Value {
    vectors()
        .into_iter()
        .find(|v| v["name"].as_str().unwrap().starts_with(name_prefix))
        .expect("vector")
}

fn frozen_config(creds: Credentials) -> Config {
    Config::builder()
        .region("us-east-1")
        .credentials(creds)
        .time_source(vector_time)
        .build()
}

async fn check_vector<O>(service: &'static ServiceMeta, name_prefix: &str)
where
    O: cloudjobs_runtime::Operation<Input = RawIn>,
{
    let v = vector(name_prefix);
    let creds = Credentials::new(
        v["access_key"].as_str().unwrap(),
        v["secret_key"].as_str().unwrap(),
        None,
        None,
        "test",
    );
    let handle = Handle::new(service, frozen_config(creds));
    let input = RawIn::body(v["body"].as_str().unwrap());
    let req = handle.prepare::<O>(&input).await.expect("prepare");

    assert_eq!(req.method().as_str(), v["method"].as_str().unwrap());
    assert_eq!(req.uri().to_string(), v["url"].as_str().unwrap());
    assert_eq!(req.body().as_ref(), v["body"].as_str().unwrap().as_bytes());
    for (name, value) in v["request_headers_in"].as_object().unwrap() {
        assert_eq!(
            req.headers()[name.as_str()].to_str().unwrap(),
            value.as_str().unwrap(),
            "{name}"
        );
    }
    if v["request_headers_in"].get("X-Amz-Target").is_none() {
        assert!(req.headers().get("x-amz-target").is_none());
    }
    assert_eq!(
        req.headers()["x-amz-date"].to_str().unwrap(),
        v["x_amz_date"].as_str().unwrap()
    );
    assert_eq!(
        req.headers()["authorization"].to_str().unwrap(),
        v["authorization"].as_str().unwrap()
    );
    assert_eq!(
        req.headers()["content-length"].to_str().unwrap(),
        v["body"].as_str().unwrap().len().to_string()
    );
    assert!(req.headers().get("x-amz-security-token").is_none());
}

#[tokio::test]
async fn golden_vector_ssm_aws_json_1_1() {
    check_vector::<SsmDescribe>(&SSM, "ssm").await;
}

#[tokio::test]
async fn golden_vector_macie2_rest_json_1() {
    check_vector::<MacieList>(&MACIE2, "macie2").await;
}

#[tokio::test]
async fn golden_vector_partner_central_aws_json_1_0() {
    check_vector::<PcsList>(&PARTNER_CENTRAL, "partnercentral").await;
}

#[tokio::test]
async fn session_token_is_sent_and_signed() {
    let token = "FQoGZXIvYXdzEJr-session-token-example";
    let creds = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Some(token.to_owned()),
        None,
        "test",
    );
    let handle = Handle::new(&SSM, frozen_config(creds));
    let input = RawIn::body(r#"{"WindowExecutionId":"12345678-1234-1234-1234-123456789012"}"#);
    let req = handle.prepare::<SsmDescribe>(&input).await.unwrap();
    assert_eq!(
        req.headers()["x-amz-security-token"].to_str().unwrap(),
        token
    );
    let auth = req.headers()["authorization"].to_str().unwrap();
    assert!(
        auth.contains(
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,"
        ),
        "{auth}"
    );
    // The token changes the signature.
    assert!(!auth.ends_with(vector("ssm")["signature"].as_str().unwrap()));
    // Secret headers are marked sensitive, so `Debug` of the request hides them.
    let debug = format!("{req:?}");
    assert!(!debug.contains(token), "{debug}");
    assert!(!debug.contains("Signature="), "{debug}");
}

#[tokio::test]
async fn awsjson_without_body_sends_empty_object_and_protocol_headers() {
    let handle = Handle::new(&PARTNER_CENTRAL, frozen_config(example_credentials()));
    let req = handle.prepare::<PcsList>(&RawIn::default()).await.unwrap();
    assert_eq!(req.body().as_ref(), b"{}");
    assert_eq!(req.headers()["content-length"], "2");
    assert_eq!(
        req.headers()["x-amz-target"],
        "AWSPartnerCentralSelling.ListResourceSnapshotJobs"
    );
    assert_eq!(req.headers()["content-type"], "application/x-amz-json-1.0");
    assert_eq!(
        req.headers()["host"],
        "partnercentral-selling.us-east-1.api.aws"
    );
    let ua = req.headers()["user-agent"].to_str().unwrap();
    assert!(
        ua.starts_with("cloudjobs/") && ua.contains("(partnercentral-selling)"),
        "{ua}"
    );
}

#[tokio::test]
async fn each_attempt_is_signed_afresh_on_the_wire() {
    let server = TestServer::scripted(vec![
        Reply::json(500, serde_json::json!({"message": "boom"})),
        Reply::json(200, serde_json::json!({})),
    ])
    .await;
    let clock = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let tick = clock.clone();
    let config = local_config(&server)
        .retry_config(
            cloudjobs_runtime::RetryConfig::standard()
                .with_initial_backoff(std::time::Duration::from_millis(1)),
        )
        .time_source(move || {
            vector_time()
                + std::time::Duration::from_secs(
                    tick.fetch_add(1, std::sync::atomic::Ordering::SeqCst),
                )
        })
        .build();
    let handle = Handle::new(&SSM, config);
    handle
        .invoke::<SsmDescribe>(RawIn::body("{}"))
        .await
        .expect("second attempt succeeds");
    assert_eq!(server.count(), 2);
    let (a, b) = (server.request(0), server.request(1));
    assert_ne!(a.header("x-amz-date"), b.header("x-amz-date"));
    assert_ne!(a.header("authorization"), b.header("authorization"));
    assert_eq!(
        a.header("x-amz-target"),
        Some("AmazonSSM.DescribeMaintenanceWindowExecutionTasks")
    );
    assert_eq!(a.header("host"), Some(server.addr.to_string().as_str()));
    assert!(clock.load(std::sync::atomic::Ordering::SeqCst) >= 2);
}
