#!/bin/sh
# WANoise against an independent implementation (docs/test-oracles.md §4): noiseprotocol with WhatsApp's rule
# and python-axolotl-curve25519 certificates (tests/oracles/noise_wa_oracle.py), both directions:
#   - the oracle responder completes a handshake and transport exchange with our initiator;
#   - the oracle initiator (which also verifies our certificate chain) completes one with our responder;
#   - a spec-exact Noise responder (no WA rule) fails against our initiator, as WhatsApp's variant requires.
# The Swift side is the NoiseOracleTests suite, run here with the venv set.
set -eu
cd "$(dirname "$0")/../.."
: "${CRM_WHATSAPP_VENV:=$(scripts/oracle-venv.sh)}"
export CRM_WHATSAPP_VENV
"$CRM_WHATSAPP_VENV/bin/python" -c "import noise, axolotl_curve25519" || {
    echo "22-noise-oracle: the oracle venv lacks noiseprotocol/python-axolotl-curve25519" >&2
    exit 1
}
out=$(swift test --skip-build --filter NoiseOracleTests 2>&1) || { echo "$out" >&2; exit 1; }
echo "$out" | tail -n 5 >&2
# A skipped or empty suite must not count as a pass.
if echo "$out" | grep -q "skipped" || ! echo "$out" | grep -q "Suite NoiseOracleTests passed"; then
    echo "22-noise-oracle: NoiseOracleTests did not run" >&2
    exit 1
fi
echo "22-noise-oracle: OK" >&2
