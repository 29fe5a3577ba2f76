#!/usr/bin/env bash
# Generates progenitor clients from specs/spaceone-identity.openapi.yaml and
# specs/cloud-rewind.openapi.yaml, compiles them and runs their tests.
# Works from any directory. Extra arguments go to `cargo test` (e.g. `-- --nocapture`).
# CARGO_TARGET_DIR defaults to <repo>/target/progenitor, apart from the main workspace's
# build output and inside the already-ignored target/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target/progenitor}"

exec cargo test --locked --manifest-path "$here/Cargo.toml" "$@"
