//! Printing results: aligned tables, JSON, YAML and CSV.

use std::io::{self, Write};

use cloudjobs::{Job, Service};
use serde::Serialize;

use crate::args::OutputFormat;
use crate::error::CliError;

/// Column headers of a job table.
pub const JOB_HEADERS: [&str; 6] = ["SERVICE", "ID", "NAME", "STATE", "STATUS", "CREATED"];

/// One table row for a job: service, id, name, state, raw status, created.
pub fn job_row(job: &Job) -> Vec<String> {
    vec![
        job.service.to_string(),
        job.id.clone(),
        job.name.clone().unwrap_or_else(|| "-".to_owned()),
        job.state.to_string(),
        job.raw_status.clone().unwrap_or_else(|| "-".to_owned()),
        job.created_at
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| "-".to_owned()),
    ]
}

/// Renders rows under headers in columns aligned by padding with spaces (two between
/// columns; the last column is not padded). Widths are counted in characters.
pub fn render_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let columns = headers.len();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(columns) {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::new();
        for (i, cell) in cells.enumerate().take(columns) {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            if i + 1 < columns {
                let pad = widths[i].saturating_sub(cell.chars().count());
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut headers.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

/// Renders jobs as a table.
pub fn jobs_table(jobs: &[Job]) -> String {
    let rows: Vec<Vec<String>> = jobs.iter().map(job_row).collect();
    render_table(&JOB_HEADERS, &rows)
}

/// Counts jobs per service, in [`Service::ALL`] order, keeping services with no job.
pub fn counts_by_service(jobs: &[Job]) -> Vec<(Service, usize)> {
    Service::ALL
        .into_iter()
        .map(|s| (s, jobs.iter().filter(|j| j.service == s).count()))
        .collect()
}

/// Pretty JSON of any serializable value, with a trailing newline.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, CliError> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::Other(format!("could not encode the output as JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// YAML of any serializable value.
pub fn to_yaml<T: Serialize + ?Sized>(value: &T) -> Result<String, CliError> {
    serde_norway::to_string(value)
        .map_err(|e| CliError::Other(format!("could not encode the output as YAML: {e}")))
}

/// Column headers of the CSV job list: the fields of [`Job`].
pub const CSV_HEADERS: [&str; 8] = [
    "service",
    "id",
    "name",
    "state",
    "raw_status",
    "created_at",
    "finished_at",
    "detail",
];

/// Jobs as CSV rows (RFC 4180 quoting), with the header row first when `header` is set.
/// Absent values are empty cells; times are RFC 3339.
pub fn jobs_csv(jobs: &[Job], header: bool) -> Result<String, CliError> {
    let fail = |e: csv::Error| CliError::Other(format!("could not encode the output as CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    if header {
        w.write_record(CSV_HEADERS).map_err(fail)?;
    }
    for job in jobs {
        let time = |t: Option<cloudjobs::DateTime>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
        w.write_record([
            job.service.as_str(),
            job.id.as_str(),
            job.name.as_deref().unwrap_or(""),
            job.state.as_str(),
            job.raw_status.as_deref().unwrap_or(""),
            &time(job.created_at),
            &time(job.finished_at),
            job.detail.as_deref().unwrap_or(""),
        ])
        .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| CliError::Other(format!("could not encode the output as CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| CliError::Other(format!("CSV output is not UTF-8: {e}")))
}

/// A list of jobs in `format`.
pub fn render_jobs(jobs: &[Job], format: OutputFormat) -> Result<String, CliError> {
    match format {
        OutputFormat::Table => Ok(jobs_table(jobs)),
        OutputFormat::Json => to_json(jobs),
        OutputFormat::Yaml => to_yaml(jobs),
        OutputFormat::Csv => jobs_csv(jobs, true),
    }
}

/// A service's own answer (`get`, `delete`): JSON or YAML print it as the service sent it; a
/// table or CSV prints `jobs`, its unified view.
pub fn render_raw<T: Serialize + ?Sized>(
    raw: &T,
    jobs: &[Job],
    format: OutputFormat,
) -> Result<String, CliError> {
    match format {
        OutputFormat::Json => to_json(raw),
        OutputFormat::Yaml => to_yaml(raw),
        OutputFormat::Table | OutputFormat::Csv => render_jobs(jobs, format),
    }
}

/// Writes to stdout and flushes. A closed pipe (`cloudjobs ... | head`) is not an error.
pub fn emit(text: &str) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Writes a note to stderr (never mixed into JSON on stdout).
pub fn note(text: &str) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_columns_are_aligned() {
        let rows = vec![
            vec!["a".to_owned(), "longer value".to_owned(), "x".to_owned()],
            vec!["bbbb".to_owned(), "v".to_owned(), "".to_owned()],
        ];
        let text = render_table(&["H1", "H2", "H3"], &rows);
        assert_eq!(
            text,
            "H1    H2            H3\n\
             a     longer value  x\n\
             bbbb  v\n"
        );
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let job = Job {
            service: Service::Macie2,
            id: "j1".to_owned(),
            name: Some("a, \"b\"".to_owned()),
            state: cloudjobs::JobState::Running,
            raw_status: Some("RUNNING".to_owned()),
            created_at: None,
            finished_at: None,
            detail: Some("line\nbreak".to_owned()),
        };
        let text = jobs_csv(&[job], true).unwrap();
        assert_eq!(
            text,
            "service,id,name,state,raw_status,created_at,finished_at,detail\n\
             macie2,j1,\"a, \"\"b\"\"\",running,RUNNING,,,\"line\nbreak\"\n"
        );
    }

    #[test]
    fn widths_count_characters_not_bytes() {
        let rows = vec![vec!["é".to_owned(), "z".to_owned()]];
        assert_eq!(render_table(&["A", "B"], &rows), "A  B\né  z\n");
    }
}
