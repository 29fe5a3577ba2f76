//! Drawing an [`App`] into a ratatui frame: header, state and service counts, the jobs grouped
//! by state (or one job's details), the status area and the help line.

use cloudjobs::{Job, JobState};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::app::{App, HELP, counts_by_state, to_second};

/// Most lines the status area takes; further errors are summed up on the last one.
pub const STATUS_LINES: usize = 4;

/// The colour of a state, in counts, group headers and details.
pub fn state_color(state: JobState) -> Color {
    match state {
        JobState::Running => Color::Cyan,
        JobState::Pending => Color::Yellow,
        JobState::Paused => Color::Magenta,
        JobState::Succeeded => Color::Green,
        JobState::Failed => Color::Red,
        JobState::Cancelled => Color::Gray,
        JobState::Unknown => Color::White,
    }
}

/// Draws the whole view. Works at any size: what does not fit is cut, nothing panics.
pub fn render(app: &App, frame: &mut Frame) {
    let status = status_lines(app);
    let [header, states, services, main, status_area, help] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(status.len() as u16),
        Constraint::Length(1),
    ])
    .areas(frame.area());

    frame.render_widget(Paragraph::new(header_line(app)), header);
    frame.render_widget(Paragraph::new(state_counts_line(app)), states);
    frame.render_widget(Paragraph::new(service_counts_line(app)), services);
    match (
        &app.snapshot,
        app.details_open.then(|| app.selected_job()).flatten(),
    ) {
        (None, _) => frame.render_widget(
            Paragraph::new("listing jobs…").block(Block::bordered().title(" jobs ")),
            main,
        ),
        (Some(_), Some(job)) => render_details(job, frame, main),
        (Some(_), None) => render_jobs(app, frame, main),
    }
    frame.render_widget(Paragraph::new(status), status_area);
    let help_text = if app.details_open {
        "esc/enter close details  q quit"
    } else {
        HELP
    };
    frame.render_widget(
        Paragraph::new(help_text).style(Style::new().add_modifier(Modifier::DIM)),
        help,
    );
}

fn header_line(app: &App) -> Line<'static> {
    let mut spans = vec![Span::styled(
        "cloudjobs top",
        Style::new().add_modifier(Modifier::BOLD),
    )];
    if let Some(snapshot) = &app.snapshot {
        let time = to_second(snapshot.taken_at);
        let time = time.get(11..).unwrap_or(&time).to_owned();
        let shown = app.visible().len();
        let total = snapshot.jobs.len();
        let jobs = if shown == total {
            format!("{total} jobs")
        } else {
            format!("{shown} of {total} jobs")
        };
        spans.push(Span::raw(format!("  {jobs}  updated {time}")));
    }
    spans.push(Span::raw(if app.stopped {
        "  no more refreshes (--count)".to_owned()
    } else {
        format!("  every {}s", app.interval.as_secs_f64())
    }));
    if app.refreshing {
        spans.push(Span::styled(
            "  refreshing…",
            Style::new().fg(Color::Yellow),
        ));
    }
    let service = app
        .service_filter
        .map_or_else(|| "all".to_owned(), |s| s.to_string());
    let state = app.state_filter.map_or("all", |s| s.as_str());
    spans.push(Span::raw(format!("  service: {service}  state: {state}")));
    Line::from(spans)
}

fn state_counts_line(app: &App) -> Line<'static> {
    let mut spans = Vec::new();
    for (state, count) in counts_by_state(app.service_jobs()) {
        let mut style = Style::new().fg(state_color(state));
        if count == 0 {
            style = style.add_modifier(Modifier::DIM);
        }
        if app.state_filter == Some(state) {
            style = style.add_modifier(Modifier::REVERSED);
        }
        spans.push(Span::styled(format!("● {state} {count}"), style));
        spans.push(Span::raw("  "));
    }
    spans.pop();
    Line::from(spans)
}

fn service_counts_line(app: &App) -> Line<'static> {
    let mut spans = Vec::new();
    let snapshot = app.snapshot.as_ref();
    for &service in &app.services {
        let count = snapshot.map_or(0, |s| {
            s.jobs.iter().filter(|j| j.service == service).count()
        });
        let failed = snapshot.is_some_and(|s| s.errors.iter().any(|e| e.service == service));
        let (text, mut style) = if failed {
            (format!("{service} {count} ✗"), Style::new().fg(Color::Red))
        } else {
            (format!("{service} {count}"), Style::new())
        };
        if app.service_filter == Some(service) {
            style = style.add_modifier(Modifier::REVERSED);
        }
        spans.push(Span::styled(text, style));
        spans.push(Span::raw("  "));
    }
    spans.pop();
    Line::from(spans)
}

fn status_lines(app: &App) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    if let Some(snapshot) = &app.snapshot {
        lines.extend(snapshot.errors.iter().map(|e| {
            Line::styled(
                format!("✗ {}: {}", e.service, e.message),
                Style::new().fg(Color::Red),
            )
        }));
    }
    lines.extend(
        app.notes
            .iter()
            .map(|n| Line::styled(format!("· {n}"), Style::new().fg(Color::DarkGray))),
    );
    if lines.len() > STATUS_LINES {
        let hidden = lines.len() - (STATUS_LINES - 1);
        lines.truncate(STATUS_LINES - 1);
        lines.push(Line::styled(
            format!("… and {hidden} more (run `cloudjobs top | cat` to see all)"),
            Style::new().fg(Color::Red),
        ));
    }
    lines
}

fn render_jobs(app: &App, frame: &mut Frame, area: Rect) {
    let groups = app.groups();
    let block = Block::bordered().title(" jobs ");
    if groups.is_empty() {
        let text = if app.service_filter.is_some() || app.state_filter.is_some() {
            "no job matches the filters (c clears them)"
        } else {
            "no jobs"
        };
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    }
    let selected = app.selected_index();
    // Narrow terminals drop the columns that matter least, so SERVICE and ID stay readable.
    let shown: Vec<&Column> = COLUMNS
        .iter()
        .filter(|c| area.width >= c.min_width)
        .collect();
    let mut rows = Vec::new();
    let mut selected_row = None;
    let mut index = 0;
    for group in &groups {
        let color = state_color(group.state);
        rows.push(
            Row::new([Cell::from(format!(
                "{} ({})",
                group.state.as_str().to_uppercase(),
                group.jobs.len()
            ))])
            .style(Style::new().fg(color).add_modifier(Modifier::BOLD)),
        );
        for job in &group.jobs {
            if selected == Some(index) {
                selected_row = Some(rows.len());
            }
            index += 1;
            rows.push(Row::new(shown.iter().map(|c| {
                let cell = Cell::from((c.value)(job));
                if c.title == "STATUS" {
                    cell.style(Style::new().fg(color))
                } else {
                    cell
                }
            })));
        }
    }
    // IDs are what a user acts on: as wide as the longest one shown, NAME takes what is left.
    let id_width = groups
        .iter()
        .flat_map(|g| &g.jobs)
        .map(|j| j.id.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(2, MAX_ID_WIDTH) as u16;
    let widths = shown.iter().map(|c| match c.title {
        "ID" => Constraint::Length(id_width),
        _ => c.width,
    });
    let table = Table::new(rows, widths)
        .header(
            Row::new(shown.iter().map(|c| c.title))
                .style(Style::new().add_modifier(Modifier::UNDERLINED)),
        )
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .block(block);
    let mut state = TableState::default().with_selected(selected_row);
    frame.render_stateful_widget(table, area, &mut state);
}

/// Widest the ID column gets (longer ids are cut).
const MAX_ID_WIDTH: usize = 64;

/// A column of the job table.
struct Column {
    title: &'static str,
    width: Constraint,
    /// Narrowest table that shows the column.
    min_width: u16,
    value: fn(&Job) -> String,
}

fn or_dash(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "-".to_owned())
}

fn time_or_dash(t: Option<cloudjobs::DateTime>) -> String {
    t.map_or_else(|| "-".to_owned(), |t| t.to_rfc3339())
}

const COLUMNS: [Column; 5] = [
    Column {
        title: "SERVICE",
        width: Constraint::Length(17),
        min_width: 0,
        value: |j| j.service.to_string(),
    },
    Column {
        title: "ID",
        // Replaced by the longest id shown.
        width: Constraint::Min(2),
        min_width: 0,
        value: |j| j.id.clone(),
    },
    Column {
        title: "NAME",
        width: Constraint::Fill(1),
        min_width: 90,
        value: |j| or_dash(&j.name),
    },
    Column {
        title: "STATUS",
        width: Constraint::Length(21),
        min_width: 60,
        value: |j| or_dash(&j.raw_status),
    },
    Column {
        title: "CREATED",
        width: Constraint::Length(24),
        min_width: 110,
        value: |j| time_or_dash(j.created_at),
    },
];

fn render_details(job: &Job, frame: &mut Frame, area: Rect) {
    let field = |name: &'static str, value: String| {
        Line::from(vec![
            Span::styled(
                format!("{name:<11} "),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(value),
        ])
    };
    let lines = vec![
        field("service", job.service.to_string()),
        field("id", job.id.clone()),
        field("name", or_dash(&job.name)),
        Line::from(vec![
            Span::styled(
                format!("{:<11} ", "state"),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                job.state.to_string(),
                Style::new().fg(state_color(job.state)),
            ),
        ]),
        field("raw status", or_dash(&job.raw_status)),
        field("created", time_or_dash(job.created_at)),
        field("finished", time_or_dash(job.finished_at)),
        field("detail", or_dash(&job.detail)),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(format!(" {} {} ", job.service, job.id))),
        area,
    );
}
