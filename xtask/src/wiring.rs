//! Adds manifest crates to the hand-written Cargo.toml files that must know them: the root
//! (`members`, `[workspace.dependencies]`) and the `cloudjobs` facade (feature, optional
//! dependency, `schemars`, `full`).
//!
//! The files are edited as text, one inserted line or array element at a time, so comments,
//! order and layout stay as they are. Whether an item is already there is decided on the
//! parsed TOML, so a second run changes nothing. A file whose layout the edits do not know
//! (no `[features]` header line, a one-line `members` array, ...) is refused with the line to
//! add by hand, and an existing item with a different value is refused, never overwritten.

use anyhow::{Result, bail};
use toml::{Table, Value};

use crate::manifest::Entry;

/// The facade crate, relative to the workspace root.
pub const FACADE_DIR: &str = "crates/cloudjobs";

/// One added line or array element, described for `--check` and for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addition {
    /// File, relative to the workspace root.
    pub file: String,
    /// Where in the file, e.g. "[workspace.dependencies]".
    pub place: String,
    /// The exact text added, or with `replaced`, the whole new line.
    pub line: String,
    /// An existing line was changed (a one-line array gained an element), not a line added.
    pub replaced: bool,
}

impl std::fmt::Display for Addition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: `{}`", self.file, self.place, self.line)
    }
}

/// A TOML file as lines (split on `\n`, so joining gives the text back byte for byte).
struct Doc<'a> {
    file: &'a str,
    lines: Vec<String>,
    added: Vec<Addition>,
}

impl<'a> Doc<'a> {
    fn new(file: &'a str, text: &str) -> Result<Self> {
        parse(file, text)?;
        Ok(Doc {
            file,
            lines: text.split('\n').map(str::to_string).collect(),
            added: Vec::new(),
        })
    }

    fn text(&self) -> String {
        self.lines.join("\n")
    }

    fn table(&self) -> Result<Table> {
        parse(self.file, &self.text())
    }

    /// Index of the `[name]` header line.
    fn header(&self, name: &str, line: &str) -> Result<usize> {
        let want = format!("[{name}]");
        self.lines
            .iter()
            .position(|l| {
                let t = l.trim();
                t.strip_prefix(&want)
                    .is_some_and(|rest| rest.trim().is_empty() || rest.trim().starts_with('#'))
            })
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "{}: no `{want}` header line to add to (a layout this command does not \
                     know); add `{line}` to `{want}` by hand",
                    self.file
                )
            })
    }

    /// The lines after header `h` up to the next table header.
    fn section(&self, h: usize) -> std::ops::Range<usize> {
        let end = (h + 1..self.lines.len())
            .find(|&i| self.lines[i].trim_start().starts_with('['))
            .unwrap_or(self.lines.len());
        h + 1..end
    }

    /// The line of key `key` directly in the section of header `h`.
    fn key_line(&self, h: usize, key: &str) -> Option<usize> {
        self.section(h)
            .find(|&i| line_key(&self.lines[i]).as_deref() == Some(key))
    }

    /// The last line of the item that starts on line `i` (a multi-line array ends at `]`).
    fn item_end(&self, i: usize) -> usize {
        if open_brackets(&self.lines[i]) <= 0 {
            return i;
        }
        (i + 1..self.lines.len())
            .find(|&j| self.lines[j].trim_start().starts_with(']'))
            .unwrap_or(i)
    }

    /// Where to insert into the section of `h`: after the last item whose key is one of
    /// `anchors`, else after `fallback`'s item, else after the section's last content line.
    fn insertion_point(&self, h: usize, anchors: &[String], fallback: Option<&str>) -> usize {
        let range = self.section(h);
        let last = |pred: &dyn Fn(&str) -> bool| {
            range
                .clone()
                .rfind(|&i| line_key(&self.lines[i]).is_some_and(|k| pred(&k)))
        };
        if let Some(i) = last(&|k| anchors.iter().any(|a| a == k)) {
            return self.item_end(i) + 1;
        }
        if let Some(f) = fallback
            && let Some(i) = last(&|k| k == f)
        {
            return self.item_end(i) + 1;
        }
        range
            .clone()
            .rfind(|&i| !self.lines[i].trim().is_empty())
            .map_or(h + 1, |i| i + 1)
    }

    fn insert(&mut self, at: usize, place: &str, lines: &[String]) {
        for (k, l) in lines.iter().enumerate() {
            self.lines.insert(at + k, l.clone());
        }
        self.added.push(Addition {
            file: self.file.to_string(),
            place: place.to_string(),
            line: lines.join("\n"),
            replaced: false,
        });
    }

    /// Adds the string `value` to the array of key `key` in the section of header `h`: after
    /// the last element in `after` when the array has one element per line, else at its end.
    fn push_to_array(&mut self, h: usize, key: &str, value: &str, after: &[String]) -> Result<()> {
        let quoted = format!("{value:?}");
        let place = format!(
            "`{key}` in [{}]",
            self.lines[h].trim().trim_matches(['[', ']'])
        );
        let Some(i) = self.key_line(h, key) else {
            bail!(
                "{}: no `{key} = [...]` line under `{}`; add {quoted} to `{key}` by hand",
                self.file,
                self.lines[h].trim()
            );
        };
        let end = self.item_end(i);
        if end == i {
            // One line: `key = [a, b]`, maybe with a comment after it.
            let line = &self.lines[i];
            let (code, comment) = split_comment(line);
            let Some(close) = code.rfind(']') else {
                bail!(
                    "{}: `{key}` is not an array on one line or one element per line; add {quoted} by hand",
                    self.file
                );
            };
            let inside = code[..close].trim_end();
            let new = if inside.ends_with('[') {
                format!("{inside}{quoted}{}{comment}", &code[close..])
            } else if inside.ends_with(',') {
                format!("{inside} {quoted}{}{comment}", &code[close..])
            } else {
                format!("{inside}, {quoted}{}{comment}", &code[close..])
            };
            self.lines[i] = new.clone();
            self.added.push(Addition {
                file: self.file.to_string(),
                place,
                line: new,
                replaced: true,
            });
            return Ok(());
        }
        // One element per line between `key = [` and `]`.
        let elements: Vec<usize> = (i + 1..end)
            .filter(|&j| {
                let t = self.lines[j].trim();
                !t.is_empty() && !t.starts_with('#')
            })
            .collect();
        let anchor = elements
            .iter()
            .copied()
            .rfind(|&j| {
                let t = split_comment(&self.lines[j]).0.trim().trim_end_matches(',');
                after.iter().any(|a| t == format!("{a:?}"))
            })
            .or(elements.last().copied());
        let (at, indent) = match anchor {
            Some(j) => {
                let (code, comment) = split_comment(&self.lines[j]);
                if !code.trim_end().ends_with(',') {
                    if !comment.is_empty() {
                        bail!(
                            "{}: line {} of `{key}` has a comment and no comma; add {quoted} by hand",
                            self.file,
                            j + 1
                        );
                    }
                    self.lines[j] = format!("{},", code.trim_end());
                }
                let indent: String = self.lines[j]
                    .chars()
                    .take_while(|c| c.is_whitespace())
                    .collect();
                (j + 1, indent)
            }
            None => (i + 1, "    ".to_string()),
        };
        self.insert(at, &place, &[format!("{indent}{quoted},")]);
        Ok(())
    }
}

fn parse(file: &str, text: &str) -> Result<Table> {
    text.parse::<Table>()
        .map_err(|e| anyhow::anyhow!("{file}: not valid TOML: {e}"))
}

/// The code and the comment (with its `#`) of a line, outside strings.
fn split_comment(line: &str) -> (&str, &str) {
    let mut in_str: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match in_str {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    in_str = None;
                }
            }
            None if c == '"' || c == '\'' => in_str = Some(c),
            None if c == '#' => return (&line[..i], &line[i..]),
            None => {}
        }
    }
    (line, "")
}

/// `[` minus `]` outside strings and comments.
fn open_brackets(line: &str) -> i32 {
    let code = split_comment(line).0;
    let mut depth = 0;
    let mut in_str: Option<char> = None;
    for c in code.chars() {
        match in_str {
            Some(q) if c == q => in_str = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => in_str = Some(c),
            None if c == '[' => depth += 1,
            None if c == ']' => depth -= 1,
            None => {}
        }
    }
    depth
}

/// The first key segment of a `key = value` line (`a.workspace = true` gives `a`).
fn line_key(line: &str) -> Option<String> {
    let t = line.trim_start();
    if t.is_empty() || t.starts_with('#') || t.starts_with('[') || t.starts_with(']') {
        return None;
    }
    let (key, _) = t.split_once('=')?;
    let key = key.trim();
    if let Some(rest) = key.strip_prefix('"') {
        return rest.split_once('"').map(|(k, _)| k.to_string());
    }
    Some(key.split('.').next().unwrap_or(key).trim().to_string())
}

fn get<'t>(t: &'t Table, path: &[&str]) -> Option<&'t Value> {
    let (last, parents) = path.split_last()?;
    let mut table = t;
    for p in parents {
        table = table.get(*p)?.as_table()?;
    }
    table.get(*last)
}

fn array_has(t: &Table, path: &[&str], value: &str) -> bool {
    get(t, path)
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(value)))
}

/// The root Cargo.toml: every entry's directory in `members` and its crate in
/// `[workspace.dependencies]` at the workspace version. Returns the new text and what was
/// added (nothing when all is there).
pub fn root(file: &str, text: &str, entries: &[Entry]) -> Result<(String, Vec<Addition>)> {
    let mut doc = Doc::new(file, text)?;
    let table = doc.table()?;
    let Some(version) = get(&table, &["workspace", "package", "version"]).and_then(Value::as_str)
    else {
        bail!("{file}: no `[workspace.package]` `version` (the version the crates are listed at)");
    };
    let version = version.to_string();
    let dirs: Vec<String> = entries.iter().map(|e| e.dir.clone()).collect();
    let names: Vec<String> = entries.iter().map(|e| e.name.clone()).collect();
    for e in entries {
        let table = doc.table()?;
        if !array_has(&table, &["workspace", "members"], &e.dir) {
            let h = doc.header("workspace", &format!("members = [..., {:?}]", e.dir))?;
            if doc
                .key_line(h, "members")
                .is_some_and(|i| doc.item_end(i) == i)
            {
                bail!(
                    "{file}: `members` is written on one line; write one member per line, or add {:?} by hand",
                    e.dir
                );
            }
            doc.push_to_array(h, "members", &e.dir, &dirs)?;
        }

        let line = format!(
            "{} = {{ path = {:?}, version = \"={version}\" }}",
            e.name, e.dir
        );
        match get(&table, &["workspace", "dependencies", &e.name]) {
            Some(dep) => {
                let path = dep.get("path").and_then(Value::as_str);
                let req = dep.get("version").and_then(Value::as_str);
                if path != Some(e.dir.as_str()) || req != Some(format!("={version}").as_str()) {
                    bail!(
                        "{file}: [workspace.dependencies] has `{}` with another path or version; it should read `{line}`",
                        e.name
                    );
                }
            }
            None => {
                let h = doc.header("workspace.dependencies", &line)?;
                let at = doc.insertion_point(h, &names, Some("cloudjobs-runtime"));
                doc.insert(at, "[workspace.dependencies]", &[line]);
            }
        }
    }
    finish(doc, |t| {
        entries.iter().all(|e| {
            array_has(t, &["workspace", "members"], &e.dir)
                && get(t, &["workspace", "dependencies", &e.name]).is_some()
        })
    })
}

/// Features of the facade that turn on the same feature of every enabled service crate.
const PASSED_THROUGH: [&str; 2] = ["schemars", "test-util"];

/// The facade's Cargo.toml: per entry a documented feature enabling the optional dependency,
/// the dependency itself, its `schemars` and `test-util` features, and the feature in `full`.
pub fn facade(file: &str, text: &str, entries: &[Entry]) -> Result<(String, Vec<Addition>)> {
    let mut doc = Doc::new(file, text)?;
    let features: Vec<String> = entries.iter().map(|e| e.feature.clone()).collect();
    let names: Vec<String> = entries.iter().map(|e| e.name.clone()).collect();
    for e in entries {
        let table = doc.table()?;
        let dep_feature = format!("dep:{}", e.name);
        let feature_line = format!("{} = [{dep_feature:?}]", e.feature);
        match get(&table, &["features", &e.feature]) {
            Some(_) if array_has(&table, &["features", &e.feature], &dep_feature) => {}
            Some(_) => bail!(
                "{file}: feature `{}` exists without {dep_feature:?}; it should read `{feature_line}`",
                e.feature
            ),
            None => {
                let h = doc.header("features", &feature_line)?;
                let mut at = doc.insertion_point(h, &features, None);
                if !doc
                    .section(h)
                    .any(|i| line_key(&doc.lines[i]).is_some_and(|k| features.contains(&k)))
                {
                    // The first service feature goes before `full` and its doc comment.
                    if let Some(mut i) = doc.key_line(h, "full") {
                        while i > h + 1 && doc.lines[i - 1].trim_start().starts_with('#') {
                            i -= 1;
                        }
                        at = i;
                    }
                }
                doc.insert(
                    at,
                    "[features]",
                    &[
                        format!("## {}.", e.summary.trim_end_matches('.')),
                        feature_line,
                    ],
                );
            }
        }

        for feature in PASSED_THROUGH {
            let item = format!("{}?/{feature}", e.name);
            if !array_has(&doc.table()?, &["features", feature], &item) {
                let h = doc.header("features", &format!("{feature} = [..., {item:?}]"))?;
                let after: Vec<String> = names.iter().map(|n| format!("{n}?/{feature}")).collect();
                doc.push_to_array(h, feature, &item, &after)?;
            }
        }
        if !array_has(&doc.table()?, &["features", "full"], &e.feature) {
            let h = doc.header("features", &format!("full = [..., {:?}]", e.feature))?;
            doc.push_to_array(h, "full", &e.feature, &features)?;
        }

        let dep_line = format!("{} = {{ workspace = true, optional = true }}", e.name);
        match get(&doc.table()?, &["dependencies", &e.name]) {
            Some(dep) => {
                if dep.get("optional").and_then(Value::as_bool) != Some(true)
                    || dep.get("workspace").and_then(Value::as_bool) != Some(true)
                {
                    bail!(
                        "{file}: [dependencies] has `{}` but not as an optional workspace dependency; it should read `{dep_line}`",
                        e.name
                    );
                }
            }
            None => {
                let h = doc.header("dependencies", &dep_line)?;
                let at = doc.insertion_point(h, &names, Some("cloudjobs-runtime"));
                doc.insert(at, "[dependencies]", &[dep_line]);
            }
        }
    }
    finish(doc, |t| {
        entries.iter().all(|e| {
            array_has(t, &["features", &e.feature], &format!("dep:{}", e.name))
                && array_has(t, &["features", "full"], &e.feature)
                && PASSED_THROUGH
                    .iter()
                    .all(|f| array_has(t, &["features", f], &format!("{}?/{f}", e.name)))
                && get(t, &["dependencies", &e.name]).is_some()
        })
    })
}

/// Checks that the edited text parses and has everything, then hands it back.
fn finish(doc: Doc, complete: impl Fn(&Table) -> bool) -> Result<(String, Vec<Addition>)> {
    let table = doc.table()?;
    if !complete(&table) {
        let lines: Vec<String> = doc.added.iter().map(ToString::to_string).collect();
        bail!(
            "{}: the edits did not give the expected result; add by hand: {}",
            doc.file,
            lines.join("; ")
        );
    }
    Ok((doc.text(), doc.added))
}

/// `crates/cloudjobs/src/services.rs`: the facade's re-export of every entry's crate, each
/// behind its feature. `lib.rs` includes it.
pub fn services_rs(entries: &[Entry]) -> String {
    let mut out = format!(
        "// @generated by `cargo xtask codegen` from {}. Do not edit by hand.\n\
         // The service crates, one module per feature; `lib.rs` includes this file.\n",
        crate::manifest::PATH
    );
    for e in entries {
        out.push_str(&format!(
            "\n/// {} (feature `{}`).\n#[cfg(feature = \"{}\")]\npub use {} as {};\n",
            e.summary.trim_end_matches('.'),
            e.feature,
            e.feature,
            e.lib_name(),
            e.module()
        ));
    }
    out
}

/// `crates/cloudjobs/src/services.md`: the feature table of the facade's crate docs.
pub fn services_md(entries: &[Entry]) -> String {
    let mut out = format!(
        "<!-- @generated by `cargo xtask codegen` from {}. Do not edit by hand. -->\n\
         | feature | module | service and operations |\n|---|---|---|\n",
        crate::manifest::PATH
    );
    for e in entries {
        out.push_str(&format!(
            "| `{}` | `{}` | {} |\n",
            e.feature,
            e.module(),
            e.summary.trim_end_matches('.').replace('|', "\\|")
        ));
    }
    out.push_str(
        "| `full` | all of the above | |\n\
         | `schemars` | | `schemars::JsonSchema` on every generated type |\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Entry, Format};

    fn entry(short: &str) -> Entry {
        Entry {
            spec: format!("specs/{short}.smithy.json"),
            format: Format::Smithy,
            operations: None,
            dir: format!("crates/{short}"),
            name: format!("cloudjobs-{short}"),
            feature: short.to_string(),
            env_prefix: format!("CLOUDJOBS_{}", short.to_uppercase().replace('-', "_")),
            service_name: None,
            summary: format!("Service {short}"),
            description: format!("Typed async client for {short}."),
            keywords: vec![],
            categories: vec![],
            examples: vec![],
        }
    }

    const ROOT: &str = r#"[workspace]
resolver = "3"
members = [
    "xtask",
    "crates/runtime",
    "crates/aa",
    "crates/cloudjobs", # the facade
]

[workspace.package]
version = "1.2.3"

[workspace.dependencies]
# Our own crates.
cloudjobs-runtime = { path = "crates/runtime", version = "=1.2.3" }
cloudjobs-aa = { path = "crates/aa", version = "=1.2.3" }
cloudjobs = { path = "crates/cloudjobs", version = "=1.2.3" }

# Others
serde = "1"
"#;

    const FACADE: &str = r#"[package]
name = "cloudjobs"

[features]
default = []
## Service aa.
aa = ["dep:cloudjobs-aa"]
## Every service.
full = ["aa"]
## Schemas.
schemars = [
    "cloudjobs-runtime/schemars",
    "cloudjobs-aa?/schemars",
]
## Test doubles.
test-util = [
    "cloudjobs-runtime/test-util",
    "cloudjobs-aa?/test-util",
]

[dependencies]
cloudjobs-runtime.workspace = true
cloudjobs-aa = { workspace = true, optional = true }
serde.workspace = true
"#;

    #[test]
    fn root_gets_a_member_and_a_dependency_and_nothing_else_moves() {
        let entries = [entry("aa"), entry("bb")];
        let (text, added) = root("Cargo.toml", ROOT, &entries).unwrap();
        let expected = ROOT
            .replace(
                "    \"crates/aa\",\n",
                "    \"crates/aa\",\n    \"crates/bb\",\n",
            )
            .replace(
                "version = \"=1.2.3\" }\ncloudjobs = ",
                "version = \"=1.2.3\" }\ncloudjobs-bb = { path = \"crates/bb\", version = \"=1.2.3\" }\ncloudjobs = ",
            );
        assert_eq!(text, expected);
        assert_eq!(
            added.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "Cargo.toml: `members` in [workspace]: `    \"crates/bb\",`",
                "Cargo.toml: [workspace.dependencies]: `cloudjobs-bb = { path = \"crates/bb\", version = \"=1.2.3\" }`",
            ]
        );
        // Idempotent.
        let (again, added) = root("Cargo.toml", &text, &entries).unwrap();
        assert_eq!(again, text);
        assert!(added.is_empty());
    }

    #[test]
    fn facade_gets_feature_dependency_passed_through_features_and_full() {
        let entries = [entry("aa"), entry("bb")];
        let (text, added) = facade("crates/cloudjobs/Cargo.toml", FACADE, &entries).unwrap();
        let expected = FACADE
            .replace(
                "aa = [\"dep:cloudjobs-aa\"]\n",
                "aa = [\"dep:cloudjobs-aa\"]\n## Service bb.\nbb = [\"dep:cloudjobs-bb\"]\n",
            )
            .replace("full = [\"aa\"]", "full = [\"aa\", \"bb\"]")
            .replace(
                "    \"cloudjobs-aa?/schemars\",\n",
                "    \"cloudjobs-aa?/schemars\",\n    \"cloudjobs-bb?/schemars\",\n",
            )
            .replace(
                "    \"cloudjobs-aa?/test-util\",\n",
                "    \"cloudjobs-aa?/test-util\",\n    \"cloudjobs-bb?/test-util\",\n",
            )
            .replace(
                "cloudjobs-aa = { workspace = true, optional = true }\n",
                "cloudjobs-aa = { workspace = true, optional = true }\ncloudjobs-bb = { workspace = true, optional = true }\n",
            );
        assert_eq!(text, expected);
        assert_eq!(added.len(), 5, "{added:?}");
        assert_eq!(
            added[0].to_string(),
            "crates/cloudjobs/Cargo.toml: [features]: `## Service bb.\nbb = [\"dep:cloudjobs-bb\"]`"
        );
        assert_eq!(added[3].line, "full = [\"aa\", \"bb\"]");
        assert!(added[3].replaced && !added[1].replaced && !added[2].replaced);
        let (again, added) = facade("crates/cloudjobs/Cargo.toml", &text, &entries).unwrap();
        assert_eq!(again, text);
        assert!(added.is_empty());
    }

    #[test]
    fn first_feature_goes_before_full_and_arrays_gain_commas() {
        let bare = "[features]\n## All.\nfull = []\nschemars = [\n    \"cloudjobs-runtime/schemars\"\n]\ntest-util = [\"cloudjobs-runtime/test-util\"]\n\n[dependencies]\ncloudjobs-runtime.workspace = true\n";
        let (text, _) = facade("f.toml", bare, &[entry("cc")]).unwrap();
        assert_eq!(
            text,
            "[features]\n## Service cc.\ncc = [\"dep:cloudjobs-cc\"]\n## All.\nfull = [\"cc\"]\nschemars = [\n    \"cloudjobs-runtime/schemars\",\n    \"cloudjobs-cc?/schemars\",\n]\ntest-util = [\"cloudjobs-runtime/test-util\", \"cloudjobs-cc?/test-util\"]\n\n[dependencies]\ncloudjobs-runtime.workspace = true\ncloudjobs-cc = { workspace = true, optional = true }\n"
        );
    }

    #[test]
    fn unknown_layouts_and_conflicts_are_refused() {
        let e = root(
            "Cargo.toml",
            &ROOT.replace(
                "cloudjobs-aa = { path = \"crates/aa\"",
                "cloudjobs-aa = { path = \"crates/elsewhere\"",
            ),
            &[entry("aa")],
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains(
                "it should read `cloudjobs-aa = { path = \"crates/aa\", version = \"=1.2.3\" }`"
            ),
            "{e}"
        );
        let e = root(
            "Cargo.toml",
            "[workspace]\nmembers = [\"xtask\"]\n[workspace.package]\nversion = \"1.0.0\"\n",
            &[entry("aa")],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("`members` is written on one line"), "{e}");
        let e = facade(
            "f.toml",
            "features.full = []\n[dependencies]\n",
            &[entry("aa")],
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("f.toml: no `[features]` header line"), "{e}");
        assert!(e.contains("add `aa = [\"dep:cloudjobs-aa\"]`"), "{e}");
        let e = facade("f.toml", "[features\n", &[entry("aa")])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("f.toml: not valid TOML"), "{e}");
    }

    #[test]
    fn services_module_lists_every_entry() {
        let text = services_rs(&[entry("aa"), entry("b-b")]);
        assert!(text.starts_with("// @generated"));
        assert!(text.contains(
            "/// Service b-b (feature `b-b`).\n#[cfg(feature = \"b-b\")]\npub use cloudjobs_b_b as b_b;\n"
        ));
        let mut odd = entry("cc");
        odd.summary = "A | B.".into();
        let table = services_md(&[entry("b-b"), odd]);
        assert!(
            table.contains("|---|---|---|\n| `b-b` | `b_b` | Service b-b |\n| `cc` | `cc` | A \\| B |\n| `full` |"),
            "{table}"
        );
    }
}
