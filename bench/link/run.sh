#!/bin/sh
# Linking benchmarks (not run by test.sh): release builds of crm-whatsapp-host and wa-sim; our host beside
# whatsmeow (PyPI neonize, from the oracle venv) against the same simulator, in one run.
# Usage: bench/link/run.sh [--runs N]       (see bench/link/README.md)
set -eu
cd "$(dirname "$0")/../.."
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "bench/link: SKIPPED: neonize ships its Go library for Linux x86_64 only" >&2
    exit 0
fi
host_bin=$(scripts/build-host.sh)  # the host as install-host.sh builds it
swift build -c release --product wa-sim >&2
bin=$(swift build -c release --show-bin-path)
venv=${CRM_WHATSAPP_VENV:-$(scripts/oracle-venv.sh)}
echo "host: $host_bin/crm-whatsapp-host ($(du -h "$host_bin/crm-whatsapp-host" | cut -f1)); baseline: whatsmeow via neonize ($venv)" >&2
exec timeout 900 "$venv/bin/python" bench/link/bench.py --host "$host_bin/crm-whatsapp-host" --sim "$bin/wa-sim" \
    --python "$venv/bin/python" "$@"
