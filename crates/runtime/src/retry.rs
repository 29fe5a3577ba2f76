//! Retry decisions: what is retried, how long to wait, and the client-wide retry budget.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use crate::config::{RetryConfig, RetryMode};

/// Tokens a retry takes from the budget.
pub(crate) const RETRY_COST: u32 = 5;
/// Tokens a retry after a timeout takes from the budget.
pub(crate) const TIMEOUT_RETRY_COST: u32 = 10;
/// Tokens a success without retry gives back to the budget.
pub(crate) const NO_RETRY_INCREMENT: u32 = 1;

/// Error codes that mean "slow down", whatever the service.
pub(crate) const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient failures.
pub(crate) const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// Why a failure may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryKind {
    /// Throttling code or HTTP 429.
    Throttling,
    /// 5xx or a transient code.
    ServerError,
    /// The connection failed or broke, or the response was malformed.
    Transport,
    /// The attempt timed out.
    Timeout,
}

impl RetryKind {
    pub(crate) fn cost(self) -> u32 {
        match self {
            RetryKind::Timeout => TIMEOUT_RETRY_COST,
            _ => RETRY_COST,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RetryKind::Throttling => "throttling",
            RetryKind::ServerError => "server error",
            RetryKind::Transport => "transport error",
            RetryKind::Timeout => "attempt timeout",
        }
    }
}

/// Classifies an error response.
pub(crate) fn classify_response(
    status: u16,
    code: Option<&str>,
    service_throttling_codes: &[&str],
) -> Option<RetryKind> {
    if let Some(code) = code {
        if service_throttling_codes.contains(&code) || THROTTLING_CODES.contains(&code) {
            return Some(RetryKind::Throttling);
        }
        if TRANSIENT_CODES.contains(&code) {
            return Some(RetryKind::ServerError);
        }
    }
    match status {
        429 => Some(RetryKind::Throttling),
        500..=599 => Some(RetryKind::ServerError),
        _ => None,
    }
}

/// The client-wide retry budget: a token bucket.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    capacity: u32,
    tokens: Mutex<u32>,
}

impl TokenBucket {
    pub(crate) fn new(capacity: u32) -> Self {
        TokenBucket {
            capacity,
            tokens: Mutex::new(capacity),
        }
    }

    /// Takes `cost` tokens if there are that many.
    pub(crate) fn try_acquire(&self, cost: u32) -> bool {
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if *tokens >= cost {
            *tokens -= cost;
            true
        } else {
            false
        }
    }

    /// Gives back `n` tokens (never above the capacity).
    pub(crate) fn release(&self, n: u32) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        *tokens = (*tokens + n).min(self.capacity);
    }

    #[cfg(test)]
    pub(crate) fn available(&self) -> u32 {
        *self.tokens.lock().unwrap()
    }
}

/// Lowest send rate of the adaptive mode, in requests per second.
const MIN_SEND_RATE: f64 = 0.5;
/// Share of the measured send rate kept after a throttling error.
const THROTTLE_BETA: f64 = 0.7;
/// Share of the send rate added back on each success (at least 0.5 request/s).
const RECOVERY_STEP: f64 = 0.05;
/// Length of the window the send rate is measured over.
const MEASURE_WINDOW: Duration = Duration::from_millis(500);

/// The client-side rate limiter of the adaptive mode: a token bucket filled at `fill_rate`
/// requests per second, off until the first throttling error. After a throttling error the
/// rate drops to 70% of the rate the client was measured sending at; each success raises it
/// by 5% (additive increase, multiplicative decrease).
#[derive(Debug)]
pub(crate) struct RateLimiter {
    state: Mutex<RateState>,
}

#[derive(Debug)]
struct RateState {
    enabled: bool,
    fill_rate: f64,
    tokens: f64,
    last_refill: Instant,
    measured_rate: f64,
    window_start: Instant,
    window_count: u32,
}

impl RateLimiter {
    fn new() -> Self {
        let now = Instant::now();
        RateLimiter {
            state: Mutex::new(RateState {
                enabled: false,
                fill_rate: 0.0,
                tokens: 0.0,
                last_refill: now,
                measured_rate: 0.0,
                window_start: now,
                window_count: 0,
            }),
        }
    }

    /// Takes a send token; returns how long to wait before sending (zero while the limiter
    /// is off). Tokens are reserved ahead, so concurrent callers queue in order.
    pub(crate) fn acquire(&self) -> Duration {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if !st.enabled {
            return Duration::ZERO;
        }
        let now = Instant::now();
        let capacity = st.fill_rate.max(1.0);
        let elapsed = now.saturating_duration_since(st.last_refill).as_secs_f64();
        st.tokens = (st.tokens + elapsed * st.fill_rate).min(capacity);
        st.last_refill = now;
        st.tokens -= 1.0;
        if st.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((-st.tokens / st.fill_rate).min(60.0))
        }
    }

    /// Records the outcome of an attempt that got a response.
    pub(crate) fn on_response(&self, throttled: bool) {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        st.window_count += 1;
        let window = now.saturating_duration_since(st.window_start);
        if window >= MEASURE_WINDOW {
            let rate = f64::from(st.window_count) / window.as_secs_f64();
            st.measured_rate = if st.measured_rate == 0.0 {
                rate
            } else {
                0.8 * rate + 0.2 * st.measured_rate
            };
            st.window_start = now;
            st.window_count = 0;
        }
        if throttled {
            let measured = if st.measured_rate > 0.0 {
                st.measured_rate
            } else {
                // Not a full window yet: what was sent so far in it.
                f64::from(st.window_count) / window.as_secs_f64().max(0.001)
            };
            let base = if st.enabled {
                measured.min(st.fill_rate)
            } else {
                measured
            };
            st.fill_rate = (base * THROTTLE_BETA).max(MIN_SEND_RATE);
            if !st.enabled {
                st.enabled = true;
                st.tokens = 0.0;
                st.last_refill = now;
            }
            tracing::debug!(rate = st.fill_rate, "throttled: client send rate lowered");
        } else if st.enabled {
            st.fill_rate += (st.fill_rate * RECOVERY_STEP).max(0.5);
        }
    }

    #[cfg(test)]
    fn fill_rate(&self) -> Option<f64> {
        let st = self.state.lock().unwrap();
        st.enabled.then_some(st.fill_rate)
    }
}

/// What a client's retries did so far: a snapshot of counters shared by every clone of a
/// [`Handle`](crate::Handle) ([`Handle::retry_stats`](crate::Handle::retry_stats)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryStats {
    /// Operations started (validated and sent at least once).
    pub operations: u64,
    /// Attempts sent, first attempts included.
    pub attempts: u64,
    /// Retries made (attempts after the first of their operation).
    pub retries: u64,
    /// Retries after a throttling error.
    pub throttling_retries: u64,
    /// Retries after a 5xx or transient error.
    pub server_error_retries: u64,
    /// Retries after a transport failure (connection refused, reset, malformed response).
    pub transport_retries: u64,
    /// Retries after a connect or attempt timeout.
    pub timeout_retries: u64,
    /// Retryable failures returned because the retry budget was spent.
    pub budget_exhausted: u64,
    /// Pages a paginator asked for again after their operation failed.
    pub page_retries: u64,
    /// Time spent waiting for the adaptive mode's rate limiter, in milliseconds.
    pub rate_limited_ms: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    operations: AtomicU64,
    attempts: AtomicU64,
    throttling: AtomicU64,
    server_error: AtomicU64,
    transport: AtomicU64,
    timeout: AtomicU64,
    budget_exhausted: AtomicU64,
    page_retries: AtomicU64,
    rate_limited_ms: AtomicU64,
}

impl Counters {
    fn snapshot(&self) -> RetryStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let throttling = get(&self.throttling);
        let server = get(&self.server_error);
        let transport = get(&self.transport);
        let timeout = get(&self.timeout);
        RetryStats {
            operations: get(&self.operations),
            attempts: get(&self.attempts),
            retries: throttling + server + transport + timeout,
            throttling_retries: throttling,
            server_error_retries: server,
            transport_retries: transport,
            timeout_retries: timeout,
            budget_exhausted: get(&self.budget_exhausted),
            page_retries: get(&self.page_retries),
            rate_limited_ms: get(&self.rate_limited_ms),
        }
    }
}

/// Per-client retry state: the budget, the rate limiter, the counters and the jitter source.
#[derive(Debug)]
pub(crate) struct RetryState {
    pub(crate) bucket: Option<TokenBucket>,
    pub(crate) limiter: Option<RateLimiter>,
    counters: Counters,
    rng: Mutex<fastrand::Rng>,
}

impl RetryState {
    pub(crate) fn new(config: &RetryConfig) -> Self {
        RetryState {
            bucket: config.retry_budget().map(TokenBucket::new),
            limiter: (config.mode() == RetryMode::Adaptive).then(RateLimiter::new),
            counters: Counters::default(),
            rng: Mutex::new(fastrand::Rng::with_seed(crate::wire::std_seed())),
        }
    }

    /// Takes the cost of a retry from the budget; `false` when the budget is spent.
    pub(crate) fn acquire(&self, kind: RetryKind) -> bool {
        let ok = match &self.bucket {
            Some(bucket) => bucket.try_acquire(kind.cost()),
            None => true,
        };
        if ok {
            let counter = match kind {
                RetryKind::Throttling => &self.counters.throttling,
                RetryKind::ServerError => &self.counters.server_error,
                RetryKind::Transport => &self.counters.transport,
                RetryKind::Timeout => &self.counters.timeout,
            };
            counter.fetch_add(1, Ordering::Relaxed);
        } else {
            self.counters
                .budget_exhausted
                .fetch_add(1, Ordering::Relaxed);
        }
        ok
    }

    /// Counts an operation started.
    pub(crate) fn count_operation(&self) {
        self.counters.operations.fetch_add(1, Ordering::Relaxed);
    }

    /// Waits for the rate limiter (adaptive mode), then counts the attempt.
    pub(crate) async fn before_attempt(&self) {
        if let Some(limiter) = &self.limiter {
            let wait = limiter.acquire();
            if !wait.is_zero() {
                self.counters.rate_limited_ms.fetch_add(
                    u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    Ordering::Relaxed,
                );
                tokio::time::sleep(wait).await;
            }
        }
        self.counters.attempts.fetch_add(1, Ordering::Relaxed);
    }

    /// Tells the rate limiter (adaptive mode) how an answered attempt went.
    pub(crate) fn on_response(&self, throttled: bool) {
        if let Some(limiter) = &self.limiter {
            limiter.on_response(throttled);
        }
    }

    /// Counts a page asked for again by a paginator.
    pub(crate) fn count_page_retry(&self) {
        self.counters.page_retries.fetch_add(1, Ordering::Relaxed);
    }

    /// The counters so far.
    pub(crate) fn stats(&self) -> RetryStats {
        self.counters.snapshot()
    }

    /// Records a success: refunds what the last retry took, or a small increment.
    pub(crate) fn on_success(&self, last_retry_cost: Option<u32>) {
        if let Some(bucket) = &self.bucket {
            bucket.release(last_retry_cost.unwrap_or(NO_RETRY_INCREMENT));
        }
    }

    /// Full-jitter exponential backoff before retry number `retry` (1 = first retry).
    pub(crate) fn backoff(&self, config: &RetryConfig, retry: u32) -> Duration {
        let exp = 2u32.saturating_pow(retry.saturating_sub(1).min(31));
        let ceiling = config
            .initial_backoff()
            .saturating_mul(exp)
            .min(config.max_backoff());
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        let mut rng = self.rng.lock().unwrap_or_else(|p| p.into_inner());
        Duration::from_nanos(rng.u64(0..=nanos))
    }
}

/// Parses `Retry-After`: delay seconds, or an HTTP date (relative to `now`).
pub(crate) fn parse_retry_after(headers: &http::HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        if secs.is_finite() && secs >= 0.0 {
            return Some(Duration::from_secs_f64(secs.min(86_400.0)));
        }
        return None;
    }
    let fmt = crate::datetime::formats::HTTP_DATE_WHOLE;
    let at = time::PrimitiveDateTime::parse(value, fmt)
        .ok()?
        .assume_utc();
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(at.unix_timestamp()).ok()?);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert_eq!(
            classify_response(400, Some("ThrottlingException"), &[]),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(400, Some("Busy"), &["Busy"]),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(429, None, &[]),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(503, None, &[]),
            Some(RetryKind::ServerError)
        );
        assert_eq!(
            classify_response(400, Some("ValidationException"), &[]),
            None
        );
        assert_eq!(classify_response(404, None, &[]), None);
        assert_eq!(classify_response(403, None, &[]), None);
    }

    #[test]
    fn bucket() {
        let b = TokenBucket::new(12);
        assert!(b.try_acquire(5));
        assert!(b.try_acquire(5));
        assert!(!b.try_acquire(5));
        b.release(100);
        assert_eq!(b.available(), 12);
    }

    #[test]
    fn backoff_is_bounded() {
        let cfg = RetryConfig::standard()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_secs(1));
        let state = RetryState::new(&cfg);
        for retry in 1..40 {
            let d = state.backoff(&cfg, retry);
            let ceiling = Duration::from_millis(100 * 2u64.pow(retry.min(20) - 1))
                .min(Duration::from_secs(1));
            assert!(d <= ceiling, "{retry}: {d:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn rate_limiter_slows_down_after_throttling_and_recovers() {
        let limiter = RateLimiter::new();
        assert_eq!(limiter.acquire(), Duration::ZERO);
        assert_eq!(limiter.fill_rate(), None);
        // 20 requests per second for a second, then a throttling error.
        for _ in 0..20 {
            tokio::time::advance(Duration::from_millis(50)).await;
            limiter.on_response(false);
        }
        limiter.on_response(true);
        let rate = limiter.fill_rate().expect("on after throttling");
        assert!((10.0..=16.0).contains(&rate), "{rate}");
        // The bucket starts empty: the next request waits about 1 / rate.
        let wait = limiter.acquire();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_millis(100),
            "{wait:?}"
        );
        for _ in 0..10 {
            limiter.on_response(false);
        }
        assert!(limiter.fill_rate().unwrap() > rate);
        // Repeated throttling never goes below the floor.
        for _ in 0..100 {
            limiter.on_response(true);
        }
        assert!(limiter.fill_rate().unwrap() >= MIN_SEND_RATE);
    }

    #[test]
    fn stats_count_retries_by_kind_and_spent_budget() {
        let state = RetryState::new(&RetryConfig::standard().with_retry_budget(10));
        assert!(state.acquire(RetryKind::Throttling));
        assert!(state.acquire(RetryKind::Transport));
        assert!(!state.acquire(RetryKind::Timeout));
        let stats = state.stats();
        assert_eq!(stats.retries, 2);
        assert_eq!(stats.throttling_retries, 1);
        assert_eq!(stats.transport_retries, 1);
        assert_eq!(stats.timeout_retries, 0);
        assert_eq!(stats.budget_exhausted, 1);
    }

    #[test]
    fn retry_after() {
        let mut h = http::HeaderMap::new();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        h.insert("retry-after", "7".parse().unwrap());
        assert_eq!(parse_retry_after(&h, now), Some(Duration::from_secs(7)));
        // Wed, 21 Oct 2015 07:28:00 GMT = 1445412480
        h.insert(
            "retry-after",
            "Wed, 21 Oct 2015 07:28:10 GMT".parse().unwrap(),
        );
        assert_eq!(parse_retry_after(&h, now), Some(Duration::from_secs(10)));
        h.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(parse_retry_after(&h, now), None);
    }
}
