//! AWS Systems Manager: the tasks of maintenance window executions.

use cloudjobs::Service;
use cloudjobs::jobs::{JobRef, Scope, SsmMwScope};
use cloudjobs::ssm_mw::operation::describe_maintenance_window_execution_tasks::DescribeMaintenanceWindowExecutionTasks;
use cloudjobs_emulator::Seeded;
use cloudjobs_runtime::Config;
use futures::future::BoxFuture;

use super::{Listing, ServiceCli, Sink, Stopped, aws_missing, fetch_inputs, wrong_scope};
use crate::args::{JobLocation, JobsArgs, SsmMwList};
use crate::error::CliError;
use crate::fetch::PageOpts;

/// Smallest `MaxResults` SSM accepts.
const SSM_MIN_PAGE: u32 = 10;

/// SSM maintenance window tasks.
#[derive(Debug)]
pub struct SsmMw;

impl SsmMw {
    /// The scope of `cloudjobs ssm-mw list`.
    pub fn list_scope(args: &SsmMwList) -> Scope {
        Scope::SsmMw(SsmMwScope {
            window_execution_ids: vec![args.window_execution_id.clone()],
            statuses: args.status.clone(),
        })
    }
}

impl ServiceCli for SsmMw {
    fn service(&self) -> Service {
        Service::SsmMw
    }

    fn operation(&self) -> &'static str {
        "DescribeMaintenanceWindowExecutionTasks"
    }

    fn jobs_scope(&self, args: &JobsArgs, config: &Config) -> Result<Scope, String> {
        aws_missing(config)?;
        if args.window_execution_ids.is_empty() {
            return Err("no --window-execution-id".to_owned());
        }
        Ok(Scope::SsmMw(SsmMwScope {
            window_execution_ids: args.window_execution_ids.clone(),
            statuses: Vec::new(),
        }))
    }

    fn demo_scope(&self, seeded: &Seeded) -> Scope {
        Scope::SsmMw(SsmMwScope {
            window_execution_ids: seeded.ssm.window_execution_ids.clone(),
            statuses: Vec::new(),
        })
    }

    fn job_ref(&self, id: &str, at: &JobLocation) -> Result<JobRef, CliError> {
        let window = at.window_execution_id.clone().ok_or_else(|| {
            CliError::Usage("ssm-mw: watching a task needs --window-execution-id".to_owned())
        })?;
        Ok(JobRef::SsmMw {
            window_execution_id: window,
            task_execution_id: id.to_owned(),
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
            let Scope::SsmMw(scope) = scope else {
                return Err(wrong_scope(self.service(), scope).into());
            };
            let client = cloudjobs::ssm_mw::Client::new(config.clone());
            let opts = PageOpts {
                page_size: opts.page_size.map(|s| s.max(SSM_MIN_PAGE)),
                ..opts
            };
            fetch_inputs::<DescribeMaintenanceWindowExecutionTasks>(
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
