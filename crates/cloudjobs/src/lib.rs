//! One Rust SDK for job APIs on several clouds.
//!
//! Each service is a separate, generated client crate; this crate re-exports the ones you
//! enable with cargo features, and adds what works across them: a unified [`Job`] view with a
//! normalized [`JobState`], [`jobs`] (one stream of jobs from every enabled service at once,
//! and watching or waiting for one job on any of them), and waiters with jittered backoff
//! ([`wait_for_outcome`] tells a job that succeeded from one that failed;
//! [`wait_until_settled`] returns the settled job whatever its state).
//!
//! # Features
//!
#![doc = include_str!("services.md")]
//!
//! With no feature, only the shared [`runtime`] and the job view are built.
//!
//! ```toml
//! [dependencies]
//! cloudjobs = { version = "0.1", features = ["ssm-mw", "spaceone-identity"] }
//! ```
//!
//! # Example
//!
//! ```no_run
//! # #[cfg(feature = "ssm-mw")]
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use cloudjobs::{Job, JobState};
//!
//! let client = cloudjobs::ssm_mw::Client::from_env().await?;
//! let output = client
//!     .describe_maintenance_window_execution_tasks()
//!     .window_execution_id("12345678-1234-1234-1234-123456789012")
//!     .send()
//!     .await?;
//! for task in output.window_execution_task_identities.unwrap_or_default() {
//!     let job = Job::from(task);
//!     if job.state == JobState::Failed {
//!         println!("{} failed: {:?}", job.id, job.detail);
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Examples
//!
//! The crate's `examples/` start the cloudjobs emulator in-process (or take `--endpoint-url`):
//!
//! - `all_jobs`: every job of the five services through [`jobs::JobClient::list`], counted by
//!   state.
//!   `cargo run -p cloudjobs --features full --example all_jobs`
//! - `wait_for_job`: [`wait_for_outcome`] on a SpaceONE job that finishes while it polls.
//!   `cargo run -p cloudjobs --features spaceone-identity --example wait_for_job`
//!
//! Each service crate has examples of its own operations too.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod job;
pub mod jobs;
mod waiter;

pub use job::{Job, JobState, STATUS_TABLE, Service};
pub use waiter::{
    Outcome, WaitError, WaiterConfig, wait_for_outcome, wait_until_settled, watch_with,
};

/// The shared runtime: configuration, errors, pagination, timestamps.
pub use cloudjobs_runtime as runtime;
pub use cloudjobs_runtime::{Config, DateTime, Error, ProvideErrorMetadata, Validation};

// The service crates, one module per feature: generated from specs/manifest.toml by
// `cargo xtask codegen`.
include!("services.rs");
