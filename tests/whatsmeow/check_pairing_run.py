#!/usr/bin/env python3
"""Verdict of tests/suites/60-whatsmeow-sim.sh, from both sides' records.

  check_pairing_run.py CLIENT_EVENTS.jsonl CONNECTIONS.json CLIENT_EXIT_STATUS

Passes when whatsmeow showed a QR in the current format (docs/protocol/lower.md §5.3) whose ref is the
first ref wa-sim sent, wa-sim decrypted a registration ClientPayload from it, and wa-sim saw the
client's ack of the pair-device IQ. Prints one line per check and 'N passed, N failed'.
"""
import json
import sys


def main():
    events_path, connections_path, status = sys.argv[1], sys.argv[2], int(sys.argv[3])
    events = []
    with open(events_path) as handle:
        for line in handle:
            if line.strip():
                events.append(json.loads(line))
    with open(connections_path) as handle:
        connections = json.load(handle)

    qrs = [e["code"] for e in events if e["event"] == "qr"]
    registration = [c for c in connections if (c.get("payload") or {}).get("kind") == "registration"]
    server_events = [text for c in registration for text in c.get("events", [])]
    sent_refs = [text.split("first ref ", 1)[1].strip() for text in server_events if text.startswith("sent pair-device")
                 and "first ref " in text]
    prefix = "https://wa.me/settings/linked_devices#"
    checks = [
        ("whatsmeow exited after showing a QR", status == 0 and bool(qrs)),
        ("wa-sim decrypted a registration ClientPayload", bool(registration)),
        ("wa-sim sent pair-device", bool(sent_refs)),
        ("whatsmeow acked pair-device", any(text.startswith("pair-device acked") for text in server_events)),
        ("QR is in the current format", bool(qrs) and qrs[0].startswith(prefix) and qrs[0].count(",") == 4),
        ("QR carries wa-sim's first ref", bool(qrs) and bool(sent_refs)
         and qrs[0][len(prefix):].split(",")[0] == sent_refs[0]),
    ]
    failed = 0
    for name, ok in checks:
        print(("ok    " if ok else "FAIL  ") + name)
        failed += 0 if ok else 1
    if failed:
        errors = [e for e in events if e["event"] == "error"][:3]
        for error in errors:
            print("client error: " + error.get("detail", ""))
        for record in connections[-3:]:
            print("wa-sim connection %s: %s %s" % (record.get("id"), record.get("closeReason"), record.get("events")))
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
