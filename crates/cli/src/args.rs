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

    /// Stop after this many items (per service in `demo` and `jobs`).
    #[arg(long, global = true, value_name = "N")]
    pub max_items: Option<usize>,

    // ---- The configuration file (crate::config) ----
    /// Read settings from this TOML file instead of the platform's default location (see
    /// `cloudjobs config path`).
    #[arg(long, global = true, value_name = "PATH", env = "CLOUDJOBS_CONFIG")]
    pub config: Option<PathBuf>,

    /// Use this profile of the configuration file (default: the file's `default_profile`, else
    /// `default`).
    #[arg(long, global = true, value_name = "NAME", env = "CLOUDJOBS_PROFILE")]
    pub config_profile: Option<String>,
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
    /// JSON: a list of unified jobs, or a `get`'s raw response (`watch`: one object per line).
    Json,
    /// YAML: the same values as JSON (`watch`: one document per change).
    Yaml,
    /// CSV with a header row: one row per job.
    Csv,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the emulator in-process with seeded data and list jobs from all five services
    /// through the real clients (SigV4-signed, bearer-authenticated, paginated).
    Demo(DemoArgs),
    /// Run the emulator of all five APIs in the foreground until Ctrl-C.
    Emulator(EmulatorArgs),
    // ---- jobs across services and watch (cross-service commands) ----
    /// List jobs across the configured services as one list sorted by creation time.
    Jobs(JobsArgs),
    /// Poll jobs of any service until they settle; the exit code tells how they ended.
    #[command(after_help = WATCH_EXIT_CODES)]
    Watch(WatchArgs),
    // ---- end of cross-service commands ----
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
    /// Every configured service's jobs, grouped by state, updating in place (plain snapshots
    /// when stdout is not a terminal).
    ///
    /// Keys of the live view: q, Esc or Ctrl-C quit; arrows (or j/k), PgUp, PgDn, Home, End
    /// move; Enter opens the selected job's details (Enter or Esc closes them); s/S cycle the
    /// service filter, f/F the state filter; c clears both; r refreshes now. Plain output
    /// exits 1 when the last snapshot has an error line.
    Top(TopArgs),

    // ---- Configuration file and shell integration (crate::config, crate::shell) ----
    /// The configuration file: where it is, what it resolves to, or a commented template.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a completion script for a shell on stdout.
    ///
    /// bash: `cloudjobs completions bash > ~/.local/share/bash-completion/completions/cloudjobs`;
    /// zsh: `cloudjobs completions zsh > "${fpath[1]}/_cloudjobs"`;
    /// fish: `cloudjobs completions fish > ~/.config/fish/completions/cloudjobs.fish`.
    Completions(CompletionsArgs),
    /// Print the man page (roff) on stdout: `cloudjobs man > cloudjobs.1; man -l cloudjobs.1`;
    /// or, with `--dir`, write one page per command there.
    Man(ManArgs),
}

/// `cloudjobs man`.
#[derive(Debug, Clone, Args)]
pub struct ManArgs {
    /// Write `cloudjobs.1` and a page for every subcommand (`cloudjobs-ssm-mw-list.1`, ...)
    /// into this directory (created if missing) instead of printing the top-level page.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `cloudjobs config ...`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the path of the configuration file in use (`--config`, CLOUDJOBS_CONFIG, or the
    /// platform's default).
    Path,
    /// Print the settings each service gets and where each comes from (flag, environment or
    /// file); tokens are never printed.
    Show,
    /// Write a commented template to the configuration path; an existing file is kept.
    Init,
}

/// `cloudjobs completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
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
    /// Let the jobs move: each read moves a job one step of its service's lifecycle, and the
    /// demo lists every service round after round (one line of states per round) until every
    /// job has reached its final status, then prints that last round.
    #[arg(long)]
    pub live: bool,
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

    // ---- State progression (cloudjobs_emulator::Progress) ----
    /// Move jobs through their lifecycle on their own: `SERVICE=RULE,...` where RULE is
    /// `reads:N` (one step after every N reads of the job), `secs:X` or `ms:N` (one step every
    /// X seconds / N milliseconds) or `off`, and SERVICE a service name or `all`. Example:
    /// `--progress ssm-mw=reads:2,spaceone-identity=secs:1`. The final state of every job is
    /// fixed by the seed: GET /_emulator/progress lists it.
    #[arg(long, value_name = "SPEC")]
    pub progress: Option<String>,
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
    /// Poll one job until it is settled, printing each state change (as `cloudjobs watch
    /// spaceone-identity ID`, with the same exit codes).
    #[command(after_help = WATCH_EXIT_CODES)]
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
    /// Poll one protection until it is settled, printing each state change (as `cloudjobs
    /// watch cloud-rewind ID`, with the same exit codes).
    #[command(after_help = WATCH_EXIT_CODES)]
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
    /// Shortest delay between polls, in seconds; the delay grows with jitter up to
    /// `--max-interval`.
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0)]
    pub interval: f64,
    /// Longest delay between polls, in seconds (never below `--interval`).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub max_interval: f64,
    /// Give up after this many seconds (exit code 6, with the last state).
    #[arg(long, value_name = "SECONDS", default_value_t = 1800.0)]
    pub timeout: f64,
}

// ---- jobs across services and watch ----

/// The exit codes of `watch`, shown in its `--help`.
pub const WATCH_EXIT_CODES: &str = "\
Exit codes:
  0  every job succeeded
  1  could not ask: the service answered with an error, could not be reached, or the job
     was not found
  2  usage error (bad arguments or configuration)
  3  a job failed
  4  a job was cancelled
  5  a job is paused or stopped (settled, but may resume)
  6  timed out: a job was still pending or running at --timeout (its last state is printed)
With several jobs, the code is the first that applies in the order 2, 1, 3, 4, 6, 5, 0.";

/// `cloudjobs jobs`.
#[derive(Debug, Clone, Args)]
pub struct JobsArgs {
    /// Only these services (repeat or separate with commas): partner-central, macie2, ssm-mw,
    /// spaceone-identity, cloud-rewind; default: every configured one.
    #[arg(long = "service", value_name = "SERVICE", value_delimiter = ',')]
    pub services: Vec<cloudjobs::Service>,
    /// Only jobs in these states: pending, running, paused, succeeded, failed, cancelled,
    /// unknown.
    #[arg(long = "state", value_name = "STATE", value_delimiter = ',')]
    pub states: Vec<cloudjobs::JobState>,
    /// Partner Central catalogs to list (default `AWS`).
    #[arg(long = "catalog", value_name = "CATALOG", value_delimiter = ',')]
    pub catalogs: Vec<String>,
    /// SSM maintenance window executions whose tasks are listed (SSM is skipped without one).
    #[arg(long = "window-execution-id", value_name = "ID", value_delimiter = ',')]
    pub window_execution_ids: Vec<String>,
    /// Cloud Rewind protections to read, as `ACCOUNT/PROJECT/ASSEMBLY/PROTECTION` (Cloud
    /// Rewind is skipped without one).
    #[arg(long = "protection", value_name = "ACCOUNT/PROJECT/ASSEMBLY/PROTECTION", value_parser = parse_protection)]
    pub protections: Vec<cloudjobs::jobs::ProtectionRef>,
    /// Items per request of every list call (SSM takes at least 10).
    #[arg(long, value_name = "N")]
    pub page_size: Option<u32>,
}

/// Parses `ACCOUNT/PROJECT/ASSEMBLY/PROTECTION` (the project id may contain `/`).
pub fn parse_protection(text: &str) -> Result<cloudjobs::jobs::ProtectionRef, String> {
    let bad = || format!("`{text}` is not ACCOUNT/PROJECT/ASSEMBLY/PROTECTION");
    let (account, rest) = text.split_once('/').ok_or_else(bad)?;
    let (rest, protection) = rest.rsplit_once('/').ok_or_else(bad)?;
    let (project, assembly) = rest.rsplit_once('/').ok_or_else(bad)?;
    if project.is_empty() || protection.is_empty() {
        return Err(bad());
    }
    Ok(cloudjobs::jobs::ProtectionRef {
        account_id: account
            .parse()
            .map_err(|_| format!("account id `{account}` is not a number"))?,
        project_id: project.to_owned(),
        cloud_assembly_id: assembly
            .parse()
            .map_err(|_| format!("cloud assembly id `{assembly}` is not a number"))?,
        protection_id: protection.to_owned(),
    })
}

/// `cloudjobs watch`.
#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    /// The service the jobs are on: partner-central, macie2, ssm-mw, spaceone-identity or
    /// cloud-rewind.
    #[arg(value_name = "SERVICE")]
    pub service: cloudjobs::Service,
    /// The jobs: job ids, SSM task execution ids, or Cloud Rewind protection ids.
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<String>,
    /// Where the jobs are, for the services that need it.
    #[command(flatten)]
    pub at: JobLocation,
    /// How often to poll.
    #[command(flatten)]
    pub watch: WatchOpts,
}

/// Where a job is, for the services whose ids are not enough on their own.
#[derive(Debug, Clone, Default, Args)]
pub struct JobLocation {
    /// Partner Central: the catalog of the jobs.
    #[arg(long, value_name = "CATALOG", default_value = "AWS")]
    pub catalog: String,
    /// SSM: the window execution of the tasks.
    #[arg(long, value_name = "ID")]
    pub window_execution_id: Option<String>,
    /// Cloud Rewind: the account of the protections.
    #[arg(long, value_name = "N")]
    pub account_id: Option<i64>,
    /// Cloud Rewind: the project of the protections.
    #[arg(long, value_name = "ID")]
    pub project_id: Option<String>,
    /// Cloud Rewind: the AWS cloud assembly of the protections.
    #[arg(long, value_name = "N")]
    pub cloud_assembly_id: Option<i64>,
}

// ---- end of jobs across services and watch ----

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protections_parse_with_slashes_in_the_project() {
        let p = parse_protection("12/team/web/34/t12:team:34:1:2").unwrap();
        assert_eq!(
            (p.account_id, p.project_id.as_str(), p.cloud_assembly_id),
            (12, "team/web", 34)
        );
        assert_eq!(p.protection_id, "t12:team:34:1:2");
        assert!(
            parse_protection("12/p/34")
                .unwrap_err()
                .contains("ACCOUNT/PROJECT")
        );
        assert!(
            parse_protection("x/p/34/id")
                .unwrap_err()
                .contains("account id `x`")
        );
        assert!(
            parse_protection("1/p/y/id")
                .unwrap_err()
                .contains("assembly id `y`")
        );
    }
}
// ----------------------------------------------------------------------------------------
// `cloudjobs top`.

/// `cloudjobs top` (its keys are in the `Top` command's help).
#[derive(Debug, Clone, Args)]
pub struct TopArgs {
    /// Seconds between refreshes (default 2). When stdout is not a terminal: print a snapshot
    /// every SECONDS (until --count) instead of just one.
    #[arg(long, value_name = "SECONDS", value_parser = parse_interval)]
    pub interval: Option<std::time::Duration>,
    /// Take this many snapshots, then stop refreshing (the live view stays until `q`) or exit
    /// (plain output).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Only these services (default: all five); repeat or separate with commas.
    #[arg(long = "service", value_name = "SERVICE", value_delimiter = ',')]
    pub services: Vec<cloudjobs::Service>,
    /// Partner Central catalogs to list; repeat or separate with commas.
    #[arg(
        long = "catalog",
        value_name = "CATALOG",
        value_delimiter = ',',
        default_value = "AWS"
    )]
    pub catalogs: Vec<String>,
    /// SSM maintenance window executions whose tasks are listed (SSM is left out without
    /// one); repeat or separate with commas.
    #[arg(long = "window-execution-id", value_name = "ID", value_delimiter = ',')]
    pub window_execution_ids: Vec<String>,
    /// A Cloud Rewind protection to show, as ACCOUNT/PROJECT/ASSEMBLY/PROTECTION (Cloud
    /// Rewind is left out without one); repeat for more.
    #[arg(long = "protection", value_name = "A/P/C/ID", value_parser = parse_protection)]
    pub protections: Vec<cloudjobs::jobs::ProtectionRef>,
    /// Print plain snapshots even on a terminal.
    #[arg(long)]
    pub plain: bool,
}

fn parse_interval(value: &str) -> Result<std::time::Duration, String> {
    value
        .parse::<f64>()
        .ok()
        .and_then(|s| std::time::Duration::try_from_secs_f64(s).ok())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("expected a positive number of seconds, got `{value}`"))
}
