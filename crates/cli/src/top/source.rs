//! Where `top` gets its jobs: one function, [`snapshot`], that lists every configured service
//! concurrently through the CLI's list pipeline and never fails as a whole (a service that
//! cannot be listed becomes a [`ServiceError`] and the others are kept).

use std::pin::Pin;

use cloudjobs::macie2::operation::list_classification_jobs::ListClassificationJobs;
use cloudjobs::partner_central::operation::list_resource_snapshot_jobs::ListResourceSnapshotJobs;
use cloudjobs::spaceone_identity::operation::list_jobs::ListJobs;
use cloudjobs::ssm_mw::operation::describe_maintenance_window_execution_tasks::DescribeMaintenanceWindowExecutionTasks;
use cloudjobs::{Config, DateTime, Job, Service};
use cloudjobs_runtime::{Handle, Paginated, ProvideErrorMetadata};
use futures::future::join_all;

use crate::args::ProtectionArgs;
use crate::error::CliError;
use crate::fetch::{PageOpts, fetch};
use crate::services::{cloud_rewind_get, cloud_rewind_job};

use super::app::{ServiceError, Snapshot};

/// What to list: the services, and the ids that the services which list by scope need.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The services to list, in [`Service::ALL`] order.
    pub services: Vec<Service>,
    /// Partner Central catalogs (`AWS`, `Sandbox`).
    pub catalogs: Vec<String>,
    /// SSM maintenance window executions whose tasks are listed.
    pub window_execution_ids: Vec<String>,
    /// Cloud Rewind protections whose status is read.
    pub protections: Vec<ProtectionArgs>,
    /// Pages and items per listing.
    pub pages: PageOpts,
}

impl Scope {
    /// The services that are listed: the chosen ones, less SSM without a window execution and
    /// Cloud Rewind without a protection (those two read by id).
    pub fn listed(&self) -> Vec<Service> {
        self.services
            .iter()
            .copied()
            .filter(|s| self.why_skipped(*s).is_none())
            .collect()
    }

    /// Why a chosen service is not listed, for the status area.
    pub fn skipped(&self) -> Vec<String> {
        self.services
            .iter()
            .filter_map(|s| self.why_skipped(*s).map(|why| format!("{s}: {why}")))
            .collect()
    }

    fn why_skipped(&self, service: Service) -> Option<&'static str> {
        match service {
            Service::SsmMw if self.window_execution_ids.is_empty() => {
                Some("not listed: give --window-execution-id")
            }
            Service::CloudRewind if self.protections.is_empty() => {
                Some("not listed: give --protection")
            }
            Service::PartnerCentral if self.catalogs.is_empty() => {
                Some("not listed: give --catalog")
            }
            _ => None,
        }
    }
}

/// One listing of one scope (a catalog, a window execution, a protection, or a whole
/// service): its jobs, or the error naming the scope.
type Part<'a> = Pin<Box<dyn Future<Output = (Service, Result<Vec<Job>, String>)> + Send + 'a>>;

fn part<'a>(
    service: Service,
    listing: impl Future<Output = Result<Vec<Job>, String>> + Send + 'a,
) -> Part<'a> {
    Box::pin(async move { (service, listing.await) })
}

/// Lists with paginated operation `O` as `opts` say; an error reads as the CLI prints it,
/// after `scope` when the service is listed in parts.
async fn list<O>(
    handle: Handle,
    input: O::Input,
    opts: PageOpts,
    scope: Option<String>,
) -> Result<Vec<Job>, String>
where
    O: Paginated,
    O::Item: Into<Job>,
    O::Error: ProvideErrorMetadata,
{
    match fetch::<O>(handle, input, opts).await {
        Ok(fetched) => Ok(fetched.items.into_iter().map(Into::into).collect()),
        Err(e) => {
            let e = CliError::from_sdk(e);
            Err(scope.map_or_else(|| e.to_string(), |scope| format!("{scope}: {e}")))
        }
    }
}

/// Lists every service of `scope` with the clients of `config`, all at once. The snapshot's
/// errors name the service and, where a service is listed in parts, the part (catalog,
/// window execution, protection); the jobs of every other part are kept.
pub async fn snapshot(config: &Config, scope: &Scope) -> Snapshot {
    let taken_at = DateTime::now();
    let opts = scope.pages;
    let mut parts: Vec<Part<'_>> = Vec::new();
    for service in scope.listed() {
        match service {
            Service::PartnerCentral => {
                let client = cloudjobs::partner_central::Client::new(config.clone());
                for catalog in &scope.catalogs {
                    let input = client
                        .list_resource_snapshot_jobs()
                        .catalog(catalog.as_str())
                        .as_input()
                        .clone();
                    parts.push(part(
                        service,
                        list::<ListResourceSnapshotJobs>(
                            client.handle().clone(),
                            input,
                            opts,
                            Some(format!("catalog {catalog}")),
                        ),
                    ));
                }
            }
            Service::Macie2 => {
                let client = cloudjobs::macie2::Client::new(config.clone());
                let input = client.list_classification_jobs().as_input().clone();
                parts.push(part(
                    service,
                    list::<ListClassificationJobs>(client.handle().clone(), input, opts, None),
                ));
            }
            Service::SsmMw => {
                let client = cloudjobs::ssm_mw::Client::new(config.clone());
                for id in &scope.window_execution_ids {
                    let input = client
                        .describe_maintenance_window_execution_tasks()
                        .window_execution_id(id.as_str())
                        .as_input()
                        .clone();
                    parts.push(part(
                        service,
                        list::<DescribeMaintenanceWindowExecutionTasks>(
                            client.handle().clone(),
                            input,
                            opts,
                            Some(format!("window execution {id}")),
                        ),
                    ));
                }
            }
            Service::SpaceoneIdentity => {
                let client = cloudjobs::spaceone_identity::Client::new(config.clone());
                let input = client.list_jobs().as_input().clone();
                parts.push(part(
                    service,
                    list::<ListJobs>(client.handle().clone(), input, opts, None),
                ));
            }
            Service::CloudRewind => {
                let client = cloudjobs::cloud_rewind::Client::new(config.clone());
                for p in &scope.protections {
                    let client = client.clone();
                    parts.push(part(service, async move {
                        cloud_rewind_get(&client, p)
                            .await
                            .map(|status| vec![cloud_rewind_job(p, &status)])
                            .map_err(|e| {
                                format!(
                                    "protection {}/{}/{}/{}: {e}",
                                    p.account_id,
                                    p.project_id,
                                    p.cloud_assembly_id,
                                    p.protection_id
                                )
                            })
                    }));
                }
            }
        }
    }

    let mut snapshot = Snapshot {
        jobs: Vec::new(),
        errors: Vec::new(),
        taken_at,
    };
    for (service, listed) in join_all(parts).await {
        match listed {
            Ok(jobs) => snapshot.jobs.extend(jobs),
            Err(message) => snapshot.errors.push(ServiceError { service, message }),
        }
    }
    snapshot
}
