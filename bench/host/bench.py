"""Benchmarks crm-whatsapp-host against a minimal Python echo host, measured in the same run.

Figures (docs/performance-targets.md §1): cold start to the host.hello reply, peak RSS after hello, and
1 KiB JSON round trips (pipelined and one at a time). Prints figure, baseline, ratio and target.
Usage: bench.py HOST_BINARY [--python PYTHON] [--runs N]
"""
import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time

ORIGIN = "chrome-extension://lgpglinhmaadahglcbjajchcmaaaglnn/"
HERE = os.path.dirname(os.path.abspath(__file__))


def frame(obj):
    body = json.dumps(obj, separators=(",", ":")).encode()
    return struct.pack("<I", len(body)) + body


def read_exactly(stream, count):
    """Reads `count` bytes: an unbuffered pipe returns what is there, and a host may write many frames at once."""
    chunks, missing = [], count
    while missing:
        chunk = stream.read(missing)
        if not chunk:
            raise EOFError("host closed stdout")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def read_frame(stream):
    (length,) = struct.unpack("<I", read_exactly(stream, 4))
    return read_exactly(stream, length)


def spawn(command, home):
    env = {"HOME": home, "PATH": "/usr/bin:/bin"}
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=env, bufsize=0)


def vm_hwm_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def cold_start(command, home, runs):
    """Median ms from spawn to the host.hello reply, and the median peak RSS (MiB) right after it."""
    times, rss = [], []
    hello = frame({"id": 1, "type": "host.hello", "payload": {}})
    for _ in range(runs):
        start = time.perf_counter()
        process = spawn(command, home)
        process.stdin.write(hello)
        reply = read_frame(process.stdout)
        while reply.startswith(b'{"payload":'):  # an engine event (engine.state) may come first
            reply = read_frame(process.stdout)
        times.append((time.perf_counter() - start) * 1000)
        rss.append(vm_hwm_kib(process.pid) / 1024)
        assert b'"result"' in reply, reply
        process.stdin.close()
        process.wait()
        process.stdout.close()
    return statistics.median(times), statistics.median(rss)


def floor_ms(runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(["/bin/true"])
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def pipelined(command, home, count):
    """1 KiB ping round trips/s with all requests in flight (writer thread + reader)."""
    echo = "x" * 1000
    requests = b"".join(frame({"id": i, "type": "host.ping", "payload": {"echo": echo}}) for i in range(count))
    process = spawn(command, home)
    start = time.perf_counter()
    writer = threading.Thread(target=lambda: (process.stdin.write(requests), process.stdin.close()))
    writer.start()
    for i in range(count):
        reply = read_frame(process.stdout)
        if i == count - 1:
            assert json.loads(reply)["id"] == i
    elapsed = time.perf_counter() - start
    writer.join()
    process.wait()
    process.stdout.close()
    return count / elapsed


def request_response(command, home, count):
    """1 KiB ping round trips/s, one at a time."""
    echo = "x" * 1000
    process = spawn(command, home)
    start = time.perf_counter()
    for i in range(count):
        process.stdin.write(frame({"id": i, "type": "host.ping", "payload": {"echo": echo}}))
        read_frame(process.stdout)
    elapsed = time.perf_counter() - start
    process.stdin.close()
    process.wait()
    process.stdout.close()
    return count / elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--messages", type=int, default=20000)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="crm-wa-bench-")
    ours = [args.host, ORIGIN]
    theirs = [args.python, os.path.join(HERE, "echo_host.py")]

    floor = floor_ms(args.runs)
    ours_start, ours_rss = cold_start(ours, home, args.runs)
    theirs_start, theirs_rss = cold_start(theirs, home, args.runs)
    ours_pipe = pipelined(ours, home, args.messages)
    theirs_pipe = pipelined(theirs, home, args.messages)
    ours_rr = request_response(ours, home, args.messages // 4)
    theirs_rr = request_response(theirs, home, args.messages // 4)

    def row(name, figure, baseline, unit, target, met):
        ratio = figure / baseline if baseline else float("nan")
        print(f"{name:<38} {figure:>10.2f} {unit:<8} python {baseline:>10.2f}  ratio {ratio:>5.2f}  "
              f"target {target:<28} {'MET' if met else 'NOT MET'}")

    print(f"floor: /bin/true spawn {floor:.2f} ms (median of {args.runs})")
    row("cold start -> host.hello reply", ours_start, theirs_start, "ms", "<= 10 ms and <= 0.5x python",
        ours_start <= 10 and ours_start <= theirs_start / 2)
    row("peak RSS after hello", ours_rss, theirs_rss, "MiB", "<= 12 MiB", ours_rss <= 12)
    row("1 KiB round trips, pipelined", ours_pipe, theirs_pipe, "msg/s", ">= python", ours_pipe >= theirs_pipe)
    row("1 KiB round trips, one at a time", ours_rr, theirs_rr, "msg/s", ">= python", ours_rr >= theirs_rr)


if __name__ == "__main__":
    main()
