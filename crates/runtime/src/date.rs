//! Calendar dates (OpenAPI `format: date`), written `YYYY-MM-DD` on the wire.
//!
//! CONTRACT: generated code uses [`Date`] as a plain value type: its own serde
//! implementations read and write the `2024-05-01` text form, so members need no `with`
//! attribute.

use std::fmt;

use time::Month;

/// A calendar date without a time of day or an offset, `2024-05-01` on the wire (RFC 3339
/// `full-date`).
///
/// ```
/// use cloudjobs_runtime::Date;
/// let d: Date = "2024-02-29".parse().unwrap();
/// assert_eq!((d.year(), d.month(), d.day()), (2024, 2, 29));
/// assert_eq!(d.to_string(), "2024-02-29");
/// assert!("2023-02-29".parse::<Date>().is_err());
/// assert_eq!(Date::from_ymd(2024, 5, 1).unwrap().to_string(), "2024-05-01");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(time::Date);

/// A date could not be parsed or built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    message: String,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateError {}

impl Date {
    /// The date of `year`, `month` (1 to 12) and `day` (1 to the month's length); an error
    /// when there is no such day.
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Result<Date, DateError> {
        let invalid = |e: &dyn fmt::Display| DateError {
            message: format!("invalid date {year:04}-{month:02}-{day:02}: {e}"),
        };
        let m = Month::try_from(month).map_err(|e| invalid(&e))?;
        time::Date::from_calendar_date(year, m, day)
            .map(Date)
            .map_err(|e| invalid(&e))
    }

    /// Parses `YYYY-MM-DD` (exactly four year digits, two month and two day digits).
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let fmt = crate::datetime::formats::DATE;
        time::Date::parse(s, fmt).map(Date).map_err(|e| DateError {
            message: format!("invalid date {s:?} (expected YYYY-MM-DD): {e}"),
        })
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.0.year()
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        u8::from(self.0.month())
    }

    /// The day of the month, from 1.
    pub fn day(&self) -> u8 {
        self.0.day()
    }

    /// Midnight UTC at the start of this day.
    pub fn to_datetime(&self) -> crate::DateTime {
        let secs = self.0.midnight().assume_utc().unix_timestamp();
        crate::DateTime::from_secs(secs)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let year = self.year();
        if (0..=9999).contains(&year) {
            write!(f, "{year:04}-{:02}-{:02}", self.month(), self.day())
        } else {
            // Outside four digits (the `time` crate's default range stops at ±9999).
            write!(f, "{year:+05}-{:02}-{:02}", self.month(), self.day())
        }
    }
}

impl std::str::FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date as YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form() {
        let d = Date::parse("2024-05-01").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2024, 5, 1));
        assert_eq!(d.to_string(), "2024-05-01");
        assert_eq!(Date::from_ymd(7, 1, 9).unwrap().to_string(), "0007-01-09");
        for bad in [
            "",
            "2024-5-1",
            "2024-05-01T00:00:00Z",
            "24-05-01",
            "2024-13-01",
            "2024-04-31",
            "2023-02-29",
            " 2024-05-01",
            "2024/05/01",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Date::from_ymd(2024, 0, 1).is_err());
        assert!(Date::from_ymd(2024, 2, 30).is_err());
        let e = Date::parse("2024-02-30").unwrap_err().to_string();
        assert!(e.contains("2024-02-30"), "{e}");
    }

    #[test]
    fn order_and_datetime() {
        let a = Date::from_ymd(2023, 12, 31).unwrap();
        let b = Date::from_ymd(2024, 1, 1).unwrap();
        assert!(a < b);
        assert_eq!(b.to_datetime().to_string(), "2024-01-01T00:00:00Z");
        assert_eq!(
            Date::from_ymd(1969, 12, 31).unwrap().to_datetime().secs(),
            -86_400
        );
    }

    #[test]
    fn serde_round_trip() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct S {
            #[serde(default, skip_serializing_if = "Option::is_none")]
            d: Option<Date>,
        }
        let s: S = serde_json::from_str(r#"{"d":"2024-02-29"}"#).unwrap();
        assert_eq!(s.d, Some(Date::from_ymd(2024, 2, 29).unwrap()));
        assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"d":"2024-02-29"}"#);
        let s: S = serde_json::from_str(r#"{"d":null}"#).unwrap();
        assert_eq!(s.d, None);
        assert!(serde_json::from_str::<S>(r#"{"d":"2024-02-30"}"#).is_err());
        assert!(serde_json::from_str::<S>(r#"{"d":20240229}"#).is_err());
        // Through a buffered value too (untagged and internally tagged unions read that way).
        let v = serde_json::json!({"d": "1999-12-31"});
        let s: S = serde_json::from_value(v).unwrap();
        assert_eq!(s.d.map(|d| d.year()), Some(1999));
    }
}
