//! Build cost: cold release builds of the three hello-worlds of `benches/` (each in a fresh
//! target directory, sources already fetched), the rebuild of ours after one spec edit and
//! `cargo xtask codegen`, in a copy of the repository so the checkout is never touched.
//!
//! Smoke mode builds the floor and ours in the bench programs' (warm) target directory and skips the
//! official crates and the rebuild, saying so.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::Ctx;
use super::measure::{self, Measured};

/// The hello-worlds of the `build` section, in build order: the cheaper first, so a failure
/// shows early. The official crates' cold build is a section of its own, `build-official`,
/// run last (it costs more CPU than everything else together).
const HELLOS: [(&str, &str); 2] = [("floor", "hello-floor"), ("ours", "hello-ours")];

/// The spec edited for the rebuild, and the edit: a documentation string, which changes the
/// generated code of one service crate (and so rebuilds it, the facade and the binary).
const EDITED_SPEC: &str = "specs/ssm-mw.smithy.json";
const DOC_KEY: &str = "\"smithy.api#documentation\": \"";

pub fn run(ctx: &mut Ctx) -> Result<Value> {
    if ctx.smoke {
        return smoke(ctx);
    }
    let mut builds = serde_json::Map::new();
    // Ours is built from a copy of the repository, the one the spec edit happens in.
    let copy = ctx.dir.join("repo-copy");
    copy_repo(&ctx.root, &copy)?;
    let copy_manifest = copy.join("benches/Cargo.toml");
    for (name, package) in HELLOS {
        builds.insert(name.to_string(), hello(ctx, &copy_manifest, name, package)?);
    }

    // `cargo xtask codegen` in the copy: once to build xtask there, then timed.
    let xtask_target = ctx.dir.join("xtask-target");
    let codegen = |ctx: &mut Ctx, timed: bool| -> Result<Measured> {
        if timed {
            ctx.note(format!("(in {}) cargo xtask codegen", copy.display()));
        }
        let mut cmd = ctx.cargo(&xtask_target);
        cmd.current_dir(&copy).args(["xtask", "codegen"]);
        measure::run("cargo xtask codegen (in the repository copy)", &mut cmd)
    };
    codegen(ctx, false)?;
    let unchanged = codegen(ctx, true)?;
    println!(
        "cargo xtask codegen (nothing to change): {:.2} s wall",
        unchanged.wall_s
    );

    let spec = copy.join(EDITED_SPEC);
    let text =
        std::fs::read_to_string(&spec).with_context(|| format!("reading {}", spec.display()))?;
    let Some(at) = text.find(DOC_KEY) else {
        bail!("{EDITED_SPEC} has no {DOC_KEY} to edit");
    };
    let at = at + DOC_KEY.len();
    let edited = format!(
        "{}Edited for the rebuild benchmark. {}",
        &text[..at],
        &text[at..]
    );
    std::fs::write(&spec, edited).with_context(|| format!("writing {}", spec.display()))?;
    ctx.note(format!(
        "(edit one documentation string of {EDITED_SPEC} in the copy)"
    ));
    let m = codegen(ctx, true)?;
    println!(
        "cargo xtask codegen (after the edit): {:.2} s wall",
        m.wall_s
    );
    let codegen_after_edit = json!({"wall_s": m.wall_s, "cpu_s": m.cpu_s});
    let target = ctx.dir.join("cold").join("ours");
    let m = cold_build(ctx, &copy_manifest, &target, "hello-ours")?;
    let compiled = m
        .stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling "))
        .count();
    println!(
        "rebuild of ours: {:.0} s wall, {:.0} s CPU, {compiled} crates",
        m.wall_s, m.cpu_s
    );
    let rebuild = json!({"wall_s": m.wall_s, "cpu_s": m.cpu_s, "crates": compiled});
    Ok(json!({
        "builds": builds,
        "codegen": {"wall_s": unchanged.wall_s, "cpu_s": unchanged.cpu_s},
        "codegen_after_edit": codegen_after_edit,
        "rebuild": rebuild,
        "skipped": [],
    }))
}

/// The smoke version of the section: the two hello-worlds built warm in the programs' target
/// directory and profile from the checkout itself (so CI's compiled dependencies are reused),
/// and `cargo xtask codegen --check` (xtask is built: it is running). No rebuild after a spec
/// edit: it needs the cold build.
fn smoke(ctx: &mut Ctx) -> Result<Value> {
    let mut builds = serde_json::Map::new();
    let manifest = ctx.manifest.clone();
    for (name, package) in HELLOS {
        builds.insert(name.to_string(), hello(ctx, &manifest, name, package)?);
    }
    let target = ctx.programs_target.clone();
    ctx.note("cargo xtask codegen --check");
    let mut cmd = ctx.cargo(&target);
    cmd.args(["xtask", "codegen", "--check"]);
    let m = measure::run("cargo xtask codegen --check", &mut cmd)?;
    println!("cargo xtask codegen --check: {:.2} s wall", m.wall_s);
    let why = "rebuild after a spec edit: skipped in smoke mode (it needs the cold build of ours)";
    println!("{why}");
    Ok(json!({
        "builds": builds,
        "codegen": {"wall_s": m.wall_s, "cpu_s": m.cpu_s},
        "codegen_after_edit": Value::Null,
        "rebuild": Value::Null,
        "skipped": [why],
    }))
}

/// Builds one hello-world (cold unless smoke) and measures it and its binary.
fn hello(ctx: &mut Ctx, manifest: &Path, name: &str, package: &str) -> Result<Value> {
    // Smoke builds share the bench programs' target directory: warm, and no third copy of
    // the dependencies in CI.
    let target = if ctx.smoke {
        ctx.programs_target.clone()
    } else {
        ctx.dir.join("cold").join(name)
    };
    if !ctx.smoke && target.exists() {
        std::fs::remove_dir_all(&target)
            .with_context(|| format!("emptying {}", target.display()))?;
    }
    let m = cold_build(ctx, manifest, &target, package)?;
    let bin = target.join(ctx.profile_dir()).join(package);
    let (size, stripped) = sizes(&bin, &ctx.dir.join(format!("{package}.stripped")))?;
    let compiled = m
        .stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling "))
        .count();
    println!(
        "{name}: {:.0} s wall, {:.0} s CPU, {:.2} GB peak, {compiled} crates, {size} B ({stripped} B stripped)",
        m.wall_s,
        m.cpu_s,
        m.max_rss_kib as f64 / 1048576.0
    );
    Ok(json!({
        "wall_s": m.wall_s, "cpu_s": m.cpu_s, "max_rss_kib": m.max_rss_kib,
        "crates": compiled, "binary_bytes": size, "stripped_bytes": stripped,
        "cold": !ctx.smoke,
    }))
}

/// The `build-official` section: the cold build of the three official crates and aws-config
/// (skipped in smoke mode).
pub fn official(ctx: &mut Ctx) -> Result<Value> {
    if ctx.smoke {
        let why = "official: skipped in smoke mode (a cold build of the three official crates takes ~17 min of CPU and 2.4 GB)";
        println!("{why}");
        return Ok(json!({"builds": {}, "skipped": [why]}));
    }
    let manifest = ctx.manifest.clone();
    let v = hello(ctx, &manifest, "official", "hello-official")?;
    Ok(json!({"builds": {"official": v}, "skipped": []}))
}

/// `cargo build --profile <programs' profile> --locked -p <package>` of the benches workspace
/// at `manifest`.
fn cold_build(ctx: &mut Ctx, manifest: &Path, target: &Path, package: &str) -> Result<Measured> {
    let profile = ctx.profile;
    ctx.note(format!(
        "CARGO_TARGET_DIR={} cargo build --profile {profile} --locked --manifest-path {} -p {package}",
        target.display(),
        manifest.display()
    ));
    let mut cmd = ctx.cargo(target);
    cmd.args([
        "build",
        "--profile",
        profile,
        "--locked",
        "-p",
        package,
        "--manifest-path",
    ])
    .arg(manifest);
    measure::run(&format!("building {package}"), &mut cmd)
}

/// The binary's size, and the size of a stripped copy of it.
fn sizes(bin: &Path, stripped: &Path) -> Result<(u64, u64)> {
    let size = std::fs::metadata(bin)
        .with_context(|| format!("{} was not built", bin.display()))?
        .len();
    std::fs::copy(bin, stripped).with_context(|| format!("copying {}", bin.display()))?;
    let status = Command::new("strip")
        .arg(stripped)
        .status()
        .context("running `strip` (binutils)")?;
    if !status.success() {
        bail!("strip {} failed", stripped.display());
    }
    Ok((size, std::fs::metadata(stripped)?.len()))
}

/// Copies the files git tracks (and the uncommitted ones it would track) into `dest`, afresh.
fn copy_repo(root: &Path, dest: &PathBuf) -> Result<()> {
    if dest.exists() {
        std::fs::remove_dir_all(dest).with_context(|| format!("emptying {}", dest.display()))?;
    }
    let out = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root)
        .output()
        .context("running git ls-files")?;
    if !out.status.success() {
        bail!("git ls-files failed in {}", root.display());
    }
    for path in out.stdout.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let rel = Path::new(std::str::from_utf8(path).context("a non-UTF-8 path in git")?);
        let from = root.join(rel);
        if !from.is_file() {
            continue; // deleted in the working tree
        }
        let to = dest.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(&from, &to).with_context(|| format!("copying {}", from.display()))?;
    }
    // The copy sits two levels below the target directory: give it the `../shared` of the repo.
    let shared = root.join("../shared");
    let link = dest.with_file_name("shared");
    if shared.exists() && !link.exists() {
        let _ = std::os::unix::fs::symlink(&shared, &link);
    }
    Ok(())
}
