//! The per-service commands: `list`, `get`, `delete` and `watch`.

use std::cell::RefCell;
use std::time::Duration;

use cloudjobs::cloud_rewind::operation::get_aws_protection_status::GetAwsProtectionStatusOutput;
use cloudjobs::macie2::operation::list_classification_jobs::ListClassificationJobs;
use cloudjobs::macie2::types::{
    JobComparator, ListJobsFilterCriteria, ListJobsFilterKey, ListJobsFilterTerm,
    ListJobsSortAttributeName, ListJobsSortCriteria, OrderBy,
};
use cloudjobs::partner_central::operation::list_resource_snapshot_jobs::ListResourceSnapshotJobs;
use cloudjobs::partner_central::types::{SortBy, SortObject};
use cloudjobs::spaceone_identity::operation::list_jobs::ListJobs;
use cloudjobs::spaceone_identity::types::Query;
use cloudjobs::ssm_mw::operation::describe_maintenance_window_execution_tasks::DescribeMaintenanceWindowExecutionTasks;
use cloudjobs::ssm_mw::types::MaintenanceWindowFilter;
use cloudjobs::{Job, WaitError, WaiterConfig, wait_until_settled};
use cloudjobs_runtime::{Config, Credentials, Handle, Paginated, ProvideErrorMetadata};

use crate::args::{
    CloudRewindCommand, GlobalOpts, Macie2Command, Macie2List, OutputFormat, PartnerCentralCommand,
    PartnerCentralList, ProtectionArgs, SpaceoneCommand, SpaceoneList, SsmMwCommand, SsmMwList,
    WatchOpts,
};
use crate::error::CliError;
use crate::fetch::{PageOpts, fetch};
use crate::output::{emit, jobs_table, note, to_json};

/// Loads the client configuration: the environment and shared AWS files (as
/// [`Config::from_env`] does), with `--profile` selecting the profile (its credentials then
/// win over `AWS_ACCESS_KEY_ID`, as with the AWS CLI), and `--region`, `--endpoint-url` and
/// `--token` overriding what was found.
pub async fn load_config(global: &GlobalOpts) -> Result<Config, CliError> {
    let mut vars: Vec<(String, String)> = std::env::vars().collect();
    if let Some(profile) = &global.profile {
        const OVERRIDDEN: [&str; 4] = [
            "AWS_PROFILE",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
        ];
        vars.retain(|(k, _)| !OVERRIDDEN.contains(&k.as_str()));
        vars.push(("AWS_PROFILE".to_owned(), profile.clone()));
    }
    if let Some(region) = &global.region {
        // Known before loading, so no credential source goes looking for one.
        vars.retain(|(k, _)| k != "AWS_REGION");
        vars.push(("AWS_REGION".to_owned(), region.clone()));
    }
    // With the `aws-config` feature (default), profiles with SSO, AssumeRole, web identity or
    // credential_process, and ECS / IMDS credentials, work as in the AWS CLI.
    #[cfg(feature = "aws-config")]
    let config =
        cloudjobs_runtime::aws_config::load_from_vars(vars, global.profile.as_deref()).await;
    #[cfg(not(feature = "aws-config"))]
    let config = Config::from_env_vars(vars).await;
    let config =
        config.map_err(|e| CliError::Usage(format!("could not load the configuration: {e}")))?;
    let mut builder = config.to_builder();
    if let Some(region) = &global.region {
        builder = builder.region(region.as_str());
    }
    if let Some(url) = &global.endpoint_url {
        builder = builder.endpoint_url(url.as_str());
    }
    if let Some(token) = &global.token {
        builder = builder.bearer_token(token.as_str());
    }
    Ok(builder.build())
}

/// Configuration for the emulator at `url` with its credentials and token: what `demo` uses.
pub fn emulator_config(url: &str, access_key: &str, secret_key: &str, token: &str) -> Config {
    Config::builder()
        .endpoint_url(url)
        .region("us-east-1")
        .credentials(Credentials::new(
            access_key,
            secret_key,
            None,
            None,
            "cloudjobs-emulator",
        ))
        .bearer_token(token)
        .build()
}

fn page_opts(global: &GlobalOpts, page_size: Option<u32>) -> PageOpts {
    PageOpts {
        paginate: !global.no_paginate,
        max_items: global.max_items,
        page_size,
    }
}

/// Runs a paginated `list` operation as the global options say, and prints its items as jobs
/// (a table or JSON), with a note on stderr when more items exist.
async fn list_jobs<O>(
    global: &GlobalOpts,
    handle: Handle,
    input: O::Input,
    page_size: Option<u32>,
) -> Result<(), CliError>
where
    O: Paginated,
    O::Item: Into<Job>,
    O::Error: ProvideErrorMetadata,
{
    let fetched = fetch::<O>(handle, input, page_opts(global, page_size)).await?;
    let more = fetched.more;
    let jobs: Vec<Job> = fetched.items.into_iter().map(Into::into).collect();
    match global.output {
        OutputFormat::Json => emit(&to_json(&jobs)?)?,
        OutputFormat::Table => {
            emit(&jobs_table(&jobs))?;
            note(&format!(
                "{} job{} in {} request{}",
                jobs.len(),
                if jobs.len() == 1 { "" } else { "s" },
                fetched.pages,
                if fetched.pages == 1 { "" } else { "s" }
            ));
        }
    }
    if more {
        note("more jobs are available: raise --max-items or leave out --no-paginate");
    }
    Ok(())
}

// ----------------------------------------------------------------------------------------
// Builders shared with `demo`.

/// The Partner Central list input of `args`.
pub fn partner_central_input(
    client: &cloudjobs::partner_central::Client,
    args: &PartnerCentralList,
) -> cloudjobs::partner_central::operation::list_resource_snapshot_jobs::ListResourceSnapshotJobsInput
{
    let mut b = client
        .list_resource_snapshot_jobs()
        .catalog(args.catalog.as_str());
    if let Some(status) = &args.status {
        b = b.status(status.as_str());
    }
    if let Some(engagement) = &args.engagement_identifier {
        b = b.engagement_identifier(engagement.as_str());
    }
    if let Some(order) = &args.sort_order {
        b = b.sort(
            SortObject::builder()
                .sort_by(SortBy::CreatedDate)
                .sort_order(order.as_str())
                .build(),
        );
    }
    b.as_input().clone()
}

/// The Macie2 list input of `args`.
pub fn macie2_input(
    client: &cloudjobs::macie2::Client,
    args: &Macie2List,
) -> cloudjobs::macie2::operation::list_classification_jobs::ListClassificationJobsInput {
    let term = |comparator: JobComparator, key: ListJobsFilterKey, values: Vec<String>| {
        ListJobsFilterTerm::builder()
            .comparator(comparator)
            .key(key)
            .set_values(Some(values))
            .build()
    };
    let mut includes = Vec::new();
    if !args.status.is_empty() {
        includes.push(term(
            JobComparator::Eq,
            ListJobsFilterKey::JobStatus,
            args.status.clone(),
        ));
    }
    if let Some(job_type) = &args.job_type {
        includes.push(term(
            JobComparator::Eq,
            ListJobsFilterKey::JobType,
            vec![job_type.clone()],
        ));
    }
    if let Some(prefix) = &args.name_prefix {
        includes.push(term(
            JobComparator::StartsWith,
            ListJobsFilterKey::Name,
            vec![prefix.clone()],
        ));
    }
    let mut b = client.list_classification_jobs();
    if !includes.is_empty() {
        b = b.filter_criteria(
            ListJobsFilterCriteria::builder()
                .set_includes(Some(includes))
                .build(),
        );
    }
    if args.sort_by.is_some() || args.order.is_some() {
        b = b.sort_criteria(
            ListJobsSortCriteria::builder()
                .attribute_name(args.sort_by.as_deref().map_or(
                    ListJobsSortAttributeName::CreatedAt,
                    ListJobsSortAttributeName::from,
                ))
                .set_order_by(args.order.as_deref().map(OrderBy::from))
                .build(),
        );
    }
    b.as_input().clone()
}

/// The SSM list input of `args`.
pub fn ssm_input(
    client: &cloudjobs::ssm_mw::Client,
    args: &SsmMwList,
) -> cloudjobs::ssm_mw::operation::describe_maintenance_window_execution_tasks::DescribeMaintenanceWindowExecutionTasksInput{
    let mut b = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(args.window_execution_id.as_str());
    if !args.status.is_empty() {
        b = b.filters(
            MaintenanceWindowFilter::builder()
                .key("STATUS")
                .set_values(Some(args.status.clone()))
                .build(),
        );
    }
    b.as_input().clone()
}

/// The SpaceONE list input of `args`.
pub fn spaceone_input(
    client: &cloudjobs::spaceone_identity::Client,
    args: &SpaceoneList,
) -> cloudjobs::spaceone_identity::operation::list_jobs::ListJobsInput {
    let mut b = client.list_jobs();
    if let Some(status) = &args.status {
        b = b.status(status.as_str());
    }
    if let Some(v) = &args.workspace_id {
        b = b.workspace_id(v.as_str());
    }
    if let Some(v) = &args.trusted_account_id {
        b = b.trusted_account_id(v.as_str());
    }
    if let Some(v) = &args.plugin_id {
        b = b.plugin_id(v.as_str());
    }
    if let Some(keyword) = &args.keyword {
        b = b.query(Query::builder().keyword(keyword.as_str()).build());
    }
    b.as_input().clone()
}

/// Gets one Cloud Rewind protection's status.
pub async fn cloud_rewind_get(
    client: &cloudjobs::cloud_rewind::Client,
    p: &ProtectionArgs,
) -> Result<GetAwsProtectionStatusOutput, CliError> {
    Ok(client
        .get_aws_protection_status()
        .account_id(p.account_id)
        .project_id(p.project_id.as_str())
        .cloud_assembly_id(p.cloud_assembly_id)
        .protection_id(p.protection_id.as_str())
        .send()
        .await?)
}

/// The unified view of a Cloud Rewind protection; its name is
/// `account/project/cloud-assembly`.
pub fn cloud_rewind_job(p: &ProtectionArgs, status: &GetAwsProtectionStatusOutput) -> Job {
    let mut job = Job::from_cloud_rewind(p.protection_id.clone(), status);
    job.name = Some(format!(
        "{}/{}/{}",
        p.account_id, p.project_id, p.cloud_assembly_id
    ));
    job
}

// ----------------------------------------------------------------------------------------
// Commands.

/// `cloudjobs partner-central ...`.
pub async fn partner_central(
    global: &GlobalOpts,
    cmd: &PartnerCentralCommand,
) -> Result<(), CliError> {
    let client = cloudjobs::partner_central::Client::new(load_config(global).await?);
    match cmd {
        PartnerCentralCommand::List(args) => {
            let input = partner_central_input(&client, args);
            list_jobs::<ListResourceSnapshotJobs>(
                global,
                client.handle().clone(),
                input,
                args.page_size,
            )
            .await
        }
    }
}

/// `cloudjobs macie2 ...`.
pub async fn macie2(global: &GlobalOpts, cmd: &Macie2Command) -> Result<(), CliError> {
    let client = cloudjobs::macie2::Client::new(load_config(global).await?);
    match cmd {
        Macie2Command::List(args) => {
            let input = macie2_input(&client, args);
            list_jobs::<ListClassificationJobs>(
                global,
                client.handle().clone(),
                input,
                args.page_size,
            )
            .await
        }
    }
}

/// `cloudjobs ssm-mw ...`.
pub async fn ssm_mw(global: &GlobalOpts, cmd: &SsmMwCommand) -> Result<(), CliError> {
    let client = cloudjobs::ssm_mw::Client::new(load_config(global).await?);
    match cmd {
        SsmMwCommand::List(args) => {
            let input = ssm_input(&client, args);
            list_jobs::<DescribeMaintenanceWindowExecutionTasks>(
                global,
                client.handle().clone(),
                input,
                args.page_size,
            )
            .await
        }
    }
}

/// `cloudjobs spaceone-identity ...`.
pub async fn spaceone_identity(global: &GlobalOpts, cmd: &SpaceoneCommand) -> Result<(), CliError> {
    let client = cloudjobs::spaceone_identity::Client::new(load_config(global).await?);
    match cmd {
        SpaceoneCommand::List(args) => {
            let input = spaceone_input(&client, args);
            list_jobs::<ListJobs>(global, client.handle().clone(), input, args.page_size).await
        }
        SpaceoneCommand::Get(args) => {
            let info = client.get_job().job_id(args.job_id.as_str()).send().await?;
            match global.output {
                OutputFormat::Json => emit(&to_json(&info)?),
                OutputFormat::Table => emit(&jobs_table(&[Job::from(info)])),
            }
        }
        SpaceoneCommand::Delete(args) => {
            let out = client
                .delete_job()
                .job_id(args.job_id.as_str())
                .send()
                .await?;
            match global.output {
                OutputFormat::Json => emit(&to_json(&out)?),
                OutputFormat::Table => emit(&format!("deleted {}\n", args.job_id)),
            }
        }
        SpaceoneCommand::Watch(args) => {
            let id = args.job.job_id.as_str();
            watch(global, &args.watch, || async {
                client.get_job().job_id(id).send().await.map(Job::from)
            })
            .await
        }
    }
}

/// `cloudjobs cloud-rewind ...`.
pub async fn cloud_rewind(global: &GlobalOpts, cmd: &CloudRewindCommand) -> Result<(), CliError> {
    let client = cloudjobs::cloud_rewind::Client::new(load_config(global).await?);
    match cmd {
        CloudRewindCommand::Get(p) => {
            let status = cloud_rewind_get(&client, p).await?;
            match global.output {
                OutputFormat::Json => emit(&to_json(&status)?),
                OutputFormat::Table => emit(&jobs_table(&[cloud_rewind_job(p, &status)])),
            }
        }
        CloudRewindCommand::Watch(args) => {
            let p = &args.protection;
            watch(global, &args.watch, || async {
                client
                    .get_aws_protection_status()
                    .account_id(p.account_id)
                    .project_id(p.project_id.as_str())
                    .cloud_assembly_id(p.cloud_assembly_id)
                    .protection_id(p.protection_id.as_str())
                    .send()
                    .await
                    .map(|status| cloud_rewind_job(p, &status))
            })
            .await
        }
    }
}

fn seconds(name: &str, value: f64) -> Result<Duration, CliError> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            CliError::Usage(format!(
                "--{name} must be a positive number of seconds, got {value}"
            ))
        })
}

/// Polls with `poll` through [`wait_until_settled`] every `--interval` seconds until the job
/// is settled, printing the job whenever its state or raw status changes (a table row, or one
/// JSON object per line).
async fn watch<F, Fut, E>(global: &GlobalOpts, opts: &WatchOpts, poll: F) -> Result<(), CliError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<Job, cloudjobs_runtime::Error<E>>>,
    E: ProvideErrorMetadata,
{
    let interval = seconds("interval", opts.interval)?;
    let timeout = seconds("timeout", opts.timeout)?;
    let config = WaiterConfig {
        min_delay: interval,
        max_delay: interval,
        max_wait: timeout,
    };
    let last: RefCell<Option<(cloudjobs::JobState, Option<String>)>> = RefCell::new(None);
    let output = global.output;
    let printed: RefCell<Result<(), CliError>> = RefCell::new(Ok(()));
    let result = wait_until_settled(config, || {
        let fut = poll();
        let last = &last;
        let printed = &printed;
        async move {
            let job = fut.await?;
            let key = (job.state, job.raw_status.clone());
            if last.borrow().as_ref() != Some(&key) {
                *last.borrow_mut() = Some(key);
                let text = match output {
                    OutputFormat::Json => serde_json::to_string(&job)
                        .map(|s| s + "\n")
                        .map_err(|e| CliError::Other(e.to_string())),
                    OutputFormat::Table => Ok(format!(
                        "{}  {}  {}  {:<9}  {}\n",
                        cloudjobs::DateTime::now().to_rfc3339_millis(),
                        job.service,
                        job.id,
                        job.state.as_str(),
                        job.raw_status.as_deref().unwrap_or("-"),
                    )),
                };
                let res = text.and_then(|t| emit(&t));
                if res.is_err() {
                    *printed.borrow_mut() = res;
                }
            }
            Ok(job)
        }
    })
    .await;
    printed.into_inner()?;
    match result {
        Ok(job) => {
            note(&format!(
                "{} {} is settled: {}",
                job.service, job.id, job.state
            ));
            Ok(())
        }
        Err(WaitError::Poll(e)) => Err(CliError::from_sdk(e)),
        Err(timed_out @ WaitError::TimedOut { .. }) => Err(CliError::Other(timed_out.to_string())),
    }
}
