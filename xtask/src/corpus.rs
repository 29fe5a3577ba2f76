//! `cargo xtask corpus [DIR] [--only-smithy]`: the generator against a corpus of real specs,
//! checked on the wire against botocore.
//!
//! DIR (default `../shared/corpus` next to the workspace) has the layout its README gives:
//! `smithy/operations.txt` lists `<model file> <operation>` a line, the models sit next to
//! it; `openapi/` holds OpenAPI specs (their wire check is issue 10: listed as skipped).
//!
//! For every Smithy model the command
//! 1. loads the model, keeping the listed operations, and emits its crate with the same
//!    emitter as `cargo xtask codegen`, into a scratch workspace `target/corpus/ws` (outside
//!    `crates/`, its own target directory `target/corpus/target`);
//! 2. emits a harness binary per model ([`harness`]) that turns botocore-style parameters into
//!    the generated input types and outputs back into JSON, over JSON lines on stdin/stdout;
//! 3. compiles everything with `RUSTFLAGS=-D warnings`;
//! 4. runs `tests/corpus/differential.py` in a venv it makes (`target/corpus/venv`, botocore
//!    pinned by `tests/corpus/requirements.txt`): per operation, generated inputs are
//!    serialized by botocore and by the harness and compared as HTTP requests, generated
//!    responses are parsed by both and compared as values.
//!
//! 5. for each listed operation that one of our own Smithy specs (`specs/manifest.toml`) also
//!    generates (same service `sdkId`, same operation name), emits our spec as well and has
//!    the script send both harnesses the same inputs and responses ([`ours`]): requests and
//!    outputs must be equal over the members both models have.
//!
//! It prints one line per operation (`PASS <service> <op> (N requests, M responses)` or
//! `FAIL <service> <op>: <first difference>`) and closes with `N passed, M failed`; the exit
//! code is non-zero when anything failed. A model that does not load, emit or compile fails
//! each of its operations with that error.

mod harness;
mod openapi;
mod ours;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::emit::{self, CrateInfo};
use crate::ir::{Endpoint, Protocol, Service};
use crate::smithy;

/// The support library every harness links, written into the scratch workspace as is.
const SUPPORT_RS: &str = include_str!("corpus/support.rs");

/// One line of `operations.txt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub model: String,
    pub operation: String,
    /// 1-based line number, for messages.
    pub line: usize,
}

/// Parses `operations.txt`: `<model file> <operation>` per line; blank lines and `#`
/// comments are skipped. Errors name the file and the line.
pub fn parse_operations(file: &str, text: &str) -> Result<Vec<Entry>> {
    let mut out: Vec<Entry> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let content = raw.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        let fields: Vec<&str> = content.split_whitespace().collect();
        let [model, operation] = fields.as_slice() else {
            bail!(
                "{file}:{line}: expected `<model file> <operation>`, found {} field(s): {content:?}",
                fields.len()
            );
        };
        if model.contains("..") || model.starts_with('/') || model.contains('\\') {
            bail!(
                "{file}:{line}: the model file {model:?} must be a plain name in the same directory"
            );
        }
        if !operation
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            bail!("{file}:{line}: {operation:?} is not an operation name");
        }
        if let Some(first) = out
            .iter()
            .find(|e| e.model == *model && e.operation == *operation)
        {
            bail!(
                "{file}:{line}: `{model} {operation}` is listed twice (first on line {})",
                first.line
            );
        }
        out.push(Entry {
            model: model.to_string(),
            operation: operation.to_string(),
            line,
        });
    }
    Ok(out)
}

/// The operations of each model, models in order of first appearance.
pub fn group(entries: &[Entry]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for e in entries {
        match out.iter_mut().find(|(m, _)| *m == e.model) {
            Some((_, ops)) => ops.push(e.operation.clone()),
            None => out.push((e.model.clone(), vec![e.operation.clone()])),
        }
    }
    out
}

/// Short name of a model file in the report: `ssm-2014-11-06.json` -> `ssm`.
pub fn label(model: &str) -> String {
    let stem = [
        ".smithy.json",
        ".openapi.json",
        ".openapi.yaml",
        ".openapi.yml",
        ".json",
        ".yaml",
        ".yml",
    ]
    .iter()
    .find_map(|ext| model.strip_suffix(ext))
    .unwrap_or(model);
    // A trailing `-YYYY-MM-DD` is the API version.
    if stem.len() > 11 && stem.is_char_boundary(stem.len() - 11) {
        let (head, tail) = stem.split_at(stem.len() - 11);
        let t = tail.as_bytes();
        let date = t[0] == b'-'
            && t[5] == b'-'
            && t[8] == b'-'
            && t.iter()
                .enumerate()
                .all(|(i, c)| matches!(i, 0 | 5 | 8) || c.is_ascii_digit());
        if date && !head.is_empty() {
            return head.to_string();
        }
    }
    stem.to_string()
}

/// Crate-name part for a model: lowercase ASCII letters, digits and `-`.
fn slug(model: &str) -> String {
    let s: String = label(model)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() { "model".into() } else { s }
}

/// Loads one model with only the listed operations, through the same front-end as
/// `cargo xtask codegen`. The one place that knows how the Smithy front-end is called.
fn load_model(file: &str, text: &str, operations: &[String]) -> Result<Service, String> {
    let mut svc = smithy::load(file, text, Some(operations)).map_err(|e| e.to_string())?;
    crate::check::check(&mut svc).map_err(|e| e.to_string())?;
    Ok(svc)
}

/// Runs `f`, turning a panic into an error message (the emitter asserts on its own output;
/// one bad model must not stop the run).
fn catching<T>(what: &str, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    match result {
        Ok(r) => r,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            Err(format!("{what} panicked: {msg}"))
        }
    }
}

/// One model in the scratch workspace.
struct Model {
    file: String,
    /// Crate-name prefix: `corpus` for corpus models, `ours` for our specs.
    prefix: String,
    label: String,
    operations: Vec<String>,
    /// Directory names (under the scratch workspace) of the generated crate and its harness.
    crate_dir: String,
    harness_dir: String,
    /// Cargo target name of the harness binary.
    harness_bin: String,
    /// Library target name of the generated crate.
    lib: String,
    service: Option<Service>,
    /// The compiled harness.
    harness_exe: Option<PathBuf>,
    /// Why the model cannot be checked (load, emit or compile error).
    error: Option<String>,
    /// An OpenAPI spec (checked by `openapi_check.py`), not a Smithy model.
    openapi: bool,
    /// Files, lines and bytes of the generated crate.
    size: Option<(usize, usize, usize)>,
    /// Seconds from cargo's `Compiling` line of the generated crate, and of its harness, to
    /// their artifacts (`None` when cargo found them up to date).
    compile_secs: (Option<f64>, Option<f64>),
}

/// The root manifest of the scratch workspace: the members, and the root workspace's
/// `[workspace.package]` and `[workspace.dependencies]` (relative paths made absolute), so
/// the generated `Cargo.toml`s resolve exactly as in `crates/`.
pub fn scratch_manifest(root_toml: &str, root: &Path, members: &[String]) -> Result<String> {
    let mut inherited = String::new();
    let mut keep = false;
    let path_re = regex_lite::Regex::new(r#"path\s*=\s*"([^"]+)""#)?;
    for line in root_toml.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            keep = t == "[workspace.package]" || t == "[workspace.dependencies]";
        }
        if keep {
            let line = path_re.replace_all(line, |c: &regex_lite::Captures| {
                let p = Path::new(&c[1]);
                let abs = if p.is_absolute() {
                    p.to_path_buf()
                } else {
                    root.join(p)
                };
                format!("path = {:?}", abs.display().to_string())
            });
            inherited.push_str(&line);
            inherited.push('\n');
        }
    }
    if !inherited.contains("[workspace.package]") || !inherited.contains("[workspace.dependencies]")
    {
        bail!(
            "{}: no [workspace.package] or [workspace.dependencies] table to inherit",
            root.join("Cargo.toml").display()
        );
    }
    let members = members
        .iter()
        .map(|m| format!("    {m:?},"))
        .collect::<Vec<_>>()
        .join("\n");
    Ok(format!(
        "# Scratch workspace of the generator (written on every run; not committed).\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n{members}\n]\n\n{inherited}\n\
         [profile.dev]\ndebug = false\n"
    ))
}

fn harness_toml(m: &Model, crate_name: &str) -> String {
    format!(
        "[package]\nname = \"{bin}\"\nversion = \"0.0.0\"\nedition.workspace = true\npublish = false\n\n\
         [[bin]]\nname = \"{bin}\"\npath = \"src/main.rs\"\n\n\
         [dependencies]\n{crate_name} = {{ path = \"../{dir}\" }}\n\
         corpus-support = {{ path = \"../support\" }}\n\
         cloudjobs-runtime.workspace = true\n",
        bin = m.harness_bin,
        dir = m.crate_dir,
    )
}

const SUPPORT_TOML: &str = "[package]\nname = \"corpus-support\"\nversion = \"0.0.0\"\n\
edition.workspace = true\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\n\n[dependencies]\n\
cloudjobs-runtime.workspace = true\nserde_json.workspace = true\nhttp.workspace = true\n\
bytes.workspace = true\nserde.workspace = true\ntokio = { workspace = true, features = [\"rt\"] }\n";

/// Writes `text` unless the file already holds it (keeps mtimes, so cargo rebuilds only what
/// changed).
fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// Loads and emits every model into `ws`, writes the workspace around them, and returns
/// the models (those that failed carry their error). Crate names start with `prefix`:
/// workspaces that share a target directory need distinct names, since cargo puts every
/// binary at `target/debug/<name>`.
#[cfg(test)]
fn prepare_workspace(
    root: &Path,
    corpus: &Path,
    groups: &[(String, Vec<String>)],
    ws: &Path,
    prefix: &str,
) -> Result<Vec<Model>> {
    let sources = corpus_sources(corpus, groups, prefix);
    let models = emit_models(&sources, ws)?;
    write_workspace(root, ws, &models)?;
    Ok(models)
}

/// A spec to emit into the scratch workspace.
struct Source {
    /// The name in the report (a corpus model file, or one of our spec paths).
    file: String,
    path: PathBuf,
    /// The name in spec errors.
    shown: String,
    operations: Vec<String>,
    /// Crate-name prefix.
    prefix: String,
    /// An OpenAPI spec (all its operations) rather than a Smithy model.
    openapi: bool,
}

fn corpus_sources(corpus: &Path, groups: &[(String, Vec<String>)], prefix: &str) -> Vec<Source> {
    groups
        .iter()
        .map(|(file, operations)| Source {
            file: file.clone(),
            path: corpus.join("smithy").join(file),
            shown: format!("smithy/{file}"),
            operations: operations.clone(),
            prefix: prefix.to_string(),
            openapi: false,
        })
        .collect()
}

/// Every OpenAPI spec of `corpus/openapi`, with the operations it documents (the report's
/// list when the spec does not load).
fn openapi_sources(corpus: &Path, prefix: &str) -> Vec<Source> {
    openapi_specs(corpus)
        .into_iter()
        .map(|file| {
            let path = corpus.join("openapi").join(&file);
            let operations = std::fs::read_to_string(&path)
                .map(|t| openapi::documented_operations(&t))
                .unwrap_or_default();
            Source {
                shown: format!("openapi/{file}"),
                file,
                path,
                operations,
                prefix: prefix.to_string(),
                openapi: true,
            }
        })
        .collect()
}

/// Loads an OpenAPI spec through the same front-end and check pass as `cargo xtask codegen`.
fn load_openapi(file: &str, text: &str) -> Result<Service, String> {
    let mut svc = crate::openapi::load(file, text).map_err(|e| e.to_string())?;
    crate::check::check(&mut svc).map_err(|e| e.to_string())?;
    Ok(svc)
}

/// Loads and emits each source (crate and harness) into `ws`.
fn emit_models(sources: &[Source], ws: &Path) -> Result<Vec<Model>> {
    let mut models = Vec::new();
    let mut used = BTreeMap::<String, usize>::new();
    for Source {
        file,
        path,
        shown,
        operations,
        prefix,
        openapi: is_openapi,
    } in sources
    {
        let mut slug = slug(file);
        let n = used.entry(format!("{prefix}-{slug}")).or_insert(0);
        *n += 1;
        if *n > 1 {
            slug = format!("{slug}-{n}");
        }
        let mut m = Model {
            file: file.clone(),
            prefix: prefix.clone(),
            label: label(file),
            operations: operations.clone(),
            crate_dir: format!("{prefix}-{slug}"),
            harness_dir: format!("{prefix}-{slug}-harness"),
            harness_bin: format!("{prefix}-{slug}-harness"),
            lib: format!("{prefix}-{slug}").replace('-', "_"),
            service: None,
            harness_exe: None,
            error: None,
            openapi: *is_openapi,
            size: None,
            compile_secs: (None, None),
        };
        let crate_name = format!("{prefix}-{slug}");
        let result = std::fs::read_to_string(path)
            .map_err(|e| format!("reading {}: {e}", path.display()))
            .and_then(|text| {
                if *is_openapi {
                    catching("the OpenAPI front-end", || load_openapi(shown, &text))
                } else {
                    catching("the Smithy front-end", || {
                        load_model(shown, &text, operations)
                    })
                }
            })
            .and_then(|mut svc| {
                svc.crate_name = crate_name.clone();
                let info = CrateInfo {
                    description: format!("Corpus check crate for {shown}."),
                    keywords: Vec::new(),
                    categories: Vec::new(),
                    env_prefix: format!("CORPUS_{}", slug.to_uppercase().replace('-', "_")),
                    feature: slug.clone(),
                    examples: Vec::new(),
                };
                let files = catching("the emitter", || Ok(emit::emit(&svc, &info)))?;
                let main = catching("the harness emitter", || {
                    Ok(if *is_openapi {
                        openapi::main_rs(&svc, &m.lib)
                    } else {
                        harness::main_rs(&svc, &m.lib)
                    })
                })?;
                Ok((svc, files, main))
            });
        match result {
            Err(e) => m.error = Some(e),
            Ok((svc, files, main)) => {
                for (rel, text) in &files {
                    write_if_changed(&ws.join(&m.crate_dir).join(rel), text)?;
                }
                write_if_changed(
                    &ws.join(&m.harness_dir).join("Cargo.toml"),
                    &harness_toml(&m, &crate_name),
                )?;
                write_if_changed(&ws.join(&m.harness_dir).join("src/main.rs"), &main)?;
                m.size = Some((
                    files.len(),
                    files.values().map(|t| t.lines().count()).sum(),
                    files.values().map(|t| t.len()).sum(),
                ));
                if *is_openapi {
                    m.operations = svc.operations.iter().map(|o| o.name.clone()).collect();
                }
                m.service = Some(svc);
            }
        }
        models.push(m);
    }
    Ok(models)
}

/// Writes the support crate and the root manifest of the scratch workspace around `models`.
fn write_workspace(root: &Path, ws: &Path, models: &[Model]) -> Result<()> {
    write_if_changed(&ws.join("support/Cargo.toml"), SUPPORT_TOML)?;
    write_if_changed(&ws.join("support/src/lib.rs"), SUPPORT_RS)?;
    let mut members = vec!["support".to_string()];
    for m in models.iter().filter(|m| m.error.is_none()) {
        members.push(m.crate_dir.clone());
        members.push(m.harness_dir.clone());
    }
    let root_toml = std::fs::read_to_string(root.join("Cargo.toml"))
        .with_context(|| format!("reading {}", root.join("Cargo.toml").display()))?;
    write_if_changed(
        &ws.join("Cargo.toml"),
        &scratch_manifest(&root_toml, root, &members)?,
    )?;
    // Same dependency versions as the workspace (cargo adds the scratch members).
    if let Ok(lock) = std::fs::read_to_string(root.join("Cargo.lock")) {
        write_if_changed(&ws.join("Cargo.lock"), &lock)?;
    }
    Ok(())
}

/// What cargo said about one target.
#[derive(Default, Debug)]
struct Built {
    executables: BTreeMap<String, PathBuf>,
    /// First error per target name.
    errors: BTreeMap<String, String>,
    /// The tail of cargo's own stderr, for failures outside any target.
    stderr: String,
    /// Wall seconds from cargo's `Compiling` line of a package to the artifact of its target
    /// (names with `-` read as `_`); targets cargo found up to date are absent.
    seconds: BTreeMap<String, f64>,
}

/// Compiles every harness (and so every generated crate) with `-D warnings`, keeping going
/// past failures.
fn build(ws: &Path, target_dir: &Path) -> Result<Built> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut child = Command::new(cargo)
        .args(["build", "--workspace", "--bins", "--keep-going"])
        .args(["--message-format", "json-diagnostic-short"])
        .arg("--manifest-path")
        .arg(ws.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_INCREMENTAL", "0")
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .current_dir(ws)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting cargo build for the scratch workspace")?;
    let stderr = child.stderr.take();
    let started = std::sync::Arc::new(std::sync::Mutex::new(BTreeMap::<String, Instant>::new()));
    let started_w = std::sync::Arc::clone(&started);
    let err_thread = std::thread::spawn(move || {
        let mut tail: Vec<String> = Vec::new();
        if let Some(s) = stderr {
            for line in BufReader::new(s).lines().map_while(Result::ok) {
                if let Some(rest) = line.trim_start().strip_prefix("Compiling ") {
                    eprintln!("{line}");
                    let name = rest.split_whitespace().next().unwrap_or("");
                    if let Ok(mut map) = started_w.lock() {
                        map.insert(name.replace('-', "_"), Instant::now());
                    }
                }
                tail.push(line);
                if tail.len() > 40 {
                    tail.remove(0);
                }
            }
        }
        tail.join("\n")
    });
    let mut built = Built::default();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let Ok(v) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            let target = v
                .pointer("/target/name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            match v.get("reason").and_then(Value::as_str) {
                Some("compiler-artifact") => {
                    let key = target.replace('-', "_");
                    let fresh = v.get("fresh").and_then(Value::as_bool).unwrap_or(false);
                    let begun = started.lock().ok().and_then(|m| m.get(&key).copied());
                    if let (false, Some(t)) = (fresh, begun) {
                        built.seconds.insert(key, t.elapsed().as_secs_f64());
                    }
                    if let Some(exe) = v.get("executable").and_then(Value::as_str) {
                        built.executables.insert(target, PathBuf::from(exe));
                    }
                }
                Some("compiler-message") => {
                    let level = v.pointer("/message/level").and_then(Value::as_str);
                    if level == Some("error") && !built.errors.contains_key(&target) {
                        let text = v
                            .pointer("/message/rendered")
                            .and_then(Value::as_str)
                            .or_else(|| v.pointer("/message/message").and_then(Value::as_str))
                            .unwrap_or("error")
                            .trim()
                            .to_string();
                        built.errors.insert(target, text);
                    }
                }
                _ => {}
            }
        }
    }
    child.wait().context("waiting for cargo build")?;
    built.stderr = err_thread.join().unwrap_or_default();
    Ok(built)
}

/// The venv with the pinned botocore; created or updated when `requirements.txt` changed.
fn ensure_venv(root: &Path, venv: &Path) -> Result<PathBuf> {
    let req_path = root.join("tests/corpus/requirements.txt");
    let req = std::fs::read_to_string(&req_path)
        .with_context(|| format!("reading {}", req_path.display()))?;
    let python = venv.join("bin/python");
    let stamp = venv.join("cloudjobs-requirements.txt");
    if !python.exists() {
        eprintln!("creating {} ...", venv.display());
        let base = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let status = Command::new(&base)
            .args(["-m", "venv"])
            .arg(venv)
            .status()
            .with_context(|| format!("running `{base} -m venv`"))?;
        if !status.success() {
            bail!("`{base} -m venv {}` failed", venv.display());
        }
    }
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(req.as_str()) {
        eprintln!("installing {} into the venv ...", req_path.display());
        let status = Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--quiet",
                "-r",
            ])
            .arg(&req_path)
            .status()
            .context("running pip in the venv")?;
        if !status.success() {
            bail!("pip could not install {}", req_path.display());
        }
        std::fs::write(&stamp, &req).with_context(|| format!("writing {}", stamp.display()))?;
    }
    Ok(python)
}

fn protocol_name(p: &Protocol) -> &'static str {
    match p {
        Protocol::AwsJson1_0 { .. } => "awsJson1_0",
        Protocol::AwsJson1_1 { .. } => "awsJson1_1",
        Protocol::RestJson1 => "restJson1",
        Protocol::Json => "json",
    }
}

/// Outcome of one operation.
#[derive(Debug, Clone)]
struct Outcome {
    ok: bool,
    requests: u64,
    responses: u64,
    error: String,
    /// The comparison with our crate of the same operation, when there is one.
    ours: Option<Box<Outcome>>,
}

impl Outcome {
    fn from_json(v: &Value) -> Outcome {
        let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let n = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
        Outcome {
            ok: v.get("ok").and_then(Value::as_bool).unwrap_or(false),
            requests: n("requests"),
            responses: n("responses"),
            error: s("error"),
            ours: v
                .get("ours")
                .filter(|o| o.is_object())
                .map(|o| Box::new(Outcome::from_json(o))),
        }
    }
}

/// Our Smithy specs (manifest entries) that generate operations of the loaded corpus
/// models: the pairs `(model file, operation) -> our spec`, and the sources to emit for them
/// (each of our specs filtered to the operations it is compared on).
fn pair_with_ours(root: &Path, models: &[&Model]) -> Result<(Pairs, Vec<Source>)> {
    let manifest = crate::codegen::load_manifest(root)?;
    let mut ours: Vec<(String, String, Vec<String>)> = Vec::new();
    for e in &manifest.crates {
        if e.format != crate::manifest::Format::Smithy {
            continue;
        }
        // A spec that does not load is `cargo xtask codegen`'s to report.
        let Ok(text) = std::fs::read_to_string(root.join(&e.spec)) else {
            continue;
        };
        let Ok(svc) = smithy::load(&e.spec, &text, e.operations.as_deref()) else {
            continue;
        };
        let ops = svc.operations.iter().map(|o| o.name.clone()).collect();
        ours.push((e.spec.clone(), svc.sdk_id, ops));
    }
    let index: Vec<(&str, &[String])> = ours
        .iter()
        .map(|(_, id, ops)| (id.as_str(), ops.as_slice()))
        .collect();
    let mut pairs = BTreeMap::new();
    let mut wanted: Vec<(String, Vec<String>)> = Vec::new();
    for m in models {
        let Some(svc) = &m.service else { continue };
        for op in &m.operations {
            let Some(i) = ours::pair(&svc.sdk_id, op, &index) else {
                continue;
            };
            let spec = ours[i].0.clone();
            pairs.insert((m.file.clone(), op.clone()), spec.clone());
            match wanted.iter_mut().find(|(s, _)| *s == spec) {
                Some((_, ops)) if !ops.contains(op) => ops.push(op.clone()),
                Some(_) => {}
                None => wanted.push((spec, vec![op.clone()])),
            }
        }
    }
    let sources = wanted
        .into_iter()
        .map(|(spec, operations)| Source {
            file: spec.clone(),
            path: root.join(&spec),
            shown: spec,
            operations,
            prefix: "ours".into(),
            openapi: false,
        })
        .collect();
    Ok((pairs, sources))
}

/// `(model file, operation) -> our spec` generating the same operation.
type Pairs = BTreeMap<(String, String), String>;

type Comparisons = BTreeMap<(String, String), Result<ours::Comparison, String>>;

/// Our side of the differential: our models, which corpus operations they pair with, and
/// how the models compare.
struct Ours<'a> {
    models: &'a [Model],
    pairs: &'a Pairs,
    comparisons: &'a Comparisons,
}

/// The member-by-member comparison of each paired operation (official model vs ours).
fn compare_with_ours(models: &[Model], ours_models: &[Model], pairs: &Pairs) -> Comparisons {
    let mut out = BTreeMap::new();
    for ((file, op), spec) in pairs {
        let official = models.iter().find(|m| m.file == *file);
        let mine = ours_models.iter().find(|m| m.file == *spec);
        let r = match (
            official.and_then(|m| m.service.as_ref()),
            mine.and_then(|m| m.service.as_ref()),
        ) {
            (Some(a), Some(b)) => ours::compare(a, b, op),
            _ => Err(mine
                .and_then(|m| m.error.clone())
                .unwrap_or_else(|| format!("{spec} did not load"))),
        };
        out.insert((file.clone(), op.clone()), r);
    }
    out
}

/// Runs the differential script over the models that compiled; outcomes keyed by
/// (model file, operation).
fn differential(
    python: &Path,
    script: &Path,
    plan_path: &Path,
    corpus: &Path,
    models: &[&Model],
    ours: &Ours,
) -> Result<BTreeMap<(String, String), Outcome>> {
    let plan: Vec<Value> = models
        .iter()
        .filter_map(|m| {
            let svc = m.service.as_ref()?;
            let endpoint_prefix = match &svc.endpoint {
                Endpoint::AwsRegional { prefix, .. } | Endpoint::Rules { prefix, .. } => {
                    prefix.clone()
                }
                Endpoint::BaseUrl { .. } => String::new(),
            };
            Some(json!({
                "file": m.file,
                "label": m.label,
                "model": corpus.join("smithy").join(&m.file),
                "harness": m.harness_exe.as_ref()?,
                "sdk_id": svc.sdk_id,
                "endpoint_prefix": endpoint_prefix,
                "version": svc.version,
                "protocol": protocol_name(&svc.protocol),
                "operations": m.operations,
                "ours": ours_plan(m, ours.models, ours.pairs, ours.comparisons),
            }))
        })
        .collect();
    let lines = run_oracle(python, script, "test_differential", plan_path, &plan)?;
    Ok(lines
        .iter()
        .map(|v| (oracle_key(v), Outcome::from_json(v)))
        .collect())
}

/// Runs a Python oracle over a plan: its own unit tests first (`selftest`, a module next to
/// the script: an oracle that cannot see differences would pass everything), then the
/// script on the plan written to `plan_path`. Returns the JSON lines it printed, one per
/// operation; fails when it printed none and exited with an error.
fn run_oracle(
    python: &Path,
    script: &Path,
    selftest: &str,
    plan_path: &Path,
    plan: &[Value],
) -> Result<Vec<Value>> {
    let scripts = script.parent().unwrap_or(Path::new("."));
    let selftest_run = Command::new(python)
        .args(["-m", "unittest", "-q", selftest])
        .current_dir(scripts)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running the self-test of {}", script.display()))?;
    if !selftest_run.status.success() {
        bail!(
            "the self-test of {} failed:\n{}",
            script.display(),
            String::from_utf8_lossy(&selftest_run.stderr)
        );
    }
    std::fs::write(plan_path, serde_json::to_string_pretty(plan)?)
        .with_context(|| format!("writing {}", plan_path.display()))?;
    let output = Command::new(python)
        .arg(script)
        .arg(plan_path)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {}", script.display()))?;
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .collect();
    if !output.status.success() && lines.is_empty() {
        bail!(
            "{} failed ({}) without results",
            script.display(),
            output.status
        );
    }
    Ok(lines)
}

/// The (spec file, operation) an oracle's result line is about.
fn oracle_key(v: &Value) -> (String, String) {
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    (s("file"), s("op"))
}

/// The `ours` part of a model's plan entry: per paired operation, our harness and the
/// members both models have.
fn ours_plan(m: &Model, ours_models: &[Model], pairs: &Pairs, comparisons: &Comparisons) -> Value {
    let mut out = serde_json::Map::new();
    for op in &m.operations {
        let key = (m.file.clone(), op.clone());
        let (Some(spec), Some(Ok(c))) = (pairs.get(&key), comparisons.get(&key)) else {
            continue;
        };
        let Some(exe) = ours_models
            .iter()
            .find(|o| o.file == *spec)
            .and_then(|o| o.harness_exe.as_ref())
        else {
            continue;
        };
        out.insert(
            op.clone(),
            json!({"spec": spec, "harness": exe, "input": c.input, "output": c.output}),
        );
    }
    Value::Object(out)
}

/// First line of a message, shortened for the one-line report.
fn short(msg: &str) -> String {
    let mut lines = msg.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("failed").to_string();
    if first.chars().count() > 400 {
        format!("{}...", first.chars().take(400).collect::<String>())
    } else {
        first
    }
}

fn openapi_specs(corpus: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(corpus.join("openapi"))
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                .filter(|n| n.ends_with(".json") || n.ends_with(".yaml") || n.ends_with(".yml"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// `cargo xtask corpus [DIR] [--only-smithy | --only-openapi] [--operations FILE]`.
///
/// `--operations FILE` takes the operation list from FILE instead of
/// `DIR/smithy/operations.txt` (the models are still read from `DIR/smithy`).
pub fn main(root: &Path, args: &[String]) -> ExitCode {
    let usage =
        "usage: cargo xtask corpus [DIR] [--only-smithy | --only-openapi] [--operations FILE]";
    let mut dir = None;
    let mut list = None;
    let mut only = Only::Both;
    let mut args = args.iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--only-smithy" if only != Only::OpenApi => only = Only::Smithy,
            "--only-openapi" if only != Only::Smithy => only = Only::OpenApi,
            "--operations" => match args.next() {
                Some(f) => list = Some(PathBuf::from(f)),
                None => {
                    eprintln!("{usage}");
                    return ExitCode::from(2);
                }
            },
            s if s.starts_with('-') || dir.is_some() => {
                eprintln!("{usage}");
                return ExitCode::from(2);
            }
            s => dir = Some(PathBuf::from(s)),
        }
    }
    let corpus = dir.unwrap_or_else(|| root.join("../shared/corpus"));
    let list = list.unwrap_or_else(|| corpus.join("smithy/operations.txt"));
    match run(root, &corpus, &list, only) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Which half of the corpus to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Only {
    Both,
    Smithy,
    OpenApi,
}

fn run(root: &Path, corpus: &Path, list: &Path, only: Only) -> Result<bool> {
    let started = Instant::now();
    let entries = if only == Only::OpenApi {
        Vec::new()
    } else {
        let text =
            std::fs::read_to_string(list).with_context(|| format!("reading {}", list.display()))?;
        parse_operations(&list.display().to_string(), &text)?
    };
    let groups = group(&entries);

    let scratch = root.join("target/corpus");
    let ws = scratch.join("ws");
    let mut sources = corpus_sources(corpus, &groups, "corpus");
    if only != Only::Smithy {
        sources.extend(openapi_sources(corpus, "openapi"));
    }
    let models = emit_models(&sources, &ws)?;
    // Our own specs that generate some of these operations: built too, compared with the
    // crates of the official models.
    let smithy_models: Vec<&Model> = models.iter().filter(|m| !m.openapi).collect();
    let (pairs, ours_sources) = pair_with_ours(root, &smithy_models)?;
    let ours_models = emit_models(&ours_sources, &ws)?;
    let all: Vec<Model> = models.into_iter().chain(ours_models).collect();
    write_workspace(root, &ws, &all)?;
    let mut models = Vec::new();
    let mut ours_models = Vec::new();
    let mut openapi_models = Vec::new();
    for m in all {
        match (m.openapi, m.prefix == "corpus") {
            (true, _) => openapi_models.push(m),
            (false, true) => models.push(m),
            (false, false) => ours_models.push(m),
        }
    }
    eprintln!(
        "corpus: {} operations of {} Smithy models and {} OpenAPI specs emitted into {} ({:.1} s)",
        entries.len(),
        groups.len(),
        openapi_models.len(),
        ws.display(),
        started.elapsed().as_secs_f64()
    );

    if models
        .iter()
        .chain(&openapi_models)
        .any(|m| m.error.is_none())
    {
        let t = Instant::now();
        let built = build(&ws, &scratch.join("target"))?;
        eprintln!("corpus: compiled ({:.1} s)", t.elapsed().as_secs_f64());
        for m in models
            .iter_mut()
            .chain(ours_models.iter_mut())
            .chain(openapi_models.iter_mut())
            .filter(|m| m.error.is_none())
        {
            m.compile_secs = (
                built.seconds.get(&m.lib).copied(),
                built.seconds.get(&m.harness_bin.replace('-', "_")).copied(),
            );
            match built.executables.get(&m.harness_bin) {
                Some(exe) => m.harness_exe = Some(exe.clone()),
                None => {
                    let harness_target = m.harness_bin.clone();
                    let e = built
                        .errors
                        .get(&m.lib)
                        .map(|e| format!("generated crate does not compile: {e}"))
                        .or_else(|| {
                            built
                                .errors
                                .get(&harness_target)
                                .map(|e| format!("harness does not compile: {e}"))
                        })
                        .unwrap_or_else(|| format!("did not compile: {}", short(&built.stderr)));
                    m.error = Some(e);
                }
            }
        }
    }

    let comparisons = compare_with_ours(&models, &ours_models, &pairs);
    let ready: Vec<&Model> = models.iter().filter(|m| m.error.is_none()).collect();
    let mut outcomes = BTreeMap::new();
    let mut python_error = None;
    let venv = scratch.join("venv");
    if !ready.is_empty() {
        let t = Instant::now();
        let result = ensure_venv(root, &venv).and_then(|python| {
            differential(
                &python,
                &root.join("tests/corpus/differential.py"),
                &scratch.join("plan.json"),
                corpus,
                &ready,
                &Ours {
                    models: &ours_models,
                    pairs: &pairs,
                    comparisons: &comparisons,
                },
            )
        });
        match result {
            Ok(o) => outcomes = o,
            Err(e) => {
                eprintln!("corpus: the wire differential could not run: {e:#}");
                python_error = Some(format!("{e:#}"));
            }
        }
        eprintln!(
            "corpus: wire differential ({:.1} s)",
            t.elapsed().as_secs_f64()
        );
    }

    let openapi_ready: Vec<&Model> = openapi_models
        .iter()
        .filter(|m| m.error.is_none())
        .collect();
    let mut openapi_outcomes = BTreeMap::new();
    let mut openapi_error = None;
    if !openapi_ready.is_empty() {
        let t = Instant::now();
        let result = ensure_venv(root, &venv).and_then(|python| {
            openapi_check(
                &python,
                &root.join("tests/corpus/openapi_check.py"),
                &scratch.join("openapi-plan.json"),
                corpus,
                &openapi_ready,
            )
        });
        match result {
            Ok(o) => openapi_outcomes = o,
            Err(e) => {
                eprintln!("corpus: the OpenAPI check could not run: {e:#}");
                openapi_error = Some(format!("{e:#}"));
            }
        }
        eprintln!(
            "corpus: OpenAPI wire check ({:.1} s)",
            t.elapsed().as_secs_f64()
        );
    }

    let (mut passed, mut failed) = (0, 0);
    for e in &entries {
        let Some(m) = models.iter().find(|m| m.file == e.model) else {
            continue;
        };
        let outcome = match (&m.error, &python_error) {
            (Some(err), _) | (None, Some(err)) => Err(short(err)),
            (None, None) => match outcomes.get(&(e.model.clone(), e.operation.clone())) {
                Some(o) if o.ok => Ok((o.requests, o.responses)),
                Some(o) => Err(short(&o.error)),
                None => Err("no result from the differential script".into()),
            },
        };
        // The comparison with our crate of the same operation, if we have one.
        let key = (e.model.clone(), e.operation.clone());
        let ours = pairs.get(&key).map(|spec| {
            let r = match ours_models.iter().find(|o| o.file == *spec) {
                Some(o) if o.error.is_some() => Err(short(o.error.as_deref().unwrap_or(""))),
                _ => match outcomes.get(&key).and_then(|o| o.ours.as_ref()) {
                    Some(o) if o.ok => Ok((o.requests, o.responses)),
                    Some(o) => Err(short(&o.error)),
                    None => Err("no result from the differential script".into()),
                },
            };
            let r = match comparisons.get(&key) {
                Some(Err(e)) => Err(short(e)),
                _ => r,
            };
            (spec, r)
        });
        let outcome = match (outcome, &ours) {
            (Ok(counts), Some((spec, Ok((rq, rs))))) => Ok((
                counts,
                format!("; same wire as ours, {spec} ({rq} requests, {rs} responses)"),
            )),
            (Ok(_), Some((spec, Err(why)))) => Err(format!("differs from ours, {spec}: {why}")),
            (Ok(counts), None) => Ok((counts, String::new())),
            (Err(why), _) => Err(why),
        };
        match outcome {
            Ok(((requests, responses), also)) => {
                passed += 1;
                println!(
                    "PASS {} {} ({requests} requests, {responses} responses{also})",
                    m.label, e.operation
                );
            }
            Err(why) => {
                failed += 1;
                println!("FAIL {} {}: {why}", m.label, e.operation);
            }
        }
        if let Some(Ok(c)) = comparisons.get(&key) {
            for d in &c.differences {
                println!("  info: ours vs official model: {d}");
            }
        }
    }

    let mut notes = Vec::new();
    for m in &openapi_models {
        let report = openapi_report(m, &openapi_outcomes, openapi_error.as_deref());
        for line in &report.lines {
            println!("{line}");
        }
        passed += report.passed;
        failed += report.failed;
        notes.push(report.summary);
    }
    for note in &notes {
        println!("{note}");
    }
    eprintln!("corpus: total {:.1} s", started.elapsed().as_secs_f64());
    println!("{passed} passed, {failed} failed");
    Ok(failed == 0)
}

/// The report of one OpenAPI spec: a line per operation and the closing summary line.
struct SpecReport {
    lines: Vec<String>,
    summary: String,
    passed: usize,
    failed: usize,
}

fn openapi_report(
    m: &Model,
    outcomes: &BTreeMap<(String, String), OpenApiOutcome>,
    python_error: Option<&str>,
) -> SpecReport {
    let mut r = SpecReport {
        lines: Vec::new(),
        summary: String::new(),
        passed: 0,
        failed: 0,
    };
    let (mut valid, mut parsed) = (0, 0);
    for op in &m.operations {
        let outcome = match (&m.error, python_error) {
            (Some(err), _) => Err(short(err)),
            (None, Some(err)) => Err(short(err)),
            (None, None) => match outcomes.get(&(m.file.clone(), op.clone())) {
                Some(o) => {
                    valid += usize::from(o.requests_valid);
                    parsed += usize::from(o.responses_parsed);
                    if o.ok {
                        Ok((o.requests, o.responses))
                    } else {
                        Err(short(&o.error))
                    }
                }
                None => Err("no result from the OpenAPI check".into()),
            },
        };
        match outcome {
            Ok((rq, rs)) => {
                r.passed += 1;
                r.lines.push(format!(
                    "PASS {} {op} ({rq} requests valid, {rs} responses parsed)",
                    m.label
                ));
            }
            Err(why) => {
                r.failed += 1;
                r.lines.push(format!("FAIL {} {op}: {why}", m.label));
            }
        }
    }
    let generated = if m.service.is_some() {
        m.operations.len()
    } else {
        0
    };
    let compiled = if m.harness_exe.is_some() {
        m.operations.len()
    } else {
        0
    };
    let size = m
        .size
        .map(|(files, lines, bytes)| {
            format!(
                "; crate: {files} files, {lines} lines, {:.0} KiB",
                bytes as f64 / 1024.0
            )
        })
        .unwrap_or_default();
    let took = |t: Option<f64>| match t {
        Some(t) => format!("{t:.1} s"),
        None => "up to date".to_string(),
    };
    let secs = if m.harness_exe.is_some() {
        format!(
            "; compile: crate {}, harness {}",
            took(m.compile_secs.0),
            took(m.compile_secs.1)
        )
    } else {
        String::new()
    };
    r.summary = format!(
        "openapi/{}: {} operations, {generated} generated, {compiled} compiled, {valid} with valid requests, {parsed} with parsed responses{size}{secs}",
        m.file,
        m.operations.len(),
    );
    r
}

/// Outcome of one OpenAPI operation.
#[derive(Debug, Clone, Default)]
struct OpenApiOutcome {
    ok: bool,
    requests: u64,
    responses: u64,
    requests_valid: bool,
    responses_parsed: bool,
    error: String,
}

/// Runs the OpenAPI checker over the specs that compiled; outcomes keyed by (spec file,
/// operation).
fn openapi_check(
    python: &Path,
    script: &Path,
    plan_path: &Path,
    corpus: &Path,
    models: &[&Model],
) -> Result<BTreeMap<(String, String), OpenApiOutcome>> {
    let plan: Vec<Value> = models
        .iter()
        .filter_map(|m| {
            let svc = m.service.as_ref()?;
            Some(json!({
                "file": m.file,
                "label": m.label,
                "spec": corpus.join("openapi").join(&m.file),
                "harness": m.harness_exe.as_ref()?,
                "operations": openapi::plan_operations(svc),
            }))
        })
        .collect();
    let lines = run_oracle(python, script, "test_openapi_check", plan_path, &plan)?;
    Ok(lines
        .iter()
        .map(|v| {
            let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let n = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
            let b = |k: &str| v.get(k).and_then(Value::as_bool).unwrap_or(false);
            let outcome = OpenApiOutcome {
                ok: b("ok"),
                requests: n("requests"),
                responses: n("responses"),
                requests_valid: b("requests_valid"),
                responses_parsed: b("responses_parsed"),
                error: s("error"),
            };
            (oracle_key(v), outcome)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_list_parses_and_groups_in_order() {
        let text = "# the corpus\nssm-2014-11-06.json DescribeA\n\n\
                    macie2-2020-01-01.json ListB   # trailing comment\n\
                    ssm-2014-11-06.json GetC\n";
        let entries = parse_operations("operations.txt", text).unwrap();
        assert_eq!(
            entries
                .iter()
                .map(|e| (e.model.as_str(), e.operation.as_str(), e.line))
                .collect::<Vec<_>>(),
            [
                ("ssm-2014-11-06.json", "DescribeA", 2),
                ("macie2-2020-01-01.json", "ListB", 4),
                ("ssm-2014-11-06.json", "GetC", 5),
            ]
        );
        assert_eq!(
            group(&entries),
            [
                (
                    "ssm-2014-11-06.json".to_string(),
                    vec!["DescribeA".to_string(), "GetC".to_string()]
                ),
                (
                    "macie2-2020-01-01.json".to_string(),
                    vec!["ListB".to_string()]
                ),
            ]
        );
    }

    #[test]
    fn operations_list_errors_name_the_line() {
        let e = parse_operations("ops.txt", "a.json A\nb.json\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("ops.txt:2: expected `<model file> <operation>`"),
            "{e}"
        );
        let e = parse_operations("ops.txt", "a.json A B\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("ops.txt:1:") && e.contains("3 field(s)"),
            "{e}"
        );
        let e = parse_operations("ops.txt", "a.json A\n\na.json A\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("ops.txt:3:") && e.contains("first on line 1"),
            "{e}"
        );
        let e = parse_operations("ops.txt", "../x.json A\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("ops.txt:1:") && e.contains("plain name"),
            "{e}"
        );
        let e = parse_operations("ops.txt", "x.json List-Jobs\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("ops.txt:1:") && e.contains("not an operation name"),
            "{e}"
        );
    }

    #[test]
    fn labels_drop_the_api_version() {
        assert_eq!(label("ssm-2014-11-06.json"), "ssm");
        assert_eq!(
            label("iot-jobs-data-plane-2017-09-29.json"),
            "iot-jobs-data-plane"
        );
        assert_eq!(label("ssm-mw.smithy.json"), "ssm-mw");
        assert_eq!(label("cloud-rewind.openapi.yaml"), "cloud-rewind");
        assert_eq!(label("nexus.json"), "nexus");
        assert_eq!(label("keeper.yml"), "keeper");
        assert_eq!(label("2014-11-06.json"), "2014-11-06");
        assert_eq!(label("sérvice-é-ü.json"), "sérvice-é-ü");
        assert_eq!(
            label("x-\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}.json"),
            "x-\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}"
        );
        assert_eq!(slug("Partner_Central 2.json"), "partner-central-2");
    }

    #[test]
    fn scratch_manifest_inherits_the_workspace_tables_with_absolute_paths() {
        let root = Path::new("/repo");
        let toml = "[workspace]\nmembers = [\"xtask\"]\n\n[workspace.package]\nversion = \"0.1.0\"\n\n\
                    [workspace.dependencies]\ncloudjobs-runtime = { path = \"crates/runtime\", version = \"=0.1.0\" }\n\
                    serde = \"1\"\n\n[profile.dev]\ndebug = 1\n";
        let out = scratch_manifest(toml, root, &["support".into(), "corpus-ssm".into()]).unwrap();
        assert!(
            out.contains("members = [\n    \"support\",\n    \"corpus-ssm\",\n]"),
            "{out}"
        );
        assert!(
            out.contains("[workspace.package]\nversion = \"0.1.0\""),
            "{out}"
        );
        assert!(
            out.contains(
                "cloudjobs-runtime = { path = \"/repo/crates/runtime\", version = \"=0.1.0\" }"
            ),
            "{out}"
        );
        assert!(out.contains("serde = \"1\""), "{out}");
        assert!(
            !out.contains("\"xtask\"") && !out.contains("debug = 1"),
            "{out}"
        );
        assert!(scratch_manifest("[workspace]\n", root, &[]).is_err());
    }

    /// Our three Smithy specs as a corpus: each generated crate and its harness compile with
    /// `-D warnings` in the scratch workspace, and each harness answers a request line with
    /// the request the client builds (no Python needed).
    #[test]
    #[ignore = "builds scratch crates (minutes when cold); .ci/run runs it: cargo test -p xtask -- --ignored"]
    fn harnesses_compile_and_answer_for_our_specs() {
        let root = crate::workspace_root();
        let corpus = std::env::temp_dir().join(format!("cloudjobs-corpus-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&corpus);
        std::fs::create_dir_all(corpus.join("smithy")).unwrap();
        let specs = [
            (
                "ssm-mw.smithy.json",
                "DescribeMaintenanceWindowExecutionTasks",
            ),
            ("macie2.smithy.json", "ListClassificationJobs"),
            ("partner-central.smithy.json", "ListResourceSnapshotJobs"),
        ];
        let mut list = String::new();
        for (file, op) in specs {
            std::fs::copy(
                root.join("specs").join(file),
                corpus.join("smithy").join(file),
            )
            .unwrap();
            list.push_str(&format!("{file} {op}\n"));
        }
        let entries = parse_operations("operations.txt", &list).unwrap();
        let ws = root.join("target/corpus/test-ws");
        let mut models =
            prepare_workspace(&root, &corpus, &group(&entries), &ws, "corpus-test").unwrap();
        for m in &models {
            assert!(m.error.is_none(), "{}: {:?}", m.file, m.error);
        }
        assert!(ws.join("support/src/lib.rs").exists());
        assert!(ws.join("corpus-test-ssm-mw/src/lib.rs").exists());
        assert!(ws.join("corpus-test-ssm-mw-harness/src/main.rs").exists());

        let built = build(&ws, &root.join("target/corpus/target")).unwrap();
        for m in &mut models {
            let exe = built.executables.get(&m.harness_bin).unwrap_or_else(|| {
                panic!(
                    "{} did not compile: {:?}\n{}",
                    m.file, built.errors, built.stderr
                )
            });
            m.harness_exe = Some(exe.clone());
        }

        // The SSM harness: a request with the required member, a response with one task.
        let ssm = &models[0];
        let mut child = Command::new(ssm.harness_exe.as_ref().unwrap())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::Write;
            let stdin = child.stdin.as_mut().unwrap();
            writeln!(
                stdin,
                r#"{{"op": "DescribeMaintenanceWindowExecutionTasks", "request": {{"WindowExecutionId": "12345678-1234-1234-1234-123456789012", "MaxResults": 10}}}}"#
            )
            .unwrap();
            writeln!(
                stdin,
                r#"{{"op": "DescribeMaintenanceWindowExecutionTasks", "response": {{"status": 200, "headers": {{}}, "body": "{{\"WindowExecutionTaskIdentities\": [{{\"TaskExecutionId\": \"t-1\", \"StartTime\": 1700000000.5}}]}}"}}}}"#
            )
            .unwrap();
            writeln!(stdin, r#"{{"op": "NoSuchOperation", "request": {{}}}}"#).unwrap();
        }
        drop(child.stdin.take());
        let out = child.wait_with_output().unwrap();
        let lines: Vec<Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        let req = &lines[0]["request"];
        assert_eq!(req["method"], "POST", "{lines:?}");
        assert_eq!(req["path"], "/", "{lines:?}");
        assert!(
            req["headers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h[0] == "x-amz-target"
                    && h[1] == "AmazonSSM.DescribeMaintenanceWindowExecutionTasks"),
            "{req}"
        );
        assert_eq!(
            req["body"]["json"],
            json!({"WindowExecutionId": "12345678-1234-1234-1234-123456789012", "MaxResults": 10})
        );
        assert_eq!(
            lines[1]["output"],
            json!({"WindowExecutionTaskIdentities": [{"TaskExecutionId": "t-1", "StartTime": 1700000000.5}]}),
            "{lines:?}"
        );
        assert!(
            lines[2]["error"]
                .as_str()
                .unwrap()
                .contains("NoSuchOperation"),
            "{lines:?}"
        );
        let _ = std::fs::remove_dir_all(&corpus);
    }

    /// One line to a harness, its answer back.
    fn ask(exe: &Path, lines: &[Value]) -> Vec<Value> {
        use std::io::Write;
        let mut child = Command::new(exe)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        {
            let stdin = child.stdin.as_mut().unwrap();
            for line in lines {
                writeln!(stdin, "{line}").unwrap();
            }
        }
        drop(child.stdin.take());
        let out = child.wait_with_output().unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Cloud Rewind as an OpenAPI corpus: the crate and its harness compile with
    /// `-D warnings`, the harness builds the request from parameters keyed by name and
    /// decodes a success, a modeled error and an undocumented error (no Python needed).
    #[test]
    #[ignore = "builds scratch crates (minutes when cold); .ci/run runs it: cargo test -p xtask -- --ignored"]
    fn openapi_harness_compiles_and_answers_for_cloud_rewind() {
        let root = crate::workspace_root();
        let corpus =
            std::env::temp_dir().join(format!("cloudjobs-oa-corpus-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&corpus);
        std::fs::create_dir_all(corpus.join("openapi")).unwrap();
        std::fs::copy(
            root.join("specs/cloud-rewind.openapi.yaml"),
            corpus.join("openapi/cloud-rewind.openapi.yaml"),
        )
        .unwrap();
        let ws = root.join("target/corpus/test-oa-ws");
        let models = emit_models(&openapi_sources(&corpus, "openapi-test"), &ws).unwrap();
        write_workspace(&root, &ws, &models).unwrap();
        let m = &models[0];
        assert!(m.error.is_none(), "{:?}", m.error);
        assert_eq!(m.operations, ["get_aws_protection_status"]);
        let built = build(&ws, &root.join("target/corpus/target")).unwrap();
        let exe = built
            .executables
            .get(&m.harness_bin)
            .unwrap_or_else(|| panic!("did not compile: {:?}\n{}", built.errors, built.stderr));
        let op = "get_aws_protection_status";
        let lines = ask(
            exe,
            &[
                json!({"op": op, "request": {"accountId": 7, "projectId": "p 1", "cloudAssemblyId": 9, "protection_id": "x&y"}}),
                json!({"op": op, "request": {"accountId": "seven"}}),
                json!({"op": op, "response": {"status": 200, "headers": {}, "body": "{\"status\": \"in-progress\"}"}}),
                json!({"op": op, "response": {"status": 404, "headers": {}, "body": "{\"message\": \"no such protection\"}"}}),
                json!({"op": op, "response": {"status": 418, "headers": {}, "body": ""}}),
            ],
        );
        assert_eq!(lines.len(), 5, "{lines:?}");
        let req = &lines[0]["request"];
        assert_eq!(req["method"], "GET", "{req}");
        assert_eq!(
            req["path"], "/accounts/7/projects/p%201/aws/cloud-assemblies/9/protections/status",
            "{req}"
        );
        assert_eq!(req["query"], json!([["protection_id", "x&y"]]), "{req}");
        assert!(
            req["headers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h[0] == "authorization" && h[1] == "Bearer corpus-bearer-token"),
            "{req}"
        );
        assert!(
            lines[1]["error"]
                .as_str()
                .unwrap()
                .starts_with("accountId: "),
            "{lines:?}"
        );
        assert_eq!(
            lines[2]["output"]["output"]["body"],
            json!({"status": "in-progress"}),
            "{lines:?}"
        );
        let err = &lines[3]["output"]["error"];
        assert_eq!(err["variant"], "NotFound", "{lines:?}");
        assert_eq!(
            err["body"],
            json!({"message": "no such protection"}),
            "{lines:?}"
        );
        assert_eq!(
            lines[4]["output"]["error"]["variant"], "Unhandled",
            "{lines:?}"
        );
        let _ = std::fs::remove_dir_all(&corpus);
    }
}
