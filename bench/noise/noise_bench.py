"""The Python baseline for bench/noise/run.sh: the same in-process WhatsApp handshake with noiseprotocol
(WA rule added) and python-axolotl-curve25519 certificate verification. Prints handshakes per second."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "oracles"))
import noise_wa_oracle as wa  # noqa: E402

wa.wa_rule()
seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
now = int(time.time())
root = wa.clamp(os.urandom(32))
server_static = wa.clamp(os.urandom(32))
client_static = wa.clamp(os.urandom(32))
chain = wa.build_chain(root, wa.public_key(server_static), now)
root_public = wa.public_key(root)
payload = bytes([7]) * 200


def handshake():
    client = wa.connection(True, client_static)
    server = wa.connection(False, server_static)
    server.read_message(bytes(client.write_message(b"")))
    hello = bytes(server.write_message(chain))
    received = bytes(client.read_message(hello))
    wa.verify_chain(received, root_public, client.noise_protocol.handshake_state.rs.public_bytes, now)
    server.read_message(bytes(client.write_message(payload)))
    server.decrypt(client.encrypt(payload))
    client.decrypt(server.encrypt(payload))


for _ in range(20):
    handshake()
count, start = 0, time.perf_counter()
while time.perf_counter() - start < seconds:
    for _ in range(20):
        handshake()
    count += 20
print("%.1f" % (count / (time.perf_counter() - start)))
