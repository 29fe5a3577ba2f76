//! `cloudjobs demo`: the embedded emulator, the five generated clients, one table; with
//! `--live`, jobs that move through their lifecycles until each is settled.

use cloudjobs::{Job, JobState, Service};
use cloudjobs_emulator::{
    DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN, DEFAULT_SECRET_KEY, Emulator, Progress, Progression,
    Seeded,
};
use serde::Serialize;

use crate::args::{DemoArgs, GlobalOpts, OutputFormat};
use crate::error::CliError;
use crate::fetch::PageOpts;
use crate::output::{emit, jobs_csv, jobs_table, note, render_table, to_json, to_yaml};
use crate::service;
use crate::services::emulator_config;

/// What was listed from one service.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceSummary {
    /// The service.
    pub service: Service,
    /// The operation called.
    pub operation: &'static str,
    /// Jobs listed.
    pub jobs: usize,
    /// HTTP requests made (pages fetched, or one per Cloud Rewind protection).
    pub requests: usize,
    /// What was listed (catalogs, window executions, protections).
    pub scope: String,
}

/// The whole demo result (the `--output json` document).
#[derive(Debug, Clone, Serialize)]
pub struct DemoReport {
    /// The emulator's base URL (gone once the demo exits).
    pub emulator_url: String,
    /// Every job, service by service.
    pub jobs: Vec<Job>,
    /// One summary per service, in [`Service::ALL`] order.
    pub services: Vec<ServiceSummary>,
}

/// Runs the demo: starts the emulator on an ephemeral 127.0.0.1 port, lists every service
/// through the generated clients, shuts the emulator down, prints the report.
pub async fn run(global: &GlobalOpts, args: &DemoArgs) -> Result<(), CliError> {
    let emulator = Emulator::builder()
        .seed(args.seed)
        .jobs_per_service(args.jobs)
        .aws_credentials(DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY)
        .bearer_token(DEFAULT_BEARER_TOKEN)
        .bind(([127, 0, 0, 1], 0).into())
        .start()
        .await
        .map_err(|e| CliError::Other(format!("could not start the emulator: {e}")))?;
    let url = emulator.url();
    let seeded = emulator.seeded();
    let result = if args.live {
        live(global, args, &emulator, &url, &seeded).await
    } else {
        collect(global, args, &url, &seeded).await
    };
    emulator.shutdown().await;
    let report = result?;

    match global.output {
        OutputFormat::Json => emit(&to_json(&report)?),
        OutputFormat::Yaml => emit(&to_yaml(&report)?),
        OutputFormat::Csv => emit(&jobs_csv(&report.jobs, true)?),
        OutputFormat::Table => {
            let mut text = format!(
                "cloudjobs demo: emulator on {url} (seed {}, {} jobs per service), \
                 5 generated clients, SigV4 / bearer auth, page size {}\n\n",
                args.seed, args.jobs, args.page_size
            );
            text.push_str(&jobs_table(&report.jobs));
            text.push('\n');
            let rows: Vec<Vec<String>> = report
                .services
                .iter()
                .map(|s| {
                    vec![
                        s.service.to_string(),
                        s.operation.to_owned(),
                        format!("{} jobs", s.jobs),
                        format!("{} requests", s.requests),
                        s.scope.clone(),
                    ]
                })
                .collect();
            text.push_str(&render_table(
                &["SERVICE", "OPERATION", "JOBS", "REQUESTS", "SCOPE"],
                &rows,
            ));
            let total: usize = report.services.iter().map(|s| s.jobs).sum();
            let requests: usize = report.services.iter().map(|s| s.requests).sum();
            text.push_str(&format!(
                "total: {total} jobs from {} services in {requests} requests\n",
                report.services.iter().filter(|s| s.jobs > 0).count()
            ));
            emit(&text)
        }
    }
}

/// Lists every service through its [`ServiceCli`](crate::service::ServiceCli), scoped to
/// what the emulator seeded.
async fn collect(
    global: &GlobalOpts,
    args: &DemoArgs,
    url: &str,
    seeded: &Seeded,
) -> Result<DemoReport, CliError> {
    let config = emulator_config(
        url,
        DEFAULT_ACCESS_KEY,
        DEFAULT_SECRET_KEY,
        DEFAULT_BEARER_TOKEN,
    );
    let opts = PageOpts {
        paginate: !global.no_paginate,
        max_items: global.max_items,
        page_size: Some(args.page_size),
    };
    let mut jobs = Vec::new();
    let mut services = Vec::new();
    for desc in service::ALL {
        let scope = desc.demo_scope(seeded);
        let (listed, listing) = service::collect(desc, &config, &scope, opts).await?;
        services.push(ServiceSummary {
            service: desc.service(),
            operation: desc.operation(),
            jobs: listed.len(),
            requests: listing.requests,
            scope: scope.to_string(),
        });
        jobs.extend(listed);
    }
    Ok(DemoReport {
        emulator_url: url.to_owned(),
        jobs,
        services,
    })
}

/// Rounds of `demo --live` before it gives up on jobs that never reach their final status.
const LIVE_MAX_ROUNDS: usize = 60;

/// `demo --live`: every job moves one step of its service's lifecycle each time it is read
/// (the emulator's `reads:1` progression), so each round of listings shows jobs moving. One
/// line per round gives the unified states; the report is the first round in which every
/// listed job showed the final status the emulator planned for it.
async fn live(
    global: &GlobalOpts,
    args: &DemoArgs,
    emulator: &Emulator,
    url: &str,
    seeded: &Seeded,
) -> Result<DemoReport, CliError> {
    emulator.set_progress(Progress::all(Progression::Reads(1)));
    for round in 1..=LIVE_MAX_ROUNDS {
        // A read shows a job's status before the read moves it on, so the jobs this round
        // shows at a status that is not their last are those still moving before it.
        let moving = emulator.progress_report();
        let report = collect(global, args, url, seeded).await?;
        let still_moving = report
            .jobs
            .iter()
            .filter(|job| {
                job.service
                    .as_str()
                    .parse::<cloudjobs_emulator::Service>()
                    .is_ok_and(|service| moving.job(service, &job.id).is_some())
            })
            .count();
        let line = format!(
            "round {round}: {}{}",
            state_counts(&report.jobs),
            if still_moving == 0 {
                format!("; all {} jobs at their final status", report.jobs.len())
            } else {
                format!("; {still_moving} still moving")
            }
        );
        // The rounds are progress, not the result: on stdout only above the table.
        if global.output == OutputFormat::Table {
            emit(&format!("{line}\n"))?;
        } else {
            note(&line);
        }
        if still_moving == 0 {
            if global.output == OutputFormat::Table {
                emit("\n")?;
            }
            return Ok(report);
        }
        tokio::time::sleep(LIVE_ROUND_PAUSE).await;
    }
    Err(CliError::Other(format!(
        "demo --live: jobs were still moving after {LIVE_MAX_ROUNDS} rounds"
    )))
}

/// Pause between the rounds of `demo --live`, so the states can be followed.
const LIVE_ROUND_PAUSE: std::time::Duration = std::time::Duration::from_millis(250);

/// `3 pending, 5 running, 12 succeeded`: how many jobs are in each unified state.
fn state_counts(jobs: &[Job]) -> String {
    let mut parts = Vec::new();
    for state in JobState::ALL {
        let n = jobs.iter().filter(|j| j.state == state).count();
        if n > 0 {
            parts.push(format!("{n} {state}"));
        }
    }
    if parts.is_empty() {
        "no jobs".to_owned()
    } else {
        parts.join(", ")
    }
}
