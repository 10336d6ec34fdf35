#!/usr/bin/env python3
"""Independent WhatsApp-Noise peer for the WANoise tests (docs/test-oracles.md §4).

Built on `noiseprotocol` (spec Noise_XX_25519_AESGCM_SHA256) with WhatsApp's one deviation added: while the
cipher has no key, EncryptAndHash/DecryptAndHash do not MixHash (so the empty first payload is never
hashed). Certificates are signed and verified with `python-axolotl-curve25519` (libsignal's curve25519_sign).
Protobuf fields are read and written by hand from the field numbers in docs/protocol/lower.md §2.4-2.5, so no
code is shared with the Swift side.

Talks the wire format on stdin/stdout: the `WA 06 03` intro, 3-byte big-endian frame lengths, the
HandshakeMessage protobufs, then transport frames.

  noise_wa_oracle.py responder ROOT_PRIVATE_HEX NOW   -- plays the server against a client on stdin/stdout
  noise_wa_oracle.py initiator ROOT_PUBLIC_HEX NOW    -- plays the client against a server on stdin/stdout
  noise_wa_oracle.py spec-responder ROOT_PRIVATE_HEX NOW  -- like responder, without the WA rule (must fail)
Exit status 0 when the handshake and transport checks pass; a message on stderr either way.
"""
import os
import sys

import axolotl_curve25519 as curve
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from noise.connection import Keypair, NoiseConnection
from noise.state import SymmetricState

HEADER = b"WA\x06\x03"
PROLOGUE = HEADER


def wa_rule():
    """WhatsApp's variant: no MixHash in Encrypt/DecryptAndHash while the cipher has no key."""

    def encrypt_and_hash(self, plaintext):
        ciphertext = self.cipher_state.encrypt_with_ad(self.h, plaintext)
        if self.cipher_state.has_key():
            self.mix_hash(ciphertext)
        return ciphertext

    def decrypt_and_hash(self, ciphertext):
        plaintext = self.cipher_state.decrypt_with_ad(self.h, ciphertext)
        if self.cipher_state.has_key():
            self.mix_hash(ciphertext)
        return plaintext

    SymmetricState.encrypt_and_hash = encrypt_and_hash
    SymmetricState.decrypt_and_hash = decrypt_and_hash


# --- minimal protobuf (varint and length-delimited fields only) ---------------------------------

def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field_bytes(number, value):
    return varint(number << 3 | 2) + varint(len(value)) + value


def field_varint(number, value):
    return varint(number << 3) + varint(value)


def parse(data):
    """Returns {field number: last value}; bytes for wire type 2, int for wire type 0."""
    fields, i = {}, 0
    while i < len(data):
        key, i = read_varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = read_varint(data, i)
        elif wire == 2:
            length, i = read_varint(data, i)
            if i + length > len(data):
                raise ValueError("truncated field")
            value, i = bytes(data[i:i + length]), i + length
        else:
            raise ValueError("unexpected wire type %d" % wire)
        fields[number] = value
    return fields


def read_varint(data, i):
    shift = result = 0
    while True:
        if i >= len(data):
            raise ValueError("truncated varint")
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


# --- frames ---------------------------------------------------------------------------------------

def read_exact(n):
    buf = b""
    while len(buf) < n:
        chunk = sys.stdin.buffer.read(n - len(buf))
        if not chunk:
            raise EOFError("peer closed after %d of %d bytes" % (len(buf), n))
        buf += chunk
    return buf


def read_frame():
    length = int.from_bytes(read_exact(3), "big")
    return read_exact(length)


def write_frame(payload, intro=b""):
    sys.stdout.buffer.write(intro + len(payload).to_bytes(3, "big") + payload)
    sys.stdout.buffer.flush()


# --- certificates (docs/protocol/lower.md §2.5) ----------------------------------------------------

def clamp(k):
    k = bytearray(k)
    k[0] &= 248
    k[31] &= 127
    k[31] |= 64
    return bytes(k)


def public_key(private):
    from cryptography.hazmat.primitives import serialization
    return X25519PrivateKey.from_private_bytes(private).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def details(serial, issuer_serial, key, not_before, not_after):
    return (field_varint(1, serial) + field_varint(2, issuer_serial) + field_bytes(3, key)
            + field_varint(4, not_before) + field_varint(5, not_after))


def certificate(details_bytes, signer_private):
    signature = curve.calculateSignature(os.urandom(64), signer_private, details_bytes)
    return field_bytes(1, details_bytes) + field_bytes(2, signature)


def build_chain(root_private, server_static_public, now):
    intermediate_private = clamp(os.urandom(32))
    intermediate = details(7, 0, public_key(intermediate_private), now - 3600, now + 3600)
    leaf = details(8, 7, server_static_public, now - 60, now + 60)
    return field_bytes(1, certificate(leaf, intermediate_private)) + field_bytes(2, certificate(intermediate, root_private))


def verify_chain(chain, root_public, server_static, now):
    c = parse(chain)
    leaf, inter = parse(c[1]), parse(c[2])
    if curve.verifySignature(root_public, inter[1], inter[2]) != 0:
        raise ValueError("intermediate signature")
    idet = parse(inter[1])
    if idet.get(2, 0) != 0 or len(idet[3]) != 32:
        raise ValueError("intermediate details")
    if curve.verifySignature(idet[3], leaf[1], leaf[2]) != 0:
        raise ValueError("leaf signature")
    ldet = parse(leaf[1])
    if not (idet.get(4, 0) <= now <= idet.get(5, 0) and ldet.get(4, 0) <= now <= ldet.get(5, 0)):
        raise ValueError("validity")
    if ldet.get(2, 0) != idet.get(1, 0) or ldet[3] != server_static:
        raise ValueError("leaf issuer or key")


# --- roles ----------------------------------------------------------------------------------------

def connection(initiator, static_private):
    noise = NoiseConnection.from_name(b"Noise_XX_25519_AESGCM_SHA256")
    noise.set_as_initiator() if initiator else noise.set_as_responder()
    noise.set_prologue(PROLOGUE)
    noise.set_keypair_from_private_bytes(Keypair.STATIC, static_private)
    noise.start_handshake()
    return noise


def responder(root_private, now):
    static_private = clamp(os.urandom(32))
    noise = connection(False, static_private)
    if read_exact(4) != HEADER:
        raise ValueError("bad connection header")
    hello = parse(parse(read_frame())[2])
    if noise.read_message(hello[1]) != b"":
        raise ValueError("ClientHello carried a payload")
    message = bytes(noise.write_message(build_chain(root_private, public_key(static_private), now)))
    server_hello = field_bytes(1, message[:32]) + field_bytes(2, message[32:80]) + field_bytes(3, message[80:])
    write_frame(field_bytes(3, server_hello))
    finish = parse(parse(read_frame())[4])
    client_payload = bytes(noise.read_message(finish[1] + finish[2]))
    if not noise.handshake_finished:
        raise ValueError("handshake not finished")
    first = noise.decrypt(read_frame())
    second = noise.decrypt(read_frame())
    write_frame(noise.encrypt(b"oracle:" + client_payload + first))
    write_frame(noise.encrypt(b"oracle:" + second))
    print("oracle responder: handshake and transport OK (payload %d bytes)" % len(client_payload), file=sys.stderr)


def initiator(root_public, now):
    static_private = clamp(os.urandom(32))
    noise = connection(True, static_private)
    e = bytes(noise.write_message(b""))
    write_frame(field_bytes(2, field_bytes(1, e)), intro=HEADER)
    hello = parse(parse(read_frame())[3])
    chain = bytes(noise.read_message(hello[1] + hello[2] + hello[3]))
    server_static = noise.noise_protocol.handshake_state.rs.public_bytes
    verify_chain(chain, root_public, server_static, now)
    payload = b"oracle client payload"
    message = bytes(noise.write_message(payload))
    write_frame(field_bytes(4, field_bytes(1, message[:48]) + field_bytes(2, message[48:])))
    write_frame(noise.encrypt(b"ping from oracle"))
    reply = noise.decrypt(read_frame())
    if reply != b"pong:" + payload + public_key(static_private) + b"ping from oracle":
        raise ValueError("unexpected transport reply")
    print("oracle initiator: handshake, certificate chain and transport OK", file=sys.stderr)


def main():
    mode, key_hex, now = sys.argv[1], sys.argv[2], int(sys.argv[3])
    key = bytes.fromhex(key_hex)
    if mode == "responder":
        wa_rule()
        responder(clamp(key), now)
    elif mode == "spec-responder":
        responder(clamp(key), now)
    elif mode == "initiator":
        wa_rule()
        initiator(key, now)
    else:
        raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # report, exit non-zero: the Swift side checks the status
        print("oracle failed: %s: %s" % (type(error).__name__, error), file=sys.stderr)
        sys.exit(1)
