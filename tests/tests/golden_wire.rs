//! The three AWS operations send exactly what boto3 and the AWS SDK for JavaScript send:
//! method, path, Content-Type, X-Amz-Target and JSON body (refs/aws/captures), and with a frozen
//! clock and the example credentials the SigV4 Authorization header equals the golden vectors.

mod common;

use std::time::{Duration, SystemTime};

use cloudjobs::macie2::types as m;
use cloudjobs::partner_central::types as pc;
use cloudjobs::ssm_mw::types as ssm;
use common::*;
use serde_json::{Value, json};

fn vectors() -> Vec<Value> {
    serde_json::from_str(include_str!("../fixtures/sigv4_vectors.json")).unwrap()
}

fn vector(name_prefix: &str) -> Value {
    vectors()
        .into_iter()
        .find(|v| v["name"].as_str().unwrap().starts_with(name_prefix))
        .unwrap()
}

/// Real AWS endpoints (no override), frozen at 2015-08-30T12:36:00Z like the vectors.
fn frozen_config() -> cloudjobs::Config {
    cloudjobs::Config::builder()
        .region("us-east-1")
        .credentials(cloudjobs::runtime::Credentials::new(
            ACCESS_KEY, SECRET_KEY, None, None, "test",
        ))
        .time_source(|| SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160))
        .build()
}

fn assert_matches_vector<B: AsRef<[u8]>>(req: &http_like::Req<B>, v: &Value) {
    assert_eq!(req.method, v["method"].as_str().unwrap());
    assert_eq!(req.uri, v["url"].as_str().unwrap());
    assert_eq!(
        std::str::from_utf8(req.body.as_ref()).unwrap(),
        v["body"].as_str().unwrap()
    );
    for (k, val) in v["request_headers_in"].as_object().unwrap() {
        assert_eq!(req.header(k), Some(val.as_str().unwrap()), "header {k}");
    }
    assert_eq!(
        req.header("x-amz-date"),
        Some(v["x_amz_date"].as_str().unwrap())
    );
    assert_eq!(
        req.header("authorization"),
        Some(v["authorization"].as_str().unwrap())
    );
}

/// A tiny view of `http::Request` so the test does not depend on the `http` crate directly.
mod http_like {
    pub struct Req<B> {
        pub method: String,
        pub uri: String,
        pub headers: Vec<(String, String)>,
        pub body: B,
    }
    impl<B> Req<B> {
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }
    }
}

macro_rules! view {
    ($req:expr) => {{
        let req = $req;
        http_like::Req {
            method: req.method().to_string(),
            uri: req.uri().to_string(),
            headers: req
                .headers()
                .iter()
                .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap().to_string()))
                .collect(),
            body: req.body().clone(),
        }
    }};
}

#[tokio::test]
async fn ssm_signature_equals_golden_vector() {
    let client = cloudjobs::ssm_mw::Client::new(frozen_config());
    let builder = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id("12345678-1234-1234-1234-123456789012");
    let req = client
        .handle()
        .prepare::<cloudjobs::ssm_mw::operation::describe_maintenance_window_execution_tasks::DescribeMaintenanceWindowExecutionTasks>(builder.as_input())
        .await
        .unwrap();
    assert_matches_vector(&view!(req), &vector("ssm"));
}

#[tokio::test]
async fn macie2_signature_equals_golden_vector() {
    let client = cloudjobs::macie2::Client::new(frozen_config());
    let builder = client.list_classification_jobs().max_results(10);
    let req = client
        .handle()
        .prepare::<cloudjobs::macie2::operation::list_classification_jobs::ListClassificationJobs>(
            builder.as_input(),
        )
        .await
        .unwrap();
    assert_matches_vector(&view!(req), &vector("macie2"));
}

#[tokio::test]
async fn partner_central_signature_equals_golden_vector() {
    let client = cloudjobs::partner_central::Client::new(frozen_config());
    let builder = client.list_resource_snapshot_jobs().catalog("AWS");
    let req = client
        .handle()
        .prepare::<cloudjobs::partner_central::operation::list_resource_snapshot_jobs::ListResourceSnapshotJobs>(builder.as_input())
        .await
        .unwrap();
    let v = vector("partnercentral");
    // The only endpoint of Partner Central is dual-stack (api.aws).
    assert_eq!(
        view!(&req).uri,
        "https://partnercentral-selling.us-east-1.api.aws/"
    );
    assert_matches_vector(&view!(req), &v);
}

/// Checks method, path, protocol headers and body of what reached the server.
fn assert_wire(r: &Recorded, path: &str, content_type: &str, target: Option<&str>, body: Value) {
    assert_eq!(r.method, "POST");
    assert_eq!(r.target, path);
    assert_eq!(r.header("content-type"), Some(content_type));
    assert_eq!(r.header("x-amz-target"), target);
    assert_eq!(r.json(), body);
    let auth = r.header("authorization").expect("signed");
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
        "{auth}"
    );
    assert!(r.header("x-amz-date").is_some());
}

#[tokio::test]
async fn ssm_request_matches_boto3_capture() {
    let server = MockServer::start(vec![Reply::json(200, "{}")]).await;
    let client = cloudjobs::ssm_mw::Client::new(aws_config(&server.url));
    client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id("12345678-1234-1234-1234-123456789012")
        .filters(
            ssm::MaintenanceWindowFilter::builder()
                .key("STATUS")
                .values("SUCCESS")
                .values("FAILED")
                .build(),
        )
        .max_results(10)
        .send()
        .await
        .unwrap();
    let r = &server.recorded()[0];
    assert_wire(
        r,
        "/",
        "application/x-amz-json-1.1",
        Some("AmazonSSM.DescribeMaintenanceWindowExecutionTasks"),
        json!({"WindowExecutionId": "12345678-1234-1234-1234-123456789012", "Filters": [{"Key": "STATUS", "Values": ["SUCCESS", "FAILED"]}], "MaxResults": 10}),
    );
    assert!(
        r.header("authorization")
            .unwrap()
            .contains("/us-east-1/ssm/aws4_request")
    );
}

#[tokio::test]
async fn macie2_request_matches_boto3_capture() {
    let server = MockServer::start(vec![Reply::json(200, "{}")]).await;
    let client = cloudjobs::macie2::Client::new(aws_config(&server.url));
    client
        .list_classification_jobs()
        .filter_criteria(
            m::ListJobsFilterCriteria::builder()
                .includes(
                    m::ListJobsFilterTerm::builder()
                        .comparator(m::JobComparator::Eq)
                        .key(m::ListJobsFilterKey::JobStatus)
                        .values("RUNNING")
                        .build(),
                )
                .excludes(
                    m::ListJobsFilterTerm::builder()
                        .comparator(m::JobComparator::Gt)
                        .key(m::ListJobsFilterKey::CreatedAt)
                        .values("2023-01-01T00:00:00Z")
                        .build(),
                )
                .build(),
        )
        .sort_criteria(
            m::ListJobsSortCriteria::builder()
                .attribute_name(m::ListJobsSortAttributeName::CreatedAt)
                .order_by(m::OrderBy::Desc)
                .build(),
        )
        .max_results(25)
        .next_token("prev")
        .send()
        .await
        .unwrap();
    let r = &server.recorded()[0];
    assert_wire(
        r,
        "/jobs/list",
        "application/json",
        None,
        json!({"filterCriteria": {"includes": [{"comparator": "EQ", "key": "jobStatus", "values": ["RUNNING"]}], "excludes": [{"comparator": "GT", "key": "createdAt", "values": ["2023-01-01T00:00:00Z"]}]}, "sortCriteria": {"attributeName": "createdAt", "orderBy": "DESC"}, "maxResults": 25, "nextToken": "prev"}),
    );
    assert!(
        r.header("authorization")
            .unwrap()
            .contains("/us-east-1/macie2/aws4_request")
    );
}

#[tokio::test]
async fn macie2_empty_input_sends_empty_object() {
    let server = MockServer::start(vec![Reply::json(200, "{}")]).await;
    let client = cloudjobs::macie2::Client::new(aws_config(&server.url));
    client.list_classification_jobs().send().await.unwrap();
    let r = &server.recorded()[0];
    assert_eq!(r.body, b"{}");
    assert_eq!(r.header("content-length"), Some("2"));
}

#[tokio::test]
async fn partner_central_request_matches_boto3_capture() {
    let server = MockServer::start(vec![Reply::json(
        200,
        r#"{"ResourceSnapshotJobSummaries": []}"#,
    )])
    .await;
    let client = cloudjobs::partner_central::Client::new(aws_config(&server.url));
    client
        .list_resource_snapshot_jobs()
        .catalog("Sandbox")
        .max_results(50)
        .engagement_identifier("eng-0123456789abcd")
        .status(pc::ResourceSnapshotJobStatus::Running)
        .sort(
            pc::SortObject::builder()
                .sort_by(pc::SortBy::CreatedDate)
                .sort_order(pc::SortOrder::Descending)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let r = &server.recorded()[0];
    assert_wire(
        r,
        "/",
        "application/x-amz-json-1.0",
        Some("AWSPartnerCentralSelling.ListResourceSnapshotJobs"),
        json!({"Catalog": "Sandbox", "MaxResults": 50, "EngagementIdentifier": "eng-0123456789abcd", "Status": "Running", "Sort": {"SortBy": "CreatedDate", "SortOrder": "DESCENDING"}}),
    );
    assert!(
        r.header("authorization")
            .unwrap()
            .contains("/us-east-1/partnercentral-selling/aws4_request")
    );
}
