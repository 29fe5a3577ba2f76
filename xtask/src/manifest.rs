//! `specs/manifest.toml`: the list of client crates and their package facts.
//!
//! Each `[[crate]]` entry names a spec and says what crate it becomes: directory, crate
//! name, facade feature, environment prefix, crates.io metadata, the hand-written examples,
//! and optionally which operations to take from a whole model. Everything the generator
//! and the workspace wiring need about a crate comes from here, so adding an API is a data
//! change. Problems are [`SpecError`]s naming the file, the entry and the key.

use std::collections::BTreeSet;

use toml::{Table, Value};

use crate::ir::SpecError;

/// Where the manifest lives, relative to the workspace root.
pub const PATH: &str = "specs/manifest.toml";

/// crates.io categories a crate gets when its entry lists none.
pub const DEFAULT_CATEGORIES: &[&str] = &[
    "api-bindings",
    "web-programming::http-client",
    "asynchronous",
];

/// Names the facade's `[features]` already uses for itself.
const RESERVED_FEATURES: &[&str] = &["default", "full", "schemars"];

type Result<T> = std::result::Result<T, SpecError>;

/// Which front-end reads a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Smithy,
    OpenApi,
}

/// A hand-written example of a crate: `examples/<stem>.rs` and what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub stem: String,
    pub about: String,
}

/// One `[[crate]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Spec file, relative to the workspace root.
    pub spec: String,
    pub format: Format,
    /// Operations to keep from a whole model (Smithy only); `None` keeps them all.
    pub operations: Option<Vec<String>>,
    /// Crate directory, relative to the workspace root.
    pub dir: String,
    /// Package name, e.g. `cloudjobs-macie2`.
    pub name: String,
    /// Feature of the `cloudjobs` facade; with `-` as `_`, also the facade's module name.
    pub feature: String,
    /// Prefix of the crate's environment variables.
    pub env_prefix: String,
    /// Replaces the front-end's short service name (`ServiceMeta::name`) when set.
    pub service_name: Option<String>,
    /// A short line for the facade: its feature's and re-export's doc comments.
    pub summary: String,
    /// The crate's crates.io description.
    pub description: String,
    pub keywords: Vec<String>,
    pub categories: Vec<String>,
    pub examples: Vec<Example>,
}

impl Entry {
    /// The crate's name in Rust code, e.g. `cloudjobs_macie2`.
    pub fn lib_name(&self) -> String {
        self.name.replace('-', "_")
    }

    /// The facade module that re-exports the crate, e.g. `ssm_mw`.
    pub fn module(&self) -> String {
        self.feature.replace('-', "_")
    }
}

/// Every entry, in file order (the order of members, features and re-exports it adds).
#[derive(Debug, Clone)]
pub struct Manifest {
    pub crates: Vec<Entry>,
}

fn err(location: impl Into<String>, message: impl Into<String>) -> SpecError {
    SpecError {
        file: PATH.into(),
        location: location.into(),
        message: message.into(),
    }
}

const KEYS: &[&str] = &[
    "spec",
    "format",
    "operations",
    "dir",
    "name",
    "feature",
    "env-prefix",
    "service-name",
    "summary",
    "description",
    "keywords",
    "categories",
    "examples",
];

/// Reads the manifest text (the file at [`PATH`]).
pub fn parse(text: &str) -> Result<Manifest> {
    let doc: Table = text
        .parse()
        .map_err(|e: toml::de::Error| err("/", format!("not valid TOML: {e}")))?;
    if let Some(key) = doc.keys().find(|k| *k != "crate") {
        return Err(err(
            format!("key `{key}`"),
            "unknown top-level key (the manifest holds `[[crate]]` entries only)",
        ));
    }
    let list = match doc.get("crate") {
        Some(Value::Array(list)) if !list.is_empty() => list,
        Some(_) => {
            return Err(err(
                "key `crate`",
                "expected `[[crate]]` entries (an array of tables)",
            ));
        }
        None => return Err(err("/", "no `[[crate]]` entry")),
    };
    let mut crates = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let Value::Table(table) = item else {
            return Err(err(
                format!("crate entry {}", i + 1),
                "expected a table (`[[crate]]`)",
            ));
        };
        crates.push(entry(i + 1, table)?);
    }
    check_unique(&crates)?;
    Ok(Manifest { crates })
}

/// Reads one entry; `n` counts from 1 for messages.
fn entry(n: usize, t: &Table) -> Result<Entry> {
    // Errors name the entry by its crate name when it has a usable one.
    let label = match t.get("name") {
        Some(Value::String(name)) => format!("crate entry {n} (`{name}`)"),
        _ => format!("crate entry {n}"),
    };
    let at = |key: &str| format!("{label}, key `{key}`");
    if let Some(key) = t.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(err(
            at(key),
            format!("unknown key; the keys are {}", KEYS.join(", ")),
        ));
    }
    let string = |key: &str| -> Result<Option<String>> {
        match t.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Err(err(at(key), "is empty")),
            Some(Value::String(s)) if s.contains(['\n', '\r']) => {
                Err(err(at(key), "must be one line"))
            }
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(err(
                at(key),
                format!("expected a string, found {}", other.type_str()),
            )),
        }
    };
    let required =
        |key: &str| -> Result<String> { string(key)?.ok_or_else(|| err(at(key), "missing")) };
    let strings = |key: &str| -> Result<Option<Vec<String>>> {
        let Some(v) = t.get(key) else {
            return Ok(None);
        };
        let Value::Array(items) = v else {
            return Err(err(
                at(key),
                format!("expected an array of strings, found {}", v.type_str()),
            ));
        };
        let mut out = Vec::new();
        for item in items {
            match item {
                Value::String(s) if !s.trim().is_empty() => {
                    if out.contains(s) {
                        return Err(err(at(key), format!("`{s}` is listed twice")));
                    }
                    out.push(s.clone());
                }
                Value::String(_) => return Err(err(at(key), "has an empty string")),
                other => {
                    return Err(err(
                        at(key),
                        format!("expected an array of strings, found a {}", other.type_str()),
                    ));
                }
            }
        }
        Ok(Some(out))
    };

    let spec = required("spec")?;
    relative_path(&spec).map_err(|m| err(at("spec"), m))?;
    let format = match string("format")?.as_deref() {
        Some("smithy") => Format::Smithy,
        Some("openapi") => Format::OpenApi,
        Some(other) => {
            return Err(err(
                at("format"),
                format!("`{other}` is not `smithy` or `openapi`"),
            ));
        }
        None if spec.ends_with(".smithy.json") => Format::Smithy,
        None if [".openapi.yaml", ".openapi.yml", ".openapi.json"]
            .iter()
            .any(|ext| spec.ends_with(ext)) =>
        {
            Format::OpenApi
        }
        None => {
            return Err(err(
                at("spec"),
                format!(
                    "cannot tell the format of `{spec}` from its name (`.smithy.json`, \
                     `.openapi.yaml`); add `format = \"smithy\"` or `format = \"openapi\"`"
                ),
            ));
        }
    };
    let operations = strings("operations")?;
    match &operations {
        Some(ops) if ops.is_empty() => {
            return Err(err(
                at("operations"),
                "is empty; leave the key out to keep every operation",
            ));
        }
        Some(_) if format != Format::Smithy => {
            return Err(err(
                at("operations"),
                "an operation filter applies to Smithy models only",
            ));
        }
        _ => {}
    }

    let dir = required("dir")?;
    relative_path(&dir).map_err(|m| err(at("dir"), m))?;

    let name = required("name")?;
    if !name.starts_with(|c: char| c.is_ascii_lowercase())
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        || name.len() > 64
    {
        return Err(err(
            at("name"),
            format!(
                "`{name}` is not a crate name (lowercase letters, digits and `-`, starting with a letter)"
            ),
        ));
    }

    let feature = required("feature")?;
    if !feature.starts_with(|c: char| c.is_ascii_lowercase())
        || !feature
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(err(
            at("feature"),
            format!(
                "`{feature}` is not a feature name (lowercase letters, digits and `-`, starting with a letter)"
            ),
        ));
    }
    if RESERVED_FEATURES.contains(&feature.as_str()) {
        return Err(err(
            at("feature"),
            format!("`{feature}` is one of the facade's own features"),
        ));
    }
    let module = feature.replace('-', "_");
    if syn::parse_str::<syn::Ident>(&module).is_err() {
        return Err(err(
            at("feature"),
            format!("`{module}` (the facade module) is a Rust keyword"),
        ));
    }

    let env_prefix = required("env-prefix")?;
    if !env_prefix.starts_with(|c: char| c.is_ascii_uppercase())
        || !env_prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(err(
            at("env-prefix"),
            format!(
                "`{env_prefix}` is not an environment prefix (uppercase letters, digits and `_`)"
            ),
        ));
    }

    let service_name = string("service-name")?;
    if service_name.is_none() && format == Format::OpenApi {
        return Err(err(
            at("service-name"),
            "missing (an OpenAPI spec has no short service name to fall back on)",
        ));
    }
    let summary = required("summary")?;
    let description = required("description")?;
    if description.contains(['"', '\\']) {
        return Err(err(
            at("description"),
            "may not contain `\"` or `\\` (it is written into Cargo.toml as is)",
        ));
    }

    let keywords = strings("keywords")?.ok_or_else(|| err(at("keywords"), "missing"))?;
    if keywords.len() > 5 {
        return Err(err(at("keywords"), "crates.io allows at most 5 keywords"));
    }
    for k in &keywords {
        if k.len() > 20
            || !k.starts_with(|c: char| c.is_ascii_alphabetic())
            || !k
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
        {
            return Err(err(
                at("keywords"),
                format!(
                    "`{k}` is not a crates.io keyword (ASCII letters, digits, `-`, `_`, `+`, at most 20, starting with a letter)"
                ),
            ));
        }
    }
    let categories = strings("categories")?
        .unwrap_or_else(|| DEFAULT_CATEGORIES.iter().map(|c| c.to_string()).collect());
    if let Some(c) = categories.iter().find(|c| c.contains(['"', '\\'])) {
        return Err(err(
            at("categories"),
            format!("`{c}` is not a crates.io category slug"),
        ));
    }

    let mut examples = Vec::new();
    match t.get("examples") {
        None => {}
        Some(Value::Array(items)) => {
            for (j, item) in items.iter().enumerate() {
                let here = format!("{label}, `examples` entry {}", j + 1);
                let Value::Table(ex) = item else {
                    return Err(err(here, "expected a table (`[[crate.examples]]`)"));
                };
                if let Some(key) = ex.keys().find(|k| *k != "stem" && *k != "about") {
                    return Err(err(
                        format!("{here}, key `{key}`"),
                        "unknown key; the keys are stem, about",
                    ));
                }
                let field = |key: &str| -> Result<String> {
                    match ex.get(key) {
                        Some(Value::String(s)) if !s.trim().is_empty() && !s.contains('\n') => {
                            Ok(s.clone())
                        }
                        Some(_) => Err(err(
                            format!("{here}, key `{key}`"),
                            "expected a one-line, non-empty string",
                        )),
                        None => Err(err(format!("{here}, key `{key}`"), "missing")),
                    }
                };
                let stem = field("stem")?;
                if !stem
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                {
                    return Err(err(
                        format!("{here}, key `stem`"),
                        format!("`{stem}` is not an example file stem (lowercase, digits, `_`)"),
                    ));
                }
                if examples.iter().any(|e: &Example| e.stem == stem) {
                    return Err(err(
                        format!("{here}, key `stem`"),
                        format!("`{stem}` is listed twice"),
                    ));
                }
                examples.push(Example {
                    stem,
                    about: field("about")?,
                });
            }
        }
        Some(other) => {
            return Err(err(
                at("examples"),
                format!(
                    "expected `[[crate.examples]]` tables, found {}",
                    other.type_str()
                ),
            ));
        }
    }

    Ok(Entry {
        spec,
        format,
        operations,
        dir,
        name,
        feature,
        env_prefix,
        service_name,
        summary,
        description,
        keywords,
        categories,
        examples,
    })
}

/// A path inside the workspace, written with `/`: no root, no `.` or `..`, no empty part.
fn relative_path(path: &str) -> std::result::Result<(), String> {
    if path.starts_with('/')
        || path.contains('\\')
        || path.contains(['"', '\n'])
        || path
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err(format!(
            "`{path}` is not a relative path inside the workspace (like `crates/name`)"
        ));
    }
    Ok(())
}

/// Two entries may not share a crate name, directory, feature or environment prefix.
fn check_unique(crates: &[Entry]) -> Result<()> {
    type Key = fn(&Entry) -> String;
    let keys: [(&str, Key); 5] = [
        ("name", |e| e.name.clone()),
        ("dir", |e| e.dir.clone()),
        ("feature", |e| e.feature.clone()),
        ("env-prefix", |e| e.env_prefix.clone()),
        ("spec", |e| format!("{} {:?}", e.spec, e.operations)),
    ];
    for (key, get) in keys {
        let mut seen = BTreeSet::new();
        for (i, e) in crates.iter().enumerate() {
            if !seen.insert(get(e)) {
                return Err(err(
                    format!("crate entry {} (`{}`), key `{key}`", i + 1, e.name),
                    format!("`{}` is already used by an earlier entry", get(e)),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"
[[crate]]
spec = "specs/a.smithy.json"
dir = "crates/a"
name = "cloudjobs-a"
feature = "a"
env-prefix = "CLOUDJOBS_A"
summary = "Service A `Op`"
description = "Typed async client for A, part of cloudjobs."
keywords = ["a", "sdk"]

[[crate.examples]]
stem = "first"
about = "what it shows"
"#;

    fn error(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn reads_an_entry_with_defaults() {
        let m = parse(ONE).unwrap();
        let e = &m.crates[0];
        assert_eq!(e.format, Format::Smithy);
        assert_eq!(e.operations, None);
        assert_eq!(e.service_name, None);
        assert_eq!(e.categories, DEFAULT_CATEGORIES);
        assert_eq!(
            e.examples,
            [Example {
                stem: "first".into(),
                about: "what it shows".into()
            }]
        );
        assert_eq!(e.lib_name(), "cloudjobs_a");
    }

    #[test]
    fn errors_name_the_file_the_entry_and_the_key() {
        let e = error(&ONE.replace("feature = \"a\"", "feature = 3"));
        assert_eq!(
            e,
            "specs/manifest.toml: crate entry 1 (`cloudjobs-a`), key `feature`: expected a string, found integer"
        );
        let e = error(&ONE.replace("feature = \"a\"\n", ""));
        assert_eq!(
            e,
            "specs/manifest.toml: crate entry 1 (`cloudjobs-a`), key `feature`: missing"
        );
        let e = error(&ONE.replace("feature = \"a\"", "featur = \"a\""));
        assert!(
            e.starts_with(
                "specs/manifest.toml: crate entry 1 (`cloudjobs-a`), key `featur`: unknown key"
            ),
            "{e}"
        );
        let e = error(&ONE.replace("stem = \"first\"", "stem = \"First\""));
        assert!(
            e.starts_with(
                "specs/manifest.toml: crate entry 1 (`cloudjobs-a`), `examples` entry 1, key `stem`:"
            ),
            "{e}"
        );
        let e = error("[[crate]\n");
        assert!(
            e.starts_with("specs/manifest.toml: /: not valid TOML"),
            "{e}"
        );
    }

    #[test]
    fn values_are_checked() {
        for (from, to, key) in [
            ("dir = \"crates/a\"", "dir = \"../a\"", "dir"),
            ("feature = \"a\"", "feature = \"full\"", "feature"),
            ("feature = \"a\"", "feature = \"self\"", "feature"),
            ("feature = \"a\"", "feature = \"A b\"", "feature"),
            ("name = \"cloudjobs-a\"", "name = \"Cloudjobs\"", "name"),
            (
                "env-prefix = \"CLOUDJOBS_A\"",
                "env-prefix = \"x\"",
                "env-prefix",
            ),
            (
                "spec = \"specs/a.smithy.json\"",
                "spec = \"specs/a.json\"",
                "spec",
            ),
            (
                "keywords = [\"a\", \"sdk\"]",
                "keywords = [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"]",
                "keywords",
            ),
            (
                "description = \"Typed",
                "description = \"\\\"Typed",
                "description",
            ),
        ] {
            let text = ONE.replace(from, to);
            assert_ne!(text, ONE, "{from}");
            let e = error(&text);
            assert!(e.contains(&format!("key `{key}`: ")), "{to}: {e}");
        }
        let e = error(&ONE.replace("keywords", "format = \"openapi\"\nkeywords"));
        assert!(e.contains("key `service-name`: missing"), "{e}");
        let e = error(&ONE.replace(
            "keywords",
            "format = \"openapi\"\nservice-name = \"a\"\noperations = [\"Op\"]\nkeywords",
        ));
        assert!(
            e.contains("key `operations`: an operation filter applies to Smithy models only"),
            "{e}"
        );
    }

    #[test]
    fn entries_may_not_share_a_feature() {
        let second = ONE
            .replace("crates/a", "crates/b")
            .replace("cloudjobs-a", "cloudjobs-b")
            .replace("CLOUDJOBS_A", "CLOUDJOBS_B")
            .replace("specs/a", "specs/b");
        let e = error(&format!("{ONE}{second}"));
        assert_eq!(
            e,
            "specs/manifest.toml: crate entry 2 (`cloudjobs-b`), key `feature`: `a` is already used by an earlier entry"
        );
    }
}
