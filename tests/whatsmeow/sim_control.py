#!/usr/bin/env python3
"""wa-sim's control API from the shell (loopback only).

  sim_control.py HOST:PORT METHOD PATH [JSON_BODY]          one call; prints the JSON answer
  sim_control.py HOST:PORT scan PHONE QR_FILE [TIMEOUT_S]   the phone "scans" the QR whatsmeow writes to
                                                            QR_FILE as soon as it appears
  sim_control.py HOST:PORT code PHONE CODE_FILE [TIMEOUT_S] the phone's user types the code whatsmeow
                                                            writes to CODE_FILE as soon as it appears
  sim_control.py HOST:PORT refresh-scan PHONE QR_FILE [TIMEOUT_S]
                                                            once a QR appears, the server sends
                                                            companion_reg_refresh to the waiting companion;
                                                            the phone scans the QR redrawn with the new secret
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


def wait_for(path, deadline, changed_from=None):
    while True:
        if os.path.exists(path):
            with open(path) as handle:
                text = handle.read().strip()
            if text and text != changed_from:
                return text
        if time.time() > deadline:
            return None
        time.sleep(0.1)


def main():
    control, verb = sys.argv[1], sys.argv[2]
    try:
        if verb == "refresh-scan":
            phone, path = sys.argv[3], sys.argv[4]
            deadline = time.time() + (float(sys.argv[5]) if len(sys.argv) > 5 else 60)
            first = wait_for(path, deadline)
            if first is None:
                print("no QR appeared in " + path, file=sys.stderr)
                return 1
            ref = first.split("#", 1)[-1].split(",")[0]
            waiting = [c for c in json.loads(call(control, "GET", "/connections"))
                       if any(e.startswith("sent pair-device") and ref in e for e in c.get("events", []))]
            if not waiting:
                print("no connection sent ref " + ref, file=sys.stderr)
                return 1
            call(control, "POST", f"/connections/{waiting[-1]['id']}/companion-reg-refresh", "{}")
            redrawn = wait_for(path, deadline, changed_from=first)
            if redrawn is None:
                print("the QR was not redrawn after companion_reg_refresh", file=sys.stderr)
                return 1
            print(call(control, "POST", f"/phones/{phone}/scan", json.dumps({"qr": redrawn})), end="")
            return 0
        if verb in ("scan", "code"):
            phone, path = sys.argv[3], sys.argv[4]
            deadline = time.time() + (float(sys.argv[5]) if len(sys.argv) > 5 else 60)
            while not os.path.exists(path):
                if time.time() > deadline:
                    print("nothing appeared in " + path, file=sys.stderr)
                    return 1
                time.sleep(0.1)
            with open(path) as handle:
                text = handle.read().strip()
            body = json.dumps({"qr": text} if verb == "scan" else {"code": text})
            print(call(control, "POST", f"/phones/{phone}/{verb}", body), end="")
        else:
            body = sys.argv[4] if len(sys.argv) > 4 else None
            print(call(control, verb, sys.argv[3], body), end="")
    except urllib.error.HTTPError as error:
        print(f"HTTP {error.code}: {error.read().decode()}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
