//! `top` when stdout is not a terminal: each snapshot as plain text lines (or one JSON line),
//! never an escape code.

use cloudjobs::Job;

use crate::output::{JOB_HEADERS, job_row, render_table};

use super::app::{Snapshot, counts_by_state, group_by_state, to_second};

/// A snapshot as text: a summary line with the time, the total and the count of every state,
/// then the jobs grouped by state (one aligned table, a `STATE (n)` line before each group),
/// then one `error: <service>: <message>` line per failed listing and the `notes`.
pub fn render(snapshot: &Snapshot, notes: &[String]) -> String {
    let mut text = format!(
        "cloudjobs top  {}  {} job{}",
        to_second(snapshot.taken_at),
        snapshot.jobs.len(),
        if snapshot.jobs.len() == 1 { "" } else { "s" }
    );
    for (state, count) in counts_by_state(&snapshot.jobs) {
        if count > 0 {
            text.push_str(&format!("  {state} {count}"));
        }
    }
    text.push('\n');

    let groups = group_by_state(&snapshot.jobs);
    let ordered: Vec<&Job> = groups.iter().flat_map(|g| g.jobs.iter().copied()).collect();
    if !ordered.is_empty() {
        let rows: Vec<Vec<String>> = ordered.iter().map(|j| job_row(j)).collect();
        let table = render_table(&JOB_HEADERS, &rows);
        let mut lines = table.lines();
        if let Some(header) = lines.next() {
            text.push_str(header);
            text.push('\n');
        }
        for group in &groups {
            text.push_str(&format!(
                "{} ({})\n",
                group.state.as_str().to_uppercase(),
                group.jobs.len()
            ));
            for line in lines.by_ref().take(group.jobs.len()) {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    for error in &snapshot.errors {
        text.push_str(&format!("error: {}: {}\n", error.service, error.message));
    }
    for note in notes {
        text.push_str(&format!("note: {note}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use cloudjobs::{DateTime, JobState, Service};

    use super::super::app::ServiceError;
    use super::*;

    fn job(service: Service, id: &str, state: JobState) -> Job {
        Job {
            service,
            id: id.to_owned(),
            name: Some(format!("{id}-name")),
            state,
            raw_status: Some(format!("{state}-raw")),
            created_at: None,
            finished_at: None,
            detail: None,
        }
    }

    #[test]
    fn groups_counts_errors_and_notes_as_lines() {
        let snapshot = Snapshot {
            jobs: vec![
                job(Service::Macie2, "done", JobState::Succeeded),
                job(Service::SpaceoneIdentity, "busy", JobState::Running),
                job(Service::Macie2, "busy2", JobState::Running),
            ],
            errors: vec![ServiceError {
                service: Service::CloudRewind,
                message: "protection 1/p/2/x: ERROR_NOT_FOUND: no (HTTP 404)".to_owned(),
            }],
            taken_at: DateTime::from_secs(0),
        };
        let text = render(&snapshot, &["ssm-mw: not listed".to_owned()]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "cloudjobs top  1970-01-01T00:00:00Z  3 jobs  running 2  succeeded 1"
        );
        assert!(lines[1].starts_with("SERVICE "), "{text}");
        assert_eq!(lines[2], "RUNNING (2)");
        assert!(lines[3].starts_with("macie2             busy2  "), "{text}");
        assert!(lines[4].starts_with("spaceone-identity  busy   "), "{text}");
        assert_eq!(lines[5], "SUCCEEDED (1)");
        assert!(
            lines[6].contains("done-name   succeeded  succeeded-raw"),
            "{text}"
        );
        assert_eq!(
            lines[7],
            "error: cloud-rewind: protection 1/p/2/x: ERROR_NOT_FOUND: no (HTTP 404)"
        );
        assert_eq!(lines[8], "note: ssm-mw: not listed");
        assert_eq!(lines.len(), 9);
        assert!(!text.contains('\x1b'));
    }

    #[test]
    fn no_jobs_is_one_line() {
        let snapshot = Snapshot {
            jobs: Vec::new(),
            errors: Vec::new(),
            taken_at: DateTime::from_secs(0),
        };
        assert_eq!(
            render(&snapshot, &[]),
            "cloudjobs top  1970-01-01T00:00:00Z  0 jobs\n"
        );
    }
}
