//! The generator behind `cargo xtask` as a library: the binary (`src/main.rs`) is its
//! command line, and the fuzz targets in `fuzz/` drive the Smithy and OpenAPI front-ends
//! ([`smithy::load`], [`openapi::load`]) and the [`check`] pass through it. Not published;
//! nothing here is a stable API.

// Module docs link to the private helpers they describe, as they did when these modules were
// the binary's (whose docs show private items); read them with `--document-private-items`.
#![allow(rustdoc::private_intra_doc_links)]

use std::path::PathBuf;

pub mod bench;
pub mod check;
pub mod codegen;
pub mod corpus;
pub mod docs;
pub mod emit;
pub mod ir;
pub mod manifest;
pub mod msrv;
pub mod openapi;
pub mod smithy;
pub mod version;
pub mod wiring;

/// The workspace this xtask belongs to. `cargo run` and `cargo test` set `CARGO_MANIFEST_DIR`
/// when they start the binary or a test, which stays right when one target directory serves several
/// checkouts (the compile-time value would name whichever checkout built the binary last).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}
