//! Arbitrary-precision numbers (`bigInteger` and `bigDecimal` members).
//!
//! CONTRACT: generated code types both kinds as `Option<BigNumber>`. A [`BigNumber`] keeps
//! the number's JSON text exactly as received or given, and writes it back unchanged, so no
//! digit is lost whatever its size. (serde_json's `raw_value` feature carries the text; the
//! workspace does not enable `arbitrary_precision`, which would change every `Value`.)

use std::fmt;
use std::str::FromStr;

/// A number of any size or precision, kept as its JSON text (`12345678901234567890123`,
/// `-1.5e-300`).
///
/// ```
/// use cloudjobs_runtime::BigNumber;
/// let n = BigNumber::parse("123456789012345678901234567890").unwrap();
/// assert_eq!(serde_json::to_string(&n).unwrap(), "123456789012345678901234567890");
/// let back: BigNumber = serde_json::from_str("1.000000000000000000001").unwrap();
/// assert_eq!(back.as_str(), "1.000000000000000000001");
/// assert!(BigNumber::parse("1,5").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BigNumber {
    text: String,
}

/// Text that is not a JSON number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BigNumberError {
    text: String,
}

impl fmt::Display for BigNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a JSON number: {:?}", self.text)
    }
}

impl std::error::Error for BigNumberError {}

/// Whether `s` follows the JSON number grammar:
/// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

impl BigNumber {
    /// Checks that `text` is a JSON number (surrounding whitespace is dropped).
    pub fn parse(text: &str) -> Result<BigNumber, BigNumberError> {
        let trimmed = text.trim();
        if is_json_number(trimmed) {
            Ok(BigNumber {
                text: trimmed.to_owned(),
            })
        } else {
            Err(BigNumberError {
                text: text.to_owned(),
            })
        }
    }

    /// The number's text, exactly as parsed.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The nearest `f64` (infinite beyond its range): for comparisons, such as range checks.
    pub fn to_f64(&self) -> f64 {
        self.text.parse().unwrap_or(f64::NAN)
    }

    /// Whether the text has neither a fraction nor an exponent.
    pub fn is_integer(&self) -> bool {
        !self.text.contains(['.', 'e', 'E'])
    }
}

impl fmt::Display for BigNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for BigNumber {
    type Err = BigNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BigNumber::parse(s)
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for BigNumber {
            fn from(n: $t) -> Self {
                BigNumber { text: n.to_string() }
            }
        }
    )*};
}
from_int!(i8, i16, i32, i64, i128, u8, u16, u32, u64, u128);

impl serde::Serialize for BigNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The text was checked to be a JSON number, so it is written as it is.
        let raw = serde_json::value::RawValue::from_string(self.text.clone())
            .map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for BigNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<serde_json::value::RawValue>::deserialize(d)?;
        let text = raw.get();
        // A number written as a string is accepted too, when its text is a number.
        let text = match serde_json::from_str::<String>(text) {
            Ok(inner) => inner,
            Err(_) => text.to_owned(),
        };
        BigNumber::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for BigNumber {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "BigNumber".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "number" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar() {
        for ok in ["0", "-0", "12", "1.5", "-1.5e10", "1E+2", "1e-2", " 7 "] {
            assert!(BigNumber::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "-", "01", "1.", ".5", "1e", "1e+", "+1", "NaN", "1 2", "0x10",
        ] {
            assert!(BigNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn exact_round_trip() {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct S {
            n: Option<BigNumber>,
        }
        let json = r#"{"n":-98765432109876543210.000000000000000000012e-5}"#;
        let s: S = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), json);
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        let from_value: S = serde_json::from_value(v).unwrap();
        assert!(from_value.n.is_some());
        let s: S = serde_json::from_str(r#"{"n":"42"}"#).unwrap();
        assert_eq!(s.n.unwrap().as_str(), "42");
        assert!(serde_json::from_str::<S>(r#"{"n":"x"}"#).is_err());
        assert!(serde_json::from_str::<S>(r#"{"n":true}"#).is_err());
        let s: S = serde_json::from_str(r#"{"n":null}"#).unwrap();
        assert!(s.n.is_none());
        assert_eq!(
            BigNumber::from(u128::MAX).to_string(),
            u128::MAX.to_string()
        );
        assert!(BigNumber::from(3u8).is_integer());
        assert_eq!(BigNumber::parse("2.5").unwrap().to_f64(), 2.5);
    }
}
