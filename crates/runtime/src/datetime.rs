//! Timestamps, and their serde forms for each protocol.
//!
//! CONTRACT: generated code uses `DateTime` and the two `with` modules below on
//! `Option<DateTime>` members:
//! `#[serde(default, skip_serializing_if = "Option::is_none", with = "cloudjobs_runtime::datetime::epoch_seconds")]`
//! (awsJson: JSON number of seconds, possibly fractional or in exponent form such as
//! `1.700000000123E9`; written as an integer when whole) and
//! `with = "cloudjobs_runtime::datetime::iso8601"` (restJson1 and the REST APIs: RFC 3339 string,
//! fractional seconds optional; written with millisecond precision when not whole).
//!
//! Both modules also have a `required` submodule for members that are not `Option`s, and
//! `with = "cloudjobs_runtime::datetime::http_date"` writes HTTP dates
//! (`Tue, 14 Nov 2023 22:13:20 GMT`). Timestamps nested in lists, maps or unions go through
//! [`nested`] with a [`Format`] (`EpochSecondsFormat`, `DateTimeFormat`, `HttpDateFormat`).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// The `time` format descriptions we parse with, built as constants from `time`'s own
/// items: what `time::macros::format_description!` would expand to, without the time-macros
/// proc-macro in every user's build and without linking `time`'s description parser.
#[allow(deprecated)] // `Literal` (bytes): `StringLiteral` is too recent for our `time` floor.
pub(crate) mod formats {
    use time::format_description::{BorrowedFormatItem as Item, Component, modifier};

    const fn lit(text: &'static [u8]) -> Item<'static> {
        Item::Literal(text)
    }

    const YEAR: Item<'static> = Item::Component(Component::Year(modifier::Year::default()));
    const MONTH: Item<'static> = Item::Component(Component::Month(modifier::Month::default()));
    const MONTH_SHORT: Item<'static> = Item::Component(Component::Month({
        let mut m = modifier::Month::default();
        m.repr = modifier::MonthRepr::Short;
        m
    }));
    const DAY: Item<'static> = Item::Component(Component::Day(modifier::Day::default()));
    const WEEKDAY_SHORT: Item<'static> = Item::Component(Component::Weekday({
        let mut w = modifier::Weekday::default();
        w.repr = modifier::WeekdayRepr::Short;
        w
    }));
    const HOUR: Item<'static> = Item::Component(Component::Hour(modifier::Hour::default()));
    const MINUTE: Item<'static> = Item::Component(Component::Minute(modifier::Minute::default()));
    const SECOND: Item<'static> = Item::Component(Component::Second(modifier::Second::default()));
    /// `[optional [.[subsecond]]]`
    const FRACTION: Item<'static> = Item::Optional(&Item::Compound(&[
        lit(b"."),
        Item::Component(Component::Subsecond(modifier::Subsecond::default())),
    ]));

    const FRACTION_GMT: Item<'static> = Item::Compound(&[FRACTION, lit(b" GMT")]);

    /// `[year]-[month]-[day]`
    pub(crate) const DATE: &[Item<'static>] = &[YEAR, lit(b"-"), MONTH, lit(b"-"), DAY];
    /// `[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]`
    pub(crate) const DATE_TIME: &[Item<'static>] = &[
        YEAR,
        lit(b"-"),
        MONTH,
        lit(b"-"),
        DAY,
        lit(b"T"),
        HOUR,
        lit(b":"),
        MINUTE,
        lit(b":"),
        SECOND,
        FRACTION,
    ];
    /// `[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second]`, with
    /// [`FRACTION`] when `fraction`, then ` GMT`.
    const fn http_date(fraction: bool) -> [Item<'static>; 14] {
        [
            WEEKDAY_SHORT,
            lit(b", "),
            DAY,
            lit(b" "),
            MONTH_SHORT,
            lit(b" "),
            YEAR,
            lit(b" "),
            HOUR,
            lit(b":"),
            MINUTE,
            lit(b":"),
            SECOND,
            if fraction { FRACTION_GMT } else { lit(b" GMT") },
        ]
    }
    /// An IMF-fixdate, fractional seconds accepted: `Tue, 14 Nov 2023 22:13:20.123 GMT`.
    pub(crate) const HTTP_DATE: &[Item<'static>] = &http_date(true);
    /// An IMF-fixdate with whole seconds only.
    pub(crate) const HTTP_DATE_WHOLE: &[Item<'static>] = &http_date(false);
}

const NANOS_PER_SEC: i128 = 1_000_000_000;

/// A point in time, UTC, with nanosecond precision.
///
/// ```
/// use cloudjobs_runtime::DateTime;
/// let t = DateTime::parse_rfc3339("2023-11-14T22:13:20.123Z").unwrap();
/// assert_eq!(t.secs(), 1_700_000_000);
/// assert_eq!(t.subsec_nanos(), 123_000_000);
/// assert_eq!(t.to_string(), "2023-11-14T22:13:20.123Z");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

/// A timestamp could not be parsed or converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeError {
    message: String,
}

impl DateTimeError {
    fn new(message: impl Into<String>) -> Self {
        DateTimeError {
            message: message.into(),
        }
    }
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateTimeError {}

impl DateTime {
    /// The Unix epoch, 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: DateTime = DateTime { secs: 0, nanos: 0 };

    /// The current time.
    pub fn now() -> DateTime {
        DateTime::from(SystemTime::now())
    }

    /// Whole seconds since the Unix epoch.
    pub fn from_secs(secs: i64) -> DateTime {
        DateTime { secs, nanos: 0 }
    }

    /// Seconds since the Unix epoch and a nanosecond part; nanoseconds of one second or more
    /// carry into the seconds.
    pub fn from_secs_and_nanos(secs: i64, nanos: u32) -> DateTime {
        let carry = i64::from(nanos / 1_000_000_000);
        DateTime {
            secs: secs.saturating_add(carry),
            nanos: nanos % 1_000_000_000,
        }
    }

    /// Fractional seconds since the Unix epoch. The fraction is rounded to the microsecond,
    /// which is all a 64-bit float holds for present-day times: `1.700000000123E9` gives
    /// `.123000000`. Non-finite values give the epoch; values out of range saturate.
    pub fn from_secs_f64(secs: f64) -> DateTime {
        if !secs.is_finite() {
            return DateTime::UNIX_EPOCH;
        }
        let whole = secs.floor();
        let mut micros = ((secs - whole) * 1_000_000.0).round() as i64;
        let mut whole = whole as i64; // saturating cast
        if micros >= 1_000_000 {
            micros -= 1_000_000;
            whole = whole.saturating_add(1);
        }
        DateTime {
            secs: whole,
            nanos: (micros * 1_000) as u32,
        }
    }

    /// Whole seconds since the Unix epoch (rounded down).
    pub fn secs(&self) -> i64 {
        self.secs
    }

    /// The nanoseconds after [`secs`](Self::secs), `0..1_000_000_000`.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Seconds since the Unix epoch as a float.
    pub fn as_secs_f64(&self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / 1e9
    }

    fn total_nanos(&self) -> i128 {
        i128::from(self.secs) * NANOS_PER_SEC + i128::from(self.nanos)
    }

    fn to_offset_date_time(self) -> Result<OffsetDateTime, DateTimeError> {
        OffsetDateTime::from_unix_timestamp_nanos(self.total_nanos())
            .map_err(|e| DateTimeError::new(format!("timestamp out of range: {e}")))
    }

    fn from_offset_date_time(t: OffsetDateTime) -> DateTime {
        let nanos = t.unix_timestamp_nanos();
        DateTime {
            secs: nanos.div_euclid(NANOS_PER_SEC) as i64,
            nanos: nanos.rem_euclid(NANOS_PER_SEC) as u32,
        }
    }

    /// Parses an RFC 3339 / ISO 8601 date-time such as `2023-11-14T22:13:20.123Z`,
    /// `2023-12-14T22:13:20Z` or `2021-08-04T11:35:35.145000-07:00`. A lowercase `t`/`z`, a
    /// space instead of `T`, and a missing offset (taken as UTC) are accepted too.
    pub fn parse_rfc3339(s: &str) -> Result<DateTime, DateTimeError> {
        let s = s.trim();
        if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
            return Ok(DateTime::from_offset_date_time(t));
        }
        // Lenient forms: normalise case and separator, then retry; finally no offset = UTC.
        let mut normalised: String = s
            .char_indices()
            .map(|(i, c)| match c {
                't' | ' ' if i == 10 => 'T',
                'z' => 'Z',
                c => c,
            })
            .collect();
        if let Ok(t) = OffsetDateTime::parse(&normalised, &Rfc3339) {
            return Ok(DateTime::from_offset_date_time(t));
        }
        let fmt = formats::DATE_TIME;
        if normalised.ends_with('Z') {
            normalised.pop();
        }
        PrimitiveDateTime::parse(&normalised, fmt)
            .map(|t| DateTime::from_offset_date_time(t.assume_offset(UtcOffset::UTC)))
            .map_err(|e| DateTimeError::new(format!("invalid RFC 3339 date-time {s:?}: {e}")))
    }

    /// Formats as RFC 3339 in UTC, with as many fractional digits as needed (none, 3, 6 or 9):
    /// `2023-11-14T22:13:20Z`, `2023-11-14T22:13:20.123Z`.
    pub fn to_rfc3339(&self) -> String {
        self.format(FracDigits::Minimal)
    }

    /// Formats as RFC 3339 in UTC with millisecond precision when the time is not a whole
    /// second (sub-millisecond digits are dropped): the form restJson1 services expect.
    pub fn to_rfc3339_millis(&self) -> String {
        self.format(FracDigits::Millis)
    }

    fn format(&self, digits: FracDigits) -> String {
        let Ok(t) = self.to_offset_date_time() else {
            // Out of the range `time` supports (beyond year ±9999): fall back to seconds.
            return self.secs.to_string();
        };
        // Years before 0: a sign and four digits (`-0223`), which `parse_rfc3339` reads back
        // (`{:04}` alone would write `-223`).
        let year = if t.year() < 0 {
            format!("-{:04}", t.year().unsigned_abs())
        } else {
            format!("{:04}", t.year())
        };
        let mut out = format!(
            "{year}-{:02}-{:02}T{:02}:{:02}:{:02}",
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
        let nanos = self.nanos;
        if nanos != 0 {
            match digits {
                FracDigits::Millis => out.push_str(&format!(".{:03}", nanos / 1_000_000)),
                FracDigits::Minimal => {
                    if nanos.is_multiple_of(1_000_000) {
                        out.push_str(&format!(".{:03}", nanos / 1_000_000));
                    } else if nanos.is_multiple_of(1_000) {
                        out.push_str(&format!(".{:06}", nanos / 1_000));
                    } else {
                        out.push_str(&format!(".{nanos:09}"));
                    }
                }
            }
        }
        out.push('Z');
        out
    }

    /// Parses epoch seconds written as text: `1700000060`, `1700000000.5`, `1.700000000123E9`.
    pub fn parse_epoch_seconds(s: &str) -> Result<DateTime, DateTimeError> {
        let s = s.trim();
        if let Ok(secs) = s.parse::<i64>() {
            return Ok(DateTime::from_secs(secs));
        }
        match s.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(DateTime::from_secs_f64(f)),
            _ => Err(DateTimeError::new(format!("invalid epoch seconds {s:?}"))),
        }
    }
}

#[derive(Clone, Copy)]
enum FracDigits {
    Minimal,
    Millis,
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl std::str::FromStr for DateTime {
    type Err = DateTimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DateTime::parse_rfc3339(s)
    }
}

impl From<SystemTime> for DateTime {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => DateTime {
                secs: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                nanos: d.subsec_nanos(),
            },
            Err(e) => {
                let d = e.duration();
                let nanos = -(d.as_nanos() as i128);
                DateTime {
                    secs: nanos.div_euclid(NANOS_PER_SEC) as i64,
                    nanos: nanos.rem_euclid(NANOS_PER_SEC) as u32,
                }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateTimeError;
    fn try_from(t: DateTime) -> Result<Self, Self::Error> {
        let out_of_range = || DateTimeError::new("timestamp out of the range of SystemTime");
        if t.secs >= 0 {
            UNIX_EPOCH
                .checked_add(Duration::new(t.secs as u64, t.nanos))
                .ok_or_else(out_of_range)
        } else {
            let before = Duration::from_secs(t.secs.unsigned_abs())
                .checked_sub(Duration::from_nanos(u64::from(t.nanos)))
                .ok_or_else(out_of_range)?;
            UNIX_EPOCH.checked_sub(before).ok_or_else(out_of_range)
        }
    }
}

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateTime, E> {
                DateTime::parse_rfc3339(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for DateTime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DateTime".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date-time",
        })
    }
}

/// The JSON schema of a timestamp written as seconds since the Unix epoch: the schema of
/// fields serialized with [`epoch_seconds`] (`#[schemars(with = "Option<EpochSecondsSchema>")]`).
/// [`DateTime`]'s own schema is the RFC 3339 string that [`iso8601`] writes.
#[cfg(feature = "schemars")]
#[derive(Debug, Clone, Copy)]
pub struct EpochSecondsSchema;

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for EpochSecondsSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EpochSeconds".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "number",
            "description": "Seconds since the Unix epoch, with an optional fraction.",
        })
    }
}

/// Visitor accepting epoch seconds as an integer, a float, or a numeric string.
struct EpochVisitor;

impl serde::de::Visitor<'_> for EpochVisitor {
    type Value = DateTime;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number of seconds since the Unix epoch")
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<DateTime, E> {
        Ok(DateTime::from_secs(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<DateTime, E> {
        i64::try_from(v)
            .map(DateTime::from_secs)
            .map_err(|_| E::custom("epoch seconds out of range"))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<DateTime, E> {
        if v.is_finite() {
            Ok(DateTime::from_secs_f64(v))
        } else {
            Err(E::custom("epoch seconds must be finite"))
        }
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateTime, E> {
        // Numeric strings, and RFC 3339 text as AWS's own documentation samples show it.
        DateTime::parse_epoch_seconds(v)
            .or_else(|_| DateTime::parse_rfc3339(v))
            .map_err(|_| {
                E::custom(format!(
                    "invalid timestamp {v:?}: expected epoch seconds or RFC 3339"
                ))
            })
    }
}

/// Serde helpers for `Option<DateTime>` as epoch seconds (a JSON number).
///
/// Reading accepts integers, fractions and exponent forms (`1700000060`, `1700000000.5`,
/// `1.700000000123E9`), numeric or RFC 3339 strings, and `null` (as `None`). Writing gives an integer for a
/// whole second and a float otherwise.
pub mod epoch_seconds {
    use super::{DateTime, EpochVisitor};
    use serde::{Deserializer, Serializer};

    pub(super) fn write<S: Serializer>(t: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        if t.subsec_nanos() == 0 {
            s.serialize_i64(t.secs())
        } else {
            s.serialize_f64(t.as_secs_f64())
        }
    }

    /// Writes `Some` as epoch seconds and `None` as `null`.
    pub fn serialize<S: Serializer>(value: &Option<DateTime>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(t) => write(t, s),
            None => s.serialize_none(),
        }
    }

    /// Reads epoch seconds, or `null` as `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime>, D::Error> {
        struct Opt;
        impl<'de> serde::de::Visitor<'de> for Opt {
            type Value = Option<DateTime>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number of seconds since the Unix epoch, or null")
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(EpochVisitor).map(Some)
            }
        }
        d.deserialize_option(Opt)
    }

    /// The same for members of type `DateTime` (not optional).
    pub mod required {
        use super::super::{DateTime, EpochVisitor};
        use serde::{Deserializer, Serializer};

        /// Writes epoch seconds.
        pub fn serialize<S: Serializer>(value: &DateTime, s: S) -> Result<S::Ok, S::Error> {
            super::write(value, s)
        }

        /// Reads epoch seconds.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
            d.deserialize_any(EpochVisitor)
        }
    }
}

/// Serde helpers for `Option<DateTime>` as an RFC 3339 string.
///
/// Reading accepts fractional seconds of any precision and any offset, and `null` as `None`.
/// Writing gives UTC with millisecond precision when the time is not a whole second
/// (`2023-11-14T22:13:20.123Z`, `2023-12-14T22:13:20Z`).
pub mod iso8601 {
    use super::DateTime;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `Some` as an RFC 3339 string and `None` as `null`.
    pub fn serialize<S: Serializer>(value: &Option<DateTime>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(t) => s.serialize_str(&t.to_rfc3339_millis()),
            None => s.serialize_none(),
        }
    }

    /// Reads an RFC 3339 string, or `null` as `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime>, D::Error> {
        Option::<DateTime>::deserialize(d)
    }

    /// The same for members of type `DateTime` (not optional).
    pub mod required {
        use super::super::DateTime;
        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes an RFC 3339 string.
        pub fn serialize<S: Serializer>(value: &DateTime, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(&value.to_rfc3339_millis())
        }

        /// Reads an RFC 3339 string.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
            DateTime::deserialize(d)
        }
    }
}

impl DateTime {
    /// Formats as an HTTP date (RFC 7231 IMF-fixdate, always GMT, whole seconds):
    /// `Tue, 14 Nov 2023 22:13:20 GMT`.
    ///
    /// ```
    /// use cloudjobs_runtime::DateTime;
    /// let t = DateTime::from_secs(1_700_000_000);
    /// assert_eq!(t.to_http_date(), "Tue, 14 Nov 2023 22:13:20 GMT");
    /// assert_eq!(DateTime::parse_http_date("Tue, 14 Nov 2023 22:13:20 GMT").unwrap(), t);
    /// ```
    pub fn to_http_date(&self) -> String {
        let Ok(t) = self.to_offset_date_time() else {
            return self.secs.to_string();
        };
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            DAYS[usize::from(t.weekday().number_days_from_monday())],
            t.day(),
            MONTHS[usize::from(u8::from(t.month()) - 1)],
            t.year(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }

    /// Parses an HTTP date in IMF-fixdate form (`Tue, 14 Nov 2023 22:13:20 GMT`); fractional
    /// seconds (`22:13:20.123`) are accepted. The weekday is not cross-checked.
    pub fn parse_http_date(s: &str) -> Result<DateTime, DateTimeError> {
        let fmt = formats::HTTP_DATE;
        PrimitiveDateTime::parse(s.trim(), fmt)
            .map(|t| DateTime::from_offset_date_time(t.assume_offset(UtcOffset::UTC)))
            .map_err(|e| DateTimeError::new(format!("invalid HTTP date {s:?}: {e}")))
    }
}

/// The JSON schema of a timestamp written as an HTTP date string (fields serialized with
/// [`http_date`]).
#[cfg(feature = "schemars")]
#[derive(Debug, Clone, Copy)]
pub struct HttpDateSchema;

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for HttpDateSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "HttpDate".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An HTTP date (IMF-fixdate), e.g. `Tue, 14 Nov 2023 22:13:20 GMT`.",
        })
    }
}

/// Serde helpers for `Option<DateTime>` as an HTTP date string
/// (`Tue, 14 Nov 2023 22:13:20 GMT`); `null` reads as `None`.
pub mod http_date {
    use super::{DateTime, Format, HttpDateFormat};
    use serde::{Deserializer, Serializer};

    /// Writes `Some` as an HTTP date and `None` as `null`.
    pub fn serialize<S: Serializer>(value: &Option<DateTime>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(t) => HttpDateFormat::write(t, s),
            None => s.serialize_none(),
        }
    }

    /// Reads an HTTP date, or `null` as `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime>, D::Error> {
        super::nested::deserialize::<HttpDateFormat, _, _>(d)
    }

    /// The same for members of type `DateTime` (not optional).
    pub mod required {
        use super::super::{DateTime, Format, HttpDateFormat};
        use serde::{Deserializer, Serializer};

        /// Writes an HTTP date.
        pub fn serialize<S: Serializer>(value: &DateTime, s: S) -> Result<S::Ok, S::Error> {
            HttpDateFormat::write(value, s)
        }

        /// Reads an HTTP date.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
            HttpDateFormat::read(d)
        }
    }
}

/// A timestamp wire format, for timestamps nested in lists, maps and unions.
pub trait Format {
    /// Writes one timestamp.
    fn write<S: serde::Serializer>(t: &DateTime, s: S) -> Result<S::Ok, S::Error>;
    /// Reads one timestamp.
    fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DateTime, D::Error>;
}

/// Epoch seconds (a JSON number), as [`epoch_seconds`] reads and writes them.
#[derive(Debug, Clone, Copy)]
pub struct EpochSecondsFormat;

/// RFC 3339 strings, as [`iso8601`] reads and writes them.
#[derive(Debug, Clone, Copy)]
pub struct DateTimeFormat;

/// HTTP date strings, as [`http_date`] reads and writes them.
#[derive(Debug, Clone, Copy)]
pub struct HttpDateFormat;

impl Format for EpochSecondsFormat {
    fn write<S: serde::Serializer>(t: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        epoch_seconds::write(t, s)
    }
    fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        d.deserialize_any(EpochVisitor)
    }
}

impl Format for DateTimeFormat {
    fn write<S: serde::Serializer>(t: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.to_rfc3339_millis())
    }
    fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        <DateTime as serde::Deserialize>::deserialize(d)
    }
}

impl Format for HttpDateFormat {
    fn write<S: serde::Serializer>(t: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.to_http_date())
    }
    fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an HTTP date string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateTime, E> {
                DateTime::parse_http_date(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// Values holding timestamps that a [`Format`] reads and writes: `DateTime`, and `Option`s,
/// `Vec`s, string-keyed `BTreeMap`s and `Box`es of them.
pub trait Timestamps: Sized {
    /// Writes `self` with every timestamp in format `F`.
    fn write_as<F: Format, S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;
    /// Reads a value with every timestamp in format `F`.
    fn read_as<'de, F: Format, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// Serializes a borrowed value with its timestamps in format `F`.
pub struct Formatted<'a, F, T>(&'a T, std::marker::PhantomData<F>);

impl<'a, F, T> Formatted<'a, F, T> {
    /// Wraps a value for serialization.
    pub fn new(value: &'a T) -> Self {
        Formatted(value, std::marker::PhantomData)
    }
}

impl<F: Format, T: Timestamps> serde::Serialize for Formatted<'_, F, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.write_as::<F, S>(s)
    }
}

/// Deserializes a value whose timestamps are in format `F`.
pub struct Parsed<F, T>(T, std::marker::PhantomData<F>);

impl<F, T> Parsed<F, T> {
    /// The value read.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<'de, F: Format, T: Timestamps> serde::Deserialize<'de> for Parsed<F, T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::read_as::<F, D>(d).map(|v| Parsed(v, std::marker::PhantomData))
    }
}

impl Timestamps for DateTime {
    fn write_as<F: Format, S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        F::write(self, s)
    }
    fn read_as<'de, F: Format, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        F::read(d)
    }
}

impl<T: Timestamps> Timestamps for Option<T> {
    fn write_as<F: Format, S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => s.serialize_some(&Formatted::<F, T>::new(v)),
            None => s.serialize_none(),
        }
    }
    fn read_as<'de, F: Format, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = <Option<Parsed<F, T>> as serde::Deserialize>::deserialize(d)?;
        Ok(v.map(Parsed::into_inner))
    }
}

impl<T: Timestamps> Timestamps for Box<T> {
    fn write_as<F: Format, S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).write_as::<F, S>(s)
    }
    fn read_as<'de, F: Format, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::read_as::<F, D>(d).map(Box::new)
    }
}

impl<T: Timestamps> Timestamps for Vec<T> {
    fn write_as<F: Format, S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(Formatted::<F, T>::new))
    }
    fn read_as<'de, F: Format, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = <Vec<Parsed<F, T>> as serde::Deserialize>::deserialize(d)?;
        Ok(v.into_iter().map(Parsed::into_inner).collect())
    }
}

impl<T: Timestamps> Timestamps for std::collections::BTreeMap<String, T> {
    fn write_as<F: Format, S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter().map(|(k, v)| (k, Formatted::<F, T>::new(v))))
    }
    fn read_as<'de, F: Format, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v =
            <std::collections::BTreeMap<String, Parsed<F, T>> as serde::Deserialize>::deserialize(
                d,
            )?;
        Ok(v.into_iter().map(|(k, v)| (k, v.into_inner())).collect())
    }
}

/// Serde functions for fields whose timestamps are nested (`Option<Vec<DateTime>>`, maps of
/// them, ...): `#[serde(serialize_with = "cloudjobs_runtime::datetime::nested::serialize::<cloudjobs_runtime::datetime::EpochSecondsFormat, _, _>", deserialize_with = "...deserialize::<F, _, _>")]`.
pub mod nested {
    use super::{Format, Formatted, Timestamps};
    use serde::{Deserializer, Serializer};

    /// Writes `value` with its timestamps in format `F`.
    pub fn serialize<F: Format, T: Timestamps, S: Serializer>(
        value: &T,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&Formatted::<F, T>::new(value), s)
    }

    /// Reads a value with its timestamps in format `F`.
    pub fn deserialize<'de, F: Format, T: Timestamps, D: Deserializer<'de>>(
        d: D,
    ) -> Result<T, D::Error> {
        T::read_as::<F, D>(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Epoch {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::datetime::epoch_seconds"
        )]
        t: Option<DateTime>,
    }

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Iso {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::datetime::iso8601"
        )]
        t: Option<DateTime>,
    }

    fn epoch(json: &str) -> Option<DateTime> {
        serde_json::from_str::<Epoch>(json).unwrap().t
    }

    #[test]
    fn years_before_zero_round_trip_through_rfc3339() {
        // Found by fuzz/timestamps: `-0223-...` parsed, but was written back as `-223-...`.
        let t = DateTime::parse_rfc3339("-0223-10-14T22:13:20Z").unwrap();
        assert_eq!(t.to_rfc3339(), "-0223-10-14T22:13:20Z");
        assert_eq!(DateTime::parse_rfc3339(&t.to_rfc3339()).unwrap(), t);
        let early = DateTime::from_secs(-70_000_000_000);
        assert_eq!(DateTime::parse_rfc3339(&early.to_rfc3339()).unwrap(), early);
    }

    #[test]
    fn epoch_forms() {
        assert_eq!(
            epoch(r#"{"t":1700000060}"#),
            Some(DateTime::from_secs(1_700_000_060))
        );
        let t = epoch(r#"{"t":1.700000000123E9}"#).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_000, 123_000_000));
        assert_eq!(t.to_string(), "2023-11-14T22:13:20.123Z");
        let t = epoch(r#"{"t":1700000000.5}"#).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_000, 500_000_000));
        assert_eq!(epoch(r#"{"t":null}"#), None);
        assert_eq!(epoch(r#"{}"#), None);
        assert_eq!(
            epoch(r#"{"t":"1700000060"}"#),
            Some(DateTime::from_secs(1_700_000_060))
        );
        let t = epoch(r#"{"t":-1.5}"#).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        // Writing: integer when whole, float otherwise.
        let s = serde_json::to_string(&Epoch {
            t: Some(DateTime::from_secs(1_700_000_060)),
        });
        assert_eq!(s.unwrap(), r#"{"t":1700000060}"#);
        let s = serde_json::to_string(&Epoch {
            t: Some(DateTime::from_secs_and_nanos(1_700_000_000, 500_000_000)),
        });
        assert_eq!(s.unwrap(), r#"{"t":1700000000.5}"#);
        assert_eq!(serde_json::to_string(&Epoch { t: None }).unwrap(), "{}");
        assert!(serde_json::from_str::<Epoch>(r#"{"t":true}"#).is_err());
    }

    #[test]
    fn iso_forms() {
        let p = |s: &str| DateTime::parse_rfc3339(s).unwrap();
        assert_eq!(p("2023-11-14T22:13:20.123Z").subsec_nanos(), 123_000_000);
        assert_eq!(
            p("2023-12-14T22:13:20Z"),
            DateTime::from_secs(1_702_592_000)
        );
        let t = p("2021-08-04T11:35:35.145000-07:00");
        assert_eq!(t.to_string(), "2021-08-04T18:35:35.145Z");
        assert_eq!(p("2021-08-04t18:35:35z"), p("2021-08-04T18:35:35Z"));
        assert_eq!(p("2021-08-04 18:35:35"), p("2021-08-04T18:35:35Z"));
        assert!(DateTime::parse_rfc3339("yesterday").is_err());
        let v: Iso = serde_json::from_str(r#"{"t":"2022-06-17T08:00:01.225Z"}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"t":"2022-06-17T08:00:01.225Z"}"#
        );
        let v = Iso {
            t: Some(DateTime::from_secs_and_nanos(1_700_000_000, 123_456_789)),
        };
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"t":"2023-11-14T22:13:20.123Z"}"#
        );
        let v: Iso = serde_json::from_str(r#"{"t":null}"#).unwrap();
        assert_eq!(v.t, None);
        // DateTime itself: RFC 3339 strings, minimal digits.
        let t = DateTime::from_secs_and_nanos(0, 1);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#""1970-01-01T00:00:00.000000001Z""#
        );
        let back: DateTime = serde_json::from_str(r#""1970-01-01T00:00:00.000000001Z""#).unwrap();
        assert_eq!(back, t);
    }

    #[test]
    fn conversions() {
        let t = DateTime::from_secs_and_nanos(1_700_000_000, 2_500_000_000);
        assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_002, 500_000_000));
        let st = SystemTime::try_from(t).unwrap();
        assert_eq!(DateTime::from(st), t);
        let before = DateTime::from_secs_and_nanos(-2, 500_000_000);
        let st = SystemTime::try_from(before).unwrap();
        assert_eq!(DateTime::from(st), before);
        assert_eq!(t.as_secs_f64(), 1_700_000_002.5);
        assert_eq!(DateTime::from_secs_f64(0.9999999), DateTime::from_secs(1));
        assert_eq!(DateTime::from_secs_f64(f64::NAN), DateTime::UNIX_EPOCH);
    }

    #[test]
    fn http_dates() {
        let t = DateTime::from_secs(784_111_777);
        assert_eq!(t.to_http_date(), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(
            DateTime::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap(),
            t
        );
        let frac = DateTime::parse_http_date("Sun, 06 Nov 1994 08:49:37.5 GMT").unwrap();
        assert_eq!(frac.subsec_nanos(), 500_000_000);
        assert!(DateTime::parse_http_date("1994-11-06T08:49:37Z").is_err());
        #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
        struct H {
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                with = "crate::datetime::http_date"
            )]
            t: Option<DateTime>,
        }
        let json = r#"{"t":"Sun, 06 Nov 1994 08:49:37 GMT"}"#;
        let h: H = serde_json::from_str(json).unwrap();
        assert_eq!(h.t, Some(t));
        assert_eq!(serde_json::to_string(&h).unwrap(), json);
        assert_eq!(serde_json::from_str::<H>("{}").unwrap().t, None);
    }

    #[test]
    fn nested_timestamps() {
        use std::collections::BTreeMap;
        #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
        struct N {
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                serialize_with = "crate::datetime::nested::serialize::<crate::datetime::EpochSecondsFormat, _, _>",
                deserialize_with = "crate::datetime::nested::deserialize::<crate::datetime::EpochSecondsFormat, _, _>"
            )]
            list: Option<Vec<Option<DateTime>>>,
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                serialize_with = "crate::datetime::nested::serialize::<crate::datetime::DateTimeFormat, _, _>",
                deserialize_with = "crate::datetime::nested::deserialize::<crate::datetime::DateTimeFormat, _, _>"
            )]
            map: Option<BTreeMap<String, Vec<DateTime>>>,
        }
        let json = r#"{"list":[1700000000,null,1.5],"map":{"a":["2023-11-14T22:13:20Z"]}}"#;
        let n: N = serde_json::from_str(json).unwrap();
        assert_eq!(
            n.list,
            Some(vec![
                Some(DateTime::from_secs(1_700_000_000)),
                None,
                Some(DateTime::from_secs_and_nanos(1, 500_000_000))
            ])
        );
        assert_eq!(
            n.map.as_ref().unwrap()["a"],
            vec![DateTime::from_secs(1_700_000_000)]
        );
        assert_eq!(serde_json::to_string(&n).unwrap(), json);
        let empty: N = serde_json::from_str("{}").unwrap();
        assert_eq!((empty.list, empty.map), (None, None));
        assert!(serde_json::from_str::<N>(r#"{"list":["x"]}"#).is_err());
    }
}
