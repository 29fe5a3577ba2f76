//! The live view as a state machine: the latest snapshot, the filters, the selection and what
//! each key does. Nothing here draws or reads the terminal, so every behaviour is unit-tested;
//! `view::render` draws an [`App`], `terminal` feeds it keys and snapshots.

use std::time::Duration;

use cloudjobs::{DateTime, Job, JobState, Service};
use serde::Serialize;

/// Every configured service's jobs at one moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    /// The jobs that were listed, from every service that answered.
    pub jobs: Vec<Job>,
    /// The services (or parts of a service's scope) that could not be listed, with why.
    pub errors: Vec<ServiceError>,
    /// When the listing started.
    pub taken_at: DateTime,
}

/// A service, or one scope of it, that could not be listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceError {
    /// The service.
    pub service: Service,
    /// What went wrong, naming the scope (catalog, window execution, protection) when the
    /// service has several.
    pub message: String,
}

/// The order of the groups: what needs attention first, settled work last.
pub const STATE_ORDER: [JobState; 7] = [
    JobState::Running,
    JobState::Pending,
    JobState::Paused,
    JobState::Failed,
    JobState::Cancelled,
    JobState::Succeeded,
    JobState::Unknown,
];

/// Jobs of one state, in display order.
#[derive(Debug, Clone, PartialEq)]
pub struct Group<'a> {
    /// The state every job of the group is in.
    pub state: JobState,
    /// The jobs: newest first, then by service and id.
    pub jobs: Vec<&'a Job>,
}

/// Groups `jobs` by state in [`STATE_ORDER`], leaving out empty groups. Within a group the
/// newest job comes first (jobs without a creation time last), ties by service and id, so a
/// refresh that changes nothing keeps every row in place.
pub fn group_by_state<'a>(jobs: impl IntoIterator<Item = &'a Job>) -> Vec<Group<'a>> {
    let mut all: Vec<&Job> = jobs.into_iter().collect();
    all.sort_by(|a, b| {
        let newest =
            |j: &Job| std::cmp::Reverse(j.created_at.map(|t| (t.secs(), t.subsec_nanos())));
        newest(a)
            .cmp(&newest(b))
            .then(a.service.cmp(&b.service))
            .then(a.id.cmp(&b.id))
    });
    STATE_ORDER
        .into_iter()
        .map(|state| Group {
            state,
            jobs: all.iter().copied().filter(|j| j.state == state).collect(),
        })
        .filter(|g| !g.jobs.is_empty())
        .collect()
}

/// Counts jobs per state, in [`STATE_ORDER`], keeping states with no job.
pub fn counts_by_state<'a>(jobs: impl IntoIterator<Item = &'a Job>) -> Vec<(JobState, usize)> {
    let mut counts: Vec<(JobState, usize)> = STATE_ORDER.into_iter().map(|s| (s, 0)).collect();
    for job in jobs {
        if let Some(entry) = counts.iter_mut().find(|(s, _)| *s == job.state) {
            entry.1 += 1;
        }
    }
    counts
}

/// A key press, as the view understands it (the terminal layer translates crossterm's events).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A printable character.
    Char(char),
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
    /// Home.
    Home,
    /// End.
    End,
    /// Enter.
    Enter,
    /// Escape.
    Esc,
    /// Ctrl-C.
    Interrupt,
}

/// What the loop driving the view must do after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Redraw; nothing else.
    None,
    /// Leave the view.
    Quit,
    /// List again now instead of waiting for the next tick.
    Refresh,
}

/// `t` to the second, e.g. `2026-12-02T12:00:01Z`: when a snapshot was taken, as shown.
pub fn to_second(t: DateTime) -> String {
    DateTime::from_secs(t.secs()).to_rfc3339()
}

/// Rows moved by page up and page down.
pub const PAGE: usize = 10;

/// The help line.
pub const HELP: &str = "q quit  ↑↓ move  enter details  s/S service  f/F state  c clear  r refresh";

/// The state of the live view.
#[derive(Debug, Clone)]
pub struct App {
    /// The latest snapshot; `None` until the first one arrives.
    pub snapshot: Option<Snapshot>,
    /// Show only this service's jobs.
    pub service_filter: Option<Service>,
    /// Show only jobs in this state.
    pub state_filter: Option<JobState>,
    /// The selected job, by service and id, so a refresh keeps it selected.
    selected: Option<(Service, String)>,
    /// Whether the details of the selected job are shown.
    pub details_open: bool,
    /// A listing is under way.
    pub refreshing: bool,
    /// The last snapshot `--count` allows was taken: the view no longer refreshes.
    pub stopped: bool,
    /// How often the view refreshes (shown in the header).
    pub interval: Duration,
    /// Services listed, in [`Service::ALL`] order (what `s` cycles through).
    pub services: Vec<Service>,
    /// Lines for the status area that are not errors (e.g. a service left out for lack of a
    /// scope).
    pub notes: Vec<String>,
}

impl App {
    /// A view of `services` refreshed every `interval`, with no snapshot yet.
    pub fn new(services: Vec<Service>, interval: Duration) -> App {
        App {
            snapshot: None,
            service_filter: None,
            state_filter: None,
            selected: None,
            details_open: false,
            refreshing: false,
            stopped: false,
            interval,
            services,
            notes: Vec::new(),
        }
    }

    /// Takes a new snapshot: the same job stays selected if it is still shown, else the row
    /// at the same place (or the last one).
    pub fn set_snapshot(&mut self, snapshot: Snapshot) {
        let old_index = self.selected_index();
        self.snapshot = Some(snapshot);
        self.refreshing = false;
        self.reselect(old_index);
    }

    /// Jobs that pass the service filter (what the state counts are of).
    pub fn service_jobs(&self) -> impl Iterator<Item = &Job> {
        let filter = self.service_filter;
        self.snapshot
            .iter()
            .flat_map(|s| s.jobs.iter())
            .filter(move |j| filter.is_none_or(|f| j.service == f))
    }

    /// The groups shown: both filters applied.
    pub fn groups(&self) -> Vec<Group<'_>> {
        let state = self.state_filter;
        group_by_state(
            self.service_jobs()
                .filter(|j| state.is_none_or(|s| j.state == s)),
        )
    }

    /// The jobs shown, in display order.
    pub fn visible(&self) -> Vec<&Job> {
        self.groups().into_iter().flat_map(|g| g.jobs).collect()
    }

    /// The selected job, if it is shown.
    pub fn selected_job(&self) -> Option<&Job> {
        let (service, id) = self.selected.as_ref()?;
        self.visible()
            .into_iter()
            .find(|j| j.service == *service && j.id == *id)
    }

    /// Position of the selected job among [`App::visible`].
    pub fn selected_index(&self) -> Option<usize> {
        let (service, id) = self.selected.as_ref()?;
        self.visible()
            .iter()
            .position(|j| j.service == *service && j.id == *id)
    }

    fn select_index(&mut self, index: usize) {
        let visible = self.visible();
        self.selected = visible
            .get(index.min(visible.len().saturating_sub(1)))
            .map(|j| (j.service, j.id.clone()));
    }

    /// After the shown jobs changed: keep the selected job if shown, else select the row at
    /// `old_index` (clamped), else the first row.
    fn reselect(&mut self, old_index: Option<usize>) {
        if self.selected_index().is_none() {
            self.select_index(old_index.unwrap_or(0));
        }
        if self.selected.is_none() {
            self.details_open = false;
        }
    }

    fn move_by(&mut self, delta: isize) {
        let current = self.selected_index().unwrap_or(0);
        self.select_index(current.saturating_add_signed(delta));
    }

    fn cycle_service(&mut self, forward: bool) {
        self.service_filter = cycle(&self.services, self.service_filter, forward);
        let index = self.selected_index();
        self.reselect(index);
    }

    fn cycle_state(&mut self, forward: bool) {
        self.state_filter = cycle(&STATE_ORDER, self.state_filter, forward);
        let index = self.selected_index();
        self.reselect(index);
    }

    /// Applies one key. `q` and Ctrl-C always quit; Esc and Enter close the details when they
    /// are open (else Esc quits and Enter opens them); every other key acts on the list, and
    /// open details follow the selection.
    pub fn handle_key(&mut self, key: Key) -> Action {
        match key {
            Key::Char('q') | Key::Interrupt => return Action::Quit,
            Key::Esc if self.details_open => self.details_open = false,
            Key::Esc => return Action::Quit,
            Key::Enter if self.details_open => self.details_open = false,
            Key::Enter => self.details_open = self.selected_job().is_some(),
            Key::Char('r') => return Action::Refresh,
            Key::Up | Key::Char('k') => self.move_by(-1),
            Key::Down | Key::Char('j') => self.move_by(1),
            Key::PageUp => self.move_by(-(PAGE as isize)),
            Key::PageDown => self.move_by(PAGE as isize),
            Key::Home | Key::Char('g') => self.select_index(0),
            Key::End | Key::Char('G') => self.select_index(usize::MAX),
            Key::Char('s') => self.cycle_service(true),
            Key::Char('S') => self.cycle_service(false),
            Key::Char('f') => self.cycle_state(true),
            Key::Char('F') => self.cycle_state(false),
            Key::Char('c') => {
                self.service_filter = None;
                self.state_filter = None;
                let index = self.selected_index();
                self.reselect(index);
            }
            Key::Char(_) => {}
        }
        Action::None
    }
}

/// The next (or previous) filter value: none, then each of `values`, then none again.
fn cycle<T: Copy + PartialEq>(values: &[T], current: Option<T>, forward: bool) -> Option<T> {
    let position = current.and_then(|c| values.iter().position(|v| *v == c));
    let next = match (position, forward) {
        (None, true) => Some(0),
        (None, false) => values.len().checked_sub(1),
        (Some(i), true) => Some(i + 1).filter(|&n| n < values.len()),
        (Some(i), false) => i.checked_sub(1),
    };
    next.map(|i| values[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(service: Service, id: &str, state: JobState, created: i64) -> Job {
        Job {
            service,
            id: id.to_owned(),
            name: None,
            state,
            raw_status: None,
            created_at: Some(DateTime::from_secs(created)),
            finished_at: None,
            detail: None,
        }
    }

    fn app(jobs: Vec<Job>) -> App {
        let mut app = App::new(Service::ALL.to_vec(), Duration::from_secs(2));
        app.set_snapshot(Snapshot {
            jobs,
            errors: Vec::new(),
            taken_at: DateTime::from_secs(0),
        });
        app
    }

    fn sample() -> Vec<Job> {
        vec![
            job(Service::Macie2, "m-old", JobState::Running, 10),
            job(Service::Macie2, "m-new", JobState::Running, 20),
            job(Service::SsmMw, "s-fail", JobState::Failed, 5),
            job(Service::SpaceoneIdentity, "o-done", JobState::Succeeded, 1),
            job(Service::SpaceoneIdentity, "o-run", JobState::Running, 15),
        ]
    }

    fn ids(app: &App) -> Vec<&str> {
        app.visible().iter().map(|j| j.id.as_str()).collect()
    }

    fn selected(app: &App) -> Option<&str> {
        app.selected_job().map(|j| j.id.as_str())
    }

    #[test]
    fn groups_follow_state_order_newest_first() {
        let app = app(sample());
        assert_eq!(ids(&app), ["m-new", "o-run", "m-old", "s-fail", "o-done"]);
        let states: Vec<JobState> = app.groups().iter().map(|g| g.state).collect();
        assert_eq!(
            states,
            [JobState::Running, JobState::Failed, JobState::Succeeded]
        );
    }

    #[test]
    fn counts_keep_empty_states() {
        let counts = counts_by_state(&sample());
        assert_eq!(counts.len(), STATE_ORDER.len());
        assert_eq!(counts[0], (JobState::Running, 3));
        assert!(counts.contains(&(JobState::Pending, 0)));
        assert!(counts.contains(&(JobState::Failed, 1)));
    }

    #[test]
    fn first_snapshot_selects_the_first_row() {
        assert_eq!(selected(&app(sample())), Some("m-new"));
    }

    #[test]
    fn arrows_move_and_stop_at_the_ends() {
        let mut app = app(sample());
        assert_eq!(app.handle_key(Key::Up), Action::None);
        assert_eq!(selected(&app), Some("m-new"));
        app.handle_key(Key::Down);
        app.handle_key(Key::Char('j'));
        assert_eq!(selected(&app), Some("m-old"));
        app.handle_key(Key::Char('k'));
        assert_eq!(selected(&app), Some("o-run"));
        app.handle_key(Key::PageDown);
        assert_eq!(selected(&app), Some("o-done"));
        app.handle_key(Key::Down);
        assert_eq!(selected(&app), Some("o-done"));
        app.handle_key(Key::Home);
        assert_eq!(selected(&app), Some("m-new"));
        app.handle_key(Key::Char('G'));
        assert_eq!(selected(&app), Some("o-done"));
    }

    #[test]
    fn service_filter_cycles_through_every_service_and_back_to_all() {
        let mut app = app(sample());
        let mut seen = Vec::new();
        for _ in 0..=Service::ALL.len() {
            app.handle_key(Key::Char('s'));
            seen.push(app.service_filter);
        }
        let mut expected: Vec<Option<Service>> = Service::ALL.into_iter().map(Some).collect();
        expected.push(None);
        assert_eq!(seen, expected);
        app.handle_key(Key::Char('S'));
        assert_eq!(app.service_filter, Some(Service::CloudRewind));
    }

    #[test]
    fn service_filter_shows_only_that_service_and_moves_the_selection_into_it() {
        let mut app = app(sample());
        app.handle_key(Key::Char('s')); // partner-central: no job
        assert!(ids(&app).is_empty());
        assert_eq!(selected(&app), None);
        app.handle_key(Key::Char('s')); // macie2
        assert_eq!(ids(&app), ["m-new", "m-old"]);
        assert_eq!(selected(&app), Some("m-new"));
        // State counts follow the service filter.
        let counts = counts_by_state(app.service_jobs());
        assert_eq!(counts[0], (JobState::Running, 2));
    }

    #[test]
    fn state_filter_and_clear() {
        let mut app = app(sample());
        app.handle_key(Key::Char('f'));
        assert_eq!(app.state_filter, Some(JobState::Running));
        assert_eq!(ids(&app), ["m-new", "o-run", "m-old"]);
        app.handle_key(Key::Char('F'));
        assert_eq!(app.state_filter, None);
        app.handle_key(Key::Char('F'));
        assert_eq!(app.state_filter, Some(JobState::Unknown));
        assert!(ids(&app).is_empty());
        app.handle_key(Key::Char('c'));
        assert_eq!(app.state_filter, None);
        assert_eq!(ids(&app).len(), 5);
        assert_eq!(selected(&app), Some("m-new"));
    }

    #[test]
    fn enter_opens_details_esc_closes_then_quits() {
        let mut app = app(sample());
        app.handle_key(Key::Down);
        assert_eq!(app.handle_key(Key::Enter), Action::None);
        assert!(app.details_open);
        assert_eq!(selected(&app), Some("o-run"));
        assert_eq!(app.handle_key(Key::Esc), Action::None);
        assert!(!app.details_open);
        assert_eq!(app.handle_key(Key::Esc), Action::Quit);
    }

    #[test]
    fn q_and_ctrl_c_quit_even_from_details() {
        let mut app = app(sample());
        app.handle_key(Key::Enter);
        assert_eq!(app.handle_key(Key::Char('q')), Action::Quit);
        assert_eq!(app.handle_key(Key::Interrupt), Action::Quit);
    }

    #[test]
    fn enter_without_jobs_opens_nothing() {
        let mut app = app(Vec::new());
        app.handle_key(Key::Enter);
        assert!(!app.details_open);
        let mut waiting = App::new(Service::ALL.to_vec(), Duration::from_secs(1));
        waiting.handle_key(Key::Enter);
        waiting.handle_key(Key::Down);
        assert!(!waiting.details_open);
    }

    #[test]
    fn r_asks_for_a_refresh() {
        assert_eq!(app(sample()).handle_key(Key::Char('r')), Action::Refresh);
    }

    #[test]
    fn refresh_keeps_the_selected_job_where_it_moved() {
        let mut app = app(sample());
        app.handle_key(Key::Down); // o-run
        app.handle_key(Key::Enter);
        let mut jobs = sample();
        // o-run finished, and a newer running job arrived.
        jobs[4].state = JobState::Succeeded;
        jobs.push(job(Service::Macie2, "m-newest", JobState::Running, 30));
        app.set_snapshot(Snapshot {
            jobs,
            errors: Vec::new(),
            taken_at: DateTime::from_secs(1),
        });
        assert_eq!(selected(&app), Some("o-run"));
        assert!(app.details_open);
        assert_eq!(
            app.selected_job().map(|j| j.state),
            Some(JobState::Succeeded)
        );
    }

    #[test]
    fn a_vanished_job_hands_the_selection_to_its_row_and_closes_nothing_else() {
        let mut app = app(sample());
        app.handle_key(Key::End); // o-done, last row
        let mut jobs = sample();
        jobs.retain(|j| j.id != "o-done");
        app.set_snapshot(Snapshot {
            jobs,
            errors: Vec::new(),
            taken_at: DateTime::from_secs(1),
        });
        assert_eq!(selected(&app), Some("s-fail"));
        app.handle_key(Key::Enter);
        app.set_snapshot(Snapshot {
            jobs: Vec::new(),
            errors: Vec::new(),
            taken_at: DateTime::from_secs(2),
        });
        assert_eq!(selected(&app), None);
        assert!(
            !app.details_open,
            "details of a job that is gone are closed"
        );
    }
}
