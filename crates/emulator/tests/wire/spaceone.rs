use crate::common::*;
use cloudjobs_emulator::{InjectedError, Service, SpaceOneJob};
use serde_json::{Map, Value, json};

/// The job as the real service returns it, built field by field here.
fn wire(j: &SpaceOneJob) -> Value {
    let mut m = Map::new();
    for (k, v) in [
        ("job_id", Some(j.job_id.clone())),
        ("status", Some(j.status.clone())),
        ("resource_group", Some(j.resource_group.clone())),
        ("error_message", j.error_message.clone()),
        ("domain_id", Some(j.domain_id.clone())),
        ("workspace_id", Some(j.workspace_id.clone())),
        ("trusted_account_id", Some(j.trusted_account_id.clone())),
        ("plugin_id", Some(j.plugin_id.clone())),
        ("created_at", j.created_at.map(iso_millis)),
        ("updated_at", j.updated_at.map(iso_millis)),
        ("finished_at", j.finished_at.map(iso_millis)),
    ] {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            m.insert(k.into(), Value::from(v));
        }
    }
    if let Some(o) = &j.options {
        m.insert("options".into(), Value::Object(o.clone()));
    }
    Value::Object(m)
}

fn newest_first(mut jobs: Vec<&SpaceOneJob>) -> Vec<String> {
    jobs.sort_by_key(|j| std::cmp::Reverse(j.created_at));
    jobs.iter().map(|j| j.job_id.clone()).collect()
}

fn result_ids(r: &Resp) -> Vec<String> {
    ids(
        r.json
            .get("results")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[]),
        "job_id",
    )
}

#[tokio::test]
async fn list_defaults_get_and_omitted_fields() {
    let emu = start().await;
    let jobs = emu.fixture().spaceone;
    let r = sp(&emu, "list", &json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["total_count"], json!(jobs.len()));
    assert_eq!(result_ids(&r), newest_first(jobs.iter().collect()));
    for j in &jobs {
        let got = sp(&emu, "get", &json!({"job_id": j.job_id})).await;
        assert_eq!(got.status, 200);
        assert_eq!(got.json, wire(j));
        let ts = got.json["created_at"].as_str().unwrap();
        assert_eq!(ts.len(), 24);
        match j.status.as_str() {
            "SUCCESS" | "FAILURE" | "CANCELED" => assert!(got.json.get("finished_at").is_some()),
            _ => assert!(got.json.get("finished_at").is_none()),
        }
        assert_eq!(
            got.json.get("error_message").is_some(),
            j.status == "FAILURE"
        );
    }
    // Both path shapes and lowerCamel names work.
    let r2 = sp_raw(
        &emu,
        "/identity/job/get",
        serde_json::to_vec(&json!({"jobId": jobs[0].job_id})).unwrap(),
        Some(TOKEN),
    )
    .await;
    assert_eq!(r2.json, wire(&jobs[0]));
    // An empty result is {} (no results, no total_count).
    let r = sp(&emu, "list", &json!({"job_id": "job-000000000000"})).await;
    assert_eq!(r.json, json!({}));
}

#[tokio::test]
async fn direct_filters_keyword_count_only_minimal_only() {
    let emu = start_with(|b| b.jobs_per_service(40)).await;
    let jobs = emu.fixture().spaceone;
    let seeded = emu.seeded().spaceone;
    for key in ["workspace_id", "trusted_account_id", "plugin_id"] {
        let values = match key {
            "workspace_id" => &seeded.workspace_ids,
            "trusted_account_id" => &seeded.trusted_account_ids,
            _ => &seeded.plugin_ids,
        };
        for v in values {
            let r = sp(&emu, "list", &json!({key: v})).await;
            let want = newest_first(jobs.iter().filter(|j| wire(j)[key] == json!(v)).collect());
            assert_eq!(result_ids(&r), want);
        }
    }
    for (status, n) in [
        ("SUCCESS", Value::from("SUCCESS")),
        ("FAILURE", Value::from(3)),
        ("NONE", Value::from("NONE")),
    ] {
        let r = sp(&emu, "list", &json!({"status": n})).await;
        let want = newest_first(
            jobs.iter()
                .filter(|j| status == "NONE" || j.status == status)
                .collect(),
        );
        assert_eq!(result_ids(&r), want, "{status}");
    }
    let r = sp(&emu, "list", &json!({"job_id": jobs[3].job_id})).await;
    assert_eq!(result_ids(&r), vec![jobs[3].job_id.clone()]);
    // keyword: contain_in over job_id and status, case-insensitive.
    let frag = jobs[5].job_id[4..9].to_uppercase();
    let r = sp(
        &emu,
        "list",
        &json!({"query": {"keyword": format!("{frag} progress")}}),
    )
    .await;
    let want = newest_first(
        jobs.iter()
            .filter(|j| {
                j.job_id.to_lowercase().contains(&frag.to_lowercase())
                    || j.status.to_lowercase().contains("progress")
            })
            .collect(),
    );
    assert_eq!(result_ids(&r), want);
    // count_only
    let r = sp(
        &emu,
        "list",
        &json!({"query": {"count_only": true}, "status": "PENDING"}),
    )
    .await;
    assert_eq!(
        r.json,
        json!({"total_count": jobs.iter().filter(|j| j.status == "PENDING").count()})
    );
    // minimal
    let r = sp(
        &emu,
        "list",
        &json!({"query": {"minimal": true, "page": {"limit": 3}}}),
    )
    .await;
    for item in r.json["results"].as_array().unwrap() {
        for k in item.as_object().unwrap().keys() {
            assert!(
                [
                    "job_id",
                    "trusted_account_id",
                    "status",
                    "resource_group",
                    "created_at",
                    "finished_at"
                ]
                .contains(&k.as_str()),
                "{k}"
            );
        }
    }
    // only (+ the sort key)
    let r = sp(
        &emu,
        "list",
        &json!({"query": {"only": ["job_id"], "sort": [{"key": "status"}]}}),
    )
    .await;
    for item in r.json["results"].as_array().unwrap() {
        let keys: Vec<&String> = item.as_object().unwrap().keys().collect();
        assert!(
            keys.iter().all(|k| *k == "job_id" || *k == "status"),
            "{item}"
        );
    }
}

#[tokio::test]
async fn filter_operators_sort_and_page() {
    let emu = start_with(|b| b.jobs_per_service(40)).await;
    let jobs = emu.fixture().spaceone;
    let docs: Vec<Value> = jobs.iter().map(wire).collect();
    let mid = docs[10]["created_at"].as_str().unwrap().to_string();
    let ta = docs[0]["trusted_account_id"].as_str().unwrap().to_string();
    type Pred = Box<dyn Fn(&Value) -> bool>;
    let s = |d: &Value, k: &str| d.get(k).and_then(Value::as_str).map(str::to_string);
    let cases: Vec<(Value, Pred)> = vec![
        (
            json!({"k": "status", "v": "SUCCESS", "o": "eq"}),
            Box::new(move |d| s(d, "status").as_deref() == Some("SUCCESS")),
        ),
        (
            json!({"key": "status", "value": "SUCCESS", "operator": "not"}),
            Box::new(move |d| s(d, "status").as_deref() != Some("SUCCESS")),
        ),
        (
            json!({"k": "status", "v": ["PENDING", "CANCELED"], "o": "in"}),
            Box::new(move |d| matches!(s(d, "status").as_deref(), Some("PENDING" | "CANCELED"))),
        ),
        (
            json!({"k": "status", "v": ["PENDING", "CANCELED"], "o": "not_in"}),
            Box::new(move |d| !matches!(s(d, "status").as_deref(), Some("PENDING" | "CANCELED"))),
        ),
        (
            json!({"k": "plugin_id", "v": "AZURE", "o": "contain"}),
            Box::new(move |d| s(d, "plugin_id").unwrap().contains("azure")),
        ),
        (
            json!({"k": "plugin_id", "v": "aws", "o": "not_contain"}),
            Box::new(move |d| !s(d, "plugin_id").unwrap().contains("aws")),
        ),
        (
            json!({"k": "plugin_id", "v": ["azure", "GOOGLE"], "o": "contain_in"}),
            Box::new(move |d| {
                let p = s(d, "plugin_id").unwrap();
                p.contains("azure") || p.contains("google")
            }),
        ),
        (
            json!({"k": "finished_at", "v": true, "o": "exists"}),
            Box::new(move |d| d.get("finished_at").is_some()),
        ),
        (
            json!({"k": "error_message", "v": false, "o": "exists"}),
            Box::new(move |d| d.get("error_message").is_none()),
        ),
        (json!({"k": "created_at", "v": mid.clone(), "o": "lt"}), {
            let m = mid.clone();
            Box::new(move |d| s(d, "created_at").unwrap() < m)
        }),
        (json!({"k": "created_at", "v": mid.clone(), "o": "gte"}), {
            let m = mid.clone();
            Box::new(move |d| s(d, "created_at").unwrap() >= m)
        }),
        (
            json!({"k": "created_at", "v": mid.clone(), "o": "datetime_gt"}),
            {
                let m = mid.clone();
                Box::new(move |d| s(d, "created_at").unwrap() > m)
            },
        ),
        (
            json!({"k": "created_at", "v": mid.clone(), "o": "datetime_lte"}),
            {
                let m = mid.clone();
                Box::new(move |d| s(d, "created_at").unwrap() <= m)
            },
        ),
        (
            json!({"k": "created_at", "v": "2000-01-01", "o": "datetime_gte"}),
            Box::new(|_| true),
        ),
        (
            json!({"k": "created_at", "v": "now-1d", "o": "timediff_gt"}),
            Box::new(|_| false),
        ),
        (
            json!({"k": "created_at", "v": "now", "o": "timediff_lt"}),
            Box::new(|_| true),
        ),
        (
            json!({"k": "job_id", "v": "^job-[0-7]", "o": "regex"}),
            Box::new(move |d| {
                let c = s(d, "job_id").unwrap().chars().nth(4).unwrap();
                ('0'..='7').contains(&c)
            }),
        ),
        (
            json!({"k": "options.sync_mode", "v": "FULL", "o": "eq"}),
            Box::new(move |d| {
                d.get("options").and_then(|o| o.get("sync_mode")) == Some(&json!("FULL"))
            }),
        ),
        (
            json!({"k": "trusted_account_id", "v": ta.clone(), "o": "eq"}),
            {
                let t = ta.clone();
                Box::new(move |d| s(d, "trusted_account_id").as_deref() == Some(t.as_str()))
            },
        ),
    ];
    for (filter, pred) in &cases {
        let r = sp(&emu, "list", &json!({"query": {"filter": [filter]}})).await;
        assert_eq!(r.status, 200, "{filter}: {}", r.text);
        let want: Vec<String> = newest_first(
            jobs.iter()
                .zip(&docs)
                .filter(|(_, d)| pred(d))
                .map(|(j, _)| j)
                .collect(),
        );
        assert_eq!(result_ids(&r), want, "{filter}");
        assert_eq!(
            r.json.get("total_count").cloned().unwrap_or(json!(0)),
            json!(want.len()),
            "{filter}"
        );
    }
    // filter AND (filter_or OR ...)
    let r = sp(&emu, "list", &json!({"query": {
        "filter": [{"k": "resource_group", "v": "WORKSPACE", "o": "eq"}],
        "filter_or": [{"k": "status", "v": "SUCCESS", "o": "eq"}, {"k": "status", "v": "FAILURE", "o": "eq"}]}})).await;
    let want = newest_first(
        jobs.iter()
            .filter(|j| {
                j.resource_group == "WORKSPACE" && (j.status == "SUCCESS" || j.status == "FAILURE")
            })
            .collect(),
    );
    assert_eq!(result_ids(&r), want);
    // sort by several keys, then page through with 1-based start.
    let mut sorted: Vec<&SpaceOneJob> = jobs.iter().collect();
    sorted.sort_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then(b.created_at.cmp(&a.created_at))
    });
    let want: Vec<String> = sorted.iter().map(|j| j.job_id.clone()).collect();
    let mut got = Vec::new();
    let mut start = 1;
    loop {
        let r = sp(&emu, "list", &json!({"query": {"sort": [{"key": "status"}, {"key": "created_at", "desc": true}], "page": {"start": start, "limit": 7}}})).await;
        assert_eq!(r.json["total_count"], json!(jobs.len()));
        let page = result_ids(&r);
        let n = page.len();
        got.extend(page);
        if n < 7 {
            break;
        }
        start += 7;
    }
    assert_eq!(got, want);
}

#[tokio::test]
async fn delete_then_gone_and_stat() {
    let emu = start().await;
    let jobs = emu.fixture().spaceone;
    let victim = jobs[0].job_id.clone();
    let r = sp(&emu, "delete", &json!({"job_id": victim})).await;
    assert_eq!((r.status, r.json.clone()), (200, json!({})));
    let r = sp(&emu, "get", &json!({"job_id": victim})).await;
    assert_eq!((r.status, r.sp_code()), (404, "ERROR_NOT_FOUND"));
    let r = sp(&emu, "delete", &json!({"job_id": victim})).await;
    assert_eq!(r.status, 404);
    let left: Vec<&SpaceOneJob> = jobs.iter().skip(1).collect();
    let r = sp(&emu, "list", &json!({"query": {"count_only": true}})).await;
    assert_eq!(r.json["total_count"], json!(left.len()));
    // stat distinct
    let r = sp(&emu, "stat", &json!({"query": {"distinct": "status"}})).await;
    let mut statuses: Vec<String> = left.iter().map(|j| j.status.clone()).collect();
    statuses.sort();
    statuses.dedup();
    assert_eq!(r.json, json!({"results": statuses}));
    // stat group count by status, sorted by count desc
    let r = sp(&emu, "stat", &json!({"query": {"aggregate": [
        {"group": {"keys": [{"key": "status", "name": "status"}], "fields": [{"operator": "count", "name": "count"}]}},
        {"sort": [{"key": "count", "desc": true}, {"key": "status"}]}]}})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let rows = r.json["results"].as_array().unwrap();
    let mut want: Vec<(String, usize)> = statuses
        .iter()
        .map(|s| (s.clone(), left.iter().filter(|j| &j.status == s).count()))
        .collect();
    want.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let got: Vec<(String, usize)> = rows
        .iter()
        .map(|r| {
            (
                r["status"].as_str().unwrap().to_string(),
                r["count"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(got, want);
    assert!(r.json.get("total_count").is_none());
    // count stage, filters, page with total_count
    let r = sp(&emu, "stat", &json!({"query": {"filter": [{"k": "resource_group", "v": "DOMAIN", "o": "eq"}], "aggregate": [{"count": {"name": "n"}}]}})).await;
    assert_eq!(
        r.json,
        json!({"results": [{"n": left.iter().filter(|j| j.resource_group == "DOMAIN").count()}]})
    );
    let r = sp(
        &emu,
        "stat",
        &json!({"query": {"distinct": "job_id", "page": {"start": 2, "limit": 3}}}),
    )
    .await;
    assert_eq!(r.json["total_count"], json!(left.len()));
    assert_eq!(r.json["results"].as_array().unwrap().len(), 3);
    // group with add_to_set and short aliases
    let r = sp(&emu, "stat", &json!({"query": {"aggregate": [{"group": {"keys": [{"k": "resource_group", "n": "rg"}], "fields": [{"k": "plugin_id", "n": "plugins", "o": "add_to_set"}]}}]}})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(
        r.json["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|row| row["plugins"].is_array() && row["rg"].is_string())
    );
    // missing aggregate and distinct / missing query
    let r = sp(&emu, "stat", &json!({"query": {}})).await;
    assert_eq!((r.status, r.sp_code()), (400, "ERROR_REQUIRED_PARAMETER"));
    assert!(
        r.json["detail"]["message"]
            .as_str()
            .unwrap()
            .contains("aggregate")
    );
    let r = sp(&emu, "stat", &json!({})).await;
    assert_eq!((r.status, r.sp_code()), (400, "ERROR_REQUIRED_PARAMETER"));
}

#[tokio::test]
async fn errors_in_spaceone_shape() {
    let emu = start().await;
    let check = |r: &Resp, status: u16, code: &str| {
        assert_eq!(r.status, status, "{}", r.text);
        assert_eq!(r.sp_code(), code, "{}", r.text);
        assert!(r.json["detail"]["message"].is_string());
    };
    check(
        &sp(&emu, "get", &json!({})).await,
        400,
        "ERROR_REQUIRED_PARAMETER",
    );
    check(
        &sp(&emu, "delete", &json!({"job_id": ""})).await,
        400,
        "ERROR_REQUIRED_PARAMETER",
    );
    check(
        &sp(&emu, "get", &json!({"job_id": "job-ffffffffffff"})).await,
        404,
        "ERROR_NOT_FOUND",
    );
    check(
        &sp(&emu, "list", &json!({"bogus": 1})).await,
        500,
        "ERROR_UNKNOWN",
    );
    check(
        &sp(&emu, "list", &json!({"status": "DONE"})).await,
        500,
        "ERROR_UNKNOWN",
    );
    check(
        &sp(&emu, "get", &json!({"job_id": 12})).await,
        500,
        "ERROR_UNKNOWN",
    );
    check(
        &sp_raw(
            &emu,
            "/identity/v2/job/list",
            b"{not json".to_vec(),
            Some(TOKEN),
        )
        .await,
        500,
        "ERROR_UNKNOWN",
    );
    check(
        &sp(
            &emu,
            "list",
            &json!({"query": {"filter": [{"k": "status", "v": "x", "o": "like"}]}}),
        )
        .await,
        500,
        "ERROR_DB_QUERY",
    );
    check(
        &sp(
            &emu,
            "list",
            &json!({"query": {"filter": [{"k": "status", "v": "x", "o": "in"}]}}),
        )
        .await,
        400,
        "ERROR_OPERATOR_LIST_VALUE_TYPE",
    );
    check(
        &sp(
            &emu,
            "list",
            &json!({"query": {"filter": [{"k": "created_at", "v": "soon", "o": "datetime_gt"}]}}),
        )
        .await,
        400,
        "ERROR_INVALID_PARAMETER_TYPE",
    );
    check(
        &sp(
            &emu,
            "list",
            &json!({"query": {"filter": [{"v": "x", "o": "eq"}]}}),
        )
        .await,
        400,
        "ERROR_REQUIRED_PARAMETER",
    );
    check(
        &sp_raw(&emu, "/identity/v2/job/list", b"{}".to_vec(), None).await,
        401,
        "ERROR_AUTHENTICATE_FAILURE",
    );
    check(
        &sp_raw(&emu, "/identity/v2/job/list", b"{}".to_vec(), Some("wrong")).await,
        401,
        "ERROR_AUTHENTICATE_FAILURE",
    );
    check(
        &sp_raw(
            &emu,
            "/identity/v2/job/list",
            b"{}".to_vec(),
            Some(cloudjobs_emulator::DEFAULT_FORBIDDEN_TOKEN),
        )
        .await,
        403,
        "ERROR_PERMISSION_DENIED",
    );
    check(
        &sp_raw(&emu, "/identity/v2/job/create", b"{}".to_vec(), Some(TOKEN)).await,
        404,
        "ERROR_UNSUPPORTED_API",
    );
    for (status, code) in [
        (409, "ERROR_ALREADY_EXISTS"),
        (429, "ERROR_TOO_MANY_REQUESTS"),
        (500, "ERROR_UNKNOWN"),
        (503, "ERROR_GRPC_CONNECTION"),
        (504, "ERROR_REQUEST_TIMEOUT"),
    ] {
        emu.inject_error(InjectedError {
            service: Service::SpaceOne,
            status,
            code: None,
            message: None,
            count: 1,
        });
        check(&sp(&emu, "list", &json!({})).await, status, code);
    }
    assert_eq!(sp(&emu, "list", &json!({})).await.status, 200);
}
