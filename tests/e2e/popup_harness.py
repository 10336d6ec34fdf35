#!/usr/bin/env python3
"""Screenshots of the popup and of the in-page "Link WhatsApp" dialog in every engine state of the
linking contract, rendered by headless Chromium from the real extension files with a stubbed `chrome`
API (tests/e2e/popup-harness/: fixtures.js, chrome-stub.js, dialog.html). For looking at, not asserting:
the words are checked by tests/extension/status.test.js and page-dialog.test.js.

usage: python3 tests/e2e/popup_harness.py [--artifacts DIR] [--chrome PATH] [--only NAME ...] [--serve]
Writes DIR/popup-<state>.png and DIR/dialog-<state>.png (default DIR: test-artifacts/ui).
Standard library only; serves the repository on 127.0.0.1 for the duration.
"""
import argparse
import base64
import functools
import http.server
import json
import os
import re
import struct
import subprocess
import sys
import threading
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
HARNESS = "/tests/e2e/popup-harness/"

# The fixture names of fixtures.js shown in the dialog too (the page only needs the linking flow).
DIALOG_STATES = ["unlinked", "unlinked-phone-form", "linking-qr", "linking-qr-refreshing", "linking-phone",
                 "linking-phone-expired", "unlinked-qr-expired", "unlinked-passkey", "disconnected-network",
                 "stopped-replaced", "unavailable-configuration", "host-not-installed", "unavailable-shell"]


def fixture_names():
    text = open(os.path.join(HERE, "popup-harness", "fixtures.js"), encoding="utf-8").read()
    return re.findall(r"^\s+'([a-z-]+)': \[", text, re.M)


def qr_like_png(modules=29, scale=8, quiet=4):
    """A PNG that looks like a version-3 QR code (finder patterns, timing, pseudo-random data).
    It encodes nothing: the harness only needs something QR-shaped to look at."""
    grid = [[0] * modules for _ in range(modules)]
    seed = 0x2545F491
    for y in range(modules):
        for x in range(modules):
            seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
            grid[y][x] = (seed >> 16) & 1
    for y in range(modules):
        grid[y][6] = grid[6][y] = (y + 1) % 2
    for oy, ox in ((0, 0), (0, modules - 7), (modules - 7, 0)):
        for y in range(-1, 8):
            for x in range(-1, 8):
                yy, xx = oy + y, ox + x
                if 0 <= yy < modules and 0 <= xx < modules:
                    ring = max(abs(y - 3), abs(x - 3))
                    grid[yy][xx] = 1 if ring in (0, 1, 3) else 0 if ring in (2, 4) else grid[yy][xx]
    size = (modules + 2 * quiet) * scale
    rows = []
    for py in range(size):
        my = py // scale - quiet
        row = bytearray([0])
        for px in range(size):
            mx = px // scale - quiet
            dark = 0 <= my < modules and 0 <= mx < modules and grid[my][mx]
            row.append(0 if dark else 255)
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
    return base64.b64encode(png).decode()


class Handler(http.server.SimpleHTTPRequestHandler):
    qr_png = ""

    def log_message(self, *args):
        pass

    def do_GET(self):
        m = re.match(r"^/harness/(popup|dialog)/([a-z-]+)$", self.path)
        if not m:
            return super().do_GET()
        kind, name = m.groups()
        boot = "<script>globalThis.HARNESS = %s;</script><script src=\"%sfixtures.js\"></script>" % (
            json.dumps({"name": name, "qrPng": self.qr_png}), HARNESS)
        if kind == "popup":
            html = open(os.path.join(ROOT, "extension", "popup", "popup.html"), encoding="utf-8").read()
            html = html.replace("<head>", "<head><base href=\"/extension/popup/\">" + boot +
                                "<script src=\"%schrome-stub.js\"></script>" % HARNESS, 1)
        else:
            html = open(os.path.join(HERE, "popup-harness", "dialog.html"), encoding="utf-8").read()
            html = html.replace("<!--BOOT-->", boot, 1)
        body = html.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def shoot(chrome, url, path, width, height):
    cmd = [chrome, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
           "--force-device-scale-factor=1", "--window-size=%d,%d" % (width, height),
           "--virtual-time-budget=3000", "--screenshot=" + path, url]
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
    ok = r.returncode == 0 and os.path.exists(path)
    print(("ok   " if ok else "FAIL ") + path, flush=True)
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--artifacts", default=os.path.join(ROOT, "test-artifacts", "ui"))
    parser.add_argument("--chrome", default=os.environ.get("CRM_WHATSAPP_CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--serve", action="store_true", help="only serve, print the URLs, wait")
    args = parser.parse_args()
    Handler.qr_png = qr_like_png()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=ROOT))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % server.server_address[1]
    names = fixture_names()
    if args.serve:
        for n in names:
            print("%s/harness/popup/%s" % (base, n))
        input("serving; Enter stops ")
        return 0
    os.makedirs(args.artifacts, exist_ok=True)
    failed = 0
    for n in names:
        if args.only and n not in args.only:
            continue
        failed += not shoot(args.chrome, "%s/harness/popup/%s" % (base, n), os.path.join(args.artifacts, "popup-%s.png" % n), 392, 720)
        if n in DIALOG_STATES:
            failed += not shoot(args.chrome, "%s/harness/dialog/%s" % (base, n), os.path.join(args.artifacts, "dialog-%s.png" % n), 900, 700)
    server.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
