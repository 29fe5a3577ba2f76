//! Timestamps, and their serde forms for each protocol.
//!
//! CONTRACT: generated code uses `DateTime` and the two `with` modules below on
//! `Option<DateTime>` members:
//! `#[serde(default, skip_serializing_if = "Option::is_none", with = "cloudjobs_runtime::datetime::epoch_seconds")]`
//! (awsJson: JSON number of seconds, possibly fractional or in exponent form such as
//! `1.700000000123E9`; written as an integer when whole) and
//! `with = "cloudjobs_runtime::datetime::iso8601"` (restJson1 and the REST APIs: RFC 3339 string,
//! fractional seconds optional; written with millisecond precision when not whole).

/// A point in time, UTC, with nanosecond precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

/// Serde helpers for `Option<DateTime>` as epoch seconds.
pub mod epoch_seconds {}
/// Serde helpers for `Option<DateTime>` as an RFC 3339 string.
pub mod iso8601 {}
