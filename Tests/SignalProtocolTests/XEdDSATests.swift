import Foundation
import Testing
@testable import SignalProtocol

@Suite struct XEdDSATests {
    // docs/protocol/upper.md §11.1, Curve25519Test.testSignature: a signed-prekey style signature.
    let signerPublic = hex("05ab7e717d4a163b7d9a1d8071dfe9dcf8cdcd1cea3339b6356be84d887e322c64")
    let message = hex("05edce9d9c415ca78cb7252e72c2c4a554d3eb29485a0e1d503118d1a82d99fb4a")
    let signature = hex(
        "5de88ca9a89b4a115da79109c67c9c7464a3e4180274f1cb8c63c2984e286dfb"
            + "ede82deb9dcd9fae0bfbb821569b3d9001bd8130cd11d486cef047bd60b86e88")

    @Test func knownAnswerSignatureVerifies() throws {
        let key = try Curve25519PublicKey(serialized: signerPublic)
        #expect(XEdDSA.verify(signature: signature, message: message, publicKey: key))
    }

    /// Signatures computed by python-axolotl-curve25519 0.4.1.post2 (`calculateSignature(random, key, message)`,
    /// libsignal-protocol-c's algorithm) with fixed randomness: our `sign` must produce the same bytes.
    static let deterministicVectors: [(privateKey: String, message: String, random: String, signature: String)] = [
        (
            "c806439dc9d2c476ffed8f2580c0888d58ab406bf7ae3698879021b96bb4bf59",
            "05653614993d2b15ee9e5fd3d86ce719ef4ec1daae1886a87b3f5fa9565a27a22f",
            (0..<64).map { String(format: "%02x", $0) }.joined(),
            "e47f125b3cee427640f41e396df73288f7e0700f6d25a2c6601061e8547df46a"
                + "0a8b8caffeac4b22fb48aef41dda6695e5918f5a3b4440e30253feec1fded385"
        ),
        (
            "b03b34c33a1c44f225b662d2bf4859b8135411fa7b0386d45fb75dc5b91b4466", "",
            String(repeating: "ff", count: 64),
            "f62432441ac050507d98b4cb2b8b0da6d6ecb84afe28a30018324ab24b1cec37"
                + "e7f8aa1084916ad4c5520eb68e2204b5f5993f97d320f0611217ca2679ccfc0b"
        ),
        (
            "4875cc69ddf8ea0719ec947d61081135868d5fd801f02c0225e516df2156605e", "48656c6c6f2c20576861747341707021",
            String(repeating: "a5", count: 64),
            "4199cdd30ebd4f964e011854d3872185dc0afffa54cea3339778bfd431f40a9d"
                + "ed44b581d5efbc550786f49dc5e42d7c5677c59eab3c1eb81d4bab8ea6e6430f"
        ),
    ]

    @Test(arguments: 0..<3) func signingWithFixedRandomnessMatchesLibsignalAlgorithm(vector: Int) throws {
        let entry = Self.deterministicVectors[vector]
        let key = try Curve25519PrivateKey(rawRepresentation: hex(entry.privateKey))
        let signature = XEdDSA.sign(message: hex(entry.message), privateKey: key, random: hex(entry.random))
        #expect(hexString(signature) == entry.signature)
        #expect(XEdDSA.verify(signature: signature, message: hex(entry.message), publicKey: key.publicKey))
    }

    @Test func everySingleBitFlipOfKnownSignatureIsRejected() throws {
        let key = try Curve25519PublicKey(serialized: signerPublic)
        for bit in 0..<512 {
            var flipped = signature
            flipped[bit / 8] ^= UInt8(1 << (bit % 8))
            #expect(!XEdDSA.verify(signature: flipped, message: message, publicKey: key), "bit \(bit)")
        }
    }

    @Test func signaturesOfWrongLengthAreRejected() throws {
        let key = try Curve25519PublicKey(serialized: signerPublic)
        #expect(!XEdDSA.verify(signature: Array(signature.dropLast()), message: message, publicKey: key))
        #expect(!XEdDSA.verify(signature: signature + [0], message: message, publicKey: key))
        #expect(!XEdDSA.verify(signature: [], message: message, publicKey: key))
    }

    @Test func randomSignaturesRoundTripAndRejectTampering() {
        var generator = SeededGenerator(seed: 3)
        for length in 0..<200 {
            let pair = Curve25519KeyPair(using: &generator)
            let message = generator.bytes(length)
            let sig = XEdDSA.sign(message: message, privateKey: pair.privateKey, random: generator.bytes(64))
            #expect(sig.count == 64)
            #expect(XEdDSA.verify(signature: sig, message: message, publicKey: pair.publicKey))
            var tampered = sig
            tampered[length % 64] ^= 0x01
            #expect(!XEdDSA.verify(signature: tampered, message: message, publicKey: pair.publicKey))
            let otherMessage = message + [0]
            #expect(!XEdDSA.verify(signature: sig, message: otherMessage, publicKey: pair.publicKey))
            let other = Curve25519KeyPair(using: &generator)
            #expect(!XEdDSA.verify(signature: sig, message: message, publicKey: other.publicKey))
        }
    }

    @Test func signingIsDeterministicInItsRandomInput() {
        var generator = SeededGenerator(seed: 4)
        let pair = Curve25519KeyPair(using: &generator)
        let random = generator.bytes(64)
        let first = XEdDSA.sign(message: [1, 2, 3], privateKey: pair.privateKey, random: random)
        let second = XEdDSA.sign(message: [1, 2, 3], privateKey: pair.privateKey, random: random)
        var otherRandom = random
        otherRandom[0] ^= 1
        #expect(first == second)
        #expect(first != XEdDSA.sign(message: [1, 2, 3], privateKey: pair.privateKey, random: otherRandom))
    }

    @Test func signatureSignBitIsTheEdwardsSignOfThePublicKey() {
        // Over many keys both sign-bit values must occur, and verification must depend on the bit.
        var generator = SeededGenerator(seed: 5)
        var seen: Set<UInt8> = []
        for _ in 0..<64 {
            let pair = Curve25519KeyPair(using: &generator)
            let sig = XEdDSA.sign(message: [9], privateKey: pair.privateKey, random: generator.bytes(64))
            seen.insert(sig[63] & 0x80)
            var flipped = sig
            flipped[63] ^= 0x80
            #expect(!XEdDSA.verify(signature: flipped, message: [9], publicKey: pair.publicKey))
        }
        #expect(seen == [0, 0x80])
    }

    @Test func allOnesAndAllZeroSignaturesAreRejectedWithoutTrapping() throws {
        let key = try Curve25519PublicKey(serialized: signerPublic)
        #expect(!XEdDSA.verify(signature: [UInt8](repeating: 0xFF, count: 64), message: message, publicKey: key))
        #expect(!XEdDSA.verify(signature: [UInt8](repeating: 0, count: 64), message: message, publicKey: key))
        let oddKey = try Curve25519PublicKey(rawRepresentation: [UInt8](repeating: 0xFF, count: 32))
        #expect(!XEdDSA.verify(signature: signature, message: message, publicKey: oddKey))
    }
}
