#!/bin/sh
# install-host.sh in a temporary HOME: install with --binary, status, repair, idempotency, uninstall,
# browser detection (profile folders and executables, with fake browsers on a private PATH), the
# settings file (--server, --root-key, --ca-file, --app-version, --reset-server, --data-dir), argument
# validation, and shellcheck. Touches nothing outside its temp folder.
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1" >&2; }
check() { # check NAME COMMAND...
    name=$1
    shift
    if "$@" >"$tmp/out" 2>&1; then ok "$name"; else fail "$name"; sed 's/^/     /' "$tmp/out" >&2; fi
}
check_fails() { # check_fails NAME PATTERN COMMAND...: the command fails and says PATTERN
    name=$1
    pattern=$2
    shift 2
    if "$@" >"$tmp/out" 2>&1; then fail "$name (succeeded)"; elif grep -q -e "$pattern" "$tmp/out"; then ok "$name"; else fail "$name (said: $(cat "$tmp/out"))"; fi
}

# scripts/setup-deps.sh on a machine that has only Swift: with a PATH of basic tools and no browser,
# node, shellcheck or zbarimg, it names every package the suites need (a dry run installs nothing).
if [ "$(uname -s)" = Linux ] && command -v dpkg-query >/dev/null 2>&1; then
    mkdir -p "$tmp/basebin"
    for tool in sh sed grep tr cat id uname dpkg-query dirname; do ln -s "$(command -v "$tool")" "$tmp/basebin/$tool"; done
    env PATH="$tmp/basebin" CRM_WHATSAPP_SETUP_DRY_RUN=1 scripts/setup-deps.sh test >"$tmp/deps" 2>&1 || true
    wanted="git shellcheck nodejs python3 python3-venv firefox-esr zbar-tools"
    [ -x /usr/lib/chromium/chromium ] || wanted="$wanted chromium" # found by its path, not PATH
    for p in $wanted; do
        check "setup-deps installs $p on a bare machine" grep -q " $p " "$tmp/deps"
    done
    env PATH="$tmp/basebin" CRM_WHATSAPP_SETUP_DRY_RUN=1 scripts/setup-deps.sh build >"$tmp/deps" 2>&1 || true
    check "setup-deps build asks for git, not the test tools" sh -c "grep -q ' git ' '$tmp/deps' && ! grep -q 'shellcheck\|chromium' '$tmp/deps'"
fi

# The binary to install: the real debug host when the test runner built one, else a stand-in file
# (the installer only copies it; the browser test 40 runs the real one).
if [ -n "${CRM_WHATSAPP_BIN:-}" ] && [ -x "$CRM_WHATSAPP_BIN/crm-whatsapp-host" ]; then
    bin="$CRM_WHATSAPP_BIN/crm-whatsapp-host"
else
    bin="$tmp/crm-whatsapp-host"
    printf '#!/bin/sh\nexit 0\n' >"$bin"
    chmod 755 "$bin"
fi

H="$tmp/home"
mkdir -p "$H"
# The installer runs with a PATH holding only the tools it uses (plus $tmp/fakebin, where the detection
# tests put fake browsers), and with the known browser folders (/opt/...) looked up under $tmp/apps: the
# browsers of the machine running this suite are invisible to it.
mkdir -p "$tmp/sysbin" "$tmp/fakebin" "$tmp/apps"
for tool in sh sed grep mkdir cp mv chmod uname id dirname tr head rm rmdir cat ls; do
    ln -s "$(command -v "$tool")" "$tmp/sysbin/$tool"
done
run() {
    env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u CRM_WHATSAPP_DATA_DIR HOME="$H" PATH="$tmp/fakebin:$tmp/sysbin" \
        CRM_WHATSAPP_APPS_ROOT="$tmp/apps" "$root/install-host.sh" "$@"
}
id=$(cat extension/EXTENSION_ID)
chromium_manifest="$H/.config/chromium/NativeMessagingHosts/io.crm_whatsapp.host.json"
firefox_manifest="$H/.mozilla/native-messaging-hosts/io.crm_whatsapp.host.json"
installed="$H/.local/lib/crm-whatsapp/crm-whatsapp-host"

manifest_is_valid() { # manifest_is_valid FILE KIND
    python3 - "$1" "$2" "$installed" "$id" <<'PY'
import json, os, stat, sys
path, kind, binary, ext_id = sys.argv[1:]
m = json.load(open(path))
assert m["name"] == "io.crm_whatsapp.host" == os.path.basename(path)[:-5], m["name"]
assert m["type"] == "stdio"
assert m["path"] == binary and os.path.isabs(m["path"]), m["path"]
if kind == "chromium":
    assert m["allowed_origins"] == ["chrome-extension://%s/" % ext_id], m["allowed_origins"]
    assert "allowed_extensions" not in m
else:
    assert m["allowed_extensions"] == ["crm-whatsapp@crm-whatsapp.dev"], m["allowed_extensions"]
    assert "allowed_origins" not in m
assert stat.S_IMODE(os.stat(path).st_mode) == 0o644, oct(os.stat(path).st_mode)
PY
}

# The installer and the project's own scripts (60-whatsmeow-sim.sh is left to its owner).
own_scripts="test.sh .ci/run"
for f in scripts/*.sh tests/suites/*.sh; do
    case "$f" in tests/suites/60-*) ;; *) own_scripts="$own_scripts $f" ;; esac
done
if command -v shellcheck >/dev/null 2>&1; then
    # shellcheck disable=SC2086 # own_scripts is a list of plain paths
    check "shellcheck is clean" shellcheck install-host.sh $own_scripts
elif [ "${CRM_WHATSAPP_REQUIRE_SHELLCHECK:-0}" = 1 ]; then
    fail "shellcheck is not installed (scripts/setup-deps.sh test installs it)"
else
    echo "NOTICE: shellcheck check SKIPPED: shellcheck is not installed (scripts/setup-deps.sh test installs it)" >&2
fi
check "install for all browsers with --binary" run install --browser all --binary "$bin"
for dir in google-chrome chromium microsoft-edge BraveSoftware/Brave-Browser vivaldi; do
    check "manifest for $dir is valid" manifest_is_valid "$H/.config/$dir/NativeMessagingHosts/io.crm_whatsapp.host.json" chromium
done
check "firefox manifest is valid" manifest_is_valid "$firefox_manifest" firefox
check "binary installed executable" test -x "$installed"
check "installed binary is a copy of the given one" cmp "$bin" "$installed"
check "status exits 0 when everything is installed" run status
if [ "$bin" = "${CRM_WHATSAPP_BIN:-}/crm-whatsapp-host" ]; then
    # The host's own `doctor` looks for the manifests where the installer wrote them.
    check "crm-whatsapp-host doctor finds the installed manifests" env -u XDG_CONFIG_HOME -u CRM_WHATSAPP_DATA_DIR HOME="$H" "$installed" doctor
    cp "$tmp/out" "$tmp/doctor"
    check "doctor saw the chromium manifest" grep -q "^ok *Chromium (user): $H" "$tmp/doctor"
    check "status shows the host version" sh -c "HOME='$H' '$root/install-host.sh' status | grep -q 'version'"
fi
run status >"$tmp/status" 2>&1 || true
check "status lists chromium as installed" grep -q '^chromium *installed' "$tmp/status"
cp "$chromium_manifest" "$tmp/first.json"
check "install again is idempotent" run install --browser all --binary "$bin"
check "second install writes the same manifest" cmp "$tmp/first.json" "$chromium_manifest"
check "no temp files left behind" sh -c "! ls -A '$H/.config/chromium/NativeMessagingHosts' | grep -q '^\\.'"

rm -f "$installed"
check_fails "status reports a missing binary" "BROKEN" run status
check "install repairs a missing binary" run install --browser chromium --binary "$bin"
check "status is clean after repair" run status

check "uninstall removes everything" run uninstall
check "manifests are gone" sh -c "! test -e '$chromium_manifest' && ! test -e '$firefox_manifest' && ! test -e '$installed'"
check "uninstall again succeeds" run uninstall
check "status after uninstall exits 0" run status
run status >"$tmp/status" 2>&1 || true
check "status says not installed" grep -q '^chromium *not installed' "$tmp/status"

# Browser detection: the browsers with a profile folder or an installed program, and a clear error when
# there is none.
check_fails "install with no browser found names --browser" "--browser" run install --binary "$bin"
mkdir -p "$H/.config/google-chrome"
: >"$H/.config/google-chrome/Local State"
check "install detects chrome only" run install --binary "$bin"
check "chrome manifest written" test -e "$H/.config/google-chrome/NativeMessagingHosts/io.crm_whatsapp.host.json"
check "chromium not written" test ! -e "$chromium_manifest"
run uninstall >/dev/null
rm -rf "$H/.config/google-chrome"

# Installed but never started: no profile folder, only the program (on PATH, or in its /opt folder).
fake_browser() { printf '#!/bin/sh
exit 0
' >"$1" && chmod 755 "$1"; }
fake_browser "$tmp/fakebin/chromium"
check "a browser on PATH that never ran is found" run install --binary "$bin"
check "its manifest is written" test -e "$chromium_manifest"
check "no profile folder was needed" test ! -e "$H/.config/chromium/Local State"
check "other browsers not written" test ! -e "$firefox_manifest"
run uninstall >/dev/null
rm -f "$tmp/fakebin/chromium"
for pair in google-chrome-stable:google-chrome microsoft-edge-stable:microsoft-edge \
    brave-browser:BraveSoftware/Brave-Browser vivaldi-stable:vivaldi; do
    program=${pair%%:*}
    fake_browser "$tmp/fakebin/$program"
    check "install finds $program on PATH" run install --binary "$bin"
    check "$program gets its manifest" manifest_is_valid "$H/.config/${pair#*:}/NativeMessagingHosts/io.crm_whatsapp.host.json" chromium
    check "and only that one" test ! -e "$chromium_manifest"
    run uninstall >/dev/null
    rm -f "$tmp/fakebin/$program"
done
fake_browser "$tmp/fakebin/firefox-esr"
check "firefox-esr on PATH registers Firefox" run install --binary "$bin"
check "firefox manifest from the program alone" manifest_is_valid "$firefox_manifest" firefox
run uninstall >/dev/null
rm -f "$tmp/fakebin/firefox-esr"
mkdir -p "$tmp/apps/opt/microsoft/msedge" "$tmp/apps/opt/google/chrome"
fake_browser "$tmp/apps/opt/microsoft/msedge/msedge"
fake_browser "$tmp/apps/opt/google/chrome/chrome"
check "browsers in their /opt folders are found" run install --binary "$bin"
check "edge manifest written" manifest_is_valid "$H/.config/microsoft-edge/NativeMessagingHosts/io.crm_whatsapp.host.json" chromium
check "chrome manifest written" manifest_is_valid "$H/.config/google-chrome/NativeMessagingHosts/io.crm_whatsapp.host.json" chromium
check "chromium not written" test ! -e "$chromium_manifest"
run uninstall >/dev/null
rm -rf "$tmp/apps/opt"
check_fails "no browser again once the programs are gone" "no supported browser" run install --binary "$bin"

# Settings: <data dir>/settings.json, 0600 in a 0700 folder, merged across installs.
data="$H/.local/share/crm-whatsapp"
settings="$data/settings.json"
key_hex=$(printf '%064d' 0 | tr 0 a)
key_b64=$(printf '%s' "$key_hex" | python3 -c 'import base64,sys; print(base64.b64encode(bytes.fromhex(sys.stdin.read())).decode())')
key_b64_short=$(python3 -c 'import base64; print(base64.b64encode(bytes(31)).decode())')
printf -- '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' >"$tmp/ca.pem"
printf 'not a certificate\n' >"$tmp/notpem.txt"
settings_are() { # settings_are FILE JSON: the file holds exactly these members, mode 0600, folder 0700
    python3 - "$1" "$2" <<'PY'
import json, os, stat, sys
path, expected = sys.argv[1], json.loads(sys.argv[2])
got = json.load(open(path))
assert got == expected, got
assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, oct(os.stat(path).st_mode)
assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700, oct(os.stat(os.path.dirname(path)).st_mode)
PY
}
check "install with every server setting" run install --browser chromium --binary "$bin" --server wss://127.0.0.1:8443/ws/chat \
    --root-key "$key_hex" --ca-file "$tmp/ca.pem" --app-version 2.3000.1023102347
check "settings.json holds them (0600, folder 0700)" settings_are "$settings" \
    "{\"serverURL\": \"wss://127.0.0.1:8443/ws/chat\", \"rootPublicKey\": \"$key_hex\", \"caFile\": \"$tmp/ca.pem\", \"appVersion\": \"2.3000.1023102347\"}"
run status >"$tmp/status" 2>&1 || true
check "status names the server" grep -q "server: wss://127.0.0.1:8443/ws/chat" "$tmp/status"
check "an install without settings options leaves them" run install --browser chromium --binary "$bin"
check "settings unchanged" settings_are "$settings" \
    "{\"serverURL\": \"wss://127.0.0.1:8443/ws/chat\", \"rootPublicKey\": \"$key_hex\", \"caFile\": \"$tmp/ca.pem\", \"appVersion\": \"2.3000.1023102347\"}"
check "one option changes one member" run install --browser chromium --binary "$bin" --server ws://127.0.0.1:9000/ws/chat --root-key "$key_b64"
check "the others are kept; base64 keys are accepted" settings_are "$settings" \
    "{\"serverURL\": \"ws://127.0.0.1:9000/ws/chat\", \"rootPublicKey\": \"$key_b64\", \"caFile\": \"$tmp/ca.pem\", \"appVersion\": \"2.3000.1023102347\"}"
check "--reset-server" run install --browser chromium --binary "$bin" --reset-server
check "removes the server settings, keeps the app version" settings_are "$settings" "{\"appVersion\": \"2.3000.1023102347\"}"
check "a relative --ca-file is made absolute" sh -c "cd '$tmp' && HOME='$H' PATH='$tmp/sysbin' CRM_WHATSAPP_APPS_ROOT='$tmp/apps' '$root/install-host.sh' install --browser chromium --binary '$bin' --ca-file ca.pem"
check "caFile is absolute" settings_are "$settings" "{\"caFile\": \"$tmp/ca.pem\", \"appVersion\": \"2.3000.1023102347\"}"
chmod 755 "$data"
check "reset and set in one run" run install --browser chromium --binary "$bin" --reset-server --server wss://127.0.0.1:1/x
check "the folder is made 0700 again" settings_are "$settings" "{\"serverURL\": \"wss://127.0.0.1:1/x\", \"appVersion\": \"2.3000.1023102347\"}"
cp "$settings" "$tmp/settings.before"
check_fails "a 31-byte hex key is refused" "invalid --root-key" run install --browser chromium --binary "$bin" --root-key "${key_hex%??}"
check_fails "a 31-byte base64 key is refused" "invalid --root-key" run install --browser chromium --binary "$bin" --root-key "$key_b64_short"
check_fails "a non-hex key is refused" "invalid --root-key" run install --browser chromium --binary "$bin" --root-key "$(printf '%064d' 0 | tr 0 g)"
check_fails "an http server URL is refused" "invalid --server" run install --browser chromium --binary "$bin" --server http://127.0.0.1/
check_fails "plain ws:// to another machine is refused" "invalid --server" run install --browser chromium --binary "$bin" --server ws://example.com/ws/chat
check_fails "a server URL with a password is refused" "invalid --server" run install --browser chromium --binary "$bin" --server wss://u:p@example.com/
check "ws:// to localhost and wss:// with a port are accepted" run install --browser chromium --binary "$bin" --server ws://localhost:8080/ws/chat
check "wss:// with a port" run install --browser chromium --binary "$bin" --server wss://example.com:8443/ws/chat
run install --browser chromium --binary "$bin" --server wss://127.0.0.1:1/x >/dev/null
check_fails "a server URL with a quote is refused" "invalid --server" run install --browser chromium --binary "$bin" --server 'wss://a"b/'
check_fails "a missing CA file is refused" "no readable --ca-file" run install --browser chromium --binary "$bin" --ca-file "$tmp/nope.pem"
check_fails "a CA file without a certificate is refused" "no PEM certificate" run install --browser chromium --binary "$bin" --ca-file "$tmp/notpem.txt"
check_fails "a bad app version is refused" "invalid --app-version" run install --browser chromium --binary "$bin" --app-version 2.x
check_fails "a two-part app version is refused" "invalid --app-version" run install --browser chromium --binary "$bin" --app-version 2.3000
check_fails "settings options need install" "go with install" run status --server wss://127.0.0.1/
check "refused settings leave the file as it was" cmp "$tmp/settings.before" "$settings"
check "XDG_DATA_HOME moves the data folder" env HOME="$H" PATH="$tmp/sysbin" XDG_DATA_HOME="$tmp/xdgdata" CRM_WHATSAPP_APPS_ROOT="$tmp/apps" \
    "$root/install-host.sh" install --browser chromium --binary "$bin" --app-version 2.1.1
check "settings under XDG_DATA_HOME" settings_are "$tmp/xdgdata/crm-whatsapp/settings.json" "{\"appVersion\": \"2.1.1\"}"
check "CRM_WHATSAPP_DATA_DIR moves the data folder" env HOME="$H" PATH="$tmp/sysbin" CRM_WHATSAPP_DATA_DIR="$tmp/envdata" CRM_WHATSAPP_APPS_ROOT="$tmp/apps" \
    "$root/install-host.sh" install --browser chromium --binary "$bin" --app-version 2.2.2
check "settings under CRM_WHATSAPP_DATA_DIR" settings_are "$tmp/envdata/settings.json" "{\"appVersion\": \"2.2.2\"}"
only_server() { env HOME="$H" PATH="$tmp/sysbin" CRM_WHATSAPP_DATA_DIR="$tmp/onlyserver" CRM_WHATSAPP_APPS_ROOT="$tmp/apps" \
    "$root/install-host.sh" install --browser chromium --binary "$bin" "$@"; }
check "server settings alone" only_server --server wss://127.0.0.1:2/ws/chat
check "--reset-server leaving nothing" only_server --reset-server
check "removes the settings file" test ! -e "$tmp/onlyserver/settings.json"
run uninstall >/dev/null
check "uninstall leaves the data folder" test -e "$settings"
rm -rf "$data"

# --data-dir: a separate instance. The browser starts a launcher that gives the host its data folder.
# shellcheck disable=SC2016 # the variables are the stand-in host's, expanded when it runs
printf '#!/bin/sh\necho "data=$CRM_WHATSAPP_DATA_DIR args=$*"\n' >"$tmp/envhost"
chmod 755 "$tmp/envhost"
check "install a separate instance" run install --browser chromium --binary "$tmp/envhost" --data-dir "$tmp/demo" \
    --server wss://127.0.0.1:7/ws/chat --root-key "$key_hex"
check "its settings are in its data folder" settings_are "$tmp/demo/settings.json" \
    "{\"serverURL\": \"wss://127.0.0.1:7/ws/chat\", \"rootPublicKey\": \"$key_hex\"}"
check "the default data folder is untouched" test ! -e "$data"
check "the manifest points at the launcher" manifest_is_valid "$chromium_manifest" chromium
check "the launcher starts the host with its data folder" sh -c "'$installed' chrome-extension://x/ | grep -qx 'data=$tmp/demo args=chrome-extension://x/'"
run status >"$tmp/status" 2>&1 || true
check "status shows the instance's data folder" grep -q "^Data: *$tmp/demo\$" "$tmp/status"
check "status shows the instance's server" grep -q "server: wss://127.0.0.1:7/ws/chat" "$tmp/status"
check "a default install replaces the launcher" run install --browser chromium --binary "$bin"
check "installed binary is the given one again" cmp "$bin" "$installed"
check "the instance's program is removed" test ! -e "$installed.bin"
check "a relative --data-dir is made absolute" sh -c "cd '$tmp' && HOME='$H' PATH='$tmp/sysbin' CRM_WHATSAPP_APPS_ROOT='$tmp/apps' '$root/install-host.sh' install --browser chromium --binary '$tmp/envhost' --data-dir reldemo"
check "relative data folder used" sh -c "'$installed' | grep -qx 'data=$tmp/reldemo args='"
check_fails "a data folder with a quote is refused" "cannot have" run install --browser chromium --binary "$bin" --data-dir "$tmp/it's"
check "uninstall removes launcher and program" run uninstall
check "both gone" sh -c "! test -e '$installed' && ! test -e '$installed.bin'"
check "the instance's data is left" test -e "$tmp/demo/settings.json"

# XDG_CONFIG_HOME moves the user-level folders of Chromium-family browsers.
check "XDG_CONFIG_HOME is honoured" env HOME="$H" XDG_CONFIG_HOME="$tmp/xdg" "$root/install-host.sh" install --browser chromium --binary "$bin"
check "manifest under XDG_CONFIG_HOME" test -e "$tmp/xdg/chromium/NativeMessagingHosts/io.crm_whatsapp.host.json"
env HOME="$H" XDG_CONFIG_HOME="$tmp/xdg" "$root/install-host.sh" uninstall >/dev/null

# A relative --binary is resolved against the current folder.
cp "$bin" "$tmp/relhost"
check "relative --binary is made absolute" sh -c "cd '$tmp' && HOME='$H' '$root/install-host.sh' install --browser chromium --binary relhost"
check "relative binary installed" cmp "$bin" "$installed"
run uninstall >/dev/null

# Validation happens before anything is written.
check_fails "bad extension id is refused" "invalid extension id" run install --browser chromium --binary "$bin" --extension-id 'chrome-extension://*/'
check_fails "unknown browser is refused" "unknown browser" run install --browser netscape --binary "$bin"
check_fails "missing binary is refused" "no host binary" run install --browser chromium --binary "$tmp/nope"
printf 'x' >"$tmp/noexec"
check_fails "non-executable binary is refused" "not executable" run install --browser chromium --binary "$tmp/noexec"
printf '#!/bin/sh\necho "error while loading shared libraries: libsodium.so.23" >&2\nexit 127\n' >"$tmp/broken"
chmod 755 "$tmp/broken"
check_fails "a binary that cannot run here is refused" "does not run" run install --browser chromium --binary "$tmp/broken"
check_fails "unknown argument shows usage" "usage\|unknown argument" run frobnicate
check_fails "relative HOME is refused" "absolute" env HOME=relative "$root/install-host.sh" status
if [ "$(id -u)" -ne 0 ]; then
    check_fails "--system needs root" "sudo" run install --system --browser chromium --binary "$bin"
fi
check "nothing written by refused installs" test ! -e "$chromium_manifest"

echo "35-install-host: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
