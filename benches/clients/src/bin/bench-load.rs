//! Load client for the emulator: `--connections N` keep-alive HTTP/1.1 connections (one
//! client with one connection each) replay one prepared request of `--service` for
//! `--seconds S` (at most `--max-requests` in all), and print
//! `{"service", "requests", "errors", "wall_s", "rps"}`.
//!
//! The request is the first page of the service's list operation (Cloud Rewind: a status
//! read), signed once: the emulator does not check clock skew, so the same signature stays
//! valid for the whole run.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cloudjobs_bench::floor::Floor;
use cloudjobs_bench::{Args, BoxError, Emulator};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args = Args::from_env()?;
    let service = args.get("service")?.to_string();
    let connections: usize = args.num("connections", 64)?;
    let seconds: f64 = args.num("seconds", 5.0)?;
    let max_requests: u64 = args.num("max-requests", 5_000_000)?;
    let page_size: i32 = args.num("page-size", 25)?;
    let emu = Emulator::from_env()?;
    let floor = Floor::new(&emu.url, &emu.access_key, &emu.secret_key, &emu.token);
    let request = match service.as_str() {
        "ssm" => floor.ssm_request(&emu.largest_ssm_execution().await?, page_size, None)?,
        "macie2" => floor.macie2_request(page_size, None)?,
        "partner-central" => floor.partner_central_request("AWS", page_size, None)?,
        "spaceone" => floor.spaceone_request(1, page_size as u64)?,
        "cloud-rewind" => {
            let seeded = emu.seeded().await?;
            let p = &seeded["cloud_rewind"]["protections"][0];
            let text = |k: &str| p[k].as_str().map(str::to_string);
            let (Some(account), Some(project), Some(assembly), Some(id)) =
                (p["account_id"].as_i64(), text("project_id"), p["cloud_assembly_id"].as_i64(), text("protection_id"))
            else {
                return Err("the emulator seeded no Cloud Rewind protection".into());
            };
            floor.cloud_rewind_request(account, &project, assembly, &id)?
        }
        other => return Err(format!("--service: unknown service `{other}`").into()),
    };
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(connections);
    for _ in 0..connections {
        let http = reqwest::Client::builder()
            .http1_only()
            .pool_max_idle_per_host(1)
            .build()?;
        let request = request.try_clone().ok_or("the request body cannot be replayed")?;
        let (done, errors) = (done.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline && done.load(Ordering::Relaxed) < max_requests {
                let Some(req) = request.try_clone() else { break };
                let ok = match http.execute(req).await {
                    Ok(resp) => resp.status().is_success() && resp.bytes().await.is_ok(),
                    Err(_) => false,
                };
                done.fetch_add(1, Ordering::Relaxed);
                if !ok {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for task in tasks {
        task.await?;
    }
    let wall = start.elapsed().as_secs_f64();
    let requests = done.load(Ordering::Relaxed);
    println!(
        "{}",
        serde_json::json!({
            "service": service, "requests": requests, "errors": errors.load(Ordering::Relaxed),
            "wall_s": wall, "rps": requests as f64 / wall,
        })
    );
    Ok(())
}
