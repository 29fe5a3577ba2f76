//! Retry decisions: what is retried, how long to wait, and the client-wide retry budget.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::config::RetryConfig;

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
    /// The connection failed, or broke (idempotent operations only).
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

/// Per-client retry state: the budget and the jitter source.
#[derive(Debug)]
pub(crate) struct RetryState {
    pub(crate) bucket: Option<TokenBucket>,
    rng: Mutex<SmallRng>,
}

impl RetryState {
    pub(crate) fn new(config: &RetryConfig) -> Self {
        RetryState {
            bucket: config.retry_budget().map(TokenBucket::new),
            rng: Mutex::new(SmallRng::from_os_rng()),
        }
    }

    /// Takes the cost of a retry from the budget; `false` when the budget is spent.
    pub(crate) fn acquire(&self, kind: RetryKind) -> bool {
        match &self.bucket {
            Some(bucket) => bucket.try_acquire(kind.cost()),
            None => true,
        }
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
        Duration::from_nanos(rng.random_range(0..=nanos))
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
    let fmt = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
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
