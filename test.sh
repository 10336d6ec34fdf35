#!/bin/sh
# Runs every test of the project: Swift unit and integration tests, the oracle suites,
# the extension's tests and the end-to-end tests in headless Chromium.
# Installs what it needs when it is missing (system packages, the oracle venv).
set -eu
cd "$(dirname "$0")"
root=$(pwd)

scripts/setup-deps.sh test

CRM_WHATSAPP_VENV=$(scripts/oracle-venv.sh)
export CRM_WHATSAPP_VENV
export CRM_WHATSAPP_ARTIFACTS="$root/test-artifacts"
mkdir -p "$CRM_WHATSAPP_ARTIFACTS"
export SWIFT_BACKTRACE=enable=no

# Each phase says how long it took, so a slow one is visible in the CI log.
started=$(date +%s)
took() { echo "   ($1: $(($(date +%s) - started)) s)" >&2; started=$(date +%s); }

echo "== swift build" >&2
swift build --build-tests
took "swift build --build-tests"
CRM_WHATSAPP_BIN=$(swift build --show-bin-path)
export CRM_WHATSAPP_BIN

echo "== swift test" >&2
# One test at a time: several tests block a thread on a child process or a socket, and on a 2-core
# machine two of them at once starve the cooperative pool that the timing-bound engine tests need.
# A failure here does not stop the suites: one run shows every failure.
failed=""
swift test --skip-build --no-parallel || failed=" swift-test"
took "swift test"

for suite in tests/suites/*.sh; do
    [ -e "$suite" ] || continue
    echo "== $suite" >&2
    if ! "./$suite"; then
        failed="$failed $suite"
    fi
    took "$suite"
done
if [ -n "$failed" ]; then
    echo "FAILED:$failed" >&2
    exit 1
fi
echo "all tests passed" >&2
