#!/bin/sh
# Unit tests of the extension's pure modules (node --test), plus a syntax check of every script.
set -eu
cd "$(dirname "$0")/../.."
if ! command -v node >/dev/null 2>&1; then
    echo "30-extension-unit: node is required (scripts/setup-deps.sh test installs it)" >&2
    exit 1
fi
for f in $(find extension -name '*.js' | sort); do
    node --check "$f"
done
node --test tests/extension/*.test.js
