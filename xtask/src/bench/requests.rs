//! Request cost and memory, against `cloudjobs emulator` running in another process.
//!
//! - Request cost: `bench-page` pages through each operation with each client (cloudjobs, the
//!   official paginator for the three AWS operations, the typed floor), several times; the
//!   run with the least client CPU counts (noise on a shared machine only ever adds CPU).
//! - Memory: `bench-mem` streams `.items()` over 10,000 and over 1,000,000 SSM tasks and
//!   reports the process's peak resident set size.

use anyhow::{Result, bail};
use serde_json::{Value, json};

use super::{Ctx, json_line, measure, num};

/// `(service, page size, pages)` of the full run: the largest page each service allows (Macie2:
/// 25), and a hundred pages (the emulator sorts its whole data set for each page, so at
/// 100,000 jobs a page costs it up to ~0.1 s; client CPU per page hardly moves past that). SpaceONE gets fewer: the
/// emulator turns every stored job into a JSON document for each of its pages, so a page
/// costs it ~0.1 s at 100,000 jobs.
const CASES: [(&str, u32, u64); 5] = [
    ("ssm", 100, 100),
    ("macie2", 25, 100),
    ("partner-central", 100, 100),
    ("spaceone", 100, 30),
    ("cloud-rewind", 1, 300),
];

/// Services the official SDK crates cover.
pub const AWS: [&str; 3] = ["ssm", "macie2", "partner-central"];

pub fn run(ctx: &mut Ctx) -> Result<Value> {
    let (jobs, repeats, page_cap) = if ctx.smoke {
        (300, 1, 3)
    } else {
        (100_000, 2, u64::MAX)
    };
    let emu = ctx.emulator(jobs)?;
    let page = ctx.program("bench-page");
    let mut rows = Vec::new();
    for (service, size, pages) in CASES {
        let pages = pages.min(page_cap);
        let clients: &[&str] = if AWS.contains(&service) && ctx.official {
            &["ours", "official", "floor"]
        } else {
            &["ours", "floor"]
        };
        for client in clients {
            let args = [
                "--client".to_string(),
                client.to_string(),
                "--service".into(),
                service.into(),
                "--page-size".into(),
                size.to_string(),
                "--pages".into(),
                pages.to_string(),
            ];
            ctx.note(format!(
                "{} {} (x{repeats}, least CPU kept)",
                page.display(),
                args.join(" ")
            ));
            let mut best: Option<Value> = None;
            for _ in 0..repeats {
                let mut cmd = emu.command(&page);
                cmd.args(&args);
                let m = measure::run(&format!("bench-page {client} {service}"), &mut cmd)?;
                let v = json_line("bench-page", &m.stdout)?;
                if num(&v, "pages") < 1.0 {
                    bail!("bench-page {client} {service} fetched no page: {v}");
                }
                if best
                    .as_ref()
                    .is_none_or(|b| num(&v, "cpu_s") < num(b, "cpu_s"))
                {
                    best = Some(v);
                }
            }
            let v = best.unwrap_or(Value::Null);
            let per_page = |k: &str| num(&v, k) / num(&v, "pages").max(1.0) * 1e6;
            println!(
                "{service:<16} {client:<9} {:>5} pages {:>7} items  {:>8.1} us CPU/page {:>8.1} us wall/page",
                num(&v, "pages"),
                num(&v, "items"),
                per_page("cpu_s"),
                per_page("wall_s")
            );
            rows.push(json!({
                "service": service, "client": client, "page_size": size,
                "pages": num(&v, "pages"), "items": num(&v, "items"),
                "cpu_us_per_page": per_page("cpu_s"), "wall_us_per_page": per_page("wall_s"),
            }));
        }
    }
    drop(emu);
    Ok(json!({"jobs_per_service": jobs, "repeats": repeats, "rows": rows}))
}

pub fn memory(ctx: &mut Ctx) -> Result<Value> {
    let (small, large) = if ctx.smoke {
        (100, 2_000)
    } else {
        (10_000, 1_000_000)
    };
    let emu = ctx.emulator(large)?;
    let Some(execution) = emu.ssm_execution.clone() else {
        bail!("the emulator's banner names no SSM window execution");
    };
    let mem = ctx.program("bench-mem");
    let mut rows = Vec::new();
    for items in [small, large] {
        ctx.note(format!(
            "{} --execution {execution} --items {items}",
            mem.display()
        ));
        let mut cmd = emu.command(&mem);
        cmd.args(["--execution", &execution, "--items", &items.to_string()]);
        let m = measure::run(&format!("bench-mem --items {items}"), &mut cmd)?;
        let v = json_line("bench-mem", &m.stdout)?;
        println!(
            "items() over {items}: peak RSS {:.1} MiB, {:.1} s CPU",
            num(&v, "peak_rss_kib") / 1024.0,
            num(&v, "cpu_s")
        );
        rows.push(json!({
            "items": num(&v, "items"), "peak_rss_kib": num(&v, "peak_rss_kib"),
            "cpu_s": num(&v, "cpu_s"), "wall_s": num(&v, "wall_s"),
        }));
    }
    drop(emu);
    Ok(json!({"rows": rows}))
}
