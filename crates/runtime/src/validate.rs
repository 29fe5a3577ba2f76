//! Input checks called by generated `validate` code. Each returns an [`InvalidInput`] naming
//! the field (wire-name path such as `Filters[0].Values[1]`) and the rule.
//!
//! CONTRACT: generated code calls exactly these functions.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use regex_lite::Regex;

use crate::error::{InvalidInput, Rule};

/// How much of the spec's input constraints the client checks before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Validation {
    /// Required members, patterns, ranges, lengths and enum values (the default).
    #[default]
    Full,
    /// Only required members: for services that relax their documented limits.
    RequiredOnly,
}

/// Fails with [`Rule::Required`] when `value` is `None`.
pub fn required<T>(field: &str, value: &Option<T>) -> Result<(), InvalidInput> {
    match value {
        Some(_) => Ok(()),
        None => Err(InvalidInput::new(field, Rule::Required, None)),
    }
}

/// Compiled patterns, by pattern text. `None` records a pattern `regex-lite` cannot compile.
type RegexCache = Mutex<HashMap<&'static str, Option<Arc<Regex>>>>;

fn cached_regex(pattern: &'static str) -> Option<Arc<Regex>> {
    static CACHE: OnceLock<RegexCache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|p| p.into_inner());
    cache
        .entry(pattern)
        .or_insert_with(|| match Regex::new(pattern) {
            Ok(re) => Some(Arc::new(re)),
            Err(e) => {
                tracing::warn!(pattern, error = %e, "pattern not supported, not checked");
                None
            }
        })
        .clone()
}

/// Fails with [`Rule::Pattern`] when `value` does not match `pattern`
/// (ECMA-style regex, not implicitly anchored, as Smithy and OpenAPI define it). Compiled
/// patterns are cached; the generator guarantees every pattern compiles with `regex-lite`.
/// (Should one not compile, it is not checked and a warning is logged once.)
pub fn pattern(field: &str, value: &str, pattern: &'static str) -> Result<(), InvalidInput> {
    match cached_regex(pattern) {
        Some(re) if !re.is_match(value) => Err(InvalidInput::new(
            field,
            Rule::Pattern(pattern),
            Some(value),
        )),
        _ => Ok(()),
    }
}

fn outside<T: PartialOrd>(value: T, min: Option<T>, max: Option<T>) -> bool {
    min.is_some_and(|min| value < min) || max.is_some_and(|max| value > max)
}

/// Fails with [`Rule::Length`] when the number of characters (Unicode
/// scalar values) of `value` is outside the bounds.
pub fn length_str(
    field: &str,
    value: &str,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), InvalidInput> {
    let len = value.chars().count() as u64;
    if outside(len, min, max) {
        let mut err = InvalidInput::new(field, Rule::Length { min, max }, Some(value));
        err.message.push_str(&format!(" ({len} characters)"));
        return Err(err);
    }
    Ok(())
}

/// Fails with [`Rule::Length`] when a list's size is outside the bounds.
pub fn length_list(
    field: &str,
    len: usize,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), InvalidInput> {
    if outside(len as u64, min, max) {
        let rule = Rule::Length { min, max };
        let message = format!("`{field}` must have {rule} elements, got {len}");
        return Err(InvalidInput {
            field: field.to_owned(),
            rule,
            message,
        });
    }
    Ok(())
}

/// Fails with [`Rule::Length`] when a blob's size in bytes is outside the bounds.
pub fn length_bytes(
    field: &str,
    len: usize,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), InvalidInput> {
    if outside(len as u64, min, max) {
        let rule = Rule::Length { min, max };
        let message = format!("`{field}` must have {rule} bytes, got {len}");
        return Err(InvalidInput {
            field: field.to_owned(),
            rule,
            message,
        });
    }
    Ok(())
}

/// Fails with [`Rule::Range`] when a number is outside the bounds.
pub fn range(
    field: &str,
    value: f64,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<(), InvalidInput> {
    if value.is_nan() || outside(value, min, max) {
        return Err(InvalidInput::new(
            field,
            Rule::Range { min, max },
            Some(&value.to_string()),
        ));
    }
    Ok(())
}

/// Fails with [`Rule::Enum`] when an enum holds a value not in `known`
/// (an `Unknown` variant set by the user).
pub fn enum_value(
    field: &str,
    value: &str,
    known: &'static [&'static str],
) -> Result<(), InvalidInput> {
    if known.contains(&value) {
        Ok(())
    } else {
        Err(InvalidInput::new(field, Rule::Enum(known), Some(value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks() {
        assert!(required::<u8>("A", &None).is_err());
        assert!(required("A", &Some(1)).is_ok());
        assert!(pattern("Catalog", "AWS", "[a-zA-Z]+").is_ok());
        // Not anchored: a match anywhere is enough.
        assert!(pattern("Catalog", "1a1", "[a-zA-Z]+").is_ok());
        let e = pattern("Catalog", "123", "[a-zA-Z]+").unwrap_err();
        assert_eq!(e.field, "Catalog");
        assert!(
            e.message.contains("Catalog") && e.message.contains("123"),
            "{e}"
        );
        assert!(length_str("Id", "ab", Some(3), None).is_err());
        assert!(length_str("Id", "äöü", Some(3), Some(3)).is_ok());
        assert!(length_list("Filters", 6, Some(0), Some(5)).is_err());
        assert!(length_bytes("Data", 3, Some(1), Some(2)).is_err());
        assert!(length_bytes("Data", 2, Some(1), Some(2)).is_ok());
        assert!(range("MaxResults", 5.0, Some(10.0), Some(100.0)).is_err());
        assert!(range("MaxResults", 10.0, Some(10.0), Some(100.0)).is_ok());
        assert!(enum_value("Status", "Running", &["Running", "Stopped"]).is_ok());
        let e = enum_value("Status", "Walking", &["Running", "Stopped"]).unwrap_err();
        assert!(e.to_string().contains("Walking"));
        // Patterns regex-lite cannot compile are not checked.
        assert!(pattern("Name", "   ", r"^(?!\s*$).+").is_ok());
    }
}
