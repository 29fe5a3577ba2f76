use crate::common::*;
use cloudjobs_emulator::{InjectedError, PartnerCentralJob, Service};
use serde_json::{Value, json};

fn expected(
    jobs: &[PartnerCentralJob],
    catalog: &str,
    eng: Option<&str>,
    status: Option<&str>,
    desc: bool,
) -> Vec<String> {
    let mut v: Vec<&PartnerCentralJob> = jobs
        .iter()
        .filter(|j| {
            j.catalog == catalog
                && eng.is_none_or(|e| j.engagement_id == e)
                && status.is_none_or(|s| j.status == s)
        })
        .collect();
    v.sort_by(|a, b| {
        let o = a.created_date.cmp(&b.created_date);
        (if desc { o.reverse() } else { o }).then(a.id.cmp(&b.id))
    });
    v.iter().map(|j| j.id.clone()).collect()
}

#[tokio::test]
async fn default_order_and_page_size_then_next_token() {
    let emu = start_with(|b| b.jobs_per_service(150)).await;
    let jobs = emu.fixture().partner_central;
    let want = expected(&jobs, "AWS", None, None, true);
    assert!(want.len() > 50, "need more than one default page");
    let r = aws(&emu, Aws::Pcs, &json!({"Catalog": "AWS"})).await;
    assert_eq!(r.status, 200);
    assert!(r.header("x-amzn-requestid").is_some());
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.0"));
    let page = r.json["ResourceSnapshotJobSummaries"].as_array().unwrap();
    assert_eq!(page.len(), 50);
    assert_eq!(ids(page, "Id"), want[..50]);
    let tok = r.json["NextToken"].as_str().unwrap();
    let r2 = aws(&emu, Aws::Pcs, &json!({"Catalog": "AWS", "NextToken": tok})).await;
    assert_eq!(
        ids(
            r2.json["ResourceSnapshotJobSummaries"].as_array().unwrap(),
            "Id"
        ),
        want[50..].iter().take(50).cloned().collect::<Vec<_>>()
    );
    let item = &page[0];
    let j = jobs.iter().find(|j| j.id == item["Id"]).unwrap();
    assert_eq!(item["Arn"], json!(j.arn));
    assert!(j.arn.starts_with("arn:aws:partnercentral:"));
    assert_eq!(item["EngagementId"], json!(j.engagement_id));
    assert_eq!(item["Status"], json!(j.status));
    emu.shutdown().await;
}

#[tokio::test]
async fn filters_sort_and_paging_match_expected_sets() {
    let emu = start_with(|b| b.jobs_per_service(60)).await;
    let jobs = emu.fixture().partner_central;
    let seeded = emu.seeded().partner_central;
    assert_eq!(seeded.catalogs, vec!["AWS", "Sandbox"]);
    for catalog in ["AWS", "Sandbox"] {
        for status in [None, Some("Running"), Some("Stopped")] {
            for desc in [true, false] {
                let engs: Vec<Option<String>> = std::iter::once(None)
                    .chain(
                        jobs.iter()
                            .filter(|j| j.catalog == catalog)
                            .map(|j| Some(j.engagement_id.clone()))
                            .take(2),
                    )
                    .collect();
                for eng in engs {
                    let mut body = json!({"Catalog": catalog, "MaxResults": 3,
                        "Sort": {"SortBy": "CreatedDate", "SortOrder": if desc {"DESCENDING"} else {"ASCENDING"}}});
                    if let Some(s) = status {
                        body["Status"] = json!(s);
                    }
                    if let Some(e) = &eng {
                        body["EngagementIdentifier"] = json!(e);
                    }
                    let (items, pages) = paginate(
                        &emu,
                        Aws::Pcs,
                        &body,
                        "ResourceSnapshotJobSummaries",
                        "NextToken",
                    )
                    .await;
                    let want = expected(&jobs, catalog, eng.as_deref(), status, desc);
                    assert_eq!(ids(&items, "Id"), want, "{body}");
                    assert_eq!(pages, want.len().div_ceil(3).max(1));
                }
            }
        }
    }
    // A catalog without data lists nothing.
    let r = aws(&emu, Aws::Pcs, &json!({"Catalog": "Other"})).await;
    assert_eq!(r.json, json!({"ResourceSnapshotJobSummaries": []}));
    // MaxResults 1000 returns everything at once.
    let r = aws(
        &emu,
        Aws::Pcs,
        &json!({"Catalog": "AWS", "MaxResults": 1000}),
    )
    .await;
    assert_eq!(
        r.json["ResourceSnapshotJobSummaries"]
            .as_array()
            .unwrap()
            .len(),
        expected(&jobs, "AWS", None, None, true).len()
    );
    assert!(r.json.get("NextToken").is_none());
}

fn assert_validation(r: &Resp, field: &str, code: &str) {
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(r.json["__type"], "ValidationException", "{}", r.text);
    assert_eq!(r.header("x-amzn-errortype"), Some("ValidationException"));
    assert_eq!(r.json["Reason"], "REQUEST_VALIDATION_FAILED");
    let list = r.json["ErrorList"].as_array().unwrap();
    assert!(
        list.iter()
            .any(|e| e["FieldName"] == field && e["Code"] == code),
        "{}",
        r.text
    );
    assert!(
        r.json["Message"]
            .as_str()
            .unwrap()
            .contains("validation error")
    );
}

#[tokio::test]
async fn validation_errors() {
    let emu = start().await;
    assert_validation(
        &aws(&emu, Aws::Pcs, &json!({})).await,
        "Catalog",
        "REQUIRED_FIELD_MISSING",
    );
    assert_validation(
        &aws(&emu, Aws::Pcs, &json!({"Catalog": "AW S"})).await,
        "Catalog",
        "INVALID_STRING_FORMAT",
    );
    assert_validation(
        &aws(&emu, Aws::Pcs, &json!({"Catalog": "AWS", "MaxResults": 0})).await,
        "MaxResults",
        "VALUE_OUT_OF_RANGE",
    );
    assert_validation(
        &aws(
            &emu,
            Aws::Pcs,
            &json!({"Catalog": "AWS", "MaxResults": 1001}),
        )
        .await,
        "MaxResults",
        "VALUE_OUT_OF_RANGE",
    );
    assert_validation(
        &aws(&emu, Aws::Pcs, &json!({"Catalog": "AWS", "Status": "Done"})).await,
        "Status",
        "INVALID_ENUM_VALUE",
    );
    assert_validation(
        &aws(
            &emu,
            Aws::Pcs,
            &json!({"Catalog": "AWS", "EngagementIdentifier": "eng-X"}),
        )
        .await,
        "EngagementIdentifier",
        "INVALID_STRING_FORMAT",
    );
    assert_validation(
        &aws(
            &emu,
            Aws::Pcs,
            &json!({"Catalog": "AWS", "Sort": {"SortBy": "Name"}}),
        )
        .await,
        "Sort.SortBy",
        "INVALID_ENUM_VALUE",
    );
    assert_validation(
        &aws(
            &emu,
            Aws::Pcs,
            &json!({"Catalog": "AWS", "Sort": {"SortOrder": "UP"}}),
        )
        .await,
        "Sort.SortOrder",
        "INVALID_ENUM_VALUE",
    );
    assert_validation(
        &aws(
            &emu,
            Aws::Pcs,
            &json!({"Catalog": "AWS", "NextToken": "bogus"}),
        )
        .await,
        "NextToken",
        "INVALID_VALUE",
    );
    assert_validation(
        &aws(&emu, Aws::Pcs, &json!({"Catalog": 5})).await,
        "Catalog",
        "INVALID_VALUE",
    );
    // Two errors at once are both reported.
    let r = aws(&emu, Aws::Pcs, &json!({"MaxResults": 0})).await;
    assert_eq!(r.json["ErrorList"].as_array().unwrap().len(), 2);
    assert!(
        r.json["Message"]
            .as_str()
            .unwrap()
            .starts_with("2 validation errors detected")
    );
    // A token from another query is rejected.
    let emu2 = start_with(|b| b.jobs_per_service(150)).await;
    let t = aws(&emu2, Aws::Pcs, &json!({"Catalog": "AWS"})).await.json["NextToken"]
        .as_str()
        .unwrap()
        .to_string();
    assert_validation(
        &aws(
            &emu2,
            Aws::Pcs,
            &json!({"Catalog": "AWS", "Status": "Running", "NextToken": t}),
        )
        .await,
        "NextToken",
        "INVALID_VALUE",
    );
    // null members are absent.
    let r = aws(
        &emu,
        Aws::Pcs,
        &json!({"Catalog": "AWS", "NextToken": null, "Status": null}),
    )
    .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn every_documented_error_status() {
    let emu = start().await;
    let eng_unknown = "eng-zzzzzzzzzzzzzz";
    let r = aws(
        &emu,
        Aws::Pcs,
        &json!({"Catalog": "AWS", "EngagementIdentifier": eng_unknown}),
    )
    .await;
    assert_eq!(
        (r.status, r.aws_code().as_str()),
        (404, "ResourceNotFoundException")
    );
    for (status, code) in [
        (403, "AccessDeniedException"),
        (404, "ResourceNotFoundException"),
        (429, "ThrottlingException"),
        (500, "InternalServerException"),
        (400, "ValidationException"),
    ] {
        emu.inject_error(InjectedError {
            service: Service::PartnerCentral,
            status,
            code: None,
            message: None,
            count: 1,
        });
        let r = aws(&emu, Aws::Pcs, &json!({"Catalog": "AWS"})).await;
        assert_eq!(r.status, status);
        assert_eq!(r.json["__type"], json!(code));
        assert_eq!(r.aws_code(), code);
        assert!(r.json["Message"].is_string());
    }
    let r = aws(&emu, Aws::Pcs, &json!({"Catalog": "AWS"})).await;
    assert_eq!(r.status, 200);
    let _: Value = r.json;
}
