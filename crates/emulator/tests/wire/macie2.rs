use crate::common::*;
use cloudjobs_emulator::{InjectedError, Macie2Job, Service};
use serde_json::{Value, json};
use std::cmp::Ordering;

fn attr(j: &Macie2Job, key: &str) -> String {
    match key {
        "jobType" => j.job_type.clone(),
        "jobStatus" => j.job_status.clone(),
        "name" => j.name.clone(),
        _ => iso_millis(j.created_at.unwrap()),
    }
}

/// The documented semantics, re-implemented: any value for EQ/ordering/CONTAINS/STARTS_WITH,
/// none for NE; createdAt ordered as instants (our ISO strings order the same way).
fn term_matches(j: &Macie2Job, cmp: &str, key: &str, values: &[String]) -> bool {
    let a = attr(j, key);
    let norm = |v: &String| {
        if key == "createdAt" && !matches!(cmp, "CONTAINS" | "STARTS_WITH") {
            iso_millis(
                time::OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339)
                    .unwrap(),
            )
        } else {
            v.clone()
        }
    };
    match cmp {
        "EQ" => values.iter().any(|v| a == norm(v)),
        "NE" => values.iter().all(|v| a != norm(v)),
        "GT" => values.iter().any(|v| a.cmp(&norm(v)) == Ordering::Greater),
        "GTE" => values.iter().any(|v| a.cmp(&norm(v)) != Ordering::Less),
        "LT" => values.iter().any(|v| a.cmp(&norm(v)) == Ordering::Less),
        "LTE" => values.iter().any(|v| a.cmp(&norm(v)) != Ordering::Greater),
        "CONTAINS" => values.iter().any(|v| a.contains(v.as_str())),
        "STARTS_WITH" => values.iter().any(|v| a.starts_with(v.as_str())),
        _ => unreachable!(),
    }
}

fn newest_first(jobs: Vec<&Macie2Job>) -> Vec<String> {
    let mut jobs = jobs;
    jobs.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then(a.job_id.cmp(&b.job_id))
    });
    jobs.iter().map(|j| j.job_id.clone()).collect()
}

#[tokio::test]
async fn no_parameters_lists_everything_newest_first() {
    let emu = start().await;
    let jobs = emu.fixture().macie2;
    let r = aws(&emu, Aws::Macie, &json!({})).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let items = r.json["items"].as_array().unwrap();
    assert_eq!(ids(items, "jobId"), newest_first(jobs.iter().collect()));
    for i in items {
        let created = i["createdAt"].as_str().unwrap();
        assert!(created.ends_with('Z') && created.len() == 24, "{created}");
        assert_eq!(
            i["jobStatus"] == "USER_PAUSED",
            i.get("userPausedDetails").is_some(),
            "{i}"
        );
        if i["jobStatus"] == "USER_PAUSED" {
            assert!(
                i["userPausedDetails"]["jobPausedAt"]
                    .as_str()
                    .unwrap()
                    .ends_with('Z')
            );
            assert!(i["userPausedDetails"]["jobExpiresAt"].is_string());
        }
        assert!(i["jobType"] == "ONE_TIME" || i["jobType"] == "SCHEDULED");
    }
    // Empty body behaves like {} (what boto3 sends for no parameters).
    let r = aws_raw(&emu, Aws::Macie, Vec::new(), &Signing::default()).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["items"].as_array().unwrap().len(), jobs.len());
}

#[tokio::test]
async fn every_comparator_on_every_key() {
    let emu = start_with(|b| b.jobs_per_service(40)).await;
    let jobs = emu.fixture().macie2;
    let mid = iso_millis(jobs[jobs.len() / 2].created_at.unwrap());
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("jobType", vec!["SCHEDULED".into()]),
        ("jobStatus", vec!["RUNNING".into(), "USER_PAUSED".into()]),
        ("name", vec!["daily-pii-scan-001".into(), "weekly".into()]),
        ("createdAt", vec![mid.clone()]),
    ];
    let substr: Vec<(&str, Vec<String>)> = vec![
        ("jobType", vec!["TIME".into()]),
        ("jobStatus", vec!["PAUSED".into()]),
        ("name", vec!["audit".into(), "scan".into()]),
        ("createdAt", vec![mid[..7].to_string()]),
    ];
    for (key, values) in cases.iter().chain(substr.iter()) {
        for cmp in [
            "EQ",
            "GT",
            "GTE",
            "LT",
            "LTE",
            "NE",
            "CONTAINS",
            "STARTS_WITH",
        ] {
            if key == &"createdAt"
                && matches!(cmp, "CONTAINS" | "STARTS_WITH") != (values[0].len() < 10)
            {
                continue;
            }
            for side in ["includes", "excludes"] {
                let body = json!({"filterCriteria": {side: [{"comparator": cmp, "key": key, "values": values}]}});
                let (items, _) = paginate(&emu, Aws::Macie, &body, "items", "nextToken").await;
                let want = newest_first(
                    jobs.iter()
                        .filter(|j| term_matches(j, cmp, key, values) == (side == "includes"))
                        .collect(),
                );
                assert_eq!(ids(&items, "jobId"), want, "{body}");
            }
        }
    }
    // Includes AND-ed, excludes remove.
    let body = json!({"filterCriteria": {
        "includes": [{"comparator": "EQ", "key": "jobType", "values": ["SCHEDULED"]},
                     {"comparator": "GTE", "key": "createdAt", "values": ["2025-01-01T00:00:00Z"]}],
        "excludes": [{"comparator": "EQ", "key": "jobStatus", "values": ["CANCELLED", "COMPLETE"]}]}});
    let (items, _) = paginate(&emu, Aws::Macie, &body, "items", "nextToken").await;
    let want = newest_first(
        jobs.iter()
            .filter(|j| {
                j.job_type == "SCHEDULED"
                    && term_matches(j, "GTE", "createdAt", &["2025-01-01T00:00:00Z".into()])
            })
            .filter(|j| j.job_status != "CANCELLED" && j.job_status != "COMPLETE")
            .collect(),
    );
    assert_eq!(ids(&items, "jobId"), want);
    // Default comparator is EQ.
    let r = aws(
        &emu,
        Aws::Macie,
        &json!({"filterCriteria": {"includes": [{"key": "jobStatus", "values": ["IDLE"]}]}}),
    )
    .await;
    assert!(
        r.json["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["jobStatus"] == "IDLE")
    );
}

#[tokio::test]
async fn sort_criteria_and_paging() {
    let emu = start_with(|b| b.jobs_per_service(30)).await;
    let jobs = emu.fixture().macie2;
    for attr_name in ["createdAt", "jobStatus", "name", "jobType"] {
        for order in ["ASC", "DESC"] {
            let body = json!({"sortCriteria": {"attributeName": attr_name, "orderBy": order}, "maxResults": 4});
            let (items, pages) = paginate(&emu, Aws::Macie, &body, "items", "nextToken").await;
            let mut want: Vec<&Macie2Job> = jobs.iter().collect();
            want.sort_by(|a, b| {
                let o = attr(a, attr_name).cmp(&attr(b, attr_name));
                (if order == "ASC" { o } else { o.reverse() }).then(a.job_id.cmp(&b.job_id))
            });
            assert_eq!(
                ids(&items, "jobId"),
                want.iter().map(|j| j.job_id.clone()).collect::<Vec<_>>(),
                "{body}"
            );
            assert_eq!(pages, 30usize.div_ceil(4));
        }
    }
    // orderBy defaults to ASC when sortCriteria is given.
    let r = aws(
        &emu,
        Aws::Macie,
        &json!({"sortCriteria": {"attributeName": "name"}}),
    )
    .await;
    let names: Vec<String> = r.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

fn assert_macie_error(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    let header = r.header("x-amzn-errortype").unwrap();
    assert!(
        header.starts_with(&format!("{code}:http://internal.amazon.com/coral/")),
        "{header}"
    );
    assert_eq!(r.aws_code(), code);
    assert!(r.json["message"].is_string(), "{}", r.text);
    assert!(r.header("x-amzn-requestid").is_some());
}

#[tokio::test]
async fn validation_and_every_documented_error_status() {
    let emu = start().await;
    for body in [
        json!({"maxResults": 0}),
        json!({"maxResults": 201}),
        json!({"maxResults": "ten"}),
        json!({"nextToken": "nope"}),
        json!({"sortCriteria": {"attributeName": "bucket"}}),
        json!({"sortCriteria": {"orderBy": "UP"}}),
        json!({"filterCriteria": {"includes": [{"comparator": "LIKE", "key": "name", "values": ["a"]}]}}),
        json!({"filterCriteria": {"includes": [{"comparator": "EQ", "key": "owner", "values": ["a"]}]}}),
        json!({"filterCriteria": {"includes": [{"comparator": "EQ", "values": ["a"]}]}}),
        json!({"filterCriteria": {"includes": [{"comparator": "EQ", "key": "name", "values": []}]}}),
        json!({"filterCriteria": {"includes": [{"comparator": "EQ", "key": "name"}]}}),
        json!({"filterCriteria": {"includes": [{"comparator": "GT", "key": "createdAt", "values": ["yesterday"]}]}}),
        json!({"filterCriteria": {"includes": {"comparator": "EQ"}}}),
        json!({"filterCriteria": "all"}),
    ] {
        let r = aws(&emu, Aws::Macie, &body).await;
        assert_macie_error(&r, 400, "ValidationException");
        assert!(
            r.header("x-amzn-errortype")
                .unwrap()
                .contains("coral.validate"),
            "{body}"
        );
    }
    for (status, code) in [
        (402, "ServiceQuotaExceededException"),
        (403, "AccessDeniedException"),
        (404, "ResourceNotFoundException"),
        (409, "ConflictException"),
        (429, "ThrottlingException"),
        (500, "InternalServerException"),
    ] {
        emu.inject_error(InjectedError {
            service: Service::Macie2,
            status,
            code: None,
            message: None,
            count: 1,
        });
        assert_macie_error(&aws(&emu, Aws::Macie, &json!({})).await, status, code);
    }
    assert_eq!(aws(&emu, Aws::Macie, &json!({})).await.status, 200);
    let _ = Value::Null;
}
