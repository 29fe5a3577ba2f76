//! Runs progenitor's generator over both OpenAPI specs and writes one Rust file per spec
//! into OUT_DIR. Any error progenitor reports about a spec fails the build with the spec's
//! name and progenitor's own message.

use std::path::{Path, PathBuf};

/// (spec file under `specs/`, output file name in OUT_DIR)
const SPECS: &[(&str, &str)] = &[
    ("spaceone-identity.openapi.yaml", "spaceone_identity.rs"),
    ("cloud-rewind.openapi.yaml", "cloud_rewind.rs"),
];

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let specs_dir = manifest_dir.join("../../specs");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap());

    for (spec, out) in SPECS {
        let path = specs_dir.join(spec);
        println!("cargo:rerun-if-changed={}", path.display());
        let code = generate(&path).unwrap_or_else(|e| panic!("progenitor on specs/{spec}: {e}"));
        std::fs::write(out_dir.join(out), code).unwrap();
    }
    println!("cargo:rerun-if-changed=build.rs");
}

fn generate(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("reading: {e}"))?;
    let spec: openapiv3::OpenAPI =
        serde_yaml::from_str(&text).map_err(|e| format!("not an OpenAPI 3.0 document: {e}"))?;
    // Builder interface: one `Client` with a method per operation returning a builder;
    // tags merged (no per-tag traits). Vendor extensions (`x-cloudjobs-*`) are left to progenitor,
    // which ignores them.
    let mut settings = progenitor::GenerationSettings::default();
    settings.with_interface(progenitor::InterfaceStyle::Builder);
    let mut generator = progenitor::Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|e| format!("generator rejected the spec: {e}"))?;
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated tokens do not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}
