//! The command line, as clap parses it.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// List, get and watch jobs of five cloud job APIs, run their local emulator, or see all of it
/// at once with `cloudjobs demo`.
#[derive(Debug, Parser)]
#[command(name = "cloudjobs", version)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub global: GlobalOpts,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command; they may be given before or after the subcommand.
#[derive(Debug, Clone, Args)]
pub struct GlobalOpts {
    /// Send requests to this URL instead of the service's default endpoint (e.g. the one
    /// `cloudjobs emulator` prints).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's region).
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,

    /// AWS profile of the shared config and credentials files (default: AWS_PROFILE or
    /// `default`).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// Bearer token for SpaceONE and Cloud Rewind (default: CLOUDJOBS_SPACEONE_TOKEN or
    /// CLOUDJOBS_CLOUD_REWIND_TOKEN).
    #[arg(long, global = true, value_name = "TOKEN")]
    pub token: Option<String>,

    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,

    /// Fetch only the first page instead of following every page.
    #[arg(long, global = true)]
    pub no_paginate: bool,

    /// Stop after this many items (per service in `demo`).
    #[arg(long, global = true, value_name = "N")]
    pub max_items: Option<usize>,

    /// Resuming listings (kept apart from the options above).
    #[command(flatten)]
    pub resume: ResumeOpts,
}

// ----------------------------------------------------------------------------------------
// Resumable listings.

/// Where a `list` command starts.
#[derive(Debug, Clone, Default, Args)]
pub struct ResumeOpts {
    /// `list` commands: start at the page a failed or cut-short listing named (it prints
    /// `--starting-token <TOKEN>` on stderr): a continuation token, or SpaceONE's item offset.
    #[arg(long, global = true, value_name = "TOKEN")]
    pub starting_token: Option<String>,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns.
    Table,
    /// JSON: a list of unified jobs, or a `get`'s raw response.
    Json,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the emulator in-process with seeded data and list jobs from all five services
    /// through the real clients (SigV4-signed, bearer-authenticated, paginated).
    Demo(DemoArgs),
    /// Run the emulator of all five APIs in the foreground until Ctrl-C.
    Emulator(EmulatorArgs),
    /// AWS Partner Central Selling resource snapshot jobs.
    #[command(subcommand)]
    PartnerCentral(PartnerCentralCommand),
    /// Amazon Macie classification jobs.
    #[command(subcommand)]
    Macie2(Macie2Command),
    /// AWS Systems Manager maintenance window task executions.
    #[command(subcommand)]
    SsmMw(SsmMwCommand),
    /// SpaceONE identity jobs.
    #[command(subcommand)]
    SpaceoneIdentity(SpaceoneCommand),
    /// Cloud Rewind AWS protection status.
    #[command(subcommand)]
    CloudRewind(CloudRewindCommand),
}

/// `cloudjobs demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Seed of the generated data.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Jobs generated per service.
    #[arg(long, value_name = "N", default_value_t = 12)]
    pub jobs: usize,
    /// Page size of every list call (SSM's minimum is 10), small so several pages are fetched.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub page_size: u32,
}

/// `cloudjobs emulator`.
#[derive(Debug, Clone, Args)]
pub struct EmulatorArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", conflicts_with = "port")]
    pub bind: Option<SocketAddr>,
    /// Port to listen on, on 127.0.0.1 (0 picks a free one).
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
    /// Seed of the generated data (and of fault injection).
    #[arg(long, value_name = "N", default_value_t = 42)]
    pub seed: u64,
    /// Jobs generated per service.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Load the data from this JSON fixture instead of generating it.
    #[arg(long, value_name = "FILE")]
    pub fixture: Option<PathBuf>,
}

impl EmulatorArgs {
    /// The address to bind: `--bind`, else 127.0.0.1 with `--port` (default 0).
    pub fn addr(&self) -> SocketAddr {
        self.bind
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], self.port.unwrap_or(0))))
    }
}

/// `cloudjobs partner-central ...`.
#[derive(Debug, Subcommand)]
pub enum PartnerCentralCommand {
    /// ListResourceSnapshotJobs.
    List(PartnerCentralList),
}

/// `cloudjobs partner-central list`.
#[derive(Debug, Clone, Args)]
pub struct PartnerCentralList {
    /// Catalog: `AWS` (live data) or `Sandbox`.
    #[arg(long, default_value = "AWS")]
    pub catalog: String,
    /// Only jobs in this status: `Running` or `Stopped`.
    #[arg(long)]
    pub status: Option<String>,
    /// Only jobs of this engagement (`eng-` and 14 characters).
    #[arg(long, value_name = "ID")]
    pub engagement_identifier: Option<String>,
    /// Order by creation date: `ASCENDING` or `DESCENDING` (the service's default).
    #[arg(long, value_name = "ORDER")]
    pub sort_order: Option<String>,
    /// Items per request (MaxResults, 1..=1000).
    #[arg(long, value_name = "N")]
    pub page_size: Option<u32>,
}

/// `cloudjobs macie2 ...`.
#[derive(Debug, Subcommand)]
pub enum Macie2Command {
    /// ListClassificationJobs.
    List(Macie2List),
}

/// `cloudjobs macie2 list`.
#[derive(Debug, Clone, Args)]
pub struct Macie2List {
    /// Only jobs in these statuses (RUNNING, PAUSED, CANCELLED, COMPLETE, IDLE, USER_PAUSED);
    /// repeat or separate with commas.
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<String>,
    /// Only jobs of this type: ONE_TIME or SCHEDULED.
    #[arg(long, value_name = "TYPE")]
    pub job_type: Option<String>,
    /// Only jobs whose name starts with this.
    #[arg(long, value_name = "PREFIX")]
    pub name_prefix: Option<String>,
    /// Sort by `createdAt`, `jobStatus`, `name` or `jobType`.
    #[arg(long, value_name = "ATTRIBUTE")]
    pub sort_by: Option<String>,
    /// Sort direction: `ASC` or `DESC`.
    #[arg(long, value_name = "ORDER")]
    pub order: Option<String>,
    /// Items per request (maxResults).
    #[arg(long, value_name = "N")]
    pub page_size: Option<u32>,
}

/// `cloudjobs ssm-mw ...`.
#[derive(Debug, Subcommand)]
pub enum SsmMwCommand {
    /// DescribeMaintenanceWindowExecutionTasks.
    List(SsmMwList),
}

/// `cloudjobs ssm-mw list`.
#[derive(Debug, Clone, Args)]
pub struct SsmMwList {
    /// The maintenance window execution (a UUID).
    #[arg(long, value_name = "ID")]
    pub window_execution_id: String,
    /// Only tasks in these statuses (a STATUS filter); repeat or separate with commas.
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<String>,
    /// Items per request (MaxResults, 10..=100).
    #[arg(long, value_name = "N")]
    pub page_size: Option<u32>,
}

/// `cloudjobs spaceone-identity ...`.
#[derive(Debug, Subcommand)]
pub enum SpaceoneCommand {
    /// List jobs (`/identity/v2/job/list`).
    List(SpaceoneList),
    /// Get one job (`/identity/v2/job/get`); `--output json` prints the raw record.
    Get(SpaceoneJobId),
    /// Delete one job (`/identity/v2/job/delete`).
    Delete(SpaceoneJobId),
    /// Poll one job until it is settled, printing each state change.
    Watch(SpaceoneWatch),
}

/// `cloudjobs spaceone-identity list`.
#[derive(Debug, Clone, Args)]
pub struct SpaceoneList {
    /// Only jobs in this status: PENDING, IN_PROGRESS, SUCCESS, FAILURE or CANCELED.
    #[arg(long)]
    pub status: Option<String>,
    /// Only jobs of this workspace (`*` for domain jobs).
    #[arg(long, value_name = "ID")]
    pub workspace_id: Option<String>,
    /// Only jobs of this trusted account.
    #[arg(long, value_name = "ID")]
    pub trusted_account_id: Option<String>,
    /// Only jobs of this plugin.
    #[arg(long, value_name = "ID")]
    pub plugin_id: Option<String>,
    /// Free-text search on job id and status.
    #[arg(long)]
    pub keyword: Option<String>,
    /// Items per request (query.page.limit).
    #[arg(long, value_name = "N")]
    pub page_size: Option<u32>,
}

/// A SpaceONE job id.
#[derive(Debug, Clone, Args)]
pub struct SpaceoneJobId {
    /// The job (`job-...`).
    #[arg(long, value_name = "ID")]
    pub job_id: String,
}

/// `cloudjobs spaceone-identity watch`.
#[derive(Debug, Clone, Args)]
pub struct SpaceoneWatch {
    /// The job to watch.
    #[command(flatten)]
    pub job: SpaceoneJobId,
    /// How often to poll.
    #[command(flatten)]
    pub watch: WatchOpts,
}

/// `cloudjobs cloud-rewind ...`.
#[derive(Debug, Subcommand)]
pub enum CloudRewindCommand {
    /// Get the status of one AWS protection; `--output json` prints the raw response.
    Get(ProtectionArgs),
    /// Poll one protection until it is settled, printing each state change.
    Watch(CloudRewindWatch),
}

/// The coordinates of a Cloud Rewind protection.
#[derive(Debug, Clone, Args)]
pub struct ProtectionArgs {
    /// Cloud Rewind account id.
    #[arg(long, value_name = "N")]
    pub account_id: i64,
    /// Project id.
    #[arg(long, value_name = "ID")]
    pub project_id: String,
    /// AWS cloud assembly id.
    #[arg(long, value_name = "N")]
    pub cloud_assembly_id: i64,
    /// Protection id.
    #[arg(long, value_name = "ID")]
    pub protection_id: String,
}

/// `cloudjobs cloud-rewind watch`.
#[derive(Debug, Clone, Args)]
pub struct CloudRewindWatch {
    /// The protection to watch.
    #[command(flatten)]
    pub protection: ProtectionArgs,
    /// How often to poll.
    #[command(flatten)]
    pub watch: WatchOpts,
}

/// Polling options of `watch`.
#[derive(Debug, Clone, Args)]
pub struct WatchOpts {
    /// Seconds between polls.
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0)]
    pub interval: f64,
    /// Give up after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 1800.0)]
    pub timeout: f64,
}
