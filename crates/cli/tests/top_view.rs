//! `cloudjobs top`'s live view drawn into ratatui's test backend: the frames are read back as
//! text (and styles) and checked, key by key.
#![cfg(feature = "tui")]

use std::time::Duration;

use cloudjobs::{DateTime, Job, JobState, Service};
use cloudjobs_cli::top::app::{App, Key, ServiceError, Snapshot};
use cloudjobs_cli::top::view::{STATUS_LINES, render};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

fn job(service: Service, id: &str, state: JobState, raw: &str, created: i64) -> Job {
    Job {
        service,
        id: id.to_owned(),
        name: Some(format!("name-of-{id}")),
        state,
        raw_status: Some(raw.to_owned()),
        created_at: Some(DateTime::from_secs(created)),
        finished_at: None,
        detail: None,
    }
}

fn sample() -> Vec<Job> {
    vec![
        job(
            Service::Macie2,
            "mac-run",
            JobState::Running,
            "RUNNING",
            300,
        ),
        job(
            Service::SsmMw,
            "ssm-fail",
            JobState::Failed,
            "TIMED_OUT",
            200,
        ),
        job(
            Service::SpaceoneIdentity,
            "one-run",
            JobState::Running,
            "IN_PROGRESS",
            100,
        ),
        job(
            Service::Macie2,
            "mac-done",
            JobState::Succeeded,
            "COMPLETE",
            50,
        ),
        job(
            Service::PartnerCentral,
            "pc-stopped",
            JobState::Paused,
            "Stopped",
            10,
        ),
    ]
}

fn app_with(jobs: Vec<Job>, errors: Vec<ServiceError>) -> App {
    let mut app = App::new(Service::ALL.to_vec(), Duration::from_secs(2));
    app.set_snapshot(Snapshot {
        jobs,
        errors,
        // 1970-01-01T01:02:03Z
        taken_at: DateTime::from_secs(3723),
    });
    app
}

/// Draws `app` on a `width` x `height` test terminal; the buffer and its rows as text.
fn draw(app: &App, width: u16, height: u16) -> (Buffer, Vec<String>) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|frame| render(app, frame)).expect("draw");
    let buffer = terminal.backend().buffer().clone();
    let rows = (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_owned()
        })
        .collect();
    (buffer, rows)
}

fn row_of(rows: &[String], needle: &str) -> usize {
    rows.iter()
        .position(|r| r.contains(needle))
        .unwrap_or_else(|| panic!("no row contains {needle:?}:\n{}", rows.join("\n")))
}

fn screen(rows: &[String]) -> String {
    rows.join("\n")
}

#[test]
fn jobs_are_grouped_by_state_with_counts_and_colours() {
    let app = app_with(sample(), Vec::new());
    let (buffer, rows) = draw(&app, 110, 24);
    assert_eq!(
        rows[0],
        "cloudjobs top  5 jobs  updated 01:02:03Z  every 2s  service: all  state: all"
    );
    assert_eq!(
        rows[1],
        "● running 2  ● pending 0  ● paused 1  ● failed 1  ● cancelled 0  ● succeeded 1  ● unknown 0"
    );
    assert_eq!(
        rows[2],
        "partner-central 1  macie2 2  ssm-mw 1  spaceone-identity 1  cloud-rewind 0"
    );

    // Groups in attention order, each with its count, jobs newest first.
    let running = row_of(&rows, "│RUNNING (2)");
    let paused = row_of(&rows, "│PAUSED (1)");
    let failed = row_of(&rows, "│FAILED (1)");
    let succeeded = row_of(&rows, "│SUCCEEDED (1)");
    assert!(running < paused && paused < failed && failed < succeeded);
    assert!(rows[running + 1].starts_with("│macie2            mac-run "));
    assert!(rows[running + 1].contains("RUNNING"));
    assert!(rows[running + 2].starts_with("│spaceone-identity one-run "));
    assert!(rows[paused + 1].starts_with("│partner-central   pc-stopped "));
    assert!(rows[failed + 1].contains("ssm-fail") && rows[failed + 1].contains("TIMED_OUT"));
    assert!(rows[succeeded + 1].contains("1970-01-01T00:00:50Z"));

    // Colours: group headers and raw statuses take the state's colour.
    assert_eq!(buffer[(1, running as u16)].fg, Color::Cyan);
    assert_eq!(buffer[(1, failed as u16)].fg, Color::Red);
    assert_eq!(buffer[(1, succeeded as u16)].fg, Color::Green);
    let status_x = rows[failed + 1].find("TIMED_OUT").expect("status") as u16;
    // `find` counts bytes; the row starts with the 3-byte border, one cell wide.
    assert_eq!(buffer[(status_x - 2, (failed + 1) as u16)].fg, Color::Red);

    // The first job is selected (reversed), the others are not.
    assert!(
        buffer[(2, (running + 1) as u16)]
            .modifier
            .contains(Modifier::REVERSED)
    );
    assert!(
        !buffer[(2, (running + 2) as u16)]
            .modifier
            .contains(Modifier::REVERSED)
    );

    // No status area without errors; the help line is last.
    assert!(rows[22].starts_with('└'), "{}", screen(&rows));
    assert!(rows[23].starts_with("q quit  ↑↓ move  enter details"));
}

#[test]
fn service_and_state_filters_narrow_rows_and_counts() {
    let mut app = app_with(sample(), Vec::new());
    app.handle_key(Key::Char('s'));
    app.handle_key(Key::Char('s'));
    let (buffer, rows) = draw(&app, 110, 20);
    assert!(
        rows[0].starts_with("cloudjobs top  2 of 5 jobs  updated 01:02:03Z")
            && rows[0].ends_with("service: macie2  state: all"),
        "{}",
        rows[0]
    );
    // State counts are the filtered service's.
    assert!(rows[1].starts_with("● running 1  ● pending 0  ● paused 0  ● failed 0"));
    // The chosen service is highlighted in the service line.
    let x = rows[2].find("macie2").expect("macie2") as u16;
    assert!(buffer[(x, 2)].modifier.contains(Modifier::REVERSED));
    assert!(!buffer[(0, 2)].modifier.contains(Modifier::REVERSED));
    let text = screen(&rows);
    assert!(text.contains("mac-run") && text.contains("mac-done"));
    for other in ["ssm-fail", "one-run", "pc-stopped"] {
        assert!(!text.contains(other), "{other} shown:\n{text}");
    }

    app.handle_key(Key::Char('f')); // running
    let (_, rows) = draw(&app, 110, 20);
    let text = screen(&rows);
    assert!(rows[0].ends_with("service: macie2  state: running"));
    assert!(text.contains("│RUNNING (1)") && !text.contains("SUCCEEDED ("));

    app.handle_key(Key::Char('f')); // pending: nothing
    let (_, rows) = draw(&app, 110, 20);
    assert!(screen(&rows).contains("no job matches the filters (c clears them)"));

    app.handle_key(Key::Char('c'));
    let (_, rows) = draw(&app, 110, 20);
    assert!(rows[0].starts_with("cloudjobs top  5 jobs"));
}

#[test]
fn enter_shows_every_field_of_the_selected_job() {
    let mut jobs = sample();
    jobs[1].finished_at = Some(DateTime::from_secs(260));
    jobs[1].detail = Some(
        "Step timed out after 3600 seconds while waiting for the instance to report back; \
         the remaining steps were skipped"
            .to_owned(),
    );
    let mut app = app_with(jobs, Vec::new());
    for _ in 0..3 {
        app.handle_key(Key::Down); // one-run, pc-stopped, ssm-fail
    }
    app.handle_key(Key::Enter);
    let (buffer, rows) = draw(&app, 60, 20);
    let text = screen(&rows);
    assert!(rows[3].starts_with("┌ ssm-mw ssm-fail ─"), "{text}");
    let expected = [
        "│service     ssm-mw",
        "│id          ssm-fail",
        "│name        name-of-ssm-fail",
        "│state       failed",
        "│raw status  TIMED_OUT",
        "│created     1970-01-01T00:03:20Z",
        "│finished    1970-01-01T00:04:20Z",
        "│detail      Step timed out after 3600 seconds while",
    ];
    for (i, line) in expected.iter().enumerate() {
        assert!(rows[4 + i].starts_with(line), "row {}: {text}", 4 + i);
    }
    // The long detail wraps inside the pane instead of being cut.
    assert!(text.contains("skipped"), "{text}");
    let state_row = 7;
    assert_eq!(buffer[(13, state_row)].fg, Color::Red);
    assert_eq!(rows[19], "esc/enter close details  q quit");

    app.handle_key(Key::Esc);
    let (_, rows) = draw(&app, 60, 20);
    assert!(rows[3].starts_with("┌ jobs "));
}

#[test]
fn a_failing_service_shows_in_the_status_area_and_the_others_stay() {
    let jobs: Vec<Job> = sample()
        .into_iter()
        .filter(|j| j.service != Service::SsmMw)
        .collect();
    let app = app_with(
        jobs,
        vec![ServiceError {
            service: Service::SsmMw,
            message: "window execution w-1: DoesNotExistException: no such execution (HTTP 400)"
                .to_owned(),
        }],
    );
    let (buffer, rows) = draw(&app, 110, 16);
    assert_eq!(
        rows[2],
        "partner-central 1  macie2 2  ssm-mw 0 ✗  spaceone-identity 1  cloud-rewind 0"
    );
    let x = rows[2].find("ssm-mw").expect("ssm-mw") as u16;
    assert_eq!(buffer[(x, 2)].fg, Color::Red);
    assert_eq!(
        rows[14],
        "✗ ssm-mw: window execution w-1: DoesNotExistException: no such execution (HTTP 400)"
    );
    assert_eq!(buffer[(0, 14)].fg, Color::Red);
    assert!(rows[13].starts_with('└'));
    assert!(screen(&rows).contains("mac-run"));
}

#[test]
fn many_errors_are_summed_up_and_notes_follow_errors() {
    let errors: Vec<ServiceError> = (0..6)
        .map(|i| ServiceError {
            service: Service::CloudRewind,
            message: format!("protection 1/p/2/x{i}: LOCKED (HTTP 409)"),
        })
        .collect();
    let mut app = app_with(Vec::new(), errors);
    app.notes = vec!["ssm-mw: not listed: give --window-execution-id".to_owned()];
    let (_, rows) = draw(&app, 80, 16);
    let status: Vec<&String> = rows[11..15].iter().collect();
    assert_eq!(status.len(), STATUS_LINES);
    assert_eq!(
        status[0],
        "✗ cloud-rewind: protection 1/p/2/x0: LOCKED (HTTP 409)"
    );
    assert_eq!(
        status[2],
        "✗ cloud-rewind: protection 1/p/2/x2: LOCKED (HTTP 409)"
    );
    assert_eq!(
        status[3],
        "… and 4 more (run `cloudjobs top | cat` to see all)"
    );
    assert!(screen(&rows).contains("│no jobs"));

    let mut few = app_with(Vec::new(), Vec::new());
    few.notes = vec!["cloud-rewind: not listed: give --protection".to_owned()];
    let (_, rows) = draw(&few, 80, 10);
    assert_eq!(rows[8], "· cloud-rewind: not listed: give --protection");
}

#[test]
fn before_the_first_snapshot_it_says_it_is_listing() {
    let mut app = App::new(Service::ALL.to_vec(), Duration::from_millis(1500));
    app.refreshing = true;
    let (_, rows) = draw(&app, 80, 8);
    assert_eq!(
        rows[0],
        "cloudjobs top  every 1.5s  refreshing…  service: all  state: all"
    );
    assert!(rows[4].starts_with("│listing jobs…"), "{}", rows[4]);
}

#[test]
fn tiny_and_narrow_terminals_do_not_panic() {
    let error = ServiceError {
        service: Service::Macie2,
        message: "x".repeat(500),
    };
    let errors = vec![error; 4];
    let mut list = app_with(sample(), errors.clone());
    list.notes = vec!["note".repeat(50)];
    let mut details = app_with(sample(), errors);
    details.handle_key(Key::Enter);
    assert!(details.details_open);
    let waiting = App::new(Service::ALL.to_vec(), Duration::from_secs(2));
    for (width, height) in [(1, 1), (2, 2), (5, 3), (12, 6), (20, 4), (30, 12), (200, 3)] {
        for app in [&list, &details, &waiting] {
            let (_, rows) = draw(app, width, height);
            assert_eq!(rows.len(), height as usize);
        }
    }
    // Narrow but usable: the help line and the selected job's id are still there.
    let (_, rows) = draw(&list, 40, 20);
    assert!(rows[19].starts_with("q quit"));
    assert!(screen(&rows).contains("mac-run"));
    // ... because the columns that matter least were dropped.
    let header = &rows[row_of(&rows, "│SERVICE")];
    assert!(header.contains("ID") && !header.contains("NAME") && !header.contains("CREATED"));
    let (_, rows) = draw(&list, 70, 20);
    let header = &rows[row_of(&rows, "│SERVICE")];
    assert!(
        header.contains("STATUS") && !header.contains("NAME"),
        "{header}"
    );
}

#[test]
fn the_selection_scrolls_into_view() {
    let jobs: Vec<Job> = (0..40)
        .map(|i| {
            job(
                Service::Macie2,
                &format!("job-{i:02}"),
                JobState::Running,
                "RUNNING",
                1000 - i,
            )
        })
        .collect();
    let mut app = app_with(jobs, Vec::new());
    let (_, rows) = draw(&app, 100, 15);
    assert!(!screen(&rows).contains("job-39"));
    app.handle_key(Key::End);
    let (buffer, rows) = draw(&app, 100, 15);
    let y = row_of(&rows, "job-39");
    assert!(buffer[(2, y as u16)].modifier.contains(Modifier::REVERSED));
    app.handle_key(Key::PageUp);
    let (buffer, rows) = draw(&app, 100, 15);
    let y = row_of(&rows, "job-29");
    assert!(buffer[(2, y as u16)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn ids_are_shown_whole_and_names_take_the_rest() {
    let long_id = "0b94bc0060ae7cae5612f1736ab97e1f";
    let uuid = "857f7655-f990-9b39-a24e-1c522679cf55";
    let app = app_with(
        vec![
            job(Service::Macie2, long_id, JobState::Running, "RUNNING", 2),
            job(Service::SsmMw, uuid, JobState::Running, "IN_PROGRESS", 1),
        ],
        Vec::new(),
    );
    let (_, rows) = draw(&app, 120, 12);
    let macie = &rows[row_of(&rows, long_id)];
    let ssm = &rows[row_of(&rows, uuid)];
    assert!(
        macie.starts_with(&format!("│macie2            {long_id} ")),
        "{macie}"
    );
    // Both ids start in the same column and the name starts after the longest.
    let name_at = ssm.find("name-of-").expect("name");
    assert_eq!(name_at, "│".len() + 18 + uuid.len() + 1);
}

#[test]
fn after_the_last_counted_snapshot_the_header_says_it_no_longer_refreshes() {
    let mut app = app_with(sample(), Vec::new());
    app.stopped = true;
    let (_, rows) = draw(&app, 110, 10);
    assert_eq!(
        rows[0],
        "cloudjobs top  5 jobs  updated 01:02:03Z  no more refreshes (--count)  service: all  state: all"
    );
}
