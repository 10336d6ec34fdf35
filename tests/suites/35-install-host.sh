#!/bin/sh
# install-host.sh in a temporary HOME: install with --binary, status, repair, idempotency,
# uninstall, argument validation, and shellcheck. Touches nothing outside its temp folder.
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
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
run() { env -u XDG_CONFIG_HOME -u XDG_DATA_HOME HOME="$H" "$root/install-host.sh" "$@"; }
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

own_scripts=""
for f in tests/suites/30-extension-unit.sh tests/suites/35-install-host.sh tests/suites/40-e2e-chromium.sh tests/suites/45-e2e-firefox.sh; do
    if [ -e "$f" ]; then own_scripts="$own_scripts $f"; fi
done
# shellcheck disable=SC2086 # own_scripts is a list of plain paths
check "shellcheck is clean" shellcheck install-host.sh $own_scripts
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
    check "crm-whatsapp-host doctor finds the installed manifests" env -u XDG_CONFIG_HOME HOME="$H" "$installed" doctor
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

# Browser detection: only the browsers with a profile folder, and a clear error when there is none.
check_fails "install with no browser found names --browser" "--browser" run install --binary "$bin"
mkdir -p "$H/.config/google-chrome"
: >"$H/.config/google-chrome/Local State"
check "install detects chrome only" run install --binary "$bin"
check "chrome manifest written" test -e "$H/.config/google-chrome/NativeMessagingHosts/io.crm_whatsapp.host.json"
check "chromium not written" test ! -e "$chromium_manifest"
run uninstall >/dev/null

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
