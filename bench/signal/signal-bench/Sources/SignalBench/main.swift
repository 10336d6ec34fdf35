// Measures the Swift Signal implementation and, in the same run, the public-key primitives that bound it
// (swift-crypto X25519 agreement and key generation, our XEdDSA verify); prints one JSON object (ops per
// second, medians of 7 interleaved rounds). `SignalBench profile <alternating|one-direction|setup> N` runs
// one workload N times without timing, for `valgrind --tool=callgrind`. Valgrind 3.19 cannot read the DWARF 5
// of a Swift 6.3 release binary ("unhandled dwarf2 abbrev form code 0x25"): profile a copy made with
// `objcopy --strip-debug` (symbols stay). Instructions per message = (count(N) - count(0)) / N.
import Crypto
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

/// One benchmark: `prepare` builds a run's inputs outside the timed loop, `body` runs once per input.
struct Benchmark {
    let name: String
    let iterations: Int
    let run: () throws -> Double

    init<Input>(_ name: String, _ iterations: Int, prepare: @escaping (Int) throws -> [Input], _ body: @escaping (Input) throws -> Void) {
        self.name = name
        self.iterations = iterations
        self.run = {
            let inputs = try prepare(iterations)
            let start = DispatchTime.now().uptimeNanoseconds
            for input in inputs { try body(input) }
            return Double(iterations) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
    }

    init(_ name: String, _ iterations: Int, _ body: @escaping () throws -> Void) {
        self.init(name, iterations, prepare: { Array(repeating: (), count: $0) }, { _ in try body() })
    }
}

/// Median rates of `rounds` rounds; each round runs every benchmark once, so a burst of load on this shared
/// machine hits the primitives and the workloads alike and their ratios stay stable.
func medianRates(_ benchmarks: [Benchmark], rounds: Int = 7) throws -> [String: Double] {
    var rates: [String: [Double]] = [:]
    for _ in 0..<rounds {
        for benchmark in benchmarks { rates[benchmark.name, default: []].append(try benchmark.run()) }
    }
    return rates.mapValues { $0.sorted()[$0.count / 2] }
}

var random = Generator()
let alice = SignalAddress(name: "alice", deviceID: 1), bob = SignalAddress(name: "bob", deviceID: 1)

/// A device with an identity, signed prekey 1 and one-time prekey 1, and the bundle announcing them.
func makeParty(_ random: inout Generator) -> (InMemorySignalStore, PreKeyBundle) {
    let identity = KeyHelper.generateIdentityKeyPair(using: &random)
    let store = InMemorySignalStore(identityKeyPair: identity, registrationID: 1, trustPolicy: .acceptChanges)
    let signed = KeyHelper.generateSignedPreKey(identityKeyPair: identity, id: 1, timestamp: 0, using: &random)
    store.storeSignedPreKey(signed)
    let oneTime = PreKeyRecord(id: 1, keyPair: Curve25519KeyPair(using: &random))
    store.storePreKey(oneTime)
    let bundle = PreKeyBundle(
        registrationID: 1, deviceID: 1, preKeyID: 1, preKey: oneTime.keyPair.publicKey, signedPreKeyID: 1,
        signedPreKey: signed.keyPair.publicKey, signedPreKeySignature: signed.signature, identityKey: identity.publicKey)
    return (store, bundle)
}

let plaintext = [UInt8](repeating: 0x61, count: 100)

/// Session setup, both sides: X3DH from a bundle with a one-time prekey, first message encrypted by the
/// initiator and decrypted by the responder (the work the setup ceiling counts).
@MainActor func setup(responder: InMemorySignalStore, bundle: PreKeyBundle, initiator: InMemorySignalStore) throws {
    try SessionBuilder.processBundle(bundle, for: bob, store: initiator, using: &random)
    guard case .preKeySignal(let message) = try SessionCipher(store: initiator, address: bob).encrypt(plaintext) else {
        fatalError("expected pkmsg")
    }
    _ = try SessionCipher(store: responder, address: alice).decrypt(message, using: &random)
}

@MainActor func makeSetupInputs(_ count: Int) -> [(InMemorySignalStore, PreKeyBundle, InMemorySignalStore)] {
    (0..<count).map { _ in
        let (responder, bundle) = makeParty(&random)
        return (responder, bundle, makeParty(&random).0)
    }
}

let (aliceStore, _) = makeParty(&random)
let (bobStore, bobBundle) = makeParty(&random)
try SessionBuilder.processBundle(bobBundle, for: bob, store: aliceStore, using: &random)
let aliceCipher = SessionCipher(store: aliceStore, address: bob)
let bobCipher = SessionCipher(store: bobStore, address: alice)
if case .preKeySignal(let first) = try aliceCipher.encrypt([0]) { _ = try bobCipher.decrypt(first, using: &random) }
var turn = 0

/// 1:1 encrypt + decrypt of 100 bytes, alternating direction (a DH-ratchet step at every turn).
@MainActor func alternating() throws {
    turn += 1
    let (sender, receiver) = turn.isMultiple(of: 2) ? (aliceCipher, bobCipher) : (bobCipher, aliceCipher)
    guard case .signal(let message) = try sender.encrypt(plaintext) else { fatalError("expected msg") }
    _ = try receiver.decrypt(SignalMessage(serialized: message.serialized), using: &random)
}

/// 1:1 encrypt + decrypt of 100 bytes, always Alice to Bob (symmetric ratchet only).
@MainActor func oneDirection() throws {
    guard case .signal(let message) = try aliceCipher.encrypt(plaintext) else { fatalError("expected msg") }
    _ = try bobCipher.decrypt(SignalMessage(serialized: message.serialized), using: &random)
}

let arguments = CommandLine.arguments
if arguments.count == 4, arguments[1] == "profile", let count = Int(arguments[3]) {
    try alternating()  // Bob answers once, so Alice sends "msg" rather than "pkmsg" from here on
    switch arguments[2] {
    case "alternating": for _ in 0..<count { try alternating() }
    case "one-direction": for _ in 0..<count { try oneDirection() }
    case "setup": for input in makeSetupInputs(count) { try setup(responder: input.0, bundle: input.1, initiator: input.2) }
    default: fatalError("unknown workload")
    }
    exit(0)
}

try alternating()  // Bob answers once, so Alice sends "msg" rather than "pkmsg" from here on
let agreementKey = Curve25519.KeyAgreement.PrivateKey()
let peerKey = Curve25519.KeyAgreement.PrivateKey().publicKey
let ourKey = Curve25519KeyPair(using: &random), theirKey = Curve25519KeyPair(using: &random).publicKey
let signer = Curve25519KeyPair(using: &random)
let signedMessage = [UInt8](repeating: 5, count: 33)
let nonce = [UInt8](repeating: 7, count: 64)
let signature = XEdDSA.sign(message: signedMessage, privateKey: signer.privateKey, random: nonce)

let result = try medianRates([
    // The primitives (swift-crypto as-is: key objects built once, outside the loop).
    Benchmark("agree", 2000) { _ = try agreementKey.sharedSecretFromKeyAgreement(with: peerKey) },
    Benchmark("keygen", 4000) { _ = Curve25519.KeyAgreement.PrivateKey() },
    Benchmark("sign", 2000) { _ = XEdDSA.sign(message: signedMessage, privateKey: signer.privateKey, random: nonce) },
    Benchmark("verify", 1000) {
        precondition(XEdDSA.verify(signature: signature, message: signedMessage, publicKey: signer.publicKey))
    },
    // The same operations through SignalProtocol's key types (what the ratchet calls).
    Benchmark("our_agree", 2000) { _ = try ourKey.privateKey.sharedSecret(with: theirKey) },
    Benchmark("our_keygen", 4000) { _ = Curve25519KeyPair(using: &random) },
    // After a one-direction run the first alternating message needs no ratchet step (1 in 2,000).
    Benchmark("messages", 2000, alternating),
    Benchmark("one_direction", 10000, oneDirection),
    Benchmark("setups", 200, prepare: makeSetupInputs) { try setup(responder: $0.0, bundle: $0.1, initiator: $0.2) },
])
let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
