//! One view of a job, whatever service it comes from.

use cloudjobs_runtime::DateTime;

/// The service a [`Job`] comes from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Service {
    /// AWS Partner Central Selling resource snapshot jobs.
    PartnerCentral,
    /// Amazon Macie classification jobs.
    Macie2,
    /// AWS Systems Manager maintenance window task executions.
    SsmMw,
    /// SpaceONE identity jobs.
    SpaceoneIdentity,
    /// Cloud Rewind AWS protections.
    CloudRewind,
}

impl Service {
    /// Every service, in a stable order.
    pub const ALL: [Service; 5] = [
        Service::PartnerCentral,
        Service::Macie2,
        Service::SsmMw,
        Service::SpaceoneIdentity,
        Service::CloudRewind,
    ];

    /// The cargo feature and CLI name of the service, e.g. `ssm-mw`.
    pub fn as_str(self) -> &'static str {
        match self {
            Service::PartnerCentral => "partner-central",
            Service::Macie2 => "macie2",
            Service::SsmMw => "ssm-mw",
            Service::SpaceoneIdentity => "spaceone-identity",
            Service::CloudRewind => "cloud-rewind",
        }
    }
}

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Service {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Service::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                let known: Vec<&str> = Service::ALL.iter().map(|v| v.as_str()).collect();
                format!(
                    "unknown service `{s}`; expected one of {}",
                    known.join(", ")
                )
            })
    }
}

/// A job's state, normalized across services. The service's own value is kept in
/// [`Job::raw_status`]; [`STATUS_TABLE`] is the mapping below as data.
///
#[doc = include_str!("job_states.md")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Accepted, not started yet.
    Pending,
    /// Working.
    Running,
    /// Stopped for now; may resume.
    Paused,
    /// Finished successfully.
    Succeeded,
    /// Finished with an error.
    Failed,
    /// Stopped for good before finishing.
    Cancelled,
    /// A value the normalization does not know.
    Unknown,
}

impl JobState {
    /// Finished for good: succeeded, failed or cancelled.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            JobState::Succeeded | JobState::Failed | JobState::Cancelled
        )
    }

    /// Will not change without someone acting: terminal, or paused.
    pub fn is_settled(self) -> bool {
        self.is_terminal() || self == JobState::Paused
    }

    /// Lower-case name, e.g. `running`.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Pending => "pending",
            JobState::Running => "running",
            JobState::Paused => "paused",
            JobState::Succeeded => "succeeded",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
            JobState::Unknown => "unknown",
        }
    }

    /// Normalizes a service's own status value (see the table above): a lookup in
    /// [`STATUS_TABLE`], `Unknown` for anything not in it.
    pub fn from_service(service: Service, raw: &str) -> JobState {
        STATUS_TABLE
            .iter()
            .find(|(s, value, _)| *s == service && *value == raw)
            .map_or(JobState::Unknown, |(_, _, state)| *state)
    }

    /// Every state, in the order of the documented table.
    pub const ALL: [JobState; 7] = [
        JobState::Pending,
        JobState::Running,
        JobState::Paused,
        JobState::Succeeded,
        JobState::Failed,
        JobState::Cancelled,
        JobState::Unknown,
    ];
}

impl std::str::FromStr for JobState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        JobState::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                let known: Vec<&str> = JobState::ALL.iter().map(|v| v.as_str()).collect();
                format!(
                    "unknown job state `{s}`; expected one of {}",
                    known.join(", ")
                )
            })
    }
}

/// Every status value of every service and its normalized state: the table of [`JobState`]
/// as data, in the order of each service's spec. A test checks it against the generated
/// enums' `values()` and against the documented table.
pub const STATUS_TABLE: &[(Service, &str, JobState)] = {
    use JobState::*;
    use Service::*;
    &[
        (PartnerCentral, "Running", Running),
        (PartnerCentral, "Stopped", Paused),
        (Macie2, "RUNNING", Running),
        (Macie2, "PAUSED", Paused),
        (Macie2, "CANCELLED", Cancelled),
        (Macie2, "COMPLETE", Succeeded),
        (Macie2, "IDLE", Pending),
        (Macie2, "USER_PAUSED", Paused),
        (SsmMw, "PENDING", Pending),
        (SsmMw, "IN_PROGRESS", Running),
        (SsmMw, "SUCCESS", Succeeded),
        (SsmMw, "FAILED", Failed),
        (SsmMw, "TIMED_OUT", Failed),
        (SsmMw, "CANCELLING", Running),
        (SsmMw, "CANCELLED", Cancelled),
        (SsmMw, "SKIPPED_OVERLAPPING", Cancelled),
        (SpaceoneIdentity, "NONE", Unknown),
        (SpaceoneIdentity, "PENDING", Pending),
        (SpaceoneIdentity, "IN_PROGRESS", Running),
        (SpaceoneIdentity, "FAILURE", Failed),
        (SpaceoneIdentity, "SUCCESS", Succeeded),
        (SpaceoneIdentity, "CANCELED", Cancelled),
        (CloudRewind, "created", Pending),
        (CloudRewind, "preparing", Pending),
        (CloudRewind, "preparation-completed", Pending),
        (CloudRewind, "in-progress", Running),
        (CloudRewind, "partially-protected", Failed),
        (CloudRewind, "success", Succeeded),
        (CloudRewind, "skipped", Cancelled),
        (CloudRewind, "failed", Failed),
        (CloudRewind, "pruning-failed", Failed),
        (CloudRewind, "elapsed", Succeeded),
    ]
};

impl std::fmt::Display for JobState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A job from any of the five services, in one shape.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Job {
    /// Where the job comes from.
    pub service: Service,
    /// The service's identifier of the job (job id, task execution id, protection id).
    pub id: String,
    /// A human name, where the service has one.
    pub name: Option<String>,
    /// Normalized state.
    pub state: JobState,
    /// The service's own status value, unchanged.
    pub raw_status: Option<String>,
    /// When the job was created or started.
    pub created_at: Option<DateTime>,
    /// When the job finished, where the service says.
    pub finished_at: Option<DateTime>,
    /// Extra detail: an error message, status details, or the job's ARN.
    pub detail: Option<String>,
}

impl Job {
    /// The conversions from each service's types start here; with no service enabled there
    /// are none.
    #[cfg_attr(
        not(any(
            feature = "partner-central",
            feature = "macie2",
            feature = "ssm-mw",
            feature = "spaceone-identity",
            feature = "cloud-rewind"
        )),
        allow(dead_code)
    )]
    fn new(service: Service, id: Option<String>, raw: Option<&str>) -> Job {
        Job {
            service,
            id: id.unwrap_or_default(),
            name: None,
            state: raw.map_or(JobState::Unknown, |r| JobState::from_service(service, r)),
            raw_status: raw.map(str::to_string),
            created_at: None,
            finished_at: None,
            detail: None,
        }
    }
}

#[cfg(feature = "partner-central")]
impl From<cloudjobs_partner_central::types::ResourceSnapshotJobSummary> for Job {
    fn from(s: cloudjobs_partner_central::types::ResourceSnapshotJobSummary) -> Job {
        let mut job = Job::new(
            Service::PartnerCentral,
            s.id,
            s.status.as_ref().map(|v| v.as_str()),
        );
        job.name = s.engagement_id;
        job.detail = s.arn;
        job
    }
}

#[cfg(feature = "macie2")]
impl From<cloudjobs_macie2::types::JobSummary> for Job {
    fn from(s: cloudjobs_macie2::types::JobSummary) -> Job {
        let mut job = Job::new(
            Service::Macie2,
            s.job_id,
            s.job_status.as_ref().map(|v| v.as_str()),
        );
        job.name = s.name;
        job.created_at = s.created_at;
        job.detail = s.job_type.map(|t| t.to_string());
        job
    }
}

#[cfg(feature = "ssm-mw")]
impl From<cloudjobs_ssm_mw::types::MaintenanceWindowExecutionTaskIdentity> for Job {
    fn from(s: cloudjobs_ssm_mw::types::MaintenanceWindowExecutionTaskIdentity) -> Job {
        let mut job = Job::new(
            Service::SsmMw,
            s.task_execution_id,
            s.status.as_ref().map(|v| v.as_str()),
        );
        job.name = s.task_arn;
        job.created_at = s.start_time;
        job.finished_at = s.end_time;
        job.detail = s.status_details;
        job
    }
}

#[cfg(feature = "spaceone-identity")]
impl From<cloudjobs_spaceone_identity::types::JobInfo> for Job {
    fn from(s: cloudjobs_spaceone_identity::types::JobInfo) -> Job {
        // SpaceONE omits default values: a job without `status` is PENDING, its default.
        let raw = s
            .status
            .as_ref()
            .map_or("PENDING", |v| v.as_str())
            .to_string();
        let mut job = Job::new(Service::SpaceoneIdentity, s.job_id, Some(&raw));
        job.name = s.plugin_id;
        job.created_at = s.created_at;
        job.finished_at = s.finished_at;
        job.detail = s.error_message;
        job
    }
}

#[cfg(feature = "cloud-rewind")]
impl Job {
    /// A Cloud Rewind protection, identified by the `protection_id` the status was asked for.
    pub fn from_cloud_rewind(
        protection_id: impl Into<String>,
        status: &cloudjobs_cloud_rewind::types::ProtectionStatusResponse,
    ) -> Job {
        Job::new(
            Service::CloudRewind,
            Some(protection_id.into()),
            status.status.as_ref().map(|v| v.as_str()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented table (`job_states.md`) as (service, value, state) triples.
    fn documented() -> Vec<(Service, String, JobState)> {
        let doc = include_str!("job_states.md");
        let mut rows = doc.lines().filter(|l| l.starts_with('|'));
        let header: Vec<&str> = rows.next().unwrap().split('|').map(str::trim).collect();
        let columns: Vec<Service> = header[2..header.len() - 1]
            .iter()
            .map(|name| match *name {
                "Partner Central" => Service::PartnerCentral,
                "Macie2" => Service::Macie2,
                "SSM task" => Service::SsmMw,
                "SpaceONE" => Service::SpaceoneIdentity,
                "Cloud Rewind" => Service::CloudRewind,
                other => panic!("unknown column {other}"),
            })
            .collect();
        let mut out = Vec::new();
        for row in rows.skip(1) {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let state: JobState = cells[1].trim_matches('`').parse().unwrap();
            for (service, cell) in columns.iter().zip(&cells[2..]) {
                for value in cell.split(',').map(str::trim).filter(|v| !v.is_empty()) {
                    out.push((*service, value.trim_matches('`').to_owned(), state));
                }
            }
        }
        out
    }

    #[test]
    fn the_status_table_is_the_documented_table() {
        let mut documented = documented();
        let mut table: Vec<(Service, String, JobState)> = STATUS_TABLE
            .iter()
            .map(|(s, v, st)| (*s, v.to_string(), *st))
            .collect();
        documented.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        table.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        assert_eq!(documented, table);
        for (service, value, state) in STATUS_TABLE {
            assert_eq!(
                JobState::from_service(*service, value),
                *state,
                "{service} {value}"
            );
        }
    }

    /// Every value of every service's generated status enum is in the table, and the table has
    /// nothing else: a value added to a spec without a mapping fails here.
    #[cfg(all(
        feature = "partner-central",
        feature = "macie2",
        feature = "ssm-mw",
        feature = "spaceone-identity",
        feature = "cloud-rewind"
    ))]
    #[test]
    fn every_generated_status_value_is_mapped() {
        let generated: [(Service, &[&str]); 5] = [
            (
                Service::PartnerCentral,
                cloudjobs_partner_central::types::ResourceSnapshotJobStatus::values(),
            ),
            (
                Service::Macie2,
                cloudjobs_macie2::types::JobStatus::values(),
            ),
            (
                Service::SsmMw,
                cloudjobs_ssm_mw::types::MaintenanceWindowExecutionStatus::values(),
            ),
            (
                Service::SpaceoneIdentity,
                cloudjobs_spaceone_identity::types::JobStatus::values(),
            ),
            (
                Service::CloudRewind,
                cloudjobs_cloud_rewind::types::ProtectionStatus::values(),
            ),
        ];
        for (service, values) in generated {
            let mapped: Vec<&str> = STATUS_TABLE
                .iter()
                .filter(|(s, _, _)| *s == service)
                .map(|(_, v, _)| *v)
                .collect();
            assert_eq!(
                mapped, values,
                "{service}: STATUS_TABLE and the spec's enum differ"
            );
        }
    }

    #[test]
    fn unknown_and_foreign_values_are_unknown() {
        assert_eq!(
            JobState::from_service(Service::Macie2, "SOMETHING_NEW"),
            JobState::Unknown
        );
        // A value of one service means nothing for another.
        assert_eq!(
            JobState::from_service(Service::Macie2, "SUCCESS"),
            JobState::Unknown
        );
        for state in JobState::ALL {
            assert_eq!(state.as_str().parse::<JobState>().unwrap(), state);
        }
        assert!("done".parse::<JobState>().unwrap_err().contains("`done`"));
    }

    #[test]
    fn terminal_and_settled() {
        assert!(JobState::Failed.is_terminal());
        assert!(!JobState::Paused.is_terminal());
        assert!(JobState::Paused.is_settled());
        assert!(!JobState::Running.is_settled());
    }

    #[test]
    fn service_names_round_trip() {
        for s in Service::ALL {
            assert_eq!(s.as_str().parse::<Service>().unwrap(), s);
        }
        assert!(
            "s3".parse::<Service>()
                .unwrap_err()
                .contains("unknown service `s3`")
        );
    }
}
