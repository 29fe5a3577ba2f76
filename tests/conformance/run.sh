#!/usr/bin/env bash
# Spec conformance of the emulator's two OpenAPI services, with standard Python tools.
#
#   bash tests/conformance/run.sh      # from the workspace root (or anywhere)
#
# 1. Creates (or reuses) a venv in target/conformance-venv with the pinned tools of
#    tests/conformance/requirements.txt (openapi-spec-validator, schemathesis).
# 2. Validates specs/spaceone-identity.openapi.yaml and specs/cloud-rewind.openapi.yaml.
# 3. Builds and starts the emulator example on an ephemeral 127.0.0.1 port (stopped on exit).
# 4. Runs `schemathesis run` against it once per spec, with the settings and checks of
#    tests/conformance/schemathesis.toml and the custom checks of tests/conformance/hooks.py.
# Exits non-zero on any invalid spec or any schemathesis failure. Logs and the effective
# schemathesis config are left in target/conformance/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
HERE="$ROOT/tests/conformance"
VENV="$ROOT/target/conformance-venv"
OUT="$ROOT/target/conformance"
LOG="$OUT/emulator.log"
SPECS=(specs/spaceone-identity.openapi.yaml specs/cloud-rewind.openapi.yaml)
mkdir -p "$OUT"

# --- tools -------------------------------------------------------------------------------
# The venv is rebuilt when requirements.txt changes (its hash is kept in the venv).
REQ_HASH="$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$REQ_HASH" ]; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
    echo "$REQ_HASH" >"$VENV/.requirements.sha256"
fi
PY="$VENV/bin/python"
echo "conformance: $("$VENV/bin/openapi-spec-validator" --version 2>/dev/null || echo openapi-spec-validator), $("$VENV/bin/schemathesis" --version)"

# --- the specs are valid OpenAPI ----------------------------------------------------------
"$VENV/bin/openapi-spec-validator" "${SPECS[@]}"

# --- the emulator -----------------------------------------------------------------------
# A fresh emulator per run (stopped on exit): SpaceONE `delete` really deletes, so no state
# carries over from one run to the next.
# shellcheck source=tests/emulator.sh
source "$ROOT/tests/emulator.sh"
start_emulator "$LOG" --seed 42 --jobs 40
URL="$EMULATOR_URL"

# --- schemathesis config: the static settings plus the ids the emulator seeded -----------
CONFIG="$OUT/schemathesis.toml"
"$PY" - "$URL" "$HERE/schemathesis.toml" "$CONFIG" <<'EOF'
import json, sys, urllib.request

url, static, out = sys.argv[1:4]
seeded = json.load(urllib.request.urlopen(url + "/_emulator/seeded", timeout=5))

sp = seeded["spaceone"]
jobs = sp["job_ids"]
half = max(1, len(jobs) // 2)

cr = seeded["cloud_rewind"]
protections = list(cr["protections"]) + [cr["locked"], cr["assembly_disabled"]]
# One account and project (the locked protection's), with every assembly and protection in it.
anchor = cr["locked"]
mine = [p for p in protections
        if p["account_id"] == anchor["account_id"] and p["project_id"] == anchor["project_id"]]

dictionaries = {
    "spaceone_get_ids": jobs[:half],
    "spaceone_delete_ids": jobs[half:] or jobs,
    "spaceone_trusted_account_ids": sp["trusted_account_ids"],
    "spaceone_plugin_ids": sp["plugin_ids"],
    "cloud_rewind_account_ids": [anchor["account_id"]],
    "cloud_rewind_project_ids": [anchor["project_id"]],
    "cloud_rewind_assembly_ids": sorted({p["cloud_assembly_id"] for p in mine}),
    "cloud_rewind_protection_ids": [p["protection_id"] for p in mine],
}
with open(static) as f:
    text = f.read()
text += "\n# Appended by run.sh from " + url + "/_emulator/seeded\n"
for name, values in dictionaries.items():
    text += f"\n[dictionaries.{name}]\nvalues = {json.dumps(values)}\n"
with open(out, "w") as f:
    f.write(text)
EOF

# --- schemathesis, once per spec ---------------------------------------------------------
# Paths in both specs are absolute (SpaceONE's include its `x-cloudjobs-path-prefix`,
# /identity/v2; Cloud Rewind's is our documented assumption, served by the emulator as is) and
# their servers carry no base path, so the base URL is the emulator's root URL.
export CLOUDJOBS_EMULATOR_TOKEN="cloudjobs-emulator-token"
export SCHEMATHESIS_HOOKS="$HERE/hooks.py"
STATUS=0
for spec in "${SPECS[@]}"; do
    name="$(basename "$spec" .openapi.yaml)"
    echo
    echo "=== schemathesis: $spec against $URL"
    set +e
    # From target/conformance, where hypothesis keeps its .hypothesis/ cache directory.
    (cd "$OUT" && "$VENV/bin/schemathesis" --config-file "$CONFIG" run "$ROOT/$spec" \
        --url "$URL" \
        --no-color \
        --report junit --report-junit-path "$OUT/$name.junit.xml")
    rc=$?
    set -e
    if [ "$rc" -ne 0 ]; then
        echo "schemathesis failed for $spec (exit $rc)" >&2
        STATUS=1
    fi
done
exit "$STATUS"
