#!/bin/sh
# End to end in real headless Firefox ESR with the real native host (tests/e2e/run_e2e_firefox.py,
# standard library only). scripts/setup-deps.sh test installs firefox-esr where apt has it (Debian); where
# it cannot be had (Ubuntu ships Firefox as a snap) this suite says SKIPPED loudly, or fails when
# CRM_WHATSAPP_REQUIRE_FIREFOX=1.
set -eu
cd "$(dirname "$0")/../.."
: "${CRM_WHATSAPP_BIN:?set CRM_WHATSAPP_BIN to the folder holding crm-whatsapp-host (swift build --show-bin-path)}"
artifacts=${CRM_WHATSAPP_ARTIFACTS:-$(pwd)/test-artifacts}
firefox=${CRM_WHATSAPP_FIREFOX:-$(command -v firefox-esr || command -v firefox || true)}
if [ -z "$firefox" ] && [ -x /Applications/Firefox.app/Contents/MacOS/firefox ]; then firefox=/Applications/Firefox.app/Contents/MacOS/firefox; fi
if [ -z "$firefox" ]; then
    echo "45-e2e-firefox: SKIPPED: Firefox is not installed (apt-get install firefox-esr)" >&2
    if [ "${CRM_WHATSAPP_REQUIRE_FIREFOX:-0}" = 1 ]; then exit 1; fi
    exit 0
fi
mkdir -p "$artifacts"
# The host under test runs the real engine: run_e2e_firefox.py starts wa-sim on 127.0.0.1 and gives the
# host its settings through Firefox's environment, so it never reaches WhatsApp.
exec python3 tests/e2e/run_e2e_firefox.py --bin "$CRM_WHATSAPP_BIN" --artifacts "$artifacts" --firefox "$firefox"
