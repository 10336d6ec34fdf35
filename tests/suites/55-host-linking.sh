#!/bin/sh
# The real crm-whatsapp-host binary through native-messaging frames against wa-sim (tests/host/host_linking.py):
# QR linking (the PNG decoded by ZXing C++, the simulated phone scans the decoded text), relaunch without a
# QR, linking by phone number, a 515 restart, `replaced`, the phone's unlink, engine.logout, and a second host
# process on the same data directory (inUseElsewhere, engineBusy, take-over). Everything on 127.0.0.1.
# Logs, the QR PNG and the measured times go to $CRM_WHATSAPP_ARTIFACTS/host-linking/.
set -eu
cd "$(dirname "$0")/../.."
: "${CRM_WHATSAPP_VENV:?set CRM_WHATSAPP_VENV (the oracle venv, scripts/oracle-venv.sh)}"
: "${CRM_WHATSAPP_BIN:?set CRM_WHATSAPP_BIN (swift build --show-bin-path)}"
# The host must not load the whole of Foundation (ICU and FoundationInternationalization cost ~6 MiB of RSS and
# start-up time): the engine imports FoundationEssentials only (docs/performance-targets.md §4).
if command -v ldd >/dev/null 2>&1 && ldd "$CRM_WHATSAPP_BIN/crm-whatsapp-host" | grep -q 'libFoundation\.so'; then
    echo "FAIL crm-whatsapp-host links libFoundation.so: a module imports Foundation instead of FoundationEssentials" >&2
    ldd "$CRM_WHATSAPP_BIN/crm-whatsapp-host" | grep -i foundation >&2
    exit 1
fi
art="${CRM_WHATSAPP_ARTIFACTS:-$(pwd)/test-artifacts}/host-linking"
rm -rf "$art"
mkdir -p "$art"
exec timeout 180 "$CRM_WHATSAPP_VENV/bin/python" tests/host/host_linking.py --bin "$CRM_WHATSAPP_BIN" --artifacts "$art"
