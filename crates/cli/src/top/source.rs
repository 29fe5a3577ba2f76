//! Where `top` gets its jobs: one function, [`snapshot`], that lists every configured service
//! concurrently through the CLI's list pipeline and never fails as a whole (a service that
//! cannot be listed becomes a [`ServiceError`] and the others are kept).

use cloudjobs::macie2::operation::list_classification_jobs::ListClassificationJobs;
use cloudjobs::partner_central::operation::list_resource_snapshot_jobs::ListResourceSnapshotJobs;
use cloudjobs::spaceone_identity::operation::list_jobs::ListJobs;
use cloudjobs::ssm_mw::operation::describe_maintenance_window_execution_tasks::DescribeMaintenanceWindowExecutionTasks;
use cloudjobs::{Config, DateTime, Job, Service};
use futures::future::join_all;

use crate::args::{Macie2List, PartnerCentralList, ProtectionArgs, SpaceoneList, SsmMwList};
use crate::error::CliError;
use crate::fetch::{PageOpts, fetch};
use crate::services::{
    cloud_rewind_get, cloud_rewind_job, macie2_input, partner_central_input, spaceone_input,
    ssm_input,
};

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

/// One listing of one scope: its jobs, or the error naming the scope.
type Part = (Service, Result<Vec<Job>, String>);

/// Lists every service of `scope` with the clients of `config`, all at once. The snapshot's
/// errors name the service and, where a service is listed in parts, the part (catalog,
/// window execution, protection); the jobs of every other part are kept.
pub async fn snapshot(config: &Config, scope: &Scope) -> Snapshot {
    let taken_at = DateTime::now();
    let listed = scope.listed();
    let mut parts: Vec<std::pin::Pin<Box<dyn Future<Output = Part> + Send + '_>>> = Vec::new();
    let opts = scope.pages;
    for service in listed {
        match service {
            Service::PartnerCentral => {
                let client = cloudjobs::partner_central::Client::new(config.clone());
                for catalog in &scope.catalogs {
                    let client = client.clone();
                    parts.push(Box::pin(async move {
                        let list = PartnerCentralList {
                            catalog: catalog.clone(),
                            status: None,
                            engagement_identifier: None,
                            sort_order: None,
                            page_size: None,
                        };
                        let input = partner_central_input(&client, &list);
                        let fetched =
                            fetch::<ListResourceSnapshotJobs>(client.handle().clone(), input, opts)
                                .await;
                        (service, jobs(fetched, &format!("catalog {catalog}")))
                    }));
                }
            }
            Service::Macie2 => {
                let client = cloudjobs::macie2::Client::new(config.clone());
                parts.push(Box::pin(async move {
                    let list = Macie2List {
                        status: Vec::new(),
                        job_type: None,
                        name_prefix: None,
                        sort_by: None,
                        order: None,
                        page_size: None,
                    };
                    let input = macie2_input(&client, &list);
                    let fetched =
                        fetch::<ListClassificationJobs>(client.handle().clone(), input, opts).await;
                    (service, jobs(fetched, ""))
                }));
            }
            Service::SsmMw => {
                let client = cloudjobs::ssm_mw::Client::new(config.clone());
                for id in &scope.window_execution_ids {
                    let client = client.clone();
                    parts.push(Box::pin(async move {
                        let list = SsmMwList {
                            window_execution_id: id.clone(),
                            status: Vec::new(),
                            page_size: None,
                        };
                        let input = ssm_input(&client, &list);
                        let fetched = fetch::<DescribeMaintenanceWindowExecutionTasks>(
                            client.handle().clone(),
                            input,
                            opts,
                        )
                        .await;
                        (service, jobs(fetched, &format!("window execution {id}")))
                    }));
                }
            }
            Service::SpaceoneIdentity => {
                let client = cloudjobs::spaceone_identity::Client::new(config.clone());
                parts.push(Box::pin(async move {
                    let list = SpaceoneList {
                        status: None,
                        workspace_id: None,
                        trusted_account_id: None,
                        plugin_id: None,
                        keyword: None,
                        page_size: None,
                    };
                    let input = spaceone_input(&client, &list);
                    let fetched = fetch::<ListJobs>(client.handle().clone(), input, opts).await;
                    (service, jobs(fetched, ""))
                }));
            }
            Service::CloudRewind => {
                let client = cloudjobs::cloud_rewind::Client::new(config.clone());
                for p in &scope.protections {
                    let client = client.clone();
                    parts.push(Box::pin(async move {
                        let result = cloud_rewind_get(&client, p)
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
                            });
                        (service, result)
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
    for (service, part) in join_all(parts).await {
        match part {
            Ok(jobs) => snapshot.jobs.extend(jobs),
            Err(message) => snapshot.errors.push(ServiceError { service, message }),
        }
    }
    snapshot
}

/// The jobs of one listing, or its error as the CLI prints it, prefixed with `part` when the
/// service is listed in parts.
fn jobs<T: Into<Job>, E: cloudjobs::ProvideErrorMetadata>(
    fetched: Result<crate::fetch::Fetched<T>, cloudjobs::Error<E>>,
    part: &str,
) -> Result<Vec<Job>, String> {
    match fetched {
        Ok(fetched) => Ok(fetched.items.into_iter().map(Into::into).collect()),
        Err(e) => {
            let e = CliError::from_sdk(e);
            Err(if part.is_empty() {
                e.to_string()
            } else {
                format!("{part}: {e}")
            })
        }
    }
}
