//! Waiting for a job to settle: jittered backoff, state-change streams and outcomes.
//!
//! Everything here works on a `poll` function that fetches one [`Job`] from any service, so the
//! same loop serves every client (and [`JobClient::watch`](crate::jobs::JobClient::watch)).

use std::future::Future;
use std::time::Duration;

use futures_util::stream::{self, Stream};

use crate::job::{Job, JobState};

/// How often and how long a waiter polls.
///
/// The delay before poll `n + 1` follows the Smithy waiter rule: a random duration between
/// `min_delay` and `min(max_delay, min_delay * 2^(n-1))`, so many waiters started together
/// spread out instead of polling in lockstep. With `min_delay == max_delay` the delay is fixed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaiterConfig {
    /// Shortest delay between polls, and the delay before the second poll. Default 2 s.
    pub min_delay: Duration,
    /// Longest delay between polls. Default 60 s.
    pub max_delay: Duration,
    /// Give up after this long; a last poll is made at the deadline. Default 30 minutes.
    pub max_wait: Duration,
}

impl Default for WaiterConfig {
    fn default() -> Self {
        WaiterConfig {
            min_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(60),
            max_wait: Duration::from_secs(30 * 60),
        }
    }
}

impl WaiterConfig {
    /// The shortest delay actually used: `min_delay`, but never zero (a zero delay would
    /// poll in a tight loop), so at least 1 ms.
    fn floor(&self) -> Duration {
        self.min_delay.max(Duration::from_millis(1))
    }

    /// The upper bound of the delay after `polls` polls (1 or more): `min_delay` doubled per
    /// poll after the first, capped at `max_delay` (never below `min_delay`).
    pub fn delay_bound(&self, polls: u32) -> Duration {
        let min = self.floor();
        let exponent = polls.saturating_sub(1).min(31);
        min.saturating_mul(1u32 << exponent)
            .min(self.max_delay)
            .max(min)
    }

    /// A delay after `polls` polls, uniformly random between `min_delay` and
    /// [`delay_bound`](Self::delay_bound).
    fn jittered_delay(&self, polls: u32, rng: &mut fastrand::Rng) -> Duration {
        let (min, bound) = (self.floor(), self.delay_bound(polls));
        if bound <= min {
            return min;
        }
        let to_nanos = |d: Duration| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rng.u64(to_nanos(min)..=to_nanos(bound)))
    }
}

/// Why a waiter stopped without a settled job.
#[derive(Debug)]
pub enum WaitError<E> {
    /// A poll failed; the error is the poll's.
    Poll(E),
    /// `max_wait` passed; the last state seen is kept.
    TimedOut {
        /// The job as last seen.
        last: Box<Job>,
        /// How many polls were made.
        polls: u32,
    },
}

impl<E> WaitError<E> {
    /// The job as last seen, when the deadline passed.
    pub fn last_job(&self) -> Option<&Job> {
        match self {
            WaitError::TimedOut { last, .. } => Some(last),
            WaitError::Poll(_) => None,
        }
    }
}

impl<E: std::fmt::Display> std::fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WaitError::Poll(e) => write!(f, "polling the job failed: {e}"),
            WaitError::TimedOut { last, polls } => write!(
                f,
                "job {} of {} was still {} ({}) after {polls} polls",
                last.id,
                last.service,
                last.state,
                last.raw_status.as_deref().unwrap_or("no status")
            ),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for WaitError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Poll(e) => Some(e),
            WaitError::TimedOut { .. } => None,
        }
    }
}

/// How a settled job ended. A failed or cancelled job is a settled job too, but not a success:
/// check [`Outcome::is_success`] or match.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Finished successfully.
    Succeeded(Job),
    /// Finished with an error.
    Failed(Job),
    /// Stopped for good before finishing.
    Cancelled(Job),
    /// Stopped for now (Macie's paused jobs, Partner Central's stopped ones); may resume.
    Paused(Job),
}

impl Outcome {
    /// The outcome of a settled job; the job back while it is still pending, running or
    /// unknown.
    // Once per wait, and the caller wants the job back: boxing it would only cost.
    #[allow(clippy::result_large_err)]
    pub fn of(job: Job) -> Result<Outcome, Job> {
        match job.state {
            JobState::Succeeded => Ok(Outcome::Succeeded(job)),
            JobState::Failed => Ok(Outcome::Failed(job)),
            JobState::Cancelled => Ok(Outcome::Cancelled(job)),
            JobState::Paused => Ok(Outcome::Paused(job)),
            JobState::Pending | JobState::Running | JobState::Unknown => Err(job),
        }
    }

    /// Whether the job succeeded.
    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Succeeded(_))
    }

    /// The job as last seen.
    pub fn job(&self) -> &Job {
        match self {
            Outcome::Succeeded(j)
            | Outcome::Failed(j)
            | Outcome::Cancelled(j)
            | Outcome::Paused(j) => j,
        }
    }

    /// The job as last seen, by value.
    pub fn into_job(self) -> Job {
        match self {
            Outcome::Succeeded(j)
            | Outcome::Failed(j)
            | Outcome::Cancelled(j)
            | Outcome::Paused(j) => j,
        }
    }

    /// `Ok(job)` when it succeeded, else `Err(self)`: for `?` in code that only goes on after
    /// a success.
    #[allow(clippy::result_large_err)]
    pub fn into_result(self) -> Result<Job, Outcome> {
        match self {
            Outcome::Succeeded(job) => Ok(job),
            other => Err(other),
        }
    }
}

/// One step of the poll loop: the job changed, or it settled.
enum Step {
    Changed(Job),
    Settled(Outcome),
}

/// The poll loop shared by [`watch_with`] and [`wait_for_outcome`].
struct Watcher<F> {
    poll: F,
    config: WaiterConfig,
    start: Option<tokio::time::Instant>,
    polls: u32,
    last: Option<(JobState, Option<String>)>,
    rng: fastrand::Rng,
}

impl<F> Watcher<F> {
    fn new(config: WaiterConfig, poll: F) -> Self {
        Watcher {
            poll,
            config,
            start: None,
            polls: 0,
            last: None,
            rng: fastrand::Rng::new(),
        }
    }

    /// Polls (after the backoff delay) until the job changes, settles, the deadline passes or
    /// a poll fails.
    async fn step<Fut, E>(&mut self) -> Result<Step, WaitError<E>>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Job, E>>,
    {
        loop {
            let start = *self.start.get_or_insert_with(tokio::time::Instant::now);
            if self.polls > 0 {
                let remaining = self.config.max_wait.saturating_sub(start.elapsed());
                let delay = self.config.jittered_delay(self.polls, &mut self.rng);
                tokio::time::sleep(delay.min(remaining)).await;
            }
            let job = (self.poll)().await.map_err(WaitError::Poll)?;
            self.polls += 1;
            let key = (job.state, job.raw_status.clone());
            let changed = self.last.as_ref() != Some(&key);
            self.last = Some(key);
            let job = match Outcome::of(job) {
                Ok(outcome) => return Ok(Step::Settled(outcome)),
                Err(job) => job,
            };
            if start.elapsed() >= self.config.max_wait {
                return Err(WaitError::TimedOut {
                    last: Box::new(job),
                    polls: self.polls,
                });
            }
            if changed {
                return Ok(Step::Changed(job));
            }
        }
    }
}

/// Polls with `poll` and yields the job whenever its state or raw status changes (the first
/// poll always yields), until it is settled (the settled job is the last item). A failed poll
/// yields [`WaitError::Poll`] and ends the stream; so does the deadline, with
/// [`WaitError::TimedOut`] carrying the last state.
pub fn watch_with<F, Fut, E>(
    config: WaiterConfig,
    poll: F,
) -> impl Stream<Item = Result<Job, WaitError<E>>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Job, E>>,
{
    stream::unfold(Some(Watcher::new(config, poll)), |watcher| async move {
        let mut watcher = watcher?;
        match watcher.step().await {
            Ok(Step::Changed(job)) => Some((Ok(job), Some(watcher))),
            Ok(Step::Settled(outcome)) => Some((Ok(outcome.into_job()), None)),
            Err(e) => Some((Err(e), None)),
        }
    })
}

/// Polls `poll` until the job it returns is settled, and tells how it ended: a failed job is an
/// `Ok(Outcome::Failed(job))`, never a success. Backoff as [`WaiterConfig`] says.
pub async fn wait_for_outcome<F, Fut, E>(
    config: WaiterConfig,
    poll: F,
) -> Result<Outcome, WaitError<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Job, E>>,
{
    let mut watcher = Watcher::new(config, poll);
    loop {
        if let Step::Settled(outcome) = watcher.step().await? {
            return Ok(outcome);
        }
    }
}

/// Polls `poll` until the job it returns is settled ([`JobState::is_settled`]: succeeded,
/// failed, cancelled or paused), with jittered exponential backoff between polls, and returns
/// the settled job whatever its state. [`wait_for_outcome`] tells success from failure.
///
/// `poll` fetches the job once, from any service; for example, for SpaceONE:
///
/// ```no_run
/// # #[cfg(feature = "spaceone-identity")]
/// # async fn example(client: cloudjobs::spaceone_identity::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use cloudjobs::{Job, WaiterConfig, wait_until_settled};
///
/// let job = wait_until_settled(WaiterConfig::default(), || async {
///     client.get_job().job_id("job-3b124006c2d2").send().await.map(Job::from)
/// })
/// .await?;
/// println!("{} ended {}", job.id, job.state);
/// # Ok(())
/// # }
/// ```
pub async fn wait_until_settled<F, Fut, E>(
    config: WaiterConfig,
    poll: F,
) -> Result<Job, WaitError<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Job, E>>,
{
    wait_for_outcome(config, poll).await.map(Outcome::into_job)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::Service;
    use futures_util::StreamExt;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn job(state: JobState) -> Job {
        Job {
            service: Service::SsmMw,
            id: "t-1".into(),
            name: None,
            state,
            raw_status: Some(state.as_str().to_owned()),
            created_at: None,
            finished_at: None,
            detail: None,
        }
    }

    #[test]
    fn delay_bound_doubles_up_to_max() {
        let config = WaiterConfig::default();
        let bounds: Vec<u64> = (1..=7).map(|n| config.delay_bound(n).as_secs()).collect();
        assert_eq!(bounds, [2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(config.delay_bound(u32::MAX), Duration::from_secs(60));
    }

    #[test]
    fn jitter_stays_between_min_and_bound_and_varies() {
        let config = WaiterConfig::default();
        let mut rng = fastrand::Rng::with_seed(7);
        let delays: Vec<Duration> = (0..200)
            .map(|_| config.jittered_delay(4, &mut rng))
            .collect();
        assert!(
            delays
                .iter()
                .all(|d| *d >= Duration::from_secs(2) && *d <= Duration::from_secs(16))
        );
        let distinct: std::collections::BTreeSet<_> = delays.iter().collect();
        assert!(distinct.len() > 100, "no jitter: {distinct:?}");
        // First delay, and a fixed interval, are exact.
        assert_eq!(config.jittered_delay(1, &mut rng), Duration::from_secs(2));
        let fixed = WaiterConfig {
            min_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(100),
            ..config
        };
        assert_eq!(
            fixed.jittered_delay(9, &mut rng),
            Duration::from_millis(100)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn polls_until_terminal_with_bounded_backoff() {
        let calls = AtomicU32::new(0);
        let begin = tokio::time::Instant::now();
        let out = wait_until_settled(WaiterConfig::default(), || async {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            Ok::<_, std::io::Error>(job(if n < 3 {
                JobState::Running
            } else {
                JobState::Succeeded
            }))
        })
        .await
        .unwrap();
        assert_eq!(out.state, JobState::Succeeded);
        assert_eq!(calls.load(Ordering::SeqCst), 4);
        // Delays of 2 s, 2..=4 s and 2..=8 s on the paused clock.
        let waited = begin.elapsed();
        assert!(
            waited >= Duration::from_secs(6) && waited <= Duration::from_secs(14),
            "{waited:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_job_is_not_a_success() {
        let calls = AtomicU32::new(0);
        let outcome = wait_for_outcome(WaiterConfig::default(), || async {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            Ok::<_, std::io::Error>(job(if n < 1 {
                JobState::Pending
            } else {
                JobState::Failed
            }))
        })
        .await
        .unwrap();
        assert!(!outcome.is_success());
        assert!(matches!(outcome, Outcome::Failed(_)));
        assert_eq!(outcome.clone().into_result().unwrap_err(), outcome);
        let ok = wait_for_outcome(WaiterConfig::default(), || async {
            Ok::<_, std::io::Error>(job(JobState::Succeeded))
        })
        .await
        .unwrap();
        assert_eq!(ok.into_result().unwrap().state, JobState::Succeeded);
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_max_wait_with_the_last_state() {
        let config = WaiterConfig {
            max_wait: Duration::from_secs(10),
            ..Default::default()
        };
        let begin = tokio::time::Instant::now();
        let err = wait_for_outcome(config, || async {
            Ok::<_, std::io::Error>(job(JobState::Running))
        })
        .await
        .unwrap_err();
        // The last poll is made at the deadline, not after it.
        assert_eq!(begin.elapsed(), Duration::from_secs(10));
        match &err {
            WaitError::TimedOut { last, polls } => {
                assert_eq!(last.state, JobState::Running);
                assert!(*polls >= 3, "{polls}");
            }
            other => panic!("unexpected {other}"),
        }
        assert_eq!(err.last_job().unwrap().state, JobState::Running);
        assert!(err.to_string().contains("still running"), "{err}");
    }

    #[tokio::test(start_paused = true)]
    async fn watch_yields_each_change_once() {
        let script = [
            JobState::Pending,
            JobState::Pending,
            JobState::Running,
            JobState::Running,
            JobState::Cancelled,
        ];
        let calls = AtomicU32::new(0);
        let seen: Vec<JobState> = watch_with(WaiterConfig::default(), || async {
            let n = calls.fetch_add(1, Ordering::SeqCst) as usize;
            Ok::<_, std::io::Error>(job(script[n.min(script.len() - 1)]))
        })
        .map(|item| item.unwrap().state)
        .collect()
        .await;
        assert_eq!(
            seen,
            [JobState::Pending, JobState::Running, JobState::Cancelled]
        );
        assert_eq!(calls.load(Ordering::SeqCst), 5);
    }

    #[tokio::test(start_paused = true)]
    async fn poll_errors_end_the_wait() {
        let err = wait_until_settled(WaiterConfig::default(), || async {
            Err::<Job, _>(std::io::Error::other("boom"))
        })
        .await
        .unwrap_err();
        assert!(matches!(err, WaitError::Poll(_)));
        assert!(err.to_string().contains("boom"));
    }
}
