#!/bin/sh
# WABinary and WAProto against independent implementations (docs/test-oracles.md §1, §2, §6):
# the Swift oracle tests drive tests/oracles/binary_oracle.py (pyaileys) and proto_oracle.py (neonize)
# with the venv, then the token tables are checked against pyaileys' own copy.
set -eu
cd "$(dirname "$0")/../.."
: "${CRM_WHATSAPP_VENV:?CRM_WHATSAPP_VENV must point at the oracle venv (scripts/oracle-venv.sh)}"
export CRM_WHATSAPP_VENV
export SWIFT_BACKTRACE=enable=no

echo "-- Swift oracle tests (pyaileys wabinary, neonize protobuf schemas)" >&2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
swift test --skip-build --filter 'BinaryNodeOracleTests|WAProtoOracleTests' 2>&1 | tee "$out" >&2
# A skipped suite would also "pass": require that both tests really ran.
grep -q 'Test framesAgreeWithPyaileysInBothDirections() passed' "$out"
grep -q 'Test messagesAgreeWithNeonizeInBothDirections() passed' "$out"

echo "-- token tables: generated Swift vs pyaileys" >&2
"$CRM_WHATSAPP_VENV/bin/python" tests/oracles/binary_tokens_check.py
