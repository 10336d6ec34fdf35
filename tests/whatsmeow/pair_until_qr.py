#!/usr/bin/env python3
"""Run the real whatsmeow client (PyPI neonize) against wa-sim until it shows a pairing QR.

  pair_until_qr.py --library-dir DIR --proxy http://127.0.0.1:P --ca CA.pem --store DIR
                   --events FILE [--timeout S]

--library-dir holds a neonize copy whose pinned Noise root key is wa-sim's (swap_root_key.py).
Go trusts only --ca (SSL_CERT_FILE) and dials wss://web.whatsapp.com/ws/chat through --proxy
(loopback_proxy.py), which hands every tunnel to wa-sim. Each event goes to --events as one JSON
line: "qr" (the QR string), "recv"/"send" (whatsmeow's decoded nodes as XML, at DEBUG),
"log", "error", and a final "summary". Exit 0 once a QR was emitted, 1 otherwise.
"""
import argparse
import json
import logging
import os
import sys
import threading
import time

START = time.time()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--library-dir", required=True)
    parser.add_argument("--proxy", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--events", required=True)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    if not args.proxy.startswith("http://127.0.0.1:"):
        parser.error("--proxy must be a loopback HTTP proxy")

    out = open(args.events, "a", buffering=1)
    lock = threading.Lock()

    def emit(kind, **fields):
        with lock:
            out.write(json.dumps({"t": round(time.time() - START, 3), "event": kind, **fields}, default=str) + "\n")

    # The Go side reads these when the library loads: trust only the test CA, no ambient proxy.
    os.environ["SSL_CERT_FILE"] = os.path.abspath(args.ca)
    os.environ.pop("SSL_CERT_DIR", None)
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        os.environ.pop(name, None)
    sys.path.insert(0, os.path.abspath(args.library_dir))

    import neonize
    if not os.path.abspath(neonize.__file__).startswith(os.path.abspath(args.library_dir)):
        emit("error", detail=f"imported {neonize.__file__}, not the copy with the swapped root key")
        return 1
    from neonize._binder import ProxySettings
    from neonize.client import NewClient

    qr_seen = threading.Event()

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

    def on_qr(_client, data):
        emit("qr", code=data.decode() if isinstance(data, bytes) else str(data))
        qr_seen.set()

    client.event.qr(on_qr)

    def connect():
        try:
            client.connect(ProxySettings(proxy_address=args.proxy))
        except Exception as error:  # noqa: BLE001 - reported, then the wait below times out
            emit("error", detail=f"{type(error).__name__}: {error}")

    threading.Thread(target=connect, daemon=True).start()
    ok = qr_seen.wait(args.timeout)
    emit("summary", qr=ok)
    out.flush()
    threading.Thread(target=lambda: (client.disconnect(), client.stop()), daemon=True).start()
    time.sleep(1)
    os._exit(0 if ok else 1)


if __name__ == "__main__":
    sys.exit(main())
