#!/bin/sh
# The whole link, on this computer, with no phone and no WhatsApp account: a simulated WhatsApp (wa-sim)
# with a simulated phone, the real helper app (crm-whatsapp-host) and the extension in a Chromium profile
# of its own. Nothing of a real installation is read or changed.
#
#   ./demo.sh [--headless]   build, start everything, open Chromium with the phone's page; Ctrl-C stops it
#   ./demo.sh --check        the same without a browser: links by QR code and by phone number through
#                            the real helper app, reports, stops (tests/suites/65-demo.sh runs it)
#   ./demo.sh stop           stop a demo running in another terminal
#   ./demo.sh reset          stop, and remove the demo folder (simulator keys, browser profile, account)
#
#   --headless   start no browser: print the addresses and the commands instead (also when there is no display)
#
# The demo folder is $CRM_WHATSAPP_DEMO_DIR, else ${XDG_CACHE_HOME:-~/.cache}/crm-whatsapp/demo:
#   sim/        the simulator's Noise root key and test CA (kept between runs)
#   home/       the installed helper app and its launcher (a private HOME for install-host.sh)
#   profile/    the Chromium profile; its NativeMessagingHosts/ folder registers the helper app
#   data/       the helper app's account and settings.json (wiped at every start: the simulator forgets)
#   state/      the helper app's log;  logs/  the simulator's and browser's output;  run/  process ids
# CRM_WHATSAPP_BIN: a folder holding crm-whatsapp-host and wa-sim already built (skips the build).
# CRM_WHATSAPP_CHROMIUM: the browser to start. Needs python3 (standard library only). Linux and macOS.
set -eu

root=$(cd "$(dirname "$0")" && pwd)
PHONE=15550100123
PUSH_NAME="Ana (demo phone)"
EXTENSION_ID=$(tr -d ' \n\r' <"$root/extension/EXTENSION_ID")

usage() {
    sed -n '2,22s/^# \{0,1\}//p' "$0" >&2
    exit "${1:-2}"
}
die() {
    echo "demo.sh: $*" >&2
    exit 1
}
say() { printf '%s\n' "$*"; }

action=start
headless=false
for arg in "$@"; do
    case "$arg" in
    start) action=start ;;
    stop) action=stop ;;
    reset) action=reset ;;
    --check | check) action=check ;;
    --headless) headless=true ;;
    -h | --help) usage 0 ;;
    *) echo "demo.sh: unknown argument '$arg'" >&2 && usage ;;
    esac
done

[ -n "${HOME:-}" ] || die "HOME is not set"
demo=${CRM_WHATSAPP_DEMO_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/crm-whatsapp/demo}
case "$demo" in /*) ;; *) demo="$(pwd)/$demo" ;; esac
case "$demo" in *'"'* | *\\* | *"'"* | *'$'* | *'`'* | *'|'* | *'&'*) die "the demo folder '$demo' contains a character it cannot have" ;; esac
os=$(uname -s)
case "$os" in Linux | Darwin) ;; *) die "Linux and macOS only" ;; esac
# Where Chromium reads user-level host manifests: <user data dir>/NativeMessagingHosts. install-host.sh
# writes them under XDG_CONFIG_HOME (Linux) or HOME (macOS): both point into the demo folder.
if [ "$os" = Darwin ]; then profile="$demo/home/Library/Application Support/Chromium"; else profile="$demo/profile/chromium"; fi

# ---- processes we started (pid files in run/) -------------------------------------------------

# remember NAME PID / forget NAME / alive NAME
remember() { mkdir -p "$demo/run" && echo "$2" >"$demo/run/$1.pid"; }
pid_of() { cat "$demo/run/$1.pid" 2>/dev/null || true; }
alive() { p=$(pid_of "$1") && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

# stop_one NAME: TERM, then KILL after 5 s; only the process whose id we wrote down.
stop_one() {
    p=$(pid_of "$1")
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
        kill "$p" 2>/dev/null || true
        n=0
        while kill -0 "$p" 2>/dev/null && [ $n -lt 50 ]; do
            sleep 0.1
            n=$((n + 1))
        done
        kill -9 "$p" 2>/dev/null || true
        say "Stopped $1 ($p)"
    fi
    rm -f "$demo/run/$1.pid"
}

stop_all() {
    # The browser first: it closes the helper app's input and the helper app exits by itself.
    stop_one chromium
    stop_one wa-sim
}

# ---- JSON and the simulator's control API (python3, standard library) -------------------------

# json_field FILE KEY: a top-level member of the JSON object in FILE.
json_field() {
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# control METHOD PATH [JSON]: calls the simulator's control API, prints the answer.
control() {
    python3 - "$control" "$1" "$2" "${3:-}" <<'PY'
import sys, urllib.request, urllib.error
host, method, path, body = sys.argv[1:]
req = urllib.request.Request("http://%s%s" % (host, path), method=method, data=body.encode() if body else None,
                             headers={"Content-Type": "application/json"})
try:
    print(urllib.request.urlopen(req, timeout=10).read().decode())
except urllib.error.HTTPError as error:
    sys.exit("%s %s: HTTP %d %s" % (method, path, error.code, error.read().decode()[:200]))
PY
}

# ---- the steps (each one small; later features add theirs to run_steps below) -----------------

step_tools() {
    command -v python3 >/dev/null 2>&1 || die "python3 is required (scripts/setup-deps.sh test installs it)"
}

step_build() {
    if [ -n "${CRM_WHATSAPP_BIN:-}" ]; then
        bin=$CRM_WHATSAPP_BIN
    else
        command -v swift >/dev/null 2>&1 || die "Swift 6.1 or later is required: https://www.swift.org/install/"
        say "Building crm-whatsapp-host and wa-sim (debug; the first build takes several minutes)…"
        "$root/scripts/setup-deps.sh" build || die "missing system packages: run scripts/setup-deps.sh build"
        (cd "$root" && swift build --product crm-whatsapp-host && swift build --product wa-sim) || die "the build failed (see above)"
        bin=$(cd "$root" && swift build --show-bin-path)
    fi
    for b in crm-whatsapp-host wa-sim; do
        [ -x "$bin/$b" ] || die "no $b in $bin"
    done
}

# A fresh start: the simulator keeps no accounts between runs, so neither does the demo.
step_clean() {
    rm -rf "$demo/data" "$demo/state" "$demo/run" "$demo/sim.json"
    mkdir -p "$demo/sim" "$demo/logs" "$demo/run" "$demo/state"
    chmod 700 "$demo" "$demo/sim"
}

step_simulator() {
    # --max-seconds: a self-check never leaves a simulator behind, whatever happens to this script.
    limit=0
    [ "$action" != check ] || limit=300
    "$bin/wa-sim" --listen-tls 127.0.0.1:0 --control 127.0.0.1:0 --tls-dir "$demo/sim/tls" \
        --root-key "$demo/sim/root.key" --max-seconds "$limit" >"$demo/sim.json" 2>"$demo/logs/wa-sim.log" &
    remember wa-sim $!
    n=0
    until [ -s "$demo/sim.json" ]; do
        alive wa-sim || die "wa-sim did not start: $(tail -n 5 "$demo/logs/wa-sim.log")"
        [ $n -lt 200 ] || die "wa-sim did not start within 20 s"
        sleep 0.1
        n=$((n + 1))
    done
    control=$(json_field "$demo/sim.json" control)
    wss=$(json_field "$demo/sim.json" wss)
    root_key=$(json_field "$demo/sim.json" rootPublicKey)
    ca_file=$(json_field "$demo/sim.json" caFile)
    say "Simulated WhatsApp: wss://$wss/ws/chat (control API http://$control)"
}

step_phone() {
    control POST /phones "{\"number\": \"$PHONE\", \"pushName\": \"$PUSH_NAME\"}" >/dev/null
    phone_page="http://$control/phones/$PHONE/page"
    say "Simulated phone:    +$PHONE, \"$PUSH_NAME\" ($phone_page)"
}

# install-host.sh with HOME and XDG_CONFIG_HOME inside the demo folder: the binary, its launcher and the
# Chromium manifest land there; --data-dir makes the helper app keep its account and settings in data/.
step_install() {
    env -u XDG_DATA_HOME -u CRM_WHATSAPP_DATA_DIR HOME="$demo/home" XDG_CONFIG_HOME="$demo/profile" \
        "$root/install-host.sh" install --browser chromium --binary "$bin/crm-whatsapp-host" \
        --data-dir "$demo/data" --server "wss://$wss/ws/chat" --root-key "$root_key" --ca-file "$ca_file" \
        >"$demo/logs/install.log" 2>&1 || die "install-host.sh failed: $(cat "$demo/logs/install.log")"
    manifest="$profile/NativeMessagingHosts/io.crm_whatsapp.host.json"
    [ -f "$manifest" ] || die "install-host.sh wrote no manifest at $manifest"
    launcher=$(sed -n 's/^[[:space:]]*"path"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$manifest" | head -n 1)
    say "Helper app:         $launcher (account and settings in $demo/data)"
}

find_chromium() {
    chrome=${CRM_WHATSAPP_CHROMIUM:-}
    [ -z "$chrome" ] || return 0
    for c in "$(command -v chromium || true)" "$(command -v chromium-browser || true)" /usr/lib/chromium/chromium \
        /Applications/Chromium.app/Contents/MacOS/Chromium "$(command -v google-chrome || true)" \
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"; do
        if [ -n "$c" ] && [ -x "$c" ]; then
            chrome=$c
            return 0
        fi
    done
    chrome=""
}

popup_url="chrome-extension://$EXTENSION_ID/popup/popup.html"

browser_command() {
    printf "XDG_STATE_HOME='%s' '%s' --user-data-dir='%s' --load-extension='%s' --no-first-run --no-default-browser-check '%s' '%s'" \
        "$demo/state" "${chrome:-chromium}" "$profile" "$root/extension" "$popup_url" "$phone_page"
}

step_browser() {
    find_chromium
    if [ "$headless" = false ] && [ "$os" = Linux ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        say "No display: not starting a browser."
        headless=true
    fi
    if [ "$headless" = false ] && [ -z "$chrome" ]; then
        say "Chromium not found (scripts/setup-deps.sh test installs it; or set CRM_WHATSAPP_CHROMIUM): not starting a browser."
        headless=true
    fi
    [ "$headless" = false ] || return 0
    case "$chrome" in
    *[Gg]oogle*) say "Note: recent Google Chrome releases ignore --load-extension; Chromium does not. If the extension is missing, load $root/extension by hand (chrome://extensions, Developer mode, Load unpacked)." ;;
    esac
    # The helper app inherits the browser's environment: its log goes to state/.
    XDG_STATE_HOME="$demo/state" "$chrome" --user-data-dir="$profile" --load-extension="$root/extension" \
        --no-first-run --no-default-browser-check "$popup_url" "$phone_page" >"$demo/logs/chromium.log" 2>&1 &
    remember chromium $!
}

step_instructions() {
    say ""
    if [ "$headless" = false ]; then
        say "Chromium is open with a profile of its own and two tabs: the extension's window and the phone."
    else
        say "Start Chromium with the demo profile (the extension loaded, the helper app registered):"
        say "    $(browser_command)"
    fi
    cat <<EOF

How to link (the phone is simulated: nothing reaches WhatsApp):
  1. Go to the extension's tab (the same window its toolbar icon opens, but it stays open while you
     switch tabs): $popup_url
  2. Click "Link with QR code". A QR code appears.
  3. Right-click the QR code and choose "Copy image" (or take a screenshot of it), go to the phone's
     tab ($phone_page) and press Ctrl+V. (Or save the image and choose the file there.)
  4. The extension shows "WhatsApp linked" with +$PHONE; the phone's tab lists the new device
     under "Linked devices".
  Other way: click "Link with phone number", type $PHONE, then type the 8-character code the
  extension shows into the phone's tab, under "Phone number", and click "Enter code".
  To start over: "Unlink WhatsApp from this computer" in the extension, or "Unlink" on the phone.

Without a browser, the phone can be driven with its control API, e.g.:
    curl -s http://$control/phones/$PHONE
    curl -s -X POST http://$control/phones/$PHONE/code -d '{"code":"ABCD-1234"}'

Logs: $demo/logs/ and $demo/state/crm-whatsapp/host.log
Stop with Ctrl-C (or ./demo.sh stop in another terminal).
EOF
}

# Waits in the foreground until the browser is closed or the simulator exits; Ctrl-C stops everything.
step_wait() {
    while alive wa-sim; do
        if [ "$headless" = false ] && ! alive chromium; then
            say "Chromium was closed."
            break
        fi
        sleep 1
    done
}

# The self-check: the real helper app, started from the manifest the demo registered, as Chromium starts
# it (the extension's origin as argument, the launcher setting the data folder), driven over native
# messaging; the phone acts through the control API.
step_check() {
    say "Self-check: linking through the helper app (its output: logs/host-check.log)…"
    XDG_STATE_HOME="$demo/state" python3 - "$launcher" "chrome-extension://$EXTENSION_ID/" "$control" "$PHONE" \
        "$PUSH_NAME" "$demo/logs/host-check.log" <<'PY'
import json, os, select, struct, subprocess, sys, time, urllib.request
launcher, origin, control, phone, push_name, log_file = sys.argv[1:]
log = open(log_file, "ab")
started = time.monotonic()

def api(method, path, body=None):
    request = urllib.request.Request("http://" + control + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(request, timeout=20).read() or b"null")

host = subprocess.Popen([launcher, origin], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
buffer = b""
next_id = 0

def fail(what):
    host.kill()
    sys.exit("demo check FAILED: " + what)

def receive(deadline):
    global buffer
    while True:
        if len(buffer) >= 4:
            size = struct.unpack("<I", buffer[:4])[0]
            if len(buffer) >= 4 + size:
                message, buffer = json.loads(buffer[4:4 + size]), buffer[4 + size:]
                return message
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([host.stdout], [], [], left)[0]:
            return None
        chunk = os.read(host.stdout.fileno(), 65536)
        if not chunk:
            fail("the helper app exited (code %s)" % host.wait())
        buffer += chunk

seen = []  # messages read but not yet waited for (an event may come before the answer being waited for)

def until(what, predicate, seconds=20):
    for index, message in enumerate(seen):
        if predicate(message):
            del seen[:index + 1]
            return message
    deadline = time.monotonic() + seconds
    while True:
        message = receive(deadline)
        if message is None:
            fail("no %s within %d s" % (what, seconds))
        if predicate(message):
            return message
        seen.append(message)

def request(kind, payload):
    global next_id
    next_id += 1
    body = json.dumps({"id": next_id, "type": kind, "payload": payload}).encode()
    host.stdin.write(struct.pack("<I", len(body)) + body)
    host.stdin.flush()
    answer = until("answer to " + kind, lambda m: m.get("id") == next_id)
    if "error" in answer:
        fail("%s answered %s" % (kind, answer["error"]))
    return answer["result"]

def state(name):
    return lambda m: m.get("type") == "engine.state" and m["payload"].get("state") == name

def linked(how, begun):
    status = until("engine.state connected", state("connected"), 30)["payload"]
    account = status.get("account") or {}
    # The push name comes later from the phone (the engine does not know it at pair-success yet).
    if account.get("phone") != phone or account.get("pushName") not in (None, push_name):
        fail("linked the wrong account: %s" % {k: account.get(k) for k in ("phone", "pushName")})
    devices = api("GET", "/phones/" + phone)["devices"]
    if len(devices) != 1:
        fail("the phone lists %d linked devices, not 1" % len(devices))
    print("ok   linked +%s by %s in %.1f s; the phone lists %s" % (phone, how, time.monotonic() - begun, devices[0]["jid"]))

hello = request("host.hello", {"protocolVersion": 1})
if hello["engine"]["state"] != "unlinked":
    fail("the helper app starts %s, not unlinked: %s" % (hello["engine"]["state"], hello["engine"].get("message", "")))
print("ok   the helper app answers, unlinked")

page = urllib.request.urlopen("http://%s/phones/%s/page" % (control, phone), timeout=10).read().decode()
if phone not in page or "Link a device" not in page:
    fail("the phone page does not show the phone")
print("ok   the phone page is served")

begun = time.monotonic()
request("link.start", {"method": "qr"})
qr = until("link.qr", lambda m: m.get("type") == "link.qr")["payload"]
api("POST", "/phones/%s/scan" % phone, {"qr": qr["code"]})
linked("QR code", begun)

request("engine.logout", {})
until("engine.state loggedOut", state("loggedOut"))
# Whatever came before the logout (a later "connected" carrying the push name) belongs to the first link.
del seen[:]
print("ok   logged out")

begun = time.monotonic()
request("link.start", {"method": "phone", "phone": phone})
code = until("link.pairingCode", lambda m: m.get("type") == "link.pairingCode")["payload"]["code"]
api("POST", "/phones/%s/code" % phone, {"code": code})
linked("phone number", begun)

host.stdin.close()
try:
    host.wait(timeout=10)
except subprocess.TimeoutExpired:
    fail("the helper app did not exit within 10 s of its input closing")
print("demo check passed in %.1f s" % (time.monotonic() - started))
PY
}

run_steps() { # run_steps STEP...: each a function above
    for step in "$@"; do
        "step_$step"
    done
}

cleanup() {
    trap - EXIT INT TERM
    stop_all
}

case "$action" in
stop)
    stop_all
    ;;
reset)
    stop_all
    case "$demo" in / | "$HOME" | "$HOME/" | "$root" | "$root/") die "refusing to remove '$demo'" ;; esac
    rm -rf "$demo"
    say "Removed $demo"
    ;;
start | check)
    if alive wa-sim || alive chromium; then
        [ "$action" != check ] || die "a demo is running in $demo: stop it first (./demo.sh stop)"
        say "A demo is running already: stopping it first."
        stop_all
    fi
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    if [ "$action" = check ]; then
        run_steps tools build clean simulator phone install check
    else
        run_steps tools build clean simulator phone install browser instructions wait
    fi
    ;;
esac
