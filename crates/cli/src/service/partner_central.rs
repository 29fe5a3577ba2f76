//! AWS Partner Central Selling: resource snapshot jobs, listed per catalog.

use cloudjobs::Service;
use cloudjobs::jobs::{JobRef, PartnerCentralScope, Scope};
use cloudjobs::partner_central::operation::list_resource_snapshot_jobs::ListResourceSnapshotJobs;
use cloudjobs_emulator::Seeded;
use cloudjobs_runtime::Config;
use futures::future::BoxFuture;

use super::{Listing, ServiceCli, Sink, Stopped, aws_missing, fetch_inputs, wrong_scope};
use crate::args::{JobLocation, JobsArgs, PartnerCentralList};
use crate::error::CliError;
use crate::fetch::PageOpts;

/// Partner Central.
#[derive(Debug)]
pub struct PartnerCentral;

impl PartnerCentral {
    /// The scope of `cloudjobs partner-central list`.
    pub fn list_scope(args: &PartnerCentralList) -> Scope {
        Scope::PartnerCentral(PartnerCentralScope {
            catalogs: vec![args.catalog.clone()],
            status: args.status.clone(),
            engagement_identifier: args.engagement_identifier.clone(),
            sort_order: args.sort_order.clone(),
        })
    }
}

impl ServiceCli for PartnerCentral {
    fn service(&self) -> Service {
        Service::PartnerCentral
    }

    fn operation(&self) -> &'static str {
        "ListResourceSnapshotJobs"
    }

    fn jobs_scope(&self, args: &JobsArgs, config: &Config) -> Result<Scope, String> {
        aws_missing(config)?;
        Ok(Scope::PartnerCentral(PartnerCentralScope {
            catalogs: args.catalogs.clone(),
            ..Default::default()
        }))
    }

    fn demo_scope(&self, seeded: &Seeded) -> Scope {
        Scope::PartnerCentral(PartnerCentralScope {
            catalogs: seeded.partner_central.catalogs.clone(),
            ..Default::default()
        })
    }

    fn job_ref(&self, id: &str, at: &JobLocation) -> Result<JobRef, CliError> {
        Ok(JobRef::PartnerCentral {
            catalog: at.catalog.clone(),
            id: id.to_owned(),
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
            let Scope::PartnerCentral(scope) = scope else {
                return Err(wrong_scope(self.service(), scope).into());
            };
            let client = cloudjobs::partner_central::Client::new(config.clone());
            fetch_inputs::<ListResourceSnapshotJobs>(
                client.handle().clone(),
                scope.inputs(),
                opts,
                starting_token,
                sink,
            )
            .await
        })
    }
}
