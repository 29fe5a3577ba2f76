//! Input checks called by generated `validate` code. Each returns an [`InvalidInput`] naming
//! the field (wire-name path such as `Filters[0].Values[1]`) and the rule.
//!
//! CONTRACT: generated code calls exactly these functions.

use crate::error::InvalidInput;

/// Fails with [`Rule::Required`](crate::Rule::Required) when `value` is `None`.
pub fn required<T>(field: &str, value: &Option<T>) -> Result<(), InvalidInput> { todo!() }

/// Fails with [`Rule::Pattern`](crate::Rule::Pattern) when `value` does not match `pattern`
/// (ECMA-style regex, not implicitly anchored, as Smithy and OpenAPI define it). Compiled
/// patterns are cached; the generator guarantees every pattern compiles with `regex-lite`.
pub fn pattern(field: &str, value: &str, pattern: &'static str) -> Result<(), InvalidInput> { todo!() }

/// Fails with [`Rule::Length`](crate::Rule::Length) when the number of characters (Unicode
/// scalar values) of `value` is outside the bounds.
pub fn length_str(field: &str, value: &str, min: Option<u64>, max: Option<u64>) -> Result<(), InvalidInput> { todo!() }

/// Fails with [`Rule::Length`](crate::Rule::Length) when a list's size is outside the bounds.
pub fn length_list(field: &str, len: usize, min: Option<u64>, max: Option<u64>) -> Result<(), InvalidInput> { todo!() }

/// Fails with [`Rule::Range`](crate::Rule::Range) when a number is outside the bounds.
pub fn range(field: &str, value: f64, min: Option<f64>, max: Option<f64>) -> Result<(), InvalidInput> { todo!() }

/// Fails with [`Rule::Enum`](crate::Rule::Enum) when an enum holds a value not in `known`
/// (an `Unknown` variant set by the user).
pub fn enum_value(field: &str, value: &str, known: &'static [&'static str]) -> Result<(), InvalidInput> { todo!() }
