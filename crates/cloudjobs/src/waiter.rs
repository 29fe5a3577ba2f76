//! Waiting for a job to settle.

use std::future::Future;
use std::time::Duration;

use crate::job::Job;

/// How often and how long [`wait_until_settled`] polls.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaiterConfig {
    /// Delay before the second poll; it doubles up to `max_delay`. Default 2 s.
    pub min_delay: Duration,
    /// Longest delay between polls. Default 60 s.
    pub max_delay: Duration,
    /// Give up after this long. Default 30 minutes.
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

/// Why [`wait_until_settled`] stopped without a settled job.
#[derive(Debug)]
pub enum WaitError<E> {
    /// A poll failed; the error is the operation's.
    Poll(E),
    /// `max_wait` passed; the last state seen is kept.
    TimedOut {
        /// The job as last seen.
        last: Box<Job>,
        /// How many polls were made.
        polls: u32,
    },
}

impl<E: std::fmt::Display> std::fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WaitError::Poll(e) => write!(f, "polling the job failed: {e}"),
            WaitError::TimedOut { last, polls } => write!(
                f,
                "job {} of {} was still {} after {polls} polls",
                last.id, last.service, last.state
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

/// Polls `poll` until the job it returns is settled ([`JobState::is_settled`](crate::JobState::is_settled): succeeded,
/// failed, cancelled or paused), with exponential backoff between polls.
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
    mut poll: F,
) -> Result<Job, WaitError<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Job, E>>,
{
    let start = tokio::time::Instant::now();
    let mut delay = config.min_delay;
    let mut polls = 0u32;
    loop {
        let job = poll().await.map_err(WaitError::Poll)?;
        polls += 1;
        if job.state.is_settled() {
            return Ok(job);
        }
        let elapsed = start.elapsed();
        if elapsed >= config.max_wait {
            return Err(WaitError::TimedOut {
                last: Box::new(job),
                polls,
            });
        }
        tokio::time::sleep(delay.min(config.max_wait - elapsed)).await;
        delay = (delay * 2).min(config.max_delay);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::{JobState, Service};
    use std::sync::atomic::{AtomicU32, Ordering};

    fn job(state: JobState) -> Job {
        Job {
            service: Service::SsmMw,
            id: "t-1".into(),
            name: None,
            state,
            raw_status: None,
            created_at: None,
            finished_at: None,
            detail: None,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn polls_until_terminal_with_backoff() {
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
        // 2 s + 4 s + 8 s of backoff on the paused clock.
        assert_eq!(begin.elapsed(), Duration::from_secs(14));
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_max_wait() {
        let config = WaiterConfig {
            max_wait: Duration::from_secs(10),
            ..Default::default()
        };
        let err = wait_until_settled(config, || async {
            Ok::<_, std::io::Error>(job(JobState::Running))
        })
        .await
        .unwrap_err();
        match err {
            WaitError::TimedOut { last, polls } => {
                assert_eq!(last.state, JobState::Running);
                assert_eq!(polls, 4); // at 0, 2, 6 and 10 s
            }
            other => panic!("unexpected {other}"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn poll_errors_are_returned() {
        let err = wait_until_settled(WaiterConfig::default(), || async {
            Err::<Job, _>(std::io::Error::other("boom"))
        })
        .await
        .unwrap_err();
        assert!(err.to_string().contains("boom"));
    }
}
