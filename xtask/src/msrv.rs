//! `cargo xtask msrv`: no package in `Cargo.lock` may need a newer Rust than ours.
//!
//! Only one toolchain can be installed where CI runs, so the declared `rust-version` cannot be
//! checked by building with it. What can be checked is that the resolver kept to it: every
//! dependency that declares a `rust-version` declares one no newer than the workspace's.

use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// What the check found.
#[derive(Debug, PartialEq)]
pub struct Report {
    pub msrv: String,
    pub packages: usize,
    /// Packages that declare no `rust-version` (nothing to compare).
    pub undeclared: usize,
    /// `name version needs rust-version`, for every package above the MSRV.
    pub too_new: Vec<String>,
}

/// Runs `cargo metadata` in the workspace and checks its packages.
pub fn check(root: &std::path::Path) -> Result<Report> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root)
        .output()
        .context("running cargo metadata")?;
    if !out.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let metadata: Value = serde_json::from_slice(&out.stdout).context("reading cargo metadata")?;
    report(&metadata)
}

/// Compares every package's `rust_version` with the workspace members' (which must agree).
pub fn report(metadata: &Value) -> Result<Report> {
    let packages = metadata["packages"]
        .as_array()
        .context("cargo metadata has no `packages`")?;
    let members: Vec<&str> = metadata["workspace_members"]
        .as_array()
        .context("cargo metadata has no `workspace_members`")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let rust_version = |p: &Value| p["rust_version"].as_str().map(str::to_owned);
    let mut msrvs: Vec<String> = packages
        .iter()
        .filter(|p| p["id"].as_str().is_some_and(|id| members.contains(&id)))
        .filter_map(rust_version)
        .collect();
    msrvs.sort();
    msrvs.dedup();
    let [msrv] = msrvs.as_slice() else {
        bail!("the workspace members should share one rust-version, found {msrvs:?}");
    };
    let limit = parse(msrv).with_context(|| format!("workspace rust-version {msrv}"))?;
    let mut report = Report {
        msrv: msrv.clone(),
        packages: packages.len(),
        undeclared: 0,
        too_new: Vec::new(),
    };
    for p in packages {
        match rust_version(p) {
            None => report.undeclared += 1,
            Some(v) if parse(&v).is_none_or(|v| v > limit) => report.too_new.push(format!(
                "{} {} needs rust-version {v}",
                p["name"].as_str().unwrap_or("?"),
                p["version"].as_str().unwrap_or("?"),
            )),
            Some(_) => {}
        }
    }
    Ok(report)
}

/// `1.88` or `1.88.0` as (major, minor, patch).
fn parse(v: &str) -> Option<(u64, u64, u64)> {
    let mut it = v.split('.').map(|p| p.parse::<u64>().ok());
    let major = it.next()??;
    let minor = it.next().unwrap_or(Some(0))?;
    let patch = it.next().unwrap_or(Some(0))?;
    it.next().is_none().then_some((major, minor, patch))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn metadata(deps: &[(&str, Option<&str>)]) -> Value {
        let mut packages =
            vec![json!({"id": "ours", "name": "ours", "version": "0.1.0", "rust_version": "1.88"})];
        for (name, rv) in deps {
            packages
                .push(json!({"id": name, "name": name, "version": "1.0.0", "rust_version": rv}));
        }
        json!({"packages": packages, "workspace_members": ["ours"]})
    }

    #[test]
    fn a_dependency_above_the_msrv_is_named() {
        let r = report(&metadata(&[
            ("old", Some("1.63")),
            ("same", Some("1.88.0")),
            ("newer", Some("1.94.1")),
            ("silent", None),
        ]))
        .unwrap();
        assert_eq!(r.msrv, "1.88");
        assert_eq!(r.packages, 5);
        assert_eq!(r.undeclared, 1);
        assert_eq!(r.too_new, ["newer 1.0.0 needs rust-version 1.94.1"]);
    }

    #[test]
    fn versions_compare_by_number() {
        assert!(parse("1.100").unwrap() > parse("1.88.0").unwrap());
        assert_eq!(parse("1.88"), Some((1, 88, 0)));
        assert_eq!(parse("1.x"), None);
        assert_eq!(parse("1.2.3.4"), None);
    }

    #[test]
    fn the_lockfile_keeps_to_the_msrv() {
        let r = check(&crate::workspace_root()).unwrap();
        assert!(r.too_new.is_empty(), "{:?}", r.too_new);
    }
}
