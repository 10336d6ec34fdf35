// Measures the Swift Signal implementation; prints one JSON object (ops per second, medians of 5 runs).
import Foundation
import SignalProtocol

struct Generator: RandomNumberGenerator {
    var state: UInt64 = 42
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func opsPerSecond(_ iterations: Int, _ body: () throws -> Void) rethrows -> Double {
    var rates: [Double] = []
    for _ in 0..<5 {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { try body() }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        rates.append(Double(iterations) / elapsed)
    }
    return rates.sorted()[2]
}

var random = Generator()
let alice = SignalAddress(name: "alice", deviceID: 1), bob = SignalAddress(name: "bob", deviceID: 1)

func makeParty(_ random: inout Generator) -> (InMemorySignalStore, PreKeyBundle) {
    let identity = KeyHelper.generateIdentityKeyPair(using: &random)
    let store = InMemorySignalStore(identityKeyPair: identity, registrationID: 1, trustPolicy: .acceptChanges)
    let signed = KeyHelper.generateSignedPreKey(identityKeyPair: identity, id: 1, timestamp: 0, using: &random)
    store.storeSignedPreKey(signed)
    let bundle = PreKeyBundle(
        registrationID: 1, deviceID: 1, preKeyID: nil, preKey: nil, signedPreKeyID: 1,
        signedPreKey: signed.keyPair.publicKey, signedPreKeySignature: signed.signature, identityKey: identity.publicKey)
    return (store, bundle)
}

let (aliceStore, _) = makeParty(&random)
let (bobStore, bobBundle) = makeParty(&random)
try SessionBuilder.processBundle(bobBundle, for: bob, store: aliceStore, using: &random)
let aliceCipher = SessionCipher(store: aliceStore, address: bob)
let bobCipher = SessionCipher(store: bobStore, address: alice)
if case .preKeySignal(let first) = try aliceCipher.encrypt([0]) { _ = try bobCipher.decrypt(first, using: &random) }
let plaintext = [UInt8](repeating: 0x61, count: 100)
var turn = 0
// 1:1 encrypt + decrypt of 100 bytes, alternating direction (a ratchet step at every turn of direction).
let messages = try opsPerSecond(4000) {
    turn += 1
    let (sender, receiver) = turn.isMultiple(of: 2) ? (aliceCipher, bobCipher) : (bobCipher, aliceCipher)
    guard case .signal(let message) = try sender.encrypt(plaintext) else { fatalError("expected msg") }
    _ = try receiver.decrypt(SignalMessage(serialized: message.serialized), using: &random)
}

// Session setup: X3DH from a bundle + first message encrypted and decrypted by the responder.
let setups = try opsPerSecond(400) {
    let (responder, bundle) = makeParty(&random)
    let (initiator, _) = makeParty(&random)
    try SessionBuilder.processBundle(bundle, for: bob, store: initiator, using: &random)
    guard case .preKeySignal(let message) = try SessionCipher(store: initiator, address: bob).encrypt(plaintext) else {
        fatalError("expected pkmsg")
    }
    _ = try SessionCipher(store: responder, address: alice).decrypt(message, using: &random)
}

let signer = Curve25519KeyPair(using: &random)
let message = [UInt8](repeating: 5, count: 33)
let nonce = [UInt8](repeating: 7, count: 64)
let signature = XEdDSA.sign(message: message, privateKey: signer.privateKey, random: nonce)
let signs = opsPerSecond(4000) { _ = XEdDSA.sign(message: message, privateKey: signer.privateKey, random: nonce) }
let verifies = opsPerSecond(4000) {
    precondition(XEdDSA.verify(signature: signature, message: message, publicKey: signer.publicKey))
}

let result: [String: Double] = ["messages": messages, "setups": setups, "sign": signs, "verify": verifies]
let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
