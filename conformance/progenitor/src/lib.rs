//! progenitor's clients for the two cloudjobs OpenAPI specs, generated at build time by
//! `build.rs`. Nothing here is hand-written API surface: each module is exactly what
//! progenitor 0.15 emits for one spec.

/// Client generated from `specs/spaceone-identity.openapi.yaml`.
pub mod spaceone_identity {
    include!(concat!(env!("OUT_DIR"), "/spaceone_identity.rs"));
}

/// Client generated from `specs/cloud-rewind.openapi.yaml`.
pub mod cloud_rewind {
    include!(concat!(env!("OUT_DIR"), "/cloud_rewind.rs"));
}
