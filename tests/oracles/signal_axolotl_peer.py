#!/usr/bin/env python3
"""A python-axolotl peer driven over stdin/stdout, one JSON object per line (tests only; GPLv3 oracle).

The Swift interop tests (Tests/SignalProtocolTests/SignalInteropTests.swift) start this script with the
oracle venv's python and exchange Signal messages with it: python-axolotl is an independent implementation
of Signal v3 (docs/test-oracles.md §3). Bytes travel as lowercase hex. Every request gets exactly one reply:
{"ok": true, ...} or {"ok": false, "error": "<ExceptionClass>", "detail": "..."}.
"""
import json
import os
import sys

# python-axolotl ships pre-3.20 protobuf gencode: it needs the pure-Python protobuf runtime.
os.environ["PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION"] = "python"

import axolotl_curve25519 as curve25519  # noqa: E402
from axolotl.ecc.curve import Curve  # noqa: E402
from axolotl.ecc.djbec import DjbECPrivateKey, DjbECPublicKey  # noqa: E402
from axolotl.groups.groupcipher import GroupCipher  # noqa: E402
from axolotl.groups.groupsessionbuilder import GroupSessionBuilder  # noqa: E402
from axolotl.groups.senderkeyname import SenderKeyName  # noqa: E402
from axolotl.axolotladdress import AxolotlAddress  # noqa: E402
from axolotl.protocol.prekeywhispermessage import PreKeyWhisperMessage  # noqa: E402
from axolotl.protocol.senderkeydistributionmessage import SenderKeyDistributionMessage  # noqa: E402
from axolotl.protocol.whispermessage import WhisperMessage  # noqa: E402
from axolotl.sessionbuilder import SessionBuilder  # noqa: E402
from axolotl.sessioncipher import SessionCipher  # noqa: E402
from axolotl.state.prekeybundle import PreKeyBundle  # noqa: E402
from axolotl.identitykey import IdentityKey  # noqa: E402
from axolotl.tests.groups.inmemorysenderkeystore import InMemorySenderKeyStore  # noqa: E402
from axolotl.tests.inmemoryaxolotlstore import InMemoryAxolotlStore  # noqa: E402
from axolotl.util.keyhelper import KeyHelper  # noqa: E402
from axolotl.state.signedprekeyrecord import SignedPreKeyRecord  # noqa: E402
from axolotl.state.prekeyrecord import PreKeyRecord  # noqa: E402
import time  # noqa: E402

store = InMemoryAxolotlStore()
sender_keys = InMemorySenderKeyStore()
RECIPIENT, DEVICE = "swift", 1


def h(data):
    return bytes(data).hex()


def b(text):
    return bytes.fromhex(text)


def public_key(hex33):
    return Curve.decodePoint(bytearray(b(hex33)), 0)


def cipher():
    return SessionCipher(store, store, store, store, RECIPIENT, DEVICE)


def op_bundle(req):
    """Creates a signed prekey and a one-time prekey; returns the bundle for the Swift side."""
    identity = store.getIdentityKeyPair()
    signed = KeyHelper.generateSignedPreKey(identity, req.get("signedPreKeyId", 7))
    store.storeSignedPreKey(signed.getId(), signed)
    reply = {
        "registrationId": store.getLocalRegistrationId(),
        "identityKey": h(identity.getPublicKey().serialize()),
        "signedPreKeyId": signed.getId(),
        "signedPreKey": h(signed.getKeyPair().getPublicKey().serialize()),
        "signedPreKeySignature": h(signed.getSignature()),
    }
    if req.get("withPreKey", True):
        prekey = KeyHelper.generatePreKeys(req.get("preKeyId", 31337), 1)[0]
        store.storePreKey(prekey.getId(), prekey)
        reply["preKeyId"] = prekey.getId()
        reply["preKey"] = h(prekey.getKeyPair().getPublicKey().serialize())
    return reply


def op_process_bundle(req):
    bundle = PreKeyBundle(
        req["registrationId"], DEVICE, req.get("preKeyId"),
        public_key(req["preKey"]) if req.get("preKey") else None,
        req["signedPreKeyId"], public_key(req["signedPreKey"]), b(req["signedPreKeySignature"]),
        IdentityKey(public_key(req["identityKey"])))
    SessionBuilder(store, store, store, store, RECIPIENT, DEVICE).processPreKeyBundle(bundle)
    return {}


def op_encrypt(req):
    message = cipher().encrypt(b(req["plaintext"]))
    kind = "pkmsg" if isinstance(message, PreKeyWhisperMessage) else "msg"
    return {"type": kind, "body": h(message.serialize())}


def op_decrypt(req):
    body = b(req["body"])
    if req["type"] == "pkmsg":
        message = PreKeyWhisperMessage(serialized=body)
        # python-axolotl reads an absent proto2 preKeyId as 0 under protobuf >= 3 (it expects None) and then
        # fails with InvalidKeyIdException; 0 is never a real id (docs/protocol/upper.md §1.5), so map it back.
        if message.preKeyId == 0:
            message.preKeyId = None
        plaintext = cipher().decryptPkmsg(message)
    else:
        plaintext = cipher().decryptMsg(WhisperMessage(serialized=body))
    return {"plaintext": h(plaintext)}


def op_sign(req):
    signature = curve25519.calculateSignature(b(req["random"]), b(req["privateKey"]), b(req["message"]))
    return {"signature": h(signature)}


def op_verify(req):
    valid = curve25519.verifySignature(b(req["publicKey"]), b(req["message"]), b(req["signature"])) == 0
    return {"valid": valid}


def op_public_key(req):
    return {"publicKey": h(curve25519.generatePublicKey(b(req["privateKey"])))}


def op_agreement(req):
    return {"shared": h(curve25519.calculateAgreement(b(req["privateKey"]), b(req["publicKey"])))}


def sender_key_name(req):
    return SenderKeyName(req["group"], AxolotlAddress(req["sender"], DEVICE))


def op_group_create(req):
    message = GroupSessionBuilder(sender_keys).create(sender_key_name(req))
    return {"body": h(message.serialize())}


def op_group_process(req):
    message = SenderKeyDistributionMessage(serialized=b(req["body"]))
    GroupSessionBuilder(sender_keys).process(sender_key_name(req), message)
    return {}


def op_group_encrypt(req):
    return {"body": h(GroupCipher(sender_keys, sender_key_name(req)).encrypt(b(req["plaintext"])))}


def op_group_decrypt(req):
    return {"plaintext": h(GroupCipher(sender_keys, sender_key_name(req)).decrypt(b(req["body"])))}


OPS = {name[3:]: fn for name, fn in globals().items() if name.startswith("op_")}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            reply = OPS[req["op"]](req)
            reply["ok"] = True
        except Exception as error:  # reported to the Swift side as data
            reply = {"ok": False, "error": type(error).__name__, "detail": str(error)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
