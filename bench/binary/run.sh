#!/bin/sh
# Binary node encode/decode throughput: our WABinary (optimized build) beside pyaileys' wabinary, same
# frames, same run (docs/performance-targets.md §1: target >= 50x the Python codec, >= 150 MB/s).
# Usage: bench/binary/run.sh [seconds-per-measurement]   (needs the oracle venv: CRM_WHATSAPP_VENV or
# scripts/oracle-venv.sh)
set -eu
cd "$(dirname "$0")/../.."
seconds=${1:-3}
venv=${CRM_WHATSAPP_VENV:-$(scripts/oracle-venv.sh)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One optimized module: WABinary's sources plus the benchmark main (WMO, -O), zlib from the system.
# Built from inside the scratch directory so no compiler by-products land in the checkout.
root=$(pwd)
(cd "$work" && swiftc -O -wmo -module-name BinaryBench -I "$root/Sources/CZlib" -lz \
    "$root"/Sources/WABinary/*.swift "$root/bench/binary/main.swift" -o "$work/binary-bench") >&2
[ -x "$work/binary-bench" ] || { echo "bench build failed" >&2; exit 1; }

swift_json=$("$work/binary-bench" "$work/corpus.txt" "$seconds")
python_json=$("$venv/bin/python" bench/binary/baseline.py "$work/corpus.txt" "$seconds")
"$venv/bin/python" - "$swift_json" "$python_json" <<'PY'
import json, sys
ours, base = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"binary nodes: {ours['nodes']} realistic nodes, {ours['bytes']} bytes per pass")
for op in ("encode", "decode"):
    a, b = ours[f"{op}_MBps"], base[f"{op}_MBps"]
    ratio = a / b
    met = "met" if ratio >= 50 and a >= 150 else "NOT met"
    print(f"  {op}: WABinary {a:8.1f} MB/s | pyaileys {b:6.2f} MB/s | ratio {ratio:6.1f}x | target >=50x and >=150 MB/s: {met}")
PY
