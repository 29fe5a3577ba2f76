//! The emulator under load: `bench-load` keeps 64 keep-alive connections busy with one
//! service's first page, and the emulator's own CPU (`/proc/<pid>/stat`) is read before and
//! after, at a small and a large data set.

use anyhow::Result;
use serde_json::{Value, json};

use super::{Ctx, json_line, measure, num};

/// The services, with their list operation's page size under load.
const SERVICES: [&str; 5] = [
    "ssm",
    "macie2",
    "partner-central",
    "spaceone",
    "cloud-rewind",
];
const PAGE_SIZE: u32 = 25;
const CONNECTIONS: u32 = 64;

pub fn run(ctx: &mut Ctx) -> Result<Value> {
    let (sizes, seconds) = if ctx.smoke {
        ([100, 1_000], 0.3)
    } else {
        ([1_000, 100_000], 3.0)
    };
    let load = ctx.program("bench-load");
    let mut rows = Vec::new();
    for jobs in sizes {
        let emu = ctx.emulator(jobs)?;
        for service in SERVICES {
            let args = [
                "--service".to_string(),
                service.to_string(),
                "--connections".into(),
                CONNECTIONS.to_string(),
                "--seconds".into(),
                seconds.to_string(),
                "--page-size".into(),
                PAGE_SIZE.to_string(),
            ];
            ctx.note(format!("{} {}", load.display(), args.join(" ")));
            let mut cmd = emu.command(&load);
            cmd.args(&args);
            let before = measure::process_cpu_s(emu.pid())?;
            let m = measure::run(&format!("bench-load {service}"), &mut cmd)?;
            let server_cpu = measure::process_cpu_s(emu.pid())? - before;
            let v = json_line("bench-load", &m.stdout)?;
            let requests = num(&v, "requests").max(1.0);
            let cpu_us = server_cpu / requests * 1e6;
            println!(
                "{jobs:>7} jobs {service:<16} {:>8.0} req/s  {cpu_us:>7.1} us server CPU/page  ({} errors)",
                num(&v, "rps"),
                num(&v, "errors")
            );
            rows.push(json!({
                "jobs": jobs, "service": service, "rps": num(&v, "rps"),
                "requests": num(&v, "requests"), "errors": num(&v, "errors"),
                "server_cpu_us_per_page": cpu_us, "client_cpu_s": m.cpu_s,
            }));
        }
        drop(emu);
    }
    Ok(
        json!({"connections": CONNECTIONS, "page_size": PAGE_SIZE, "seconds": seconds, "rows": rows}),
    )
}
