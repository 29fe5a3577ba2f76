#!/usr/bin/env bash
# `cloudjobs top` end to end in a real terminal: starts `cloudjobs emulator` on a free port, runs
# `cloudjobs --endpoint-url URL top` in a detached tmux session (a private tmux server, 120x40),
# sends keys (service filter, state filter, clear, open and close a job's details, quit),
# captures the pane after each and checks the text. Exits non-zero on the first failed check,
# printing the screen it saw.
#
#   bash tests/tmux/top.sh        # builds the cloudjobs binary first (CARGO_TARGET_DIR is honoured)
#
# Skipped (exit 0, with a message) when tmux is not installed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

if ! command -v tmux >/dev/null 2>&1; then
    echo "SKIPPED: tmux is not installed, so the terminal test of \`cloudjobs top\` did not run (apt-get install tmux)"
    exit 0
fi

cargo build --quiet -p cloudjobs-cli --bin cloudjobs
BIN="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/debug/cloudjobs"

WORK="$(mktemp -d)"
SOCKET="cloudjobs-top-test-$$"
EMULATOR_PID=""
cleanup() {
    tmux -L "$SOCKET" kill-server 2>/dev/null || true
    if [ -n "$EMULATOR_PID" ]; then
        kill "$EMULATOR_PID" 2>/dev/null || true
        wait "$EMULATOR_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# --- the emulator, and the ids it seeded (from its banner)
"$BIN" emulator --port 0 >"$WORK/emulator.log" 2>&1 &
EMULATOR_PID=$!
URL=""
for _ in $(seq 1 100); do
    URL="$(sed -n 's/^listening on \(http:\/\/[0-9.]*:[0-9]*\)$/\1/p' "$WORK/emulator.log")"
    [ -n "$URL" ] && break
    kill -0 "$EMULATOR_PID" 2>/dev/null || { cat "$WORK/emulator.log" >&2; exit 1; }
    sleep 0.1
done
[ -n "$URL" ] || { echo "FAIL: the emulator did not print its URL" >&2; exit 1; }
WINDOW="$(sed -n 's/^# try: cloudjobs ssm-mw list --window-execution-id \([^ ]*\)$/\1/p' "$WORK/emulator.log")"
PROTECTION="$(sed -n 's/^# try: cloudjobs cloud-rewind get --account-id \([0-9]*\) --project-id \([^ ]*\) --cloud-assembly-id \([0-9]*\) --protection-id \([^ ]*\)$/\1\/\2\/\3\/\4/p' "$WORK/emulator.log")"
ACCOUNT_PROJECT_ASSEMBLY="${PROTECTION%/*}"
[ -n "$WINDOW" ] && [ -n "$PROTECTION" ] || { echo "FAIL: no seeded ids in the banner" >&2; cat "$WORK/emulator.log" >&2; exit 1; }
echo "emulator at $URL"

# --- top in tmux: all five services, plus a protection that does not exist (an error line)
cat >"$WORK/run-top.sh" <<SCRIPT
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID=AKIDCLOUDJOBSEMU AWS_SECRET_ACCESS_KEY=cloudjobs-emulator-secret AWS_REGION=us-east-1
export CLOUDJOBS_SPACEONE_TOKEN=cloudjobs-emulator-token CLOUDJOBS_CLOUD_REWIND_TOKEN=cloudjobs-emulator-token
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL CLOUDJOBS_SPACEONE_ENDPOINT_URL CLOUDJOBS_CLOUD_REWIND_ENDPOINT_URL
rm -f "$WORK/top.pid" "$WORK/top.exit"
# The inner shell notes its pid, then becomes cloudjobs (exec), in the foreground of the pane;
# the outer one writes cloudjobs' exit status (tmux can see the terminal close before it reaps
# the process, and then reports no status).
bash -c 'echo \$\$ > "$WORK/top.pid"; exec "\$@"' top "$BIN" --endpoint-url "$URL" top \
    --interval 1 --catalog AWS,Sandbox --window-execution-id "$WINDOW" \
    --protection "$PROTECTION" --protection "$ACCOUNT_PROJECT_ASSEMBLY/no-such-protection"
echo "\$?" > "$WORK/top.exit"
SCRIPT
tmux -L "$SOCKET" -f /dev/null new-session -d -s top -x 120 -y 40 "bash $WORK/run-top.sh"
tmux -L "$SOCKET" set-option -t top remain-on-exit on >/dev/null
# Keys arrive one by one: no Escape is merged with the next key into an Alt chord.
tmux -L "$SOCKET" set-option -s escape-time 0 >/dev/null

SCREEN=""
# The screen once it holds still for 100 ms: a capture taken while a frame is being written
# can mix the old frame and the new one.
capture() {
    local next
    SCREEN="$(tmux -L "$SOCKET" capture-pane -p -t top)"
    for _ in $(seq 1 20); do
        sleep 0.1
        next="$(tmux -L "$SOCKET" capture-pane -p -t top)"
        [ "$next" = "$SCREEN" ] && return 0
        SCREEN="$next"
    done
}
fail() {
    echo "FAIL: $*" >&2
    echo "--- screen:" >&2
    printf '%s\n' "$SCREEN" >&2
    exit 1
}
# wait_for REGEX WHAT: polls the pane (up to 30 s) until a line matches.
wait_for() {
    for _ in $(seq 1 150); do
        capture
        grep -Eq -- "$1" <<<"$SCREEN" && return 0
        sleep 0.2
    done
    fail "$2 (no line matches /$1/ within 30 s)"
}
has() { grep -Eq -- "$1" <<<"$SCREEN" || fail "$2 (no line matches /$1/)"; }
lacks() { ! grep -Eq -- "$1" <<<"$SCREEN" || fail "$2 (a line matches /$1/)"; }
key() { tmux -L "$SOCKET" send-keys -t top "$1"; }
check() { echo "ok: $*"; }
# expect_clean_exit HOW: waits (up to 5 s) for cloudjobs to end after HOW, then checks it
# exited 0 and left the alternate screen (the pane stays, dead, through remain-on-exit).
expect_clean_exit() {
    local status=""
    for _ in $(seq 1 50); do
        [ -s "$WORK/top.exit" ] && { status="$(cat "$WORK/top.exit")"; break; }
        sleep 0.1
    done
    capture
    [ "$status" = 0 ] || fail "$1 should end cloudjobs top with exit code 0 (exit status: ${status:-none within 5 s})"
    lacks '^cloudjobs top  ' "$1: the alternate screen is left"
}

wait_for '^cloudjobs top  [0-9]+ jobs  updated ' "the first snapshot is shown"
# The status area is drawn last: once it is there, the frame is whole.
wait_for '^✗ cloud-rewind: protection no-such-protection in [^ ]*: NOT_FOUND' "the failing protection in the status area"
has '● running [0-9]+  ● pending [0-9]+  ● paused [0-9]+  ● failed [0-9]+' "state counts"
has 'partner-central [1-9][0-9]*  macie2 [1-9][0-9]*  ssm-mw [1-9][0-9]*  spaceone-identity [1-9][0-9]*  cloud-rewind 1 ✗' "per-service counts, cloud-rewind marked failed"
has '^│RUNNING \([0-9]+\)' "jobs grouped under a RUNNING header"
has '^│(ssm-mw|macie2|spaceone-identity|partner-central) +[^ ]+' "job rows"
has '^q quit .*enter details' "the help line"
check "grouped view with counts, the error line and the help line"

key s; key s
wait_for 'service: macie2  state: all' "s s filters on macie2"
has '^│macie2 ' "macie2 rows"
lacks '^│(ssm-mw|spaceone-identity|partner-central|cloud-rewind) ' "only macie2 rows"
check "service filter"

key f
wait_for 'service: macie2  state: running' "f filters on running"
lacks '^│(PENDING|PAUSED|FAILED|CANCELLED|SUCCEEDED) \(' "only the RUNNING group"
check "state filter"

# The view refreshes in place: cancel the first running Macie2 job through the emulator's admin
# API and wait for it to leave the RUNNING group and for the cancelled count to go up.
if command -v curl >/dev/null 2>&1; then
    JOB="$(sed -n 's/^│macie2 *\([0-9a-f]\{32\}\) .*/\1/p' <<<"$SCREEN" | head -n1)"
    [ -n "$JOB" ] || fail "no running macie2 job id on screen"
    CANCELLED="$(sed -n 's/.*● cancelled \([0-9]*\).*/\1/p' <<<"$SCREEN")"
    curl -fsS -X POST -H 'content-type: application/json' -d '{"status":"CANCELLED"}' \
        "$URL/_emulator/jobs/macie2/$JOB/status" >/dev/null
    wait_for "● cancelled $((CANCELLED + 1))  " "the cancelled count goes up after a refresh"
    lacks "$JOB" "the cancelled job left the RUNNING group"
    check "a job cancelled in the emulator moves out of RUNNING on the next refresh"
else
    echo "skipped: curl is not installed, so the refresh check did not run"
fi

key c
wait_for 'service: all  state: all' "c clears the filters"
key End
key Enter
wait_for '^│raw status  ' "Enter opens the details"
has '^│service     (partner-central|macie2|ssm-mw|spaceone-identity|cloud-rewind) ' "details: service"
has '^│id          [^ ]+' "details: id"
has '^│state       (pending|running|paused|succeeded|failed|cancelled|unknown) ' "details: state"
has '^│finished    ' "details: finished"
has '^│detail      ' "details: detail"
check "details of the last job"

key Escape
wait_for '^│SERVICE +ID +NAME +STATUS +CREATED' "Escape closes the details"
check "back to the list"

key q
expect_clean_exit "q"
check "q quits with exit code 0 and restores the screen"

# SIGTERM from outside ends the view the same way.
tmux -L "$SOCKET" kill-session -t top
tmux -L "$SOCKET" new-session -d -s top -x 120 -y 40 "bash $WORK/run-top.sh"
tmux -L "$SOCKET" set-option -t top remain-on-exit on >/dev/null
wait_for '^cloudjobs top  [0-9]+ jobs  updated ' "the view is back"
kill -TERM "$(cat "$WORK/top.pid")"
expect_clean_exit "SIGTERM"
check "SIGTERM quits and restores the screen"
echo "cloudjobs top: every terminal check passed"
