"""Minimal native-messaging host in Python: the baseline for bench.py (docs/performance-targets.md §1).

Same framing as Chrome (4-byte native-order length + UTF-8 JSON); answers host.hello and host.ping
like crm-whatsapp-host does, anything else with unknownType. Exits 0 at EOF.
"""
import json
import struct
import sys


def main():
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = stdin.read(4)
        if len(header) < 4:
            return 0
        (length,) = struct.unpack("=I", header)
        request = json.loads(stdin.read(length))
        kind = request.get("type")
        if kind == "host.hello":
            reply = {"id": request["id"], "result": {"engine": {"state": "unavailable"}, "hostVersion": "0.0.0",
                                                     "protocolVersion": 1, "storePath": "/tmp"}}
        elif kind == "host.ping":
            result = {"pong": True}
            payload = request.get("payload") or {}
            if "echo" in payload:
                result["echo"] = payload["echo"]
            reply = {"id": request["id"], "result": result}
        else:
            reply = {"id": request.get("id"), "error": {"code": 3, "message": "unknown message type"}}
        body = json.dumps(reply, separators=(",", ":"), sort_keys=True).encode()
        stdout.write(struct.pack("=I", len(body)) + body)
        stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
