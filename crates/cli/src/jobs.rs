//! `cloudjobs jobs`: the jobs of every configured service, asked at once, as one list sorted
//! by creation time.

use cloudjobs::jobs::JobQuery;
use cloudjobs::{Job, Service};
use futures::StreamExt;

use crate::args::{GlobalOpts, JobsArgs};
use crate::error::{CliError, EXIT_FAILURE};
use crate::output::{emit, note, render_jobs};
use crate::service;
use crate::services::job_client;

/// Sorts jobs by creation time (jobs without one last), then service and id, so the order
/// does not depend on which service answered first.
pub fn sort_by_time(jobs: &mut [Job]) {
    jobs.sort_by(|a, b| {
        let time = |j: &Job| (j.created_at.is_none(), j.created_at);
        time(a)
            .cmp(&time(b))
            .then(a.service.cmp(&b.service))
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// Runs `cloudjobs jobs`. Services named with `--service` must be usable (else a usage
/// error); without `--service`, the services that cannot be asked (no region, token or
/// scope) are skipped with a note. Jobs of the services that answered are printed even when
/// another failed; then the command fails with exit code 1, naming the failed services.
pub async fn run(global: &GlobalOpts, args: &JobsArgs) -> Result<(), CliError> {
    let client = job_client(global).await?;
    let explicit = !args.services.is_empty();
    let wanted: Vec<Service> = if explicit {
        args.services.clone()
    } else {
        Service::ALL.to_vec()
    };
    let mut query = JobQuery::new().states(args.states.iter().copied());
    query.page_size = args.page_size;
    query.max_items_per_service = global.max_items;
    for service in wanted {
        match service::of(service).jobs_scope(args, client.config_for(service)) {
            Ok(scope) => query = query.scope(scope),
            Err(why) if explicit => return Err(CliError::Usage(format!("{service}: {why}"))),
            Err(why) => note(&format!("skipped {service}: {why}")),
        }
    }
    let asked = query.services();
    if asked.is_empty() {
        return Err(CliError::Usage(
            "no service can be asked: configure one (see the notes above) or name it with --service"
                .to_owned(),
        ));
    }

    let mut stream = client.list(&query);
    let mut jobs = Vec::new();
    let mut failed: Vec<Service> = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(job) => jobs.push(job),
            Err(e) => {
                note(&format!("error: {e}"));
                if !failed.contains(&e.service()) {
                    failed.push(e.service());
                }
            }
        }
    }
    sort_by_time(&mut jobs);
    emit(&render_jobs(&jobs, global.output)?)?;
    if failed.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = failed.iter().map(|s| s.as_str()).collect();
    Err(CliError::Exit {
        code: EXIT_FAILURE,
        message: format!(
            "{} of {} services could not be asked: {}",
            failed.len(),
            asked.len(),
            names.join(", ")
        ),
    })
}
