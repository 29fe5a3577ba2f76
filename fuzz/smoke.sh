#!/usr/bin/env bash
# Runs every fuzz target for a few seconds (CI), or as long as asked:
#
#   bash fuzz/smoke.sh                 # each target 5 s (FUZZ_SECONDS)
#   FUZZ_SECONDS=600 bash fuzz/smoke.sh responses timestamps
#
# Works on the stable toolchain: cargo-fuzz is installed from crates.io if absent, libFuzzer
# is built by the libfuzzer-sys crate, and `--sanitizer none` avoids the only flag that needs
# nightly (-Zsanitizer). RUSTC_BOOTSTRAP=1 lets cargo-fuzz's remaining nightly-only rustc
# options through on stable. Crashes are written to fuzz/artifacts/<target>/ and fail the run.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${FUZZ_SECONDS:-5}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(responses inputs timestamps smithy openapi emulator)

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --version 0.13.2
fi
export RUSTC_BOOTSTRAP=1
# One build for all targets: release, with debug assertions and overflow checks (set in
# Cargo.toml's profile), no sanitizer.
cargo fuzz build --sanitizer none
mkdir -p logs

for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  extra=()
  # The product specs are seeds for the generator's front-ends too.
  case "$t" in
    smithy) extra=(../specs) ;;
    openapi) extra=(../specs) ;;
  esac
  echo "=== fuzz $t for ${seconds}s"
  start=$(date +%s)
  log="logs/$t.log"
  set +e
  cargo fuzz run --sanitizer none "$t" "corpus/$t" "seeds/$t" "${extra[@]}" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1
  status=$?
  set -e
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
  echo "--- $t: exit $status after $(( $(date +%s) - start ))s"
  [ "$status" -eq 0 ] || tail -n 60 "$log"
  [ "$status" -eq 0 ] || exit "$status"
done
