//! `cloudjobs top`: every configured service's jobs, grouped by state, refreshed in place.
//!
//! On a terminal it is a full-screen view (the `tui` feature: ratatui on crossterm) with keys
//! to filter by service and state, move, and open a job's details. When stdout is not a
//! terminal, with `--plain` or `--output json`, it prints snapshots instead: one, or one every
//! `--interval` seconds up to `--count`, as text lines (or one JSON object per line) without
//! escape codes.
//!
//! The parts: [`app`] is the view's state machine (snapshot, filters, selection, keys),
//! `view` draws it and `terminal` runs it (both with the `tui` feature), [`plain`] prints
//! snapshots, and [`source::snapshot`] is the one place that lists the services.

pub mod app;
pub mod plain;
pub mod source;
#[cfg(feature = "tui")]
pub mod terminal;
#[cfg(feature = "tui")]
pub mod view;

use std::io::{IsTerminal, Write};
use std::time::Duration;

use crate::args::{GlobalOpts, OutputFormat, TopArgs};
use crate::error::CliError;
use crate::output::note;
use crate::services::job_client;

use source::Scope;

/// Seconds between refreshes when `--interval` is not given.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(2);

/// What `args` (and `--max-items`) ask to list.
pub fn scope(global: &GlobalOpts, args: &TopArgs) -> Scope {
    let services = if args.services.is_empty() {
        cloudjobs::Service::ALL.to_vec()
    } else {
        cloudjobs::Service::ALL
            .into_iter()
            .filter(|s| args.services.contains(s))
            .collect()
    };
    Scope {
        services,
        catalogs: args.catalogs.clone(),
        window_execution_ids: args.window_execution_ids.clone(),
        protections: args.protections.clone(),
        max_items: global.max_items,
    }
}

/// Runs `cloudjobs top`.
pub async fn run(global: &GlobalOpts, args: &TopArgs) -> Result<(), CliError> {
    let scope = scope(global, args);
    if scope.listed().is_empty() {
        return Err(CliError::Usage(format!(
            "top: nothing to list ({})",
            scope.skipped().join("; ")
        )));
    }
    let jobs = job_client(global).await?;
    let live = !args.plain
        && global.output == OutputFormat::Table
        && std::io::stdout().is_terminal()
        && std::io::stdin().is_terminal();
    if live {
        #[cfg(feature = "tui")]
        return terminal::run(
            jobs,
            scope,
            args.interval.unwrap_or(DEFAULT_INTERVAL),
            args.count,
        )
        .await;
        #[cfg(not(feature = "tui"))]
        note(
            "this cloudjobs was built without the `tui` feature, so `top` prints plain \
             snapshots; build it with `--features tui` for the full-screen view",
        );
    }
    print_snapshots(global, args, jobs, scope).await
}

/// The plain mode: `--count` snapshots (default: one, or endless with `--interval`), each
/// printed as soon as it is taken. Fails (exit code 1) when the last snapshot has an error
/// line; stops quietly when stdout is closed.
async fn print_snapshots(
    global: &GlobalOpts,
    args: &TopArgs,
    jobs: cloudjobs::jobs::JobClient,
    scope: Scope,
) -> Result<(), CliError> {
    let count = args
        .count
        .unwrap_or(if args.interval.is_some() { u64::MAX } else { 1 });
    let interval = args.interval.unwrap_or(DEFAULT_INTERVAL);
    let json = global.output == OutputFormat::Json;
    let notes = scope.skipped();
    if json {
        for n in &notes {
            note(&format!("note: {n}"));
        }
    }
    let mut failed = 0;
    for i in 0..count {
        if i > 0 {
            tokio::time::sleep(interval).await;
        }
        let snapshot = source::snapshot(&jobs, &scope).await;
        failed = snapshot.errors.len();
        let text = if json {
            let mut line = serde_json::to_string(&snapshot)
                .map_err(|e| CliError::Other(format!("could not encode the snapshot: {e}")))?;
            line.push('\n');
            line
        } else if i > 0 {
            format!("\n{}", plain::render(&snapshot, &notes))
        } else {
            plain::render(&snapshot, &notes)
        };
        let mut out = std::io::stdout().lock();
        match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            Err(e) => return Err(e.into()),
        }
    }
    if failed > 0 {
        return Err(CliError::Other(format!(
            "top: {failed} listing{} failed (see the error lines)",
            if failed == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}
