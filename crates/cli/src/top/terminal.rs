//! The full-screen loop: crossterm's raw mode and alternate screen (through ratatui), key
//! events, and a listing every interval in a task of its own so keys never wait for the
//! network.

use std::sync::Arc;
use std::time::Duration;

use cloudjobs::jobs::JobClient;
use crossterm::event::{Event, EventStream, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use tokio::time::Instant;

use crate::error::CliError;

use super::app::{Action, App, Key, Snapshot};
use super::source::{Scope, snapshot};
use super::view::render;

/// Translates a crossterm key event; `None` for keys the view has no use for.
pub fn translate(key: KeyEvent) -> Option<Key> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return (key.code == KeyCode::Char('c')).then_some(Key::Interrupt);
    }
    Some(match key.code {
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        _ => return None,
    })
}

/// Runs the live view until `q`, Esc or Ctrl-C: lists at once, then every `interval` after
/// the previous listing ended, at most `count` times. The terminal is restored on the way
/// out, also after an error (and, through ratatui's panic hook, after a panic).
pub async fn run(
    jobs: JobClient,
    scope: Scope,
    interval: Duration,
    count: Option<u64>,
) -> Result<(), CliError> {
    let mut terminal = ratatui::try_init()
        .map_err(|e| CliError::Other(format!("could not set up the terminal: {e}")))?;
    let result = event_loop(&mut terminal, jobs, scope, interval, count).await;
    let restored = ratatui::try_restore();
    result?;
    restored.map_err(|e| CliError::Other(format!("could not restore the terminal: {e}")))
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    jobs: JobClient,
    scope: Scope,
    interval: Duration,
    count: Option<u64>,
) -> Result<(), CliError> {
    let mut app = App::new(scope.listed(), interval);
    app.notes = scope.skipped();
    let scope = Arc::new(scope);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Snapshot>(1);
    let mut events = EventStream::new();
    let mut next = Instant::now();
    let mut listing: Option<tokio::task::JoinHandle<()>> = None;
    let mut taken: u64 = 0;
    // SIGTERM (or a SIGINT from outside: in raw mode Ctrl-C is a key) ends the view the way
    // `q` does, so the terminal is restored.
    let signal = crate::serve::shutdown_signal();
    tokio::pin!(signal);
    let result = loop {
        if let Err(e) = terminal.draw(|frame| render(&app, frame)) {
            break Err(CliError::Other(format!("could not draw: {e}")));
        }
        let may_list = listing.is_none() && count.is_none_or(|c| taken < c);
        tokio::select! {
            _ = tokio::time::sleep_until(next), if may_list => {
                app.refreshing = true;
                let (tx, jobs, scope) = (tx.clone(), jobs.clone(), Arc::clone(&scope));
                listing = Some(tokio::spawn(async move {
                    let _ = tx.send(snapshot(&jobs, &scope).await).await;
                }));
            }
            Some(snapshot) = rx.recv() => {
                app.set_snapshot(snapshot);
                listing = None;
                taken += 1;
                app.stopped = count.is_some_and(|c| taken >= c);
                next = Instant::now() + interval;
            }
            () = &mut signal => break Ok(()),
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => {
                    match translate(key).map(|k| app.handle_key(k)) {
                        Some(Action::Quit) => break Ok(()),
                        Some(Action::Refresh) => next = Instant::now(),
                        Some(Action::None) | None => {}
                    }
                }
                // Resizes and anything else: drawn again at the top of the loop.
                Some(Ok(_)) => {}
                Some(Err(e)) => break Err(CliError::Other(format!("could not read the terminal: {e}"))),
                None => break Ok(()),
            },
        }
    };
    if let Some(task) = listing {
        task.abort();
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_translate_and_ctrl_c_interrupts() {
        let plain = |code| KeyEvent::new(code, KeyModifiers::NONE);
        assert_eq!(translate(plain(KeyCode::Char('q'))), Some(Key::Char('q')));
        assert_eq!(translate(plain(KeyCode::Enter)), Some(Key::Enter));
        assert_eq!(translate(plain(KeyCode::Esc)), Some(Key::Esc));
        assert_eq!(translate(plain(KeyCode::Down)), Some(Key::Down));
        assert_eq!(translate(plain(KeyCode::F(1))), None);
        assert_eq!(
            translate(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Key::Interrupt)
        );
        assert_eq!(
            translate(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(
            translate(KeyEvent::new(KeyCode::Char('S'), KeyModifiers::SHIFT)),
            Some(Key::Char('S'))
        );
    }
}
