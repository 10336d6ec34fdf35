#!/bin/sh
# The real whatsmeow client (PyPI neonize) against wa-sim, up to the pairing QR.
#
# whatsmeow checks everything a real server must get right before it shows a QR: TLS with the test CA,
# the WA intro and frames, the Noise XX variant, the certificate chain (pinned to wa-sim's root through a
# copy of neonize with the root key swapped), binary nodes with typed JIDs, and the pair-device IQ. It
# dials wss://web.whatsapp.com through tests/whatsmeow/loopback_proxy.py, which hands the tunnel to
# wa-sim's wss listener. Nothing leaves 127.0.0.1. Logs go to $CRM_WHATSAPP_ARTIFACTS/whatsmeow-sim/.
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
    --tls-dir "$work/tls" --root-key "$work/root.key" --max-seconds 300 \
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

"$py" "$here/loopback_proxy.py" --target "$wss" --port-file "$work/proxy.port" --max-seconds 300 \
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
status=0
SWIFT_BACKTRACE=enable=no "$py" "$here/pair_until_qr.py" --library-dir "$library" \
    --proxy "http://127.0.0.1:$proxy_port" --ca "$work/tls/ca.pem" --store "$work/store" \
    --events "$art/client.jsonl" --timeout 60 2>"$art/client.err" || status=$?
"$py" -c "import urllib.request,sys; sys.stdout.write(urllib.request.urlopen('http://$control/connections').read().decode())" \
    >"$art/connections.json"

"$py" "$here/check_pairing_run.py" "$art/client.jsonl" "$art/connections.json" "$status"
