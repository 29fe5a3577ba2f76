//! SpaceONE identity: jobs of the token's domain.

use cloudjobs::Service;
use cloudjobs::jobs::{JobRef, Scope, SpaceoneScope};
use cloudjobs::spaceone_identity::operation::list_jobs::ListJobs;
use cloudjobs_emulator::Seeded;
use cloudjobs_runtime::Config;
use futures::future::BoxFuture;

use super::{Listing, ServiceCli, Sink, Stopped, bearer_missing, fetch_inputs, wrong_scope};
use crate::args::{JobLocation, JobsArgs, SpaceoneList};
use crate::error::CliError;
use crate::fetch::PageOpts;

/// SpaceONE identity jobs.
#[derive(Debug)]
pub struct Spaceone;

impl Spaceone {
    /// The scope of `cloudjobs spaceone-identity list`.
    pub fn list_scope(args: &SpaceoneList) -> Scope {
        Scope::SpaceoneIdentity(SpaceoneScope {
            status: args.status.clone(),
            workspace_id: args.workspace_id.clone(),
            trusted_account_id: args.trusted_account_id.clone(),
            plugin_id: args.plugin_id.clone(),
            keyword: args.keyword.clone(),
        })
    }
}

impl ServiceCli for Spaceone {
    fn service(&self) -> Service {
        Service::SpaceoneIdentity
    }

    fn operation(&self) -> &'static str {
        "job/list"
    }

    fn jobs_scope(&self, _args: &JobsArgs, config: &Config) -> Result<Scope, String> {
        bearer_missing(config, cloudjobs::spaceone_identity::SERVICE.env_prefix)?;
        Ok(Scope::SpaceoneIdentity(SpaceoneScope::default()))
    }

    fn demo_scope(&self, _seeded: &Seeded) -> Scope {
        Scope::SpaceoneIdentity(SpaceoneScope::default())
    }

    fn job_ref(&self, id: &str, _at: &JobLocation) -> Result<JobRef, CliError> {
        Ok(JobRef::SpaceoneIdentity {
            job_id: id.to_owned(),
        })
    }

    fn fetch<'a>(
        &'a self,
        config: &'a Config,
        scope: &'a Scope,
        opts: PageOpts,
        starting_token: Option<&'a str>,
        sink: Sink<'a>,
    ) -> BoxFuture<'a, Result<Listing, Stopped>> {
        Box::pin(async move {
            let Scope::SpaceoneIdentity(scope) = scope else {
                return Err(wrong_scope(self.service(), scope).into());
            };
            let client = cloudjobs::spaceone_identity::Client::new(config.clone());
            let inputs = vec![("jobs".to_owned(), scope.input())];
            fetch_inputs::<ListJobs>(client.handle().clone(), inputs, opts, starting_token, sink)
                .await
        })
    }
}
