//! Test doubles with no server: typed mocks (`<crate>::mock`) and recorded sessions replayed
//! from `tests/fixtures/replay/<crate>.json`, for one operation of each of the five crates;
//! a session recorded against the emulator replays identically and holds no secret; and the
//! response metadata of `send_with_metadata()`.
//!
//! The committed recordings are made by the ignored test `record_replay_fixtures`:
//!
//! ```text
//! cargo test -p cloudjobs-integration-tests --test doubles -- --ignored record_replay_fixtures
//! ```

use std::path::{Path, PathBuf};

use cloudjobs::runtime::replay::{RecordingTransport, ReplayTransport};
use cloudjobs::runtime::{Credentials, Error, HttpResponse};
use cloudjobs::{Config, ProvideErrorMetadata};
use cloudjobs_emulator::{
    DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN, DEFAULT_SECRET_KEY, Emulator, Seeded,
};
use futures::TryStreamExt;

/// The emulator data the sessions and recordings use (small, so recordings stay short).
fn emulator_builder() -> cloudjobs_emulator::EmulatorBuilder {
    Emulator::builder().seed(11).jobs_per_service(12)
}

fn seeded() -> Seeded {
    emulator_builder().build().expect("emulator data").seeded()
}

fn http(status: u16, headers: &[(&'static str, &'static str)], body: &'static str) -> HttpResponse {
    let mut response = HttpResponse {
        status,
        headers: Default::default(),
        body: body.into(),
    };
    for (name, value) in headers {
        response.headers.insert(*name, value.parse().unwrap());
    }
    response
}

// ---------------------------------------------------------------- typed mocks

#[tokio::test]
async fn partner_central_mocks() {
    use cloudjobs::partner_central::mock;
    use cloudjobs::partner_central::operation::list_resource_snapshot_jobs::{
        ListResourceSnapshotJobsError as E, ListResourceSnapshotJobsOutput as Out,
    };
    use cloudjobs::partner_central::types::*;
    let page = |ids: &[&str], next: Option<&str>| {
        let mut b = Out::builder();
        for id in ids {
            b = b.resource_snapshot_job_summaries(
                ResourceSnapshotJobSummary::builder().id(*id).build(),
            );
        }
        if let Some(n) = next {
            b = b.next_token(n);
        }
        b.build()
    };
    let first = mock::list_resource_snapshot_jobs()
        .match_requests(|i| i.catalog.as_deref() == Some("AWS") && i.next_token.is_none())
        .then_output(move || page(&["job-1", "job-2"], Some("t2")));
    let second = mock::list_resource_snapshot_jobs()
        .match_requests(|i| i.next_token.as_deref() == Some("t2"))
        .then_output(move || page(&["job-3"], None));
    let denied = mock::list_resource_snapshot_jobs()
        .match_requests(|i| i.catalog.as_deref() == Some("Sandbox"))
        .sequence()
        .error(|| E::AccessDeniedException(AccessDeniedException::builder().message("no").build()))
        .http_response(|| {
            http(
                400,
                &[("x-amzn-requestid", "req-9")],
                r#"{"__type":"ValidationException","Message":"bad","Reason":"REQUEST_VALIDATION_FAILED"}"#,
            )
        })
        .build();
    let client = mock::client(&[&first, &second, &denied]);

    let ids: Vec<String> = client
        .list_resource_snapshot_jobs()
        .catalog("AWS")
        .into_paginator()
        .items()
        .map_ok(|j| j.id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["job-1", "job-2", "job-3"]);
    assert_eq!((first.num_calls(), second.num_calls()), (1, 1));

    let sandbox = || {
        client
            .list_resource_snapshot_jobs()
            .catalog("Sandbox")
            .send()
    };
    let err = sandbox().await.unwrap_err().into_service_error().unwrap();
    assert!(err.is_access_denied_exception(), "{err:?}");
    let err = sandbox().await.unwrap_err();
    assert_eq!(err.request_id(), Some("req-9"));
    let err = err.into_service_error().unwrap();
    match &err {
        E::ValidationException(v) => {
            assert_eq!(v.message.as_deref(), Some("bad"));
            assert_eq!(
                v.reason,
                Some(ValidationExceptionReason::RequestValidationFailed)
            );
        }
        other => panic!("expected ValidationException, got {other:?}"),
    }
    // The sequence is used up, and no other rule takes Sandbox.
    let err = sandbox().await.unwrap_err();
    assert!(matches!(err, Error::Construction(_)), "{err:?}");
    assert!(
        err.to_string().contains("ListResourceSnapshotJobs"),
        "{err}"
    );
    assert!(err.to_string().contains("Sandbox"), "{err}");
    assert_eq!(denied.num_calls(), 2);
    // Input validation runs before the rules: a missing catalog never reaches them.
    let err = client
        .list_resource_snapshot_jobs()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    assert_eq!(
        first.num_calls() + second.num_calls() + denied.num_calls(),
        4
    );
}

#[tokio::test]
async fn macie2_mocks() {
    use cloudjobs::macie2::mock;
    use cloudjobs::macie2::operation::list_classification_jobs::{
        ListClassificationJobsError as E, ListClassificationJobsOutput as Out,
    };
    use cloudjobs::macie2::types::*;
    let pages = mock::list_classification_jobs()
        .sequence()
        .output(|| {
            Out::builder()
                .items(JobSummary::builder().job_id("a").build())
                .next_token("n")
                .build()
        })
        .output(|| {
            Out::builder()
                .items(JobSummary::builder().job_id("b").build())
                .build()
        })
        .http_response(|| {
            http(
                409,
                &[
                    ("x-amzn-errortype", "ConflictException:http://internal"),
                    ("x-amzn-requestid", "r-1"),
                ],
                r#"{"message":"busy"}"#,
            )
        })
        .error(|| E::ThrottlingException(ThrottlingException::builder().message("slow").build()))
        .times(2)
        .build();
    let client = mock::client(&[&pages]);
    let ids: Vec<String> = client
        .list_classification_jobs()
        .into_paginator()
        .items()
        .map_ok(|j| j.job_id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b"]);
    let err = client.list_classification_jobs().send().await.unwrap_err();
    assert_eq!(
        (err.status(), err.code()),
        (Some(409), Some("ConflictException"))
    );
    assert!(err.into_service_error().unwrap().is_conflict_exception());
    for _ in 0..2 {
        let err = client.list_classification_jobs().send().await.unwrap_err();
        assert!(matches!(
            err.into_service_error(),
            Some(E::ThrottlingException(_))
        ));
    }
    assert_eq!(pages.num_calls(), 5);
    assert!(pages.is_exhausted());
}

#[tokio::test]
async fn ssm_mocks() {
    use cloudjobs::ssm_mw::mock;
    use cloudjobs::ssm_mw::operation::describe_maintenance_window_execution_tasks::{
        DescribeMaintenanceWindowExecutionTasksError as E,
        DescribeMaintenanceWindowExecutionTasksOutput as Out,
    };
    use cloudjobs::ssm_mw::types::*;
    let id = seeded().ssm.window_execution_ids[0].clone();
    let known = id.clone();
    let tasks = mock::describe_maintenance_window_execution_tasks()
        .match_requests(move |i| i.window_execution_id.as_deref() == Some(known.as_str()))
        .then_output(|| {
            Out::builder()
                .window_execution_task_identities(
                    MaintenanceWindowExecutionTaskIdentity::builder()
                        .task_execution_id("t-1")
                        .build(),
                )
                .build()
        });
    let missing = mock::describe_maintenance_window_execution_tasks().then_http_response(|| {
        http(
            400,
            &[],
            r#"{"__type":"com.amazonaws.ssm#DoesNotExistException","Message":"no such execution"}"#,
        )
    });
    let client = mock::client(&[&tasks, &missing]);
    let out = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(&id)
        .send_with_metadata()
        .await
        .unwrap();
    assert_eq!(out.metadata().status(), 200);
    let items = out.into_inner().window_execution_task_identities.unwrap();
    assert_eq!(items[0].task_execution_id.as_deref(), Some("t-1"));
    let other = id.replace(|c: char| c.is_ascii_hexdigit(), "0");
    let err = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(&other)
        .send()
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    match err {
        E::DoesNotExistException(e) => assert_eq!(e.message.as_deref(), Some("no such execution")),
        other => panic!("expected DoesNotExistException, got {other:?}"),
    }
    assert_eq!((tasks.num_calls(), missing.num_calls()), (1, 1));
}

#[tokio::test]
async fn spaceone_mocks() {
    use cloudjobs::spaceone_identity::mock;
    use cloudjobs::spaceone_identity::operation::get_job::GetJobError;
    use cloudjobs::spaceone_identity::types::*;
    let page = |ids: &[&str]| {
        let mut b = JobsInfo::builder().total_count(3);
        for id in ids {
            b = b.results(JobInfo::builder().job_id(*id).build());
        }
        b.build()
    };
    let pages = mock::list_jobs()
        .sequence()
        .output(move || page(&["j-1", "j-2"]))
        .output(move || page(&["j-3"]))
        .build();
    let gone = mock::get_job()
        .match_requests(|i| i.job_id.as_deref() == Some("j-gone"))
        .then_http_response(|| {
            http(
                404,
                &[],
                r#"{"detail":{"code":"ERROR_NOT_FOUND","message":"job not found"}}"#,
            )
        });
    let found = mock::get_job().then_error(|| {
        GetJobError::Forbidden(
            ErrorResponse::builder()
                .detail(
                    ErrorDetail::builder()
                        .code("ERROR_PERMISSION_DENIED")
                        .build(),
                )
                .build(),
        )
    });
    let client = mock::client(&[&pages, &gone, &found]);
    let ids: Vec<String> = client
        .list_jobs()
        .into_paginator()
        .page_size(2)
        .items()
        .map_ok(|j| j.job_id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["j-1", "j-2", "j-3"]);
    assert_eq!(pages.num_calls(), 2);
    let err = client.get_job().job_id("j-gone").send().await.unwrap_err();
    let err = err.into_service_error().unwrap();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("ERROR_NOT_FOUND"));
    let err = client.get_job().job_id("j-1").send().await.unwrap_err();
    assert!(err.into_service_error().unwrap().is_forbidden());
    assert_eq!((gone.num_calls(), found.num_calls()), (1, 1));
}

#[tokio::test]
async fn cloud_rewind_mocks() {
    use cloudjobs::cloud_rewind::mock;
    use cloudjobs::cloud_rewind::operation::get_aws_protection_status::GetAwsProtectionStatusError as E;
    use cloudjobs::cloud_rewind::types::*;
    let p = seeded().cloud_rewind.protections[0].clone();
    let status = mock::get_aws_protection_status()
        .sequence()
        .output(|| {
            ProtectionStatusResponse::builder()
                .status(ProtectionStatus::InProgress)
                .build()
        })
        .http_response(|| http(200, &[("x-request-id", "cr-2")], r#"{"status":"success"}"#))
        .http_response(|| http(412, &[], r#"{"errors":[{"code":"ASSEMBLY_DISABLED"}]}"#))
        .error(|| E::Conflict(ErrorResponse::builder().build()))
        .build();
    let client = mock::client(&[&status]);
    let get = || {
        client
            .get_aws_protection_status()
            .account_id(p.account_id)
            .project_id(&p.project_id)
            .cloud_assembly_id(p.cloud_assembly_id)
            .protection_id(&p.protection_id)
    };
    assert_eq!(
        get().send().await.unwrap().status,
        Some(ProtectionStatus::InProgress)
    );
    let out = get().send_with_metadata().await.unwrap();
    assert_eq!(out.metadata().request_id(), Some("cr-2"));
    assert_eq!(out.status, Some(ProtectionStatus::Success));
    assert!(matches!(
        get().send().await.unwrap_err().into_service_error(),
        Some(E::PreconditionFailed(_))
    ));
    assert!(matches!(
        get().send().await.unwrap_err().into_service_error(),
        Some(E::Conflict(_))
    ));
    assert_eq!(status.num_calls(), 4);
    assert!(get().send().await.is_err());
}

// ---------------------------------------------------------------- sessions

/// Configs of the five services: against `url` with the emulator's credentials.
fn aws_config(url: &str) -> cloudjobs::runtime::ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::new(
            DEFAULT_ACCESS_KEY,
            DEFAULT_SECRET_KEY,
            Some("emulator-session-token".into()),
            None,
            "emulator",
        ))
        .max_attempts(1)
}

fn bearer_config(url: &str) -> cloudjobs::runtime::ConfigBuilder {
    Config::builder()
        .endpoint_url(url)
        .bearer_token(DEFAULT_BEARER_TOKEN)
        .max_attempts(1)
}

const SERVICES: [&str; 5] = [
    "partner-central",
    "macie2",
    "ssm-mw",
    "spaceone-identity",
    "cloud-rewind",
];

/// One service's session: a paginated listing and a modeled error, each result as its `Debug`
/// text (outputs, and errors with their code, message and request id).
async fn session(service: &str, config: Config, seeded: &Seeded) -> Vec<String> {
    let mut out = Vec::new();
    match service {
        "partner-central" => {
            let client = cloudjobs::partner_central::Client::new(config);
            let items: Result<Vec<_>, _> = client
                .list_resource_snapshot_jobs()
                .catalog("AWS")
                .into_paginator()
                .page_size(5)
                .items()
                .try_collect()
                .await;
            out.push(format!("{items:?}"));
            // Over the service's limit; the config checks required members only, so the
            // emulator answers a ValidationException.
            let err = client
                .list_resource_snapshot_jobs()
                .catalog("AWS")
                .max_results(5000)
                .send_with_metadata()
                .await;
            out.push(format!("{err:?}"));
        }
        "macie2" => {
            let client = cloudjobs::macie2::Client::new(config);
            let items: Result<Vec<_>, _> = client
                .list_classification_jobs()
                .into_paginator()
                .page_size(5)
                .items()
                .try_collect()
                .await;
            out.push(format!("{items:?}"));
        }
        "ssm-mw" => {
            let client = cloudjobs::ssm_mw::Client::new(config);
            let items: Result<Vec<_>, _> = client
                .describe_maintenance_window_execution_tasks()
                .window_execution_id(&seeded.ssm.window_execution_ids[0])
                .into_paginator()
                .page_size(10)
                .items()
                .try_collect()
                .await;
            out.push(format!("{items:?}"));
            let missing = client
                .describe_maintenance_window_execution_tasks()
                .window_execution_id("00000000-0000-0000-0000-000000000000")
                .send()
                .await;
            out.push(format!("{missing:?}"));
        }
        "spaceone-identity" => {
            let client = cloudjobs::spaceone_identity::Client::new(config);
            let items: Result<Vec<_>, _> = client
                .list_jobs()
                .into_paginator()
                .page_size(5)
                .items()
                .try_collect()
                .await;
            out.push(format!("{items:?}"));
            let missing = client.get_job().job_id("job-not-there").send().await;
            out.push(format!("{missing:?}"));
        }
        "cloud-rewind" => {
            let client = cloudjobs::cloud_rewind::Client::new(config);
            for p in seeded.cloud_rewind.protections.iter().take(3) {
                let status = client
                    .get_aws_protection_status()
                    .account_id(p.account_id)
                    .project_id(&p.project_id)
                    .cloud_assembly_id(p.cloud_assembly_id)
                    .protection_id(&p.protection_id)
                    .send_with_metadata()
                    .await;
                out.push(format!("{status:?}"));
            }
        }
        other => panic!("no session for {other}"),
    }
    out
}

fn config_for(service: &str, url: &str) -> cloudjobs::runtime::ConfigBuilder {
    match service {
        "spaceone-identity" | "cloud-rewind" => bearer_config(url),
        _ => aws_config(url).validation(cloudjobs::Validation::RequiredOnly),
    }
}

fn fixture_path(service: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/replay")
        .join(format!("{service}.json"))
}

/// Records each service's session against a fresh emulator to `dir/<service>.json`; returns
/// what the sessions saw.
async fn record(dir: &Path) -> Vec<(String, Vec<String>)> {
    let emu = emulator_builder().start().await.expect("emulator starts");
    let seeded = emu.seeded();
    let mut seen = Vec::new();
    for service in SERVICES {
        let recorder = RecordingTransport::with_reqwest(dir.join(format!("{service}.json")))
            .expect("recorder");
        let config = config_for(service, &emu.url()).transport(recorder).build();
        seen.push((service.to_owned(), session(service, config, &seeded).await));
    }
    emu.shutdown().await;
    seen
}

/// Replays `file` for `service` with no server (the endpoint is a closed port).
async fn replay(service: &str, file: &Path, seeded: &Seeded) -> (Vec<String>, ReplayTransport) {
    let replayer = ReplayTransport::from_file(file).expect("recording loads");
    let config = config_for(service, "http://127.0.0.1:9")
        .transport(replayer.clone())
        .build();
    (session(service, config, seeded).await, replayer)
}

#[tokio::test]
async fn a_recorded_emulator_session_replays_identically_and_holds_no_secret() {
    let dir = std::env::temp_dir().join(format!("cloudjobs-doubles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seeded = seeded();
    let recorded = record(&dir).await;
    for (service, live) in recorded {
        assert!(
            live.iter().all(|r| !r.contains("Dispatch")),
            "{service}: {live:?}"
        );
        let file = dir.join(format!("{service}.json"));
        let (replayed, replayer) = replay(&service, &file, &seeded).await;
        assert_eq!(live, replayed, "{service}: the replay differs");
        replayer.assert_all_used();
        let text = std::fs::read_to_string(&file).unwrap();
        for secret in [
            DEFAULT_SECRET_KEY,
            DEFAULT_BEARER_TOKEN,
            "emulator-session-token",
            "Signature=",
            "Bearer ",
        ] {
            assert!(
                !text.contains(secret),
                "{service}: `{secret}` in {}",
                file.display()
            );
        }
        assert!(text.contains("<redacted>"), "{service}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Re-records the committed fixtures (see the module docs).
#[tokio::test]
#[ignore = "writes tests/fixtures/replay; run on purpose to re-record"]
async fn record_replay_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/replay");
    std::fs::create_dir_all(&dir).unwrap();
    record(&dir).await;
}

/// The committed recordings replay with no server, and what they answer is the emulator's data.
#[tokio::test]
async fn committed_recordings_replay_without_a_server() {
    let emu = emulator_builder().build().unwrap();
    let seeded = emu.seeded();
    let fixture = emu.fixture();
    for service in SERVICES {
        let (seen, replayer) = replay(service, &fixture_path(service), &seeded).await;
        replayer.assert_all_used();
        let first = &seen[0];
        assert!(first.starts_with("Ok("), "{service}: {first}");
        match service {
            "partner-central" => {
                for job in fixture
                    .partner_central
                    .iter()
                    .filter(|j| j.catalog == "AWS")
                {
                    assert!(first.contains(&job.id), "{service}: {} missing", job.id);
                }
                assert!(seen[1].contains("ValidationException"), "{}", seen[1]);
            }
            "macie2" => {
                for job in &fixture.macie2 {
                    assert!(
                        first.contains(&job.job_id),
                        "{service}: {} missing",
                        job.job_id
                    );
                }
            }
            "ssm-mw" => assert!(seen[1].contains("DoesNotExistException"), "{}", seen[1]),
            "spaceone-identity" => {
                for job in &fixture.spaceone {
                    assert!(
                        first.contains(&job.job_id),
                        "{service}: {} missing",
                        job.job_id
                    );
                }
                assert!(seen[1].contains("NotFound"), "{}", seen[1]);
            }
            "cloud-rewind" => assert!(seen.len() == 3, "{seen:?}"),
            _ => unreachable!(),
        }
    }
}

// ---------------------------------------------------------------- metadata

#[tokio::test]
async fn send_with_metadata_reports_status_and_request_id() {
    let emu = emulator_builder().start().await.expect("emulator starts");
    let macie = cloudjobs::macie2::Client::new(aws_config(&emu.url()).build());
    let out = macie
        .list_classification_jobs()
        .send_with_metadata()
        .await
        .unwrap();
    assert_eq!(out.metadata().status(), 200);
    let rid = out
        .metadata()
        .request_id()
        .expect("a request id")
        .to_owned();
    assert!(!rid.is_empty());
    assert!(out.items.is_some());
    let again = macie
        .list_classification_jobs()
        .send_with_metadata()
        .await
        .unwrap();
    assert_ne!(again.metadata().request_id(), Some(rid.as_str()));

    // Paginators give each page's metadata too.
    let pages: Vec<_> = macie
        .list_classification_jobs()
        .into_paginator()
        .page_size(5)
        .pages_with_metadata()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3, "12 jobs by 5");
    let ids: std::collections::BTreeSet<_> = pages
        .iter()
        .map(|p| {
            assert_eq!(p.metadata().status(), 200);
            p.metadata().request_id().expect("a request id").to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 3, "one request id per page");
    assert_eq!(
        pages
            .iter()
            .map(|p| p.items.as_ref().map_or(0, Vec::len))
            .sum::<usize>(),
        12
    );

    let spaceone = cloudjobs::spaceone_identity::Client::new(bearer_config(&emu.url()).build());
    let (jobs, meta) = spaceone
        .list_jobs()
        .send_with_metadata()
        .await
        .unwrap()
        .into_parts();
    assert_eq!(meta.status(), 200);
    assert!(jobs.results.is_some());
    emu.shutdown().await;
}
