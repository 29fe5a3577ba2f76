//! The admin API under `/_emulator` (no authentication; the emulator binds 127.0.0.1 by
//! default) and the state operations it shares with the library API.

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

use crate::Error;
use crate::faults::{Faults, InjectedError};
use crate::generate::{self, Rng};
use crate::http::json_response;
use crate::model::*;
use crate::progress::Progress;
use crate::state::{DataSource, Shared, lock};
use crate::timefmt::now;

/// A status change for one job (admin API body of `POST /_emulator/jobs/{service}/{id}/status`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct StatusChange {
    /// The new status; must be one of the service's documented values unless
    /// `allow_unknown` is set. May be absent for a Cloud Rewind lock change.
    #[serde(default)]
    pub status: Option<String>,
    /// Accept a status the service does not document (to test forward-compatible clients).
    #[serde(default)]
    pub allow_unknown: bool,
    /// Cloud Rewind only: lock or unlock the protection (a locked one answers 409).
    #[serde(default)]
    pub locked: Option<bool>,
    /// Cloud Rewind only: disable or enable the protection's cloud assembly (412 when disabled).
    #[serde(default)]
    pub assembly_disabled: Option<bool>,
}

impl Shared {
    /// Jobs of one service, in the fixture format.
    pub(crate) fn jobs(&self, service: Service) -> Value {
        let data = self.data_for(service);
        let v = match service {
            Service::PartnerCentral => serde_json::to_value(&data.partner_central),
            Service::Macie2 => serde_json::to_value(&data.macie2),
            Service::Ssm => serde_json::to_value(&data.ssm),
            Service::SpaceOne => serde_json::to_value(&data.spaceone),
            Service::CloudRewind => serde_json::to_value(&data.cloud_rewind),
        };
        v.unwrap_or(Value::Null)
    }

    /// Adds a job given in the fixture format; missing ids and times are generated. For SSM
    /// the body is a task plus an optional `WindowExecutionId` (a new execution when absent or
    /// unknown). Returns the stored job.
    pub(crate) fn add_job(&self, service: Service, body: Value) -> Result<Value, Error> {
        let bad = |e: serde_json::Error| Error::Invalid(format!("not a valid {service} job: {e}"));
        let mut data = self.write_data();
        let mut rng = lock(&self.rng);
        let out = match service {
            Service::PartnerCentral => {
                let mut j: PartnerCentralJob = serde_json::from_value(body).map_err(bad)?;
                generate::normalize_pcs(&mut j, &mut rng);
                data.partner_central.push(j.clone());
                serde_json::to_value(j)
            }
            Service::Macie2 => {
                let mut j: Macie2Job = serde_json::from_value(body).map_err(bad)?;
                generate::normalize_macie(&mut j, &mut rng);
                data.macie2.push(j.clone());
                serde_json::to_value(j)
            }
            Service::Ssm => {
                #[derive(Deserialize)]
                struct TaskAdd {
                    #[serde(rename = "WindowExecutionId", default)]
                    window_execution_id: Option<String>,
                    #[serde(flatten)]
                    task: SsmTask,
                }
                let add: TaskAdd = serde_json::from_value(body).map_err(bad)?;
                let mut task = add.task;
                generate::normalize_ssm_task(&mut task, &mut rng);
                let exec_id = add
                    .window_execution_id
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| rng.uuid());
                match data
                    .ssm
                    .iter_mut()
                    .find(|e| e.window_execution_id == exec_id)
                {
                    Some(e) => e.tasks.push(task.clone()),
                    None => data.ssm.push(SsmWindowExecution {
                        window_execution_id: exec_id.clone(),
                        tasks: vec![task.clone()],
                    }),
                }
                let mut v = serde_json::to_value(task).unwrap_or(Value::Null);
                if let Value::Object(m) = &mut v {
                    m.insert("WindowExecutionId".into(), Value::from(exec_id));
                }
                Ok(v)
            }
            Service::SpaceOne => {
                let mut j: SpaceOneJob = serde_json::from_value(body).map_err(bad)?;
                let domain = data
                    .spaceone
                    .first()
                    .map(|j| j.domain_id.clone())
                    .unwrap_or_else(|| format!("domain-{}", rng.hex(12)));
                generate::normalize_spaceone(&mut j, &mut rng, &domain);
                data.spaceone.push(j.clone());
                serde_json::to_value(j)
            }
            Service::CloudRewind => {
                let mut p: CloudRewindProtection = serde_json::from_value(body).map_err(bad)?;
                if p.protection_id.is_empty() {
                    p.protection_id = format!(
                        "t{}:{}:{}:{}:{}",
                        p.account_id,
                        p.project_id,
                        p.cloud_assembly_id,
                        100 + rng.below(900),
                        crate::timefmt::unix_millis(now())
                    );
                }
                data.cloud_rewind.push(p.clone());
                serde_json::to_value(p)
            }
        };
        drop(rng);
        // A new job's lifecycle (and clock) starts now.
        self.progress_sync(&data);
        out.map_err(|e| Error::Invalid(e.to_string()))
    }

    /// Changes a job's status, keeping the related fields consistent (times, pause details,
    /// error message). Returns the updated job.
    pub(crate) fn set_status(
        &self,
        service: Service,
        id: &str,
        change: &StatusChange,
    ) -> Result<Value, Error> {
        if let Some(s) = &change.status {
            if s.is_empty() || (!change.allow_unknown && !service.statuses().contains(&s.as_str()))
            {
                return Err(Error::Invalid(format!(
                    "status `{s}` is not one of {:?} (set allow_unknown to force it)",
                    service.statuses()
                )));
            }
        } else if service != Service::CloudRewind
            || (change.locked.is_none() && change.assembly_disabled.is_none())
        {
            return Err(Error::Invalid("missing `status`".into()));
        }
        let mut data = self.write_data();
        let out = apply_status(&mut data, service, id, change)?;
        // The job's lifecycle starts again from the new status.
        self.progress_sync(&data);
        Ok(out)
    }

    /// Rebuilds the data: from a new generator seed and size when given, else from the source
    /// the emulator started with. Fault settings and queued errors are cleared too.
    pub(crate) fn reset(&self, seed: Option<u64>, jobs_per_service: Option<usize>) {
        let mut source = lock(&self.source);
        if seed.is_some() || jobs_per_service.is_some() {
            let (old_seed, old_n) = match &*source {
                DataSource::Generated {
                    seed,
                    jobs_per_service,
                } => (*seed, *jobs_per_service),
                DataSource::Fixture(_) => (self.seed, crate::DEFAULT_JOBS_PER_SERVICE),
            };
            *source = DataSource::Generated {
                seed: seed.unwrap_or(old_seed),
                jobs_per_service: jobs_per_service.unwrap_or(old_n),
            };
        }
        let seed = match &*source {
            DataSource::Generated { seed, .. } => *seed,
            DataSource::Fixture(_) => self.seed,
        };
        let mut data = self.write_data();
        *data = source.build(self.seed);
        self.progress_reset(&data);
        drop(data);
        *lock(&self.rng) = Rng::new(seed ^ 0xADD);
        let mut f = lock(&self.faults);
        f.set(Faults::NONE);
        f.injected.clear();
    }
}

/// Sets a job's status in `data`, keeping the related fields consistent (times, pause
/// details, error message); the change is assumed valid. Returns the updated job.
pub(crate) fn apply_status(
    data: &mut Fixture,
    service: Service,
    id: &str,
    change: &StatusChange,
) -> Result<Value, Error> {
    let not_found = || Error::NotFound {
        service,
        id: id.to_string(),
    };
    let status = change.status.clone().unwrap_or_default();
    let t = now();
    let terminal = |s: &str| !matches!(s, "PENDING" | "IN_PROGRESS" | "CANCELLING");
    let out = match service {
        Service::PartnerCentral => {
            let j = data
                .partner_central
                .iter_mut()
                .find(|j| j.id == id)
                .ok_or_else(not_found)?;
            j.status = status;
            serde_json::to_value(&*j)
        }
        Service::Macie2 => {
            let j = data
                .macie2
                .iter_mut()
                .find(|j| j.job_id == id)
                .ok_or_else(not_found)?;
            j.job_status = status;
            j.user_paused_details = None;
            generate::macie_paused_details(j, Some(t));
            serde_json::to_value(&*j)
        }
        Service::Ssm => {
            let (exec_id, task) = data
                .ssm
                .iter_mut()
                .find_map(|e| {
                    let exec_id = e.window_execution_id.clone();
                    e.tasks
                        .iter_mut()
                        .find(|k| k.task_execution_id == id)
                        .map(|k| (exec_id, k))
                })
                .ok_or_else(not_found)?;
            task.status_details = Some(generate::ssm_status_details(&status).to_string());
            match status.as_str() {
                "PENDING" => {
                    task.start_time = None;
                    task.end_time = None;
                }
                s if terminal(s) => {
                    task.start_time.get_or_insert(t);
                    task.end_time = Some(t);
                }
                _ => {
                    task.start_time.get_or_insert(t);
                    task.end_time = None;
                }
            }
            task.status = status;
            let mut v = serde_json::to_value(&*task).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert("WindowExecutionId".into(), Value::from(exec_id));
            }
            Ok(v)
        }
        Service::SpaceOne => {
            let j = data
                .spaceone
                .iter_mut()
                .find(|j| j.job_id == id)
                .ok_or_else(not_found)?;
            j.updated_at = Some(t);
            if matches!(status.as_str(), "SUCCESS" | "FAILURE" | "CANCELED") {
                j.finished_at = Some(t);
            } else {
                j.finished_at = None;
            }
            if status == "FAILURE" {
                j.error_message
                    .get_or_insert_with(|| "Job failed (set by the emulator admin API)".into());
            } else {
                j.error_message = None;
            }
            j.status = status;
            serde_json::to_value(&*j)
        }
        Service::CloudRewind => {
            let p = data
                .cloud_rewind
                .iter_mut()
                .find(|p| p.protection_id == id)
                .ok_or_else(not_found)?;
            if change.status.is_some() {
                p.status = status;
            }
            if let Some(l) = change.locked {
                p.locked = l;
            }
            if let Some(d) = change.assembly_disabled {
                p.assembly_disabled = d;
            }
            serde_json::to_value(&*p)
        }
    };
    out.map_err(|e| Error::Invalid(e.to_string()))
}

fn admin_error(e: Error) -> Response<Body> {
    let status = match e {
        Error::NotFound { .. } | Error::UnknownService(_) => 404,
        _ => 400,
    };
    json_response(status, &json!({"error": e.to_string()}))
}

async fn json_body(req: Request) -> Result<Value, Error> {
    let body = crate::http::read_body(req.into_body())
        .await
        .map_err(|_| Error::Invalid("body too large or unreadable".into()))?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(&body)
        .map_err(|e| Error::Invalid(format!("body is not valid JSON: {e}")))
}

fn service(name: &str) -> Result<Service, Error> {
    name.parse()
}

async fn health() -> Response<Body> {
    json_response(200, &json!({"status": "ok"}))
}

async fn seeded(State(s): State<Arc<Shared>>) -> Response<Body> {
    json_response(
        200,
        &serde_json::to_value(s.data_all().seeded()).unwrap_or(Value::Null),
    )
}

async fn fixture(State(s): State<Arc<Shared>>) -> Response<Body> {
    json_response(
        200,
        &serde_json::to_value(&*s.data_all()).unwrap_or(Value::Null),
    )
}

async fn list_jobs(State(s): State<Arc<Shared>>, Path(name): Path<String>) -> Response<Body> {
    match service(&name) {
        Ok(svc) => json_response(200, &s.jobs(svc)),
        Err(e) => admin_error(e),
    }
}

async fn add_job(
    State(s): State<Arc<Shared>>,
    Path(name): Path<String>,
    req: Request,
) -> Response<Body> {
    let result = async {
        let svc = service(&name)?;
        let body = json_body(req).await?;
        s.add_job(svc, body)
    }
    .await;
    match result {
        Ok(v) => json_response(201, &v),
        Err(e) => admin_error(e),
    }
}

async fn set_status(
    State(s): State<Arc<Shared>>,
    Path((name, id)): Path<(String, String)>,
    req: Request,
) -> Response<Body> {
    let result = async {
        let svc = service(&name)?;
        let body = json_body(req).await?;
        let change: StatusChange =
            serde_json::from_value(body).map_err(|e| Error::Invalid(e.to_string()))?;
        s.set_status(svc, &id, &change)
    }
    .await;
    match result {
        Ok(v) => json_response(200, &v),
        Err(e) => admin_error(e),
    }
}

async fn reset(State(s): State<Arc<Shared>>, req: Request) -> Response<Body> {
    #[derive(Deserialize)]
    struct ResetBody {
        seed: Option<u64>,
        jobs_per_service: Option<usize>,
    }
    let result = async {
        let body = json_body(req).await?;
        let r: ResetBody =
            serde_json::from_value(body).map_err(|e| Error::Invalid(e.to_string()))?;
        s.reset(r.seed, r.jobs_per_service);
        Ok::<_, Error>(())
    }
    .await;
    match result {
        Ok(()) => json_response(
            200,
            &serde_json::to_value(s.read_data().seeded()).unwrap_or(Value::Null),
        ),
        Err(e) => admin_error(e),
    }
}

async fn get_faults(State(s): State<Arc<Shared>>) -> Response<Body> {
    json_response(
        200,
        &serde_json::to_value(lock(&s.faults).faults).unwrap_or(Value::Null),
    )
}

async fn put_faults(State(s): State<Arc<Shared>>, req: Request) -> Response<Body> {
    let result = async {
        let body = json_body(req).await?;
        serde_json::from_value::<Faults>(body).map_err(|e| Error::Invalid(e.to_string()))
    }
    .await;
    match result {
        Ok(f) => {
            let mut state = lock(&s.faults);
            state.set(f);
            json_response(
                200,
                &serde_json::to_value(state.faults).unwrap_or(Value::Null),
            )
        }
        Err(e) => admin_error(e),
    }
}

async fn list_errors(State(s): State<Arc<Shared>>) -> Response<Body> {
    json_response(
        200,
        &serde_json::to_value(&lock(&s.faults).injected).unwrap_or(Value::Null),
    )
}

async fn inject_error(State(s): State<Arc<Shared>>, req: Request) -> Response<Body> {
    let result = async {
        let body = json_body(req).await?;
        let e: InjectedError =
            serde_json::from_value(body).map_err(|e| Error::Invalid(e.to_string()))?;
        if !(100..=599).contains(&e.status) {
            return Err(Error::Invalid(format!(
                "status {} is not an HTTP status",
                e.status
            )));
        }
        Ok(e)
    }
    .await;
    match result {
        Ok(e) if e.count > 0 => {
            lock(&s.faults).injected.push(e.clone());
            json_response(201, &serde_json::to_value(e).unwrap_or(Value::Null))
        }
        Ok(e) => json_response(200, &serde_json::to_value(e).unwrap_or(Value::Null)),
        Err(e) => admin_error(e),
    }
}

async fn clear_errors(State(s): State<Arc<Shared>>) -> Response<Body> {
    lock(&s.faults).injected.clear();
    json_response(200, &json!([]))
}

async fn get_progress(State(s): State<Arc<Shared>>) -> Response<Body> {
    json_response(
        200,
        &serde_json::to_value(s.progress_report()).unwrap_or(Value::Null),
    )
}

async fn put_progress(State(s): State<Arc<Shared>>, req: Request) -> Response<Body> {
    let result = async {
        let body = json_body(req).await?;
        match body {
            // The command-line form, `"ssm=reads:2,spaceone=secs:1"`.
            Value::String(spec) => spec.parse::<Progress>(),
            other => serde_json::from_value::<Progress>(other)
                .map_err(|e| Error::Invalid(format!("progress rules: {e}"))),
        }
    }
    .await;
    match result {
        Ok(rules) => {
            s.set_rules(rules);
            json_response(
                200,
                &serde_json::to_value(s.progress_report()).unwrap_or(Value::Null),
            )
        }
        Err(e) => admin_error(e),
    }
}

async fn force_final(
    State(s): State<Arc<Shared>>,
    Path((name, id)): Path<(String, String)>,
    req: Request,
) -> Response<Body> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct FinalBody {
        final_status: String,
    }
    let result = async {
        let svc = service(&name)?;
        let body = json_body(req).await?;
        let b: FinalBody =
            serde_json::from_value(body).map_err(|e| Error::Invalid(e.to_string()))?;
        s.force_final(svc, &id, &b.final_status)
    }
    .await;
    match result {
        Ok(plan) => json_response(200, &serde_json::to_value(plan).unwrap_or(Value::Null)),
        Err(e) => admin_error(e),
    }
}

/// The admin routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_emulator/health", get(health))
        .route("/_emulator/seeded", get(seeded))
        .route("/_emulator/fixture", get(fixture))
        .route("/_emulator/jobs/{service}", get(list_jobs).post(add_job))
        .route("/_emulator/jobs/{service}/{id}/status", post(set_status))
        .route("/_emulator/reset", post(reset))
        .route(
            "/_emulator/progress",
            get(get_progress).put(put_progress).post(put_progress),
        )
        .route(
            "/_emulator/progress/{service}/{id}",
            axum::routing::put(force_final).post(force_final),
        )
        .route(
            "/_emulator/faults",
            get(get_faults).put(put_faults).post(put_faults),
        )
        .route(
            "/_emulator/errors",
            get(list_errors).post(inject_error).delete(clear_errors),
        )
}
