//! The emulator's own small typed models of the five services' jobs, and the fixture format.
//!
//! Every model is written in its service's own wire spelling (PascalCase for Partner Central and
//! SSM, camelCase for Macie2, snake_case for SpaceONE and Cloud Rewind), so an item copied from a
//! real response can be pasted into a fixture. A few emulator-only fields (for example the
//! Partner Central `Catalog` and `CreatedDate`, which the real list output does not carry) are
//! documented on each type.
//!
//! Status values are not checked when a fixture is loaded, so a fixture can hold values a client
//! does not know yet (to test forward-compatible enums); the admin API checks them unless told
//! otherwise.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use std::str::FromStr;
use time::OffsetDateTime;

use crate::timefmt::{serde_epoch_opt, serde_iso_opt};

/// One of the five emulated services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Service {
    /// AWS Partner Central Selling, `ListResourceSnapshotJobs` (awsJson 1.0).
    PartnerCentral,
    /// Amazon Macie2, `ListClassificationJobs` (restJson1).
    Macie2,
    /// AWS Systems Manager, `DescribeMaintenanceWindowExecutionTasks` (awsJson 1.1).
    Ssm,
    /// SpaceONE identity v2 `Job` (`delete`, `get`, `list`, `stat`).
    #[serde(rename = "spaceone")]
    SpaceOne,
    /// Cloud Rewind "Get AWS Protection Status".
    CloudRewind,
}

impl Service {
    /// All five services, in a fixed order.
    pub const ALL: [Service; 5] = [
        Service::PartnerCentral,
        Service::Macie2,
        Service::Ssm,
        Service::SpaceOne,
        Service::CloudRewind,
    ];

    /// The name used in admin API paths: `partner-central`, `macie2`, `ssm`, `spaceone`,
    /// `cloud-rewind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Service::PartnerCentral => "partner-central",
            Service::Macie2 => "macie2",
            Service::Ssm => "ssm",
            Service::SpaceOne => "spaceone",
            Service::CloudRewind => "cloud-rewind",
        }
    }

    /// The status values the real service documents for its jobs.
    pub fn statuses(self) -> &'static [&'static str] {
        match self {
            Service::PartnerCentral => PARTNER_CENTRAL_STATUSES,
            Service::Macie2 => MACIE2_STATUSES,
            Service::Ssm => SSM_STATUSES,
            Service::SpaceOne => SPACEONE_STATUSES,
            Service::CloudRewind => CLOUD_REWIND_STATUSES,
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Service {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.to_ascii_lowercase().replace('_', "-");
        Ok(match norm.as_str() {
            "partner-central" | "partnercentral" | "partnercentral-selling" | "pcs" => {
                Service::PartnerCentral
            }
            "macie2" | "macie" => Service::Macie2,
            "ssm" | "ssm-mw" => Service::Ssm,
            "spaceone" | "spaceone-identity" | "space-one" => Service::SpaceOne,
            "cloud-rewind" | "cloudrewind" => Service::CloudRewind,
            _ => return Err(crate::Error::UnknownService(s.to_string())),
        })
    }
}

/// Partner Central resource snapshot job statuses.
pub const PARTNER_CENTRAL_STATUSES: &[&str] = &["Running", "Stopped"];
/// Macie2 classification job statuses.
pub const MACIE2_STATUSES: &[&str] = &[
    "RUNNING",
    "PAUSED",
    "CANCELLED",
    "COMPLETE",
    "IDLE",
    "USER_PAUSED",
];
/// SSM maintenance window task execution statuses.
pub const SSM_STATUSES: &[&str] = &[
    "PENDING",
    "IN_PROGRESS",
    "SUCCESS",
    "FAILED",
    "TIMED_OUT",
    "CANCELLING",
    "CANCELLED",
    "SKIPPED_OVERLAPPING",
];
/// SpaceONE job statuses (`NONE` is the unset value and never stored).
pub const SPACEONE_STATUSES: &[&str] =
    &["PENDING", "IN_PROGRESS", "FAILURE", "SUCCESS", "CANCELED"];
/// Cloud Rewind protection statuses.
pub const CLOUD_REWIND_STATUSES: &[&str] = &[
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
];

/// A Partner Central resource snapshot job (`ResourceSnapshotJobSummary` plus two
/// emulator-only fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PartnerCentralJob {
    /// `job-` followed by 13 lowercase letters or digits; generated when empty.
    #[serde(default)]
    pub id: String,
    /// The job ARN; derived from the catalog, engagement and id when empty.
    #[serde(default)]
    pub arn: String,
    /// `eng-` followed by 14 lowercase letters or digits; generated when empty.
    #[serde(default)]
    pub engagement_id: String,
    /// `Running` or `Stopped`.
    #[serde(default = "default_pcs_status")]
    pub status: String,
    /// Emulator-only: the catalog the job lives in (`AWS` or `Sandbox`), default `AWS`.
    #[serde(default = "default_catalog")]
    pub catalog: String,
    /// Emulator-only: creation time, used by `Sort` (ISO 8601); now when absent.
    #[serde(
        default,
        with = "serde_iso_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_date: Option<OffsetDateTime>,
}

fn default_pcs_status() -> String {
    "Running".into()
}
fn default_catalog() -> String {
    "AWS".into()
}

/// A Macie2 classification job (`JobSummary`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Macie2Job {
    /// 32 hex characters; generated when empty.
    #[serde(default)]
    pub job_id: String,
    /// The job's name.
    #[serde(default)]
    pub name: String,
    /// `ONE_TIME` or `SCHEDULED`.
    #[serde(default = "default_macie_type")]
    pub job_type: String,
    /// One of [`MACIE2_STATUSES`].
    #[serde(default = "default_macie_status")]
    pub job_status: String,
    /// Creation time (ISO 8601); now when absent.
    #[serde(
        default,
        with = "serde_iso_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<OffsetDateTime>,
    /// `bucketDefinitions`, passed through as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_definitions: Option<Value>,
    /// `bucketCriteria`, passed through as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_criteria: Option<Value>,
    /// `lastRunErrorStatus`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_run_error_status: Option<LastRunErrorStatus>,
    /// Only sent while the job is `USER_PAUSED`; filled in when missing for such a job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_paused_details: Option<UserPausedDetails>,
}

fn default_macie_type() -> String {
    "ONE_TIME".into()
}
fn default_macie_status() -> String {
    "RUNNING".into()
}

/// Macie2 `lastRunErrorStatus`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastRunErrorStatus {
    /// `NONE` or `ERROR`.
    pub code: String,
}

/// Macie2 `userPausedDetails`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserPausedDetails {
    /// When the paused job expires.
    #[serde(
        default,
        with = "serde_iso_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub job_expires_at: Option<OffsetDateTime>,
    /// ARN of the health event about the imminent expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_imminent_expiration_health_event_arn: Option<String>,
    /// When the job was paused.
    #[serde(
        default,
        with = "serde_iso_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub job_paused_at: Option<OffsetDateTime>,
}

/// An SSM maintenance window execution and the tasks it ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SsmWindowExecution {
    /// A lowercase UUID; generated when empty.
    #[serde(default)]
    pub window_execution_id: String,
    /// The task executions, in the order they are listed.
    #[serde(default)]
    pub tasks: Vec<SsmTask>,
}

/// One SSM task execution (`MaintenanceWindowExecutionTaskIdentity` without the execution id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SsmTask {
    /// A lowercase UUID; generated when empty.
    #[serde(default)]
    pub task_execution_id: String,
    /// One of [`SSM_STATUSES`].
    #[serde(default = "default_ssm_status")]
    pub status: String,
    /// Free text about the status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_details: Option<String>,
    /// Start time, epoch seconds (JSON number) or ISO 8601.
    #[serde(
        default,
        with = "serde_epoch_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time: Option<OffsetDateTime>,
    /// End time, epoch seconds (JSON number) or ISO 8601.
    #[serde(
        default,
        with = "serde_epoch_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<OffsetDateTime>,
    /// The task's ARN or document name.
    #[serde(default = "default_task_arn")]
    pub task_arn: String,
    /// `RUN_COMMAND`, `AUTOMATION`, `STEP_FUNCTIONS` or `LAMBDA`.
    #[serde(default = "default_task_type")]
    pub task_type: String,
    /// `AlarmConfiguration`, passed through as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_configuration: Option<Value>,
    /// `TriggeredAlarms`, passed through as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triggered_alarms: Option<Value>,
}

fn default_ssm_status() -> String {
    "PENDING".into()
}
fn default_task_arn() -> String {
    "AWS-RunShellScript".into()
}
fn default_task_type() -> String {
    "RUN_COMMAND".into()
}

/// A SpaceONE identity job (`JobInfo`). Empty strings and `None` are left out of responses, as
/// the real service leaves out default values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpaceOneJob {
    /// `job-` followed by 12 hex characters; generated when empty.
    #[serde(default)]
    pub job_id: String,
    /// One of [`SPACEONE_STATUSES`].
    #[serde(default = "default_spaceone_status")]
    pub status: String,
    /// Job options (a JSON object); left out when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Map<String, Value>>,
    /// `DOMAIN` or `WORKSPACE`.
    #[serde(default = "default_resource_group")]
    pub resource_group: String,
    /// Set for failed jobs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// The domain; the emulator's single domain when empty.
    #[serde(default)]
    pub domain_id: String,
    /// The workspace; `*` for `DOMAIN` jobs.
    #[serde(default)]
    pub workspace_id: String,
    /// The trusted account the job synchronises.
    #[serde(default)]
    pub trusted_account_id: String,
    /// The collector plugin.
    #[serde(default)]
    pub plugin_id: String,
    /// Creation time; now when absent.
    #[serde(
        default,
        with = "serde_iso_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<OffsetDateTime>,
    /// Last update time.
    #[serde(
        default,
        with = "serde_iso_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<OffsetDateTime>,
    /// Set once the job reached a terminal status.
    #[serde(
        default,
        with = "serde_iso_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub finished_at: Option<OffsetDateTime>,
}

fn default_spaceone_status() -> String {
    "PENDING".into()
}
fn default_resource_group() -> String {
    "DOMAIN".into()
}

/// A Cloud Rewind AWS protection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudRewindProtection {
    /// Cloud Rewind account id.
    pub account_id: i64,
    /// Cloud Rewind project id (a string on the wire).
    pub project_id: String,
    /// AWS cloud assembly id.
    pub cloud_assembly_id: i64,
    /// The protection id (the `protection_id` query parameter); generated when empty.
    #[serde(default)]
    pub protection_id: String,
    /// One of [`CLOUD_REWIND_STATUSES`].
    #[serde(default = "default_cr_status")]
    pub status: String,
    /// Emulator-only: a locked protection answers `409 Conflict`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub locked: bool,
    /// Emulator-only: a protection whose cloud assembly is disabled answers
    /// `412 Precondition Failed`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub assembly_disabled: bool,
}

fn default_cr_status() -> String {
    "created".into()
}
fn is_false(b: &bool) -> bool {
    !*b
}

/// The whole emulated data set; the JSON fixture format.
///
/// Every section is optional. Example (see `fixtures/example.json` in the crate for a
/// complete one):
///
/// ```json
/// {
///   "partner_central": [{"Id": "job-0123456789abc", "EngagementId": "eng-0123456789abcd",
///                        "Status": "Running", "Catalog": "AWS", "CreatedDate": "2025-01-02T03:04:05Z"}],
///   "macie2": [{"jobId": "3ce05dbb7ec5505def334104bf6ebc3a", "name": "pii-scan", "jobType": "ONE_TIME",
///               "jobStatus": "RUNNING", "createdAt": "2025-01-02T03:04:05.000Z"}],
///   "ssm": [{"WindowExecutionId": "12345678-1234-1234-1234-123456789012",
///            "Tasks": [{"TaskExecutionId": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "Status": "SUCCESS",
///                       "StartTime": 1700000000.123, "EndTime": 1700000060,
///                       "TaskArn": "AWS-RunShellScript", "TaskType": "RUN_COMMAND"}]}],
///   "spaceone": [{"job_id": "job-3b124006c2d2", "status": "SUCCESS", "resource_group": "DOMAIN",
///                 "domain_id": "domain-58010aa2e451", "workspace_id": "*",
///                 "trusted_account_id": "ta-3b124006c2d2",
///                 "plugin_id": "plugin-aws-cloud-service-inven-collector",
///                 "created_at": "2022-06-17T08:00:01.225Z", "finished_at": "2022-06-17T08:00:15.197Z"}],
///   "cloud_rewind": [{"account_id": 12345678, "project_id": "123456", "cloud_assembly_id": 1234,
///                     "protection_id": "t12345678:123456:1234:145:1746784337032", "status": "success"}]
/// }
/// ```
///
/// Missing ids and times are generated when the fixture is loaded (from the emulator's seed, so
/// still deterministically, except for "now" times).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// Partner Central resource snapshot jobs.
    #[serde(default)]
    pub partner_central: Vec<PartnerCentralJob>,
    /// Macie2 classification jobs.
    #[serde(default)]
    pub macie2: Vec<Macie2Job>,
    /// SSM maintenance window executions with their tasks.
    #[serde(default)]
    pub ssm: Vec<SsmWindowExecution>,
    /// SpaceONE identity jobs.
    #[serde(default)]
    pub spaceone: Vec<SpaceOneJob>,
    /// Cloud Rewind AWS protections.
    #[serde(default)]
    pub cloud_rewind: Vec<CloudRewindProtection>,
}

impl Fixture {
    /// Parses a fixture from JSON text.
    pub fn from_json(text: &str) -> Result<Fixture, crate::Error> {
        serde_json::from_str(text).map_err(|e| crate::Error::Fixture(e.to_string()))
    }

    /// Reads and parses a fixture file.
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Fixture, crate::Error> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| crate::Error::Fixture(format!("{}: {e}", path.display())))?;
        Self::from_json(&text)
            .map_err(|e| crate::Error::Fixture(format!("{}: {e}", path.display())))
    }

    /// Serialises the fixture as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }
}

/// The ids a client needs to talk to the seeded data, computed from the current data set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Seeded {
    /// Partner Central.
    pub partner_central: PartnerCentralSeeded,
    /// Macie2.
    pub macie2: Macie2Seeded,
    /// SSM.
    pub ssm: SsmSeeded,
    /// SpaceONE.
    pub spaceone: SpaceOneSeeded,
    /// Cloud Rewind.
    pub cloud_rewind: CloudRewindSeeded,
}

/// Partner Central ids.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartnerCentralSeeded {
    /// Catalogs that hold jobs (`AWS`, `Sandbox`).
    pub catalogs: Vec<String>,
    /// Engagement ids that have jobs, sorted.
    pub engagement_ids: Vec<String>,
    /// All job ids.
    pub job_ids: Vec<String>,
}

/// Macie2 ids.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Macie2Seeded {
    /// All job ids.
    pub job_ids: Vec<String>,
}

/// SSM ids.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SsmSeeded {
    /// Window execution ids, in data order (the generator puts the one with most tasks first).
    pub window_execution_ids: Vec<String>,
    /// Number of tasks of each execution, same order.
    pub task_counts: Vec<usize>,
}

/// SpaceONE ids.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SpaceOneSeeded {
    /// The domain of the jobs.
    pub domain_id: String,
    /// All job ids.
    pub job_ids: Vec<String>,
    /// Distinct workspace ids (including `*`), sorted.
    pub workspace_ids: Vec<String>,
    /// Distinct trusted account ids, sorted.
    pub trusted_account_ids: Vec<String>,
    /// Distinct plugin ids, sorted.
    pub plugin_ids: Vec<String>,
}

/// Cloud Rewind ids.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudRewindSeeded {
    /// Every protection, with the coordinates needed to query it.
    pub protections: Vec<ProtectionRef>,
    /// A locked protection (answers 409), if any.
    pub locked: Option<ProtectionRef>,
    /// A protection in a disabled cloud assembly (answers 412), if any.
    pub assembly_disabled: Option<ProtectionRef>,
}

/// Where a Cloud Rewind protection lives and its status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProtectionRef {
    /// Account id.
    pub account_id: i64,
    /// Project id.
    pub project_id: String,
    /// Cloud assembly id.
    pub cloud_assembly_id: i64,
    /// Protection id.
    pub protection_id: String,
    /// Current status.
    pub status: String,
}

impl From<&CloudRewindProtection> for ProtectionRef {
    fn from(p: &CloudRewindProtection) -> Self {
        ProtectionRef {
            account_id: p.account_id,
            project_id: p.project_id.clone(),
            cloud_assembly_id: p.cloud_assembly_id,
            protection_id: p.protection_id.clone(),
            status: p.status.clone(),
        }
    }
}

impl Fixture {
    /// The ids a client needs, computed from this data set.
    pub fn seeded(&self) -> Seeded {
        use std::collections::BTreeSet;
        let pcs = &self.partner_central;
        let catalogs: BTreeSet<_> = pcs.iter().map(|j| j.catalog.clone()).collect();
        let engagements: BTreeSet<_> = pcs.iter().map(|j| j.engagement_id.clone()).collect();
        let sp = &self.spaceone;
        let set = |f: fn(&SpaceOneJob) -> &String| -> Vec<String> {
            let s: BTreeSet<String> = sp
                .iter()
                .map(|j| f(j).clone())
                .filter(|v| !v.is_empty())
                .collect();
            s.into_iter().collect()
        };
        Seeded {
            partner_central: PartnerCentralSeeded {
                catalogs: catalogs.into_iter().collect(),
                engagement_ids: engagements.into_iter().collect(),
                job_ids: pcs.iter().map(|j| j.id.clone()).collect(),
            },
            macie2: Macie2Seeded {
                job_ids: self.macie2.iter().map(|j| j.job_id.clone()).collect(),
            },
            ssm: SsmSeeded {
                window_execution_ids: self
                    .ssm
                    .iter()
                    .map(|e| e.window_execution_id.clone())
                    .collect(),
                task_counts: self.ssm.iter().map(|e| e.tasks.len()).collect(),
            },
            spaceone: SpaceOneSeeded {
                domain_id: sp.first().map(|j| j.domain_id.clone()).unwrap_or_default(),
                job_ids: sp.iter().map(|j| j.job_id.clone()).collect(),
                workspace_ids: set(|j| &j.workspace_id),
                trusted_account_ids: set(|j| &j.trusted_account_id),
                plugin_ids: set(|j| &j.plugin_id),
            },
            cloud_rewind: CloudRewindSeeded {
                protections: self.cloud_rewind.iter().map(ProtectionRef::from).collect(),
                locked: self
                    .cloud_rewind
                    .iter()
                    .find(|p| p.locked)
                    .map(ProtectionRef::from),
                assembly_disabled: self
                    .cloud_rewind
                    .iter()
                    .find(|p| p.assembly_disabled)
                    .map(ProtectionRef::from),
            },
        }
    }
}
