//! The per-service commands: `list`, `get`, `delete` and `watch`. `list` and `watch` go
//! through the service's [`ServiceCli`] description.

use cloudjobs::Job;
use cloudjobs::jobs::{JobRef, Scope};
use cloudjobs_runtime::{Config, Credentials};

use crate::args::{
    CloudRewindCommand, GlobalOpts, Macie2Command, PartnerCentralCommand, SpaceoneCommand,
    SsmMwCommand,
};
use crate::error::CliError;
use crate::fetch::PageOpts;
use crate::output::{JobStream, emit, note, render_raw};
use crate::service::{
    self, CloudRewind, Macie2, PartnerCentral, Resume, ServiceCli, Spaceone, SsmMw,
};
use crate::watch;

/// Loads the client configuration of one service: the environment and shared AWS files (as
/// [`Config::from_env`] does), with the AWS profile, region, endpoint and token that
/// [`crate::config::resolve`] finds (flags, then environment, then the configuration file).
/// `--profile` selects the AWS profile with its credentials winning over `AWS_ACCESS_KEY_ID`,
/// as with the AWS CLI; a profile from the file only replaces `AWS_PROFILE`.
pub async fn load_config(
    global: &GlobalOpts,
    service: cloudjobs::Service,
) -> Result<Config, CliError> {
    let settings = crate::config::resolve(global, service)?;
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
    } else if let Some(profile) = &settings.aws_profile {
        vars.retain(|(k, _)| k != "AWS_PROFILE");
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
    if let Some(region) = &settings.region {
        builder = builder.region(region.as_str());
    }
    if let Some(url) = &settings.endpoint {
        builder = builder.endpoint_url(url.as_str());
    }
    if let Some(prefix) = &settings.path_prefix {
        builder = builder.path_prefix(prefix.as_str());
    }
    if let Some(token) = settings.token {
        builder = builder.bearer_token(token);
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

/// The paging options of the global flags, with a command's page size.
pub fn page_opts(global: &GlobalOpts, page_size: Option<u32>) -> PageOpts {
    PageOpts {
        paginate: !global.no_paginate,
        max_items: global.max_items,
        page_size,
    }
}

/// A cross-service client in which every service has the configuration [`load_config`]
/// resolves for it (its own profile section, endpoint and token).
pub async fn job_client(global: &GlobalOpts) -> Result<cloudjobs::jobs::JobClient, CliError> {
    // Every service gets its own configuration, so the shared one is never used.
    let mut client = cloudjobs::jobs::JobClient::new(Config::default());
    for service in cloudjobs::Service::ALL {
        client = client.with_service_config(service, load_config(global, service).await?);
    }
    Ok(client)
}

/// Lists `scope` on its service as the global options say, printing the jobs as they arrive
/// (a streamed JSON array; other formats at the end, since they need every row), with a note
/// on stderr of the requests made and when more jobs exist. When a page fails part-way, what
/// arrived is printed first, then the `--starting-token` that continues the listing (as
/// aws-cli does), then the error.
async fn list(global: &GlobalOpts, scope: Scope, page_size: Option<u32>) -> Result<(), CliError> {
    let config = load_config(global, scope.service()).await?;
    let mut printer = JobStream::new(global.output);
    let result = service::of(scope.service())
        .fetch(
            &config,
            &scope,
            page_opts(global, page_size),
            global.resume.starting_token.as_deref(),
            &mut |job| printer.push(job),
        )
        .await;
    let listing = match result {
        Ok(listing) => listing,
        // Nothing arrived: only the error is printed, as before any page.
        Err(stopped) if printer.is_empty() => return Err(stopped.error),
        Err(stopped) => {
            let jobs = printer.finish()?;
            if let Some(resume) = &stopped.resume {
                let how = match resume {
                    Resume::Token(token) => format!("rerun with --starting-token {token}"),
                    Resume::Rerun => "rerun the same command".to_owned(),
                };
                note(&format!(
                    "the listing stopped after {jobs} job{}; to continue, {how}",
                    if jobs == 1 { "" } else { "s" }
                ));
            }
            return Err(stopped.error);
        }
    };
    let jobs = printer.finish()?;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if global.output == crate::args::OutputFormat::Table {
        note(&format!(
            "{} job{} in {} request{}",
            jobs,
            plural(jobs),
            listing.requests,
            plural(listing.requests)
        ));
    }
    if listing.more {
        match &listing.next_token {
            Some(token) => note(&format!(
                "more jobs are available: continue with --starting-token {token}"
            )),
            None => note("more jobs are available: raise --max-items or leave out --no-paginate"),
        }
    }
    Ok(())
}

/// `cloudjobs partner-central ...`.
pub async fn partner_central(
    global: &GlobalOpts,
    cmd: &PartnerCentralCommand,
) -> Result<(), CliError> {
    match cmd {
        PartnerCentralCommand::List(args) => {
            list(global, PartnerCentral::list_scope(args), args.page_size).await
        }
    }
}

/// `cloudjobs macie2 ...`.
pub async fn macie2(global: &GlobalOpts, cmd: &Macie2Command) -> Result<(), CliError> {
    match cmd {
        Macie2Command::List(args) => list(global, Macie2::list_scope(args), args.page_size).await,
    }
}

/// `cloudjobs ssm-mw ...`.
pub async fn ssm_mw(global: &GlobalOpts, cmd: &SsmMwCommand) -> Result<(), CliError> {
    match cmd {
        SsmMwCommand::List(args) => list(global, SsmMw::list_scope(args), args.page_size).await,
    }
}

/// `cloudjobs spaceone-identity ...`.
pub async fn spaceone_identity(global: &GlobalOpts, cmd: &SpaceoneCommand) -> Result<(), CliError> {
    match cmd {
        SpaceoneCommand::List(args) => {
            list(global, Spaceone::list_scope(args), args.page_size).await
        }
        SpaceoneCommand::Get(args) => {
            let client = cloudjobs::spaceone_identity::Client::new(
                load_config(global, cloudjobs::Service::SpaceoneIdentity).await?,
            );
            let info = client.get_job().job_id(args.job_id.as_str()).send().await?;
            let jobs = [Job::from(info.clone())];
            emit(&render_raw(&info, &jobs, global.output)?)
        }
        SpaceoneCommand::Delete(args) => {
            let client = cloudjobs::spaceone_identity::Client::new(
                load_config(global, cloudjobs::Service::SpaceoneIdentity).await?,
            );
            let out = client
                .delete_job()
                .job_id(args.job_id.as_str())
                .send()
                .await?;
            match global.output {
                crate::args::OutputFormat::Table => emit(&format!("deleted {}\n", args.job_id)),
                format => emit(&render_raw(&out, &[], format)?),
            }
        }
        SpaceoneCommand::Watch(args) => {
            let job = Spaceone.job_ref(&args.job.job_id, &Default::default())?;
            watch::run(global, vec![job], &args.watch).await
        }
    }
}

/// `cloudjobs cloud-rewind ...`.
pub async fn cloud_rewind(global: &GlobalOpts, cmd: &CloudRewindCommand) -> Result<(), CliError> {
    match cmd {
        CloudRewindCommand::Get(p) => {
            let client = cloudjobs::cloud_rewind::Client::new(
                load_config(global, cloudjobs::Service::CloudRewind).await?,
            );
            let protection = CloudRewind::protection(p);
            let status = client
                .get_aws_protection_status()
                .set_input(protection.input())
                .send()
                .await?;
            let job = protection.job(&status);
            emit(&render_raw(&status, &[job], global.output)?)
        }
        CloudRewindCommand::Watch(args) => {
            let job = JobRef::CloudRewind(CloudRewind::protection(&args.protection));
            watch::run(global, vec![job], &args.watch).await
        }
    }
}
