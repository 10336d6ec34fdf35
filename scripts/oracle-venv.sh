#!/bin/sh
# Creates (or reuses) the Python venv holding the independent test oracles, in a cache directory
# outside the repository, keyed by the requirements file so a change makes a fresh one.
# Prints the venv path on stdout. Usage: VENV=$(scripts/oracle-venv.sh)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
req="$root/tests/oracles/requirements.txt"
cache=${CRM_WHATSAPP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/crm-whatsapp}
key=$(cksum <"$req" | cut -d' ' -f1)
venv="$cache/venv-$key"
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.complete" ]; then
    mkdir -p "$cache"
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/python" -m pip install -q --upgrade pip >&2
    "$venv/bin/python" -m pip install -q -r "$req" >&2
    touch "$venv/.complete"
fi
echo "$venv"
