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


def ops_per_second(iterations, body, prepare=None):
    """Median rate of 5 runs; `prepare(n)` builds each run's inputs outside the timed loop."""
    rates = []
    for _ in range(5):
        inputs = prepare(iterations) if prepare else [()] * iterations
        start = time.perf_counter()
        for item in inputs:
            body(*item)
        rates.append(iterations / (time.perf_counter() - start))
    return sorted(rates)[2]


def party():
    """A device with signed prekey 1 and one-time prekey 1 (as SignalBench), and its bundle."""
    store = InMemoryAxolotlStore()
    signed = KeyHelper.generateSignedPreKey(store.getIdentityKeyPair(), 1)
    store.storeSignedPreKey(1, signed)
    one_time = KeyHelper.generatePreKeys(1, 1)[0]
    store.storePreKey(one_time.getId(), one_time)
    bundle = PreKeyBundle(store.getLocalRegistrationId(), 1, one_time.getId(), one_time.getKeyPair().getPublicKey(),
                          1, signed.getKeyPair().getPublicKey(), signed.getSignature(),
                          store.getIdentityKeyPair().getPublicKey())
    return store, bundle


PLAINTEXT = b"a" * 100


def setup_inputs(count):
    inputs = []
    for _ in range(count):
        responder, bundle = party()
        inputs.append((responder, bundle, party()[0]))
    return inputs


def setup(responder, bundle, initiator):
    SessionBuilder(initiator, initiator, initiator, initiator, "bob", 1).processPreKeyBundle(bundle)
    first = SessionCipher(initiator, initiator, initiator, initiator, "bob", 1).encrypt(PLAINTEXT)
    message = PreKeyWhisperMessage(serialized=first.serialize())
    if message.preKeyId == 0:  # python-axolotl reads an absent preKeyId as 0 under protobuf >= 3
        message.preKeyId = None
    SessionCipher(responder, responder, responder, responder, "alice", 1).decryptPkmsg(message)
    return initiator, responder


alice_store, bob_store = setup(*setup_inputs(1)[0])
alice = SessionCipher(alice_store, alice_store, alice_store, alice_store, "bob", 1)
bob = SessionCipher(bob_store, bob_store, bob_store, bob_store, "alice", 1)
state = {"turn": 0}


def exchange():
    state["turn"] += 1
    sender, receiver = (alice, bob) if state["turn"] % 2 == 0 else (bob, alice)
    message = sender.encrypt(PLAINTEXT)
    receiver.decryptMsg(WhisperMessage(serialized=message.serialize()))


def one_direction():
    message = alice.encrypt(PLAINTEXT)
    bob.decryptMsg(WhisperMessage(serialized=message.serialize()))


key = Curve.generateKeyPair()
private, public = key.getPrivateKey().getPrivateKey(), key.getPublicKey().getPublicKey()
message = b"\x05" * 33
nonce = os.urandom(64)
signature = curve25519.calculateSignature(nonce, private, message)

messages = ops_per_second(300, exchange)
exchange()  # leave Bob having answered, so Alice's messages are WhisperMessages
print(json.dumps({
    "messages": messages,
    "one_direction": ops_per_second(1000, one_direction),
    "setups": ops_per_second(40, setup, setup_inputs),
    "sign": ops_per_second(2000, lambda: curve25519.calculateSignature(nonce, private, message)),
    "verify": ops_per_second(2000, lambda: curve25519.verifySignature(public, message, signature)),
}, sort_keys=True))
