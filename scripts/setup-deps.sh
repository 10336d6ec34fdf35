#!/bin/sh
# Installs the system packages the project needs, when they are missing.
# Debian/Ubuntu: apt-get (uses sudo when not root). macOS: Homebrew.
# Usage: scripts/setup-deps.sh [build|test|bench]
#   build  what `swift build` needs: git (SwiftPM fetches the dependencies with it), pkg-config and the
#          C libraries of the system-library targets (libsodium, libqrencode, sqlite3, zlib).
#   test   build + every tool a test suite (tests/suites/*.sh) or a benchmark (bench/*/run.sh) runs:
#            the shellcheck linter   35-install-host (the installer and the suites are shellcheck-clean)
#            node                    30-extension-unit (node --check, node --test)
#            python3, venv, gcc,     the oracle venv (scripts/oracle-venv.sh): python-axolotl-curve25519
#              Python headers          is built from source on install
#            chromium                40-e2e-chromium
#            firefox-esr             45-e2e-firefox (skipped with a notice when it cannot be had)
#            zbarimg                 reading the linking QR code back from its PNG
#            libmagic                python-magic in the oracle venv, which neonize imports (20, 60)
#          clang, lld and libFuzzer (50-fuzz) come with the Swift toolchain.
#   bench  test + valgrind (callgrind instruction counts for before/after figures of bench/*; Linux only).
# A tool that is on PATH already (from pyenv, nvm, another package...) is not installed again.
# CRM_WHATSAPP_SETUP_DRY_RUN=1: print the packages that would be installed, install nothing.
# A package the system cannot provide is reported as a NOTICE; the suite needing it says so when it runs.
set -eu
mode=${1:-build}
case "$mode" in build | test | bench) ;; *) echo "usage: scripts/setup-deps.sh [build|test|bench]" >&2 && exit 2 ;; esac

has() { command -v "$1" >/dev/null 2>&1; }

need_swift() {
    if ! has swift; then
        echo "Swift 6.1 or later is required: https://www.swift.org/install/" >&2
        exit 1
    fi
}

# Prints the Debian packages this machine lacks, one "package" per needed tool.
debian_missing() {
    installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
    # Libraries and headers: only the package can tell.
    for p in libsodium-dev libqrencode-dev libsqlite3-dev zlib1g-dev; do
        installed "$p" || echo "$p"
    done
    has pkg-config || installed pkg-config || echo pkg-config
    has git || echo git
    [ "$mode" != build ] || return 0
    if [ "$mode" = bench ]; then has valgrind || echo valgrind; fi
    has shellcheck || echo shellcheck
    has node || echo nodejs
    has python3 || echo python3
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then echo python3-venv; fi
    # Python.h for the oracle venv's C extension (python-axolotl-curve25519 ships no wheel).
    inc=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null || true)
    if [ -z "$inc" ] || [ ! -f "$inc/Python.h" ]; then echo python3-dev; fi
    has cc || has gcc || echo gcc
    if ! has chromium && ! has chromium-browser && [ ! -x /usr/lib/chromium/chromium ]; then echo chromium; fi
    has firefox-esr || has firefox || echo firefox-esr
    has zbarimg || echo zbar-tools
    installed libmagic1 || echo libmagic1
}

case "$(uname -s)" in
Linux)
    missing=$(debian_missing | tr '\n' ' ')
    if [ "${CRM_WHATSAPP_SETUP_DRY_RUN:-0}" = 1 ]; then
        echo "would install: $missing"
        exit 0
    fi
    if [ -n "$missing" ]; then
        if ! has apt-get; then
            echo "missing packages: $missing(Debian names; install them with your package manager)" >&2
            exit 1
        fi
        sudo=""
        if [ "$(id -u)" -ne 0 ]; then
            has sudo || { echo "missing packages: $missing(run this script as root, or install sudo)" >&2; exit 1; }
            sudo="sudo"
        fi
        $sudo apt-get update -qq >&2
        # Install what the archive has; name what it lacks (e.g. firefox-esr on Ubuntu, where it is a snap).
        available=""
        for p in $missing; do
            candidate=$(apt-cache policy "$p" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
            if [ -n "$candidate" ] && [ "$candidate" != "(none)" ]; then
                available="$available $p"
            else
                echo "NOTICE: package $p is not available from apt here; the checks needing it will say so" >&2
            fi
        done
        if [ -n "$available" ]; then
            echo "installing:$available" >&2
            # shellcheck disable=SC2086 # a list of package names
            DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $available >&2
        fi
    fi
    ;;
Darwin)
    if ! has brew; then
        echo "Homebrew is required on macOS: https://brew.sh" >&2
        exit 1
    fi
    pkgs="libsodium qrencode sqlite pkg-config"
    has git || pkgs="$pkgs git"
    if [ "$mode" = bench ]; then echo "NOTICE: valgrind does not run on current macOS; use bench timings there" >&2; fi
    if [ "$mode" != build ]; then
        pkgs="$pkgs zbar libmagic"
        has node || pkgs="$pkgs node"
        has shellcheck || pkgs="$pkgs shellcheck"
        python3 -c 'import venv, ensurepip' 2>/dev/null || pkgs="$pkgs python"
    fi
    for p in $pkgs; do
        brew list --versions "$p" >/dev/null 2>&1 || brew install "$p" >&2
    done
    if [ "$mode" != build ]; then
        if [ ! -d /Applications/Chromium.app ] && [ ! -d "/Applications/Google Chrome.app" ]; then
            brew install --cask chromium >&2 || echo "NOTICE: could not install Chromium; 40-e2e-chromium needs it (or CRM_WHATSAPP_CHROMIUM)" >&2
        fi
        if [ ! -d /Applications/Firefox.app ]; then
            brew install --cask firefox >&2 || echo "NOTICE: could not install Firefox; 45-e2e-firefox will be skipped" >&2
        fi
    fi
    ;;
*)
    echo "unsupported system: $(uname -s)" >&2
    exit 1
    ;;
esac
need_swift
