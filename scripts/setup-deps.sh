#!/bin/sh
# Installs the system packages the project needs, when they are missing.
# Debian/Ubuntu: apt-get (uses sudo when not root). macOS: Homebrew.
# Usage: scripts/setup-deps.sh [build|test]   (test adds the browser and QR tools the tests use)
set -eu
mode=${1:-build}

need_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        echo "Swift 6.1 or later is required: https://www.swift.org/install/" >&2
        exit 1
    fi
}

case "$(uname -s)" in
Linux)
    pkgs="libsodium-dev libqrencode-dev libsqlite3-dev zlib1g-dev pkg-config"
    if [ "$mode" = test ]; then
        pkgs="$pkgs chromium firefox-esr zbar-tools python3-venv nodejs"
    fi
    missing=""
    for p in $pkgs; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
    done
    # python3-venv / nodejs may come from elsewhere (pyenv, nvm): only ask apt if the tool is absent.
    case "$missing" in *python3-venv*) python3 -c 'import venv, ensurepip' 2>/dev/null && missing=$(echo "$missing" | sed 's/ python3-venv//') ;; esac
    case "$missing" in *nodejs*) command -v node >/dev/null 2>&1 && missing=$(echo "$missing" | sed 's/ nodejs//') ;; esac
    if [ -n "$missing" ]; then
        if ! command -v apt-get >/dev/null 2>&1; then
            echo "missing packages:$missing (install them with your package manager)" >&2
            exit 1
        fi
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        echo "installing:$missing" >&2
        $sudo apt-get update -qq
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >&2
    fi
    ;;
Darwin)
    if ! command -v brew >/dev/null 2>&1; then
        echo "Homebrew is required on macOS: https://brew.sh" >&2
        exit 1
    fi
    pkgs="libsodium qrencode sqlite pkg-config"
    [ "$mode" = test ] && pkgs="$pkgs zbar node"
    for p in $pkgs; do
        brew list --versions "$p" >/dev/null 2>&1 || brew install "$p"
    done
    ;;
*)
    echo "unsupported system: $(uname -s)" >&2
    exit 1
    ;;
esac
need_swift
