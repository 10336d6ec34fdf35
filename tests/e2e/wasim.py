"""wa-sim for the browser suites: started on 127.0.0.1 with one phone, its control API, and the settings
the host needs to reach it (passed through the browser's environment to the host it starts).
Standard library only (Firefox's runner has no venv)."""
import json
import os
import subprocess
import urllib.error
import urllib.request

PHONE = "15551234567"


class WASim:
    def __init__(self, bin_dir, work, log_path, phone=PHONE):
        self.phone = phone
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(
            [os.path.join(bin_dir, "wa-sim"), "--listen-tls", "127.0.0.1:0", "--control", "127.0.0.1:0",
             "--tls-dir", os.path.join(work, "wa-sim-tls"), "--root-key", os.path.join(work, "wa-sim-root.key"),
             "--max-seconds", "600", "--phone", phone],
            stdout=subprocess.PIPE, stderr=self.log)
        line = self.proc.stdout.readline()
        if not line:
            self.stop()
            raise RuntimeError("wa-sim did not start (see %s)" % log_path)
        self.endpoints = json.loads(line)
        self.control = "http://" + self.endpoints["control"]

    def host_env(self):
        """The host's server settings (HostSettings reads them from its environment)."""
        return {
            "CRM_WHATSAPP_SERVER_URL": "wss://" + self.endpoints["wss"] + "/ws/chat",
            "CRM_WHATSAPP_ROOT_PUBKEY": self.endpoints["rootPublicKey"],
            "CRM_WHATSAPP_CA_FILE": self.endpoints["caFile"],
        }

    def call(self, method, path, body=None, raw=None, timeout=15):
        """(status, JSON answer) of a control call."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.control + path, method=method, data=data)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def devices(self):
        return self.call("GET", "/phones/" + self.phone)[1].get("devices", [])

    def scan_image(self, png):
        """The phone's camera: wa-sim decodes the QR code in the image (zbarimg) and scans it."""
        return self.call("POST", "/phones/%s/scan-image" % self.phone, raw=png)

    def unlink_all(self):
        for d in self.devices():
            self.call("DELETE", "/phones/%s/devices/%s" % (self.phone, d["device"]))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
