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

use cloudjobs_emulator::{Emulator, Faults, RunningEmulator};
use cloudjobs_runtime::{Handle, RetryConfig, RetryStats, TimeoutConfig};
use futures::TryStreamExt;

mod common;

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
    common::emulator_config(&emu.url())
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

/// Checks a service's listing (every expected item once) and reports it with the retries of
/// its client; returns them.
fn check(
    service: &str,
    listed: &[String],
    expected: BTreeSet<String>,
    handle: &Handle,
    started: Instant,
) -> RetryStats {
    assert_exactly_once(service, listed, expected);
    let stats = handle.retry_stats();
    report(service, listed.len(), stats, started.elapsed());
    stats
}

/// Adds the counters of `b` to `a`.
fn add(a: &mut RetryStats, b: RetryStats) {
    a.operations += b.operations;
    a.attempts += b.attempts;
    a.retries += b.retries;
    a.throttling_retries += b.throttling_retries;
    a.server_error_retries += b.server_error_retries;
    a.transport_retries += b.transport_retries;
    a.timeout_retries += b.timeout_retries;
    a.page_retries += b.page_retries;
    a.budget_exhausted += b.budget_exhausted;
}

/// Lists the tasks of the largest SSM window execution (`tasks` of them).
async fn list_ssm(emu: &RunningEmulator, tasks: usize) -> RetryStats {
    let started = Instant::now();
    let client = cloudjobs::ssm_mw::Client::new(config(emu, patient()));
    let ids: Vec<String> = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(&emu.seeded().ssm.window_execution_ids[0])
        .into_paginator()
        .page_size(100)
        .items()
        .map_ok(|t| t.task_execution_id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("SSM listing failed: {e}"));
    assert_eq!(ids.len(), tasks);
    let expected = emu.emulator().fixture().ssm[0]
        .tasks
        .iter()
        .map(|t| t.task_execution_id.clone())
        .collect();
    check("ssm", &ids, expected, client.handle(), started)
}

/// Lists every job of the other three paginated services through `emu` and checks each
/// exactly once.
async fn list_others(emu: &RunningEmulator) -> RetryStats {
    let fixture = emu.emulator().fixture();
    let mut total = RetryStats::default();

    // Partner Central: every catalog.
    let started = Instant::now();
    let client = cloudjobs::partner_central::Client::new(config(emu, patient()));
    let mut ids = Vec::new();
    for catalog in &emu.seeded().partner_central.catalogs {
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
    add(
        &mut total,
        check("partner-central", &ids, expected, client.handle(), started),
    );

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
    add(
        &mut total,
        check("macie2", &ids, expected, client.handle(), started),
    );

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
    add(
        &mut total,
        check(
            "spaceone-identity",
            &ids,
            expected,
            client.handle(),
            started,
        ),
    );
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
    let mut stats = list_ssm(&emu, 2_000).await;
    add(&mut stats, list_others(&emu).await);
    // The profile did bite, and every kind of failure was retried.
    assert!(stats.throttling_retries > 0, "{stats:?}");
    assert!(stats.server_error_retries > 0, "{stats:?}");
    assert!(stats.transport_retries > 0, "{stats:?}");
    emu.shutdown().await;
}

/// The full sizes of issue 12: 100,000 SSM tasks, 20,000 jobs of each other paginated
/// service. Prints the retries seen and the wall time of each service.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "full size: minutes; run with --ignored (see CONTRIBUTING)"]
async fn full_size_under_the_fault_profile() {
    let started = Instant::now();
    // The generator gives the first SSM window execution `jobs_per_service` tasks, so the
    // SSM run has its own emulator.
    let emu = faulty_emulator(100_000).await;
    let ssm = list_ssm(&emu, 100_000).await;
    emu.shutdown().await;
    let emu = faulty_emulator(20_000).await;
    let rest = list_others(&emu).await;
    emu.shutdown().await;
    eprintln!(
        "total: {} retries ({} of them SSM's), {} page retries, {} budget refusals, {:.1?}",
        ssm.retries + rest.retries,
        ssm.retries,
        ssm.page_retries + rest.page_retries,
        ssm.budget_exhausted + rest.budget_exhausted,
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
        let stats = client.handle().retry_stats();
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
