//! Where `top` gets its jobs: [`snapshot`] asks every listed service at once through the
//! facade's cross-service stream ([`cloudjobs::jobs`]) and never fails as a whole: a service
//! (or a part of its scope) that cannot be listed becomes a [`ServiceError`] line and the
//! jobs of the others are kept.

use cloudjobs::jobs::{
    CloudRewindScope, JobClient, JobQuery, Macie2Scope, PartnerCentralScope, ProtectionRef,
    SpaceoneScope, SsmMwScope,
};
use cloudjobs::{DateTime, Service};
use futures::StreamExt;

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
    pub protections: Vec<ProtectionRef>,
    /// At most this many jobs per service (`--max-items`).
    pub max_items: Option<usize>,
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

    /// The cross-service query of the listed services.
    fn query(&self) -> JobQuery {
        let mut query = JobQuery::new();
        query.max_items_per_service = self.max_items;
        for service in self.listed() {
            query = match service {
                Service::PartnerCentral => query.partner_central(PartnerCentralScope {
                    catalogs: self.catalogs.clone(),
                    ..PartnerCentralScope::default()
                }),
                Service::Macie2 => query.macie2(Macie2Scope::default()),
                Service::SsmMw => query.ssm_mw(SsmMwScope {
                    window_execution_ids: self.window_execution_ids.clone(),
                    ..SsmMwScope::default()
                }),
                Service::SpaceoneIdentity => query.spaceone_identity(SpaceoneScope::default()),
                Service::CloudRewind => query.cloud_rewind(CloudRewindScope {
                    protections: self.protections.clone(),
                }),
            };
        }
        query
    }
}

/// Lists every service of `scope` with `jobs`, all at once. The snapshot's errors name the
/// service and, where a service is listed in parts, the part (catalog, window execution,
/// protection); the jobs of every other part are kept.
pub async fn snapshot(jobs: &JobClient, scope: &Scope) -> Snapshot {
    let mut snapshot = Snapshot {
        jobs: Vec::new(),
        errors: Vec::new(),
        taken_at: DateTime::now(),
    };
    let mut stream = jobs.list(&scope.query());
    while let Some(item) = stream.next().await {
        match item {
            Ok(job) => snapshot.jobs.push(job),
            Err(e) => snapshot.errors.push(ServiceError {
                service: e.service(),
                message: match e.context() {
                    Some(part) => format!("{part}: {}", e.message()),
                    None => e.message().to_owned(),
                },
            }),
        }
    }
    snapshot
}
