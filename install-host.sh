#!/bin/sh
# Installs, removes or checks the CRM WhatsApp native messaging host for your browsers.
#
#   ./install-host.sh [install|uninstall|status] [--user|--system] [--browser NAME]...
#                     [--binary PATH] [--extension-id ID] [--firefox-id ID] [--data-dir DIR]
#                     [--server URL] [--root-key KEY] [--ca-file PEM] [--app-version V] [--reset-server]
#
#   install    builds crm-whatsapp-host (release), copies it to a private folder and registers it
#              with each browser (a host manifest, see host-manifest/). Safe to run again: it repairs.
#   uninstall  removes the manifests and the installed binary. Safe to run again.
#   status     shows, per browser, whether the host is registered and its binary is runnable.
#
#   --user          for you only (default); --system for every user of this computer (needs root)
#   --browser NAME  chrome, chromium, edge, brave, vivaldi, firefox or all; may be repeated.
#                   Default: the browsers installed or used on this computer (status and uninstall: all).
#   --binary PATH   install this already built crm-whatsapp-host instead of building one
#   --extension-id  Chromium extension id (default: extension/EXTENSION_ID)
#   --firefox-id    Firefox add-on id (default: crm-whatsapp@crm-whatsapp.dev)
#   --data-dir DIR  a separate instance keeping its account and settings in DIR (the installed host is
#                   started with CRM_WHATSAPP_DATA_DIR=DIR): the data of other instances is never read
#                   or changed, and the browsers start this one until the next install without it.
#                   Default: CRM_WHATSAPP_DATA_DIR, else $XDG_DATA_HOME/crm-whatsapp (~/.local/share)
#                   on Linux, ~/Library/Application Support/crm-whatsapp on macOS
#   Server settings, written to <data dir>/settings.json (mode 0600) by install; for tests and wa-sim:
#   --server URL    ws:// or wss:// URL of the chat server (default: WhatsApp's)
#   --root-key KEY  the server's 32-byte Noise root public key, 64 hex digits or base64
#   --ca-file PEM   a PEM file of an extra TLS root to trust
#   --app-version V the WhatsApp Web version to announce (e.g. 2.3000.1023102347)
#   --reset-server  remove the server settings: talk to WhatsApp itself again
#
# Honours HOME, XDG_CONFIG_HOME, XDG_DATA_HOME and CRM_WHATSAPP_DATA_DIR. Linux and macOS.
set -eu

HOST_NAME=io.crm_whatsapp.host
BINARY_NAME=crm-whatsapp-host
ALL_BROWSERS="chrome chromium edge brave vivaldi firefox"
root=$(cd "$(dirname "$0")" && pwd)

usage() {
    sed -n '2,34s/^# \{0,1\}//p' "$0" >&2
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
data_dir=""
server_url=""
root_key=""
ca_file=""
app_version=""
reset_server=false

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
    --data-dir)
        [ $# -ge 2 ] || usage
        data_dir=$2
        shift
        ;;
    --server)
        [ $# -ge 2 ] || usage
        server_url=$2
        shift
        ;;
    --root-key)
        [ $# -ge 2 ] || usage
        root_key=$2
        shift
        ;;
    --ca-file)
        [ $# -ge 2 ] || usage
        ca_file=$2
        shift
        ;;
    --app-version)
        [ $# -ge 2 ] || usage
        app_version=$2
        shift
        ;;
    --reset-server) reset_server=true ;;
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

# ---- settings (validated before anything is written) -------------------------------------------

# Values go into JSON and (the data folder) a shell launcher: refuse what would need escaping there.
plain() { case "$1" in *'"'* | *\\* | *"'"* | *'$'* | *'`'*) return 1 ;; esac; printf '%s' "$1" | grep -q '^[[:print:]]*$'; }
absolute() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$(pwd)" "$1" ;; esac; }

if [ -n "$server_url$root_key$ca_file$app_version" ] || [ "$reset_server" = true ]; then
    [ "$action" = install ] || die "--server, --root-key, --ca-file, --app-version and --reset-server go with install"
fi
if [ -n "$server_url" ]; then
    # As the host checks it: wss:// to any host, ws:// only to this machine; no user name or password.
    if ! plain "$server_url" || ! printf '%s' "$server_url" | grep -Eq '^(wss://[^/?#@[:space:]]+|ws://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?)([/?#][^[:space:]]*)?$'; then
        die "invalid --server '$server_url' (wss://host[:port]/path, or ws:// to 127.0.0.1, ::1 or localhost)"
    fi
fi
if [ -n "$root_key" ]; then
    # 64 hex digits, or base64 (standard or URL-safe) of exactly 32 bytes: 43 digits (the last one
    # carrying 4 bits, so one of AEIMQUYcgkosw048) and an optional "=".
    if printf '%s' "$root_key" | grep -Eq '^[0-9A-Fa-f]{64}$'; then
        :
    elif printf '%s' "$root_key" | grep -Eq '^[A-Za-z0-9+/_-]{42}[AEIMQUYcgkosw048]=?$'; then
        :
    else
        die "invalid --root-key (32 bytes: 64 hex digits or base64)"
    fi
fi
if [ -n "$ca_file" ]; then
    ca_file=$(absolute "$ca_file")
    plain "$ca_file" || die "--ca-file path '$ca_file' contains a character (\" \\ ' \$ \`) it cannot have"
    if [ ! -f "$ca_file" ] || [ ! -r "$ca_file" ]; then die "no readable --ca-file at '$ca_file'"; fi
    grep -q -e '-----BEGIN CERTIFICATE-----' "$ca_file" || die "--ca-file '$ca_file' holds no PEM certificate"
fi
if [ -n "$app_version" ]; then
    printf '%s' "$app_version" | grep -Eq '^[0-9]{1,10}(\.[0-9]{1,10}){2,3}$' || die "invalid --app-version '$app_version' (like 2.3000.1023102347)"
fi
if [ -n "$data_dir" ]; then
    data_dir=$(absolute "$data_dir")
    plain "$data_dir" || die "--data-dir '$data_dir' contains a character (\" \\ ' \$ \`) it cannot have"
    custom_data_dir=true
else
    custom_data_dir=false
fi

# ---- where things go (docs/native-messaging.md §1.2, docs/house-style.md §10) ----------------------

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

# Where browsers install themselves outside PATH. CRM_WHATSAPP_APPS_ROOT (tests only) prefixes these paths.
apps_root=${CRM_WHATSAPP_APPS_ROOT:-}

# browser_installed BROWSER: true when the browser's program is on this computer, run or not.
browser_installed() {
    if [ "$os" = Darwin ]; then
        case "$1" in
        chrome) app="Google Chrome" ;;
        chromium) app=Chromium ;;
        edge) app="Microsoft Edge" ;;
        brave) app="Brave Browser" ;;
        vivaldi) app=Vivaldi ;;
        firefox) app=Firefox ;;
        esac
        [ -d "$apps_root/Applications/$app.app" ] || [ -d "$HOME/Applications/$app.app" ]
        return
    fi
    case "$1" in
    chrome) names="google-chrome google-chrome-stable" paths="/opt/google/chrome/chrome" ;;
    chromium) names="chromium chromium-browser" paths="/usr/lib/chromium/chromium /usr/lib/chromium-browser/chromium-browser /snap/bin/chromium" ;;
    edge) names="microsoft-edge microsoft-edge-stable" paths="/opt/microsoft/msedge/msedge" ;;
    brave) names="brave-browser brave-browser-stable brave" paths="/opt/brave.com/brave/brave /snap/bin/brave" ;;
    vivaldi) names="vivaldi vivaldi-stable" paths="/opt/vivaldi/vivaldi" ;;
    firefox) names="firefox firefox-esr" paths="/usr/lib/firefox/firefox /usr/lib/firefox-esr/firefox-esr /opt/firefox/firefox /snap/bin/firefox" ;;
    esac
    for n in $names; do
        if command -v "$n" >/dev/null 2>&1; then return 0; fi
    done
    for p in $paths; do
        if [ -x "$apps_root$p" ]; then return 0; fi
    done
    return 1
}

# browser_present BROWSER: true when the browser is installed, or has been run by this user (--user).
browser_present() {
    browser_installed "$1" && return 0
    [ "$scope" = user ] || return 1
    if [ "$1" = firefox ] && [ "$os" = Linux ]; then
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
# With --data-dir, $installed_binary is a launcher setting CRM_WHATSAPP_DATA_DIR; the program is beside it.
real_binary="$lib_dir/$BINARY_NAME.bin"

# The data folder: --data-dir, else the one the host itself resolves (Sources/Protocol/HostPaths.swift).
if [ -z "$data_dir" ]; then
    if [ -n "${CRM_WHATSAPP_DATA_DIR:-}" ]; then
        case "$CRM_WHATSAPP_DATA_DIR" in /*) data_dir=$CRM_WHATSAPP_DATA_DIR ;; *) die "CRM_WHATSAPP_DATA_DIR must be an absolute path" ;; esac
    elif [ "$action" != install ] && [ -f "$installed_binary" ] && launcher_dir=$(sed -n "s/^CRM_WHATSAPP_DATA_DIR='\(.*\)'\$/\1/p" "$installed_binary" 2>/dev/null) && [ -n "$launcher_dir" ]; then
        data_dir=$launcher_dir # status/uninstall of a --data-dir instance
    elif [ "$os" = Darwin ]; then
        data_dir="$HOME/Library/Application Support/crm-whatsapp"
    else
        case "${XDG_DATA_HOME:-}" in /*) data_dir="$XDG_DATA_HOME/crm-whatsapp" ;; *) data_dir="$HOME/.local/share/crm-whatsapp" ;; esac
    fi
fi
settings_file="$data_dir/settings.json"

# The host path goes into JSON and a sed replacement: refuse characters that would need escaping there.
case "$installed_binary" in
*'"'* | *\\* | *'|'* | *'&'*) die "the install folder '$lib_dir' contains a character (\" \\ | &) that cannot go into a host manifest" ;;
esac

if [ -z "$browsers" ]; then
    if [ "$action" = install ]; then
        for b in $ALL_BROWSERS; do
            if browser_present "$b"; then browsers="$browsers $b"; fi
        done
        [ -n "$browsers" ] || die "no supported browser found on this computer: name one with --browser (e.g. --browser chrome)"
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
    # scripts/build-host.sh: on Linux a self-contained, memory-lean binary (static Swift runtime, packed hot code).
    bin_dir=$("$root/scripts/build-host.sh") || die "the build failed (see above)"
    binary="$bin_dir/$BINARY_NAME"
    built_here=true
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

# json_get KEY FILE: a string member of a flat JSON object (as written by write_settings), or nothing.
json_get() {
    sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$2" 2>/dev/null | head -n 1
}

# write_settings: merges the settings options into $settings_file (0600, folder 0700), atomically.
# A file left with no setting is removed (the host then talks to WhatsApp itself).
write_settings() {
    s_server="" s_key="" s_ca="" s_version=""
    if [ -f "$settings_file" ]; then
        s_server=$(json_get serverURL "$settings_file")
        s_key=$(json_get rootPublicKey "$settings_file")
        s_ca=$(json_get caFile "$settings_file")
        s_version=$(json_get appVersion "$settings_file")
    fi
    if [ "$reset_server" = true ]; then s_server="" s_key="" s_ca=""; fi
    [ -z "$server_url" ] || s_server=$server_url
    [ -z "$root_key" ] || s_key=$root_key
    [ -z "$ca_file" ] || s_ca=$ca_file
    [ -z "$app_version" ] || s_version=$app_version
    if [ -z "$s_server$s_key$s_ca$s_version" ]; then
        rm -f "$settings_file"
        echo "Settings: none (the host talks to WhatsApp itself)"
        return
    fi
    body=""
    for pair in "serverURL=$s_server" "rootPublicKey=$s_key" "caFile=$s_ca" "appVersion=$s_version"; do
        [ -n "${pair#*=}" ] || continue
        body="$body${body:+,
}  \"${pair%%=*}\": \"${pair#*=}\""
    done
    tmp="$data_dir/.settings.json.$$"
    (umask 077 && printf '{\n%s\n}\n' "$body" >"$tmp")
    chmod 600 "$tmp"
    mv -f "$tmp" "$settings_file"
    echo "Settings: $settings_file${s_server:+ (server $s_server)}"
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
    if [ "$custom_data_dir" = true ]; then
        program=$real_binary
    else
        program=$installed_binary
    fi
    if [ "$binary" != "$program" ]; then
        tmp="$lib_dir/.$BINARY_NAME.$$"
        cp "$binary" "$tmp"
        # A host built here loses its debug info (the build folder keeps it; symbols stay for readable
        # backtraces): on Linux about 90 MB → 43 MB. -S means the same to GNU and Apple strip. A --binary is
        # installed as given.
        if [ "${built_here:-false}" = true ] && command -v strip >/dev/null 2>&1; then
            strip -S "$tmp" 2>/dev/null || cp "$binary" "$tmp"
        fi
        chmod 755 "$tmp"
        mv -f "$tmp" "$program" # atomic: a running host keeps its old file
    fi
    if [ "$custom_data_dir" = true ]; then
        # The browser starts the host with no way to pass it an environment: a launcher does.
        tmp="$lib_dir/.$BINARY_NAME.launcher.$$"
        {
            echo "#!/bin/sh"
            echo "# Written by install-host.sh --data-dir: this instance keeps its account and settings there."
            echo "CRM_WHATSAPP_DATA_DIR='$data_dir'"
            echo "export CRM_WHATSAPP_DATA_DIR"
            echo "exec '$real_binary' \"\$@\""
        } >"$tmp"
        chmod 755 "$tmp"
        mv -f "$tmp" "$installed_binary"
    else
        rm -f "$real_binary"
    fi
    echo "Installed $BINARY_NAME ${version:+$version }to $installed_binary"
    if [ "$custom_data_dir" = true ] || [ -n "$server_url$root_key$ca_file$app_version" ] || [ "$reset_server" = true ]; then
        mkdir -p "$data_dir"
        chmod 700 "$data_dir"
        echo "Data:     $data_dir"
    fi
    if [ -n "$server_url$root_key$ca_file$app_version" ] || [ "$reset_server" = true ]; then
        write_settings
    fi

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
    rm -f "$installed_binary" "$real_binary"
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
    echo "Data:   $data_dir"
    if [ -f "$settings_file" ]; then
        server=$(json_get serverURL "$settings_file")
        echo "Settings: $settings_file (server: ${server:-WhatsApp})"
    else
        echo "Settings: none (server: WhatsApp)"
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
