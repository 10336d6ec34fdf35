#!/usr/bin/env python3
"""The real crm-whatsapp-host binary, spoken to through native-messaging frames, against wa-sim.

Usage: host_linking.py --bin DIR --artifacts DIR [--only NAME ...]

Starts wa-sim (TLS on 127.0.0.1, a test CA and root key) with two phones, then runs each scenario
against the host binary exactly as a browser would start it (one process per port, the caller origin
as argument, 4-byte little-endian length + JSON frames on stdin/stdout), with the server settings in
the environment:

  qr-link          link.start qr -> link.qr; the PNG, decoded by an independent decoder (ZXing C++,
                   PyPI zxing-cpp), equals the event's code; the phone scans that text -> connected
                   with the phone's number (account.phone, account.jid), then its push name
                   (account.pushName, from the phone's first peer message)
  relaunch         SIGKILL the host, start it again: connected with no QR, the push name kept
  restart-515      the server restarts the stream (515): back to connected
  replaced         the server says another client took over: stopped/replaced
  second-host      a second host on the same data directory: stopped/inUseElsewhere, link.start gets
                   error 25 (engineBusy); it takes over (connected) when the first exits
  unlink-by-phone  the phone removes the device: loggedOut/loggedOutByPhone
  code-link        link.start phone -> link.pairingCode -> the phone's user types it -> connected
  logout           engine.logout: loggedOut/loggedOutByUser, and the phone no longer lists the device
  kill-during-link 12 rounds: SIGKILL the host 0-150 ms after the phone scans, start it again: it settles
                   on connected (the link completed) or starts over as unlinked (linkIncomplete when the link
                   was stored but never confirmed), never loggedOut; then a fresh QR link works

Prints one line per check and closes with `N passed, M failed`; exits 1 when a check failed.
Standard library plus zxing-cpp (the PNG is decoded here with zlib, so no imaging library is needed).
"""
import argparse
import base64
import json
import os
import queue
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib

ORIGIN = "chrome-extension://lgpglinhmaadahglcbjajchcmaaaglnn/"
QR_PHONE = "15551234567"
CODE_PHONE = "15557654321"
STEP_TIMEOUT = 10.0


# ---------------------------------------------------------------- PNG -> grayscale -> ZXing

def png_to_gray(data):
    """Decodes a non-interlaced 8-bit PNG (gray, gray+alpha, RGB, RGBA, or 1/2/4/8-bit gray/palette)
    to (width, height, bytes of 8-bit luminance)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, palette = 8, b"", None
    width = height = depth = ctype = None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if interlace:
                raise ValueError("interlaced PNG")
        elif kind == b"PLTE":
            palette = body
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    bits = depth * channels
    stride = (width * bits + 7) // 8
    bpp = max(1, bits // 8)
    raw = zlib.decompress(idat)
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    out = bytearray(width * height)
    for y, line in enumerate(rows):
        for x in range(width):
            if depth < 8:
                per = 8 // depth
                v = (line[x // per] >> (8 - depth * (x % per + 1))) & ((1 << depth) - 1)
                if ctype == 3:
                    r, g, b = palette[3 * v:3 * v + 3]
                    out[y * width + x] = (r * 299 + g * 587 + b * 114) // 1000
                else:
                    out[y * width + x] = v * 255 // ((1 << depth) - 1)
                continue
            px = line[x * bpp:(x + 1) * bpp] if depth == 8 else line[x * bpp:(x + 1) * bpp:2]
            if ctype in (0, 4):
                v = px[0]
                if ctype == 4:
                    v = (v * px[1] + 255 * (255 - px[1])) // 255
            elif ctype == 3:
                r, g, b = palette[3 * px[0]:3 * px[0] + 3]
                v = (r * 299 + g * 587 + b * 114) // 1000
            else:
                v = (px[0] * 299 + px[1] * 587 + px[2] * 114) // 1000
                if ctype == 6:
                    v = (v * px[3] + 255 * (255 - px[3])) // 255
            out[y * width + x] = v
    return width, height, bytes(out)


def decode_qr(png):
    """The QR text in the PNG, decoded by ZXing C++ (independent of the host's encoder)."""
    import zxingcpp
    width, height, gray = png_to_gray(png)
    image = memoryview(gray).cast("B", (height, width))
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return found[0].text if found else None


# ---------------------------------------------------------------- wa-sim

class Sim:
    def __init__(self, bin_dir, work, log_path):
        self.work = work
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(
            [os.path.join(bin_dir, "wa-sim"), "--listen-tls", "127.0.0.1:0", "--control", "127.0.0.1:0",
             "--tls-dir", os.path.join(work, "tls"), "--root-key", os.path.join(work, "root.key"),
             "--max-seconds", "600", "--phone", QR_PHONE, "--phone", CODE_PHONE],
            stdout=subprocess.PIPE, stderr=self.log)
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit("wa-sim did not start (see wa-sim.log)")
        self.endpoints = json.loads(line)
        self.control = "http://" + self.endpoints["control"]

    def call(self, method, path, body=None, raw=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.control + path, method=method, data=data)
        try:
            with urllib.request.urlopen(req, timeout=STEP_TIMEOUT) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def host_env(self, data_dir):
        return {
            "CRM_WHATSAPP_DATA_DIR": data_dir,
            "CRM_WHATSAPP_SERVER_URL": "wss://" + self.endpoints["wss"] + "/ws/chat",
            "CRM_WHATSAPP_ROOT_PUBKEY": self.endpoints["rootPublicKey"],
            "CRM_WHATSAPP_CA_FILE": self.endpoints["caFile"],
            "XDG_STATE_HOME": os.path.join(self.work, "state"),
        }

    def devices(self, phone):
        _, body = self.call("GET", "/phones/" + phone)
        return body.get("devices", [])

    def open_connections(self):
        _, body = self.call("GET", "/connections")
        return [c for c in body if c.get("state") not in ("closed",) and not c.get("closedAt")]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


# ---------------------------------------------------------------- the host

class Host:
    """One host process, as the browser starts it for one port."""

    def __init__(self, bin_dir, env, name, artifacts):
        self.name = name
        self.stderr = open(os.path.join(artifacts, name + ".stderr"), "ab")
        self.proc = subprocess.Popen([os.path.join(bin_dir, "crm-whatsapp-host"), ORIGIN],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                                     env=dict(os.environ, SWIFT_BACKTRACE="enable=no", **env))
        self.frames = queue.Queue()
        self.seen = []
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            head = out.read(4)
            if len(head) < 4:
                self.frames.put(None)
                return
            (n,) = struct.unpack("<I", head)
            self.frames.put(json.loads(out.read(n)))

    def send(self, type_, payload=None):
        ident = self.next_id
        self.next_id += 1
        body = json.dumps({"id": ident, "type": type_, "payload": payload or {}}).encode()
        self.proc.stdin.write(struct.pack("<I", len(body)) + body)
        self.proc.stdin.flush()
        return ident

    def until(self, pred, what, timeout=STEP_TIMEOUT):
        """The first frame (reply or event) matching pred; raises Failure with the frames seen."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise Failure("%s: no %s within %.0f s; last frames: %s" % (self.name, what, timeout, self.tail()))
            try:
                m = self.frames.get(timeout=left)
            except queue.Empty:
                continue
            if m is None:
                raise Failure("%s: host exited (%s) before %s; last frames: %s"
                              % (self.name, self.proc.poll(), what, self.tail()))
            self.seen.append(m)
            if pred(m):
                return m

    def request(self, type_, payload=None, timeout=STEP_TIMEOUT):
        ident = self.send(type_, payload)
        return self.until(lambda m: m.get("id") == ident, "reply to " + type_, timeout)

    def state(self, state, reason=None, timeout=STEP_TIMEOUT):
        """The next engine.state event (or hello/status result) with this state (and reason)."""
        def match(m):
            s = engine_status(m)
            return s is not None and s.get("state") == state and (reason is None or s.get("reason") == reason)
        return engine_status(self.until(match, "state %s/%s" % (state, reason), timeout))

    def tail(self):
        return json.dumps([short(m) for m in self.seen[-6:]])[:1500]

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=5)
        self.stderr.close()

    def close(self):
        """As the browser does when the port goes away: stdin closes; the host should exit by itself."""
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()


def engine_status(m):
    if m.get("type") == "engine.state":
        return m["payload"]
    r = m.get("result")
    if isinstance(r, dict):
        return r.get("engine", r) if "engine" in r else (r if "state" in r else None)
    return None


def short(m):
    def cut(v):
        return v[:48] + "..." if isinstance(v, str) and len(v) > 48 else v
    if isinstance(m.get("payload"), dict):
        return dict(m, payload={k: cut(v) for k, v in m["payload"].items()})
    return m


class Failure(Exception):
    pass


# ---------------------------------------------------------------- scenarios

class Run:
    def __init__(self, args):
        self.bin = args.bin
        self.art = args.artifacts
        self.work = tempfile.mkdtemp(prefix="crm-host-linking-")
        self.sim = Sim(self.bin, self.work, os.path.join(self.art, "wa-sim.log"))
        self.data = os.path.join(self.work, "data-qr")
        self.data_code = os.path.join(self.work, "data-code")
        self.hosts = []
        self.passed = self.failed = 0
        self.figures = {}

    def host(self, data_dir, name):
        h = Host(self.bin, self.sim.host_env(data_dir), name, self.art)
        self.hosts.append(h)
        return h

    def check(self, cond, what):
        if not cond:
            raise Failure(what)

    def connected_as(self, status, phone):
        acct = status.get("account") or {}
        self.check(acct.get("phone") == phone, "account.phone %r != %s" % (acct.get("phone"), phone))
        self.check(str(acct.get("jid", "")).startswith(phone + ":") and acct["jid"].endswith("@s.whatsapp.net"),
                   "account.jid %r is not a device of %s" % (acct.get("jid"), phone))

    # (a)
    def qr_link(self):
        h = self.host(self.data, "host-qr")
        hello = h.request("host.hello", {"protocolVersion": 1})
        self.check(hello["result"]["engine"]["state"] == "unlinked", "fresh host: %s" % hello["result"]["engine"])
        t0 = time.monotonic()
        r = h.request("link.start", {"method": "qr"})
        self.check(r.get("result", {}).get("state") == "linking" and r["result"].get("method") == "qr",
                   "link.start result %s" % short(r))
        qr = h.until(lambda m: m.get("type") == "link.qr", "link.qr")["payload"]
        self.figures["linkStartToQrMs"] = round((time.monotonic() - t0) * 1000)
        self.check(qr["code"].startswith("https://wa.me/settings/linked_devices#"), "QR text form")
        self.check(qr.get("index") == 1 and qr.get("expiresAt", 0) > time.time() * 1000, "QR index/expiresAt")
        png = base64.b64decode(qr["pngBase64"])
        with open(os.path.join(self.art, "link-qr.png"), "wb") as f:
            f.write(png)
        decoded = decode_qr(png)
        self.check(decoded == qr["code"], "ZXing decoded %r, the event's code differs" % (decoded and decoded[:40]))
        t1 = time.monotonic()
        status, body = self.sim.call("POST", "/phones/%s/scan" % QR_PHONE, {"qr": decoded})
        self.check(status == 200 and body.get("device"), "scan: %s %s" % (status, body))
        st = h.state("connected")
        self.figures["scanToConnectedMs"] = round((time.monotonic() - t1) * 1000)
        self.connected_as(st, QR_PHONE)
        # The phone's first peer message names the account: engine.state then carries its push name.
        _, phone = self.sim.call("GET", "/phones/" + QR_PHONE)
        self.push_name = phone["pushName"]
        if (st.get("account") or {}).get("pushName") != self.push_name:
            named = h.until(lambda m: ((engine_status(m) or {}).get("account") or {}).get("pushName") == self.push_name,
                            "engine.state with the push name %r" % self.push_name)
            self.check(engine_status(named)["state"] == "connected", "named status %s" % short(named))
        self.qr_host = h

    # (b)
    def relaunch(self):
        self.qr_host.kill()
        h = self.host(self.data, "host-relaunch")
        t0 = time.monotonic()
        hello = h.request("host.hello", {"protocolVersion": 1})
        st = hello["result"]["engine"]
        if st["state"] != "connected":
            st = h.state("connected")
        self.figures["relaunchToConnectedMs"] = round((time.monotonic() - t0) * 1000)
        self.connected_as(st, QR_PHONE)
        self.check((st.get("account") or {}).get("pushName") == self.push_name,
                   "relaunch: the stored push name %r, got %s" % (self.push_name, st.get("account")))
        self.check(not any(m.get("type") in ("link.qr", "link.pairingCode") for m in h.seen), "a QR after relaunch")
        self.main_host = h

    def device_connection(self, after=0):
        """The id of the newest open connection of a logged-in device (the host's)."""
        conns = [c for c in self.sim.open_connections() if c["id"] > after]
        self.check(conns, "no open connection on wa-sim")
        return max(c["id"] for c in conns)

    # (d) 515
    def restart_515(self):
        h = self.main_host
        cid = self.device_connection()
        status, body = self.sim.call("POST", "/connections/%d/stream-error" % cid, {"code": 515})
        self.check(status == 200, "stream-error 515: %s %s" % (status, body))
        mark = len(h.seen)
        st = h.state("connected")
        self.connected_as(st, QR_PHONE)
        self.check(self.device_connection() > cid, "no new connection after the 515")
        # The host may coalesce states the browser has not read yet; whatever it sent in between says restart.
        between = [m["payload"] for m in h.seen[mark:] if m.get("type") == "engine.state"]
        self.check(all(s.get("reason") == "restart" for s in between if s.get("state") == "disconnected"),
                   "states after the 515: %s" % between)
        self.check(not any(s.get("state") in ("loggedOut", "stopped", "unlinked") for s in between),
                   "states after the 515: %s" % between)

    # (d) replaced
    def replaced(self):
        h = self.main_host
        cid = self.device_connection()
        status, body = self.sim.call("POST", "/connections/%d/stream-error" % cid, {"conflict": "replaced"})
        self.check(status == 200, "stream-error replaced: %s %s" % (status, body))
        st = h.state("stopped")
        self.check(st.get("reason") == "replaced", "stopped with reason %r" % st.get("reason"))
        time.sleep(0.5)
        self.check(h.request("engine.status")["result"]["state"] == "stopped", "engine.status after replaced")
        h.close()
        # The user acts (a new host): it connects again.
        self.main_host = self.host(self.data, "host-after-replaced")
        hello = self.main_host.request("host.hello", {"protocolVersion": 1})
        if hello["result"]["engine"]["state"] != "connected":
            self.main_host.state("connected")

    # (e)
    def second_host(self):
        first = self.main_host
        second = self.host(self.data, "host-second")
        hello = second.request("host.hello", {"protocolVersion": 1})
        st = hello["result"]["engine"]
        if st["state"] != "stopped":
            st = second.state("stopped")
        self.check(st.get("reason") == "inUseElsewhere", "second host: %s" % st)
        r = second.request("link.start", {"method": "qr"})
        self.check(r.get("error", {}).get("code") == 25, "link.start on the second host: %s" % short(r))
        self.check(first.request("engine.status")["result"]["state"] == "connected", "first host disturbed")
        t0 = time.monotonic()
        first.close()
        st = second.state("connected", timeout=15)
        self.figures["takeOverAfterExitMs"] = round((time.monotonic() - t0) * 1000)
        self.connected_as(st, QR_PHONE)
        self.main_host = second

    # (d) unlink by phone
    def unlink_by_phone(self):
        h = self.main_host
        devices = self.sim.devices(QR_PHONE)
        self.check(len(devices) == 1, "phone lists %d devices" % len(devices))
        status, body = self.sim.call("DELETE", "/phones/%s/devices/%s" % (QR_PHONE, devices[0]["device"]))
        self.check(status == 200, "unlink: %s %s" % (status, body))
        st = h.state("loggedOut")
        self.check(st.get("reason") == "loggedOutByPhone", "loggedOut reason %r" % st.get("reason"))
        self.check("account" not in st or not st["account"], "account kept after loggedOut: %s" % st)
        h.close()
        h2 = self.host(self.data, "host-after-unlink")
        st = h2.request("host.hello", {"protocolVersion": 1})["result"]["engine"]
        self.check(st["state"] in ("unlinked", "loggedOut"), "relaunch after unlink: %s" % st)
        self.check(not any(m.get("type") == "engine.state" and m["payload"]["state"] == "connected"
                           for m in h2.seen), "connected again after unlink")
        h2.close()

    # (c)
    def code_link(self):
        h = self.host(self.data_code, "host-code")
        hello = h.request("host.hello", {"protocolVersion": 1})
        self.check(hello["result"]["engine"]["state"] == "unlinked", "fresh host: %s" % hello["result"]["engine"])
        r = h.request("link.start", {"method": "phone", "phone": CODE_PHONE})
        self.check(r.get("result", {}).get("method") == "phone", "link.start phone: %s" % short(r))
        code = h.until(lambda m: m.get("type") == "link.pairingCode", "link.pairingCode")["payload"]
        self.check(len(code["code"]) == 8 and code["code"].isalnum(), "pairing code form %r" % code["code"])
        typed = code["code"][:4] + "-" + code["code"][4:]
        status, body = self.sim.call("POST", "/phones/%s/code" % CODE_PHONE, {"code": typed})
        self.check(status == 200, "code: %s %s" % (status, body))
        st = h.state("connected")
        self.connected_as(st, CODE_PHONE)
        self.code_host = h

    # (d) logout
    def logout(self):
        h = self.code_host
        self.check(len(self.sim.devices(CODE_PHONE)) == 1, "the code phone lists no device")
        r = h.request("engine.logout")
        st = r.get("result") or {}
        if st.get("state") != "loggedOut":
            st = h.state("loggedOut")
        self.check(st.get("reason") == "loggedOutByUser", "logout reason %r" % st.get("reason"))
        end = time.monotonic() + 5
        while self.sim.devices(CODE_PHONE) and time.monotonic() < end:
            time.sleep(0.1)
        self.check(not self.sim.devices(CODE_PHONE), "the phone still lists %s" % self.sim.devices(CODE_PHONE))
        r = h.request("link.start", {"method": "qr"})
        self.check(r.get("result", {}).get("state") == "linking", "link.start after logout: %s" % short(r))
        h.until(lambda m: m.get("type") == "link.qr", "a fresh QR after logout")
        h.close()

    # (e) SIGKILL at each step of pairing and login: 12 rounds, kills from 0 to 150 ms after the scan starts, so
    # they land before, during and after pair-success / pair-device-sign / 515 / the first login. The relaunched
    # host must settle on connected (link completed) or unlinked (started over, and a fresh QR link then works).
    def kill_during_link(self):
        outcomes = {}
        # Pairing against wa-sim takes a few ms, so the delays are dense at the start.
        for round_, ms in enumerate([0, 1, 2, 3, 5, 7, 10, 14, 20, 30, 60, 150]):
            delay = ms / 1000
            data = os.path.join(self.work, "data-kill-%d" % round_)
            h = self.host(data, "host-kill-%d" % round_)
            h.request("host.hello", {"protocolVersion": 1})
            h.request("link.start", {"method": "qr"})
            code = h.until(lambda m: m.get("type") == "link.qr", "link.qr")["payload"]["code"]
            scan = threading.Thread(target=self.sim.call, args=("POST", "/phones/%s/scan" % QR_PHONE, {"qr": code}))
            scan.start()
            time.sleep(delay)
            h.kill()
            scan.join(timeout=STEP_TIMEOUT)
            h2 = self.host(data, "host-kill-%d-again" % round_)
            st = h2.request("host.hello", {"protocolVersion": 1})["result"]["engine"]
            end = time.monotonic() + STEP_TIMEOUT
            # A kill after the link is stored but before its pair-device-sign reaches wa-sim leaves credentials the
            # server never accepted: the relaunch's login gets 401 and must start over as unlinked/linkIncomplete,
            # never loggedOut (the phone logged nothing out).
            while st.get("state") not in ("connected", "unlinked", "loggedOut"):
                self.check(st.get("state") in ("connecting", "linking", "starting", "reconnecting")
                           and time.monotonic() < end,
                           "round %d (kill after %.0f ms): relaunched host stuck at %s" % (round_, delay * 1000, st))
                st = engine_status(h2.until(lambda m: engine_status(m) is not None, "a state", max(end - time.monotonic(), 0.1)))
            outcomes["%dms" % ms] = st["state"] + ("/%s" % st["reason"] if st.get("reason") else "")
            self.check(st["state"] in ("connected", "unlinked"),
                       "round %d (kill after %.0f ms): relaunched host ended %s, not connected or unlinked"
                       % (round_, delay * 1000, st))
            if st["state"] == "unlinked":
                h2.request("link.start", {"method": "qr"})
                code = h2.until(lambda m: m.get("type") == "link.qr", "a fresh QR after starting over")["payload"]["code"]
                status, body = self.sim.call("POST", "/phones/%s/scan" % QR_PHONE, {"qr": code})
                self.check(status == 200, "round %d: scan after starting over: %s %s" % (round_, status, body))
                st = h2.state("connected")
            self.connected_as(st, QR_PHONE)
            h2.close()
            for device in self.sim.devices(QR_PHONE):
                self.sim.call("DELETE", "/phones/%s/devices/%s" % (QR_PHONE, device["device"]))
        self.figures["killDuringLinkOutcomes"] = outcomes

    def run(self, only):
        # Each scenario depends on the previous ones' state, so a failure skips the ones that need it.
        plan = [("qr-link", self.qr_link, None), ("relaunch", self.relaunch, "qr-link"),
                ("restart-515", self.restart_515, "relaunch"), ("replaced", self.replaced, "relaunch"),
                ("second-host", self.second_host, "replaced"), ("unlink-by-phone", self.unlink_by_phone, "second-host"),
                ("code-link", self.code_link, None), ("logout", self.logout, "code-link"),
                ("kill-during-link", self.kill_during_link, None)]
        ok = set()
        for name, fn, needs in plan:
            if only and name not in only:
                continue
            if needs and needs not in ok and (not only or needs in only):
                print("FAIL %s: skipped, needs %s" % (name, needs))
                self.failed += 1
                continue
            t0 = time.monotonic()
            try:
                fn()
                ok.add(name)
                self.passed += 1
                print("ok   %s (%.2f s)" % (name, time.monotonic() - t0))
            except Failure as e:
                self.failed += 1
                print("FAIL %s: %s" % (name, e))
            sys.stdout.flush()

    def finish(self):
        for h in self.hosts:
            if h.proc.poll() is None:
                h.proc.kill()
                h.proc.wait()
        self.sim.stop()
        shutil.rmtree(self.work, ignore_errors=True)
        with open(os.path.join(self.art, "figures.json"), "w") as f:
            json.dump(self.figures, f, indent=1, sort_keys=True)
        print("figures:", json.dumps(self.figures, sort_keys=True))
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--artifacts", required=True)
    ap.add_argument("--only", action="append", default=[])
    args = ap.parse_args()
    os.makedirs(args.artifacts, exist_ok=True)
    run = Run(args)
    try:
        run.run(args.only)
    finally:
        code = run.finish()
    sys.exit(code)


if __name__ == "__main__":
    main()
