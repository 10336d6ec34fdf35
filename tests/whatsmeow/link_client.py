#!/usr/bin/env python3
"""Run the real whatsmeow client (PyPI neonize) against wa-sim until it is linked and logged in.

  link_client.py --library-dir DIR --proxy http://127.0.0.1:P --ca CA.pem --store DIR
                 --events FILE [--qr-file FILE] [--pair-phone DIGITS --code-file FILE]
                 [--until qr|connected|logged-out] [--timeout S]

The set-up of tests/suites/60 (a neonize copy pinned to wa-sim's root key, the test CA, the loopback
proxy). Every QR string whatsmeow emits is written to --qr-file (mode 0600, replaced atomically) so a
simulated phone can "scan" it through wa-sim's control API. With the same --store, a second run logs in
with the stored session instead of pairing. With --pair-phone, whatsmeow links by phone number instead
(PairPhone after the first QR) and the 8-character code goes to --code-file. With --until logged-out the
client stays connected (reconnecting as whatsmeow does) until the phone unlinks it. Events go to --events as JSON lines: "qr", "paired",
"connected", "logged_out", "stream_error", "connect_failure", "disconnected", "recv"/"send" (whatsmeow's
nodes as XML, at DEBUG), "log", "error", and a final "summary". Exit 0 once --until was reached.
"""
import argparse
import json
import logging
import os
import sys
import threading
import time

from go_environment import restart_trusting_only

START = time.time()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--library-dir", required=True)
    parser.add_argument("--proxy", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--events", required=True)
    parser.add_argument("--qr-file")
    parser.add_argument("--pair-phone")
    parser.add_argument("--code-file")
    parser.add_argument("--until", choices=["qr", "connected", "logged-out"], default="connected")
    parser.add_argument("--timeout", type=float, default=90)
    args = parser.parse_args()
    if not args.proxy.startswith("http://127.0.0.1:"):
        parser.error("--proxy must be a loopback HTTP proxy")

    # whatsmeow trusts the test CA only, and only through the environment it starts with.
    restart_trusting_only(args.ca)

    out = open(args.events, "a", buffering=1)
    lock = threading.Lock()

    def emit(kind, **fields):
        with lock:
            out.write(json.dumps({"t": round(time.time() - START, 3), "event": kind, **fields}, default=str) + "\n")

    sys.path.insert(0, os.path.abspath(args.library_dir))

    import neonize
    if not os.path.abspath(neonize.__file__).startswith(os.path.abspath(args.library_dir)):
        emit("error", detail=f"imported {neonize.__file__}, not the copy with the swapped root key")
        return 1
    from neonize._binder import ProxySettings
    from neonize.client import NewClient
    from neonize.events import (ConnectedEv, ConnectFailureEv, DisconnectedEv, LoggedOutEv, PairStatusEv,
                                StreamErrorEv)

    reached = threading.Event()

    class Forward(logging.Handler):
        def emit(self, record):
            try:
                message = record.getMessage()
            except Exception:  # noqa: BLE001 - a malformed log record must not stop the run
                message = str(record.msg)
            if record.name.endswith(".Recv"):
                emit("recv", xml=message)
            elif record.name.endswith(".Send"):
                emit("send", xml=message)
            else:
                emit("log", logger=record.name, level=record.levelname, msg=message[:500])

    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(Forward())
    root.setLevel(logging.DEBUG)
    logging.getLogger("neonize.utils.log").setLevel(logging.DEBUG)

    os.makedirs(args.store, exist_ok=True)
    client = NewClient(os.path.join(os.path.abspath(args.store), "whatsmeow.sqlite3"), uuid="wa-sim-suite")

    def write_secret(path, text):
        temporary = path + ".tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.replace(temporary, path)

    asked_code = threading.Event()

    def pair_phone(client):
        try:
            code = client.PairPhone(args.pair_phone, True)
            emit("pair_code", length=len(code.replace("-", "")))
            if args.code_file:
                write_secret(args.code_file, code)
        except Exception as error:  # noqa: BLE001 - reported; the wait below times out
            emit("error", detail=f"PairPhone: {type(error).__name__}: {error}")

    def on_qr(client, data):
        code = data.decode() if isinstance(data, bytes) else str(data)
        emit("qr", code=code)
        if args.qr_file:
            write_secret(args.qr_file, code)
        if args.pair_phone and not asked_code.is_set():
            asked_code.set()
            threading.Thread(target=pair_phone, args=(client,), daemon=True).start()
        if args.until == "qr":
            reached.set()

    client.event.qr(on_qr)

    @client.event(PairStatusEv)
    def _paired(_client, event):
        emit("paired", id=str(getattr(event, "ID", "")), business=str(getattr(event, "BusinessName", "")),
             platform=str(getattr(event, "Platform", "")))

    @client.event(ConnectedEv)
    def _connected(_client, _event):
        emit("connected")
        if args.until == "connected":
            reached.set()

    @client.event(LoggedOutEv)
    def _logged_out(_client, event):
        emit("logged_out", detail=str(event)[:300])
        if args.until == "logged-out":
            reached.set()

    for event_class, name in [(StreamErrorEv, "stream_error"),
                              (ConnectFailureEv, "connect_failure"), (DisconnectedEv, "disconnected")]:
        def make(label):
            return lambda _client, event: emit(label, detail=str(event)[:300])
        client.event(event_class)(make(name))

    def connect():
        try:
            client.connect(ProxySettings(proxy_address=args.proxy))
        except Exception as error:  # noqa: BLE001 - reported, then the wait below times out
            emit("error", detail=f"{type(error).__name__}: {error}")

    threading.Thread(target=connect, daemon=True).start()
    ok = reached.wait(args.timeout)
    if ok and args.until == "connected":
        time.sleep(3)  # let the post-login IQs (pre-key count and upload, passive) reach the server
    emit("summary", reached=ok, until=args.until)
    out.flush()
    threading.Thread(target=lambda: (client.disconnect(), client.stop()), daemon=True).start()
    time.sleep(1)
    os._exit(0 if ok else 1)


if __name__ == "__main__":
    sys.exit(main())
