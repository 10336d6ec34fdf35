#!/bin/sh
# Signal benchmarks: Swift (release) beside python-axolotl and beside the ceilings computed from the
# public-key primitives' own rates, all measured in the same run (docs/performance-targets.md, "The ceiling of the
# Signal benchmarks"). Usage: bench/signal/run.sh   (CRM_WHATSAPP_VENV optional)
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
t_agree, t_keygen, t_verify = 1 / ours["agree"], 1 / ours["keygen"], 1 / ours["verify"]
print("primitives (same run): swift-crypto X25519 agreement %.0f/s, key generation %.0f/s; XEdDSA verify %.0f/s"
      % (ours["agree"], ours["keygen"], ours["verify"]))
# key: (label, ceiling ops/s or None, minimum share of the ceiling, minimum ratio to axolotl, minimum ops/s)
lines = [
    ("messages", "1:1 enc+dec 100 B, alternating", 1 / (2 * t_agree + t_keygen), 0.75, 10, None),
    ("one_direction", "1:1 enc+dec 100 B, one direction", None, None, 30, 100_000),
    ("setups", "session setup, both sides", 1 / (2 * t_keygen + 10 * t_agree + t_verify), 0.75, None, None),
    ("sign", "XEdDSA sign", None, None, 1, None),
    ("verify", "XEdDSA verify", None, None, 1, None),
]
print(f"{'benchmark':34} {'swift/s':>9} {'ceiling/s':>9} {'share':>6} {'axolotl/s':>9} {'ratio':>7}  target")
for key, label, ceiling, share_min, ratio_min, abs_min in lines:
    figure, base = ours[key], theirs[key]
    ratio = figure / base
    wanted, met = [], True
    if share_min is not None:
        wanted.append(f">= {share_min:.0%} of ceiling"); met = met and figure >= share_min * ceiling
    if ratio_min is not None:
        wanted.append(f">= {ratio_min}x axolotl"); met = met and ratio >= ratio_min
    if abs_min is not None:
        wanted.append(f">= {abs_min}/s"); met = met and figure >= abs_min
    ceiling_text = f"{ceiling:9.0f} {figure / ceiling:6.0%}" if ceiling else f"{'-':>9} {'-':>6}"
    print(f"{label:34} {figure:9.0f} {ceiling_text} {base:9.0f} {ratio:6.1f}x  "
          f"{' and '.join(wanted)}: {'met' if met else 'NOT met'}")
PY
