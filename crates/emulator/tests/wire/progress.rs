//! State progression: jobs moving through their lifecycle after N reads (over the wire, for
//! all five services) or after some time (on a paused tokio clock), to a final status fixed by
//! the seed and listed by `GET /_emulator/progress`.

use std::collections::BTreeMap;
use std::time::Duration;

use cloudjobs_emulator::{
    Emulator, Fixture, Progress, ProgressReport, Progression, RunningEmulator, Service,
};
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

type Statuses = BTreeMap<(Service, String), String>;

/// One read of every job of every service, through the services' own APIs.
async fn read_everything(emu: &RunningEmulator) -> Statuses {
    let seeded = emu.seeded();
    let mut out = Statuses::new();
    let mut put = |service: Service, items: &[Value], id: &str, status: &str| {
        for item in items {
            out.insert(
                (service, item[id].as_str().unwrap_or("").to_owned()),
                item[status].as_str().unwrap_or("").to_owned(),
            );
        }
    };
    for catalog in &seeded.partner_central.catalogs {
        let (items, _) = paginate(
            emu,
            Aws::Pcs,
            &json!({"Catalog": catalog, "MaxResults": 100}),
            "ResourceSnapshotJobSummaries",
            "NextToken",
        )
        .await;
        put(Service::PartnerCentral, &items, "Id", "Status");
    }
    let (items, _) = paginate(
        emu,
        Aws::Macie,
        &json!({"maxResults": 25}),
        "items",
        "nextToken",
    )
    .await;
    put(Service::Macie2, &items, "jobId", "jobStatus");
    for exec in &seeded.ssm.window_execution_ids {
        let (items, _) = paginate(
            emu,
            Aws::Ssm,
            &json!({"WindowExecutionId": exec, "MaxResults": 100}),
            "WindowExecutionTaskIdentities",
            "NextToken",
        )
        .await;
        put(Service::Ssm, &items, "TaskExecutionId", "Status");
    }
    let r = sp(emu, "list", &json!({"query": {}})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let results = r.json["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(results.len(), seeded.spaceone.job_ids.len());
    put(Service::SpaceOne, &results, "job_id", "status");
    for p in &seeded.cloud_rewind.protections {
        let r = cr(
            emu,
            &p.account_id.to_string(),
            &p.project_id,
            &p.cloud_assembly_id.to_string(),
            Some(&p.protection_id),
            Some(TOKEN),
        )
        .await;
        if r.status == 200 {
            out.insert(
                (Service::CloudRewind, p.protection_id.clone()),
                r.json["status"].as_str().unwrap_or("").to_owned(),
            );
        }
    }
    out
}

fn statuses_of(fx: &Fixture) -> Statuses {
    let mut out = Statuses::new();
    for j in &fx.partner_central {
        out.insert((Service::PartnerCentral, j.id.clone()), j.status.clone());
    }
    for j in &fx.macie2 {
        out.insert((Service::Macie2, j.job_id.clone()), j.job_status.clone());
    }
    for t in fx.ssm.iter().flat_map(|e| &e.tasks) {
        out.insert(
            (Service::Ssm, t.task_execution_id.clone()),
            t.status.clone(),
        );
    }
    for j in &fx.spaceone {
        out.insert((Service::SpaceOne, j.job_id.clone()), j.status.clone());
    }
    for p in &fx.cloud_rewind {
        out.insert(
            (Service::CloudRewind, p.protection_id.clone()),
            p.status.clone(),
        );
    }
    out
}

/// The status a planned job shows after `k` steps.
fn after_steps(report: &ProgressReport, service: Service, id: &str, k: usize) -> Option<String> {
    let plan = report.job(service, id)?;
    Some(if k == 0 {
        plan.status.clone()
    } else {
        plan.next[(k - 1).min(plan.next.len() - 1)].clone()
    })
}

#[tokio::test]
async fn every_service_moves_one_step_per_read_to_the_planned_final_status() {
    let emu = start_with(|b| b.jobs_per_service(12)).await;
    let before = read_everything(&emu).await;
    emu.set_progress(Progress::all(Progression::Reads(1)));
    let plan = emu.progress_report();
    for service in Service::ALL {
        assert!(
            plan.jobs.iter().any(|j| j.service == service),
            "no {service} job moves in the seeded data"
        );
    }
    // Outcomes of every kind the services have.
    let finals: Vec<&str> = plan.jobs.iter().map(|j| j.final_status.as_str()).collect();
    for expected in [
        "SUCCESS", "FAILURE", "CANCELED", "success", "failed", "Stopped",
    ] {
        assert!(
            finals.contains(&expected),
            "no job ends {expected}: {finals:?}"
        );
    }

    let longest = plan.jobs.iter().map(|j| j.next.len()).max().unwrap_or(0);
    for k in 0..=longest + 1 {
        let seen = read_everything(&emu).await;
        assert_eq!(
            seen.keys().collect::<Vec<_>>(),
            before.keys().collect::<Vec<_>>()
        );
        for ((service, id), status) in &seen {
            match after_steps(&plan, *service, id, k) {
                Some(expected) => assert_eq!(status, &expected, "{service} {id}, read {k}"),
                None => assert_eq!(status, &before[&(*service, id.clone())], "{service} {id}"),
            }
        }
    }
    // Every job settled but the Cloud Rewind protections that answer 409 or 412 (never read).
    let seeded = emu.seeded();
    let unread: Vec<String> = [
        seeded.cloud_rewind.locked,
        seeded.cloud_rewind.assembly_disabled,
    ]
    .into_iter()
    .flatten()
    .map(|p| p.protection_id)
    .collect();
    for job in emu.progress_report().jobs {
        assert!(
            job.service == Service::CloudRewind && unread.contains(&job.id),
            "{job:?} did not settle"
        );
    }
    let last = read_everything(&emu).await;
    for job in plan.jobs.iter().filter(|j| !unread.contains(&j.id)) {
        assert_eq!(last[&(job.service, job.id.clone())], job.final_status);
    }
}

#[tokio::test]
async fn a_job_read_n_times_shows_each_state_n_times() {
    let emu = start().await;
    let r = admin(
        &emu,
        Method::PUT,
        "/progress",
        Some(json!("spaceone=reads:3")),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["rules"], json!({"spaceone": {"reads": 3}}));
    let plan: ProgressReport = serde_json::from_value(r.json).expect("a report");
    let job = plan
        .jobs
        .iter()
        .find(|j| j.service == Service::SpaceOne && j.next.len() == 2)
        .expect("a PENDING SpaceONE job");
    let mut seen = Vec::new();
    for _ in 0..9 {
        let r = sp(&emu, "get", &json!({"job_id": job.id})).await;
        assert_eq!(r.status, 200, "{}", r.text);
        seen.push(r.json["status"].as_str().unwrap_or("").to_owned());
    }
    let mut expected = vec![job.status.clone(); 3];
    expected.extend(vec![job.next[0].clone(); 3]);
    expected.extend(vec![job.final_status.clone(); 3]);
    assert_eq!(seen, expected);
    // The fields that follow the status came along.
    let r = sp(&emu, "get", &json!({"job_id": job.id})).await;
    assert!(r.json.get("finished_at").is_some(), "{}", r.json);
    assert_eq!(
        r.json.get("error_message").is_some(),
        job.final_status == "FAILURE"
    );
    // Other services did not move.
    assert_eq!(emu.progress_report().rules.get(Service::Ssm), None);
}

#[tokio::test]
async fn forced_outcomes_reset_and_changes_by_hand() {
    let emu = start_with(|b| b.jobs_per_service(10)).await;
    emu.set_progress(Progress::none().with(Service::Ssm, Progression::Reads(1)));
    let plan = emu.progress_report();
    let task = plan
        .jobs
        .iter()
        .find(|j| j.service == Service::Ssm && j.status == "PENDING")
        .expect("a PENDING task")
        .clone();
    // Force a failure over the admin API.
    let path = format!("/progress/ssm/{}", task.id);
    let r = admin(
        &emu,
        Method::PUT,
        &path,
        Some(json!({"final_status": "FAILED"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["next"], json!(["IN_PROGRESS", "FAILED"]));
    // A status no path leads to is refused, naming what is possible.
    let r = admin(
        &emu,
        Method::PUT,
        &path,
        Some(json!({"final_status": "COMPLETE"})),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.text.contains("SUCCESS"), "{}", r.text);
    let r = admin(
        &emu,
        Method::PUT,
        "/progress/ssm/no-such-task",
        Some(json!({"final_status": "FAILED"})),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = admin(
        &emu,
        Method::PUT,
        "/progress",
        Some(json!({"ssm": {"reads": 0}})),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.text);
    let r = admin(&emu, Method::PUT, "/progress", Some(json!("nope=reads:1"))).await;
    assert_eq!(r.status, 404, "{}", r.text);

    for _ in 0..3 {
        for exec in &emu.seeded().ssm.window_execution_ids {
            let body = json!({"WindowExecutionId": exec, "MaxResults": 100});
            assert_eq!(aws(&emu, Aws::Ssm, &body).await.status, 200);
        }
    }
    let fx = statuses_of(&emu.fixture());
    assert_eq!(fx[&(Service::Ssm, task.id.clone())], "FAILED");
    let end = emu
        .fixture()
        .ssm
        .iter()
        .flat_map(|e| e.tasks.clone())
        .find(|t| t.task_execution_id == task.id)
        .expect("task");
    assert!(end.start_time.is_some() && end.end_time.is_some());

    // Set back to PENDING by hand: it moves again, on a path from PENDING.
    emu.set_job_status(Service::Ssm, &task.id, "PENDING")
        .expect("valid status");
    let again = emu.progress_report();
    assert_eq!(
        again.job(Service::Ssm, &task.id).map(|j| j.status.as_str()),
        Some("PENDING")
    );

    // A reset rebuilds the data and keeps the rules; the plan is the seed's again.
    let r = admin(&emu, Method::POST, "/reset", None).await;
    assert_eq!(r.status, 200);
    let after_reset = emu.progress_report();
    assert_eq!(after_reset.rules, plan.rules);
    assert_eq!(after_reset.jobs, plan.jobs);
}

#[tokio::test]
async fn the_plan_is_the_same_for_the_same_seed() {
    let all = Progress::all(Progression::Reads(1));
    let plan = |seed: u64| {
        let emu = Emulator::builder().seed(seed).build().expect("build");
        emu.set_progress(all.clone());
        emu.progress_report()
    };
    assert_eq!(plan(5), plan(5));
    assert_ne!(plan(5).jobs, plan(6).jobs);
}

#[tokio::test(start_paused = true)]
async fn time_based_steps_follow_the_clock() {
    let emu = Emulator::builder().seed(9).build().expect("build");
    emu.set_progress(
        "all=secs:10,macie2=ms:500"
            .parse::<Progress>()
            .expect("valid rules"),
    );
    let plan = emu.progress_report();
    let before = statuses_of(&emu.fixture());

    // After `secs` seconds: Macie2 has made `secs * 2` steps (ms:500), the others `secs / 10`.
    let check = |secs: u64| {
        for ((service, id), status) in &statuses_of(&emu.fixture()) {
            let k = match service {
                Service::Macie2 => secs * 2,
                _ => secs / 10,
            };
            let expected = after_steps(&plan, *service, id, k as usize)
                .unwrap_or_else(|| before[&(*service, id.clone())].clone());
            assert_eq!(status, &expected, "{service} {id} at {secs} s");
        }
    };
    tokio::time::advance(Duration::from_secs(9)).await;
    check(9);
    tokio::time::advance(Duration::from_secs(1)).await;
    check(10);
    tokio::time::advance(Duration::from_secs(10)).await;
    check(20);

    tokio::time::advance(Duration::from_secs(60)).await;
    assert!(emu.progress_report().jobs.is_empty());
    let end = statuses_of(&emu.fixture());
    for job in &plan.jobs {
        assert_eq!(end[&(job.service, job.id.clone())], job.final_status);
    }
}

#[tokio::test]
async fn immediate_settles_every_job_at_once() {
    let emu = Emulator::builder().seed(3).build().expect("build");
    let plan = {
        emu.set_progress(Progress::all(Progression::Reads(1)));
        emu.progress_report()
    };
    emu.set_progress(Progress::all(Progression::Immediate));
    assert!(emu.progress_report().jobs.is_empty());
    let end = statuses_of(&emu.fixture());
    for job in &plan.jobs {
        assert_eq!(end[&(job.service, job.id.clone())], job.final_status);
    }
}

/// Pages of a filtered list while the jobs on each page move out of the filter: every job that
/// still matches when the listing reaches it is listed once, none twice, none skipped.
#[tokio::test]
async fn paging_loses_and_repeats_nothing_while_jobs_change_status() {
    let emu = start_with(|b| b.jobs_per_service(200)).await;
    let fixture = emu.fixture();
    emu.set_progress(Progress::all(Progression::Reads(1)));

    // Partner Central: `Running` jobs stop once read, so each page leaves the filter.
    let running: Vec<String> = fixture
        .partner_central
        .iter()
        .filter(|j| j.catalog == "AWS" && j.status == "Running")
        .map(|j| j.id.clone())
        .collect();
    assert!(
        running.len() > 10,
        "too few running jobs: {}",
        running.len()
    );
    let (items, pages) = paginate(
        &emu,
        Aws::Pcs,
        &json!({"Catalog": "AWS", "Status": "Running", "MaxResults": 10}),
        "ResourceSnapshotJobSummaries",
        "NextToken",
    )
    .await;
    assert!(pages > 2);
    let mut listed = ids(&items, "Id");
    let mut expected = running.clone();
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);
    // They were all `Running` when listed, and have stopped since.
    assert!(items.iter().all(|i| i["Status"] == "Running"));
    let (again, _) = paginate(
        &emu,
        Aws::Pcs,
        &json!({"Catalog": "AWS", "Status": "Running", "MaxResults": 10}),
        "ResourceSnapshotJobSummaries",
        "NextToken",
    )
    .await;
    assert!(again.is_empty(), "{again:?}");

    // Macie2: unfiltered, newest first, every job once while statuses move.
    let (items, _) = paginate(
        &emu,
        Aws::Macie,
        &json!({"maxResults": 25}),
        "items",
        "nextToken",
    )
    .await;
    let mut listed = ids(&items, "jobId");
    let mut all: Vec<String> = fixture.macie2.iter().map(|j| j.job_id.clone()).collect();
    listed.sort();
    all.sort();
    assert_eq!(listed, all);

    // SSM: `PENDING` tasks move to `IN_PROGRESS` once read.
    let exec = &fixture.ssm[0];
    let pending: Vec<String> = exec
        .tasks
        .iter()
        .filter(|t| t.status == "PENDING")
        .map(|t| t.task_execution_id.clone())
        .collect();
    assert!(
        pending.len() > 20,
        "too few pending tasks: {}",
        pending.len()
    );
    let (items, _) = paginate(
        &emu,
        Aws::Ssm,
        &json!({"WindowExecutionId": exec.window_execution_id, "MaxResults": 10,
                "Filters": [{"Key": "STATUS", "Values": ["PENDING"]}]}),
        "WindowExecutionTaskIdentities",
        "NextToken",
    )
    .await;
    assert_eq!(ids(&items, "TaskExecutionId"), pending);
}
