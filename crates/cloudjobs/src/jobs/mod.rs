//! Jobs across services: one stream of [`Job`]s from every enabled service, and watching or
//! waiting for one job on any of them.
//!
//! A [`JobClient`] holds a [`Config`] (one for all services, or one per service). A
//! [`JobQuery`] says which services to ask and within which scope; [`JobClient::list`] asks
//! them all at once and merges their answers as they arrive. A service that fails yields one
//! [`ServiceError`] naming it, and the other services go on.
//!
//! ```no_run
//! # #[cfg(feature = "full")]
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use cloudjobs::jobs::{JobClient, JobQuery, JobRef, Macie2Scope, SpaceoneScope};
//! use cloudjobs::{Config, JobState, WaiterConfig};
//! use futures::StreamExt;
//!
//! let jobs = JobClient::new(Config::from_env().await?);
//! let query = JobQuery::new()
//!     .macie2(Macie2Scope::default())
//!     .spaceone_identity(SpaceoneScope::default())
//!     .states([JobState::Failed]);
//! let mut failed = jobs.list(&query);
//! while let Some(item) = failed.next().await {
//!     match item {
//!         Ok(job) => println!("{} {} failed", job.service, job.id),
//!         Err(e) => eprintln!("{e}"), // e.g. "spaceone-identity: ERROR_AUTHENTICATE_FAILURE: ..."
//!     }
//! }
//!
//! let outcome = jobs
//!     .wait(JobRef::SpaceoneIdentity { job_id: "job-3b124006c2d2".into() }, WaiterConfig::default())
//!     .await?;
//! if !outcome.is_success() {
//!     eprintln!("{} ended {}", outcome.job().id, outcome.job().state);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The AWS operations here have no "get one job" call, so [`JobClient::get`] and
//! [`JobClient::watch`] list the job's scope (a Partner Central catalog, a maintenance window
//! execution, every Macie job) and pick the job by id.

mod error;
mod scope;

use std::fmt;
use std::sync::Arc;

use futures_util::stream::{self, BoxStream, StreamExt};

use cloudjobs_runtime::Config;

pub use error::{ErrorKind, ServiceError};
pub use scope::{
    CloudRewindScope, Macie2Scope, PartnerCentralScope, ProtectionRef, SpaceoneScope, SsmMwScope,
};

use crate::job::{Job, JobState, Service};
use crate::waiter::{Outcome, WaitError, WaiterConfig, wait_for_outcome, watch_with};

/// The scope of one service, for code that handles services through one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Partner Central catalogs.
    PartnerCentral(PartnerCentralScope),
    /// Macie classification jobs.
    Macie2(Macie2Scope),
    /// SSM window execution tasks.
    SsmMw(SsmMwScope),
    /// SpaceONE jobs.
    SpaceoneIdentity(SpaceoneScope),
    /// Cloud Rewind protections.
    CloudRewind(CloudRewindScope),
}

impl Scope {
    /// The service the scope is of.
    pub fn service(&self) -> Service {
        match self {
            Scope::PartnerCentral(_) => Service::PartnerCentral,
            Scope::Macie2(_) => Service::Macie2,
            Scope::SsmMw(_) => Service::SsmMw,
            Scope::SpaceoneIdentity(_) => Service::SpaceoneIdentity,
            Scope::CloudRewind(_) => Service::CloudRewind,
        }
    }
}

impl fmt::Display for Scope {
    /// What the scope lists, e.g. `catalogs AWS, Sandbox` or `3 window executions`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn count(f: &mut fmt::Formatter<'_>, n: usize, what: &str) -> fmt::Result {
            write!(f, "{n} {what}{}", if n == 1 { "" } else { "s" })
        }
        match self {
            Scope::PartnerCentral(s) if s.catalogs.is_empty() => f.write_str("catalog AWS"),
            Scope::PartnerCentral(s) => write!(f, "catalogs {}", s.catalogs.join(", ")),
            Scope::Macie2(_) => f.write_str("classification jobs"),
            Scope::SsmMw(s) => count(f, s.window_execution_ids.len(), "window execution"),
            Scope::SpaceoneIdentity(_) => f.write_str("jobs of the domain"),
            Scope::CloudRewind(s) => count(f, s.protections.len(), "protection"),
        }
    }
}

/// Which services to list, in which scope, and which states to keep.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobQuery {
    /// Partner Central catalogs, when set.
    pub partner_central: Option<PartnerCentralScope>,
    /// Macie classification jobs, when set.
    pub macie2: Option<Macie2Scope>,
    /// SSM window execution tasks, when set.
    pub ssm_mw: Option<SsmMwScope>,
    /// SpaceONE jobs, when set.
    pub spaceone_identity: Option<SpaceoneScope>,
    /// Cloud Rewind protections, when set.
    pub cloud_rewind: Option<CloudRewindScope>,
    /// Keep only jobs in these states; empty keeps all.
    pub states: Vec<JobState>,
    /// Items per request, where the service takes a page size (SSM's minimum of 10 is applied).
    pub page_size: Option<u32>,
    /// At most this many items (jobs kept by the state filter, or errors) per service; no
    /// further page is requested once a service has given them.
    pub max_items_per_service: Option<usize>,
}

impl JobQuery {
    /// A query of no service.
    pub fn new() -> JobQuery {
        JobQuery::default()
    }

    /// Lists Partner Central within `scope`.
    pub fn partner_central(mut self, scope: PartnerCentralScope) -> Self {
        self.partner_central = Some(scope);
        self
    }

    /// Lists Macie within `scope`.
    pub fn macie2(mut self, scope: Macie2Scope) -> Self {
        self.macie2 = Some(scope);
        self
    }

    /// Lists SSM within `scope`.
    pub fn ssm_mw(mut self, scope: SsmMwScope) -> Self {
        self.ssm_mw = Some(scope);
        self
    }

    /// Lists SpaceONE within `scope`.
    pub fn spaceone_identity(mut self, scope: SpaceoneScope) -> Self {
        self.spaceone_identity = Some(scope);
        self
    }

    /// Reads the Cloud Rewind protections of `scope`.
    pub fn cloud_rewind(mut self, scope: CloudRewindScope) -> Self {
        self.cloud_rewind = Some(scope);
        self
    }

    /// Lists one service within `scope` (replacing that service's scope, if any).
    pub fn scope(self, scope: Scope) -> Self {
        match scope {
            Scope::PartnerCentral(s) => self.partner_central(s),
            Scope::Macie2(s) => self.macie2(s),
            Scope::SsmMw(s) => self.ssm_mw(s),
            Scope::SpaceoneIdentity(s) => self.spaceone_identity(s),
            Scope::CloudRewind(s) => self.cloud_rewind(s),
        }
    }

    /// Keeps only jobs in these states.
    pub fn states(mut self, states: impl IntoIterator<Item = JobState>) -> Self {
        self.states = states.into_iter().collect();
        self
    }

    /// Sets the page size of every list request.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// Stops each service after `n` items.
    pub fn max_items_per_service(mut self, n: usize) -> Self {
        self.max_items_per_service = Some(n);
        self
    }

    /// The services this query asks, in [`Service::ALL`] order.
    pub fn services(&self) -> Vec<Service> {
        let asked = [
            self.partner_central.is_some(),
            self.macie2.is_some(),
            self.ssm_mw.is_some(),
            self.spaceone_identity.is_some(),
            self.cloud_rewind.is_some(),
        ];
        Service::ALL
            .into_iter()
            .zip(asked)
            .filter_map(|(s, on)| on.then_some(s))
            .collect()
    }
}

/// One job on one service, with what is needed to find it again.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(tag = "service", rename_all = "kebab-case")]
pub enum JobRef {
    /// A Partner Central resource snapshot job in a catalog.
    PartnerCentral {
        /// The catalog (`AWS` or `Sandbox`).
        catalog: String,
        /// The job id.
        id: String,
    },
    /// A Macie classification job.
    Macie2 {
        /// The job id.
        id: String,
    },
    /// An SSM maintenance window task execution.
    SsmMw {
        /// The window execution it belongs to.
        window_execution_id: String,
        /// The task execution id.
        task_execution_id: String,
    },
    /// A SpaceONE job.
    SpaceoneIdentity {
        /// The job id (`job-...`).
        job_id: String,
    },
    /// A Cloud Rewind protection.
    CloudRewind(ProtectionRef),
}

impl JobRef {
    /// The service the job is on.
    pub fn service(&self) -> Service {
        match self {
            JobRef::PartnerCentral { .. } => Service::PartnerCentral,
            JobRef::Macie2 { .. } => Service::Macie2,
            JobRef::SsmMw { .. } => Service::SsmMw,
            JobRef::SpaceoneIdentity { .. } => Service::SpaceoneIdentity,
            JobRef::CloudRewind(_) => Service::CloudRewind,
        }
    }

    /// The job's id on its service (the [`Job::id`] it has).
    pub fn id(&self) -> &str {
        match self {
            JobRef::PartnerCentral { id, .. } | JobRef::Macie2 { id } => id,
            JobRef::SsmMw {
                task_execution_id, ..
            } => task_execution_id,
            JobRef::SpaceoneIdentity { job_id } => job_id,
            JobRef::CloudRewind(p) => &p.protection_id,
        }
    }
}

impl fmt::Display for JobRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobRef::PartnerCentral { catalog, id } => write!(f, "job {id} in catalog {catalog}"),
            JobRef::Macie2 { id } => write!(f, "job {id}"),
            JobRef::SsmMw {
                window_execution_id,
                task_execution_id,
            } => write!(
                f,
                "task {task_execution_id} of window execution {window_execution_id}"
            ),
            JobRef::SpaceoneIdentity { job_id } => write!(f, "job {job_id}"),
            JobRef::CloudRewind(p) => p.fmt(f),
        }
    }
}

/// Lists, gets, watches and waits for jobs on any of the enabled services.
///
/// Cheap to clone: clones share the service clients, each built on first use (so their HTTP
/// connections and retry budgets are shared too).
#[derive(Debug, Clone)]
pub struct JobClient {
    config: Config,
    overrides: Vec<(Service, Config)>,
    clients: Arc<ClientCache>,
}

/// The service clients of a [`JobClient`], built on first use.
#[derive(Debug, Default)]
struct ClientCache {
    #[cfg(feature = "partner-central")]
    partner_central: std::sync::OnceLock<cloudjobs_partner_central::Client>,
    #[cfg(feature = "macie2")]
    macie2: std::sync::OnceLock<cloudjobs_macie2::Client>,
    #[cfg(feature = "ssm-mw")]
    ssm_mw: std::sync::OnceLock<cloudjobs_ssm_mw::Client>,
    #[cfg(feature = "spaceone-identity")]
    spaceone_identity: std::sync::OnceLock<cloudjobs_spaceone_identity::Client>,
    #[cfg(feature = "cloud-rewind")]
    cloud_rewind: std::sync::OnceLock<cloudjobs_cloud_rewind::Client>,
}

/// `JobClient::<service>_client()`: the cached client of one service.
macro_rules! cached_client {
    ($feature:literal, $method:ident, $field:ident, $service:expr, $krate:ident) => {
        #[cfg(feature = $feature)]
        fn $method(&self) -> $krate::Client {
            self.clients
                .$field
                .get_or_init(|| $krate::Client::new(self.config_for($service).clone()))
                .clone()
        }
    };
}

impl JobClient {
    /// A client that uses `config` for every service.
    pub fn new(config: Config) -> JobClient {
        JobClient {
            config,
            overrides: Vec::new(),
            clients: Arc::default(),
        }
    }

    /// Uses `config` for `service` instead of the shared one (its own endpoint, credentials
    /// or token).
    pub fn with_service_config(mut self, service: Service, config: Config) -> JobClient {
        self.overrides.retain(|(s, _)| *s != service);
        self.overrides.push((service, config));
        self.clients = Arc::default();
        self
    }

    cached_client!(
        "partner-central",
        partner_central_client,
        partner_central,
        Service::PartnerCentral,
        cloudjobs_partner_central
    );
    cached_client!(
        "macie2",
        macie2_client,
        macie2,
        Service::Macie2,
        cloudjobs_macie2
    );
    cached_client!(
        "ssm-mw",
        ssm_mw_client,
        ssm_mw,
        Service::SsmMw,
        cloudjobs_ssm_mw
    );
    cached_client!(
        "spaceone-identity",
        spaceone_client,
        spaceone_identity,
        Service::SpaceoneIdentity,
        cloudjobs_spaceone_identity
    );
    cached_client!(
        "cloud-rewind",
        cloud_rewind_client,
        cloud_rewind,
        Service::CloudRewind,
        cloudjobs_cloud_rewind
    );

    /// The configuration used for `service`.
    pub fn config_for(&self, service: Service) -> &Config {
        self.overrides
            .iter()
            .find(|(s, _)| *s == service)
            .map_or(&self.config, |(_, c)| c)
    }

    /// Every job of `query`, from all its services at once, in the order they arrive (each
    /// service's own order is kept). A service that fails yields a [`ServiceError`] naming it
    /// and what was asked; the others go on. Jobs are filtered by [`JobQuery::states`], and
    /// each service stops at [`JobQuery::max_items_per_service`].
    pub fn list(&self, query: &JobQuery) -> BoxStream<'static, Result<Job, ServiceError>> {
        let mut streams: Vec<BoxStream<'static, Result<Job, ServiceError>>> = Vec::new();
        let size = query.page_size;
        if let Some(scope) = &query.partner_central {
            streams.push(backend::partner_central(self, scope, size));
        }
        if let Some(scope) = &query.macie2 {
            streams.push(backend::macie2(self, scope, size));
        }
        if let Some(scope) = &query.ssm_mw {
            streams.push(backend::ssm_mw(self, scope, size));
        }
        if let Some(scope) = &query.spaceone_identity {
            streams.push(backend::spaceone(self, scope, size));
        }
        if let Some(scope) = &query.cloud_rewind {
            streams.push(backend::cloud_rewind(self, scope));
        }
        let limit = query.max_items_per_service.unwrap_or(usize::MAX);
        let streams = streams.into_iter().map(|jobs| {
            let states = query.states.clone();
            jobs.filter(move |item| {
                let keep = match item {
                    Ok(job) => states.is_empty() || states.contains(&job.state),
                    Err(_) => true,
                };
                std::future::ready(keep)
            })
            .take(limit)
        });
        stream::select_all(streams).boxed()
    }

    /// The job `job` refers to, as it is now.
    pub async fn get(&self, job: &JobRef) -> Result<Job, ServiceError> {
        let found = match job {
            JobRef::PartnerCentral { catalog, id } => {
                let scope = PartnerCentralScope {
                    catalogs: vec![catalog.clone()],
                    ..Default::default()
                };
                find(backend::partner_central(self, &scope, None), id).await
            }
            JobRef::Macie2 { id } => {
                find(backend::macie2(self, &Macie2Scope::default(), None), id).await
            }
            JobRef::SsmMw {
                window_execution_id,
                task_execution_id,
            } => {
                let scope = SsmMwScope {
                    window_execution_ids: vec![window_execution_id.clone()],
                    statuses: Vec::new(),
                };
                find(backend::ssm_mw(self, &scope, None), task_execution_id).await
            }
            JobRef::SpaceoneIdentity { job_id } => {
                return backend::spaceone_get(self, job_id).await;
            }
            JobRef::CloudRewind(p) => return backend::cloud_rewind_get(self, p).await,
        };
        found?.ok_or_else(|| {
            ServiceError::new(job.service(), ErrorKind::NotFound, format!("no {job}"))
        })
    }

    /// The states of one job as they change: the job as first seen, then each time its state
    /// or raw status changes, until it is settled (the last item). Polls with jittered backoff
    /// as `config` says; a failed poll ends the stream with [`WaitError::Poll`], the deadline
    /// with [`WaitError::TimedOut`] and the last state.
    pub fn watch(
        &self,
        job: JobRef,
        config: WaiterConfig,
    ) -> BoxStream<'static, Result<Job, WaitError<ServiceError>>> {
        let client = self.clone();
        watch_with(config, move || {
            let (client, job) = (client.clone(), job.clone());
            async move { client.get(&job).await }
        })
        .boxed()
    }

    /// Waits until the job is settled and tells how it ended: a failed job is
    /// `Ok(Outcome::Failed(job))`, not a success.
    pub async fn wait(
        &self,
        job: JobRef,
        config: WaiterConfig,
    ) -> Result<Outcome, WaitError<ServiceError>> {
        wait_for_outcome(config, || self.get(&job)).await
    }
}

/// The first job of `jobs` with id `id`; the first error ends the search.
async fn find(
    mut jobs: BoxStream<'static, Result<Job, ServiceError>>,
    id: &str,
) -> Result<Option<Job>, ServiceError> {
    while let Some(item) = jobs.next().await {
        let job = item?;
        if job.id == id {
            return Ok(Some(job));
        }
    }
    Ok(None)
}

/// One stream per service; a disabled service yields one `NotEnabled` error.
mod backend {
    // With a feature off, its function only reports that; the arguments go unused.
    #![allow(unused_variables, unused_imports, dead_code)]

    use super::*;

    type Jobs = BoxStream<'static, Result<Job, ServiceError>>;

    fn not_enabled(service: Service) -> Jobs {
        stream::once(std::future::ready(Err(ServiceError::not_enabled(service)))).boxed()
    }

    /// Pages through each `(context, input)` in turn with operation `O`, as jobs.
    #[cfg(any(
        feature = "partner-central",
        feature = "macie2",
        feature = "ssm-mw",
        feature = "spaceone-identity"
    ))]
    fn paged<O>(
        service: Service,
        handle: cloudjobs_runtime::Handle,
        inputs: Vec<(String, O::Input)>,
        page_size: Option<u32>,
    ) -> Jobs
    where
        O: cloudjobs_runtime::Paginated,
        O::Input: Send + 'static,
        O::Item: Into<Job>,
        O::Error:
            cloudjobs_runtime::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        stream::iter(inputs)
            .flat_map(move |(context, input)| {
                let mut paginator = cloudjobs_runtime::Paginator::<O>::new(handle.clone(), input);
                if let Some(size) = page_size {
                    paginator = paginator.page_size(size);
                }
                paginator.items().map(move |item| {
                    item.map(Into::into).map_err(|e| {
                        ServiceError::from_sdk(service, e).with_context(context.clone())
                    })
                })
            })
            .boxed()
    }

    pub(super) fn partner_central(
        client: &JobClient,
        scope: &PartnerCentralScope,
        page_size: Option<u32>,
    ) -> Jobs {
        #[cfg(feature = "partner-central")]
        {
            use cloudjobs_partner_central::operation::list_resource_snapshot_jobs::ListResourceSnapshotJobs;
            let client = client.partner_central_client();
            paged::<ListResourceSnapshotJobs>(
                Service::PartnerCentral,
                client.handle().clone(),
                scope.inputs(),
                page_size,
            )
        }
        #[cfg(not(feature = "partner-central"))]
        not_enabled(Service::PartnerCentral)
    }

    pub(super) fn macie2(client: &JobClient, scope: &Macie2Scope, page_size: Option<u32>) -> Jobs {
        #[cfg(feature = "macie2")]
        {
            use cloudjobs_macie2::operation::list_classification_jobs::ListClassificationJobs;
            let client = client.macie2_client();
            paged::<ListClassificationJobs>(
                Service::Macie2,
                client.handle().clone(),
                vec![("classification jobs".to_owned(), scope.input())],
                page_size,
            )
        }
        #[cfg(not(feature = "macie2"))]
        not_enabled(Service::Macie2)
    }

    /// Smallest `MaxResults` SSM accepts.
    #[cfg(feature = "ssm-mw")]
    const SSM_MIN_PAGE: u32 = 10;

    pub(super) fn ssm_mw(client: &JobClient, scope: &SsmMwScope, page_size: Option<u32>) -> Jobs {
        #[cfg(feature = "ssm-mw")]
        {
            use cloudjobs_ssm_mw::operation::describe_maintenance_window_execution_tasks::DescribeMaintenanceWindowExecutionTasks;
            let client = client.ssm_mw_client();
            paged::<DescribeMaintenanceWindowExecutionTasks>(
                Service::SsmMw,
                client.handle().clone(),
                scope.inputs(),
                page_size.map(|s| s.max(SSM_MIN_PAGE)),
            )
        }
        #[cfg(not(feature = "ssm-mw"))]
        not_enabled(Service::SsmMw)
    }

    pub(super) fn spaceone(
        client: &JobClient,
        scope: &SpaceoneScope,
        page_size: Option<u32>,
    ) -> Jobs {
        #[cfg(feature = "spaceone-identity")]
        {
            use cloudjobs_spaceone_identity::operation::list_jobs::ListJobs;
            let client = client.spaceone_client();
            paged::<ListJobs>(
                Service::SpaceoneIdentity,
                client.handle().clone(),
                vec![("job list".to_owned(), scope.input())],
                page_size,
            )
        }
        #[cfg(not(feature = "spaceone-identity"))]
        not_enabled(Service::SpaceoneIdentity)
    }

    pub(super) async fn spaceone_get(
        client: &JobClient,
        job_id: &str,
    ) -> Result<Job, ServiceError> {
        #[cfg(feature = "spaceone-identity")]
        {
            client
                .spaceone_client()
                .get_job()
                .job_id(job_id)
                .send()
                .await
                .map(Job::from)
                .map_err(|e| {
                    ServiceError::from_sdk(Service::SpaceoneIdentity, e)
                        .with_context(format!("job {job_id}"))
                })
        }
        #[cfg(not(feature = "spaceone-identity"))]
        Err(ServiceError::not_enabled(Service::SpaceoneIdentity))
    }

    pub(super) fn cloud_rewind(client: &JobClient, scope: &CloudRewindScope) -> Jobs {
        let client = client.clone();
        stream::iter(scope.protections.clone())
            .then(move |p| {
                let client = client.clone();
                async move { cloud_rewind_get(&client, &p).await }
            })
            .boxed()
    }

    pub(super) async fn cloud_rewind_get(
        client: &JobClient,
        p: &ProtectionRef,
    ) -> Result<Job, ServiceError> {
        #[cfg(feature = "cloud-rewind")]
        {
            let status = client
                .cloud_rewind_client()
                .get_aws_protection_status()
                .set_input(p.input())
                .send()
                .await
                .map_err(|e| {
                    ServiceError::from_sdk(Service::CloudRewind, e).with_context(p.to_string())
                })?;
            Ok(p.job(&status))
        }
        #[cfg(not(feature = "cloud-rewind"))]
        Err(ServiceError::not_enabled(Service::CloudRewind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_names_its_services_and_scopes() {
        let query = JobQuery::new()
            .scope(Scope::CloudRewind(CloudRewindScope::default()))
            .macie2(Macie2Scope::default());
        assert_eq!(query.services(), [Service::Macie2, Service::CloudRewind]);
        let scope = Scope::SsmMw(SsmMwScope {
            window_execution_ids: vec!["a".into(), "b".into()],
            statuses: Vec::new(),
        });
        assert_eq!(scope.service(), Service::SsmMw);
        assert_eq!(scope.to_string(), "2 window executions");
        let job = JobRef::SsmMw {
            window_execution_id: "w".into(),
            task_execution_id: "t".into(),
        };
        assert_eq!((job.service(), job.id()), (Service::SsmMw, "t"));
        assert_eq!(job.to_string(), "task t of window execution w");
    }

    /// Without its feature, a service answers with one error that says how to get it.
    #[cfg(not(feature = "macie2"))]
    #[tokio::test]
    async fn a_service_without_its_feature_says_so() {
        let client = JobClient::new(Config::builder().build());
        let items: Vec<_> = client
            .list(&JobQuery::new().macie2(Macie2Scope::default()))
            .collect()
            .await;
        assert_eq!(items.len(), 1);
        let err = items.into_iter().next().unwrap().unwrap_err();
        assert_eq!(err.service(), Service::Macie2);
        assert_eq!(err.kind(), &ErrorKind::NotEnabled);
        assert!(err.to_string().contains("feature `macie2`"), "{err}");
        let err = client
            .get(&JobRef::Macie2 { id: "j".into() })
            .await
            .unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::NotEnabled);
    }
}
