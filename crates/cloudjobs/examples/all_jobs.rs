//! One job view across all five services: lists every job of each at once through
//! [`cloudjobs::jobs::JobClient`], and counts them by normalized state.
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

use cloudjobs::jobs::{
    CloudRewindScope, JobClient, JobQuery, Macie2Scope, PartnerCentralScope, ProtectionRef,
    SpaceoneScope, SsmMwScope,
};
use cloudjobs::runtime::Credentials;
use cloudjobs::{Config, Job};
use futures::StreamExt;

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

    let mut query = JobQuery::new()
        .partner_central(PartnerCentralScope {
            catalogs: vec!["AWS".into(), "Sandbox".into()],
            ..Default::default()
        })
        .macie2(Macie2Scope::default())
        .spaceone_identity(SpaceoneScope::default());
    // SSM tasks and Cloud Rewind protections are read by id; the emulator says which exist.
    // Its locked protection and the one in a disabled assembly answer with errors, which the
    // stream reports (naming the service) while the other jobs keep coming.
    if let Some(seeded) = &seeded {
        query = query
            .ssm_mw(SsmMwScope {
                window_execution_ids: seeded.ssm.window_execution_ids.clone(),
                statuses: Vec::new(),
            })
            .cloud_rewind(CloudRewindScope {
                protections: seeded
                    .cloud_rewind
                    .protections
                    .iter()
                    .map(|p| ProtectionRef {
                        account_id: p.account_id,
                        project_id: p.project_id.clone(),
                        cloud_assembly_id: p.cloud_assembly_id,
                        protection_id: p.protection_id.clone(),
                    })
                    .collect(),
            });
    }

    let mut jobs: Vec<Job> = Vec::new();
    let mut stream = JobClient::new(config).list(&query);
    while let Some(item) = stream.next().await {
        match item {
            Ok(job) => jobs.push(job),
            Err(e) => eprintln!("{e}"),
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
        "{} jobs from {} services, {running} not settled yet",
        jobs.len(),
        query.services().len()
    );

    if let Some(emu) = emulator {
        emu.shutdown().await;
    }
    Ok(())
}
