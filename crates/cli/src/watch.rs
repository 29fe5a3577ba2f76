//! `cloudjobs watch`: polls jobs of any service until they settle, shows each change, and
//! exits with a code that tells how they ended (see
//! [`WATCH_EXIT_CODES`](crate::args::WATCH_EXIT_CODES)).
//!
//! On a terminal (stdout is a TTY and the output is a table) the jobs are one line each,
//! redrawn in place with a spinner; otherwise every change is printed as a line (or a JSON
//! object per line, a YAML document, a CSV row), so pipes and logs get plain text.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use cloudjobs::jobs::{JobRef, ServiceError};
use cloudjobs::{Job, JobState, WaitError, WaiterConfig};
use futures::StreamExt;

use crate::args::{GlobalOpts, OutputFormat, WatchArgs, WatchOpts};
use crate::error::{
    CliError, EXIT_FAILURE, EXIT_JOB_CANCELLED, EXIT_JOB_FAILED, EXIT_JOB_PAUSED, EXIT_TIMED_OUT,
    EXIT_USAGE,
};
use crate::output::{emit, jobs_csv, note, to_yaml};
use crate::service;
use crate::services::job_client;

/// How one watched job ended.
#[derive(Debug, Clone, PartialEq)]
pub enum End {
    /// Settled in this state.
    Settled(JobState),
    /// Still unsettled at the deadline.
    TimedOut,
    /// A poll failed; the exit code (1, or 2 when the request could not be built) and why.
    CouldNotAsk(u8, String),
}

impl End {
    /// The exit code of this ending alone.
    pub fn exit_code(&self) -> u8 {
        match self {
            End::Settled(JobState::Succeeded) => 0,
            End::Settled(JobState::Failed) => EXIT_JOB_FAILED,
            End::Settled(JobState::Cancelled) => EXIT_JOB_CANCELLED,
            End::Settled(_) => EXIT_JOB_PAUSED,
            End::TimedOut => EXIT_TIMED_OUT,
            End::CouldNotAsk(code, _) => *code,
        }
    }
}

/// The exit code of several endings: the first that applies in the order usage, could not
/// ask, failed, cancelled, timed out, paused; 0 when every job succeeded.
pub fn exit_code(ends: &[End]) -> u8 {
    const ORDER: [u8; 6] = [
        EXIT_USAGE,
        EXIT_FAILURE,
        EXIT_JOB_FAILED,
        EXIT_JOB_CANCELLED,
        EXIT_TIMED_OUT,
        EXIT_JOB_PAUSED,
    ];
    let codes: Vec<u8> = ends.iter().map(End::exit_code).collect();
    ORDER.into_iter().find(|c| codes.contains(c)).unwrap_or(0)
}

/// One watched job as the display knows it.
#[derive(Debug, Clone)]
pub struct Row {
    /// What is watched.
    pub job_ref: JobRef,
    /// The job as last seen.
    pub job: Option<Job>,
    /// How it ended, once it has.
    pub end: Option<End>,
}

const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// The lines of the live view at spinner step `tick`, `elapsed` after the start.
pub fn frame(rows: &[Row], tick: usize, elapsed: Duration) -> Vec<String> {
    rows.iter()
        .map(|row| {
            let glyph = match &row.end {
                None => SPINNER[tick % SPINNER.len()],
                Some(End::Settled(JobState::Succeeded)) => '✓',
                Some(End::Settled(JobState::Paused)) => '‖',
                Some(End::TimedOut) => '…',
                Some(_) => '✗',
            };
            let (state, raw) = match &row.job {
                Some(job) => (job.state.as_str(), job.raw_status.as_deref().unwrap_or("-")),
                None => ("asking", ""),
            };
            let tail = match &row.end {
                None => format!("{}s", elapsed.as_secs()),
                Some(End::TimedOut) => "timed out".to_owned(),
                Some(End::CouldNotAsk(_, why)) => why.clone(),
                Some(End::Settled(_)) => String::new(),
            };
            format!(
                "{glyph} {:<17}  {}  {state:<9}  {raw}  {tail}",
                row.job_ref.service().as_str(),
                row.job_ref.id(),
            )
            .trim_end()
            .to_owned()
        })
        .collect()
}

/// One change as a plain line (or object, document, row) for pipes.
fn change_text(job: &Job, format: OutputFormat, first_row: bool) -> Result<String, CliError> {
    match format {
        OutputFormat::Json => serde_json::to_string(job)
            .map(|s| s + "\n")
            .map_err(|e| CliError::Other(format!("could not encode the job as JSON: {e}"))),
        OutputFormat::Yaml => Ok(format!("---\n{}", to_yaml(job)?)),
        OutputFormat::Csv => jobs_csv(std::slice::from_ref(job), first_row),
        OutputFormat::Table => Ok(format!(
            "{}  {}  {}  {:<9}  {}\n",
            cloudjobs::DateTime::now().to_rfc3339_millis(),
            job.service,
            job.id,
            job.state.as_str(),
            job.raw_status.as_deref().unwrap_or("-"),
        )),
    }
}

fn seconds(name: &str, value: f64) -> Result<Duration, CliError> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            CliError::Usage(format!(
                "--{name} must be a positive number of seconds, got {value}"
            ))
        })
}

/// The waiter of the `watch` options.
pub fn waiter(opts: &WatchOpts) -> Result<WaiterConfig, CliError> {
    let min_delay = seconds("interval", opts.interval)?;
    Ok(WaiterConfig {
        min_delay,
        max_delay: seconds("max-interval", opts.max_interval)?.max(min_delay),
        max_wait: seconds("timeout", opts.timeout)?,
    })
}

/// `cloudjobs watch SERVICE ID...`.
pub async fn command(global: &GlobalOpts, args: &WatchArgs) -> Result<(), CliError> {
    let desc = service::of(args.service);
    let jobs = args
        .ids
        .iter()
        .map(|id| desc.job_ref(id, &args.at))
        .collect::<Result<Vec<_>, _>>()?;
    run(global, jobs, &args.watch).await
}

/// Watches `jobs` together until each has ended; `Ok` only when every one succeeded, else
/// [`CliError::Exit`] with the code of [`exit_code`].
pub async fn run(global: &GlobalOpts, jobs: Vec<JobRef>, opts: &WatchOpts) -> Result<(), CliError> {
    let waiter = waiter(opts)?;
    let client = job_client(global).await?;
    let live = global.output == OutputFormat::Table && std::io::stdout().is_terminal();
    let mut rows: Vec<Row> = jobs
        .iter()
        .map(|j| Row {
            job_ref: j.clone(),
            job: None,
            end: None,
        })
        .collect();
    let mut changes = futures::stream::select_all(
        jobs.into_iter()
            .enumerate()
            .map(|(i, job)| client.watch(job, waiter).map(move |item| (i, item)).boxed()),
    );

    let start = Instant::now();
    let mut ticker = tokio::time::interval(Duration::from_millis(100));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut tick = 0usize;
    let mut drawn = 0usize;
    let mut rows_printed = 0usize;
    loop {
        let next = if live {
            tokio::select! {
                item = changes.next() => item,
                _ = ticker.tick() => {
                    tick += 1;
                    drawn = redraw(&rows, tick, start.elapsed(), drawn)?;
                    continue;
                }
            }
        } else {
            changes.next().await
        };
        let Some((i, item)) = next else { break };
        let row = &mut rows[i];
        match item {
            Ok(job) => {
                if job.state.is_settled() {
                    row.end = Some(End::Settled(job.state));
                }
                if !live {
                    emit(&change_text(&job, global.output, rows_printed == 0)?)?;
                    rows_printed += 1;
                }
                row.job = Some(job);
            }
            Err(WaitError::TimedOut { last, .. }) => {
                row.end = Some(End::TimedOut);
                row.job = Some(*last);
            }
            Err(WaitError::Poll(e)) => {
                row.end = Some(could_not_ask(&e));
            }
        }
    }
    if live {
        redraw(&rows, tick, start.elapsed(), drawn)?;
    }
    finish(&rows)
}

fn could_not_ask(e: &ServiceError) -> End {
    let code = CliError::from_service(e).exit_code();
    End::CouldNotAsk(code, e.to_string())
}

/// Draws the live view over the `drawn` lines drawn before; returns the lines drawn.
fn redraw(rows: &[Row], tick: usize, elapsed: Duration, drawn: usize) -> Result<usize, CliError> {
    let lines = frame(rows, tick, elapsed);
    let mut text = String::new();
    if drawn > 0 {
        text.push_str(&format!("\x1b[{drawn}A"));
    }
    for line in &lines {
        text.push_str("\r\x1b[2K");
        text.push_str(line);
        text.push('\n');
    }
    emit(&text)?;
    Ok(lines.len())
}

/// Notes how each job ended (stderr) and turns the endings into the result.
fn finish(rows: &[Row]) -> Result<(), CliError> {
    let mut ends = Vec::new();
    let mut problems = Vec::new();
    for row in rows {
        let what = format!("{} {}", row.job_ref.service(), row.job_ref.id());
        let state = |row: &Row| {
            row.job.as_ref().map_or_else(
                || "unknown".to_owned(),
                |j| {
                    format!(
                        "{} ({})",
                        j.state,
                        j.raw_status.as_deref().unwrap_or("no status")
                    )
                },
            )
        };
        let end = row
            .end
            .clone()
            .unwrap_or_else(|| End::CouldNotAsk(EXIT_FAILURE, "the watch ended early".to_owned()));
        match &end {
            End::Settled(s) => {
                note(&format!("{what} is settled: {s}"));
                if *s != JobState::Succeeded {
                    problems.push(format!("{what} ended {}", state(row)));
                }
            }
            End::TimedOut => problems.push(format!("{what} timed out; last state {}", state(row))),
            End::CouldNotAsk(_, why) => problems.push(format!("could not ask: {why}")),
        }
        ends.push(end);
    }
    match exit_code(&ends) {
        0 => Ok(()),
        code => Err(CliError::Exit {
            code,
            message: problems.join("; "),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::WATCH_EXIT_CODES;
    use cloudjobs::Service;

    fn row(state: Option<JobState>, end: Option<End>) -> Row {
        Row {
            job_ref: JobRef::Macie2 { id: "j1".into() },
            job: state.map(|state| Job {
                service: Service::Macie2,
                id: "j1".into(),
                name: None,
                state,
                raw_status: Some("X".into()),
                created_at: None,
                finished_at: None,
                detail: None,
            }),
            end,
        }
    }

    #[test]
    fn exit_codes_follow_the_documented_order() {
        use JobState::*;
        let s = End::Settled;
        assert_eq!(exit_code(&[s(Succeeded), s(Succeeded)]), 0);
        assert_eq!(exit_code(&[s(Succeeded), s(Failed)]), 3);
        assert_eq!(exit_code(&[s(Cancelled), s(Failed)]), 3);
        assert_eq!(exit_code(&[s(Cancelled), s(Paused)]), 4);
        assert_eq!(exit_code(&[s(Paused)]), 5);
        assert_eq!(exit_code(&[s(Paused), End::TimedOut]), 6);
        assert_eq!(exit_code(&[End::TimedOut, s(Failed)]), 3);
        assert_eq!(exit_code(&[s(Failed), End::CouldNotAsk(1, "x".into())]), 1);
        assert_eq!(exit_code(&[End::CouldNotAsk(2, "x".into())]), 2);
        // Every code is documented in --help.
        for code in 1..=6 {
            assert!(
                WATCH_EXIT_CODES.contains(&format!("\n  {code}  ")),
                "{code} is not documented"
            );
        }
    }

    #[test]
    fn the_live_frame_shows_a_spinner_until_settled() {
        let rows = [
            row(Some(JobState::Running), None),
            row(Some(JobState::Failed), Some(End::Settled(JobState::Failed))),
            row(None, None),
        ];
        let a = frame(&rows, 0, Duration::from_secs(3));
        let b = frame(&rows, 1, Duration::from_secs(3));
        assert_eq!(a.len(), 3);
        assert!(
            a[0].starts_with('⠋') && b[0].starts_with('⠙'),
            "{a:?} {b:?}"
        );
        assert!(a[0].contains("running") && a[0].ends_with("3s"), "{}", a[0]);
        assert!(a[1].starts_with('✗') && a[1].contains("failed"), "{}", a[1]);
        assert_eq!(a[1], b[1]);
        assert!(a[2].contains("asking"), "{}", a[2]);
    }

    #[test]
    fn finish_names_what_went_wrong() {
        let err = finish(&[
            row(
                Some(JobState::Succeeded),
                Some(End::Settled(JobState::Succeeded)),
            ),
            row(Some(JobState::Running), Some(End::TimedOut)),
        ])
        .unwrap_err();
        assert_eq!(err.exit_code(), 6);
        assert!(
            err.to_string()
                .contains("timed out; last state running (X)"),
            "{err}"
        );
        assert!(
            finish(&[row(
                Some(JobState::Succeeded),
                Some(End::Settled(JobState::Succeeded))
            )])
            .is_ok()
        );
    }
}
