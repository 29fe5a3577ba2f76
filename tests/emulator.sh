# Shared by the scripts under tests/: starts the emulator's `serve` example in the background.
#
#   source tests/emulator.sh
#   start_emulator LOGFILE [serve options...]   # sets EMULATOR_URL and EMULATOR_PID
#
# The emulator prints its URL once its socket is bound, so it accepts connections as soon as
# the URL is known. It is stopped when the sourcing script exits.

EMULATOR_PID=""
EMULATOR_URL=""

stop_emulator() {
    if [ -n "$EMULATOR_PID" ] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
        kill "$EMULATOR_PID" 2>/dev/null || true
        wait "$EMULATOR_PID" 2>/dev/null || true
    fi
    EMULATOR_PID=""
}

start_emulator() {
    local log="$1"
    shift
    cargo build --quiet -p cloudjobs-emulator --example serve
    "${CARGO_TARGET_DIR:-target}/debug/examples/serve" --port 0 "$@" >"$log" 2>&1 &
    EMULATOR_PID=$!
    trap stop_emulator EXIT INT TERM
    for _ in $(seq 1 100); do
        EMULATOR_URL="$(sed -n 's/^listening on \(http:\/\/[0-9.]*:[0-9]*\)$/\1/p' "$log" | head -n1)"
        [ -n "$EMULATOR_URL" ] && return 0
        if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
            echo "emulator exited early:" >&2
            cat "$log" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "emulator did not report its URL within 10 s" >&2
    cat "$log" >&2
    return 1
}
