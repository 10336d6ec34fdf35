#!/bin/sh
# Installs, removes or checks the CRM WhatsApp native messaging host for your browsers.
#
#   ./install-host.sh [install|uninstall|status] [--user|--system] [--browser NAME]...
#                     [--binary PATH] [--extension-id ID] [--firefox-id ID]
#
#   install    builds crm-whatsapp-host (release), copies it to a private folder and registers it
#              with each browser (a host manifest, see host-manifest/). Safe to run again: it repairs.
#   uninstall  removes the manifests and the installed binary. Safe to run again.
#   status     shows, per browser, whether the host is registered and its binary is runnable.
#
#   --user          for you only (default); --system for every user of this computer (needs root)
#   --browser NAME  chrome, chromium, edge, brave, vivaldi, firefox or all; may be repeated.
#                   Default: the browsers found on this computer (status and uninstall: all).
#   --binary PATH   install this already built crm-whatsapp-host instead of building one
#   --extension-id  Chromium extension id (default: extension/EXTENSION_ID)
#   --firefox-id    Firefox add-on id (default: crm-whatsapp@crm-whatsapp.dev)
#
# Honours HOME and XDG_CONFIG_HOME. Linux and macOS.
set -eu

HOST_NAME=io.crm_whatsapp.host
BINARY_NAME=crm-whatsapp-host
ALL_BROWSERS="chrome chromium edge brave vivaldi firefox"
root=$(cd "$(dirname "$0")" && pwd)

usage() {
    sed -n '2,19s/^# \{0,1\}//p' "$0" >&2
    exit "${1:-2}"
}

die() {
    echo "install-host.sh: $*" >&2
    exit 1
}

# ---- arguments --------------------------------------------------------------------------------

action=install
scope=user
browsers=""
binary=""
extension_id=""
firefox_id=crm-whatsapp@crm-whatsapp.dev

while [ $# -gt 0 ]; do
    case "$1" in
    install | uninstall | status) action=$1 ;;
    --user) scope=user ;;
    --system) scope=system ;;
    --browser)
        [ $# -ge 2 ] || usage
        case "$2" in
        all) browsers=$ALL_BROWSERS ;;
        chrome | chromium | edge | brave | vivaldi | firefox) browsers="$browsers $2" ;;
        *) die "unknown browser '$2' (chrome, chromium, edge, brave, vivaldi, firefox or all)" ;;
        esac
        shift
        ;;
    --binary)
        [ $# -ge 2 ] || usage
        binary=$2
        shift
        ;;
    --extension-id)
        [ $# -ge 2 ] || usage
        extension_id=$2
        shift
        ;;
    --firefox-id)
        [ $# -ge 2 ] || usage
        firefox_id=$2
        shift
        ;;
    -h | --help) usage 0 ;;
    *) echo "install-host.sh: unknown argument '$1'" >&2 && usage ;;
    esac
    shift
done

[ -n "${HOME:-}" ] || die "HOME is not set"
case "$HOME" in /*) ;; *) die "HOME must be an absolute path (it is '$HOME')" ;; esac

os=$(uname -s)
case "$os" in
Linux | Darwin) ;;
*) die "unsupported system '$os': Linux and macOS only (on Windows, register the host in the registry by hand)" ;;
esac

if [ "$scope" = system ] && [ "$(id -u)" -ne 0 ]; then
    die "--system writes to system folders: run it with sudo, or use --user"
fi

if [ -z "$extension_id" ]; then
    [ -r "$root/extension/EXTENSION_ID" ] || die "extension/EXTENSION_ID is missing: pass --extension-id"
    extension_id=$(tr -d ' \n\r' <"$root/extension/EXTENSION_ID")
fi
# Chromium ids are 32 letters a-p (docs/native-messaging.md §1.2); no wildcards.
printf '%s' "$extension_id" | grep -Eq '^[a-p]{32}$' || die "invalid extension id '$extension_id' (32 letters a-p)"
printf '%s' "$firefox_id" | grep -Eq '^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+$' || die "invalid Firefox add-on id '$firefox_id'"

# ---- where things go (docs/native-messaging.md §1.2, docs/house-style.md §10) -----------

config_home=${XDG_CONFIG_HOME:-$HOME/.config}

# manifest_dir BROWSER: the folder the browser reads host manifests from, for this scope and system.
manifest_dir() {
    if [ "$os" = Darwin ]; then
        support="$HOME/Library/Application Support"
        if [ "$scope" = user ]; then
            case "$1" in
            chrome) echo "$support/Google/Chrome/NativeMessagingHosts" ;;
            chromium) echo "$support/Chromium/NativeMessagingHosts" ;;
            edge) echo "$support/Microsoft Edge/NativeMessagingHosts" ;;
            brave) echo "$support/BraveSoftware/Brave-Browser/NativeMessagingHosts" ;;
            vivaldi) echo "$support/Vivaldi/NativeMessagingHosts" ;;
            firefox) echo "$support/Mozilla/NativeMessagingHosts" ;;
            esac
        else
            case "$1" in
            chrome | brave) echo "/Library/Google/Chrome/NativeMessagingHosts" ;;
            chromium) echo "/Library/Application Support/Chromium/NativeMessagingHosts" ;;
            edge) echo "/Library/Microsoft/Edge/NativeMessagingHosts" ;;
            vivaldi) echo "/Library/Application Support/Vivaldi/NativeMessagingHosts" ;;
            firefox) echo "/Library/Application Support/Mozilla/NativeMessagingHosts" ;;
            esac
        fi
    else
        if [ "$scope" = user ]; then
            case "$1" in
            chrome) echo "$config_home/google-chrome/NativeMessagingHosts" ;;
            chromium) echo "$config_home/chromium/NativeMessagingHosts" ;;
            edge) echo "$config_home/microsoft-edge/NativeMessagingHosts" ;;
            brave) echo "$config_home/BraveSoftware/Brave-Browser/NativeMessagingHosts" ;;
            vivaldi) echo "$config_home/vivaldi/NativeMessagingHosts" ;;
            firefox) echo "$HOME/.mozilla/native-messaging-hosts" ;;
            esac
        else
            case "$1" in
            chrome | brave) echo "/etc/opt/chrome/native-messaging-hosts" ;;
            chromium) echo "/etc/chromium/native-messaging-hosts" ;;
            edge) echo "/etc/opt/edge/native-messaging-hosts" ;;
            vivaldi) echo "/etc/opt/vivaldi/native-messaging-hosts" ;;
            firefox) echo "/usr/lib/mozilla/native-messaging-hosts" ;;
            esac
        fi
    fi
}

# browser_present BROWSER: true when the browser has been run by this user (or is installed, for --system).
browser_present() {
    if [ "$scope" = system ]; then
        case "$1" in
        chrome) command -v google-chrome >/dev/null 2>&1 || [ -d /opt/google/chrome ] || [ -d "/Applications/Google Chrome.app" ] ;;
        chromium) command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || [ -d /Applications/Chromium.app ] ;;
        edge) command -v microsoft-edge >/dev/null 2>&1 || [ -d "/Applications/Microsoft Edge.app" ] ;;
        brave) command -v brave-browser >/dev/null 2>&1 || [ -d "/Applications/Brave Browser.app" ] ;;
        vivaldi) command -v vivaldi >/dev/null 2>&1 || [ -d /Applications/Vivaldi.app ] ;;
        firefox) command -v firefox >/dev/null 2>&1 || command -v firefox-esr >/dev/null 2>&1 || [ -d /Applications/Firefox.app ] ;;
        esac
    elif [ "$1" = firefox ] && [ "$os" = Linux ]; then
        [ -d "$HOME/.mozilla/firefox" ]
    elif [ "$1" = firefox ]; then
        [ -d "$HOME/Library/Application Support/Firefox/Profiles" ]
    else
        # Every Chromium-family profile folder has a "Local State" file once the browser has run.
        [ -f "$(dirname "$(manifest_dir "$1")")/Local State" ]
    fi
}

# Where the binary itself is installed.
if [ "$os" = Darwin ]; then
    if [ "$scope" = user ]; then lib_dir="$HOME/Library/Application Support/crm-whatsapp"; else lib_dir="/Library/Application Support/crm-whatsapp"; fi
else
    if [ "$scope" = user ]; then lib_dir="$HOME/.local/lib/crm-whatsapp"; else lib_dir="/usr/local/lib/crm-whatsapp"; fi
fi
installed_binary="$lib_dir/$BINARY_NAME"

# The host path goes into JSON and a sed replacement: refuse characters that would need escaping there.
case "$installed_binary" in
*'"'* | *\\* | *'|'* | *'&'*) die "the install folder '$lib_dir' contains a character (\" \\ | &) that cannot go into a host manifest" ;;
esac

if [ -z "$browsers" ]; then
    if [ "$action" = install ]; then
        for b in $ALL_BROWSERS; do
            if browser_present "$b"; then browsers="$browsers $b"; fi
        done
        [ -n "$browsers" ] || die "no supported browser found for this user: name one with --browser (e.g. --browser chrome)"
    else
        browsers=$ALL_BROWSERS
    fi
fi

# manifest_path BROWSER
manifest_path() {
    echo "$(manifest_dir "$1")/$HOST_NAME.json"
}

# manifest_host_path FILE: the "path" a manifest points at (empty if unreadable).
manifest_host_path() {
    sed -n 's/^[[:space:]]*"path"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$1" 2>/dev/null | head -n 1
}

# ---- install ----------------------------------------------------------------------------------

build_binary() {
    echo "Building $BINARY_NAME (release; the first build takes about 10 minutes)…" >&2
    if ! command -v swift >/dev/null 2>&1; then
        die "Swift is required to build the host: https://www.swift.org/install/ (or pass --binary PATH)"
    fi
    "$root/scripts/setup-deps.sh" build || die "missing system packages: run scripts/setup-deps.sh build (it uses sudo apt-get or brew)"
    (cd "$root" && swift build -c release --product "$BINARY_NAME" >&2) || die "the build failed (see above)"
    bin_dir=$(cd "$root" && swift build -c release --show-bin-path)
    binary="$bin_dir/$BINARY_NAME"
}

# render TEMPLATE DEST: fills the placeholders, writes DEST atomically (temp file + mv), mode 644.
render() {
    dest_dir=$(dirname "$2")
    tmp="$dest_dir/.$HOST_NAME.json.$$"
    sed -e "s|@HOST_PATH@|$installed_binary|g" \
        -e "s|@EXTENSION_ID@|$extension_id|g" \
        -e "s|@FIREFOX_ID@|$firefox_id|g" "$1" >"$tmp"
    chmod 644 "$tmp"
    mv -f "$tmp" "$2"
}

do_install() {
    if [ -n "$binary" ]; then
        case "$binary" in /*) ;; *) binary="$(pwd)/$binary" ;; esac
    else
        build_binary
    fi
    [ -f "$binary" ] || die "no host binary at '$binary'"
    [ -x "$binary" ] || die "'$binary' is not executable"
    # Run it once: a binary that cannot start here (missing shared libraries...) is caught before installing.
    if ! version=$("$binary" --version 2>&1); then
        die "$binary does not run on this computer: $version (run scripts/setup-deps.sh build)"
    fi

    mkdir -p "$lib_dir"
    if [ "$binary" != "$installed_binary" ]; then
        tmp="$lib_dir/.$BINARY_NAME.$$"
        cp "$binary" "$tmp"
        chmod 755 "$tmp"
        mv -f "$tmp" "$installed_binary" # atomic: a running host keeps its old file
    fi
    echo "Installed $BINARY_NAME ${version:+$version }to $installed_binary"

    echo
    echo "Browser    Manifest"
    for b in $browsers; do
        dir=$(manifest_dir "$b")
        mkdir -p "$dir"
        if [ "$b" = firefox ]; then
            render "$root/host-manifest/$HOST_NAME.firefox.json.in" "$dir/$HOST_NAME.json"
        else
            render "$root/host-manifest/$HOST_NAME.chromium.json.in" "$dir/$HOST_NAME.json"
        fi
        printf '%-10s installed  %s\n' "$b" "$dir/$HOST_NAME.json"
    done
    echo
    echo "Next step: load the extension. Open chrome://extensions (edge://extensions, brave://extensions…),"
    echo "turn on Developer mode, choose \"Load unpacked\" and pick the folder:"
    echo "    $root/extension"
    echo "Then click the CRM WhatsApp icon in the toolbar; the helper app should show as connected."
}

# ---- uninstall --------------------------------------------------------------------------------

do_uninstall() {
    echo "Browser    Manifest"
    for b in $browsers; do
        file=$(manifest_path "$b")
        if [ -e "$file" ]; then
            rm -f "$file"
            printf '%-10s removed    %s\n' "$b" "$file"
        else
            printf '%-10s absent     %s\n' "$b" "$file"
        fi
    done
    rm -f "$installed_binary"
    rmdir "$lib_dir" 2>/dev/null || true
    echo
    echo "Removed $installed_binary (your linked WhatsApp data, if any, is left in place)."
}

# ---- status -----------------------------------------------------------------------------------

do_status() {
    problems=0
    echo "Browser    State          Manifest"
    for b in $browsers; do
        file=$(manifest_path "$b")
        if [ ! -e "$file" ]; then
            printf '%-10s not installed  %s\n' "$b" "$file"
            continue
        fi
        path=$(manifest_host_path "$file")
        if [ -z "$path" ]; then
            printf '%-10s BROKEN         %s (no "path")\n' "$b" "$file"
            problems=$((problems + 1))
        elif [ ! -x "$path" ]; then
            printf '%-10s BROKEN         %s (binary missing: %s)\n' "$b" "$file" "$path"
            problems=$((problems + 1))
        elif ! grep -qF -e "$extension_id" -e "$firefox_id" "$file"; then
            printf '%-10s OTHER ID       %s (does not allow this extension)\n' "$b" "$file"
            problems=$((problems + 1))
        else
            printf '%-10s installed      %s\n' "$b" "$file"
        fi
    done
    echo
    if [ -x "$installed_binary" ]; then
        if version=$("$installed_binary" --version 2>&1); then
            echo "Binary: $installed_binary${version:+ (version $version)}"
        else
            echo "Binary: $installed_binary DOES NOT RUN: $version" >&2
            problems=$((problems + 1))
        fi
    else
        echo "Binary: not installed ($installed_binary)"
    fi
    if [ "$problems" -gt 0 ]; then
        echo "Run ./install-host.sh install to repair." >&2
        return 1
    fi
}

case "$action" in
install) do_install ;;
uninstall) do_uninstall ;;
status) do_status ;;
esac
