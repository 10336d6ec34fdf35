#!/bin/sh
# Host benchmarks (not run by test.sh): release build of crm-whatsapp-host against a minimal Python
# echo host, both measured in this run. Usage: bench/host/run.sh [--runs N] [--messages N]
set -eu
cd "$(dirname "$0")/../.."
bin=$(scripts/build-host.sh)  # the host as install-host.sh builds it
python=python3
if [ -n "${CRM_WHATSAPP_VENV:-}" ] && [ -x "$CRM_WHATSAPP_VENV/bin/python" ]; then python="$CRM_WHATSAPP_VENV/bin/python"; fi
echo "host: $bin/crm-whatsapp-host ($(du -h "$bin/crm-whatsapp-host" | cut -f1)); baseline: $python bench/host/echo_host.py" >&2
"$python" bench/host/bench.py "$bin/crm-whatsapp-host" --python "$python" "$@"
# Binary size (docs/performance-targets.md §1: stripped ≤ 20 MB; no baseline). On Linux the figure includes the
# Swift runtime, which the dynamic build needs beside it (docs/performance-targets.md §4).
stripped=$(mktemp)
trap 'rm -f "$stripped"' EXIT
if strip -o "$stripped" "$bin/crm-whatsapp-host" 2>/dev/null; then
    bytes=$(wc -c < "$stripped")
    verdict="NOT MET"
    [ "$bytes" -le 20000000 ] && verdict=MET
    printf '%-38s %10.1f MB       (no baseline)                  target %-28s %s\n' \
        "release binary, stripped" "$(echo "$bytes" | awk '{print $1 / 1000000}')" "<= 20 MB" "$verdict"
fi
