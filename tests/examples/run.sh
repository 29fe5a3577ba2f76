#!/usr/bin/env bash
# Runs every example of the service crates and the facade.
#
#   bash tests/examples/run.sh
#
# First as a user would after `cargo add`: with no arguments, each example starts the emulator
# in its own process. Then the `--endpoint-url` path: one emulator runs as a separate process
# and two examples (one SigV4, one bearer-token service) reach it with the credentials and
# token taken from the environment, as `Client::from_env` reads them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
mkdir -p target

run() {
    echo "--- cargo run $*"
    cargo run --quiet "$@"
}

run -p cloudjobs-partner-central --example list_resource_snapshot_jobs
run -p cloudjobs-partner-central --example list_resource_snapshot_jobs -- --catalog Sandbox
run -p cloudjobs-macie2 --example list_classification_jobs
run -p cloudjobs-ssm-mw --example describe_execution_tasks
run -p cloudjobs-spaceone-identity --example jobs
run -p cloudjobs-cloud-rewind --example protection_status
run -p cloudjobs --features full --example all_jobs
run -p cloudjobs --features spaceone-identity --example wait_for_job

# shellcheck source=tests/emulator.sh
source "$ROOT/tests/emulator.sh"
start_emulator "$ROOT/target/examples-emulator.log"
echo "--- emulator at $EMULATOR_URL"

# No shared AWS files: only the variables below.
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID=AKIDCLOUDJOBSEMU AWS_SECRET_ACCESS_KEY=cloudjobs-emulator-secret
export AWS_REGION=us-east-1
export CLOUDJOBS_SPACEONE_TOKEN=cloudjobs-emulator-token

run -p cloudjobs-macie2 --example list_classification_jobs -- --endpoint-url "$EMULATOR_URL"
run -p cloudjobs-spaceone-identity --example jobs -- --endpoint-url "$EMULATOR_URL"
run -p cloudjobs --features full --example all_jobs -- --endpoint-url "$EMULATOR_URL"
echo "--- every example ran"
