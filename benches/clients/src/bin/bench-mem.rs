//! Streams `--items N` SSM tasks through cloudjobs' `.items()` (pages of 100) from the window
//! execution `--execution ID` (the emulator's largest: its banner names it), keeping none, and
//! prints the process's peak resident set size: `{"items", "peak_rss_kib", "cpu_s", "wall_s"}`.
//!
//! The id comes from the command line, not from the emulator's `/_emulator/seeded` list: at a
//! million jobs per service that list is a JSON document of hundreds of megabytes, and reading
//! it would be the peak this program measures (1.3 GiB), not the paginator.

use cloudjobs::Config;
use cloudjobs::runtime::Credentials;
use cloudjobs_bench::{Args, BoxError, Emulator, Meter, peak_rss_kib};
use futures::StreamExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let args = Args::from_env()?;
    let wanted: u64 = args.num("items", 10_000)?;
    let id = args.get("execution")?.to_string();
    let emu = Emulator::from_env()?;
    let config = Config::builder()
        .endpoint_url(&emu.url)
        .region("us-east-1")
        .credentials(Credentials::new(&emu.access_key, &emu.secret_key, None, None, "bench"))
        .build();
    let client = cloudjobs::ssm_mw::Client::new(config);
    let page = 100u64;
    let meter = Meter::start();
    let mut items = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(&id)
        .into_paginator()
        .page_size(page as u32)
        .max_pages(wanted.div_ceil(page) as usize)
        .items();
    let mut seen = 0u64;
    while let Some(item) = items.next().await {
        let task = item?;
        seen += u64::from(task.task_execution_id.is_some());
    }
    let (cpu, wall) = meter.stop();
    if seen < wanted {
        return Err(format!(
            "the SSM window execution {id} has {seen} tasks, fewer than {wanted}: pass the \
             emulator's largest (started with --jobs {wanted} or more)"
        )
        .into());
    }
    println!(
        "{}",
        serde_json::json!({"items": seen, "peak_rss_kib": peak_rss_kib(), "cpu_s": cpu, "wall_s": wall})
    );
    Ok(())
}
