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
use crate::fetch::{PageOpts, fetch};

pub use cloud_rewind::CloudRewind;
pub use macie2::Macie2;
pub use partner_central::PartnerCentral;
pub use spaceone::Spaceone;
pub use ssm_mw::SsmMw;

/// What one listing of a scope returned.
#[derive(Debug, Default)]
pub struct Listing {
    /// The jobs, in the service's order.
    pub jobs: Vec<Job>,
    /// HTTP requests made.
    pub requests: usize,
    /// Whether the service had more jobs than were fetched.
    pub more: bool,
}

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

    /// Lists `scope` (of this service) as `opts` says.
    fn fetch<'a>(
        &'a self,
        config: &'a Config,
        scope: &'a Scope,
        opts: PageOpts,
    ) -> BoxFuture<'a, Result<Listing, CliError>>;
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

/// Lists each input in turn with operation `O`, sharing `max_items` across them.
async fn fetch_inputs<O>(
    handle: Handle,
    inputs: Vec<(String, O::Input)>,
    opts: PageOpts,
) -> Result<Listing, CliError>
where
    O: Paginated,
    O::Item: Into<Job>,
    O::Error: ProvideErrorMetadata,
{
    let mut listing = Listing::default();
    for (_, input) in inputs {
        let remaining = opts.max_items.map(|m| m.saturating_sub(listing.jobs.len()));
        if remaining == Some(0) {
            break;
        }
        let fetched = fetch::<O>(
            handle.clone(),
            input,
            PageOpts {
                max_items: remaining,
                ..opts
            },
        )
        .await?;
        listing.requests += fetched.pages;
        listing.more |= fetched.more;
        listing
            .jobs
            .extend(fetched.items.into_iter().map(Into::into));
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
