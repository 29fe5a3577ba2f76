//! Walks the four SpaceONE identity Job operations: lists every job (offset paging), counts
//! jobs per status with `stat`, reads one job with `get`, and deletes one with `delete`.
//!
//! ```text
//! cargo run -p cloudjobs-spaceone-identity --example jobs
//! CLOUDJOBS_SPACEONE_TOKEN=... cargo run -p cloudjobs-spaceone-identity --example jobs -- \
//!     --endpoint-url https://spaceone.example.com [--delete JOB_ID]
//! ```
//!
//! Without `--endpoint-url` the example starts the cloudjobs emulator in this process, uses
//! its token and deletes the first job it listed. With it, the token comes from
//! `CLOUDJOBS_SPACEONE_TOKEN` (see `Config::from_env`), and nothing is deleted unless
//! `--delete JOB_ID` names the job.

use cloudjobs_spaceone_identity::types::{
    AggregateGroup, AggregateGroupField, AggregateGroupKey, StatisticsAggregate, StatisticsQuery,
};
use cloudjobs_spaceone_identity::{Client, Config};
use futures::TryStreamExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut endpoint_url, mut delete) = (None, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--endpoint-url", Some(url)) => endpoint_url = Some(url),
            ("--delete", Some(id)) => delete = Some(id),
            _ => return Err("usage: jobs [--endpoint-url URL] [--delete JOB_ID]".into()),
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
                .bearer_token(cloudjobs_emulator::DEFAULT_BEARER_TOKEN)
                .build();
            emulator = Some(emu);
            config
        }
    };
    let client = Client::new(config);

    // list: `query.page` offsets advance until a short page or `total_count` is reached.
    let jobs: Vec<_> = client
        .list_jobs()
        .into_paginator()
        .page_size(10)
        .items()
        .try_collect()
        .await?;
    for job in &jobs {
        println!(
            "{:<22} {:<10} {:<22} {}",
            job.job_id.as_deref().unwrap_or("-"),
            job.status.as_ref().map_or("-", |s| s.as_str()),
            job.workspace_id.as_deref().unwrap_or("-"),
            job.plugin_id.as_deref().unwrap_or("-"),
        );
    }
    println!("{} jobs", jobs.len());

    // stat: one group per status, with the number of jobs in it.
    let by_status = client
        .stat_jobs()
        .query(
            StatisticsQuery::builder()
                .aggregate(
                    StatisticsAggregate::builder()
                        .group(
                            AggregateGroup::builder()
                                .keys(
                                    AggregateGroupKey::builder()
                                        .key("status")
                                        .name("status")
                                        .build(),
                                )
                                .fields(
                                    AggregateGroupField::builder()
                                        .name("jobs")
                                        .operator("count")
                                        .build(),
                                )
                                .build(),
                        )
                        .build(),
                )
                .build(),
        )
        .send()
        .await?;
    println!("jobs per status: {}", serde_json::Value::from(by_status));

    // get: one job by id.
    if let Some(id) = jobs.first().and_then(|j| j.job_id.clone()) {
        let job = client.get_job().job_id(&id).send().await?;
        println!(
            "get {id}: status {}, created {}",
            job.status.as_ref().map_or("-", |s| s.as_str()),
            job.created_at.map_or("-".to_string(), |t| t.to_rfc3339()),
        );
        if emulator.is_some() && delete.is_none() {
            delete = Some(id);
        }
    }

    // delete: only the job named on the command line, or, against the emulator, the first.
    if let Some(id) = delete {
        client.delete_job().job_id(&id).send().await?;
        let gone = client.get_job().job_id(&id).send().await.unwrap_err();
        let not_found = gone.into_service_error().is_some_and(|e| e.is_not_found());
        println!("deleted {id}; a second get answers not found: {not_found}");
    }

    if let Some(emu) = emulator {
        emu.shutdown().await;
    }
    Ok(())
}
