#!/usr/bin/env python3
"""Verdict of the linking part of tests/suites/60-whatsmeow-sim.sh, from both sides' records.

  check_link_run.py ARTIFACT_DIR RUN1_STATUS RUN2_STATUS CODE_RUN_STATUS REFRESH_RUN_STATUS UNLINK_RUN_STATUS

Passes when whatsmeow (run 1) paired with the simulated phone and reported Connected after the 515,
wa-sim verified its pair-device-sign, answered its login with <success> and stored its pre-key upload,
and run 2 logged in with the stored session without a QR; the code run linked by phone number (wa-sim
opened whatsmeow's key bundle) and the refresh run linked after companion_reg_refresh with the redrawn
QR. Prints one line per check and
'N passed, N failed'.
"""
import json
import os
import sys


def events(path):
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main():
    art, run1, run2, run3, run4, run5 = sys.argv[1], *[int(value) for value in sys.argv[2:7]]
    unlinked = events(os.path.join(art, "client-unlinked.jsonl"))
    with open(os.path.join(art, "phone-after-unlink.json")) as handle:
        after_unlink = json.load(handle)
    steps_path = os.path.join(art, "post-login-steps.json")
    steps = json.load(open(steps_path)) if os.path.exists(steps_path) else []
    refill = [s for s in steps if s["step"] == "pre-keys after prekey-low"]
    by_code = events(os.path.join(art, "client-code.jsonl"))
    refreshed = events(os.path.join(art, "client-refresh.jsonl"))
    with open(os.path.join(art, "phones.json")) as handle:
        phones = {p["number"]: p for p in json.load(handle)}
    first = events(os.path.join(art, "client.jsonl"))
    second = events(os.path.join(art, "client-relogin.jsonl"))
    with open(os.path.join(art, "connections.json")) as handle:
        connections = json.load(handle)
    with open(os.path.join(art, "phone.json")) as handle:
        phone = json.load(handle)

    all_events = [text for c in connections for text in c.get("events", [])]
    kinds = lambda evs: [e["event"] for e in evs]  # noqa: E731
    registration = [c for c in connections if (c.get("payload") or {}).get("kind") == "registration"]
    logins = [c for c in connections if (c.get("payload") or {}).get("kind") == "login"]
    reg_events = [text for c in registration for text in c.get("events", [])]
    successes = [c for c in logins if "sent success" in c.get("events", [])]
    sends1 = [e["xml"] for e in first if e["event"] == "send"]
    stanza_files = os.listdir(os.path.join(art, "stanzas")) if os.path.isdir(os.path.join(art, "stanzas")) else []
    devices = phone.get("devices", [])
    checks = [
        ("run 1: whatsmeow reported Connected", run1 == 0 and "connected" in kinds(first)),
        ("run 1: whatsmeow paired (PairSuccess accepted: HMAC and account signature)", "paired" in kinds(first)),
        ("whatsmeow answered pair-device-sign", any("<pair-device-sign>" in x for x in sends1)),
        ("wa-sim verified pair-device-sign", any(t.startswith("pair-device-sign verified") for t in reg_events)),
        ("wa-sim sent 515 after pairing", "sent stream:error 515" in reg_events),
        ("wa-sim answered two logins with <success>", len(successes) >= 2),
        ("the phone listed the linked device", len(devices) == 1 and devices[0]["jid"].startswith(phone["number"] + ":")),
        ("wa-sim stored whatsmeow's pre-key upload", bool(devices) and devices[0].get("preKeyCount", 0) >= 50),
        ("whatsmeow sent <active/> after login", any("passive: active" in c.get("events", []) for c in logins)),
        ("run 2: logged in with the stored session, no QR",
         run2 == 0 and "connected" in kinds(second) and "qr" not in kinds(second)),
        ("prekey-low: whatsmeow uploaded more pre-keys", bool(refill) and refill[0]["after"] > refill[0]["before"]),
        ("restart: whatsmeow reconnected after the server's 515 (Connected twice)",
         [e["event"] for e in unlinked].count("connected") >= 2),
        ("unlink: whatsmeow reported LoggedOut after the phone removed it",
         run5 == 0 and "logged_out" in kinds(unlinked)),
        ("unlink: the phone lists no device", after_unlink.get("devices") == []),
        ("stanza shapes recorded for every connection", len(stanza_files) == len(connections) and bool(connections)),
        ("code run: whatsmeow got an 8-character code", any(e["event"] == "pair_code" and e.get("length") == 8
                                                          for e in by_code)),
        ("code run: wa-sim opened whatsmeow's key bundle", "companion_finish: key bundle opened" in all_events),
        ("code run: paired and Connected", run3 == 0 and "paired" in kinds(by_code) and "connected" in kinds(by_code)),
        ("code run: the phone lists the device", len(phones.get("15557654321", {}).get("devices", [])) == 1),
        ("refresh run: whatsmeow redrew the QR after companion_reg_refresh",
         "sent companion_reg_refresh notification" in all_events
         and len({q["code"].split(",")[3] for q in refreshed if q["event"] == "qr"}) >= 2),
        ("refresh run: paired with the new secret and Connected",
         run4 == 0 and "paired" in kinds(refreshed) and "connected" in kinds(refreshed)),
    ]
    failed = 0
    for name, ok in checks:
        print(("ok    " if ok else "FAIL  ") + name)
        failed += 0 if ok else 1
    if failed:
        for record in connections[-4:]:
            print("wa-sim connection %s: %s %s" % (record.get("id"), record.get("closeReason"), record.get("events")))
        for e in [e for e in first + second if e["event"] in ("error", "stream_error", "connect_failure", "logged_out")][:5]:
            print("client: %s" % e)
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
