#!/bin/sh
# Handshake benchmark: WANoise (release build) beside the Python implementation (noiseprotocol + WA rule),
# measured in the same run on the same machine, printed as a ratio. Nothing is asserted.
# Usage: bench/noise/run.sh [seconds per side]   (needs the oracle venv: scripts/oracle-venv.sh)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-3}
venv=${CRM_WHATSAPP_VENV:-$("$root/scripts/oracle-venv.sh")}

swift build -c release --package-path "$here/NoiseBench" --product NoiseBench >&2
bin=$(swift build -c release --package-path "$here/NoiseBench" --show-bin-path)

ours=$("$bin/NoiseBench" "$seconds")
python=$("$venv/bin/python" "$here/noise_bench.py" "$seconds")
ratio=$(awk -v a="$ours" -v b="$python" 'BEGIN { printf "%.1f", a / b }')
echo "WA Noise handshake (initiator + responder + cert chain verify + 1 frame each way), handshakes/s:"
echo "  WANoise (Swift, release): $ours"
echo "  noiseprotocol (Python):   $python"
echo "  ratio Swift / Python:     ${ratio}x"
