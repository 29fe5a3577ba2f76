//! `cargo xtask codegen [--check]`: generates the five client crates from `specs/`.
//!
//! Generated files are committed. `--check` writes nothing and fails, naming every stale
//! file, when what is on disk differs from what the specs produce (a test runs the same
//! check, so `cargo test` fails on drift).

mod corpus;
mod docs;
mod emit;
#[allow(dead_code)] // while the IR contract is being filled in by the front-ends and the emitter
mod ir;
mod msrv;
mod openapi;
mod smithy;
mod version;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use emit::CrateInfo;

/// One spec and the crate it becomes.
struct Target {
    spec: &'static str,
    crate_dir: &'static str,
    crate_name: &'static str,
    /// `ServiceMeta::name` for the OpenAPI services (the AWS ones use the endpoint prefix).
    service_name: &'static str,
    feature: &'static str,
    env_prefix: &'static str,
    description: &'static str,
    keywords: &'static [&'static str],
    /// The crate's hand-written `examples/`: file stem and what it shows. The generated
    /// README and crate docs list them; a test checks the list against the directory.
    examples: &'static [(&'static str, &'static str)],
}

const TARGETS: &[Target] = &[
    Target {
        spec: "specs/partner-central.smithy.json",
        crate_dir: "crates/partner-central",
        crate_name: "cloudjobs-partner-central",
        service_name: "",
        feature: "partner-central",
        env_prefix: "CLOUDJOBS_PARTNER_CENTRAL",
        description: "Typed async client for AWS Partner Central Selling ListResourceSnapshotJobs, part of cloudjobs.",
        keywords: &["aws", "partner-central", "sdk", "client", "jobs"],
        examples: &[(
            "list_resource_snapshot_jobs",
            "every job of a catalog, newest first, counted by status",
        )],
    },
    Target {
        spec: "specs/macie2.smithy.json",
        crate_dir: "crates/macie2",
        crate_name: "cloudjobs-macie2",
        service_name: "",
        feature: "macie2",
        env_prefix: "CLOUDJOBS_MACIE2",
        description: "Typed async client for Amazon Macie ListClassificationJobs, part of cloudjobs.",
        keywords: &["aws", "macie", "sdk", "client", "jobs"],
        examples: &[(
            "list_classification_jobs",
            "running and paused jobs, filtered and sorted, over every page",
        )],
    },
    Target {
        spec: "specs/ssm-mw.smithy.json",
        crate_dir: "crates/ssm-mw",
        crate_name: "cloudjobs-ssm-mw",
        service_name: "",
        feature: "ssm-mw",
        env_prefix: "CLOUDJOBS_SSM_MW",
        description: "Typed async client for AWS Systems Manager DescribeMaintenanceWindowExecutionTasks, part of cloudjobs.",
        keywords: &["aws", "ssm", "sdk", "client", "jobs"],
        examples: &[(
            "describe_execution_tasks",
            "the tasks of one window execution, all pages, then the failed ones",
        )],
    },
    Target {
        spec: "specs/spaceone-identity.openapi.yaml",
        crate_dir: "crates/spaceone-identity",
        crate_name: "cloudjobs-spaceone-identity",
        service_name: "spaceone-identity",
        feature: "spaceone-identity",
        env_prefix: "CLOUDJOBS_SPACEONE",
        description: "Typed async client for the SpaceONE (Cloudforet) identity v2 Job API, part of cloudjobs.",
        keywords: &["spaceone", "cloudforet", "sdk", "client", "jobs"],
        examples: &[(
            "jobs",
            "list with offset paging, stat per status, get and delete",
        )],
    },
    Target {
        spec: "specs/cloud-rewind.openapi.yaml",
        crate_dir: "crates/cloud-rewind",
        crate_name: "cloudjobs-cloud-rewind",
        service_name: "cloud-rewind",
        feature: "cloud-rewind",
        env_prefix: "CLOUDJOBS_CLOUD_REWIND",
        description: "Typed async client for the Cloud Rewind AWS protection status API, part of cloudjobs.",
        keywords: &["cloud-rewind", "commvault", "sdk", "client", "backup"],
        examples: &[(
            "protection_status",
            "protection statuses and the documented 404, 409 and 412 errors",
        )],
    },
];

/// Loads a spec and produces its crate's files (relative to the workspace root).
fn generate(root: &Path, t: &Target) -> Result<Vec<(PathBuf, String)>> {
    let text = std::fs::read_to_string(root.join(t.spec))
        .with_context(|| format!("reading {}", t.spec))?;
    let mut svc = if t.spec.ends_with(".smithy.json") {
        smithy::load(t.spec, &text)?
    } else {
        openapi::load(t.spec, &text)?
    };
    svc.crate_name = t.crate_name.to_string();
    if !t.service_name.is_empty() {
        svc.name = t.service_name.to_string();
    }
    let info = CrateInfo {
        description: t.description.to_string(),
        keywords: t.keywords.to_vec(),
        categories: vec![
            "api-bindings",
            "web-programming::http-client",
            "asynchronous",
        ],
        env_prefix: t.env_prefix.to_string(),
        feature: t.feature.to_string(),
        examples: t.examples.to_vec(),
    };
    Ok(emit::emit(&svc, &info)
        .into_iter()
        .map(|(path, text)| (Path::new(t.crate_dir).join(path), text))
        .collect())
}

/// What a run found or did.
#[derive(Debug, Default)]
struct Report {
    /// Files whose contents differ from the specs' output (written unless checking).
    stale: Vec<PathBuf>,
    /// Generated-looking files that no spec produces any more (removed unless checking).
    orphaned: Vec<PathBuf>,
}

/// Generates every crate under `root`; with `check`, only compares.
fn run(root: &Path, check: bool) -> Result<Report> {
    let mut report = Report::default();
    for t in TARGETS {
        let files = generate(root, t)?;
        let expected: BTreeSet<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
        for (rel, text) in files {
            let path = root.join(&rel);
            let current = std::fs::read_to_string(&path).ok();
            if current.as_deref() != Some(text.as_str()) {
                if !check {
                    if let Some(dir) = path.parent() {
                        std::fs::create_dir_all(dir)
                            .with_context(|| format!("creating {}", dir.display()))?;
                    }
                    std::fs::write(&path, &text)
                        .with_context(|| format!("writing {}", path.display()))?;
                }
                report.stale.push(rel);
            }
        }
        // Generated sources that no longer correspond to anything (a removed operation).
        let dir = root.join(t.crate_dir);
        for entry in walk(&dir.join("src"))
            .into_iter()
            .chain(walk(&dir.join("tests")))
        {
            let rel = entry.strip_prefix(root).unwrap_or(&entry).to_path_buf();
            if entry.extension().is_some_and(|e| e == "rs") && !expected.contains(&rel) {
                let text = std::fs::read_to_string(&entry).unwrap_or_default();
                if text.starts_with("// @generated") {
                    if !check {
                        std::fs::remove_file(&entry)
                            .with_context(|| format!("removing {}", entry.display()))?;
                    }
                    report.orphaned.push(rel);
                }
            }
        }
    }
    Ok(report)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// `cargo xtask msrv`: see [`msrv`].
fn check_msrv() -> ExitCode {
    match msrv::check(&workspace_root()) {
        Ok(r) if r.too_new.is_empty() => {
            println!(
                "rust-version {}: {} packages in Cargo.lock, none needs a newer Rust ({} declare no rust-version)",
                r.msrv, r.packages, r.undeclared
            );
            ExitCode::SUCCESS
        }
        Ok(r) => {
            for p in &r.too_new {
                eprintln!("above rust-version {}: {p}", r.msrv);
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask set-version X.Y.Z`: see [`version`].
fn set_version(new: &str) -> ExitCode {
    let path = workspace_root().join("Cargo.toml");
    let result = std::fs::read_to_string(&path)
        .with_context(|| format!("reading {}", path.display()))
        .and_then(|text| version::set_version(&text, new))
        .and_then(|text| {
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
        });
    match result {
        Ok(()) => {
            println!(
                "set every crate to {new}; next: `cargo update --workspace`, `bash .ci/run`, \
                 commit, tag v{new}, `cargo publish --workspace` (see CONTRIBUTING.md)"
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace this xtask belongs to. `cargo run` and `cargo test` set `CARGO_MANIFEST_DIR`
/// when they start the binary, which stays right when one target directory serves several
/// checkouts (the compile-time value would name whichever checkout built the binary last).
fn workspace_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: cargo xtask codegen [--check]\n       cargo xtask set-version X.Y.Z\n       cargo xtask msrv\n       cargo xtask corpus [DIR] [--only-smithy] [--operations FILE]";
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["codegen"] | ["codegen", "--check"] => {}
        ["set-version", new] => return set_version(new),
        ["msrv"] => return check_msrv(),
        ["corpus", ..] => return corpus::main(&workspace_root(), &args[1..]),
        _ => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    }
    let check = args.iter().any(|a| a == "--check");
    match run(&workspace_root(), check) {
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
        Ok(report) if check => {
            if report.stale.is_empty() && report.orphaned.is_empty() {
                ExitCode::SUCCESS
            } else {
                for p in &report.stale {
                    eprintln!("stale: {} (run `cargo xtask codegen`)", p.display());
                }
                for p in &report.orphaned {
                    eprintln!(
                        "orphaned: {} (no spec produces it; run `cargo xtask codegen`)",
                        p.display()
                    );
                }
                ExitCode::FAILURE
            }
        }
        Ok(report) => {
            for p in &report.stale {
                println!("wrote {}", p.display());
            }
            for p in &report.orphaned {
                println!("removed {}", p.display());
            }
            ExitCode::SUCCESS
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README and crate docs list exactly the examples that exist.
    #[test]
    fn listed_examples_match_the_examples_directories() {
        let root = workspace_root();
        for t in TARGETS {
            let on_disk: BTreeSet<String> = walk(&root.join(t.crate_dir).join("examples"))
                .iter()
                .filter(|p| p.extension().is_some_and(|e| e == "rs"))
                .filter_map(|p| p.file_stem()?.to_str().map(str::to_owned))
                .collect();
            let listed: BTreeSet<String> = t.examples.iter().map(|(n, _)| n.to_string()).collect();
            assert!(!listed.is_empty(), "{} lists no example", t.crate_name);
            assert_eq!(
                listed, on_disk,
                "{}: the examples in xtask's TARGETS and in {}/examples differ",
                t.crate_name, t.crate_dir
            );
        }
    }

    /// `cargo test` fails when the committed crates differ from what the specs produce.
    #[test]
    fn generated_crates_are_up_to_date() {
        let report = run(&workspace_root(), true).expect("specs load");
        assert!(
            report.stale.is_empty() && report.orphaned.is_empty(),
            "generated code is out of date; run `cargo xtask codegen`. stale: {:?}, orphaned: {:?}",
            report.stale,
            report.orphaned
        );
    }

    #[test]
    fn output_is_identical_from_run_to_run() {
        let root = workspace_root();
        for t in TARGETS {
            assert_eq!(
                generate(&root, t).unwrap(),
                generate(&root, t).unwrap(),
                "{}",
                t.spec
            );
        }
    }

    fn copy_tree(from: &Path, to: &Path) {
        for f in walk(from) {
            let rel = f.strip_prefix(from).unwrap();
            let dest = to.join(rel);
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(&f, &dest).unwrap();
        }
    }

    /// A spec edited without regenerating makes the check fail, naming the stale files; a
    /// regeneration makes it pass again. Runs on a temporary copy of the workspace.
    #[test]
    fn drift_is_detected_on_a_copy() {
        let root = workspace_root();
        let tmp = std::env::temp_dir().join(format!("cloudjobs-drift-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        copy_tree(&root.join("specs"), &tmp.join("specs"));
        for t in TARGETS {
            copy_tree(&root.join(t.crate_dir), &tmp.join(t.crate_dir));
        }
        assert!(
            run(&tmp, true).unwrap().stale.is_empty(),
            "copy starts clean"
        );

        let spec = tmp.join("specs/ssm-mw.smithy.json");
        let text = std::fs::read_to_string(&spec).unwrap();
        let edited = text.replacen("\"max\": 100", "\"max\": 50", 1);
        assert_ne!(text, edited, "the SSM spec has a MaxResults range to edit");
        std::fs::write(&spec, edited).unwrap();

        let report = run(&tmp, true).unwrap();
        assert!(
            report.stale.iter().any(|p| p.starts_with("crates/ssm-mw")),
            "check names the stale SSM files: {:?}",
            report.stale
        );
        assert!(
            report.stale.iter().all(|p| p.starts_with("crates/ssm-mw")),
            "{:?}",
            report.stale
        );

        run(&tmp, false).unwrap();
        assert!(
            run(&tmp, true).unwrap().stale.is_empty(),
            "regeneration fixes the drift"
        );
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn a_broken_spec_is_an_error_not_a_panic() {
        let root = workspace_root();
        let tmp = std::env::temp_dir().join(format!("cloudjobs-broken-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        copy_tree(&root.join("specs"), &tmp.join("specs"));
        let spec = tmp.join("specs/macie2.smithy.json");
        let text = std::fs::read_to_string(&spec).unwrap();
        std::fs::write(
            &spec,
            text.replace(
                "\"target\": \"com.amazonaws.macie2#JobStatus\"",
                "\"target\": \"com.amazonaws.macie2#NoSuchShape\"",
            ),
        )
        .unwrap();
        let e = run(&tmp, true).unwrap_err().to_string();
        assert!(
            e.starts_with("specs/macie2.smithy.json: com.amazonaws.macie2#"),
            "{e}"
        );
        assert!(
            e.contains("dangling shape reference `com.amazonaws.macie2#NoSuchShape`"),
            "{e}"
        );
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
