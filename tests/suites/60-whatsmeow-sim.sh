#!/bin/sh
# The real whatsmeow client (PyPI neonize) against wa-sim: pairing QR, linking to a simulated phone,
# login after the 515, and login again with the stored session.
#
# whatsmeow checks everything a real server must get right before it shows a QR: TLS with the test CA,
# the WA intro and frames, the Noise XX variant, the certificate chain (pinned to wa-sim's root through a
# copy of neonize with the root key swapped), binary nodes with typed JIDs, and the pair-device IQ. Then
# a simulated phone "scans" the QR whatsmeow writes (wa-sim's control API): whatsmeow checks the phone's
# ADV HMAC and account signature, answers pair-device-sign (which wa-sim checks), reconnects after the
# 515 with a login payload, gets <success>, uploads pre-keys and reports Connected; a second run with the
# same store logs in without a QR; a third is restarted by the server (515) and reconnects, then is unlinked
# by the phone (LoggedOut). Two more runs link by phone number (8-character code) and after a
# companion_reg_refresh (the phone scans the QR redrawn with the new ADV secret). It dials wss://web.whatsapp.com through tests/whatsmeow/loopback_proxy.py,
# which hands the tunnel to wa-sim's wss listener. Nothing leaves 127.0.0.1. Logs and the stanza shapes
# wa-sim recorded (stanza fidelity) go to $CRM_WHATSAPP_ARTIFACTS/whatsmeow-sim/.
set -eu
root=$(pwd)
: "${CRM_WHATSAPP_VENV:?set CRM_WHATSAPP_VENV (the oracle venv, scripts/oracle-venv.sh)}"
: "${CRM_WHATSAPP_BIN:?set CRM_WHATSAPP_BIN (swift build --show-bin-path)}"
py="$CRM_WHATSAPP_VENV/bin/python"
art="${CRM_WHATSAPP_ARTIFACTS:-$root/test-artifacts}/whatsmeow-sim"
here="$root/tests/whatsmeow"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "60-whatsmeow-sim: SKIPPED: neonize ships its Go library for Linux x86_64 only" >&2
    exit 0
fi

rm -rf "$art"
mkdir -p "$art"
work=$(mktemp -d)
sim_pid=""
proxy_pid=""
cleanup() {
    [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null || true
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$CRM_WHATSAPP_BIN/wa-sim" --listen-tls 127.0.0.1:0 --control 127.0.0.1:0 \
    --tls-dir "$work/tls" --root-key "$work/root.key" --max-seconds 600 \
    >"$work/sim.json" 2>"$art/wa-sim.log" &
sim_pid=$!
i=0
while [ ! -s "$work/sim.json" ]; do
    i=$((i + 1))
    if [ $i -gt 300 ]; then echo "60-whatsmeow-sim: wa-sim did not start" >&2; exit 1; fi
    sleep 0.1
done
cp "$work/sim.json" "$art/wa-sim-endpoints.json"
field() { "$py" -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$work/sim.json" "$1"; }
wss=$(field wss)
control=$(field control)
root_key=$(field rootPublicKey)

"$py" "$here/loopback_proxy.py" --target "$wss" --port-file "$work/proxy.port" --max-seconds 600 \
    2>"$art/proxy.log" &
proxy_pid=$!
i=0
while [ ! -s "$work/proxy.port" ]; do
    i=$((i + 1))
    if [ $i -gt 300 ]; then echo "60-whatsmeow-sim: proxy did not start" >&2; exit 1; fi
    sleep 0.1
done
proxy_port=$(cat "$work/proxy.port")

library=$("$py" "$here/swap_root_key.py" "$work/neonize-copy" "$root_key")
ctl() { "$py" "$here/sim_control.py" "$control" "$@"; }
phone=15551234567
ctl POST /phones "{\"number\": \"$phone\", \"pushName\": \"Suite phone\"}" >"$art/phone-created.json"

# Run 1: QR, the phone scans it, pairing, 515, login.
ctl scan "$phone" "$work/qr.txt" 60 >"$art/scan.json" 2>"$art/scan.err" &
scan_pid=$!
status=0
SWIFT_BACKTRACE=enable=no "$py" "$here/link_client.py" --library-dir "$library" \
    --proxy "http://127.0.0.1:$proxy_port" --ca "$work/tls/ca.pem" --store "$work/store" \
    --events "$art/client.jsonl" --qr-file "$work/qr.txt" --until connected --timeout 60 \
    2>"$art/client.err" || status=$?
wait "$scan_pid" || true

# Run 2: the stored session logs in again.
relogin=0
SWIFT_BACKTRACE=enable=no "$py" "$here/link_client.py" --library-dir "$library" \
    --proxy "http://127.0.0.1:$proxy_port" --ca "$work/tls/ca.pem" --store "$work/store" \
    --events "$art/client-relogin.jsonl" --until connected --timeout 30 \
    2>"$art/client-relogin.err" || relogin=$?

ctl GET "/phones/$phone" >"$art/phone.json"

# Run 2b: with the stored session again; the server restarts the stream (515), whatsmeow reconnects, then
# the phone unlinks the device (401 device_removed) and whatsmeow reports LoggedOut.
"$py" "$here/post_login_scenario.py" "$control" "$phone" "$art/post-login-steps.json" 60 \
    2>"$art/post-login-steps.err" &
scenario_pid=$!
unlinked=0
SWIFT_BACKTRACE=enable=no "$py" "$here/link_client.py" --library-dir "$library" \
    --proxy "http://127.0.0.1:$proxy_port" --ca "$work/tls/ca.pem" --store "$work/store" \
    --events "$art/client-unlinked.jsonl" --until logged-out --timeout 60 \
    2>"$art/client-unlinked.err" || unlinked=$?
wait "$scenario_pid" || true
ctl GET "/phones/$phone" >"$art/phone-after-unlink.json"

# Run 3: linking by phone number (the phone's user types whatsmeow's 8-character code).
code_phone=15557654321
ctl POST /phones "{\"number\": \"$code_phone\"}" >/dev/null
ctl code "$code_phone" "$work/code.txt" 60 >"$art/code.json" 2>"$art/code.err" &
code_pid=$!
by_code=0
SWIFT_BACKTRACE=enable=no "$py" "$here/link_client.py" --library-dir "$library" \
    --proxy "http://127.0.0.1:$proxy_port" --ca "$work/tls/ca.pem" --store "$work/store-code" \
    --events "$art/client-code.jsonl" --pair-phone "$code_phone" --code-file "$work/code.txt" \
    --until connected --timeout 60 2>"$art/client-code.err" || by_code=$?
wait "$code_pid" || true

# Run 4: companion_reg_refresh before the scan; the phone scans the QR redrawn with the new ADV secret.
refresh_phone=15550009999
ctl POST /phones "{\"number\": \"$refresh_phone\"}" >/dev/null
ctl refresh-scan "$refresh_phone" "$work/qr-refresh.txt" 60 >"$art/refresh-scan.json" 2>"$art/refresh-scan.err" &
refresh_pid=$!
refreshed=0
SWIFT_BACKTRACE=enable=no "$py" "$here/link_client.py" --library-dir "$library" \
    --proxy "http://127.0.0.1:$proxy_port" --ca "$work/tls/ca.pem" --store "$work/store-refresh" \
    --events "$art/client-refresh.jsonl" --qr-file "$work/qr-refresh.txt" --until connected --timeout 60 \
    2>"$art/client-refresh.err" || refreshed=$?
wait "$refresh_pid" || true

ctl GET /connections >"$art/connections.json"
ctl GET /phones >"$art/phones.json"
# ClientPayload fidelity: whatsmeow's first registration and first login payload summaries, the fixture of
# Tests/WASimTests/WhatsmeowPayloads.swift.
"$py" -c "
import json, sys
c = json.load(open(sys.argv[1]))
first = lambda kind: next((x['payload'] for x in c if (x.get('payload') or {}).get('kind') == kind), None)
json.dump({'registration': first('registration'), 'login': first('login')}, sys.stdout, sort_keys=True, indent=1)
" "$art/connections.json" >"$art/payloads.json"
mkdir -p "$art/stanzas"
for id in $("$py" -c "import json,sys; print(' '.join(str(c['id']) for c in json.load(open(sys.argv[1]))))" \
    "$art/connections.json"); do
    ctl GET "/connections/$id/stanzas" >"$art/stanzas/connection-$id.json"
done

failed=0
"$py" "$here/check_pairing_run.py" "$art/client.jsonl" "$art/connections.json" "$status" || failed=1
"$py" "$here/check_link_run.py" "$art" "$status" "$relogin" "$by_code" "$refreshed" "$unlinked" || failed=1
exit $failed
