//! `cloudjobs::jobs` against the emulator in this process: the cross-service stream returns
//! exactly the seeded jobs, one service with wrong credentials does not stop the others, and
//! watching or waiting works for a job of each of the five services.

use std::collections::BTreeSet;
use std::time::Duration;

use cloudjobs::jobs::{
    CloudRewindScope, ErrorKind, JobClient, JobQuery, JobRef, Macie2Scope, PartnerCentralScope,
    ProtectionRef, ServiceError, SpaceoneScope, SsmMwScope,
};
use cloudjobs::runtime::Credentials;
use cloudjobs::{Config, Job, JobState, Service, WaitError, WaiterConfig};
use cloudjobs_emulator::{
    DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN, DEFAULT_SECRET_KEY, Emulator, Fixture,
    RunningEmulator,
};
use futures::StreamExt;

fn config(url: &str, access_key: &str, token: &str) -> Config {
    Config::builder()
        .endpoint_url(url)
        .region("us-east-1")
        .credentials(Credentials::new(
            access_key,
            DEFAULT_SECRET_KEY,
            None,
            None,
            "test",
        ))
        .bearer_token(token)
        .build()
}

async fn start() -> RunningEmulator {
    start_with(9).await
}

async fn start_with(jobs_per_service: usize) -> RunningEmulator {
    Emulator::builder()
        .seed(5)
        .jobs_per_service(jobs_per_service)
        .start()
        .await
        .expect("start the emulator")
}

fn protection(p: &cloudjobs_emulator::ProtectionRef) -> ProtectionRef {
    ProtectionRef {
        account_id: p.account_id,
        project_id: p.project_id.clone(),
        cloud_assembly_id: p.cloud_assembly_id,
        protection_id: p.protection_id.clone(),
    }
}

/// Every service, scoped to all the seeded data (Cloud Rewind without the locked protection and
/// the one in a disabled assembly, which answer with errors).
fn everything(emu: &RunningEmulator) -> JobQuery {
    let seeded = emu.seeded();
    let cr = &seeded.cloud_rewind;
    let protections = cr
        .protections
        .iter()
        .filter(|p| cr.locked.as_ref() != Some(*p) && cr.assembly_disabled.as_ref() != Some(*p))
        .map(protection)
        .collect();
    JobQuery::new()
        .partner_central(PartnerCentralScope {
            catalogs: seeded.partner_central.catalogs.clone(),
            ..Default::default()
        })
        .macie2(Macie2Scope::default())
        .ssm_mw(SsmMwScope {
            window_execution_ids: seeded.ssm.window_execution_ids.clone(),
            statuses: Vec::new(),
        })
        .spaceone_identity(SpaceoneScope::default())
        .cloud_rewind(CloudRewindScope { protections })
        .page_size(3)
}

/// `(service, id)` of every job the fixture holds that [`everything`] asks for.
fn seeded_jobs(fixture: &Fixture, query: &JobQuery) -> BTreeSet<(Service, String)> {
    let mut out = BTreeSet::new();
    out.extend(
        fixture
            .partner_central
            .iter()
            .map(|j| (Service::PartnerCentral, j.id.clone())),
    );
    out.extend(
        fixture
            .macie2
            .iter()
            .map(|j| (Service::Macie2, j.job_id.clone())),
    );
    for e in &fixture.ssm {
        out.extend(
            e.tasks
                .iter()
                .map(|t| (Service::SsmMw, t.task_execution_id.clone())),
        );
    }
    out.extend(
        fixture
            .spaceone
            .iter()
            .map(|j| (Service::SpaceoneIdentity, j.job_id.clone())),
    );
    let protections = &query.cloud_rewind.as_ref().unwrap().protections;
    out.extend(
        protections
            .iter()
            .map(|p| (Service::CloudRewind, p.protection_id.clone())),
    );
    out
}

async fn collect(client: &JobClient, query: &JobQuery) -> (Vec<Job>, Vec<ServiceError>) {
    let mut jobs = Vec::new();
    let mut errors = Vec::new();
    let mut stream = client.list(query);
    while let Some(item) = stream.next().await {
        match item {
            Ok(job) => jobs.push(job),
            Err(e) => errors.push(e),
        }
    }
    (jobs, errors)
}

fn keys(jobs: &[Job]) -> BTreeSet<(Service, String)> {
    jobs.iter().map(|j| (j.service, j.id.clone())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_service_listing_returns_exactly_the_seeded_jobs() {
    let emu = start().await;
    let client = JobClient::new(config(&emu.url(), DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN));
    let query = everything(&emu);
    assert_eq!(query.services(), Service::ALL);
    let (jobs, errors) = collect(&client, &query).await;
    assert!(errors.is_empty(), "{errors:?}");
    let expected = seeded_jobs(&emu.emulator().fixture(), &query);
    assert_eq!(keys(&jobs), expected);
    assert_eq!(jobs.len(), expected.len(), "a job came twice");
    assert!(
        jobs.iter().all(|j| j.state != JobState::Unknown),
        "{jobs:?}"
    );
    let rewind = jobs
        .iter()
        .find(|j| j.service == Service::CloudRewind)
        .unwrap();
    assert_eq!(
        rewind.name.as_deref().map(|n| n.matches('/').count()),
        Some(2)
    );

    // The state filter keeps exactly the jobs in those states.
    let ended_badly = [JobState::Failed, JobState::Cancelled];
    let (filtered, errors) = collect(&client, &query.clone().states(ended_badly)).await;
    assert!(errors.is_empty(), "{errors:?}");
    let want: BTreeSet<_> = jobs
        .iter()
        .filter(|j| ended_badly.contains(&j.state))
        .map(|j| (j.service, j.id.clone()))
        .collect();
    assert!(!want.is_empty());
    assert_eq!(keys(&filtered), want);

    // A cap per service, counted after the state filter.
    let capped = query
        .clone()
        .states([JobState::Running])
        .max_items_per_service(2);
    let (few, errors) = collect(&client, &capped).await;
    assert!(errors.is_empty(), "{errors:?}");
    for service in Service::ALL {
        let running = jobs
            .iter()
            .filter(|j| j.service == service && j.state == JobState::Running)
            .count();
        let got: Vec<&Job> = few.iter().filter(|j| j.service == service).collect();
        assert_eq!(got.len(), running.min(2), "{service}");
        assert!(got.iter().all(|j| j.state == JobState::Running));
    }
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_service_with_wrong_credentials_does_not_stop_the_others() {
    // Few jobs: every service is listed five times.
    let emu = start_with(3).await;
    let good = config(&emu.url(), DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN);
    let bad = config(&emu.url(), "AKIDWRONGWRONGWRONG", "wrong-token");
    // The services' default page sizes: paging is covered above, this runs five times.
    let mut query = everything(&emu);
    query.page_size = None;
    let all = seeded_jobs(&emu.emulator().fixture(), &query);
    for failing in Service::ALL {
        let client = JobClient::new(good.clone()).with_service_config(failing, bad.clone());
        let (jobs, errors) = collect(&client, &query).await;
        let expected: BTreeSet<_> = all.iter().filter(|(s, _)| *s != failing).cloned().collect();
        assert_eq!(keys(&jobs), expected, "with {failing} failing");
        assert!(!errors.is_empty(), "no error from {failing}");
        for e in &errors {
            assert_eq!(e.service(), failing, "{e}");
            assert!(e.to_string().starts_with(failing.as_str()), "{e}");
            match e.kind() {
                ErrorKind::Service { status, .. } => {
                    assert!(matches!(status, 401 | 403), "{e}")
                }
                other => panic!("{failing}: unexpected {other:?}: {e}"),
            }
            // The wrong secrets never show.
            assert!(!e.to_string().contains("wrong-token"), "{e}");
        }
    }
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_assembly_is_an_error_naming_the_protection() {
    let emu = start().await;
    let client = JobClient::new(config(&emu.url(), DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN));
    let seeded = emu.seeded();
    let disabled = seeded
        .cloud_rewind
        .assembly_disabled
        .as_ref()
        .expect("the seeded data has a protection in a disabled assembly");
    let err = client
        .get(&JobRef::CloudRewind(protection(disabled)))
        .await
        .unwrap_err();
    assert_eq!(err.service(), Service::CloudRewind);
    assert!(err.to_string().contains(&disabled.protection_id), "{err}");
    emu.shutdown().await;
}

/// A job of `service` that is not settled, with the emulator's name of the service.
fn unsettled(emu: &RunningEmulator, service: Service) -> (JobRef, cloudjobs_emulator::Service) {
    use cloudjobs_emulator::Service as Emu;
    let f = emu.emulator().fixture();
    let open = |raw: &str| !JobState::from_service(service, raw).is_settled();
    match service {
        Service::PartnerCentral => {
            let j = f.partner_central.iter().find(|j| open(&j.status)).unwrap();
            let job = JobRef::PartnerCentral {
                catalog: j.catalog.clone(),
                id: j.id.clone(),
            };
            (job, Emu::PartnerCentral)
        }
        Service::Macie2 => {
            let j = f.macie2.iter().find(|j| open(&j.job_status)).unwrap();
            (
                JobRef::Macie2 {
                    id: j.job_id.clone(),
                },
                Emu::Macie2,
            )
        }
        Service::SsmMw => {
            let (e, t) = f
                .ssm
                .iter()
                .flat_map(|e| e.tasks.iter().map(move |t| (e, t)))
                .find(|(_, t)| open(&t.status))
                .unwrap();
            let job = JobRef::SsmMw {
                window_execution_id: e.window_execution_id.clone(),
                task_execution_id: t.task_execution_id.clone(),
            };
            (job, Emu::Ssm)
        }
        Service::SpaceoneIdentity => {
            let j = f.spaceone.iter().find(|j| open(&j.status)).unwrap();
            let job = JobRef::SpaceoneIdentity {
                job_id: j.job_id.clone(),
            };
            (job, Emu::SpaceOne)
        }
        Service::CloudRewind => {
            let seeded = emu.seeded();
            let cr = &seeded.cloud_rewind;
            let p = cr
                .protections
                .iter()
                .find(|p| {
                    open(&p.status)
                        && cr.locked.as_ref() != Some(*p)
                        && cr.assembly_disabled.as_ref() != Some(*p)
                })
                .unwrap();
            (JobRef::CloudRewind(protection(p)), Emu::CloudRewind)
        }
    }
}

fn fast() -> WaiterConfig {
    WaiterConfig {
        min_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(80),
        max_wait: Duration::from_secs(30),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_and_wait_on_each_service() {
    let emu = start().await;
    let client = JobClient::new(config(&emu.url(), DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN));
    // The final status set through the admin API, and the state it must end in.
    let finals = [
        (Service::PartnerCentral, "Stopped", JobState::Paused),
        (Service::Macie2, "CANCELLED", JobState::Cancelled),
        (Service::SsmMw, "FAILED", JobState::Failed),
        (Service::SpaceoneIdentity, "SUCCESS", JobState::Succeeded),
        (Service::CloudRewind, "failed", JobState::Failed),
    ];
    for (service, status, state) in finals {
        let (job, emu_service) = unsettled(&emu, service);
        let mut changes = client.watch(job.clone(), fast());
        let first = changes.next().await.unwrap().unwrap();
        assert_eq!(first.id, job.id());
        assert!(!first.state.is_settled(), "{first:?}");
        emu.emulator()
            .set_job_status(emu_service, job.id(), status)
            .unwrap();
        let rest: Vec<Job> = changes.map(|item| item.unwrap()).collect().await;
        let last = rest
            .last()
            .unwrap_or_else(|| panic!("{service}: no change seen"));
        assert_eq!(last.state, state, "{service}");
        assert_eq!(last.raw_status.as_deref(), Some(status));

        // Waiting on the settled job tells how it ended.
        let outcome = client.wait(job.clone(), fast()).await.unwrap();
        assert_eq!(
            outcome.is_success(),
            state == JobState::Succeeded,
            "{service}"
        );
        assert_eq!(outcome.job().state, state);
    }
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadlines_and_missing_jobs() {
    let emu = start().await;
    let client = JobClient::new(config(&emu.url(), DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN));
    let (job, _) = unsettled(&emu, Service::Macie2);
    let short = WaiterConfig {
        max_wait: Duration::from_millis(200),
        ..fast()
    };
    match client.wait(job, short).await {
        Err(WaitError::TimedOut { last, polls }) => {
            assert!(!last.state.is_settled(), "{last:?}");
            assert!(polls >= 1, "{polls}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }

    let missing = JobRef::SsmMw {
        window_execution_id: emu.seeded().ssm.window_execution_ids[0].clone(),
        task_execution_id: "00000000-0000-0000-0000-000000000000".into(),
    };
    let err = client.get(&missing).await.unwrap_err();
    assert_eq!(err.service(), Service::SsmMw);
    assert_eq!(err.kind(), &ErrorKind::NotFound);
    assert!(err.to_string().contains("00000000-0000"), "{err}");
    match client.wait(missing, fast()).await {
        Err(WaitError::Poll(e)) => assert_eq!(e.kind(), &ErrorKind::NotFound),
        other => panic!("expected the poll error, got {other:?}"),
    }
    emu.shutdown().await;
}
