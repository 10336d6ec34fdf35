#!/bin/sh
# End to end in real headless Chromium with the real native host (tests/e2e/run_e2e.py).
# Needs CRM_WHATSAPP_VENV (websockets), CRM_WHATSAPP_BIN (crm-whatsapp-host); writes screenshots,
# the browser log and e2e-chromium.json to CRM_WHATSAPP_ARTIFACTS.
set -eu
cd "$(dirname "$0")/../.."
: "${CRM_WHATSAPP_VENV:?set CRM_WHATSAPP_VENV to the oracle venv (scripts/oracle-venv.sh)}"
: "${CRM_WHATSAPP_BIN:?set CRM_WHATSAPP_BIN to the folder holding crm-whatsapp-host (swift build --show-bin-path)}"
artifacts=${CRM_WHATSAPP_ARTIFACTS:-$(pwd)/test-artifacts}
# The browser binary itself (Debian's /usr/bin/chromium is a wrapper script), else what PATH or macOS has.
chrome=${CRM_WHATSAPP_CHROMIUM:-}
if [ -z "$chrome" ]; then
    for c in /usr/lib/chromium/chromium "$(command -v chromium || true)" "$(command -v chromium-browser || true)" \
        "$(command -v google-chrome || true)" /Applications/Chromium.app/Contents/MacOS/Chromium \
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"; do
        if [ -n "$c" ] && [ -x "$c" ]; then chrome=$c && break; fi
    done
fi
if [ -z "$chrome" ] || [ ! -x "$chrome" ]; then
    echo "40-e2e-chromium: Chromium not found at $chrome (scripts/setup-deps.sh test installs it; or set CRM_WHATSAPP_CHROMIUM)" >&2
    exit 1
fi
mkdir -p "$artifacts"
# The host under test runs the real engine: run_e2e.py starts wa-sim on 127.0.0.1 and gives the host its
# settings through Chromium's environment, so it never reaches WhatsApp.
exec "$CRM_WHATSAPP_VENV/bin/python" tests/e2e/run_e2e.py --bin "$CRM_WHATSAPP_BIN" --artifacts "$artifacts" --chrome "$chrome"
