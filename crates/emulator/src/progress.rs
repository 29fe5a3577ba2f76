//! State progression: jobs that move through their service's lifecycle on their own, after a
//! number of reads or after some time, per service (the idea of moto's state manager).
//!
//! # Lifecycles
//!
//! Each service has a few paths from a job's first state to a final one; a job still on a path
//! moves one step at a time along the path its seed picked, and stops at the path's end:
//!
#![doc = include_str!("doc/progress.md")]
//!
//! Jobs in a state no path leaves (finished ones, paused Macie2 jobs, unknown values) stay as
//! they are. Which path a job takes is decided when the emulator first sees it in its current
//! state, from the seed, the service, the job id and that state (so the same seed gives the
//! same outcomes every run), and can be forced with [`Emulator::set_final_status`].
//! [`Emulator::progress_report`] (`GET /_emulator/progress`) lists every job that will still
//! move, with its path and final status.
//!
//! # Rules
//!
//! Nothing moves until a service has a [`Progression`]: [`Progress`] maps services to rules,
//! set with [`Emulator::set_progress`], `PUT /_emulator/progress`, or
//! `cloudjobs emulator --progress ssm=reads:2,spaceone=secs:1`. A read is a response that
//! carries the job: a list page that includes it, a SpaceONE `get`, a Cloud Rewind status.
//! The state a read shows is the one before the read is counted, so with `reads:2` every state
//! is seen twice. Time-based steps are applied lazily when the service's data is next looked
//! at, against tokio's clock (so a paused test clock drives them). Changing a job with the
//! admin API, or changing the rules, restarts its count and clock; a reset keeps the rules.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;
use std::sync::RwLockReadGuard;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::time::Instant;

use crate::Error;
use crate::admin::{StatusChange, apply_status};
use crate::generate::mix;
use crate::model::{Fixture, Service};
use crate::server::Emulator;
use crate::state::{DataWrite, Shared, lock};

/// How the jobs of one service move on their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progression {
    /// One step after every N reads of the job (N ≥ 1).
    Reads(u32),
    /// One step each time this much time has passed.
    Every(Duration),
    /// Straight to the final state the first time the service is looked at.
    Immediate,
}

impl fmt::Display for Progression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Progression::Reads(n) => write!(f, "reads:{n}"),
            Progression::Every(d) if d.subsec_nanos() == 0 => write!(f, "secs:{}", d.as_secs()),
            Progression::Every(d) => write!(f, "ms:{}", d.as_millis()),
            Progression::Immediate => f.write_str("immediate"),
        }
    }
}

impl FromStr for Progression {
    type Err = Error;

    /// `reads:N`, `secs:X` (decimal allowed), `ms:N` or `immediate`.
    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = |why: &str| {
            Error::Invalid(format!(
                "progression `{s}`: {why} (expected reads:N, secs:X, ms:N, immediate or off)"
            ))
        };
        let s = s.trim();
        if s == "immediate" {
            return Ok(Progression::Immediate);
        }
        let (kind, n) = s.split_once(':').ok_or_else(|| bad("no `:`"))?;
        match kind.trim() {
            "reads" => match n.trim().parse::<u32>() {
                Ok(0) => Err(bad("reads must be at least 1")),
                Ok(n) => Ok(Progression::Reads(n)),
                Err(_) => Err(bad("reads takes a whole number")),
            },
            "secs" | "s" => n
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(|x| Duration::try_from_secs_f64(x).ok())
                .map(Progression::Every)
                .ok_or_else(|| bad("secs takes a non-negative number")),
            "ms" => n
                .trim()
                .parse::<u64>()
                .map(|ms| Progression::Every(Duration::from_millis(ms)))
                .map_err(|_| bad("ms takes a whole number")),
            _ => Err(bad("unknown kind")),
        }
    }
}

/// The JSON form: `{"reads": 2}`, `{"secs": 1.5}`, `{"ms": 500}` or `"immediate"`.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum ProgressionJson {
    Word(String),
    Reads { reads: u32 },
    Secs { secs: f64 },
    Ms { ms: u64 },
}

impl Serialize for Progression {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Progression::Reads(reads) => ProgressionJson::Reads { reads },
            Progression::Every(d) => ProgressionJson::Ms {
                ms: u64::try_from(d.as_millis()).unwrap_or(u64::MAX),
            },
            Progression::Immediate => ProgressionJson::Word("immediate".into()),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Progression {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = match ProgressionJson::deserialize(d)? {
            ProgressionJson::Word(w) => w,
            ProgressionJson::Reads { reads } => format!("reads:{reads}"),
            ProgressionJson::Secs { secs } => format!("secs:{secs}"),
            ProgressionJson::Ms { ms } => format!("ms:{ms}"),
        };
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Progression rules per service; services without a rule do not move.
///
/// ```
/// use cloudjobs_emulator::{Progress, Progression, Service};
/// let p: Progress = "ssm-mw=reads:2,spaceone=secs:1.5".parse()?;
/// assert_eq!(p.get(Service::Ssm), Some(Progression::Reads(2)));
/// assert_eq!(p.get(Service::Macie2), None);
/// let all: Progress = "all=immediate,macie2=off".parse()?;
/// assert_eq!(all.get(Service::CloudRewind), Some(Progression::Immediate));
/// assert_eq!(all.get(Service::Macie2), None);
/// # Ok::<(), cloudjobs_emulator::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Progress {
    rules: BTreeMap<Service, Progression>,
}

/// The JSON form: an object from service names (any spelling [`Service`] parses, or `all`,
/// applied first) to a rule or `"off"`.
impl<'de> Deserialize<'de> for Progress {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, Value>::deserialize(d)?;
        let mut out = Progress::none();
        let mut entries: Vec<(String, Value)> = map.into_iter().collect();
        entries.sort_by_key(|(k, _)| k != "all");
        for (name, rule) in entries {
            let services: Vec<Service> = if name == "all" {
                Service::ALL.to_vec()
            } else {
                vec![name.parse().map_err(serde::de::Error::custom)?]
            };
            let rule = if rule == "off" {
                None
            } else {
                Some(
                    serde_json::from_value::<Progression>(rule)
                        .map_err(|e| serde::de::Error::custom(format!("{name}: {e}")))?,
                )
            };
            for svc in services {
                match rule {
                    Some(r) => out.rules.insert(svc, r),
                    None => out.rules.remove(&svc),
                };
            }
        }
        Ok(out)
    }
}

impl Progress {
    /// No service moves.
    pub fn none() -> Progress {
        Progress::default()
    }

    /// Every service moves by `rule`.
    pub fn all(rule: Progression) -> Progress {
        Progress {
            rules: Service::ALL.iter().map(|s| (*s, rule)).collect(),
        }
    }

    /// This service moves by `rule`.
    pub fn with(mut self, service: Service, rule: Progression) -> Progress {
        self.rules.insert(service, rule);
        self
    }

    /// The rule of a service.
    pub fn get(&self, service: Service) -> Option<Progression> {
        self.rules.get(&service).copied()
    }

    /// True when no service moves.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

impl FromStr for Progress {
    type Err = Error;

    /// `SERVICE=RULE,...`: SERVICE a service name (`ssm`, `ssm-mw`, `spaceone`, ...) or `all`;
    /// RULE as [`Progression`] parses it, or `off`. Later entries win.
    fn from_str(s: &str) -> Result<Self, Error> {
        let mut out = Progress::none();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, rule) = part.split_once('=').ok_or_else(|| {
                Error::Invalid(format!("progress `{part}`: expected SERVICE=RULE"))
            })?;
            let services: Vec<Service> = if name.trim() == "all" {
                Service::ALL.to_vec()
            } else {
                vec![name.trim().parse()?]
            };
            let rule = match rule.trim() {
                "off" => None,
                r => Some(r.parse::<Progression>()?),
            };
            for svc in services {
                match rule {
                    Some(r) => out.rules.insert(svc, r),
                    None => out.rules.remove(&svc),
                };
            }
        }
        Ok(out)
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.rules.iter().map(|(s, r)| format!("{s}={r}")).collect();
        f.write_str(&parts.join(","))
    }
}

// ----------------------------------------------------------------------------------------
// Lifecycles

type Path = &'static [&'static str];

const PCS: &[(Path, u64)] = &[(&["Running", "Stopped"], 1)];
const MACIE_ONE_TIME: &[(Path, u64)] = &[
    (&["RUNNING", "COMPLETE"], 3),
    (&["RUNNING", "CANCELLED"], 1),
];
const MACIE_SCHEDULED: &[(Path, u64)] =
    &[(&["RUNNING", "IDLE"], 3), (&["RUNNING", "CANCELLED"], 1)];
const SSM: &[(Path, u64)] = &[
    (&["PENDING", "IN_PROGRESS", "SUCCESS"], 5),
    (&["PENDING", "IN_PROGRESS", "FAILED"], 2),
    (&["PENDING", "IN_PROGRESS", "TIMED_OUT"], 1),
    (&["PENDING", "IN_PROGRESS", "CANCELLING", "CANCELLED"], 2),
    (&["PENDING", "SKIPPED_OVERLAPPING"], 1),
];
const SPACEONE: &[(Path, u64)] = &[
    (&["PENDING", "IN_PROGRESS", "SUCCESS"], 5),
    (&["PENDING", "IN_PROGRESS", "FAILURE"], 3),
    (&["PENDING", "IN_PROGRESS", "CANCELED"], 2),
];
const CR_PREFIX: [&str; 4] = [
    "created",
    "preparing",
    "preparation-completed",
    "in-progress",
];
const CLOUD_REWIND: &[(Path, u64)] = &[
    (
        &[
            CR_PREFIX[0],
            CR_PREFIX[1],
            CR_PREFIX[2],
            CR_PREFIX[3],
            "success",
        ],
        5,
    ),
    (
        &[
            CR_PREFIX[0],
            CR_PREFIX[1],
            CR_PREFIX[2],
            CR_PREFIX[3],
            "failed",
        ],
        2,
    ),
    (
        &[
            CR_PREFIX[0],
            CR_PREFIX[1],
            CR_PREFIX[2],
            CR_PREFIX[3],
            "partially-protected",
        ],
        1,
    ),
    (&["created", "skipped"], 1),
];

/// The paths of a service (`scheduled`: a Macie2 `SCHEDULED` job).
fn paths(service: Service, scheduled: bool) -> &'static [(Path, u64)] {
    match service {
        Service::PartnerCentral => PCS,
        Service::Macie2 if scheduled => MACIE_SCHEDULED,
        Service::Macie2 => MACIE_ONE_TIME,
        Service::Ssm => SSM,
        Service::SpaceOne => SPACEONE,
        Service::CloudRewind => CLOUD_REWIND,
    }
}

/// Position of `status` on `path`, if a step leaves it there.
fn position(path: Path, status: &str) -> Option<usize> {
    path.iter()
        .position(|s| *s == status)
        .filter(|i| i + 1 < path.len())
}

/// FNV-1a, for mixing strings into the seed.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The path a job at `status` takes: weighted by the seed, service, id and status.
fn choose(seed: u64, service: Service, id: &str, status: &str, scheduled: bool) -> Option<Path> {
    let candidates: Vec<(Path, u64)> = paths(service, scheduled)
        .iter()
        .copied()
        .filter(|(p, _)| position(p, status).is_some())
        .collect();
    let total: u64 = candidates.iter().map(|(_, w)| w).sum();
    if total == 0 {
        return None;
    }
    let mut roll = mix(seed ^ mix(fnv(service.as_str()) ^ mix(fnv(id) ^ fnv(status)))) % total;
    for (path, w) in candidates {
        if roll < w {
            return Some(path);
        }
        roll -= w;
    }
    None
}

/// One job as progression sees it.
struct JobView {
    id: String,
    status: String,
    scheduled: bool,
}

fn jobs_of(data: &Fixture, service: Service) -> Vec<JobView> {
    let view = |id: &str, status: &str, scheduled: bool| JobView {
        id: id.to_owned(),
        status: status.to_owned(),
        scheduled,
    };
    match service {
        Service::PartnerCentral => data
            .partner_central
            .iter()
            .map(|j| view(&j.id, &j.status, false))
            .collect(),
        Service::Macie2 => data
            .macie2
            .iter()
            .map(|j| view(&j.job_id, &j.job_status, j.job_type == "SCHEDULED"))
            .collect(),
        Service::Ssm => data
            .ssm
            .iter()
            .flat_map(|e| e.tasks.iter())
            .map(|t| view(&t.task_execution_id, &t.status, false))
            .collect(),
        Service::SpaceOne => data
            .spaceone
            .iter()
            .map(|j| view(&j.job_id, &j.status, false))
            .collect(),
        Service::CloudRewind => data
            .cloud_rewind
            .iter()
            .map(|p| view(&p.protection_id, &p.status, false))
            .collect(),
    }
}

// ----------------------------------------------------------------------------------------
// State

/// Where one job is on its path.
#[derive(Debug, Clone)]
struct Tracker {
    /// The status the tracker last saw or set; another one means the job was changed.
    status: String,
    path: Path,
    /// Reads counted in the current status.
    reads: u32,
    /// When the job entered its current status (or the rules last changed).
    since: Instant,
}

/// The progression rules and where every job is.
#[derive(Debug, Default)]
pub(crate) struct ProgressState {
    rules: Progress,
    jobs: HashMap<(Service, String), Tracker>,
    /// Forced final statuses, kept until the job is changed by hand or the data reset.
    forced: HashMap<(Service, String), Path>,
}

impl ProgressState {
    /// Brings the trackers of `service` in line with the data: new jobs and jobs changed by
    /// hand get a (new) path; jobs gone are forgotten.
    fn sync(&mut self, seed: u64, data: &Fixture, service: Service, now: Instant) {
        let jobs = jobs_of(data, service);
        self.jobs
            .retain(|(s, id), _| *s != service || jobs.iter().any(|j| &j.id == id));
        for job in jobs {
            let key = (service, job.id.clone());
            if self.jobs.get(&key).is_some_and(|t| t.status == job.status) {
                continue;
            }
            self.forced
                .retain(|k, p| *k != key || position(p, &job.status).is_some());
            let path = self
                .forced
                .get(&key)
                .copied()
                .or_else(|| choose(seed, service, &job.id, &job.status, job.scheduled));
            match path {
                Some(path) => {
                    self.jobs.insert(
                        key,
                        Tracker {
                            status: job.status,
                            path,
                            reads: 0,
                            since: now,
                        },
                    );
                }
                None => {
                    self.jobs.remove(&key);
                }
            }
        }
    }

    /// The steps due by time for `service`, as (id, new status).
    fn due(&mut self, service: Service, now: Instant) -> Vec<(String, &'static str)> {
        let step = match self.rules.get(service) {
            Some(Progression::Every(d)) => Some(d),
            Some(Progression::Immediate) => Some(Duration::ZERO),
            _ => None,
        };
        let Some(step) = step else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for ((svc, id), t) in self.jobs.iter_mut() {
            if *svc != service {
                continue;
            }
            while let Some(i) = position(t.path, &t.status) {
                let elapsed = now.saturating_duration_since(t.since);
                if elapsed < step {
                    break;
                }
                let next = t.path[i + 1];
                t.status = next.to_owned();
                t.since += step;
                t.reads = 0;
                out.push((id.clone(), next));
            }
        }
        out
    }
}

/// Sets the statuses stepped to; a job that cannot be changed is forgotten by the tracker.
fn apply_steps(data: &mut Fixture, service: Service, steps: Vec<(String, &'static str)>) {
    // Only the last step of each job matters for the data, but the fields that follow a
    // status (start and end times) are set at each one, as they would be.
    for (id, status) in steps {
        let change = StatusChange {
            status: Some(status.to_owned()),
            ..Default::default()
        };
        if let Err(e) = apply_status(data, service, &id, &change) {
            tracing::debug!(%service, %id, error = %e, "progression step not applied");
        }
    }
}

impl Shared {
    /// Whether `service` has time-based rules (steps may be due whenever it is looked at).
    fn moves_by_time(&self, service: Service) -> bool {
        matches!(
            lock(&self.progress).rules.get(service),
            Some(Progression::Every(_) | Progression::Immediate)
        )
    }

    /// Read access to the data after applying the time-based steps of `service` that are due.
    pub(crate) fn data_for(&self, service: Service) -> RwLockReadGuard<'_, Fixture> {
        if self.moves_by_time(service) {
            let mut data = self.write_data();
            self.tick(&mut data, service);
        }
        self.read_data()
    }

    /// Read access to the data after applying every service's due steps.
    pub(crate) fn data_all(&self) -> RwLockReadGuard<'_, Fixture> {
        if Service::ALL.iter().any(|s| self.moves_by_time(*s)) {
            let mut data = self.write_data();
            for service in Service::ALL {
                self.tick(&mut data, service);
            }
        }
        self.read_data()
    }

    fn tick(&self, data: &mut DataWrite<'_>, service: Service) {
        let steps = {
            let mut p = lock(&self.progress);
            if p.rules.get(service).is_none() {
                return;
            }
            let now = Instant::now();
            p.sync(self.seed, data, service, now);
            p.due(service, now)
        };
        if !steps.is_empty() {
            apply_steps(data, service, steps);
        }
    }

    /// Re-reads every job after a change by hand (admin API): changed jobs start over.
    pub(crate) fn progress_sync(&self, data: &Fixture) {
        let now = Instant::now();
        let mut p = lock(&self.progress);
        for service in Service::ALL {
            p.sync(self.seed, data, service, now);
        }
    }

    /// Forgets every job (after a reset); the rules stay.
    pub(crate) fn progress_reset(&self, data: &Fixture) {
        {
            let mut p = lock(&self.progress);
            p.jobs.clear();
            p.forced.clear();
        }
        self.progress_sync(data);
    }

    /// Counts one read of each job of `service` that `response` carries (a list page, a
    /// SpaceONE job); the jobs whose count is reached move one step.
    pub(crate) fn count_reads(&self, service: Service, response: &Value) {
        // Most emulators run without rules: no work per response then.
        if !matches!(
            lock(&self.progress).rules.get(service),
            Some(Progression::Reads(_))
        ) {
            return;
        }
        let ids = carried_ids(service, response);
        self.count_read_ids(service, ids.iter().map(String::as_str));
    }

    /// Counts one read of each of these jobs.
    pub(crate) fn count_read_ids<'a>(
        &self,
        service: Service,
        ids: impl IntoIterator<Item = &'a str>,
    ) {
        let mut data = self.write_data();
        let steps = {
            let mut p = lock(&self.progress);
            let Some(Progression::Reads(n)) = p.rules.get(service) else {
                return;
            };
            let now = Instant::now();
            p.sync(self.seed, &data, service, now);
            let mut steps = Vec::new();
            for id in ids {
                let Some(t) = p.jobs.get_mut(&(service, id.to_owned())) else {
                    continue;
                };
                let Some(i) = position(t.path, &t.status) else {
                    continue;
                };
                t.reads += 1;
                if t.reads >= n {
                    let next = t.path[i + 1];
                    t.status = next.to_owned();
                    t.reads = 0;
                    t.since = now;
                    steps.push((id.to_owned(), next));
                }
            }
            steps
        };
        if !steps.is_empty() {
            apply_steps(&mut data, service, steps);
        }
    }

    pub(crate) fn set_rules(&self, rules: Progress) {
        let mut data = self.write_data();
        let now = Instant::now();
        {
            let mut p = lock(&self.progress);
            p.rules = rules;
            for t in p.jobs.values_mut() {
                t.reads = 0;
                t.since = now;
            }
        }
        self.progress_sync(&data);
        // `immediate` services jump now.
        for service in Service::ALL {
            self.tick(&mut data, service);
        }
    }

    pub(crate) fn progress_report(&self) -> ProgressReport {
        let mut data = self.write_data();
        for service in Service::ALL {
            self.tick(&mut data, service);
        }
        self.progress_sync(&data);
        let p = lock(&self.progress);
        let mut jobs: Vec<JobPlan> = p
            .jobs
            .iter()
            .filter_map(|((service, id), t)| {
                let i = position(t.path, &t.status)?;
                Some(JobPlan {
                    service: *service,
                    id: id.clone(),
                    status: t.status.clone(),
                    next: t.path[i + 1..].iter().map(|s| s.to_string()).collect(),
                    final_status: t.path[t.path.len() - 1].to_owned(),
                    reads: t.reads,
                })
            })
            .collect();
        jobs.sort_by(|a, b| (a.service, &a.id).cmp(&(b.service, &b.id)));
        ProgressReport {
            rules: p.rules.clone(),
            jobs,
        }
    }

    pub(crate) fn force_final(
        &self,
        service: Service,
        id: &str,
        final_status: &str,
    ) -> Result<JobPlan, Error> {
        let mut data = self.write_data();
        self.tick(&mut data, service);
        let job = jobs_of(&data, service)
            .into_iter()
            .find(|j| j.id == id)
            .ok_or_else(|| Error::NotFound {
                service,
                id: id.to_owned(),
            })?;
        let reachable: Vec<Path> = paths(service, job.scheduled)
            .iter()
            .map(|(p, _)| *p)
            .filter(|p| position(p, &job.status).is_some())
            .collect();
        let path = reachable
            .iter()
            .copied()
            .find(|p| p.last() == Some(&final_status))
            .ok_or_else(|| {
                let finals: Vec<&str> =
                    reachable.iter().filter_map(|p| p.last().copied()).collect();
                Error::Invalid(format!(
                    "{service} job `{id}` is `{}`: it can end in {} but not `{final_status}`",
                    job.status,
                    if finals.is_empty() {
                        "nothing else (it does not move)".to_owned()
                    } else {
                        finals.join(", ")
                    }
                ))
            })?;
        let now = Instant::now();
        let mut p = lock(&self.progress);
        let key = (service, id.to_owned());
        p.forced.insert(key.clone(), path);
        let reads = p.jobs.get(&key).map(|t| t.reads).unwrap_or(0);
        let since = p.jobs.get(&key).map(|t| t.since).unwrap_or(now);
        p.jobs.insert(
            key,
            Tracker {
                status: job.status.clone(),
                path,
                reads,
                since,
            },
        );
        let i = position(path, &job.status).unwrap_or(0);
        Ok(JobPlan {
            service,
            id: id.to_owned(),
            status: job.status,
            next: path[i + 1..].iter().map(|s| s.to_string()).collect(),
            final_status: final_status.to_owned(),
            reads,
        })
    }
}

/// The ids of the jobs a successful response carries.
fn carried_ids(service: Service, response: &Value) -> Vec<String> {
    let list = |items: &str, id: &str| -> Vec<String> {
        response
            .get(items)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|j| j.get(id).and_then(Value::as_str).map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    match service {
        Service::PartnerCentral => list("ResourceSnapshotJobSummaries", "Id"),
        Service::Macie2 => list("items", "jobId"),
        Service::Ssm => list("WindowExecutionTaskIdentities", "TaskExecutionId"),
        Service::SpaceOne => match response.get("job_id").and_then(Value::as_str) {
            Some(id) => vec![id.to_owned()],
            None => list("results", "job_id"),
        },
        Service::CloudRewind => Vec::new(),
    }
}

// ----------------------------------------------------------------------------------------
// Public API

/// Where one job that still moves is headed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobPlan {
    /// The service.
    pub service: Service,
    /// The job id (SSM: the task execution id; Cloud Rewind: the protection id).
    pub id: String,
    /// The current status.
    pub status: String,
    /// The statuses still ahead, the last one final.
    pub next: Vec<String>,
    /// The status the job ends in.
    pub final_status: String,
    /// Reads counted in the current status (for `reads:N` rules).
    pub reads: u32,
}

/// The rules and every job not at the end of its path (`GET /_emulator/progress`); a job of a
/// service without a rule is listed with the path it will take once the service has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressReport {
    /// The rules in force.
    pub rules: Progress,
    /// Jobs not at the end of their path, by service and id.
    pub jobs: Vec<JobPlan>,
}

impl ProgressReport {
    /// The plan of one job, if it still moves.
    pub fn job(&self, service: Service, id: &str) -> Option<&JobPlan> {
        self.jobs
            .iter()
            .find(|j| j.service == service && j.id == id)
    }
}

impl Emulator {
    /// Replaces the progression rules; every job's count and clock start again.
    pub fn set_progress(&self, progress: Progress) {
        self.shared.set_rules(progress);
    }

    /// The rules, and every job not at the end of its path, with the path and final status
    /// (time-based steps due now are applied first).
    pub fn progress_report(&self) -> ProgressReport {
        self.shared.progress_report()
    }

    /// Makes a job end in `final_status` (for example to test a failure), if one of its
    /// service's paths leads there from the job's current status. Returns its plan.
    pub fn set_final_status(
        &self,
        service: Service,
        id: &str,
        final_status: &str,
    ) -> Result<JobPlan, Error> {
        self.shared.force_final(service, id, final_status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_and_print() {
        let p: Progress = "ssm=reads:2, spaceone-identity=secs:0.25,cloud-rewind=ms:40"
            .parse()
            .expect("valid");
        assert_eq!(p.get(Service::Ssm), Some(Progression::Reads(2)));
        assert_eq!(
            p.get(Service::SpaceOne),
            Some(Progression::Every(Duration::from_millis(250)))
        );
        assert_eq!(
            p.to_string(),
            "ssm=reads:2,spaceone=ms:250,cloud-rewind=ms:40"
        );
        assert_eq!(p.to_string().parse::<Progress>().expect("round trip"), p);
        for bad in [
            "ssm",
            "ssm=reads:0",
            "ssm=reads:x",
            "nope=reads:1",
            "ssm=secs:-1",
            "ssm=later:1",
        ] {
            let err = bad.parse::<Progress>().expect_err(bad).to_string();
            assert!(!err.is_empty());
        }
        let json = serde_json::to_value(&p).expect("json");
        assert_eq!(json["ssm"], serde_json::json!({"reads": 2}));
        let back: Progress = serde_json::from_value(serde_json::json!({
            "ssm": {"reads": 2}, "spaceone": {"secs": 0.25}, "cloud-rewind": {"ms": 40}
        }))
        .expect("json form");
        assert_eq!(back, p);
        assert!(
            serde_json::from_value::<Progress>(serde_json::json!({"ssm": {"reads": 0}})).is_err()
        );
        let aliases: Progress = serde_json::from_value(serde_json::json!({
            "all": "immediate", "ssm-mw": {"reads": 1}, "spaceone-identity": "off"
        }))
        .expect("aliases and all");
        assert_eq!(aliases.get(Service::Ssm), Some(Progression::Reads(1)));
        assert_eq!(aliases.get(Service::SpaceOne), None);
        assert_eq!(aliases.get(Service::Macie2), Some(Progression::Immediate));
    }

    #[test]
    fn every_lifecycle_state_is_a_documented_status() {
        for service in Service::ALL {
            for scheduled in [false, true] {
                for (path, w) in paths(service, scheduled) {
                    assert!(*w > 0);
                    for s in *path {
                        assert!(service.statuses().contains(s), "{service}: {s}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_chosen_path_depends_on_the_seed_and_covers_every_outcome() {
        let mut finals = std::collections::BTreeSet::new();
        for i in 0..200 {
            let id = format!("job-{i}");
            let a = choose(7, Service::Ssm, &id, "PENDING", false).expect("PENDING moves");
            assert_eq!(Some(a), choose(7, Service::Ssm, &id, "PENDING", false));
            finals.insert(*a.last().expect("non-empty"));
        }
        assert_eq!(
            finals.into_iter().collect::<Vec<_>>(),
            [
                "CANCELLED",
                "FAILED",
                "SKIPPED_OVERLAPPING",
                "SUCCESS",
                "TIMED_OUT"
            ]
        );
        assert_eq!(choose(7, Service::Ssm, "x", "SUCCESS", false), None);
        assert_eq!(
            choose(7, Service::Ssm, "x", "CANCELLING", false),
            Some(SSM[3].0)
        );
    }
}
