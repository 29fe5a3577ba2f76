//! Load on the emulator: concurrent keep-alive clients, each a generated SDK client of one of
//! the five services, sending requests one after another over loopback. Reports requests per
//! second, latency percentiles, errors, and the process's resident memory as the run goes (the
//! emulator runs in this process, so a leak shows as a climbing figure).
//!
//! ```text
//! cargo run --release -p cloudjobs-emulator --example load -- --clients 64 --requests 1000
//! ```
//!
//! Options: `--clients N` (default 64), `--requests N` per client (default 1000),
//! `--jobs N` per service in the emulator (default 25), `--service NAME` to send every request
//! to one service (`ssm`, `macie2`, `partner-central`, `spaceone`, `cloud-rewind`; default: the
//! clients take turns over all five), `--page-size N` items per list page (default 25; SSM
//! takes 10 to 100). Every list request asks for the first page. Exits non-zero on any failed
//! request, or when memory after the run is more than twice what it was after the warm-up.

use cloudjobs_emulator::{
    DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN, DEFAULT_SECRET_KEY, Emulator, RunningEmulator,
    Service,
};
use cloudjobs_runtime::{Config, Credentials};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// One client of one service, with the ids its requests need.
enum Caller {
    PartnerCentral(cloudjobs_partner_central::Client, i32),
    Macie2(cloudjobs_macie2::Client, i32),
    Ssm(cloudjobs_ssm_mw::Client, String, i32),
    SpaceOne(cloudjobs_spaceone_identity::Client, i32),
    CloudRewind(
        cloudjobs_cloud_rewind::Client,
        cloudjobs_emulator::ProtectionRef,
    ),
}

impl Caller {
    fn new(i: usize, service: Option<Service>, page: i32, emu: &RunningEmulator) -> Caller {
        // Every caller gets its own Config, hence its own connection pool: one keep-alive
        // connection per client, as separate processes would have.
        let aws = || {
            Config::builder()
                .region("us-east-1")
                .endpoint_url(emu.url())
                .credentials(Credentials::new(
                    DEFAULT_ACCESS_KEY,
                    DEFAULT_SECRET_KEY,
                    None,
                    None,
                    "load",
                ))
                .max_attempts(1)
                .build()
        };
        let bearer = || {
            Config::builder()
                .endpoint_url(emu.url())
                .bearer_token(DEFAULT_BEARER_TOKEN)
                .max_attempts(1)
                .build()
        };
        let seeded = emu.seeded();
        match service.unwrap_or(Service::ALL[i % 5]) {
            Service::PartnerCentral => {
                Caller::PartnerCentral(cloudjobs_partner_central::Client::new(aws()), page)
            }
            Service::Macie2 => Caller::Macie2(cloudjobs_macie2::Client::new(aws()), page),
            Service::Ssm => Caller::Ssm(
                cloudjobs_ssm_mw::Client::new(aws()),
                seeded.ssm.window_execution_ids[0].clone(),
                page.clamp(10, 100),
            ),
            Service::SpaceOne => {
                Caller::SpaceOne(cloudjobs_spaceone_identity::Client::new(bearer()), page)
            }
            Service::CloudRewind => Caller::CloudRewind(
                cloudjobs_cloud_rewind::Client::new(bearer()),
                seeded.cloud_rewind.protections[i % seeded.cloud_rewind.protections.len()].clone(),
            ),
        }
    }

    /// One request; the error as text when it fails.
    async fn call(&self) -> Result<(), String> {
        match self {
            Caller::PartnerCentral(c, page) => c
                .list_resource_snapshot_jobs()
                .catalog("AWS")
                .max_results(*page)
                .send()
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Caller::Macie2(c, page) => c
                .list_classification_jobs()
                .max_results(*page)
                .send()
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Caller::Ssm(c, id, page) => c
                .describe_maintenance_window_execution_tasks()
                .window_execution_id(id)
                .max_results(*page)
                .send()
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Caller::SpaceOne(c, page) => c
                .list_jobs()
                .query(
                    cloudjobs_spaceone_identity::types::Query::builder()
                        .page(
                            cloudjobs_spaceone_identity::types::Page::builder()
                                .start(1)
                                .limit(*page)
                                .build(),
                        )
                        .build(),
                )
                .send()
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Caller::CloudRewind(c, p) => c
                .get_aws_protection_status()
                .account_id(p.account_id)
                .project_id(&p.project_id)
                .cloud_assembly_id(p.cloud_assembly_id)
                .protection_id(&p.protection_id)
                .send()
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
        }
    }
}

/// Resident memory of this process in KiB (Linux `/proc`), if known.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn show_rss(label: &str) -> Option<u64> {
    let rss = rss_kib();
    match rss {
        Some(k) => println!("{label:<22} RSS {:.1} MiB", k as f64 / 1024.0),
        None => println!("{label:<22} RSS unknown (no /proc/self/status)"),
    }
    rss
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut clients, mut requests, mut jobs) = (64usize, 1000usize, 25usize);
    let (mut service, mut page) = (None, 25i32);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || -> Result<usize, Box<dyn std::error::Error>> {
            Ok(args
                .next()
                .ok_or_else(|| format!("{arg} needs a value"))?
                .parse()?)
        };
        match arg.as_str() {
            "--clients" => clients = value()?.max(1),
            "--requests" => requests = value()?,
            "--jobs" => jobs = value()?.max(1),
            "--page-size" => page = i32::try_from(value()?.max(1)).unwrap_or(i32::MAX),
            "--service" => {
                let name = args.next().ok_or("--service needs a value")?;
                service = Some(name.parse::<Service>()?);
            }
            "-h" | "--help" => {
                println!(
                    "usage: load [--clients N] [--requests N] [--jobs N] [--service NAME] [--page-size N]"
                );
                return Ok(());
            }
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    let emu = Emulator::builder().jobs_per_service(jobs).start().await?;
    let callers: Vec<Arc<Caller>> = (0..clients)
        .map(|i| Arc::new(Caller::new(i, service, page, &emu)))
        .collect();
    show_rss("started");
    // Warm-up: every client opens its connection and sends a few requests.
    for c in &callers {
        for _ in 0..3 {
            c.call().await.map_err(|e| format!("warm-up: {e}"))?;
        }
    }
    let warm = show_rss("after warm-up");

    let done = Arc::new(AtomicU64::new(0));
    let total = (clients * requests) as u64;
    let sampler = {
        let done = done.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(2));
            tick.tick().await;
            loop {
                tick.tick().await;
                let n = done.load(Ordering::Relaxed);
                show_rss(&format!("{n}/{total} requests"));
            }
        })
    };
    let started = Instant::now();
    let tasks: Vec<_> = callers
        .iter()
        .cloned()
        .map(|c| {
            let done = done.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(requests);
                let mut errors = Vec::new();
                for _ in 0..requests {
                    let t = Instant::now();
                    if let Err(e) = c.call().await {
                        errors.push(e);
                    }
                    latencies.push(t.elapsed());
                    done.fetch_add(1, Ordering::Relaxed);
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(clients * requests);
    let mut errors = Vec::new();
    for t in tasks {
        let (l, e) = t.await?;
        latencies.extend(l);
        errors.extend(e);
    }
    let elapsed = started.elapsed();
    sampler.abort();
    let end = show_rss("after the run");
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    println!(
        "{clients} clients x {requests} requests = {} in {:.2} s: {:.0} requests/s; latency p50 {:?}, p99 {:?}, max {:?}; {} errors",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        latencies.last().copied().unwrap_or_default(),
        errors.len()
    );
    emu.shutdown().await;
    if let Some(first) = errors.first() {
        return Err(format!("{} requests failed; first: {first}", errors.len()).into());
    }
    if let (Some(warm), Some(end)) = (warm, end)
        && end > warm * 2
    {
        return Err(format!("memory grew from {warm} KiB to {end} KiB").into());
    }
    Ok(())
}
