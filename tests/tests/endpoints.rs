//! Our three AWS clients send each request where botocore's endpoint rule-set resolver does,
//! for every region botocore knows (and names only a partition's pattern claims), with FIPS and
//! dual-stack on and off, with and without a configured endpoint URL; and they refuse the
//! combinations botocore refuses, with its message.
//!
//! The samples botocore 1.44.5 resolved when the official model slices were cut
//! (`tests/fixtures/aws-models`, key `endpoints.resolved_by_botocore`) are checked too.
//!
//! The table is `tests/fixtures/endpoints.json`, written by
//! `tests/endpoints/botocore_endpoints.py` with the botocore that `tests/corpus/requirements.txt`
//! pins; `.ci/run` writes it again and fails when it differs from the committed one.

use cloudjobs::runtime::{ConfigBuilder, Credentials, Error};
use serde_json::Value;

/// The case's config; `base` carries one HTTP client for all cases (building one per client
/// would load the TLS roots 1,320 times).
fn config(case: &Value, base: &ConfigBuilder) -> cloudjobs::Config {
    let mut builder = base
        .clone()
        .region(case["region"].as_str().unwrap())
        .use_fips(case["fips"].as_bool().unwrap())
        .use_dual_stack(case["dual_stack"].as_bool().unwrap())
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
            "test",
        ));
    if let Some(url) = case["endpoint"].as_str() {
        builder = builder.endpoint_url(url);
    }
    builder.build()
}

/// The scheme and authority of the prepared request, or the message of its construction error.
macro_rules! outcome {
    ($prepared:expr) => {
        match $prepared.await {
            Ok(req) => {
                let uri = req.uri();
                Ok(format!(
                    "{}://{}",
                    uri.scheme_str().unwrap(),
                    uri.authority().unwrap()
                ))
            }
            Err(Error::Construction(e)) => Err(e.to_string()),
            Err(other) => Err(format!("not a construction error: {other}")),
        }
    };
}

/// Where our client sends the case's request, or why it cannot.
async fn resolve(case: &Value, base: &ConfigBuilder) -> Result<String, String> {
    let config = config(case, base);
    match case["crate"].as_str().unwrap() {
        "ssm-mw" => {
            use cloudjobs::ssm_mw::operation::describe_maintenance_window_execution_tasks::DescribeMaintenanceWindowExecutionTasks as Op;
            let client = cloudjobs::ssm_mw::Client::new(config);
            let builder = client
                .describe_maintenance_window_execution_tasks()
                .window_execution_id("12345678-1234-1234-1234-123456789012");
            outcome!(client.handle().prepare::<Op>(builder.as_input()))
        }
        "macie2" => {
            use cloudjobs::macie2::operation::list_classification_jobs::ListClassificationJobs as Op;
            let client = cloudjobs::macie2::Client::new(config);
            let builder = client.list_classification_jobs();
            outcome!(client.handle().prepare::<Op>(builder.as_input()))
        }
        "partner-central" => {
            use cloudjobs::partner_central::operation::list_resource_snapshot_jobs::ListResourceSnapshotJobs as Op;
            let client = cloudjobs::partner_central::Client::new(config);
            let builder = client.list_resource_snapshot_jobs().catalog("AWS");
            outcome!(client.handle().prepare::<Op>(builder.as_input()))
        }
        other => panic!("no client for crate {other}"),
    }
}

#[tokio::test]
async fn endpoints_agree_with_botocore() {
    let table: Value = serde_json::from_str(include_str!("../fixtures/endpoints.json")).unwrap();
    let cases = table["cases"].as_array().unwrap();
    assert!(cases.len() > 1000, "the table lost its cases");
    check(cases, table["botocore"].as_str().unwrap()).await;
}

#[tokio::test]
async fn endpoints_agree_with_the_official_model_slices() {
    let slices = [
        (
            "ssm-mw",
            include_str!("../fixtures/aws-models/ssm-model.json"),
        ),
        (
            "macie2",
            include_str!("../fixtures/aws-models/macie2-model.json"),
        ),
        (
            "partner-central",
            include_str!("../fixtures/aws-models/partnercentral-selling-model.json"),
        ),
    ];
    let mut cases = Vec::new();
    for (krate, slice) in slices {
        let slice: Value = serde_json::from_str(slice).unwrap();
        let resolved = slice["endpoints"]["resolved_by_botocore"]
            .as_object()
            .unwrap();
        for (key, url) in resolved {
            // "us-east-1 fips=False dualstack=True"
            let mut parts = key.split(' ');
            let region = parts.next().unwrap();
            let flag = |p: Option<&str>| p.unwrap().ends_with("=True");
            let (fips, dual_stack) = (flag(parts.next()), flag(parts.next()));
            cases.push(serde_json::json!({
                "crate": krate, "region": region, "fips": fips, "dual_stack": dual_stack,
                "endpoint": null, "url": url,
            }));
        }
    }
    assert!(cases.len() >= 30, "the slices lost their samples");
    check(&cases, "1.44.5 (model slices)").await;
}

/// Every case resolves as botocore did.
async fn check(cases: &[Value], botocore: &str) {
    let base = cloudjobs::Config::builder()
        .http_client(cloudjobs::runtime::http_client_builder().build().unwrap());
    let mut wrong = Vec::new();
    for case in cases {
        let ours = resolve(case, &base).await;
        let agrees = match (&ours, case.get("url"), case.get("error")) {
            (Ok(url), Some(expected), None) => url == expected.as_str().unwrap(),
            (Err(message), None, Some(expected)) => message.contains(expected.as_str().unwrap()),
            _ => false,
        };
        if !agrees {
            wrong.push(format!(
                "{} region={} fips={} dual_stack={} endpoint={}: botocore {}, ours {ours:?}",
                case["crate"],
                case["region"],
                case["fips"],
                case["dual_stack"],
                case["endpoint"],
                case.get("url").or(case.get("error")).unwrap(),
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases differ from botocore {botocore}:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}
