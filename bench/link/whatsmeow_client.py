#!/usr/bin/env python3
"""whatsmeow (PyPI neonize) as the baseline of bench/link: connect, QR, connected, stay up until stdin closes.

  whatsmeow_client.py --library-dir DIR --proxy http://127.0.0.1:P --ca CA.pem --store DIR

The neonize copy in --library-dir pins wa-sim's root key (tests/whatsmeow/swap_root_key.py); whatsmeow dials
wss://web.whatsapp.com through --proxy (bench/link/relay.py), which hands the tunnel to wa-sim. Prints one JSON
line per event on stdout, each with `t` = time.monotonic() (CLOCK_MONOTONIC, the clock of the driver):
`imported` (neonize and its Go library loaded), `connecting` (just before client.connect), `qr` (with the code),
`paired`, `success` (with --log-nodes), `connected`, `disconnected`, `stream_error`, `logged_out`, `error`. whatsmeow's own logging is kept at
WARNING so it does no more work than a quiet production client. Exits (os._exit) when stdin reaches EOF.
"""
import argparse
import json
import logging
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "whatsmeow"))
from go_environment import restart_trusting_only  # noqa: E402 - found through the line above

lock = threading.Lock()


def emit(kind, **fields):
    line = json.dumps({"t": time.monotonic(), "event": kind, **fields}, default=str) + "\n"
    with lock:
        os.write(1, line.encode())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--library-dir", required=True)
    parser.add_argument("--proxy", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--log-nodes", action="store_true",
                        help="whatsmeow logs its nodes (DEBUG): adds a `success` event when <success> arrives")
    args = parser.parse_args()
    if not args.proxy.startswith("http://127.0.0.1:"):
        parser.error("--proxy must be a loopback HTTP proxy")
    # whatsmeow trusts the test CA only, and only through the environment it starts with.
    restart_trusting_only(args.ca)
    sys.path.insert(0, os.path.abspath(args.library_dir))

    import neonize
    if not os.path.abspath(neonize.__file__).startswith(os.path.abspath(args.library_dir)):
        emit("error", detail="imported the installed neonize, not the copy with the swapped root key")
        os._exit(1)
    from neonize._binder import ProxySettings
    from neonize.client import NewClient
    from neonize.events import ConnectedEv, DisconnectedEv, LoggedOutEv, PairStatusEv, StreamErrorEv

    class SuccessSpotter(logging.Handler):
        def emit(self, record):
            if record.name.endswith(".Recv") and str(record.msg).lstrip().startswith("<success"):
                emit("success")

    level = logging.DEBUG if args.log_nodes else logging.WARNING
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(SuccessSpotter() if args.log_nodes else logging.NullHandler())
    root.setLevel(level)
    for name in ("neonize", "neonize.utils.log", "whatsmeow", "whatsmeow.Client", "Whatsmeow.Database"):
        logging.getLogger(name).setLevel(level)

    os.makedirs(args.store, exist_ok=True)
    client = NewClient(os.path.join(os.path.abspath(args.store), "whatsmeow.sqlite3"), uuid="bench-link")
    emit("imported")

    def on_qr(_client, data):
        emit("qr", code=data.decode() if isinstance(data, bytes) else str(data))

    client.event.qr(on_qr)
    client.event(PairStatusEv)(lambda _c, _e: emit("paired"))
    client.event(ConnectedEv)(lambda _c, _e: emit("connected"))
    client.event(DisconnectedEv)(lambda _c, _e: emit("disconnected"))
    client.event(StreamErrorEv)(lambda _c, e: emit("stream_error", detail=str(e)[:200]))
    client.event(LoggedOutEv)(lambda _c, _e: emit("logged_out"))

    def connect():
        try:
            emit("connecting")
            client.connect(ProxySettings(proxy_address=args.proxy))
        except Exception as error:  # noqa: BLE001 - reported to the driver, which times out
            emit("error", detail=f"{type(error).__name__}: {error}")

    threading.Thread(target=connect, daemon=True).start()
    while sys.stdin.buffer.read(1):
        pass
    os._exit(0)


if __name__ == "__main__":
    main()
