//! `$ref` resolution: local references into `#/components/<section>/<name>` only, followed
//! iteratively (a chain of any length uses no stack) with a cycle check.

use std::collections::HashSet;

use indexmap::IndexMap;

use super::document::{
    Header, Parameter, PathItem, RequestBody, Response, Schema, SecurityScheme, pointer_segment,
};
use crate::ir::SpecError;

/// An object that may be a Reference Object.
pub trait Referable {
    fn reference(&self) -> Option<&str>;
}

macro_rules! referable {
    ($($t:ty),*) => {$(
        impl Referable for $t {
            fn reference(&self) -> Option<&str> {
                self.reference.as_deref()
            }
        }
    )*};
}
referable!(
    Schema,
    Parameter,
    RequestBody,
    Response,
    Header,
    SecurityScheme,
    PathItem
);

/// Decodes one JSON pointer segment (`~1` is `/`, `~0` is `~`) after percent-decoding, as
/// a `$ref` in a URI fragment may be written.
fn decode_segment(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = segment.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out)
        .replace("~1", "/")
        .replace("~0", "~")
}

/// Follows `item` (found at `at`) through `$ref`s into `section` (`schemas`, `parameters`,
/// ...) of `map` until an object that is not a reference. Returns that object, the
/// component name it is stored under (`None` when `item` itself is no reference) and its
/// JSON pointer.
pub fn follow<'a, T: Referable>(
    file: &str,
    section: &str,
    map: &'a IndexMap<String, T>,
    item: &'a T,
    at: &str,
) -> Result<(&'a T, Option<&'a str>, String), SpecError> {
    let err = |location: &str, message: String| SpecError {
        file: file.into(),
        location: location.into(),
        message,
    };
    let prefix = format!("#/components/{section}/");
    let mut current = item;
    let mut name = None;
    let mut pointer = at.to_string();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut chain: Vec<&str> = Vec::new();
    while let Some(reference) = current.reference() {
        let Some(key) = reference.strip_prefix(&prefix) else {
            let what = if reference.starts_with('#') {
                format!("unsupported reference `{reference}`: expected `{prefix}<name>` here")
            } else {
                format!(
                    "unsupported reference `{reference}`: references to other documents are not supported (expected `{prefix}<name>`)"
                )
            };
            return Err(err(&pointer, what));
        };
        let key = decode_segment(key);
        let Some((_, stored, next)) = map.get_full(&key) else {
            return Err(err(&pointer, format!("dangling reference `{reference}`")));
        };
        let stored = stored.as_str();
        if !seen.insert(stored) {
            chain.push(stored);
            return Err(err(
                &pointer,
                format!(
                    "`$ref` cycle without a schema in between: {}",
                    chain.join(" -> ")
                ),
            ));
        }
        chain.push(stored);
        name = Some(stored);
        pointer = format!("/components/{section}/{}", pointer_segment(stored));
        current = next;
    }
    Ok((current, name, pointer))
}
