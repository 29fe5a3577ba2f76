//! Lists the tasks of one maintenance window execution, page by page, and the ones that
//! failed.
//!
//! ```text
//! cargo run -p cloudjobs-ssm-mw --example describe_execution_tasks
//! cargo run -p cloudjobs-ssm-mw --example describe_execution_tasks -- \
//!     --endpoint-url http://127.0.0.1:4566 --window-execution-id 12345678-1234-1234-1234-123456789012
//! ```
//!
//! Without `--endpoint-url` the example starts the cloudjobs emulator in this process, signs
//! its requests with the emulator's key pair and picks the seeded execution with the most
//! tasks. With it, the region and credentials come from the environment (`AWS_REGION`,
//! `AWS_ACCESS_KEY_ID`, `AWS_PROFILE`, ...), and `--window-execution-id` is required.

use cloudjobs_ssm_mw::types::MaintenanceWindowFilter;
use cloudjobs_ssm_mw::{Client, Config, Credentials};
use futures::TryStreamExt;

const USAGE: &str = "usage: describe_execution_tasks [--endpoint-url URL --window-execution-id ID]";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut endpoint_url, mut execution_id) = (None, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--endpoint-url", Some(url)) => endpoint_url = Some(url),
            ("--window-execution-id", Some(id)) => execution_id = Some(id),
            _ => return Err(USAGE.into()),
        }
    }

    let mut emulator = None;
    let (config, execution_id) = match endpoint_url {
        Some(url) => (
            Config::from_env()
                .await?
                .to_builder()
                .endpoint_url(url)
                .build(),
            execution_id.ok_or(USAGE)?,
        ),
        None => {
            let emu = cloudjobs_emulator::Emulator::builder().start().await?;
            let config = Config::builder()
                .endpoint_url(emu.url())
                .region("us-east-1")
                .credentials(Credentials::new(
                    cloudjobs_emulator::DEFAULT_ACCESS_KEY,
                    cloudjobs_emulator::DEFAULT_SECRET_KEY,
                    None,
                    None,
                    "cloudjobs-emulator",
                ))
                .build();
            let id = match execution_id {
                Some(id) => id,
                None => emu.seeded().ssm.window_execution_ids[0].clone(),
            };
            emulator = Some(emu);
            (config, id)
        }
    };
    let client = Client::new(config);

    // SSM pages hold 10 to 100 tasks; the paginator follows `NextToken` to the end.
    let tasks: Vec<_> = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(&execution_id)
        .into_paginator()
        .page_size(10)
        .items()
        .try_collect()
        .await?;
    for task in &tasks {
        println!(
            "{:<38} {:<14} {:<18} {}",
            task.task_execution_id.as_deref().unwrap_or("-"),
            task.status.as_ref().map_or("-", |s| s.as_str()),
            task.task_type.as_ref().map_or("-", |t| t.as_str()),
            task.start_time.map_or("-".to_string(), |t| t.to_rfc3339()),
        );
    }
    println!("{} tasks in window execution {execution_id}", tasks.len());

    // The same call with the service's STATUS filter.
    let failed = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(&execution_id)
        .filters(
            MaintenanceWindowFilter::builder()
                .key("STATUS")
                .values("FAILED")
                .values("TIMED_OUT")
                .build(),
        )
        .send()
        .await?;
    let failed = failed.window_execution_task_identities.unwrap_or_default();
    println!("{} of them failed or timed out", failed.len());

    if let Some(emu) = emulator {
        emu.shutdown().await;
    }
    Ok(())
}
