#!/usr/bin/env bash
# boto3 against the cloudjobs emulator: the three AWS operations, with real SigV4 signing.
#
#   bash tests/boto3/run.sh            # from the workspace root (or anywhere)
#
# Creates a venv in target/boto3-venv (boto3 + pytest from PyPI), builds and starts the
# emulator example on an ephemeral 127.0.0.1 port, runs tests/boto3/test_emulator.py against
# it, stops the emulator, and exits with pytest's status.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
VENV="$ROOT/target/boto3-venv"
LOG="$ROOT/target/boto3-emulator.log"
mkdir -p "$ROOT/target"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import boto3, pytest" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check boto3 pytest
fi

# shellcheck source=tests/emulator.sh
source "$ROOT/tests/emulator.sh"
start_emulator "$LOG" --seed 42 --jobs 60

set +e
CLOUDJOBS_EMULATOR_URL="$EMULATOR_URL" "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$ROOT/tests/boto3/test_emulator.py"
STATUS=$?
set -e
exit "$STATUS"
