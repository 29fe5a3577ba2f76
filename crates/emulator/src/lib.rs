//! A local emulator of the five job-status APIs the `cloudjobs` SDK talks to, on one port:
//!
//! | API | route |
//! |---|---|
//! | AWS Partner Central Selling `ListResourceSnapshotJobs` | `POST /`, `X-Amz-Target: AWSPartnerCentralSelling.ListResourceSnapshotJobs` |
//! | AWS SSM `DescribeMaintenanceWindowExecutionTasks` | `POST /`, `X-Amz-Target: AmazonSSM.DescribeMaintenanceWindowExecutionTasks` |
//! | Amazon Macie2 `ListClassificationJobs` | `POST /jobs/list` |
//! | SpaceONE identity v2 Job | `POST /identity/v2/job/{delete,get,list,stat}` and `POST /identity/job/{...}` |
//! | AWS STS `AssumeRole` (for aws-config's role profiles) | `POST /`, form body `Action=AssumeRole&RoleArn=..&RoleSessionName=..`, signed with the configured keys or temporary ones |
//! | IAM Identity Center portal `GetRoleCredentials` (for SSO profiles) | `GET /federation/credentials?role_name=..&account_id=..`, header `x-amz-sso_bearer_token: <bearer token>` |
//! | Cloud Rewind Get AWS Protection Status | `GET [/api/v1]/accounts/{accountId}/projects/{projectId}/aws/cloud-assemblies/{cloudAssemblyId}/protections/status?protection_id=...` |
//! | admin API (no auth) | `/_emulator/...`, see below |
//!
//! It is an independent implementation of the wire formats (plain `serde_json` values and its
//! own small models), so clients tested against it are checked against the documented
//! behaviour, not against themselves. Filters, sorting, paging, validation errors in each
//! service's own shape and status, SigV4 and bearer-token checks and fault injection are real.
//! boto3 and the official AWS SDKs work against it (point their endpoint URL at
//! [`RunningEmulator::url`]).
//!
//! # Example
//!
//! ```
//! use cloudjobs_emulator::{Emulator, Faults};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emu = Emulator::builder()
//!     .seed(42)
//!     .jobs_per_service(25)
//!     .aws_credentials("AKIDEXAMPLE", "secret")
//!     .bearer_token("token")
//!     .faults(Faults::NONE)
//!     .bind("127.0.0.1:0".parse()?)
//!     .start()
//!     .await?;
//! assert!(emu.url().starts_with("http://127.0.0.1:"));
//! let seeded = emu.seeded();
//! assert_eq!(seeded.ssm.window_execution_ids.len(), 4);
//! assert_eq!(seeded.macie2.job_ids.len(), 25);
//! emu.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! # Authentication
//!
//! - AWS: SigV4 (`AWS4-HMAC-SHA256` Authorization header) with the configured key pair
//!   (default [`DEFAULT_ACCESS_KEY`] / [`DEFAULT_SECRET_KEY`]), any region, and the routed
//!   service's signing name (`partnercentral-selling`, `ssm`, `macie2`). Failures are 403
//!   with `MissingAuthenticationTokenException`, `IncompleteSignatureException`,
//!   `UnrecognizedClientException` (unknown key) or `InvalidSignatureException` (wrong
//!   signature, wrong service in the scope). `X-Amz-Security-Token` is accepted (and must be
//!   signed like any `x-amz-*` header the client signs). An `X-Amz-Date` more than 15 minutes
//!   from the server clock is refused (`InvalidSignatureException`, "Signature expired").
//! - SpaceONE and Cloud Rewind: `Authorization: Bearer <token>` (default
//!   [`DEFAULT_BEARER_TOKEN`]); anything else is 401 in the service's error body. The
//!   "forbidden" token ([`DEFAULT_FORBIDDEN_TOKEN`]) authenticates but gets 403.
//!
//! # Data
//!
//! Generated deterministically from the seed ([`EmulatorBuilder::jobs_per_service`] jobs per
//! service, with every status represented), or loaded from a JSON [`Fixture`]. The generator
//! makes: Partner Central jobs in the `AWS` and `Sandbox` catalogs over a few engagements;
//! Macie2 jobs of both types and all six statuses; four SSM window executions with N, N/2, 1
//! and 0 tasks; SpaceONE jobs over one domain, three workspaces (and `*`), four trusted
//! accounts and three plugins; Cloud Rewind protections over three (account, project,
//! assembly) triples cycling through the ten statuses, plus a locked one (409) and one in a
//! disabled assembly (412). [`RunningEmulator::seeded`] lists the ids, and
//! [`Emulator::fixture`] returns everything, for computing expected results.
//!
//! # Admin API
//!
//! | route | effect |
//! |---|---|
//! | `GET /_emulator/health` | `{"status":"ok"}` |
//! | `GET /_emulator/seeded` | the [`Seeded`] ids |
//! | `GET /_emulator/fixture` | the whole data set as a [`Fixture`] |
//! | `GET /_emulator/jobs/{service}` | one service's jobs (service: `partner-central`, `macie2`, `ssm`, `spaceone`, `cloud-rewind`) |
//! | `POST /_emulator/jobs/{service}` | add a job, body in the fixture format (missing ids and times generated; SSM: a task plus optional `WindowExecutionId`); 201 with the stored job |
//! | `POST /_emulator/jobs/{service}/{id}/status` | body [`StatusChange`] `{"status": "..."}` (plus `allow_unknown`, and for Cloud Rewind `locked`, `assembly_disabled`); related fields follow (SpaceONE `finished_at`, Macie2 `userPausedDetails`, SSM `EndTime`) |
//! | `POST /_emulator/reset` | rebuild the data (optional body `{"seed": 7, "jobs_per_service": 10}`), clear faults |
//! | `GET`/`PUT /_emulator/faults` | read or replace the [`Faults`] (`latency_ms` in JSON) |
//! | `GET /_emulator/progress` | the [`ProgressReport`]: progression rules, and every job not at the end of its lifecycle with its path and final status |
//! | `PUT /_emulator/progress` | replace the [`Progress`] rules: `{"ssm": {"reads": 2}, "spaceone": {"secs": 1.5}, "macie2": "immediate"}` or the command-line form `"ssm=reads:2,spaceone=secs:1.5"`; answers the report |
//! | `PUT /_emulator/progress/{service}/{id}` | body `{"final_status": "FAILED"}`: the job ends there (400 naming the reachable ones if no path leads there); answers its [`JobPlan`] |
//! | `GET`/`POST`/`DELETE /_emulator/errors` | list, queue or clear [`InjectedError`]s: `{"service": "macie2", "status": 402, "count": 1}` makes the next request to Macie2 fail with `ServiceQuotaExceededException`; `code` and `message` may be given |
//!
//! Admin errors are `{"error": "..."}` with 400 or 404.
//!
//! # State progression
//!
//! Jobs can move through their service's lifecycle on their own, after N reads or after some
//! time, per service, to a final status the seed decides (success, failure or cancellation
//! where the service has them): see [`Progress`], [`Progression`], [`Emulator::set_progress`]
//! and [`Emulator::progress_report`]. A read is a response that carries the job (a list page
//! that includes it, a SpaceONE `get`, a Cloud Rewind status); the state a read shows is the one
//! before it is counted, so with `reads:2` every state is seen twice. Time-based steps follow
//! tokio's clock (a paused test clock drives them). Changing a job by hand, or the rules,
//! restarts its count and clock; a reset keeps the rules. A job's path is picked, by weight,
//! from the seed, service, id and current status, or forced with
//! [`Emulator::set_final_status`]; jobs in a state no path leaves (finished, paused, unknown)
//! stay. The paths (weights):
//!
#![doc = include_str!("doc/progress.md")]
//!
//! # Faults
//!
//! See [`Faults`]: throttling answers Partner Central and Macie2 `ThrottlingException` 429,
//! SSM `ThrottlingException` **400** (as awsJson SSM sends it), SpaceONE 429
//! `ERROR_TOO_MANY_REQUESTS`, Cloud Rewind 429 `TOO_MANY_REQUESTS`; server errors are
//! `InternalServerException` 500 (Partner Central, Macie2), `InternalServerError` 500 (SSM),
//! 503 `ERROR_GRPC_CONNECTION` (SpaceONE), 500 `INTERNAL_SERVER_ERROR` (Cloud Rewind); a
//! dropped request's connection is closed with no answer. Faults are decided after
//! authentication, so auth errors stay deterministic.
//!
//! # Input limits
//!
//! Bodies over [`BODY_LIMIT`] (1 MiB) get the service's validation error: status 413 with
//! `ValidationException` (AWS) or `ERROR_INVALID_PARAMETER` (SpaceONE); Cloud Rewind answers
//! 412 `PRECONDITION_FAILED` naming `body` in `fieldErrors`. Malformed JSON, an empty body,
//! wrong JSON types, missing or out-of-range members get the service's validation error too
//! (SpaceONE: 500 `ERROR_UNKNOWN` for what its protobuf parser rejects, as the real gateway).
//! Per-service semantics are described in [`services`].

#![warn(missing_docs)]

mod admin;
mod aws;
mod cloud_rewind;
mod faults;
mod generate;
mod http;
mod model;
mod progress;
mod server;
mod sigv4;
mod spaceone;
mod sso;
mod state;
mod sts;
mod timefmt;

pub use admin::StatusChange;
pub use faults::{Faults, InjectedError};
pub use http::{BODY_LIMIT, ConnHandle, EmuListener, KillableStream};
pub use model::*;
pub use progress::{JobPlan, Progress, ProgressReport, Progression};
pub use server::{
    DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN, DEFAULT_FORBIDDEN_TOKEN, DEFAULT_JOBS_PER_SERVICE,
    DEFAULT_SECRET_KEY, DEFAULT_SEED, Emulator, EmulatorBuilder, RunningEmulator,
};

/// Errors of the library API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Binding or serving failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// A fixture could not be read or parsed.
    #[error("invalid fixture: {0}")]
    Fixture(String),
    /// A service name was not recognised.
    #[error(
        "unknown service `{0}` (expected partner-central, macie2, ssm, spaceone or cloud-rewind)"
    )]
    UnknownService(String),
    /// No job with this id.
    #[error("no {service} job with id `{id}`")]
    NotFound {
        /// The service searched.
        service: Service,
        /// The id looked for.
        id: String,
    },
    /// A request to change the state was invalid.
    #[error("invalid request: {0}")]
    Invalid(String),
}

/// Per-service semantics, as implemented (documentation only).
pub mod services {
    #[doc = include_str!("doc/partner_central.md")]
    pub mod partner_central {}
    #[doc = include_str!("doc/macie2.md")]
    pub mod macie2 {}
    #[doc = include_str!("doc/ssm.md")]
    pub mod ssm {}
    #[doc = include_str!("doc/spaceone.md")]
    pub mod spaceone {}
    #[doc = include_str!("doc/cloud_rewind.md")]
    pub mod cloud_rewind {}
}
