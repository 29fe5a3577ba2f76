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
/// [`Job::raw_status`].
///
/// | state | Partner Central | Macie2 | SSM task | SpaceONE | Cloud Rewind |
/// |---|---|---|---|---|---|
/// | `Pending` | | `IDLE` | `PENDING` | `PENDING` | `created`, `preparing`, `preparation-completed` |
/// | `Running` | `Running` | `RUNNING` | `IN_PROGRESS`, `CANCELLING` | `IN_PROGRESS` | `in-progress` |
/// | `Paused` | `Stopped` | `PAUSED`, `USER_PAUSED` | | | |
/// | `Succeeded` | | `COMPLETE` | `SUCCESS` | `SUCCESS` | `success`, `elapsed` |
/// | `Failed` | | | `FAILED`, `TIMED_OUT` | `FAILURE` | `failed`, `partially-protected`, `pruning-failed` |
/// | `Cancelled` | | `CANCELLED` | `CANCELLED`, `SKIPPED_OVERLAPPING` | `CANCELED` | `skipped` |
/// | `Unknown` | any other value | any other value | any other value | `NONE`, any other | any other value |
///
/// Partner Central's `Stopped` jobs can be started again, so they count as paused. Cloud
/// Rewind's `elapsed` (pruned after it ran) counts as succeeded and `partially-protected` as
/// failed, since not everything was protected.
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

    /// Normalizes a service's own status value (see the table above).
    pub fn from_service(service: Service, raw: &str) -> JobState {
        use JobState::*;
        match (service, raw) {
            (Service::PartnerCentral, "Running") => Running,
            (Service::PartnerCentral, "Stopped") => Paused,
            (Service::Macie2, "IDLE") => Pending,
            (Service::Macie2, "RUNNING") => Running,
            (Service::Macie2, "PAUSED" | "USER_PAUSED") => Paused,
            (Service::Macie2, "COMPLETE") => Succeeded,
            (Service::Macie2, "CANCELLED") => Cancelled,
            (Service::SsmMw, "PENDING") => Pending,
            (Service::SsmMw, "IN_PROGRESS" | "CANCELLING") => Running,
            (Service::SsmMw, "SUCCESS") => Succeeded,
            (Service::SsmMw, "FAILED" | "TIMED_OUT") => Failed,
            (Service::SsmMw, "CANCELLED" | "SKIPPED_OVERLAPPING") => Cancelled,
            (Service::SpaceoneIdentity, "PENDING") => Pending,
            (Service::SpaceoneIdentity, "IN_PROGRESS") => Running,
            (Service::SpaceoneIdentity, "SUCCESS") => Succeeded,
            (Service::SpaceoneIdentity, "FAILURE") => Failed,
            (Service::SpaceoneIdentity, "CANCELED") => Cancelled,
            (Service::CloudRewind, "created" | "preparing" | "preparation-completed") => Pending,
            (Service::CloudRewind, "in-progress") => Running,
            (Service::CloudRewind, "success" | "elapsed") => Succeeded,
            (Service::CloudRewind, "failed" | "partially-protected" | "pruning-failed") => Failed,
            (Service::CloudRewind, "skipped") => Cancelled,
            _ => Unknown,
        }
    }
}

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

    #[test]
    fn every_documented_value_is_normalized() {
        let cases: &[(Service, &[&str])] = &[
            (Service::PartnerCentral, &["Running", "Stopped"]),
            (
                Service::Macie2,
                &[
                    "RUNNING",
                    "PAUSED",
                    "CANCELLED",
                    "COMPLETE",
                    "IDLE",
                    "USER_PAUSED",
                ],
            ),
            (
                Service::SsmMw,
                &[
                    "PENDING",
                    "IN_PROGRESS",
                    "SUCCESS",
                    "FAILED",
                    "TIMED_OUT",
                    "CANCELLING",
                    "CANCELLED",
                    "SKIPPED_OVERLAPPING",
                ],
            ),
            (
                Service::SpaceoneIdentity,
                &["PENDING", "IN_PROGRESS", "FAILURE", "SUCCESS", "CANCELED"],
            ),
            (
                Service::CloudRewind,
                &[
                    "created",
                    "preparing",
                    "preparation-completed",
                    "in-progress",
                    "partially-protected",
                    "success",
                    "skipped",
                    "failed",
                    "pruning-failed",
                    "elapsed",
                ],
            ),
        ];
        for (service, values) in cases {
            for v in *values {
                assert_ne!(
                    JobState::from_service(*service, v),
                    JobState::Unknown,
                    "{service} {v}"
                );
            }
        }
        assert_eq!(
            JobState::from_service(Service::SpaceoneIdentity, "NONE"),
            JobState::Unknown
        );
        assert_eq!(
            JobState::from_service(Service::Macie2, "SOMETHING_NEW"),
            JobState::Unknown
        );
        // A value of one service means nothing for another.
        assert_eq!(
            JobState::from_service(Service::Macie2, "SUCCESS"),
            JobState::Unknown
        );
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
