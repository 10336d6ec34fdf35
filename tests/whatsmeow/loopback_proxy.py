#!/usr/bin/env python3
"""HTTP CONNECT proxy for loopback tests: every tunnel goes to ONE loopback target.

whatsmeow dials wss://web.whatsapp.com/ws/chat through an HTTP proxy; this proxy answers each
`CONNECT host:port` with 200 and splices the raw bytes (TLS stays end to end) to --target,
normally wa-sim's wss listener. It listens on 127.0.0.1 only, refuses non-loopback targets,
answers anything but CONNECT with 405, and exits after --max-seconds.

  loopback_proxy.py --target 127.0.0.1:PORT [--port-file F] [--max-seconds S]

stderr gets one JSON object per event; with --port-file the chosen port is written there.
"""
import argparse
import asyncio
import ipaddress
import json
import os
import signal
import sys
import time


def note(event, **fields):
    sys.stderr.write(json.dumps({"t": round(time.time(), 3), "proxy": event, **fields}) + "\n")
    sys.stderr.flush()


def loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def relay(src, dst, totals, key):
    try:
        while chunk := await src.read(1 << 16):
            totals[key] += len(chunk)
            dst.write(chunk)
            await dst.drain()
    except (OSError, asyncio.CancelledError):
        pass
    finally:
        try:
            dst.close()
        except OSError:
            pass


async def serve_client(reader, writer, target):
    try:
        request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    except (asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        writer.close()
        return
    words = request.split(b"\r\n", 1)[0].decode("latin-1").split()
    if len(words) < 2 or words[0].upper() != "CONNECT":
        note("refused", request=" ".join(words[:2]))
        writer.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()
        return
    note("connect", authority=words[1], target="%s:%d" % target)
    try:
        up_reader, up_writer = await asyncio.wait_for(asyncio.open_connection(*target), 10)
    except (OSError, asyncio.TimeoutError) as error:
        note("upstream-failed", error=repr(error))
        writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()
        return
    writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
    await writer.drain()
    totals = {"up": 0, "down": 0}
    await asyncio.gather(relay(reader, up_writer, totals, "up"), relay(up_reader, writer, totals, "down"))
    note("closed", authority=words[1], **totals)


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", required=True, help="loopback HOST:PORT every tunnel goes to")
    parser.add_argument("--port-file")
    parser.add_argument("--max-seconds", type=float, default=300)
    args = parser.parse_args()
    host, _, port = args.target.rpartition(":")
    if not loopback(host):
        parser.error("target must be a loopback address")
    target = (host, int(port))
    server = await asyncio.start_server(lambda r, w: serve_client(r, w, target), "127.0.0.1", 0)
    chosen = server.sockets[0].getsockname()[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as handle:
            handle.write(str(chosen))
        os.replace(args.port_file + ".tmp", args.port_file)
    note("listening", port=chosen, target=args.target)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), args.max_seconds)
    except asyncio.TimeoutError:
        note("exit", reason="max-seconds")
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
