#!/usr/bin/env python3
"""End to end in real headless Firefox (Debian firefox-esr): the same extension folder installed as a
temporary add-on, the real native host registered by `install-host.sh --browser firefox`, driven over
Marionette (docs/native-messaging.md §4). Standard library only.

Checks: the background connects and passes the hello check; host.hello/host.ping from the popup page;
the popup shows the host; "Link with QR code" in the popup shows a QR that the phone of wa-sim (on
127.0.0.1, its settings passed through Firefox's environment to the host) scans from the popup's
screenshot, until the popup shows the linked number; engine requests answer typed errors; without the
manifest the popup says "not installed" (Firefox's own words: "No such native application …").

usage: python3 run_e2e_firefox.py [--bin DIR] [--artifacts DIR] [--firefox PATH] [--keep]
"""
import argparse
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from wasim import WASim

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXTENSION = os.path.join(ROOT, "extension")
ADDON_ID = json.load(open(os.path.join(EXTENSION, "manifest.json")))["browser_specific_settings"]["gecko"]["id"]
ADDON_UUID = "6a0b7c1e-2f3d-4e5a-9b8c-0d1e2f3a4b5c"  # pinned moz-extension://<uuid>/ (extensions.webextensions.uuids)
PAGE = "moz-extension://%s/" % ADDON_UUID

results = []
T0 = time.monotonic()


def say(*parts):
    print("[%6.2fs]" % (time.monotonic() - T0), *parts, flush=True)


def check(name, condition, detail=""):
    results.append({"check": name, "passed": bool(condition), "detail": detail})
    say("ok  " if condition else "FAIL", name, "" if condition else "-- %s" % (detail,))
    return bool(condition)


class Marionette:
    """Marionette protocol 3: frames are `<byte length>:<json>`; commands `[0, id, name, params]`,
    answers `[1, id, error, result]`; the server speaks first."""

    def __init__(self, port):
        self._socket = socket.create_connection(("127.0.0.1", port), timeout=60)
        self._buffer = b""
        self._id = 0
        self.greeting = self._read()

    def _read(self):
        while b":" not in self._buffer:
            self._more()
        length, _, rest = self._buffer.partition(b":")
        size = int(length)
        self._buffer = rest
        while len(self._buffer) < size:
            self._more()
        body, self._buffer = self._buffer[:size], self._buffer[size:]
        return json.loads(body)

    def _more(self):
        data = self._socket.recv(65536)
        if not data:
            raise ConnectionError("Marionette connection closed")
        self._buffer += data

    def call(self, name, params=None):
        self._id += 1
        body = json.dumps([0, self._id, name, params or {}]).encode()
        self._socket.sendall(str(len(body)).encode() + b":" + body)
        while True:
            kind, answer_id, error, result = self._read()
            if kind == 1 and answer_id == self._id:
                if error:
                    raise RuntimeError("%s: %s" % (name, error.get("message", error)))
                return result

    def script(self, body):
        """Runs an async script in the current page; `done(value)` returns the value."""
        result = self.call("WebDriver:ExecuteAsyncScript", {"script": "const done = arguments[arguments.length - 1];\n" + body,
                                                              "args": [], "scriptTimeout": 20000})
        return result.get("value")

    def poll(self, body, timeout=15):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                last = self.call("WebDriver:ExecuteScript", {"script": body, "args": []}).get("value")
                if last:
                    return last
            except RuntimeError as error:
                last = str(error)
            time.sleep(0.2)
        raise TimeoutError("%s: last %r" % (body[:80], last))


def ask(m, message):
    return m.script("chrome.runtime.sendMessage(%s).then(done, (e) => done({ok: false, thrown: String(e)}));" % json.dumps(message))


def digits(text):
    return "".join(c for c in text if c.isdigit())


def scenario(m, env, binary, artifacts, sim):
    m.call("WebDriver:NewSession", {"capabilities": {"alwaysMatch": {"acceptInsecureCerts": True}}})
    addon = m.call("Addon:Install", {"path": EXTENSION, "temporary": True})
    check("the extension folder installs as a Firefox add-on", addon.get("value") == ADDON_ID, addon)

    m.call("WebDriver:Navigate", {"url": PAGE + "popup/popup.html"})
    state = m.poll("return document.body.dataset.rendered === '1' && !document.body.dataset.state.startsWith('connecting') "
                   "&& document.body.dataset.state", timeout=20)
    check("the background connects to the host and passes the hello check", state.startswith("connected/"), state)
    r = ask(m, {"type": "host.hello"})
    check("host.hello from the popup page is answered", r.get("ok") and r["result"].get("protocolVersion") == 1, r)
    r = ask(m, {"type": "host.ping"})
    check("host.ping from the popup page is answered", r.get("ok") and r["result"].get("pong") is True, r)
    line = m.poll("return document.getElementById('host-line').textContent")
    check("the popup shows the helper app as connected", line.startswith("Connected"), line)
    state = m.poll("return !document.body.dataset.state.endsWith('/unknown') && document.body.dataset.state")
    check("a fresh profile starts unlinked", state == "connected/unlinked", state)
    button = m.call("WebDriver:FindElement", {"using": "css selector", "value": "#link-qr"})["value"]
    m.call("WebDriver:ElementClick", {"id": list(button.values())[0]})
    qr = m.poll("""const img = document.getElementById('qr-image');
        return !document.getElementById('qr-box').hidden && img.complete && img.naturalWidth > 0""", timeout=20)
    check("Link with QR code shows a QR code in the popup", qr, qr)
    shot = base64.b64decode(m.call("WebDriver:TakeScreenshot", {"full": True}).get("value"))
    with open(os.path.join(artifacts, "firefox-popup-link.png"), "wb") as f:
        f.write(shot)
    status, answer = sim.scan_image(shot)
    check("the phone scans the QR code from the popup's screenshot", status == 200 and answer.get("device"),
          {"status": status, "answer": answer})
    linked = m.poll("""return document.body.dataset.state === 'connected/connected'
        && [document.getElementById('headline').textContent, document.getElementById('engine-line').textContent]""", timeout=20)
    check("the popup shows WhatsApp linked with the phone's number",
          linked[0] == "WhatsApp linked" and digits(linked[1]) == sim.phone, linked)
    r = ask(m, {"type": "link.start", "payload": {"method": "qr"}})
    check("link.start is served or answers a typed engine error",
          r.get("ok") or r["error"].get("hostName") in ("engineUnavailable", "alreadyLinked", "engineConfiguration", "engineBusy"), r)
    shot = m.call("WebDriver:TakeScreenshot", {"full": True}).get("value")
    if shot:
        with open(os.path.join(artifacts, "firefox-popup.png"), "wb") as f:
            f.write(base64.b64decode(shot))

    subprocess.run([os.path.join(ROOT, "install-host.sh"), "uninstall", "--browser", "firefox"],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    ask(m, {"type": "host.reconnect"})
    snapshot = None
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        snapshot = ask(m, {"type": "status.get"})
        if snapshot.get("ok") and snapshot["result"]["connection"]["state"] == "disconnected":
            break
        time.sleep(0.3)
    error = (snapshot or {}).get("result", {}).get("connection", {}).get("lastError") or {}
    check("without the manifest Firefox's error maps to hostNotInstalled",
          error.get("code") == "hostNotInstalled" and "No such native application" in (error.get("detail") or ""), error)
    m.call("WebDriver:Refresh")
    view = m.poll("return document.body.dataset.rendered === '1' && document.getElementById('headline').textContent")
    check("the popup says the helper app is not installed", view == "Helper app not installed", view)


def host_pids(binary):
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.readlink("/proc/%s/exe" % entry) == binary:
                    pids.append(int(entry))
            except OSError:
                pass
    return pids


def run(args):
    binary = os.path.join(os.path.abspath(args.bin), "crm-whatsapp-host")
    if not os.access(binary, os.X_OK):
        check("the host binary exists", False, binary)
        return
    artifacts = os.path.abspath(args.artifacts)
    os.makedirs(artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="crm-wa-e2e-ff-")
    home = os.path.join(work, "home")
    profile = os.path.join(work, "profile")
    os.makedirs(home)
    os.makedirs(profile)
    # Firefox reads user-level host manifests only from $HOME/.mozilla/native-messaging-hosts: a temp HOME isolates the run.
    env = dict(os.environ, HOME=home, MOZ_CRASHREPORTER_DISABLE="1")
    env.pop("XDG_CONFIG_HOME", None)
    env.pop("XDG_DATA_HOME", None)
    env.pop("CRM_WHATSAPP_DATA_DIR", None)
    # The host's engine reaches wa-sim only: its settings go through Firefox's environment to the host.
    sim = WASim(os.path.abspath(args.bin), work, os.path.join(artifacts, "wa-sim-firefox.log"))
    env.update(sim.host_env())
    subprocess.run([os.path.join(ROOT, "install-host.sh"), "install", "--browser", "firefox", "--binary", binary],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    installed = os.path.join(home, ".local", "lib", "crm-whatsapp", "crm-whatsapp-host")
    prefs = {
        "extensions.webextensions.uuids": json.dumps({ADDON_ID: ADDON_UUID}),
        "marionette.port": 0,
        "browser.shell.checkDefaultBrowser": False,
        "datareporting.policy.dataSubmissionEnabled": False,
        "toolkit.telemetry.reportingpolicy.firstRun": False,
        "app.update.disabledForTesting": True,
        "browser.startup.homepage_override.mstone": "ignore",
    }
    with open(os.path.join(profile, "user.js"), "w") as f:
        for key, value in prefs.items():
            f.write("user_pref(%s, %s);\n" % (json.dumps(key), json.dumps(value)))
    log = open(os.path.join(artifacts, "firefox.log"), "wb")
    browser = subprocess.Popen([args.firefox, "--headless", "--marionette", "--remote-allow-system-access", "--no-remote",
                                "--profile", profile, "about:blank"], env=env, stdout=log, stderr=subprocess.STDOUT)
    m = None
    try:
        port_file = os.path.join(profile, "MarionetteActivePort")
        deadline = time.monotonic() + 60
        while not (os.path.exists(port_file) and open(port_file).read().strip()):
            if time.monotonic() > deadline or browser.poll() is not None:
                raise RuntimeError("Firefox did not start (see firefox.log)")
            time.sleep(0.1)
        m = Marionette(int(open(port_file).read().strip()))
        say("Firefox", browser.pid, "Marionette ready")
        scenario(m, env, installed, artifacts, sim)
    except Exception as error:
        check("scenario ran to the end", False, "%s: %s" % (type(error).__name__, error))
    finally:
        if m:
            try:
                m.call("Marionette:Quit", {"flags": ["eAttemptQuit"]})
            except Exception:
                pass
        try:
            browser.wait(20)
        except subprocess.TimeoutExpired:
            browser.send_signal(signal.SIGKILL)
            browser.wait()
        log.close()
        sim.stop()
        time.sleep(1)
        left = host_pids(installed)
        check("no host process is left after Firefox quits", not left, left)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        if args.keep:
            say("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.environ.get("CRM_WHATSAPP_BIN", os.path.join(ROOT, ".build", "debug")))
    parser.add_argument("--artifacts", default=os.environ.get("CRM_WHATSAPP_ARTIFACTS", os.path.join(ROOT, "test-artifacts")))
    parser.add_argument("--firefox", default=shutil.which("firefox-esr") or shutil.which("firefox") or "firefox-esr")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.artifacts, exist_ok=True)
    run(args)
    with open(os.path.join(args.artifacts, "e2e-firefox.json"), "w") as f:
        json.dump(results, f, indent=1)
    failed = [r for r in results if not r["passed"]]
    print("e2e-firefox: %d passed, %d failed" % (len(results) - len(failed), len(failed)))
    sys.exit(1 if failed or not results else 0)


if __name__ == "__main__":
    main()
