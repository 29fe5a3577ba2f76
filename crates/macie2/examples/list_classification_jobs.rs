//! Lists Amazon Macie classification jobs that are running or paused, newest first, walking
//! every page.
//!
//! ```text
//! cargo run -p cloudjobs-macie2 --example list_classification_jobs
//! cargo run -p cloudjobs-macie2 --example list_classification_jobs -- --endpoint-url http://127.0.0.1:4566
//! ```
//!
//! Without `--endpoint-url` the example starts the cloudjobs emulator in this process and signs
//! its requests with the emulator's key pair. With it, the region and credentials come from
//! the environment (`AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_PROFILE`, ...), as for any client
//! built with `Client::from_env`.

use cloudjobs_macie2::types::{
    JobComparator, ListJobsFilterCriteria, ListJobsFilterKey, ListJobsFilterTerm,
    ListJobsSortAttributeName, ListJobsSortCriteria, OrderBy,
};
use cloudjobs_macie2::{Client, Config, Credentials};
use futures::TryStreamExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut emulator = None;
    let config = match endpoint_url()? {
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

    let active = ListJobsFilterTerm::builder()
        .key(ListJobsFilterKey::JobStatus)
        .comparator(JobComparator::Eq)
        .values("RUNNING")
        .values("PAUSED")
        .values("USER_PAUSED")
        .build();
    let mut jobs = client
        .list_classification_jobs()
        .filter_criteria(ListJobsFilterCriteria::builder().includes(active).build())
        .sort_criteria(
            ListJobsSortCriteria::builder()
                .attribute_name(ListJobsSortAttributeName::CreatedAt)
                .order_by(OrderBy::Desc)
                .build(),
        )
        .into_paginator()
        .page_size(5)
        .items();

    let mut count = 0;
    while let Some(job) = jobs.try_next().await? {
        count += 1;
        println!(
            "{:<34} {:<12} {:<10} {}",
            job.job_id.as_deref().unwrap_or("-"),
            job.job_status.as_ref().map_or("-", |s| s.as_str()),
            job.job_type.as_ref().map_or("-", |t| t.as_str()),
            job.name.as_deref().unwrap_or("-"),
        );
    }
    println!("{count} running or paused jobs");

    if let Some(emu) = emulator {
        emu.shutdown().await;
    }
    Ok(())
}

/// `--endpoint-url URL` from the command line, if given.
fn endpoint_url() -> Result<Option<String>, String> {
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next()) {
        (None, _) => Ok(None),
        (Some("--endpoint-url"), Some(url)) => Ok(Some(url)),
        _ => Err("usage: list_classification_jobs [--endpoint-url URL]".into()),
    }
}
