//! Cloud Rewind: AWS protections, read one by one (the API has no list call).

use cloudjobs::Service;
use cloudjobs::jobs::{CloudRewindScope, JobClient, JobRef, ProtectionRef, Scope};
use cloudjobs_emulator::Seeded;
use cloudjobs_runtime::Config;
use futures::future::BoxFuture;

use super::{Listing, ServiceCli, Sink, Stopped, bearer_missing, wrong_scope};
use crate::args::{JobLocation, JobsArgs, ProtectionArgs};
use crate::error::CliError;
use crate::fetch::PageOpts;

/// Cloud Rewind protections.
#[derive(Debug)]
pub struct CloudRewind;

impl CloudRewind {
    /// The protection `get` and the per-service `watch` name.
    pub fn protection(p: &ProtectionArgs) -> ProtectionRef {
        ProtectionRef {
            account_id: p.account_id,
            project_id: p.project_id.clone(),
            cloud_assembly_id: p.cloud_assembly_id,
            protection_id: p.protection_id.clone(),
        }
    }
}

impl ServiceCli for CloudRewind {
    fn service(&self) -> Service {
        Service::CloudRewind
    }

    fn operation(&self) -> &'static str {
        "get_aws_protection_status"
    }

    fn jobs_scope(&self, args: &JobsArgs, config: &Config) -> Result<Scope, String> {
        bearer_missing(config, cloudjobs::cloud_rewind::SERVICE.env_prefix)?;
        if args.protections.is_empty() {
            return Err("no --protection".to_owned());
        }
        Ok(Scope::CloudRewind(CloudRewindScope {
            protections: args.protections.clone(),
        }))
    }

    /// Every seeded protection but the locked one and the one in a disabled assembly, which
    /// answer 409 and 412.
    fn demo_scope(&self, seeded: &Seeded) -> Scope {
        let cr = &seeded.cloud_rewind;
        let special = |p: &cloudjobs_emulator::ProtectionRef| {
            [&cr.locked, &cr.assembly_disabled]
                .into_iter()
                .flatten()
                .any(|s| s.protection_id == p.protection_id)
        };
        let protections = cr
            .protections
            .iter()
            .filter(|p| !special(p))
            .map(|p| ProtectionRef {
                account_id: p.account_id,
                project_id: p.project_id.clone(),
                cloud_assembly_id: p.cloud_assembly_id,
                protection_id: p.protection_id.clone(),
            })
            .collect();
        Scope::CloudRewind(CloudRewindScope { protections })
    }

    fn job_ref(&self, id: &str, at: &JobLocation) -> Result<JobRef, CliError> {
        let missing = |flag: &str| {
            CliError::Usage(format!(
                "cloud-rewind: watching a protection needs --{flag}"
            ))
        };
        Ok(JobRef::CloudRewind(ProtectionRef {
            account_id: at.account_id.ok_or_else(|| missing("account-id"))?,
            project_id: at.project_id.clone().ok_or_else(|| missing("project-id"))?,
            cloud_assembly_id: at
                .cloud_assembly_id
                .ok_or_else(|| missing("cloud-assembly-id"))?,
            protection_id: id.to_owned(),
        }))
    }

    /// One request per protection, up to `max_items`; paging options do not apply.
    /// Reads each protection in turn (the API has no list, so there is no page to start from:
    /// `starting_token` is not used).
    fn fetch<'a>(
        &'a self,
        config: &'a Config,
        scope: &'a Scope,
        opts: PageOpts,
        _starting_token: Option<&'a str>,
        sink: Sink<'a>,
    ) -> BoxFuture<'a, Result<Listing, Stopped>> {
        Box::pin(async move {
            let Scope::CloudRewind(scope) = scope else {
                return Err(wrong_scope(self.service(), scope).into());
            };
            let client = JobClient::new(config.clone());
            let mut listing = Listing::default();
            let limit = opts.max_items.unwrap_or(usize::MAX);
            for p in &scope.protections {
                if listing.jobs >= limit {
                    listing.more = true;
                    break;
                }
                let job = client
                    .get(&JobRef::CloudRewind(p.clone()))
                    .await
                    .map_err(|e| CliError::from_service(&e))?;
                listing.requests += 1;
                sink(job)?;
                listing.jobs += 1;
            }
            Ok(listing)
        })
    }
}
