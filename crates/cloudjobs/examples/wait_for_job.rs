//! Waits for a SpaceONE job to settle with [`cloudjobs::wait_for_outcome`], which tells a
//! job that succeeded from one that failed or was cancelled.
//!
//! ```text
//! cargo run -p cloudjobs --features spaceone-identity --example wait_for_job
//! CLOUDJOBS_SPACEONE_TOKEN=... cargo run -p cloudjobs --features spaceone-identity --example wait_for_job -- \
//!     --endpoint-url https://spaceone.example.com --job-id job-3b124006c2d2
//! ```
//!
//! Without `--endpoint-url` the example starts the cloudjobs emulator in this process, picks a
//! job that is still in progress, and has the emulator finish it two seconds later while the
//! waiter polls. With it, the token comes from `CLOUDJOBS_SPACEONE_TOKEN` and `--job-id` names
//! the job to wait for.

use std::time::Duration;

use cloudjobs::{Config, Job, WaiterConfig, wait_for_outcome};
use cloudjobs_emulator::Service;

const USAGE: &str = "usage: wait_for_job [--endpoint-url URL --job-id ID]";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut endpoint_url, mut job_id) = (None, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--endpoint-url", Some(url)) => endpoint_url = Some(url),
            ("--job-id", Some(id)) => job_id = Some(id),
            _ => return Err(USAGE.into()),
        }
    }

    let mut emulator = None;
    let (config, job_id) = match endpoint_url {
        Some(url) => (
            Config::from_env()
                .await?
                .to_builder()
                .endpoint_url(url)
                .build(),
            job_id.ok_or(USAGE)?,
        ),
        None => {
            let emu = cloudjobs_emulator::Emulator::builder().start().await?;
            let config = Config::builder()
                .endpoint_url(emu.url())
                .bearer_token(cloudjobs_emulator::DEFAULT_BEARER_TOKEN)
                .build();
            let running = emu
                .emulator()
                .fixture()
                .spaceone
                .into_iter()
                .find(|j| j.status == "IN_PROGRESS")
                .ok_or("the emulator holds no job in progress")?;
            // Somebody else's work: the job finishes two seconds from now.
            let server = emu.emulator().clone();
            let id = running.job_id.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_secs(2)).await;
                server.set_job_status(Service::SpaceOne, &id, "SUCCESS")
            });
            emulator = Some(emu);
            (config, running.job_id)
        }
    };
    let client = cloudjobs::spaceone_identity::Client::new(config);

    let waiter = WaiterConfig {
        min_delay: Duration::from_millis(250),
        max_delay: Duration::from_secs(5),
        max_wait: Duration::from_secs(120),
    };
    let mut polls = 0;
    let outcome = wait_for_outcome(waiter, || {
        polls += 1;
        let request = client.get_job().job_id(&job_id).send();
        async move { request.await.map(Job::from) }
    })
    .await?;
    let succeeded = outcome.is_success();
    let job = outcome.into_job();
    println!(
        "job {} is {} ({}) after {polls} polls; success: {succeeded}",
        job.id,
        job.state,
        job.raw_status.as_deref().unwrap_or("-")
    );

    if let Some(emu) = emulator {
        emu.shutdown().await;
    }
    Ok(())
}
