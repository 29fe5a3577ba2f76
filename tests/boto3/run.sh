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

cargo build --quiet -p cloudjobs-emulator --example serve
BIN="$ROOT/target/debug/examples/serve"

SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT INT TERM

"$BIN" --port 0 --seed 42 --jobs 60 >"$LOG" 2>&1 &
SERVER_PID=$!

URL=""
for _ in $(seq 1 100); do
    URL="$(sed -n 's/^listening on \(http:\/\/127\.0\.0\.1:[0-9]*\)$/\1/p' "$LOG" | head -n1)"
    [ -n "$URL" ] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "emulator exited early:" >&2
        cat "$LOG" >&2
        exit 1
    fi
    sleep 0.1
done
if [ -z "$URL" ]; then
    echo "emulator did not report its URL" >&2
    cat "$LOG" >&2
    exit 1
fi
# Wait until it answers.
for _ in $(seq 1 50); do
    if "$VENV/bin/python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1] + '/_emulator/health', timeout=1)" "$URL" 2>/dev/null; then
        break
    fi
    sleep 0.1
done

set +e
CLOUDJOBS_EMULATOR_URL="$URL" "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$ROOT/tests/boto3/test_emulator.py"
STATUS=$?
set -e
exit "$STATUS"
