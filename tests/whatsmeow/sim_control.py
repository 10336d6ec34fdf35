#!/usr/bin/env python3
"""wa-sim's control API from the shell (loopback only).

  sim_control.py HOST:PORT METHOD PATH [JSON_BODY]          one call; prints the JSON answer
  sim_control.py HOST:PORT scan PHONE QR_FILE [TIMEOUT_S]   the phone "scans" the QR whatsmeow writes to
                                                            QR_FILE as soon as it appears
Exit 1 on an HTTP error (its body goes to stderr).
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request


def call(control, method, path, body=None):
    host = control.split(":")[0]
    if host not in ("127.0.0.1", "localhost", "[::1]"):
        raise SystemExit("control API must be on loopback")
    data = None if body is None else body.encode()
    request = urllib.request.Request(f"http://{control}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()


def main():
    control, verb = sys.argv[1], sys.argv[2]
    try:
        if verb == "scan":
            phone, qr_file = sys.argv[3], sys.argv[4]
            deadline = time.time() + (float(sys.argv[5]) if len(sys.argv) > 5 else 60)
            while not os.path.exists(qr_file):
                if time.time() > deadline:
                    print("no QR appeared in " + qr_file, file=sys.stderr)
                    return 1
                time.sleep(0.1)
            with open(qr_file) as handle:
                qr = handle.read().strip()
            print(call(control, "POST", f"/phones/{phone}/scan", json.dumps({"qr": qr})), end="")
        else:
            body = sys.argv[4] if len(sys.argv) > 4 else None
            print(call(control, verb, sys.argv[3], body), end="")
    except urllib.error.HTTPError as error:
        print(f"HTTP {error.code}: {error.read().decode()}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
