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

/// Prints jobs as a listing hands them over: JSON as a streamed array and CSV row by row, each
/// job written as it arrives (the same bytes [`render_jobs`] gives for the whole list, so a
/// finished stream is one document); tables (column widths) and YAML need every row, so those
/// are kept and printed by [`finish`](Self::finish). When a listing fails part-way, `finish`
/// still prints (or closes) what arrived, so stdout holds every job fetched before the failure.
#[derive(Debug)]
pub struct JobStream {
    format: OutputFormat,
    rows: Vec<Job>,
    written: usize,
}

impl JobStream {
    /// A stream printing in `format`.
    pub fn new(format: OutputFormat) -> Self {
        JobStream {
            format,
            rows: Vec::new(),
            written: 0,
        }
    }

    /// Prints (JSON, CSV) or keeps (table, YAML) one job.
    pub fn push(&mut self, job: Job) -> Result<(), CliError> {
        match self.item_text(job)? {
            Some(text) => emit(&text),
            None => Ok(()),
        }
    }

    /// The text a job streams as, or `None` when it is kept for [`finish`](Self::finish).
    fn item_text(&mut self, job: Job) -> Result<Option<String>, CliError> {
        let text = match self.format {
            OutputFormat::Json => self.json_item(&job)?,
            OutputFormat::Csv => jobs_csv(std::slice::from_ref(&job), self.written == 0)?,
            OutputFormat::Table | OutputFormat::Yaml => {
                self.rows.push(job);
                return Ok(None);
            }
        };
        self.written += 1;
        Ok(Some(text))
    }

    /// The JSON text of the next array element, with the `[` or `,` before it.
    fn json_item(&self, job: &Job) -> Result<String, CliError> {
        let text = serde_json::to_string_pretty(job)
            .map_err(|e| CliError::Other(format!("could not encode the output as JSON: {e}")))?;
        let mut out = String::with_capacity(text.len() + 16);
        out.push_str(if self.written == 0 { "[\n" } else { ",\n" });
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str("  ");
            out.push_str(line);
        }
        Ok(out)
    }

    /// Jobs pushed so far.
    pub fn len(&self) -> usize {
        self.written + self.rows.len()
    }

    /// Whether no job was pushed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Closes the JSON array (or writes the CSV header of an empty list), or prints the kept
    /// rows; returns how many jobs were pushed.
    pub fn finish(self) -> Result<usize, CliError> {
        let n = self.len();
        emit(&self.end_text()?)?;
        Ok(n)
    }

    /// What [`finish`](Self::finish) prints.
    fn end_text(&self) -> Result<String, CliError> {
        Ok(match self.format {
            OutputFormat::Json if self.written == 0 => "[]\n".to_owned(),
            OutputFormat::Json => "\n]\n".to_owned(),
            OutputFormat::Csv if self.written == 0 => jobs_csv(&[], true)?,
            OutputFormat::Csv => String::new(),
            OutputFormat::Table | OutputFormat::Yaml => render_jobs(&self.rows, self.format)?,
        })
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
    fn a_streamed_list_is_the_same_document_as_the_whole_list() {
        let job = |id: &str| Job {
            service: Service::SsmMw,
            id: id.to_owned(),
            name: Some(format!("name \"{id}\"\n")),
            state: cloudjobs::JobState::Running,
            raw_status: Some("InProgress".to_owned()),
            created_at: None,
            finished_at: None,
            detail: None,
        };
        let formats = [
            OutputFormat::Json,
            OutputFormat::Csv,
            OutputFormat::Yaml,
            OutputFormat::Table,
        ];
        for format in formats {
            for jobs in [vec![], vec![job("a")], vec![job("a"), job("b"), job("c")]] {
                let mut stream = JobStream::new(format);
                let mut text = String::new();
                for j in &jobs {
                    text.push_str(&stream.item_text(j.clone()).unwrap().unwrap_or_default());
                }
                assert_eq!(stream.len(), jobs.len());
                text.push_str(&stream.end_text().unwrap());
                assert_eq!(text, render_jobs(&jobs, format).unwrap(), "{format:?}");
            }
        }
    }

    #[test]
    fn widths_count_characters_not_bytes() {
        let rows = vec![vec!["é".to_owned(), "z".to_owned()]];
        assert_eq!(render_table(&["A", "B"], &rows), "A  B\né  z\n");
    }
}
