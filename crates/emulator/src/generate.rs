//! Deterministic data generator and the filling-in of missing fixture fields.
//!
//! A tiny SplitMix64 generator is used instead of an external RNG so the data for a given seed
//! never changes with a dependency upgrade.

use serde_json::{Map, Value, json};
use time::{Duration, OffsetDateTime};

use crate::model::*;
use crate::timefmt::{from_unix_millis, now};

/// SplitMix64: small, fast, and good enough for test data and fault decisions.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub(crate) fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| *self.pick(alphabet) as char).collect()
    }

    pub(crate) fn hex(&mut self, n: usize) -> String {
        self.chars(b"0123456789abcdef", n)
    }

    pub(crate) fn uuid(&mut self) -> String {
        format!(
            "{}-{}-{}-{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(4),
            self.hex(4),
            self.hex(12)
        )
    }
}

/// The SplitMix64 finaliser, also used as a stateless hash of (seed, counter).
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

const LOWER_DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
/// Account id used in generated ARNs.
pub(crate) const AWS_ACCOUNT: &str = "111122223333";

/// The fixed "present" of generated data: 2025-06-01T00:00:00Z.
fn base_time() -> OffsetDateTime {
    from_unix_millis(1_748_736_000_000)
}

/// Generated time: up to `days` days before the base time, with milliseconds.
fn past(rng: &mut Rng, days: u64) -> OffsetDateTime {
    let ms = rng.below(days * 86_400_000);
    base_time() - Duration::milliseconds(ms as i64)
}

pub(crate) fn pcs_job_id(rng: &mut Rng) -> String {
    format!("job-{}", rng.chars(LOWER_DIGITS, 13))
}
pub(crate) fn engagement_id(rng: &mut Rng) -> String {
    format!("eng-{}", rng.chars(LOWER_DIGITS, 14))
}
pub(crate) fn pcs_arn(catalog: &str, engagement: &str, id: &str) -> String {
    format!(
        "arn:aws:partnercentral:us-east-1:{AWS_ACCOUNT}:catalog/{catalog}/engagement/{engagement}/resource-snapshot-job/{id}"
    )
}

/// Generates `n` jobs per service from `seed`.
pub(crate) fn generate(seed: u64, n: usize) -> Fixture {
    let mut rng = Rng::new(seed);
    let mut fx = Fixture {
        partner_central: gen_pcs(&mut rng, n),
        macie2: gen_macie(&mut rng, n),
        ssm: gen_ssm(&mut rng, n),
        spaceone: gen_spaceone(&mut rng, n),
        cloud_rewind: gen_cloud_rewind(&mut rng, n),
    };
    normalize(&mut fx, &mut rng);
    fx
}

fn gen_pcs(rng: &mut Rng, n: usize) -> Vec<PartnerCentralJob> {
    let engagements: Vec<String> = (0..(n / 4).max(2)).map(|_| engagement_id(rng)).collect();
    (0..n)
        .map(|i| {
            let catalog = match i {
                0 => "AWS",
                1 => "Sandbox",
                _ if rng.below(10) < 7 => "AWS",
                _ => "Sandbox",
            };
            let id = pcs_job_id(rng);
            let eng = rng.pick(&engagements).clone();
            PartnerCentralJob {
                arn: pcs_arn(catalog, &eng, &id),
                id,
                engagement_id: eng,
                status: if i % 3 == 2 { "Stopped" } else { "Running" }.into(),
                catalog: catalog.into(),
                created_date: Some(past(rng, 90)),
            }
        })
        .collect()
}

fn gen_macie(rng: &mut Rng, n: usize) -> Vec<Macie2Job> {
    const NAMES: &[&str] = &[
        "daily-pii-scan",
        "weekly-finance-audit",
        "one-time-s3-sweep",
        "Quarterly-HR-review",
        "logs-retention-check",
    ];
    (0..n)
        .map(|i| {
            let status = if i < MACIE2_STATUSES.len() {
                MACIE2_STATUSES[i]
            } else {
                *rng.pick(MACIE2_STATUSES)
            };
            let job_type = if status == "IDLE" || status == "PAUSED" || rng.below(2) == 0 {
                "SCHEDULED"
            } else {
                "ONE_TIME"
            };
            Macie2Job {
                job_id: rng.hex(32),
                name: format!("{}-{:03}", rng.pick(NAMES), i + 1),
                job_type: job_type.into(),
                job_status: status.into(),
                created_at: Some(past(rng, 120)),
                bucket_definitions: Some(json!([{
                    "accountId": AWS_ACCOUNT,
                    "buckets": [format!("cloudjobs-data-{}", rng.hex(6))]
                }])),
                bucket_criteria: None,
                last_run_error_status: Some(LastRunErrorStatus {
                    code: if rng.below(5) == 0 { "ERROR" } else { "NONE" }.into(),
                }),
                user_paused_details: None,
            }
        })
        .collect()
}

fn gen_ssm(rng: &mut Rng, n: usize) -> Vec<SsmWindowExecution> {
    // The first execution has n tasks, the second about half, the third one, the fourth none.
    let counts = [n.max(1), n.div_ceil(2).max(1), 1, 0];
    let mut start = past(rng, 30);
    counts
        .iter()
        .map(|&count| {
            let exec = SsmWindowExecution {
                window_execution_id: rng.uuid(),
                tasks: (0..count)
                    .map(|k| {
                        let status = if count > 1 && k < SSM_STATUSES.len() {
                            SSM_STATUSES[k]
                        } else {
                            *rng.pick(SSM_STATUSES)
                        };
                        gen_ssm_task(rng, status, start + Duration::seconds(k as i64 * 60))
                    })
                    .collect(),
            };
            start -= Duration::days(1);
            exec
        })
        .collect()
}

fn gen_ssm_task(rng: &mut Rng, status: &str, start: OffsetDateTime) -> SsmTask {
    let (task_type, arn) = match rng.below(4) {
        0 => ("RUN_COMMAND", "AWS-RunPatchBaseline".to_string()),
        1 => ("RUN_COMMAND", "AWS-RunShellScript".to_string()),
        2 => ("AUTOMATION", "AWS-RestartEC2Instance".to_string()),
        _ if rng.below(2) == 0 => (
            "LAMBDA",
            format!("arn:aws:lambda:us-east-1:{AWS_ACCOUNT}:function:cleanup-tmp"),
        ),
        _ => (
            "STEP_FUNCTIONS",
            format!("arn:aws:states:us-east-1:{AWS_ACCOUNT}:stateMachine:nightly-backup"),
        ),
    };
    // Some start times carry milliseconds, so they serialise as fractional epoch seconds.
    let start = if rng.below(2) == 0 {
        start + Duration::milliseconds(rng.below(1000) as i64)
    } else {
        start
    };
    let terminal = !matches!(status, "PENDING" | "IN_PROGRESS" | "CANCELLING");
    let with_alarm = rng.below(3) == 0;
    SsmTask {
        task_execution_id: rng.uuid(),
        status: status.into(),
        status_details: Some(ssm_status_details(status).into()),
        start_time: if status == "PENDING" { None } else { Some(start) },
        end_time: terminal.then(|| start + Duration::seconds(30 + rng.below(600) as i64)),
        task_arn: arn,
        task_type: task_type.into(),
        alarm_configuration: with_alarm.then(|| {
            json!({"IgnorePollAlarmFailure": rng.below(2) == 0, "Alarms": [{"Name": "cpu-high"}]})
        }),
        triggered_alarms: (with_alarm && status == "FAILED")
            .then(|| json!([{"Name": "cpu-high", "State": "ALARM"}])),
    }
}

pub(crate) fn ssm_status_details(status: &str) -> &'static str {
    match status {
        "PENDING" => "Pending",
        "IN_PROGRESS" => "In progress",
        "SUCCESS" => "Success",
        "FAILED" => "Failed",
        "TIMED_OUT" => "Timed out",
        "CANCELLING" => "Cancelling",
        "CANCELLED" => "Cancelled",
        "SKIPPED_OVERLAPPING" => "Skipped: overlapping execution",
        _ => "Unknown",
    }
}

fn gen_spaceone(rng: &mut Rng, n: usize) -> Vec<SpaceOneJob> {
    const PLUGINS: &[&str] = &[
        "plugin-aws-cloud-service-inven-collector",
        "plugin-azure-inven-collector",
        "plugin-google-cloud-inven-collector",
    ];
    let domain = format!("domain-{}", rng.hex(12));
    let workspaces: Vec<String> = (0..3)
        .map(|_| format!("workspace-{}", rng.hex(12)))
        .collect();
    let accounts: Vec<String> = (0..4).map(|_| format!("ta-{}", rng.hex(12))).collect();
    (0..n)
        .map(|i| {
            let status = if i < SPACEONE_STATUSES.len() {
                SPACEONE_STATUSES[i]
            } else {
                *rng.pick(SPACEONE_STATUSES)
            };
            let domain_scoped = rng.below(3) == 0;
            let created = past(rng, 60);
            let updated = created + Duration::milliseconds(rng.below(900_000) as i64);
            let terminal = matches!(status, "SUCCESS" | "FAILURE" | "CANCELED");
            let mut options = Map::new();
            options.insert(
                "sync_mode".into(),
                Value::from(if i % 2 == 0 { "FULL" } else { "INCREMENTAL" }),
            );
            SpaceOneJob {
                job_id: format!("job-{}", rng.hex(12)),
                status: status.into(),
                options: (i % 4 != 3).then_some(options),
                resource_group: if domain_scoped { "DOMAIN" } else { "WORKSPACE" }.into(),
                error_message: (status == "FAILURE")
                    .then(|| "ERROR_DUPLICATE_JOB: The same job is already running.".to_string()),
                domain_id: domain.clone(),
                workspace_id: if domain_scoped {
                    "*".into()
                } else {
                    rng.pick(&workspaces).clone()
                },
                trusted_account_id: rng.pick(&accounts).clone(),
                plugin_id: rng.pick(PLUGINS).to_string(),
                created_at: Some(created),
                updated_at: Some(updated),
                finished_at: terminal.then_some(updated),
            }
        })
        .collect()
}

fn gen_cloud_rewind(rng: &mut Rng, n: usize) -> Vec<CloudRewindProtection> {
    const COORDS: &[(i64, &str, i64)] = &[
        (12345678, "123456", 1234),
        (12345678, "123456", 1235),
        (23456789, "654321", 2001),
    ];
    let mut out: Vec<CloudRewindProtection> = (0..n)
        .map(|i| {
            let (account_id, project, assembly) = COORDS[i % COORDS.len()];
            let mut p = CloudRewindProtection {
                account_id,
                project_id: project.into(),
                cloud_assembly_id: assembly,
                protection_id: String::new(),
                status: CLOUD_REWIND_STATUSES[i % CLOUD_REWIND_STATUSES.len()].into(),
                locked: false,
                assembly_disabled: false,
            };
            p.protection_id = protection_id(rng, &p);
            p
        })
        .collect();
    let mut locked = CloudRewindProtection {
        account_id: 12345678,
        project_id: "123456".into(),
        cloud_assembly_id: 1234,
        protection_id: String::new(),
        status: "in-progress".into(),
        locked: true,
        assembly_disabled: false,
    };
    locked.protection_id = protection_id(rng, &locked);
    let mut disabled = CloudRewindProtection {
        account_id: 12345678,
        project_id: "123456".into(),
        cloud_assembly_id: 1299,
        protection_id: String::new(),
        status: "created".into(),
        locked: false,
        assembly_disabled: true,
    };
    disabled.protection_id = protection_id(rng, &disabled);
    out.push(locked);
    out.push(disabled);
    out
}

/// `t{account}:{project}:{assembly}:{policy}:{epoch ms}`, the shape of documented examples.
fn protection_id(rng: &mut Rng, p: &CloudRewindProtection) -> String {
    let policy = 100 + rng.below(900);
    let ms = crate::timefmt::unix_millis(past(rng, 30));
    format!(
        "t{}:{}:{}:{}:{}",
        p.account_id, p.project_id, p.cloud_assembly_id, policy, ms
    )
}

/// Fills in missing ids, times and derived fields; keeps everything that is set.
pub(crate) fn normalize(fx: &mut Fixture, rng: &mut Rng) {
    let domain = fx
        .spaceone
        .iter()
        .map(|j| j.domain_id.clone())
        .find(|d| !d.is_empty())
        .unwrap_or_else(|| format!("domain-{}", rng.hex(12)));
    for j in &mut fx.partner_central {
        normalize_pcs(j, rng);
    }
    for j in &mut fx.macie2 {
        normalize_macie(j, rng);
    }
    for e in &mut fx.ssm {
        if e.window_execution_id.is_empty() {
            e.window_execution_id = rng.uuid();
        }
        for t in &mut e.tasks {
            normalize_ssm_task(t, rng);
        }
    }
    for j in &mut fx.spaceone {
        normalize_spaceone(j, rng, &domain);
    }
    for p in &mut fx.cloud_rewind {
        if p.protection_id.is_empty() {
            p.protection_id = protection_id(rng, p);
        }
    }
}

pub(crate) fn normalize_pcs(j: &mut PartnerCentralJob, rng: &mut Rng) {
    if j.id.is_empty() {
        j.id = pcs_job_id(rng);
    }
    if j.engagement_id.is_empty() {
        j.engagement_id = engagement_id(rng);
    }
    if j.arn.is_empty() {
        j.arn = pcs_arn(&j.catalog, &j.engagement_id, &j.id);
    }
    if j.created_date.is_none() {
        j.created_date = Some(now());
    }
}

pub(crate) fn normalize_macie(j: &mut Macie2Job, rng: &mut Rng) {
    if j.job_id.is_empty() {
        j.job_id = rng.hex(32);
    }
    if j.name.is_empty() {
        j.name = format!("job-{}", j.job_id.chars().take(8).collect::<String>());
    }
    if j.created_at.is_none() {
        j.created_at = Some(now());
    }
    macie_paused_details(j, None);
}

/// Keeps `userPausedDetails` consistent with the status: filled for `USER_PAUSED`, removed
/// otherwise. `paused_at` is the pause time to use when details must be created.
pub(crate) fn macie_paused_details(j: &mut Macie2Job, paused_at: Option<OffsetDateTime>) {
    if j.job_status == "USER_PAUSED" {
        if j.user_paused_details.is_none() {
            let paused = paused_at
                .or(j.created_at.map(|c| c + Duration::hours(6)))
                .unwrap_or_else(now);
            j.user_paused_details = Some(UserPausedDetails {
                job_expires_at: Some(paused + Duration::days(30)),
                job_imminent_expiration_health_event_arn: Some(format!(
                    "arn:aws:health:us-east-1:{AWS_ACCOUNT}:event/MACIE/AWS_MACIE_CLASSIFICATION_JOB_EXPIRING/{}",
                    j.job_id
                )),
                job_paused_at: Some(paused),
            });
        }
    } else {
        j.user_paused_details = None;
    }
}

pub(crate) fn normalize_ssm_task(t: &mut SsmTask, rng: &mut Rng) {
    if t.task_execution_id.is_empty() {
        t.task_execution_id = rng.uuid();
    }
}

pub(crate) fn normalize_spaceone(j: &mut SpaceOneJob, rng: &mut Rng, domain: &str) {
    if j.job_id.is_empty() {
        j.job_id = format!("job-{}", rng.hex(12));
    }
    if j.domain_id.is_empty() {
        j.domain_id = domain.to_string();
    }
    if j.workspace_id.is_empty() && j.resource_group == "DOMAIN" {
        j.workspace_id = "*".into();
    }
    if j.created_at.is_none() {
        j.created_at = Some(now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_covers_statuses() {
        let a = generate(42, 25);
        let b = generate(42, 25);
        assert_eq!(a, b);
        assert_ne!(a, generate(43, 25));
        assert_eq!(a.partner_central.len(), 25);
        assert_eq!(a.macie2.len(), 25);
        assert_eq!(a.spaceone.len(), 25);
        assert_eq!(a.cloud_rewind.len(), 27);
        assert_eq!(a.ssm[0].tasks.len(), 25);
        for s in MACIE2_STATUSES {
            assert!(a.macie2.iter().any(|j| j.job_status == *s), "{s}");
        }
        for s in CLOUD_REWIND_STATUSES {
            assert!(a.cloud_rewind.iter().any(|j| j.status == *s), "{s}");
        }
        for j in &a.partner_central {
            assert!(j.id.len() == 17 && j.id.starts_with("job-"));
            assert!(j.engagement_id.len() == 18 && j.engagement_id.starts_with("eng-"));
        }
        assert!(
            a.macie2
                .iter()
                .all(|j| (j.job_status == "USER_PAUSED") == j.user_paused_details.is_some())
        );
    }
}
