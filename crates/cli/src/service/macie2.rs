//! Amazon Macie: classification jobs.

use cloudjobs::Service;
use cloudjobs::jobs::{JobRef, Macie2Scope, Scope};
use cloudjobs::macie2::operation::list_classification_jobs::ListClassificationJobs;
use cloudjobs_emulator::Seeded;
use cloudjobs_runtime::Config;
use futures::future::BoxFuture;

use super::{Listing, ServiceCli, Sink, Stopped, aws_missing, fetch_inputs, wrong_scope};
use crate::args::{JobLocation, JobsArgs, Macie2List};
use crate::error::CliError;
use crate::fetch::PageOpts;

/// Macie2.
#[derive(Debug)]
pub struct Macie2;

impl Macie2 {
    /// The scope of `cloudjobs macie2 list`.
    pub fn list_scope(args: &Macie2List) -> Scope {
        Scope::Macie2(Macie2Scope {
            statuses: args.status.clone(),
            job_type: args.job_type.clone(),
            name_prefix: args.name_prefix.clone(),
            sort_by: args.sort_by.clone(),
            order: args.order.clone(),
        })
    }
}

impl ServiceCli for Macie2 {
    fn service(&self) -> Service {
        Service::Macie2
    }

    fn operation(&self) -> &'static str {
        "ListClassificationJobs"
    }

    fn jobs_scope(&self, _args: &JobsArgs, config: &Config) -> Result<Scope, String> {
        aws_missing(config)?;
        Ok(Scope::Macie2(Macie2Scope::default()))
    }

    fn demo_scope(&self, _seeded: &Seeded) -> Scope {
        Scope::Macie2(Macie2Scope::default())
    }

    fn job_ref(&self, id: &str, _at: &JobLocation) -> Result<JobRef, CliError> {
        Ok(JobRef::Macie2 { id: id.to_owned() })
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
            let Scope::Macie2(scope) = scope else {
                return Err(wrong_scope(self.service(), scope).into());
            };
            let client = cloudjobs::macie2::Client::new(config.clone());
            let inputs = vec![("classification jobs".to_owned(), scope.input())];
            fetch_inputs::<ListClassificationJobs>(
                client.handle().clone(),
                inputs,
                opts,
                starting_token,
                sink,
            )
            .await
        })
    }
}
