//! Listings under injected faults, end to end: the emulator throttles 30% of requests, fails
//! 5% with a 5xx, drops 2% of connections without an answer and adds random latency (fixed
//! seed). With the patient retry configuration every paginated service lists every job
//! exactly once: no duplicate, no gap. With faults on every request, each call ends with a
//! clear error after its configured attempts, within its operation timeout.
//!
//! `cargo test` lists 2,000 items per service. The full sizes (100,000 SSM tasks, 20,000
//! jobs of each other paginated service) are an ignored test, run by `.ci/run` and by hand:
//!
//! ```text
//! cargo test -p cloudjobs-integration-tests --release --test faults -- --ignored --nocapture
//! ```

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use cloudjobs_emulator::{
    DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN, DEFAULT_SECRET_KEY, Emulator, Faults, RunningEmulator,
};
use cloudjobs_runtime::{Handle, RetryConfig, RetryStats, TimeoutConfig};
use futures::TryStreamExt;

/// The fault profile of issue 12.
const PROFILE: Faults = Faults {
    throttle_rate: 0.30,
    server_error_rate: 0.05,
    drop_rate: 0.02,
    latency: Duration::ZERO,
    latency_jitter: Duration::from_millis(2),
};

/// The patient preset (10 attempts, 20,000-token budget, 5 page retries), with backoffs
/// scaled down for a server on loopback: the emulator's faults are random, not a sign of
/// load, so waiting as long as against AWS would only make the run slow.
fn patient() -> RetryConfig {
    RetryConfig::patient()
        .with_initial_backoff(Duration::from_millis(2))
        .with_max_backoff(Duration::from_millis(50))
}

fn config(emu: &RunningEmulator, retry: RetryConfig) -> cloudjobs::Config {
    cloudjobs::Config::builder()
        .region("us-east-1")
        .endpoint_url(emu.url())
        .credentials(cloudjobs::runtime::Credentials::new(
            DEFAULT_ACCESS_KEY,
            DEFAULT_SECRET_KEY,
            None,
            None,
            "emulator",
        ))
        .bearer_token(DEFAULT_BEARER_TOKEN)
        .retry_config(retry)
        .build()
}

fn assert_exactly_once(service: &str, listed: &[String], expected: BTreeSet<String>) {
    let set: BTreeSet<String> = listed.iter().cloned().collect();
    assert_eq!(
        set.len(),
        listed.len(),
        "{service}: an item was listed twice"
    );
    let missing = expected.difference(&set).count();
    let extra = set.difference(&expected).count();
    assert!(
        missing == 0 && extra == 0,
        "{service}: {missing} items missing, {extra} unexpected"
    );
}

/// One line of the report: items, requests, retries by reason, wall time.
fn report(service: &str, items: usize, stats: RetryStats, took: Duration) {
    eprintln!(
        "{service:>20}: {items:>6} items, {:>6} attempts for {:>5} operations, {:>5} retries \
         ({} throttling, {} 5xx, {} transport, {} timeout), {} page retries, {} budget refusals, {:.1?}",
        stats.attempts,
        stats.operations,
        stats.retries,
        stats.throttling_retries,
        stats.server_error_retries,
        stats.transport_retries,
        stats.timeout_retries,
        stats.page_retries,
        stats.budget_exhausted,
        took
    );
}

/// Lists every job of the four paginated services through `emu` and checks each exactly
/// once. SSM lists its largest window execution (`ssm_tasks` tasks).
async fn list_everything(emu: &RunningEmulator, ssm_tasks: usize) -> RetryStats {
    let fixture = emu.emulator().fixture();
    let seeded = emu.seeded();
    let mut total = RetryStats::default();
    let mut add = |s: RetryStats| {
        total.attempts += s.attempts;
        total.operations += s.operations;
        total.retries += s.retries;
        total.throttling_retries += s.throttling_retries;
        total.server_error_retries += s.server_error_retries;
        total.transport_retries += s.transport_retries;
        total.timeout_retries += s.timeout_retries;
        total.page_retries += s.page_retries;
        total.budget_exhausted += s.budget_exhausted;
    };

    // SSM: the tasks of the largest window execution.
    let started = Instant::now();
    let client = cloudjobs::ssm_mw::Client::new(config(emu, patient()));
    let ids: Vec<String> = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(&seeded.ssm.window_execution_ids[0])
        .into_paginator()
        .page_size(100)
        .items()
        .map_ok(|t| t.task_execution_id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("SSM listing failed: {e}"));
    assert_eq!(ids.len(), ssm_tasks);
    let expected = fixture.ssm[0]
        .tasks
        .iter()
        .map(|t| t.task_execution_id.clone())
        .collect();
    assert_exactly_once("ssm", &ids, expected);
    report(
        "ssm",
        ids.len(),
        client.handle().retry_stats(),
        started.elapsed(),
    );
    add(client.handle().retry_stats());

    // Partner Central: every catalog.
    let started = Instant::now();
    let client = cloudjobs::partner_central::Client::new(config(emu, patient()));
    let mut ids = Vec::new();
    for catalog in &seeded.partner_central.catalogs {
        let mut page: Vec<String> = client
            .list_resource_snapshot_jobs()
            .catalog(catalog.as_str())
            .into_paginator()
            .page_size(100)
            .items()
            .map_ok(|j| j.id.unwrap_or_default())
            .try_collect()
            .await
            .unwrap_or_else(|e| panic!("Partner Central listing failed: {e}"));
        ids.append(&mut page);
    }
    let expected = fixture
        .partner_central
        .iter()
        .map(|j| j.id.clone())
        .collect();
    assert_exactly_once("partner-central", &ids, expected);
    report(
        "partner-central",
        ids.len(),
        client.handle().retry_stats(),
        started.elapsed(),
    );
    add(client.handle().retry_stats());

    // Macie2: every classification job (25 per page, Macie's largest page).
    let started = Instant::now();
    let client = cloudjobs::macie2::Client::new(config(emu, patient()));
    let ids: Vec<String> = client
        .list_classification_jobs()
        .into_paginator()
        .page_size(25)
        .items()
        .map_ok(|j| j.job_id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("Macie2 listing failed: {e}"));
    let expected = fixture.macie2.iter().map(|j| j.job_id.clone()).collect();
    assert_exactly_once("macie2", &ids, expected);
    report(
        "macie2",
        ids.len(),
        client.handle().retry_stats(),
        started.elapsed(),
    );
    add(client.handle().retry_stats());

    // SpaceONE: every job of the domain, by offset.
    let started = Instant::now();
    let client = cloudjobs::spaceone_identity::Client::new(config(emu, patient()));
    let ids: Vec<String> = client
        .list_jobs()
        .into_paginator()
        .page_size(100)
        .items()
        .map_ok(|j| j.job_id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("SpaceONE listing failed: {e}"));
    let expected = fixture.spaceone.iter().map(|j| j.job_id.clone()).collect();
    assert_exactly_once("spaceone-identity", &ids, expected);
    report(
        "spaceone-identity",
        ids.len(),
        client.handle().retry_stats(),
        started.elapsed(),
    );
    add(client.handle().retry_stats());
    total
}

async fn faulty_emulator(jobs: usize) -> RunningEmulator {
    Emulator::builder()
        .seed(12)
        .jobs_per_service(jobs)
        .faults(PROFILE)
        .start()
        .await
        .expect("emulator starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_job_exactly_once_under_the_fault_profile() {
    let emu = faulty_emulator(2_000).await;
    let stats = list_everything(&emu, 2_000).await;
    // The profile did bite, and every kind of failure was retried.
    assert!(stats.throttling_retries > 0, "{stats:?}");
    assert!(stats.server_error_retries > 0, "{stats:?}");
    assert!(stats.transport_retries > 0, "{stats:?}");
    emu.shutdown().await;
}

/// The full sizes of issue 12: 100,000 SSM tasks, 20,000 jobs of each other paginated
/// service. Prints the retries seen and the wall time of each service.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "full size: a few minutes; run with --ignored (see CONTRIBUTING)"]
async fn full_size_under_the_fault_profile() {
    let started = Instant::now();
    // The generator gives the first SSM window execution `jobs_per_service` tasks, so the
    // SSM run has its own emulator.
    let emu = faulty_emulator(100_000).await;
    let ssm = {
        let seeded = emu.seeded();
        assert_eq!(seeded.ssm.task_counts[0], 100_000);
        let started = Instant::now();
        let client = cloudjobs::ssm_mw::Client::new(config(&emu, patient()));
        let n = client
            .describe_maintenance_window_execution_tasks()
            .window_execution_id(&seeded.ssm.window_execution_ids[0])
            .into_paginator()
            .page_size(100)
            .items()
            .map_ok(|t| t.task_execution_id.unwrap_or_default())
            .try_collect::<Vec<_>>()
            .await
            .unwrap_or_else(|e| panic!("SSM listing failed: {e}"));
        let expected = emu.emulator().fixture().ssm[0]
            .tasks
            .iter()
            .map(|t| t.task_execution_id.clone())
            .collect();
        assert_exactly_once("ssm", &n, expected);
        report(
            "ssm",
            n.len(),
            client.handle().retry_stats(),
            started.elapsed(),
        );
        client.handle().retry_stats()
    };
    emu.shutdown().await;
    let emu = faulty_emulator(20_000).await;
    let rest = list_everything(&emu, 20_000).await;
    emu.shutdown().await;
    eprintln!(
        "total: {} retries ({} of them SSM's), {} page retries, {:.1?}",
        ssm.retries + rest.retries,
        ssm.retries,
        ssm.page_retries + rest.page_retries,
        started.elapsed()
    );
}

/// Faults on every request: each call fails with a clear error after exactly the configured
/// attempts, well within its operation timeout, and a paginator says where to resume.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_on_every_request_end_each_call_with_a_clear_error() {
    let emu = faulty_emulator(30).await;
    let window = emu.seeded().ssm.window_execution_ids[0].clone();
    let operation_timeout = Duration::from_secs(20);
    let cases: [(&str, Faults, &str); 3] = [
        (
            "throttling",
            Faults {
                throttle_rate: 1.0,
                ..Faults::NONE
            },
            "ThrottlingException",
        ),
        (
            "server errors",
            Faults {
                server_error_rate: 1.0,
                ..Faults::NONE
            },
            "HTTP 5",
        ),
        (
            "dropped connections",
            Faults {
                drop_rate: 1.0,
                ..Faults::NONE
            },
            "dispatch failure",
        ),
    ];
    for (what, faults, expected_text) in cases {
        emu.emulator().set_faults(faults);
        let retry = RetryConfig::standard()
            .with_max_attempts(4)
            .with_initial_backoff(Duration::from_millis(5))
            .with_max_backoff(Duration::from_millis(40));
        let config = config(&emu, retry)
            .to_builder()
            .timeout_config(TimeoutConfig::default().with_operation_timeout(operation_timeout))
            .build();
        let client = cloudjobs::ssm_mw::Client::new(config);
        let started = Instant::now();
        let err = client
            .describe_maintenance_window_execution_tasks()
            .window_execution_id(&window)
            .send()
            .await
            .expect_err(what);
        let took = started.elapsed();
        assert_eq!(err.attempts(), 4, "{what}: {err}");
        assert!(took < operation_timeout, "{what}: {took:?}");
        let text = err.to_string();
        assert!(
            text.contains(expected_text) && text.contains("4 attempts"),
            "{what}: {text}"
        );
        let stats: RetryStats = Handle::retry_stats(client.handle());
        assert_eq!((stats.attempts, stats.retries), (4, 3), "{what}");

        let err = client
            .describe_maintenance_window_execution_tasks()
            .window_execution_id(&window)
            .into_paginator()
            .items()
            .try_collect::<Vec<_>>()
            .await
            .expect_err(what);
        assert_eq!(
            err.resume_point(),
            Some(&cloudjobs_runtime::ResumePoint::Start),
            "{what}"
        );
        if what == "throttling" {
            assert_eq!(err.code(), Some("ThrottlingException"));
        }
    }
    emu.shutdown().await;
}
