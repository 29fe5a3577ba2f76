//! Clock-skew correction for SigV4, as the AWS SDKs do it.
//!
//! AWS refuses a signature whose time is more than five minutes away from its own clock.
//! When a response says so (one of [`SKEW_CODES`]), the runtime takes the server's time from
//! the response's `Date` header, keeps the difference as an offset that every later signature
//! of the same configuration uses, and sends the request again, re-signed, once.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

/// Error codes that can mean the client's clock is off (the AWS SDKs' list). The first three
/// say so outright; the others are plain signature errors unless the server's clock shows a
/// large difference or the message speaks of time.
pub(crate) const SKEW_CODES: [&str; 6] = [
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

/// AWS's tolerance: a larger difference is a skew even when the code is ambiguous.
const TOLERANCE: Duration = Duration::from_secs(300);

/// Phrases of AWS's skew messages ("Signature expired: ... is now earlier than ...",
/// "Signature not yet current: ... is still later than ...").
const SKEW_PHRASES: [&str; 3] = ["signature expired", "not yet current", "too skewed"];

/// The offset (server time minus local time, in milliseconds) shared by the clients of one
/// configuration.
#[derive(Debug, Default)]
pub(crate) struct ClockSkew {
    offset_ms: AtomicI64,
}

impl ClockSkew {
    /// `now` corrected by the learnt offset.
    pub(crate) fn adjust(&self, now: SystemTime) -> SystemTime {
        let ms = self.offset_ms.load(Ordering::Relaxed);
        let delta = Duration::from_millis(ms.unsigned_abs());
        if ms >= 0 {
            now.checked_add(delta).unwrap_or(now)
        } else {
            now.checked_sub(delta).unwrap_or(now)
        }
    }

    /// The learnt offset (server minus local).
    #[cfg(test)]
    pub(crate) fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Looks at an error response: when it is a skew error and its `Date` header gives a
    /// server time that differs from the (corrected) local time `now`, learns the new
    /// offset and returns `true` (the request should be signed again and resent).
    pub(crate) fn observe(
        &self,
        code: Option<&str>,
        message: Option<&str>,
        headers: &http::HeaderMap,
        now: SystemTime,
    ) -> bool {
        let Some(code) = code.filter(|c| SKEW_CODES.contains(c)) else {
            return false;
        };
        let Some(server) = headers
            .get(http::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_http_date)
        else {
            return false;
        };
        let local = self.adjust(now);
        let diff_ms = signed_millis(server, local);
        let outright = matches!(
            code,
            "RequestTimeTooSkewed" | "RequestExpired" | "RequestInTheFuture"
        );
        let message = message.unwrap_or("").to_ascii_lowercase();
        let says_time = SKEW_PHRASES.iter().any(|p| message.contains(p));
        let large = diff_ms.unsigned_abs() > TOLERANCE.as_millis() as u64;
        // `Date` has whole seconds: a difference below two seconds is no news.
        if diff_ms.abs() < 2_000 || !(outright || says_time || large) {
            return false;
        }
        let total = self
            .offset_ms
            .load(Ordering::Relaxed)
            .saturating_add(diff_ms);
        self.offset_ms.store(total, Ordering::Relaxed);
        tracing::warn!(
            code,
            offset_ms = total,
            "clock skew: the server's clock differs from ours; signing with its time"
        );
        true
    }
}

/// `a - b` in milliseconds.
fn signed_millis(a: SystemTime, b: SystemTime) -> i64 {
    match a.duration_since(b) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

/// The time of an HTTP `Date` header (IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`).
fn parse_http_date(value: &str) -> Option<SystemTime> {
    crate::DateTime::parse_http_date(value)
        .ok()
        .and_then(|t| SystemTime::try_from(t).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(value: &str) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        h.insert(http::header::DATE, value.parse().unwrap());
        h
    }

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    // Sun, 06 Nov 1994 08:49:37 GMT
    const T: u64 = 784_111_777;

    #[test]
    fn learns_the_offset_from_date() {
        let skew = ClockSkew::default();
        let headers = date("Sun, 06 Nov 1994 08:49:37 GMT");
        // Local clock one hour behind.
        assert!(skew.observe(Some("RequestTimeTooSkewed"), None, &headers, at(T - 3600)));
        assert_eq!(skew.offset_ms(), 3_600_000);
        assert_eq!(skew.adjust(at(T - 3600)), at(T));
        // Corrected now: the same answer teaches nothing new.
        assert!(!skew.observe(Some("RequestTimeTooSkewed"), None, &headers, at(T - 3600)));
        // Local clock ahead: negative offset.
        let ahead = ClockSkew::default();
        assert!(ahead.observe(Some("RequestExpired"), None, &headers, at(T + 900)));
        assert_eq!(ahead.adjust(at(T + 900)), at(T));
    }

    #[test]
    fn signature_errors_count_only_with_time_in_them() {
        let skew = ClockSkew::default();
        let headers = date("Sun, 06 Nov 1994 08:49:37 GMT");
        // A real signature mismatch with a small difference: not a skew.
        assert!(!skew.observe(
            Some("SignatureDoesNotMatch"),
            Some("The request signature we calculated does not match"),
            &headers,
            at(T - 60),
        ));
        assert!(skew.observe(
            Some("InvalidSignatureException"),
            Some("Signature expired: 20260101T000000Z is now earlier than 20260101T000600Z"),
            &headers,
            at(T - 60),
        ));
        // A difference beyond AWS's tolerance is a skew whatever the message.
        assert!(ClockSkew::default().observe(
            Some("SignatureDoesNotMatch"),
            None,
            &headers,
            at(T + 3600),
        ));
        // Other codes, or no usable Date: nothing.
        assert!(!ClockSkew::default().observe(
            Some("ThrottlingException"),
            None,
            &headers,
            at(T + 3600)
        ));
        assert!(!ClockSkew::default().observe(
            Some("RequestTimeTooSkewed"),
            None,
            &date("yesterday"),
            at(T + 3600)
        ));
        assert!(!ClockSkew::default().observe(
            Some("RequestTimeTooSkewed"),
            None,
            &http::HeaderMap::new(),
            at(T + 3600)
        ));
    }
}
