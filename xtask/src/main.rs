//! `cargo xtask codegen [--check]`: generates the client crates listed in
//! `specs/manifest.toml` (see [`codegen`]).
//!
//! Generated files are committed. `--check` writes nothing and fails, naming every stale
//! file and every missing workspace line, when what is on disk differs from what the manifest
//! and the specs produce (a test runs the same check, so `cargo test` fails on drift).

use xtask::{bench, codegen, corpus, msrv, version, workspace_root};

use std::process::ExitCode;

use anyhow::Context;

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

/// `cargo xtask codegen [--check]`: see [`codegen`].
fn run_codegen(check: bool) -> ExitCode {
    match codegen::run(&workspace_root(), check) {
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
        Ok(report) if codegen::print_report(&report, check) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: cargo xtask codegen [--check]\n       cargo xtask set-version X.Y.Z\n       cargo xtask msrv\n       cargo xtask corpus [DIR] [--only-smithy] [--operations FILE]\n       cargo xtask bench [--smoke] [--only SECTION,...] [--report]";
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["codegen"] => run_codegen(false),
        ["codegen", "--check"] => run_codegen(true),
        ["set-version", new] => set_version(new),
        ["msrv"] => check_msrv(),
        ["corpus", ..] => corpus::main(&workspace_root(), &args[1..]),
        ["bench", ..] => bench::main(&workspace_root(), &args[1..]),
        _ => {
            eprintln!("{usage}");
            ExitCode::from(2)
        }
    }
}
