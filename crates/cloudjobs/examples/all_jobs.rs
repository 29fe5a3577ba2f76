//! One job view across all five services: lists every job of each, converts them to
//! [`cloudjobs::Job`], and counts them by normalized state.
//!
//! ```text
//! cargo run -p cloudjobs --features full --example all_jobs
//! cargo run -p cloudjobs --features full --example all_jobs -- --endpoint-url http://127.0.0.1:4566
//! ```
//!
//! Without `--endpoint-url` the example starts the cloudjobs emulator in this process and
//! uses its credentials, token and seeded ids. With it, every service is sent to that base
//! URL (another emulator, say: `cargo run -p cloudjobs-emulator --example serve`), with the
//! credentials and tokens of the environment (`AWS_ACCESS_KEY_ID`, `CLOUDJOBS_SPACEONE_TOKEN`,
//! ...); SSM tasks and Cloud Rewind protections are read by id, so those two are skipped.

use std::collections::BTreeMap;

use cloudjobs::runtime::Credentials;
use cloudjobs::{Config, Job};
use futures::TryStreamExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let endpoint_url = match (args.next().as_deref(), args.next()) {
        (None, _) => None,
        (Some("--endpoint-url"), Some(url)) => Some(url),
        _ => return Err("usage: all_jobs [--endpoint-url URL]".into()),
    };

    let mut emulator = None;
    let (config, seeded) = match endpoint_url {
        Some(url) => (
            Config::from_env()
                .await?
                .to_builder()
                .endpoint_url(url)
                .build(),
            None,
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
                .bearer_token(cloudjobs_emulator::DEFAULT_BEARER_TOKEN)
                .build();
            let seeded = emu.seeded();
            emulator = Some(emu);
            (config, Some(seeded))
        }
    };

    let mut jobs: Vec<Job> = Vec::new();

    let partner_central = cloudjobs::partner_central::Client::new(config.clone());
    for catalog in ["AWS", "Sandbox"] {
        let page = partner_central
            .list_resource_snapshot_jobs()
            .catalog(catalog)
            .into_paginator()
            .items()
            .map_ok(Job::from);
        jobs.extend(page.try_collect::<Vec<_>>().await?);
    }

    let macie2 = cloudjobs::macie2::Client::new(config.clone());
    let listed = macie2.list_classification_jobs().into_paginator().items();
    jobs.extend(listed.map_ok(Job::from).try_collect::<Vec<_>>().await?);

    let spaceone = cloudjobs::spaceone_identity::Client::new(config.clone());
    let listed = spaceone.list_jobs().into_paginator().items();
    jobs.extend(listed.map_ok(Job::from).try_collect::<Vec<_>>().await?);

    // SSM tasks and Cloud Rewind protections are read by id; the emulator says which exist.
    if let Some(seeded) = &seeded {
        let ssm = cloudjobs::ssm_mw::Client::new(config.clone());
        for execution in &seeded.ssm.window_execution_ids {
            let tasks = ssm
                .describe_maintenance_window_execution_tasks()
                .window_execution_id(execution)
                .into_paginator()
                .items();
            jobs.extend(tasks.map_ok(Job::from).try_collect::<Vec<_>>().await?);
        }
        let rewind = cloudjobs::cloud_rewind::Client::new(config.clone());
        for p in &seeded.cloud_rewind.protections {
            let answer = rewind
                .get_aws_protection_status()
                .account_id(p.account_id)
                .project_id(&p.project_id)
                .cloud_assembly_id(p.cloud_assembly_id)
                .protection_id(&p.protection_id)
                .send()
                .await;
            // The locked (409) and disabled-assembly (412) protections answer with errors.
            if let Ok(status) = answer {
                jobs.push(Job::from_cloud_rewind(&p.protection_id, &status));
            }
        }
    }

    let mut by_state: BTreeMap<(String, String), usize> = BTreeMap::new();
    for job in &jobs {
        let key = (job.service.to_string(), job.state.to_string());
        *by_state.entry(key).or_default() += 1;
    }
    for ((service, state), count) in &by_state {
        println!("{service:<18} {state:<10} {count}");
    }
    let running = jobs.iter().filter(|j| !j.state.is_settled()).count();
    println!(
        "{} jobs from 5 services, {running} not settled yet",
        jobs.len()
    );

    if let Some(emu) = emulator {
        emu.shutdown().await;
    }
    Ok(())
}
