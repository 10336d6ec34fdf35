#!/usr/bin/env python3
"""The phone side of suite 60's post-login run, through wa-sim's control API (loopback only).

  post_login_scenario.py HOST:PORT PHONE OUT.json [TIMEOUT_S]

Waits until a device of PHONE is online, tells it its pre-keys run low (<notification type="encrypt">
<count value="3"/>) and waits for the upload that answers it, sends <stream:error code="515"/> (a restart),
waits until the device is online again on a new connection, then the phone unlinks it (401
device_removed). Writes the steps it saw to OUT.json; exit 1 if a step timed out.
"""
import json
import sys
import time
import urllib.request


def call(control, method, path, body=None):
    if control.split(":")[0] not in ("127.0.0.1", "localhost"):
        raise SystemExit("control API must be on loopback")
    request = urllib.request.Request(f"http://{control}{path}", data=None if body is None else body.encode(),
                                     method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read().decode())


def online_connection(control, phone, newer_than=0):
    devices = [d for d in call(control, "GET", f"/phones/{phone}")["devices"] if d["online"]]
    if not devices:
        return None, None
    opened = [c for c in call(control, "GET", "/connections")
              if c["state"] != "closed" and (c.get("payload") or {}).get("kind") == "login"
              and "sent success" in c.get("events", []) and c["id"] > newer_than]
    return (opened[-1]["id"], devices[0]["device"]) if opened else (None, None)


def main():
    control, phone, out = sys.argv[1], sys.argv[2], sys.argv[3]
    deadline = time.time() + (float(sys.argv[4]) if len(sys.argv) > 4 else 90)
    steps = []

    def wait(newer_than=0):
        while time.time() < deadline:
            connection, device = online_connection(control, phone, newer_than)
            if connection:
                return connection, device
            time.sleep(0.2)
        return None, None

    def pre_keys():
        devices = call(control, "GET", f"/phones/{phone}")["devices"]
        return devices[0]["preKeyCount"] if devices else 0

    first, device = wait()
    if first:
        steps.append({"step": "online", "connection": first})
        before = pre_keys()
        call(control, "POST", f"/connections/{first}/prekey-low", json.dumps({"count": 3}))
        while time.time() < deadline and pre_keys() <= before:
            time.sleep(0.2)
        steps.append({"step": "pre-keys after prekey-low", "before": before, "after": pre_keys()})
        call(control, "POST", f"/connections/{first}/stream-error", json.dumps({"code": 515}))
        steps.append({"step": "sent 515", "connection": first})
        second, device = wait(newer_than=first)
        if second:
            steps.append({"step": "online again", "connection": second})
            call(control, "DELETE", f"/phones/{phone}/devices/{device}")
            steps.append({"step": "unlinked", "device": device})
    with open(out, "w") as handle:
        json.dump(steps, handle)
    return 0 if len(steps) == 5 else 1


if __name__ == "__main__":
    sys.exit(main())
