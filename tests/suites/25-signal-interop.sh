#!/bin/sh
# Signal interop with python-axolotl (issue 4): runs the Swift interop tests with the oracle venv set, so they
# cannot be skipped here (without CRM_WHATSAPP_VENV, `swift test` reports them as skipped).
set -eu
: "${CRM_WHATSAPP_VENV:?set by ./test.sh (scripts/oracle-venv.sh)}"
"$CRM_WHATSAPP_VENV/bin/python" -c 'import os; os.environ["PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION"] = "python"; import axolotl.sessioncipher, axolotl_curve25519' \
    || { echo "python-axolotl missing from the oracle venv (tests/oracles/requirements.txt)" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
swift test --skip-build --filter SignalInteropTests >"$out" 2>&1 || status=$?
cat "$out" >&2
[ "$status" -eq 0 ] || exit "$status"
grep -q 'Test run with [1-9][0-9]* tests.* passed' "$out" || { echo "no interop test ran" >&2; exit 1; }
if grep -q 'skipped' "$out"; then echo "interop tests were skipped" >&2; exit 1; fi
