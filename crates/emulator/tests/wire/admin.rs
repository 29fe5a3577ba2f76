use crate::common::*;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn status_changes_are_visible_through_the_apis() {
    let emu = start().await;
    let fx = emu.fixture();
    // SpaceONE: a running job finishes.
    let job = fx
        .spaceone
        .iter()
        .find(|j| j.status == "IN_PROGRESS")
        .unwrap();
    let before = sp(&emu, "get", &json!({"job_id": job.job_id})).await;
    assert!(before.json.get("finished_at").is_none());
    let r = admin(
        &emu,
        Method::POST,
        &format!("/jobs/spaceone/{}/status", job.job_id),
        Some(json!({"status": "SUCCESS"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let after = sp(&emu, "get", &json!({"job_id": job.job_id})).await;
    assert_eq!(after.json["status"], "SUCCESS");
    assert!(after.json["finished_at"].is_string());
    // ... and fails.
    admin(
        &emu,
        Method::POST,
        &format!("/jobs/spaceone/{}/status", job.job_id),
        Some(json!({"status": "FAILURE"})),
    )
    .await;
    assert!(
        sp(&emu, "get", &json!({"job_id": job.job_id})).await.json["error_message"].is_string()
    );
    // Macie2: pausing adds userPausedDetails, resuming removes them.
    let m = fx
        .macie2
        .iter()
        .find(|j| j.job_status == "RUNNING")
        .unwrap();
    let find = |r: &Resp, id: &str| {
        r.json["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["jobId"] == id)
            .cloned()
            .unwrap()
    };
    admin(
        &emu,
        Method::POST,
        &format!("/jobs/macie2/{}/status", m.job_id),
        Some(json!({"status": "USER_PAUSED"})),
    )
    .await;
    let item = find(&aws(&emu, Aws::Macie, &json!({})).await, &m.job_id);
    assert_eq!(item["jobStatus"], "USER_PAUSED");
    assert!(item["userPausedDetails"]["jobPausedAt"].is_string());
    emu.set_job_status(cloudjobs_emulator::Service::Macie2, &m.job_id, "RUNNING")
        .unwrap();
    let item = find(&aws(&emu, Aws::Macie, &json!({})).await, &m.job_id);
    assert!(item.get("userPausedDetails").is_none());
    // SSM task.
    let exec = &fx.ssm[0];
    let task = exec
        .tasks
        .iter()
        .find(|t| t.status == "IN_PROGRESS")
        .unwrap();
    admin(
        &emu,
        Method::POST,
        &format!("/jobs/ssm/{}/status", task.task_execution_id),
        Some(json!({"status": "SUCCESS"})),
    )
    .await;
    let r = aws(
        &emu,
        Aws::Ssm,
        &json!({"WindowExecutionId": exec.window_execution_id, "MaxResults": 100}),
    )
    .await;
    let t = r.json["WindowExecutionTaskIdentities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["TaskExecutionId"] == json!(task.task_execution_id))
        .unwrap()
        .clone();
    assert_eq!(t["Status"], "SUCCESS");
    assert!(t["EndTime"].is_number());
    // Partner Central.
    let pj = fx
        .partner_central
        .iter()
        .find(|j| j.status == "Running" && j.catalog == "AWS")
        .unwrap();
    admin(
        &emu,
        Method::POST,
        &format!("/jobs/partner-central/{}/status", pj.id),
        Some(json!({"status": "Stopped"})),
    )
    .await;
    let r = aws(
        &emu,
        Aws::Pcs,
        &json!({"Catalog": "AWS", "Status": "Stopped", "MaxResults": 1000}),
    )
    .await;
    assert!(
        r.json["ResourceSnapshotJobSummaries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["Id"] == json!(pj.id))
    );
    // Cloud Rewind: status, then lock.
    let p = &fx.cloud_rewind[0];
    let (acct, asm) = (p.account_id.to_string(), p.cloud_assembly_id.to_string());
    let get = || {
        cr(
            &emu,
            &acct,
            &p.project_id,
            &asm,
            Some(&p.protection_id),
            Some(TOKEN),
        )
    };
    admin(
        &emu,
        Method::POST,
        &format!("/jobs/cloud-rewind/{}/status", p.protection_id),
        Some(json!({"status": "in-progress"})),
    )
    .await;
    assert_eq!(get().await.json, json!({"status": "in-progress"}));
    admin(
        &emu,
        Method::POST,
        &format!("/jobs/cloud-rewind/{}/status", p.protection_id),
        Some(json!({"locked": true})),
    )
    .await;
    assert_eq!(get().await.status, 409);
    // Unknown values are refused unless allowed.
    let r = admin(
        &emu,
        Method::POST,
        &format!("/jobs/cloud-rewind/{}/status", p.protection_id),
        Some(json!({"status": "exploded"})),
    )
    .await;
    assert_eq!(r.status, 400);
    let r = admin(
        &emu,
        Method::POST,
        &format!("/jobs/spaceone/{}/status", job.job_id),
        Some(json!({"status": "QUEUED", "allow_unknown": true})),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        sp(&emu, "get", &json!({"job_id": job.job_id})).await.json["status"],
        "QUEUED"
    );
    let r = admin(
        &emu,
        Method::POST,
        "/jobs/spaceone/job-nope/status",
        Some(json!({"status": "SUCCESS"})),
    )
    .await;
    assert_eq!(r.status, 404);
    let r = admin(
        &emu,
        Method::POST,
        "/jobs/nosuch/x/status",
        Some(json!({"status": "SUCCESS"})),
    )
    .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn add_list_reset_seeded_errors() {
    let emu = start().await;
    assert_eq!(
        admin(&emu, Method::GET, "/health", None).await.json,
        json!({"status": "ok"})
    );
    let seeded = admin(&emu, Method::GET, "/seeded", None).await;
    assert_eq!(seeded.json, serde_json::to_value(emu.seeded()).unwrap());
    let r = admin(
        &emu,
        Method::POST,
        "/jobs/spaceone",
        Some(json!({"status": "PENDING", "plugin_id": "plugin-x"})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.json["job_id"].as_str().unwrap().to_string();
    assert!(id.starts_with("job-") && id.len() == 16);
    let got = sp(&emu, "get", &json!({"job_id": id})).await;
    assert_eq!(got.json["status"], "PENDING");
    assert_eq!(got.json["plugin_id"], "plugin-x");
    assert_eq!(got.json["workspace_id"], "*");
    let r = admin(
        &emu,
        Method::POST,
        "/jobs/ssm",
        Some(json!({"Status": "PENDING"})),
    )
    .await;
    let exec = r.json["WindowExecutionId"].as_str().unwrap().to_string();
    let l = aws(&emu, Aws::Ssm, &json!({"WindowExecutionId": exec})).await;
    assert_eq!(
        l.json["WindowExecutionTaskIdentities"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let r = admin(
        &emu,
        Method::POST,
        "/jobs/partner-central",
        Some(json!({"Catalog": "Sandbox"})),
    )
    .await;
    assert!(r.json["Id"].as_str().unwrap().starts_with("job-"));
    let r = admin(
        &emu,
        Method::POST,
        "/jobs/macie2",
        Some(json!({"name": "added", "jobStatus": "USER_PAUSED"})),
    )
    .await;
    assert!(r.json["userPausedDetails"].is_object());
    let r = admin(&emu, Method::POST, "/jobs/cloud-rewind", Some(json!({"account_id": 1, "project_id": "p", "cloud_assembly_id": 2, "status": "success"}))).await;
    let pid = r.json["protection_id"].as_str().unwrap().to_string();
    assert_eq!(
        cr(&emu, "1", "p", "2", Some(&pid), Some(TOKEN)).await.json,
        json!({"status": "success"})
    );
    let r = admin(
        &emu,
        Method::POST,
        "/jobs/cloud-rewind",
        Some(json!({"status": 5})),
    )
    .await;
    assert_eq!(r.status, 400);
    let list = admin(&emu, Method::GET, "/jobs/spaceone", None).await;
    assert_eq!(list.json.as_array().unwrap().len(), 26);
    // Injected errors through the admin API.
    let r = admin(
        &emu,
        Method::POST,
        "/errors",
        Some(json!({"service": "macie2", "status": 402, "count": 2})),
    )
    .await;
    assert_eq!(r.status, 201);
    assert_eq!(
        admin(&emu, Method::GET, "/errors", None)
            .await
            .json
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        aws(&emu, Aws::Macie, &json!({})).await.aws_code(),
        "ServiceQuotaExceededException"
    );
    admin(&emu, Method::DELETE, "/errors", None).await;
    assert_eq!(aws(&emu, Aws::Macie, &json!({})).await.status, 200);
    // Reset restores the seeded data; a new seed makes new data.
    sp(
        &emu,
        "delete",
        &json!({"job_id": emu.seeded().spaceone.job_ids[0]}),
    )
    .await;
    let r = admin(&emu, Method::POST, "/reset", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(emu.fixture().spaceone.len(), 25);
    assert_eq!(r.json, seeded.json);
    let r = admin(
        &emu,
        Method::POST,
        "/reset",
        Some(json!({"seed": 9, "jobs_per_service": 5})),
    )
    .await;
    assert_eq!(r.json["macie2"]["job_ids"].as_array().unwrap().len(), 5);
    assert_ne!(r.json, seeded.json);
    // Fixture export round-trips.
    let fx = admin(&emu, Method::GET, "/fixture", None).await;
    let parsed: cloudjobs_emulator::Fixture = serde_json::from_value(fx.json).unwrap();
    assert_eq!(parsed, emu.fixture());
    let r = admin(
        &emu,
        Method::PUT,
        "/faults",
        Some(json!({"throttle_rate": "lots"})),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.json["error"].is_string());
    let _ = Value::Null;
}
