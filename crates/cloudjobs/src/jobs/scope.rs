//! What to list on each service: the scopes of a [`JobQuery`](super::JobQuery).
//!
//! The scopes are plain data, present whatever features are on, so a program can build a
//! query from its configuration and learn at run time (a [`ServiceError`](super::ServiceError)
//! of kind `NotEnabled`) that a service is not built in. With a service's feature on, each
//! scope also gives the operation inputs it stands for (`inputs()`), which the cross-service
//! stream pages through.

/// AWS Partner Central Selling: resource snapshot jobs of one or more catalogs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartnerCentralScope {
    /// Catalogs to list (`AWS`, `Sandbox`); none means `AWS`.
    pub catalogs: Vec<String>,
    /// Only jobs in this status (`Running`, `Stopped`).
    pub status: Option<String>,
    /// Only jobs of this engagement.
    pub engagement_identifier: Option<String>,
    /// Order by creation date: `ASCENDING` or `DESCENDING`.
    pub sort_order: Option<String>,
}

/// Amazon Macie: classification jobs, filtered as `ListClassificationJobs` allows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Macie2Scope {
    /// Only jobs in these statuses (`RUNNING`, `PAUSED`, ...); none means all.
    pub statuses: Vec<String>,
    /// Only jobs of this type: `ONE_TIME` or `SCHEDULED`.
    pub job_type: Option<String>,
    /// Only jobs whose name starts with this.
    pub name_prefix: Option<String>,
    /// Sort by `createdAt`, `jobStatus`, `name` or `jobType`.
    pub sort_by: Option<String>,
    /// Sort direction: `ASC` or `DESC`.
    pub order: Option<String>,
}

/// AWS Systems Manager: the tasks of maintenance window executions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SsmMwScope {
    /// The window executions whose tasks are listed (SSM has no "all executions" call here).
    pub window_execution_ids: Vec<String>,
    /// Only tasks in these statuses (a `STATUS` filter); none means all.
    pub statuses: Vec<String>,
}

/// SpaceONE identity: jobs of the token's domain, filtered as `job/list` allows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpaceoneScope {
    /// Only jobs in this status (`PENDING`, `IN_PROGRESS`, ...).
    pub status: Option<String>,
    /// Only jobs of this workspace (`*` for domain jobs).
    pub workspace_id: Option<String>,
    /// Only jobs of this trusted account.
    pub trusted_account_id: Option<String>,
    /// Only jobs of this plugin.
    pub plugin_id: Option<String>,
    /// Free-text search on job id and status.
    pub keyword: Option<String>,
}

/// Cloud Rewind: the status of each protection named (the API reads protections by id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CloudRewindScope {
    /// The protections to read.
    pub protections: Vec<ProtectionRef>,
}

/// Where a Cloud Rewind protection lives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ProtectionRef {
    /// Cloud Rewind account id.
    pub account_id: i64,
    /// Project id.
    pub project_id: String,
    /// AWS cloud assembly id.
    pub cloud_assembly_id: i64,
    /// Protection id.
    pub protection_id: String,
}

impl ProtectionRef {
    /// `account/project/cloud-assembly`: the name a protection's [`Job`](crate::Job) gets.
    pub fn location(&self) -> String {
        format!(
            "{}/{}/{}",
            self.account_id, self.project_id, self.cloud_assembly_id
        )
    }
}

impl std::fmt::Display for ProtectionRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "protection {} in {}",
            self.protection_id,
            self.location()
        )
    }
}

#[cfg(feature = "cloud-rewind")]
impl ProtectionRef {
    /// The `get_aws_protection_status` input that reads this protection.
    pub fn input(
        &self,
    ) -> cloudjobs_cloud_rewind::operation::get_aws_protection_status::GetAwsProtectionStatusInput
    {
        cloudjobs_cloud_rewind::operation::get_aws_protection_status::GetAwsProtectionStatusInput::builder()
            .account_id(self.account_id)
            .project_id(self.project_id.as_str())
            .cloud_assembly_id(self.cloud_assembly_id)
            .protection_id(self.protection_id.as_str())
            .build()
    }

    /// The unified view of this protection's status, named by its [`location`](Self::location).
    pub fn job(
        &self,
        status: &cloudjobs_cloud_rewind::types::ProtectionStatusResponse,
    ) -> crate::Job {
        let mut job = crate::Job::from_cloud_rewind(self.protection_id.clone(), status);
        job.name = Some(self.location());
        job
    }
}

#[cfg(feature = "partner-central")]
impl PartnerCentralScope {
    /// One `ListResourceSnapshotJobs` input per catalog, with what it lists.
    pub fn inputs(
        &self,
    ) -> Vec<(
        String,
        cloudjobs_partner_central::operation::list_resource_snapshot_jobs::ListResourceSnapshotJobsInput,
    )>{
        use cloudjobs_partner_central::operation::list_resource_snapshot_jobs::ListResourceSnapshotJobsInput;
        use cloudjobs_partner_central::types::{SortBy, SortObject};
        let default = ["AWS".to_owned()];
        let catalogs = if self.catalogs.is_empty() {
            &default[..]
        } else {
            &self.catalogs[..]
        };
        catalogs
            .iter()
            .map(|catalog| {
                let input = ListResourceSnapshotJobsInput::builder()
                    .catalog(catalog.as_str())
                    .set_status(self.status.as_deref().map(Into::into))
                    .set_engagement_identifier(self.engagement_identifier.clone())
                    .set_sort(self.sort_order.as_deref().map(|order| {
                        SortObject::builder()
                            .sort_by(SortBy::CreatedDate)
                            .sort_order(order)
                            .build()
                    }))
                    .build();
                (format!("catalog {catalog}"), input)
            })
            .collect()
    }
}

#[cfg(feature = "macie2")]
impl Macie2Scope {
    /// The `ListClassificationJobs` input.
    pub fn input(
        &self,
    ) -> cloudjobs_macie2::operation::list_classification_jobs::ListClassificationJobsInput {
        use cloudjobs_macie2::operation::list_classification_jobs::ListClassificationJobsInput;
        use cloudjobs_macie2::types::{
            JobComparator, ListJobsFilterCriteria, ListJobsFilterKey, ListJobsFilterTerm,
            ListJobsSortAttributeName, ListJobsSortCriteria, OrderBy,
        };
        let term = |comparator: JobComparator, key: ListJobsFilterKey, values: Vec<String>| {
            ListJobsFilterTerm::builder()
                .comparator(comparator)
                .key(key)
                .set_values(Some(values))
                .build()
        };
        let mut includes = Vec::new();
        if !self.statuses.is_empty() {
            includes.push(term(
                JobComparator::Eq,
                ListJobsFilterKey::JobStatus,
                self.statuses.clone(),
            ));
        }
        if let Some(job_type) = &self.job_type {
            includes.push(term(
                JobComparator::Eq,
                ListJobsFilterKey::JobType,
                vec![job_type.clone()],
            ));
        }
        if let Some(prefix) = &self.name_prefix {
            includes.push(term(
                JobComparator::StartsWith,
                ListJobsFilterKey::Name,
                vec![prefix.clone()],
            ));
        }
        let mut b = ListClassificationJobsInput::builder();
        if !includes.is_empty() {
            b = b.filter_criteria(
                ListJobsFilterCriteria::builder()
                    .set_includes(Some(includes))
                    .build(),
            );
        }
        if self.sort_by.is_some() || self.order.is_some() {
            b = b.sort_criteria(
                ListJobsSortCriteria::builder()
                    .attribute_name(self.sort_by.as_deref().map_or(
                        ListJobsSortAttributeName::CreatedAt,
                        ListJobsSortAttributeName::from,
                    ))
                    .set_order_by(self.order.as_deref().map(OrderBy::from))
                    .build(),
            );
        }
        b.build()
    }
}

#[cfg(feature = "ssm-mw")]
impl SsmMwScope {
    /// One `DescribeMaintenanceWindowExecutionTasks` input per window execution, with what it
    /// lists.
    pub fn inputs(
        &self,
    ) -> Vec<(
        String,
        cloudjobs_ssm_mw::operation::describe_maintenance_window_execution_tasks::DescribeMaintenanceWindowExecutionTasksInput,
    )>{
        use cloudjobs_ssm_mw::operation::describe_maintenance_window_execution_tasks::DescribeMaintenanceWindowExecutionTasksInput;
        use cloudjobs_ssm_mw::types::MaintenanceWindowFilter;
        self.window_execution_ids
            .iter()
            .map(|id| {
                let mut b =
                    DescribeMaintenanceWindowExecutionTasksInput::builder().window_execution_id(id);
                if !self.statuses.is_empty() {
                    b = b.filters(
                        MaintenanceWindowFilter::builder()
                            .key("STATUS")
                            .set_values(Some(self.statuses.clone()))
                            .build(),
                    );
                }
                (format!("window execution {id}"), b.build())
            })
            .collect()
    }
}

#[cfg(feature = "spaceone-identity")]
impl SpaceoneScope {
    /// The `job/list` input.
    pub fn input(&self) -> cloudjobs_spaceone_identity::operation::list_jobs::ListJobsInput {
        use cloudjobs_spaceone_identity::operation::list_jobs::ListJobsInput;
        use cloudjobs_spaceone_identity::types::Query;
        ListJobsInput::builder()
            .set_status(self.status.as_deref().map(Into::into))
            .set_workspace_id(self.workspace_id.clone())
            .set_trusted_account_id(self.trusted_account_id.clone())
            .set_plugin_id(self.plugin_id.clone())
            .set_query(
                self.keyword
                    .as_deref()
                    .map(|k| Query::builder().keyword(k).build()),
            )
            .build()
    }
}
