//! The `cloudjobs` command-line tool.
//!
//! ```text
//! cloudjobs demo                                   # emulator + the five clients, one table
//! cloudjobs emulator --port 4566                   # the emulator, until Ctrl-C
//! cloudjobs jobs [--service S,...] [--state failed,...] [--catalog C] [--window-execution-id ID] [--protection A/P/C/ID]
//! cloudjobs watch SERVICE ID... [--catalog C | --window-execution-id ID | --account-id N --project-id P --cloud-assembly-id N]
//! cloudjobs partner-central list --catalog AWS [--status Running|Stopped] [--engagement-identifier ID] [--sort-order ASCENDING|DESCENDING]
//! cloudjobs macie2 list [--status S,...] [--job-type T] [--name-prefix P] [--sort-by createdAt|jobStatus|name|jobType] [--order ASC|DESC]
//! cloudjobs ssm-mw list --window-execution-id ID [--status S,...]
//! cloudjobs spaceone-identity list|get|delete|watch ...
//! cloudjobs cloud-rewind get|watch --account-id N --project-id P --cloud-assembly-id N --protection-id ID
//! cloudjobs top [--interval S] [--count N] [--service S,...] [--window-execution-id ID] [--protection A/P/C/ID]
//! ```
//!
//! Global options: `--endpoint-url`, `--region`, `--profile`, `--token`,
//! `--output table|json|yaml|csv`, `--no-paginate`, `--max-items N`. Credentials, region and tokens
//! otherwise come from the environment and the shared AWS files, as
//! [`cloudjobs_runtime::Config::from_env`] reads them.
//!
//! Exit codes: 0 on success, 1 when the service answered with an error (printed as
//! `error: <code>: <message> (HTTP <status>)`) or could not be reached, 2 for usage errors
//! (bad arguments, or input the client refused before sending, naming the field and the rule).
//! `watch` adds 3 (a job failed), 4 (cancelled), 5 (paused) and 6 (timed out); see
//! [`args::WATCH_EXIT_CODES`].
//!
//! The library half exists so the binary stays a thin `main`; its API is not meant for other
//! programs and may change.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod args;
pub mod config;
pub mod demo;
pub mod error;
pub mod fetch;
pub mod jobs;
pub mod output;
pub mod serve;
pub mod service;
pub mod services;
pub mod shell;
pub mod top;
pub mod watch;

use std::process::ExitCode;

use clap::Parser;

pub use args::Cli;
pub use error::CliError;

use args::Command;

/// Runs one parsed command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let global = &cli.global;
    match &cli.command {
        Command::Demo(args) => demo::run(global, args).await,
        Command::Emulator(args) => serve::run(args).await,
        Command::Jobs(args) => jobs::run(global, args).await,
        Command::Watch(args) => watch::command(global, args).await,
        Command::PartnerCentral(cmd) => services::partner_central(global, cmd).await,
        Command::Macie2(cmd) => services::macie2(global, cmd).await,
        Command::SsmMw(cmd) => services::ssm_mw(global, cmd).await,
        Command::SpaceoneIdentity(cmd) => services::spaceone_identity(global, cmd).await,
        Command::CloudRewind(cmd) => services::cloud_rewind(global, cmd).await,
        Command::Top(args) => top::run(global, args).await,
        Command::Config(cmd) => config::run(global, cmd),
        Command::Completions(args) => shell::print_completions(args.shell),
        Command::Man(args) => shell::man(args),
    }
}

/// Logs of the runtime and emulator go to stderr when `CLOUDJOBS_LOG` (or `RUST_LOG`) is set,
/// e.g. `CLOUDJOBS_LOG=cloudjobs_runtime=debug`.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("CLOUDJOBS_LOG").or_else(|_| EnvFilter::try_from_default_env());
    if let Ok(filter) = filter {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init();
    }
}

/// The whole program: parses `std::env::args`, runs the command on a tokio runtime, prints
/// any error as `error: ...` on stderr, and returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::from(error::EXIT_FAILURE);
        }
    };
    let result = runtime.block_on(run(cli));
    // What is still running once the command is done (a listing `top` no longer waits for, a
    // blocked terminal read) must not keep the process from exiting.
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
