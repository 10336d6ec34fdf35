#!/usr/bin/env python3
"""Loopback relay in front of wa-sim's wss listener, for bench/link: both clients take the same extra hop.

A connection that starts with `CONNECT host:port` (whatsmeow, which can only dial wss://web.whatsapp.com
through a proxy) gets `200` and is then spliced to --target; any other connection (our host, pointed at
wss://127.0.0.1:PORT/ws/chat) is spliced to --target from its first byte. TLS stays end to end.
SIGUSR1 drops every open tunnel at once, both sides, without a word: to the client it looks like the
server dropped the socket. Listens on 127.0.0.1 only; exits on SIGTERM or after --max-seconds.

  relay.py --target 127.0.0.1:PORT --port-file FILE [--max-seconds S]
"""
import argparse
import asyncio
import ipaddress
import os
import signal


async def splice(src, dst):
    try:
        while chunk := await src.read(1 << 16):
            dst.write(chunk)
            await dst.drain()
    except (OSError, asyncio.CancelledError):
        pass
    finally:
        dst.close()


async def serve(reader, writer, target, open_tunnels):
    try:
        head = await asyncio.wait_for(reader.read(1 << 16), 10)
    except (OSError, asyncio.TimeoutError):
        writer.close()
        return
    if not head:
        writer.close()
        return
    if head.startswith(b"CONNECT "):
        while b"\r\n\r\n" not in head:
            more = await reader.read(1 << 16)
            if not more:
                writer.close()
                return
            head += more
        head = head.split(b"\r\n\r\n", 1)[1]
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
    try:
        up_reader, up_writer = await asyncio.open_connection(*target)
    except OSError:
        writer.close()
        return
    if head:
        up_writer.write(head)
    pair = (writer, up_writer)
    open_tunnels.add(pair)
    try:
        await asyncio.gather(splice(reader, up_writer), splice(up_reader, writer))
    finally:
        open_tunnels.discard(pair)


def drop_all(open_tunnels):
    for client, upstream in list(open_tunnels):
        client.transport.abort()
        upstream.transport.abort()
    open_tunnels.clear()


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--max-seconds", type=float, default=900)
    args = parser.parse_args()
    host, _, port = args.target.rpartition(":")
    if not ipaddress.ip_address(host).is_loopback:
        parser.error("target must be a loopback address")
    open_tunnels = set()
    server = await asyncio.start_server(lambda r, w: serve(r, w, (host, int(port)), open_tunnels), "127.0.0.1", 0)
    with open(args.port_file + ".tmp", "w") as handle:
        handle.write(str(server.sockets[0].getsockname()[1]))
    os.replace(args.port_file + ".tmp", args.port_file)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_signal_handler(signal.SIGUSR1, drop_all, open_tunnels)
    try:
        await asyncio.wait_for(stop.wait(), args.max_seconds)
    except asyncio.TimeoutError:
        pass
    drop_all(open_tunnels)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
