//! Each service described once: how `list`, `jobs`, `watch` and `demo` reach it.
//!
//! A [`ServiceCli`] says which scope a command lists on the service, whether the service can
//! be asked with the configuration at hand, how a job id becomes a [`JobRef`], and how a scope
//! is fetched page by page. The commands loop over [`ALL`] or look a service up with [`of`];
//! none of them names a service.

mod cloud_rewind;
mod macie2;
mod partner_central;
mod spaceone;
mod ssm_mw;

use cloudjobs::jobs::{JobRef, Scope};
use cloudjobs::{Job, Service};
use cloudjobs_emulator::Seeded;
use cloudjobs_runtime::{Config, Handle, Paginated, ProvideErrorMetadata};
use futures::future::BoxFuture;

use crate::args::{JobLocation, JobsArgs};
use crate::error::CliError;
use crate::fetch::{PageOpts, Stop, fetch_each};

pub use cloud_rewind::CloudRewind;
pub use macie2::Macie2;
pub use partner_central::PartnerCentral;
pub use spaceone::Spaceone;
pub use ssm_mw::SsmMw;

/// What one listing of a scope did; its jobs went to the caller's sink as they arrived.
#[derive(Debug, Default)]
pub struct Listing {
    /// Jobs given to the sink.
    pub jobs: usize,
    /// HTTP requests made.
    pub requests: usize,
    /// Whether the service had more jobs than were fetched.
    pub more: bool,
    /// With `--no-paginate`: the `--starting-token` of the next page, when there is one.
    pub next_token: Option<String>,
}

/// Where a listing that stopped part-way can continue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resume {
    /// With `--starting-token` and this token (or SpaceONE item offset).
    Token(String),
    /// From the start: the failed page was the first one.
    Rerun,
}

/// Why a listing stopped before its end.
#[derive(Debug)]
pub struct Stopped {
    /// What went wrong.
    pub error: CliError,
    /// Where to continue, when a page failed after the listing started.
    pub resume: Option<Resume>,
}

impl From<CliError> for Stopped {
    fn from(error: CliError) -> Self {
        Stopped {
            error,
            resume: None,
        }
    }
}

/// Where each job of a listing goes, as soon as its page arrives.
pub type Sink<'a> = &'a mut (dyn FnMut(Job) -> Result<(), CliError> + Send);

/// How the CLI reaches one service.
pub trait ServiceCli: Send + Sync {
    /// The service.
    fn service(&self) -> Service;

    /// The operation that lists (or reads) its jobs, as the service names it.
    fn operation(&self) -> &'static str;

    /// The scope `cloudjobs jobs` lists, or why the service cannot be asked with this
    /// configuration and these arguments.
    fn jobs_scope(&self, args: &JobsArgs, config: &Config) -> Result<Scope, String>;

    /// The scope `demo` lists: everything the emulator seeded that answers without an error.
    fn demo_scope(&self, seeded: &Seeded) -> Scope;

    /// The job `watch` polls, from its id and where it is.
    fn job_ref(&self, id: &str, at: &JobLocation) -> Result<JobRef, CliError>;

    /// Lists `scope` (of this service) as `opts` says, from `starting_token` (a page a failed
    /// run named) when given, handing each job to `sink` as its page arrives.
    fn fetch<'a>(
        &'a self,
        config: &'a Config,
        scope: &'a Scope,
        opts: PageOpts,
        starting_token: Option<&'a str>,
        sink: Sink<'a>,
    ) -> BoxFuture<'a, Result<Listing, Stopped>>;
}

/// Every job of `scope` (of `desc`'s service) in one list, with the listing's counts.
pub async fn collect(
    desc: &dyn ServiceCli,
    config: &Config,
    scope: &Scope,
    opts: PageOpts,
) -> Result<(Vec<Job>, Listing), CliError> {
    let mut jobs = Vec::new();
    let listing = desc
        .fetch(config, scope, opts, None, &mut |job| {
            jobs.push(job);
            Ok(())
        })
        .await
        .map_err(|stopped| stopped.error)?;
    Ok((jobs, listing))
}

/// Every service, in [`Service::ALL`] order.
pub static ALL: [&dyn ServiceCli; 5] = [&PartnerCentral, &Macie2, &SsmMw, &Spaceone, &CloudRewind];

/// The description of `service`.
pub fn of(service: Service) -> &'static dyn ServiceCli {
    match service {
        Service::PartnerCentral => &PartnerCentral,
        Service::Macie2 => &Macie2,
        Service::SsmMw => &SsmMw,
        Service::SpaceoneIdentity => &Spaceone,
        Service::CloudRewind => &CloudRewind,
    }
}

/// The error for a scope of another service (a bug of the caller, reported, not a panic).
fn wrong_scope(service: Service, scope: &Scope) -> CliError {
    CliError::Other(format!(
        "internal error: a {} scope was given to {service}",
        scope.service()
    ))
}

/// Lists each input in turn with operation `O`, sharing `max_items` across them, handing each
/// job to `sink` as its page arrives; `starting_token` starts the first input.
async fn fetch_inputs<O>(
    handle: Handle,
    inputs: Vec<(String, O::Input)>,
    opts: PageOpts,
    starting_token: Option<&str>,
    sink: Sink<'_>,
) -> Result<Listing, Stopped>
where
    O: Paginated,
    O::Item: Into<Job>,
    O::Error: ProvideErrorMetadata,
{
    let mut listing = Listing::default();
    for (i, (_, input)) in inputs.into_iter().enumerate() {
        let remaining = opts.max_items.map(|m| m.saturating_sub(listing.jobs));
        if remaining == Some(0) {
            break;
        }
        let streamed = fetch_each::<O, _, CliError>(
            handle.clone(),
            input,
            PageOpts {
                max_items: remaining,
                ..opts
            },
            if i == 0 { starting_token } else { None },
            |item| sink(item.into()),
        )
        .await
        .map_err(|stop| match stop {
            Stop::Sink(error) => Stopped {
                error,
                resume: None,
            },
            Stop::Sdk(e) => Stopped {
                resume: e.resume_point().map(|point| match point.starting_token() {
                    Some(token) => Resume::Token(token.to_owned()),
                    None => Resume::Rerun,
                }),
                error: CliError::from(e.into_inner()),
            },
        })?;
        listing.requests += streamed.pages;
        listing.jobs += streamed.items;
        listing.more |= streamed.more;
        if streamed.next_token.is_some() {
            listing.next_token = streamed.next_token;
        }
    }
    Ok(listing)
}

/// Why an AWS service cannot be asked: no region.
fn aws_missing(config: &Config) -> Result<(), String> {
    match config.region() {
        Some(_) => Ok(()),
        None => Err("no AWS region (set AWS_REGION, --region or a profile's region)".to_owned()),
    }
}

/// Why a bearer-token service with env prefix `prefix` cannot be asked: no token or no
/// endpoint.
fn bearer_missing(config: &Config, prefix: &str) -> Result<(), String> {
    let set = |name: String| std::env::var(&name).is_ok_and(|v| !v.trim().is_empty());
    if !config.has_bearer_token() && !set(format!("{prefix}_TOKEN")) {
        return Err(format!("no token (set {prefix}_TOKEN or --token)"));
    }
    if config.endpoint_url().is_none() && !set(format!("{prefix}_ENDPOINT_URL")) {
        return Err(format!(
            "no endpoint (set {prefix}_ENDPOINT_URL or --endpoint-url)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_every_service_once_in_order() {
        let listed: Vec<Service> = ALL.iter().map(|s| s.service()).collect();
        assert_eq!(listed, Service::ALL);
        for service in Service::ALL {
            assert_eq!(of(service).service(), service);
        }
    }
}
