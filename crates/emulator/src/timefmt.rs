//! Timestamp formatting and parsing shared by the services and the fixture format.

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, UTC, millisecond precision (SpaceONE, Macie2, fixtures).
pub(crate) fn iso_millis(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// Parses an RFC 3339 timestamp (`2024-01-02T03:04:05Z`, optional fraction and offset), a
/// timestamp without offset (taken as UTC) or a bare date (`2024-01-02`, midnight UTC).
pub(crate) fn parse_iso(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t.to_offset(UtcOffset::UTC));
    }
    // Lowercase `t`/`z` or a space separator.
    let normalized = s.replace([' ', 't'], "T").replace('z', "Z");
    if let Ok(t) = OffsetDateTime::parse(&normalized, &Rfc3339) {
        return Some(t.to_offset(UtcOffset::UTC));
    }
    if !normalized.ends_with('Z')
        && normalized.contains('T')
        && let Ok(t) = OffsetDateTime::parse(&format!("{normalized}Z"), &Rfc3339)
    {
        return Some(t);
    }
    parse_date(s).map(|d| PrimitiveDateTime::new(d, Time::MIDNIGHT).assume_utc())
}

fn parse_date(s: &str) -> Option<Date> {
    let mut it = s.splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d: u8 = it.next()?.parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// Epoch seconds as a JSON number: an integer when the instant has no milliseconds, a
/// fractional number otherwise (awsJson timestamps).
pub(crate) fn epoch_json(t: OffsetDateTime) -> serde_json::Value {
    let ms = unix_millis(t);
    if ms % 1000 == 0 {
        serde_json::Value::from(ms / 1000)
    } else {
        serde_json::Value::from(ms as f64 / 1000.0)
    }
}

/// Milliseconds since the Unix epoch.
pub(crate) fn unix_millis(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// The instant `ms` milliseconds after the Unix epoch.
pub(crate) fn from_unix_millis(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Now, truncated to milliseconds.
pub(crate) fn now() -> OffsetDateTime {
    from_unix_millis(unix_millis(OffsetDateTime::now_utc()))
}

/// Serde helpers: `Option<OffsetDateTime>` as an ISO 8601 string with milliseconds and `Z`.
pub(crate) mod serde_iso_opt {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;

    pub(crate) fn serialize<S: Serializer>(
        v: &Option<OffsetDateTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => s.serialize_str(&super::iso_millis(*t)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        let raw: Option<String> = Option::deserialize(d)?;
        match raw {
            None => Ok(None),
            Some(s) => super::parse_iso(&s).map(Some).ok_or_else(|| {
                serde::de::Error::custom(format!("invalid ISO 8601 timestamp `{s}`"))
            }),
        }
    }
}

/// Serde helpers: `Option<OffsetDateTime>` as epoch seconds (a JSON number, possibly
/// fractional); an ISO 8601 string is accepted on input too.
pub(crate) mod serde_epoch_opt {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use time::OffsetDateTime;

    pub(crate) fn serialize<S: Serializer>(
        v: &Option<OffsetDateTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => super::epoch_json(*t).serialize(s),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        let raw: Option<serde_json::Value> = Option::deserialize(d)?;
        match raw {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::Number(n)) => {
                let secs = n
                    .as_f64()
                    .ok_or_else(|| serde::de::Error::custom("invalid epoch seconds"))?;
                Ok(Some(
                    super::from_unix_millis((secs * 1000.0).round() as i64),
                ))
            }
            Some(serde_json::Value::String(s)) => super::parse_iso(&s)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("invalid timestamp `{s}`"))),
            Some(other) => Err(serde::de::Error::custom(format!(
                "invalid timestamp {other}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        let t = parse_iso("2023-11-14T22:13:20.123Z").unwrap();
        assert_eq!(iso_millis(t), "2023-11-14T22:13:20.123Z");
        assert_eq!(epoch_json(t), serde_json::json!(1_700_000_000.123));
        let t = parse_iso("2023-11-14T22:13:20Z").unwrap();
        assert_eq!(epoch_json(t), serde_json::json!(1_700_000_000));
        assert_eq!(
            iso_millis(parse_iso("2023-11-14").unwrap()),
            "2023-11-14T00:00:00.000Z"
        );
        assert_eq!(
            iso_millis(parse_iso("2023-11-14T01:00:00+01:00").unwrap()),
            "2023-11-14T00:00:00.000Z"
        );
        assert!(parse_iso("yesterday").is_none());
    }
}
