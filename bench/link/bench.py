"""Linking benchmarks: crm-whatsapp-host beside whatsmeow (PyPI neonize), both against one wa-sim, in one run.

Per repetition and client (fresh store each time, the same simulated phone):
  connect -> first QR     ours: link.start sent -> link.qr read; whatsmeow: client.connect() -> QR callback
  process start -> QR     spawn -> the same QR (ours includes host.hello; whatsmeow includes importing neonize)
  scan -> connected       just before POST /phones/N/scan -> connected (pair-success, 515, login, <success>)
  RSS idle and linked     VmRSS / VmHWM of the client process 2.5 s after connected
  reconnect after drop    the relay drops the socket (both sides, no word) -> connected again
Both clients reach wa-sim through the same loopback relay (bench/link/relay.py): whatsmeow needs a CONNECT proxy,
ours dials the relay directly. Times use CLOCK_MONOTONIC in every process. Prints medians.
Usage: bench.py --host BIN --sim BIN --python VENV_PYTHON [--runs N]
"""
import argparse
import json
import os
import queue
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ORIGIN = "chrome-extension://lgpglinhmaadahglcbjajchcmaaaglnn/"
PHONE = "15551230000"
SETTLE = 2.5
now = time.monotonic
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Failed(Exception):
    pass


def wait_for_file(path, process, seconds=30):
    end = now() + seconds
    while now() < end:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return open(path).read()
        if process.poll() is not None:
            raise Failed(f"{process.args[0]} exited with {process.returncode}")
        time.sleep(0.02)
    raise Failed(f"{path} did not appear")


def memory_kib(pid):
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key = line.split(":", 1)[0]
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                values[key] = int(line.split()[1])
    return values


class Sim:
    def __init__(self, binary, work, python):
        self.process = subprocess.Popen(
            [binary, "--listen-tls", "127.0.0.1:0", "--control", "127.0.0.1:0", "--tls-dir", f"{work}/tls",
             "--root-key", f"{work}/root.key", "--max-seconds", "900"],
            stdout=subprocess.PIPE, stderr=open(f"{work}/wa-sim.log", "w"), text=True)
        self.info = json.loads(self.process.stdout.readline())
        self.control = "http://" + self.info["control"]
        self.relay = subprocess.Popen([python, os.path.join(HERE, "relay.py"), "--target", self.info["wss"],
                                       "--port-file", f"{work}/relay.port"], stderr=subprocess.DEVNULL)
        self.relay_port = int(wait_for_file(f"{work}/relay.port", self.relay))

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.control + path, method=method, data=data)
        with opener.open(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def drop_sockets(self):
        os.kill(self.relay.pid, signal.SIGUSR1)

    def close(self):
        for process in (self.relay, self.process):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


class Client:
    """A client process whose events a reader thread queues as (monotonic time, event)."""

    def __init__(self, command, env, reader, stderr_path):
        self.stderr_path = stderr_path
        self.spawned = now()
        with open(stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=stderr, env=env, bufsize=0)
        self.events = queue.Queue()
        threading.Thread(target=self._read, args=(reader,), daemon=True).start()

    def _read(self, reader):
        try:
            while True:
                self.events.put(reader(self.process.stdout))
        except (EOFError, OSError, ValueError):
            self.events.put((now(), None))

    def wait(self, predicate, seconds, what):
        end = now() + seconds
        while True:
            try:
                stamp, event = self.events.get(timeout=max(0.0, end - now()))
            except queue.Empty:
                raise Failed(f"timed out waiting for {what}") from None
            if event is None:
                with open(self.stderr_path, errors="replace") as stderr:
                    tail = stderr.read()[-600:].strip()
                raise Failed(f"client exited while waiting for {what}; stderr: {tail}")
            if predicate(event):
                return stamp, event

    def close(self):
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def read_host_frame(stream):
    def exactly(count):
        chunks, missing = [], count
        while missing:
            chunk = stream.read(missing)
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)
    (length,) = struct.unpack("<I", exactly(4))
    body = exactly(length)
    return now(), json.loads(body)


def read_json_line(stream):
    """The next event line; neonize's Go side also prints to stdout (the QR as text art...): skipped."""
    while True:
        line = stream.readline()
        if not line:
            raise EOFError
        if line.startswith(b'{"t": '):
            event = json.loads(line)
            return event["t"], event


def scan_in_background(sim, code):
    """POST /phones/N/scan on a thread (it answers once pair-success is sent); returns the start time."""
    result = {}

    def run():
        try:
            result["answer"] = sim.call("POST", f"/phones/{PHONE}/scan", {"qr": code})
        except Exception as error:  # noqa: BLE001 - the wait for connected reports the failure
            result["error"] = error
    started = now()
    threading.Thread(target=run, daemon=True).start()
    return started, result


def measure(client, sim, qr_event, qr_code, connected, connecting_at, success=None):
    """The common part: QR, scan, connected, settle, memory, drop, connected again."""
    qr_at, event = client.wait(qr_event, 30, "the first QR")
    figures = {"qr": (qr_at - connecting_at) * 1000, "start_qr": (qr_at - client.spawned) * 1000}
    scan_at, scan = scan_in_background(sim, qr_code(event))
    try:
        if success:
            success_at, _ = client.wait(success, 30, "<success> after the scan")
            figures["success"] = (success_at - scan_at) * 1000
        connected_at, _ = client.wait(connected, 30, "connected after the scan")
    except Failed as error:
        raise Failed(f"{error} (scan: {scan})") from None
    figures["scan"] = (connected_at - scan_at) * 1000
    if not success:
        figures["success"] = figures["scan"]
    time.sleep(SETTLE)
    memory = memory_kib(client.process.pid)
    figures["rss"], figures["hwm"] = memory["VmRSS"] / 1024, memory["VmHWM"] / 1024
    figures["anon"], figures["file"] = memory["RssAnon"] / 1024, memory["RssFile"] / 1024
    while not client.events.empty():
        client.events.get_nowait()
    dropped_at = now()
    sim.drop_sockets()
    reconnected_at, _ = client.wait(connected, 60, "connected after the drop")
    figures["reconnect"] = (reconnected_at - dropped_at) * 1000
    return figures


def run_ours(host, sim, work, index):
    data = tempfile.mkdtemp(prefix=f"ours-{index}-", dir=work)
    env = {"HOME": work, "PATH": "/usr/bin:/bin", "CRM_WHATSAPP_DATA_DIR": data,
           "XDG_STATE_HOME": f"{data}/state", "CRM_WHATSAPP_CA_FILE": sim.info["caFile"],
           "CRM_WHATSAPP_SERVER_URL": f"wss://127.0.0.1:{sim.relay_port}/ws/chat",
           "CRM_WHATSAPP_ROOT_PUBKEY": sim.info["rootPublicKey"]}
    client = Client([host, ORIGIN], env, read_host_frame, f"{data}.err")

    def send(message):
        body = json.dumps(message).encode()
        client.process.stdin.write(struct.pack("<I", len(body)) + body)

    def connected(message):
        return message.get("type") == "engine.state" and message["payload"].get("state") == "connected"

    try:
        send({"id": 1, "type": "host.hello", "payload": {"protocolVersion": 1}})
        client.wait(lambda m: m.get("id") == 1, 30, "the host.hello reply")
        started = now()
        send({"id": 2, "type": "link.start", "payload": {"method": "qr"}})
        return measure(client, sim, lambda m: m.get("type") == "link.qr", lambda m: m["payload"]["code"],
                       connected, started)
    finally:
        client.close()


def run_whatsmeow(python, library, sim, work, index, log_nodes=False):
    store = tempfile.mkdtemp(prefix=f"whatsmeow-{index}-", dir=work)
    command = [python, os.path.join(HERE, "whatsmeow_client.py"), "--library-dir", library,
               "--proxy", f"http://127.0.0.1:{sim.relay_port}", "--ca", sim.info["caFile"], "--store", store]
    command += ["--log-nodes"] if log_nodes else []
    # Go reads the environment the process started with: SSL_CERT_FILE must be there, not set later.
    env = {"HOME": work, "PATH": "/usr/bin:/bin", "SSL_CERT_FILE": sim.info["caFile"]}
    client = Client(command, env, read_json_line, f"{store}.err")
    try:
        connecting_at, _ = client.wait(lambda e: e["event"] == "connecting", 60, "neonize to load")
        return measure(client, sim, lambda e: e["event"] == "qr", lambda e: e["code"],
                       lambda e: e["event"] == "connected", connecting_at,
                       (lambda e: e["event"] == "success") if log_nodes else None)
    finally:
        client.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", required=True)
    parser.add_argument("--sim", required=True)
    parser.add_argument("--python", required=True, help="the oracle venv's python (with neonize)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))  # so `finally` stops wa-sim and the relay
    work = tempfile.mkdtemp(prefix="crm-wa-bench-link-")
    os.chmod(work, 0o700)
    sim = None
    try:
        sim = Sim(args.sim, work, args.python)
        library = subprocess.run([args.python, os.path.join(ROOT, "tests/whatsmeow/swap_root_key.py"),
                                  f"{work}/neonize-copy", sim.info["rootPublicKey"]],
                                 check=True, capture_output=True, text=True).stdout.strip()
        sim.call("POST", "/phones", {"number": PHONE, "pushName": "Bench phone"})
        ours, theirs, theirs_logged = [], [], []
        for index in range(args.runs):
            for name, samples, run in (("ours", ours, lambda: run_ours(args.host, sim, work, index)),
                                       ("whatsmeow", theirs,
                                        lambda: run_whatsmeow(args.python, library, sim, work, index)),
                                       ("whatsmeow+nodelog", theirs_logged,
                                        lambda: run_whatsmeow(args.python, library, sim, work, index, True))):
                try:
                    figures = run()
                except Failed as error:
                    print(f"run {index + 1} {name}: FAILED: {error}", file=sys.stderr)
                    continue
                samples.append(figures)
                print(f"run {index + 1} {name:<9} " + "  ".join(f"{k} {v:.1f}" for k, v in figures.items()),
                      file=sys.stderr)
        report(ours, theirs, theirs_logged, args.runs)
    finally:
        if sim:
            sim.close()
        shutil.rmtree(work, ignore_errors=True)


def report(ours, theirs, theirs_logged, runs):
    def median(samples, key):
        values = [sample[key] for sample in samples if key in sample]
        return statistics.median(values) if values else float("nan")

    def row(name, key, unit, target, met, baseline_samples=None):
        figure, baseline = median(ours, key), median(baseline_samples or theirs, key)
        ratio = figure / baseline if baseline else float("nan")
        verdict = ("MET" if met(figure, baseline) else "NOT MET") if not target.startswith("(") else "-"
        print(f"{name:<40} {figure:>8.1f} {unit:<4} whatsmeow {baseline:>8.1f}  ratio {ratio:>5.2f}  "
              f"target {target:<30} {verdict}")

    print(f"medians of {len(ours)}/{runs} runs (ours), {len(theirs)}/{runs} (whatsmeow) and {len(theirs_logged)}/{runs} "
          f"(whatsmeow logging its nodes, for <success> only); one wa-sim, one loopback relay")
    row("connect -> first QR", "qr", "ms", "<= 50 ms and < whatsmeow", lambda f, b: f <= 50 and f < b)
    row("process start -> first QR", "start_qr", "ms", "< whatsmeow", lambda f, b: f < b)
    row("scan -> connected (515 + login)", "scan", "ms", "<= 150 ms and < whatsmeow",
        lambda f, b: f <= 150 and f < b)
    row("scan -> <success> received", "success", "ms", "<= 150 ms and < whatsmeow",
        lambda f, b: f <= 150 and f < b, theirs_logged)
    row("reconnect after dropped socket", "reconnect", "ms", "< whatsmeow", lambda f, b: f < b)
    row(f"RSS idle and linked (VmRSS, +{SETTLE:g} s)", "rss", "MiB", "<= 20 MiB and <= 0.25x whatsmeow",
        lambda f, b: f <= 20 and f <= b / 4)
    row("peak RSS (VmHWM)", "hwm", "MiB", "<= 20 MiB and <= 0.25x whatsmeow", lambda f, b: f <= 20 and f <= b / 4)
    row("  of which anonymous (RssAnon)", "anon", "MiB", "(breakdown, no target)", lambda f, b: True)
    row("  of which file-backed (RssFile: code)", "file", "MiB", "(breakdown, no target)", lambda f, b: True)
    if len(ours) < runs or len(theirs) < runs or len(theirs_logged) < runs:
        sys.exit(1)


if __name__ == "__main__":
    main()
