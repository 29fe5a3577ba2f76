//! Printing results: aligned tables and JSON.

use std::io::{self, Write};

use cloudjobs::{Job, Service};
use serde::Serialize;

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

/// Writes to stdout and flushes. A closed pipe (`cloudjobs ... | head`) is not an error.
pub fn emit(text: &str) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Prints jobs as a listing hands them over: JSON as a streamed array, each job written as it
/// arrives (the same bytes [`to_json`] gives for the whole list, so a finished stream is one
/// JSON document); tables need every row for their widths, so rows are kept and printed by
/// [`finish`](Self::finish). When a listing fails part-way, `finish` still prints (or
/// closes) what arrived, so stdout holds every job fetched before the failure.
#[derive(Debug)]
pub struct JobStream {
    json: bool,
    rows: Vec<Job>,
    written: usize,
}

impl JobStream {
    /// A stream printing in `json` or table form.
    pub fn new(json: bool) -> Self {
        JobStream {
            json,
            rows: Vec::new(),
            written: 0,
        }
    }

    /// Prints (JSON) or keeps (table) one job.
    pub fn push(&mut self, job: Job) -> Result<(), CliError> {
        if !self.json {
            self.rows.push(job);
            return Ok(());
        }
        let text = self.json_item(&job)?;
        emit(&text)
    }

    /// The JSON text of the next array element, with the `[` or `,` before it.
    fn json_item(&mut self, job: &Job) -> Result<String, CliError> {
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
        self.written += 1;
        Ok(out)
    }

    /// The JSON text that closes the array.
    fn json_end(&self) -> &'static str {
        if self.written == 0 { "[]\n" } else { "\n]\n" }
    }

    /// Jobs pushed so far.
    pub fn len(&self) -> usize {
        self.written + self.rows.len()
    }

    /// Whether no job was pushed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Closes the JSON array, or prints the table.
    pub fn finish(self) -> Result<usize, CliError> {
        let n = self.len();
        if self.json {
            emit(self.json_end())?;
        } else {
            emit(&jobs_table(&self.rows))?;
        }
        Ok(n)
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
    fn streamed_json_is_the_same_document_as_the_whole_list() {
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
        for jobs in [vec![], vec![job("a")], vec![job("a"), job("b"), job("c")]] {
            let mut stream = JobStream::new(true);
            let mut text = String::new();
            for j in &jobs {
                text.push_str(&stream.json_item(j).unwrap());
            }
            text.push_str(stream.json_end());
            assert_eq!(text, to_json(&jobs).unwrap());
            assert_eq!(stream.len(), jobs.len());
        }
    }

    #[test]
    fn widths_count_characters_not_bytes() {
        let rows = vec![vec!["é".to_owned(), "z".to_owned()]];
        assert_eq!(render_table(&["A", "B"], &rows), "A  B\né  z\n");
    }
}
