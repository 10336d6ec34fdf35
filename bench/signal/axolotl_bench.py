#!/usr/bin/env python3
"""python-axolotl baseline for bench/signal/run.sh: the same operations as SignalBench, as JSON."""
import json
import os
import time

os.environ["PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION"] = "python"

import axolotl_curve25519 as curve25519  # noqa: E402
from axolotl.ecc.curve import Curve  # noqa: E402
from axolotl.protocol.prekeywhispermessage import PreKeyWhisperMessage  # noqa: E402
from axolotl.protocol.whispermessage import WhisperMessage  # noqa: E402
from axolotl.sessionbuilder import SessionBuilder  # noqa: E402
from axolotl.sessioncipher import SessionCipher  # noqa: E402
from axolotl.state.prekeybundle import PreKeyBundle  # noqa: E402
from axolotl.tests.inmemoryaxolotlstore import InMemoryAxolotlStore  # noqa: E402
from axolotl.util.keyhelper import KeyHelper  # noqa: E402


def ops_per_second(iterations, body):
    rates = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(iterations):
            body()
        rates.append(iterations / (time.perf_counter() - start))
    return sorted(rates)[2]


def party():
    store = InMemoryAxolotlStore()
    signed = KeyHelper.generateSignedPreKey(store.getIdentityKeyPair(), 1)
    store.storeSignedPreKey(1, signed)
    bundle = PreKeyBundle(store.getLocalRegistrationId(), 1, None, None, 1, signed.getKeyPair().getPublicKey(),
                          signed.getSignature(), store.getIdentityKeyPair().getPublicKey())
    return store, bundle


PLAINTEXT = b"a" * 100


def setup():
    responder, bundle = party()
    initiator, _ = party()
    SessionBuilder(initiator, initiator, initiator, initiator, "bob", 1).processPreKeyBundle(bundle)
    first = SessionCipher(initiator, initiator, initiator, initiator, "bob", 1).encrypt(PLAINTEXT)
    message = PreKeyWhisperMessage(serialized=first.serialize())
    if message.preKeyId == 0:  # python-axolotl reads an absent preKeyId as 0 under protobuf >= 3
        message.preKeyId = None
    SessionCipher(responder, responder, responder, responder, "alice", 1).decryptPkmsg(message)
    return initiator, responder


alice_store, bob_store = setup()
alice = SessionCipher(alice_store, alice_store, alice_store, alice_store, "bob", 1)
bob = SessionCipher(bob_store, bob_store, bob_store, bob_store, "alice", 1)
state = {"turn": 0}


def exchange():
    state["turn"] += 1
    sender, receiver = (alice, bob) if state["turn"] % 2 == 0 else (bob, alice)
    message = sender.encrypt(PLAINTEXT)
    receiver.decryptMsg(WhisperMessage(serialized=message.serialize()))


key = Curve.generateKeyPair()
private, public = key.getPrivateKey().getPrivateKey(), key.getPublicKey().getPublicKey()
message = b"\x05" * 33
nonce = os.urandom(64)
signature = curve25519.calculateSignature(nonce, private, message)

print(json.dumps({
    "messages": ops_per_second(300, exchange),
    "setups": ops_per_second(40, setup),
    "sign": ops_per_second(2000, lambda: curve25519.calculateSignature(nonce, private, message)),
    "verify": ops_per_second(2000, lambda: curve25519.verifySignature(public, message, signature)),
}, sort_keys=True))
