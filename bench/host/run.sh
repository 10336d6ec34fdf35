#!/bin/sh
# Host benchmarks (not run by test.sh): release build of crm-whatsapp-host against a minimal Python
# echo host, both measured in this run. Usage: bench/host/run.sh [--runs N] [--messages N]
set -eu
cd "$(dirname "$0")/../.."
bin=$(scripts/build-host.sh)  # the host as install-host.sh builds it
python=python3
if [ -n "${CRM_WHATSAPP_VENV:-}" ] && [ -x "$CRM_WHATSAPP_VENV/bin/python" ]; then python="$CRM_WHATSAPP_VENV/bin/python"; fi
echo "host: $bin/crm-whatsapp-host ($(du -h "$bin/crm-whatsapp-host" | cut -f1)); baseline: $python bench/host/echo_host.py" >&2
exec "$python" bench/host/bench.py "$bin/crm-whatsapp-host" --python "$python" "$@"
