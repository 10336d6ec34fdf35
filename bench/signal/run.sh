#!/bin/sh
# Signal benchmarks: Swift (release) beside python-axolotl, same run, printed as ratios against the targets
# of docs/performance-targets.md §1 (ceilings: §2). Usage: bench/signal/run.sh   (CRM_WHATSAPP_VENV optional)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=${CRM_WHATSAPP_VENV:-$("$root/scripts/oracle-venv.sh")}
swift build -c release --package-path "$here/signal-bench" --product SignalBench >&2
swift_json=$("$(swift build -c release --package-path "$here/signal-bench" --show-bin-path)/SignalBench")
python_json=$("$venv/bin/python" "$here/axolotl_bench.py")
"$venv/bin/python" - "$swift_json" "$python_json" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
targets = {  # docs/performance-targets.md §1: (minimum ratio, minimum absolute ops/s)
    "messages": (50, 50_000), "setups": (None, 10_000), "sign": (1, None), "verify": (1, None)}
labels = {"messages": "1:1 encrypt+decrypt, 100 B, alternating", "setups": "session setup (X3DH + first message)",
          "sign": "XEdDSA sign", "verify": "XEdDSA verify"}
print(f"{'benchmark':42} {'swift/s':>11} {'axolotl/s':>11} {'ratio':>8}  target")
for key in ["messages", "setups", "sign", "verify"]:
    ratio = ours[key] / theirs[key]
    minimum_ratio, minimum_abs = targets[key]
    wanted, met = [], True
    if minimum_ratio is not None:
        wanted.append(f">= {minimum_ratio}x"); met = met and ratio >= minimum_ratio
    if minimum_abs is not None:
        wanted.append(f">= {minimum_abs}/s"); met = met and ours[key] >= minimum_abs
    print(f"{labels[key]:42} {ours[key]:11.0f} {theirs[key]:11.0f} {ratio:7.1f}x  {' and '.join(wanted)}: {'met' if met else 'NOT met'}")
PY
