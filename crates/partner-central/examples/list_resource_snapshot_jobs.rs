//! Lists the resource snapshot jobs of one Partner Central catalog, newest first, and counts
//! them by status.
//!
//! ```text
//! cargo run -p cloudjobs-partner-central --example list_resource_snapshot_jobs
//! cargo run -p cloudjobs-partner-central --example list_resource_snapshot_jobs -- --catalog Sandbox
//! cargo run -p cloudjobs-partner-central --example list_resource_snapshot_jobs -- --endpoint-url http://127.0.0.1:4566
//! ```
//!
//! Without `--endpoint-url` the example starts the cloudjobs emulator in this process and signs
//! its requests with the emulator's key pair. With it, the region and credentials come from
//! the environment (`AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_PROFILE`, ...), as for any client
//! built with `Client::from_env`. The catalog defaults to `AWS`.

use std::collections::BTreeMap;

use cloudjobs_partner_central::types::{SortBy, SortObject, SortOrder};
use cloudjobs_partner_central::{Client, Config, Credentials};
use futures::TryStreamExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut endpoint_url, mut catalog) = (None, "AWS".to_string());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--endpoint-url", Some(url)) => endpoint_url = Some(url),
            ("--catalog", Some(name)) => catalog = name,
            _ => {
                return Err(
                    "usage: list_resource_snapshot_jobs [--endpoint-url URL] [--catalog AWS|Sandbox]"
                        .into(),
                );
            }
        }
    }

    let mut emulator = None;
    let config = match endpoint_url {
        Some(url) => Config::from_env()
            .await?
            .to_builder()
            .endpoint_url(url)
            .build(),
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
            emulator = Some(emu);
            config
        }
    };
    let client = Client::new(config);

    let jobs: Vec<_> = client
        .list_resource_snapshot_jobs()
        .catalog(&catalog)
        .sort(
            SortObject::builder()
                .sort_by(SortBy::CreatedDate)
                .sort_order(SortOrder::Descending)
                .build(),
        )
        .into_paginator()
        .page_size(10)
        .items()
        .try_collect()
        .await?;

    let mut by_status = BTreeMap::new();
    for job in &jobs {
        let status = job.status.as_ref().map_or("-", |s| s.as_str());
        *by_status.entry(status.to_string()).or_insert(0) += 1;
        println!(
            "{:<22} {:<10} {:<22} {}",
            job.id.as_deref().unwrap_or("-"),
            status,
            job.engagement_id.as_deref().unwrap_or("-"),
            job.arn.as_deref().unwrap_or("-"),
        );
    }
    println!("{} jobs in catalog {catalog}: {by_status:?}", jobs.len());

    if let Some(emu) = emulator {
        emu.shutdown().await;
    }
    Ok(())
}
