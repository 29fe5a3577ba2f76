//! `cargo xtask set-version X.Y.Z`: moves every publishable crate to one new version.
//!
//! All crates inherit `version` from `[workspace.package]`, and every internal dependency is
//! declared once in `[workspace.dependencies]` with an exact requirement (`version = "=X.Y.Z"`),
//! so the facade always pulls the service crates it was released with. A release changes those
//! lines together; this command does it and refuses anything it does not recognise.

use anyhow::{Result, bail};

/// The root manifest with the workspace version and every internal `=` requirement replaced.
pub fn set_version(manifest: &str, new: &str) -> Result<String> {
    if !is_semver(new) {
        bail!("`{new}` is not a version like 1.2.3 or 1.2.3-rc.1");
    }
    let mut section = "";
    let (mut package_lines, mut dep_lines) = (0, 0);
    let mut out = String::with_capacity(manifest.len());
    for line in manifest.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            section = trimmed.trim_end();
        }
        let replaced = match section {
            "[workspace.package]" if trimmed.starts_with("version = \"") => {
                package_lines += 1;
                Some(replace_quoted(line, "version = \"", new)?)
            }
            // Internal crates are the ones with a path into this workspace.
            "[workspace.dependencies]"
                if trimmed.contains("path = \"crates/") && trimmed.contains("version = \"=") =>
            {
                dep_lines += 1;
                Some(replace_quoted(line, "version = \"=", new)?)
            }
            _ => None,
        };
        out.push_str(replaced.as_deref().unwrap_or(line));
    }
    if package_lines != 1 {
        bail!("expected one `version = \"...\"` in [workspace.package], found {package_lines}");
    }
    if dep_lines == 0 {
        bail!(
            "no internal dependency with `path = \"crates/...\"` and `version = \"=...\"` in [workspace.dependencies]"
        );
    }
    Ok(out)
}

/// Replaces the quoted value that follows `key` (which ends with the opening quote and any
/// `=` operator) on one line.
fn replace_quoted(line: &str, key: &str, new: &str) -> Result<String> {
    let Some(start) = line.find(key).map(|i| i + key.len()) else {
        bail!("no `{key}` on line {line:?}");
    };
    let Some(len) = line[start..].find('"') else {
        bail!("unterminated version on line {line:?}");
    };
    Ok(format!("{}{new}{}", &line[..start], &line[start + len..]))
}

/// `MAJOR.MINOR.PATCH` with an optional `-pre` part of ASCII letters, digits, dots and dashes.
fn is_semver(v: &str) -> bool {
    let (core, pre) = match v.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (v, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    let numeric = |p: &&str| {
        !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && (*p == "0" || !p.starts_with('0'))
    };
    parts.len() == 3
        && parts.iter().all(numeric)
        && pre.is_none_or(|p| {
            !p.is_empty()
                && p.split('.').all(|id| !id.is_empty())
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"[workspace]
members = ["crates/a"]

[workspace.package]
version = "0.1.0"
edition = "2024"

[workspace.dependencies]
cloudjobs-runtime = { path = "crates/runtime", version = "=0.1.0" }
cloudjobs = { path = "crates/cloudjobs", version = "=0.1.0" }
serde = { version = "1", features = ["derive"] }
reqwest = { version = "0.13", default-features = false }

[profile.dev]
version = "not a version key"
"#;

    #[test]
    fn moves_the_workspace_version_and_every_internal_requirement() {
        let out = set_version(MANIFEST, "0.2.0-rc.1").unwrap();
        assert!(out.contains("[workspace.package]\nversion = \"0.2.0-rc.1\"\n"));
        assert!(out.contains(
            "cloudjobs-runtime = { path = \"crates/runtime\", version = \"=0.2.0-rc.1\" }"
        ));
        assert!(
            out.contains("cloudjobs = { path = \"crates/cloudjobs\", version = \"=0.2.0-rc.1\" }")
        );
        // Third-party requirements and other sections stay as they are.
        assert!(out.contains("serde = { version = \"1\", features = [\"derive\"] }"));
        assert!(out.contains("reqwest = { version = \"0.13\", default-features = false }"));
        assert!(out.contains("version = \"not a version key\""));
        assert_eq!(out.lines().count(), MANIFEST.lines().count());
    }

    #[test]
    fn the_real_manifest_is_understood() {
        let root = crate::workspace_root().join("Cargo.toml");
        let text = std::fs::read_to_string(root).unwrap();
        let out = set_version(&text, "9.9.9").unwrap();
        assert_eq!(
            out.matches("version = \"=9.9.9\"").count(),
            8,
            "internal crates"
        );
        assert_eq!(
            set_version(&out, "0.1.0").unwrap(),
            set_version(&text, "0.1.0").unwrap()
        );
    }

    #[test]
    fn rejects_what_is_not_a_version() {
        for bad in [
            "",
            "1",
            "1.2",
            "1.2.3.4",
            "01.2.3",
            "1.2.x",
            "1.2.3-",
            "1.2.3-a..b",
            "v1.2.3",
        ] {
            assert!(set_version(MANIFEST, bad).is_err(), "{bad:?} accepted");
        }
        for good in ["0.1.0", "1.0.0", "10.20.30", "1.2.3-alpha.1", "1.2.3-rc-2"] {
            assert!(is_semver(good), "{good:?} refused");
        }
    }

    #[test]
    fn refuses_a_manifest_it_does_not_recognise() {
        let no_package = MANIFEST.replace("[workspace.package]\nversion = \"0.1.0\"\n", "");
        assert!(set_version(&no_package, "0.2.0").is_err());
        let no_internal = MANIFEST.replace("version = \"=0.1.0\"", "version = \"0.1.0\"");
        assert!(set_version(&no_internal, "0.2.0").is_err());
    }
}
