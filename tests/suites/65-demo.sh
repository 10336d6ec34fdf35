#!/bin/sh
# ./demo.sh in a temporary HOME: --check links by QR code and by phone number through the real host
# installed in the demo folder (Chromium profile of its own, launcher, settings), nothing of a real
# installation is written, nothing is left running; a --headless demo prints what to do and stops with
# `./demo.sh stop` and with SIGTERM; with a (headless stand-in for a) browser, the demo's Chromium starts
# the demo's helper app and `./demo.sh stop` closes it; `./demo.sh reset` removes the folder; shellcheck.
# Loopback only.
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
: "${CRM_WHATSAPP_BIN:?set CRM_WHATSAPP_BIN (swift build --show-bin-path)}"
tmp=$(mktemp -d)
bg=""
cleanup() {
    if [ -n "$bg" ]; then kill "$bg" 2>/dev/null || true; fi
    env -u XDG_CACHE_HOME -u CRM_WHATSAPP_DEMO_DIR HOME="$tmp/home" ./demo.sh stop >/dev/null 2>&1 || true
    [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)) && echo "ok   $1"; }
fail() { failed=$((failed + 1)) && echo "FAIL $1" >&2; }
check() { # check NAME COMMAND...
    name=$1
    shift
    if "$@" >"$tmp/out" 2>&1; then ok "$name"; else fail "$name" && sed 's/^/     /' "$tmp/out" >&2; fi
}

H="$tmp/home"
mkdir -p "$H"
demo="$H/.cache/crm-whatsapp/demo"
# Where install-host.sh puts things for the private HOME (Linux: XDG_CONFIG_HOME=$demo/profile).
if [ "$(uname -s)" = Darwin ]; then
    profile="$demo/home/Library/Application Support/Chromium"
    installed="$demo/home/Library/Application Support/crm-whatsapp/crm-whatsapp-host"
else
    profile="$demo/profile/chromium"
    installed="$demo/home/.local/lib/crm-whatsapp/crm-whatsapp-host"
fi
# ./demo.sh in the temporary HOME (default demo folder), no display; bounded when `timeout` exists.
unset_env="-u XDG_CACHE_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME -u CRM_WHATSAPP_DEMO_DIR -u CRM_WHATSAPP_DATA_DIR -u DISPLAY -u WAYLAND_DISPLAY"
if command -v timeout >/dev/null 2>&1; then limit="timeout 120"; else limit=""; fi
# shellcheck disable=SC2086 # $unset_env is a list of options, $limit a command or nothing
run_demo() { env $unset_env HOME="$H" $limit ./demo.sh "$@"; }
pid_stopped() { ! kill -0 "$1" 2>/dev/null; }

# ---- the self-check -----------------------------------------------------------------------------
if run_demo --check >"$tmp/check" 2>&1; then ok "demo.sh --check passes"; else fail "demo.sh --check passes" && sed 's/^/     /' "$tmp/check" >&2; fi
cat "$tmp/check"
check "the check linked by QR code" grep -q '^ok   linked +15550100123 by QR code' "$tmp/check"
check "the check linked by phone number" grep -q '^ok   linked +15550100123 by phone number' "$tmp/check"
sim_pid=$(sed -n 's/^Stopped wa-sim (\([0-9]*\))$/\1/p' "$tmp/check")
check "the check stopped its simulator" sh -c "[ -n '$sim_pid' ] && ! kill -0 '$sim_pid' 2>/dev/null"
manifest="$profile/NativeMessagingHosts/io.crm_whatsapp.host.json"
check "the host manifest is in the demo's Chromium profile" test -f "$manifest"
check "the manifest starts the demo's launcher, for the extension only" python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
assert m["path"] == sys.argv[2], m["path"]
assert m["allowed_origins"] == ["chrome-extension://%s/" % sys.argv[3]], m["allowed_origins"]' \
    "$manifest" "$installed" "$(cat extension/EXTENSION_ID)"
check "the launcher keeps the account in the demo folder" grep -qx "CRM_WHATSAPP_DATA_DIR='$demo/data'" "$installed"
check "settings.json points at the simulator on loopback, mode 600" sh -c "
    grep -q '\"serverURL\": \"wss://127.0.0.1:[0-9]*/ws/chat\"' '$demo/data/settings.json' &&
    grep -q '\"caFile\": \"$demo/sim/tls/ca.pem\"' '$demo/data/settings.json' &&
    ls -l '$demo/data/settings.json' | grep -q '^-rw-------'"
# (macOS: the host logs to ~/Library/Logs whatever XDG_STATE_HOME says.)
[ "$(uname -s)" = Darwin ] || check "the host logged into the demo folder" test -f "$demo/state/crm-whatsapp/host.log"
# A real installation lives in ~/.config/<browser>/NativeMessagingHosts, ~/.local/lib and ~/.local/share
# (macOS: ~/Library/Application Support).
check "nothing of a real installation is written" sh -c "[ ! -e '$H/.config' ] && [ ! -e '$H/.local' ] && [ ! -e '$H/.mozilla' ] && [ ! -e '$H/Library' ]"

# ---- a headless demo, stopped by ./demo.sh stop, then by SIGTERM ---------------------------------
start_headless() {
    : >"$tmp/headless"
    # shellcheck disable=SC2086
    (exec env $unset_env HOME="$H" ./demo.sh --headless) >"$tmp/headless" 2>&1 &
    bg=$! # demo.sh itself, so that the signals below reach it
    n=0
    while ! grep -q 'Stop with Ctrl-C' "$tmp/headless" && kill -0 "$bg" 2>/dev/null && [ $n -lt 300 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    sim_pid=$(cat "$demo/run/wa-sim.pid" 2>/dev/null || true)
}
wait_gone() { # wait_gone PID: up to 10 s
    n=0
    while kill -0 "$1" 2>/dev/null && [ $n -lt 100 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    pid_stopped "$1"
}

start_headless
check "the headless demo prints the phone page" grep -q 'http://127.0.0.1:[0-9]*/phones/15550100123/page' "$tmp/headless"
check "the headless demo prints the browser command with the demo profile" grep -q -- "--user-data-dir='$profile' --load-extension='$root/extension'" "$tmp/headless"
check "the headless demo says how to link" grep -q 'Click "Link with QR code"' "$tmp/headless"
check "the headless demo starts no browser" test ! -e "$demo/run/chromium.pid"
[ -n "$sim_pid" ] || fail "the headless demo wrote the simulator's process id"
check "the phone page answers" python3 -c '
import json, sys, urllib.request
control = json.load(open(sys.argv[1]))["control"]
assert "15550100123" in urllib.request.urlopen("http://%s/phones/15550100123/page" % control, timeout=10).read().decode()' "$demo/sim.json"
if run_demo --check >"$tmp/second" 2>&1; then
    fail "--check refuses to run beside a running demo"
elif grep -q 'a demo is running' "$tmp/second" && kill -0 "$sim_pid" 2>/dev/null; then
    ok "--check refuses to run beside a running demo, and leaves it running"
else
    fail "--check refuses to run beside a running demo (said: $(cat "$tmp/second"))"
fi
run_demo stop >/dev/null 2>&1
check "./demo.sh stop stops the simulator" wait_gone "$sim_pid"
check "./demo.sh stop ends the waiting demo" wait_gone "$bg"

start_headless
kill -TERM "$bg"
check "SIGTERM ends the demo" wait_gone "$bg"
check "SIGTERM stops the simulator" wait_gone "$sim_pid"
bg=""

# ---- the browser path, with a headless stand-in for a windowed Chromium ---------------------------
chrome="" # Linux: the stand-in is headless Chromium, and the helper app's log is looked for in state/
[ "$(uname -s)" = Darwin ] || for c in /usr/lib/chromium/chromium "$(command -v chromium || true)" "$(command -v chromium-browser || true)"; do
    if [ -n "$c" ] && [ -x "$c" ]; then chrome=$c && break; fi
done
if [ -n "$chrome" ]; then
    # Headless Chromium shows one page: the stand-in keeps the options and the last address.
    cat >"$tmp/chromium" <<EOF
#!/bin/sh
last=""
set -- "\$@" --end--
while [ "\$1" != --end-- ]; do case "\$1" in -*) set -- "\$@" "\$1" ;; *) last=\$1 ;; esac; shift; done
shift
exec '$chrome' --headless=new --no-sandbox --disable-gpu "\$@" "\$last"
EOF
    chmod 755 "$tmp/chromium"
    : >"$tmp/windowed"
    # shellcheck disable=SC2086
    (exec env $unset_env HOME="$H" DISPLAY=:65 CRM_WHATSAPP_CHROMIUM="$tmp/chromium" ./demo.sh) >"$tmp/windowed" 2>&1 &
    bg=$!
    log="$demo/state/crm-whatsapp/host.log"
    origin="origin=chrome-extension://$(cat extension/EXTENSION_ID)/"
    n=0
    while ! grep -q "$origin" "$log" 2>/dev/null && kill -0 "$bg" 2>/dev/null && [ $n -lt 300 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    browser_pid=$(cat "$demo/run/chromium.pid" 2>/dev/null || echo none)
    sim_pid=$(cat "$demo/run/wa-sim.pid" 2>/dev/null || echo none)
    check "the demo's Chromium starts the demo's helper app for the extension" grep -q "allowed=true $origin" "$log"
    check "the demo says Chromium is open" grep -q 'Chromium is open with a profile of its own' "$tmp/windowed"
    run_demo stop >/dev/null 2>&1
    check "./demo.sh stop closes the demo's Chromium" wait_gone "$browser_pid"
    check "./demo.sh stop stops the simulator (browser demo)" wait_gone "$sim_pid"
    check "./demo.sh stop ends the browser demo" wait_gone "$bg"
    bg=""
else
    echo "65-demo: Chromium not found: the browser path is not checked (scripts/setup-deps.sh test installs it)" >&2
fi

check "./demo.sh reset removes the demo folder" sh -c "env -u XDG_CACHE_HOME -u CRM_WHATSAPP_DEMO_DIR HOME='$H' ./demo.sh reset && [ ! -e '$demo' ]"
if command -v shellcheck >/dev/null 2>&1; then
    check "demo.sh and this suite are shellcheck-clean" shellcheck demo.sh tests/suites/65-demo.sh
else
    echo "65-demo: shellcheck not found (scripts/setup-deps.sh test installs it): not checked" >&2
fi

echo "65-demo: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
