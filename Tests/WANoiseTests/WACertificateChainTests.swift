import Foundation
import SignalProtocol
import Testing
import WAProto
@testable import WANoise

/// The server certificate chain: whatsmeow's eight checks (docs/protocol/lower.md §2.5).
@Suite struct WACertificateChainTests {
    let fixture = WAHandshakeFixture()
    var rs: [UInt8] { fixture.serverStatic.publicKey }

    func intermediate(serial: UInt32 = 1, issuer: UInt32 = 0, key: [UInt8]? = nil, validity: ClosedRange<UInt64> = 1_000...2_000) -> WACertificateDetails {
        WACertificateDetails(serial: serial, issuerSerial: issuer, key: key ?? fixture.intermediate.publicKey,
                             notBefore: validity.lowerBound, notAfter: validity.upperBound)
    }

    func leaf(issuer: UInt32 = 1, key: [UInt8]? = nil, validity: ClosedRange<UInt64> = 1_000...2_000) -> WACertificateDetails {
        WACertificateDetails(serial: 2, issuerSerial: issuer, key: key ?? fixture.serverStatic.publicKey,
                             notBefore: validity.lowerBound, notAfter: validity.upperBound)
    }

    func build(intermediate: WACertificateDetails? = nil, rootKey: [UInt8]? = nil, leaf: WACertificateDetails? = nil, intermediateKey: [UInt8]? = nil) throws -> [UInt8] {
        var random = SeededGenerator(seed: 3)
        return try WACertificateChain.build(
            intermediate: intermediate ?? self.intermediate(), intermediateSignerPrivateKey: rootKey ?? fixture.root.privateKey,
            leaf: leaf ?? self.leaf(), leafSignerPrivateKey: intermediateKey ?? fixture.intermediate.privateKey, random: &random)
    }

    func verify(_ chain: [UInt8], now: UInt64 = WAHandshakeFixture.now, root: [UInt8]? = nil) throws -> WACertificateChain {
        try WACertificateChain.verify(serialized: chain, rootPublicKey: root ?? fixture.root.publicKey, serverStaticKey: rs, now: now)
    }

    @Test func validChainVerifies() throws {
        let chain = try verify(try build())
        #expect(chain.intermediate == intermediate())
        #expect(chain.leaf == leaf())
    }

    @Test func whatsAppRootKeyIsPinnedByDefault() {
        #expect(WACertificateChain.whatsAppRootPublicKey.hex == "142375574d0a587166aae71ebe516437c4a28b73e3695c6ce1f7f9545da8ee6b")
        #expect(WAHandshakeConfiguration().rootPublicKey == WACertificateChain.whatsAppRootPublicKey)
    }

    @Test func check1MissingPartsAreRejected() throws {
        let full = try WACert_CertChain(serializedBytes: try build())
        var noLeaf = full; noLeaf.clearLeaf()
        var noIntermediateSignature = full; noIntermediateSignature.intermediate.clearSignature()
        var noLeafDetails = full; noLeafDetails.leaf.clearDetails()
        var shortSignature = full; shortSignature.leaf.signature = Data(repeating: 1, count: 63)
        #expect(throws: WACertificateError.missingField(.leaf)) { try verify(try noLeaf.serializedBytes()) }
        #expect(throws: WACertificateError.missingField(.intermediate)) { try verify(try noIntermediateSignature.serializedBytes()) }
        #expect(throws: WACertificateError.missingField(.leaf)) { try verify(try noLeafDetails.serializedBytes()) }
        #expect(throws: WACertificateError.invalidSignatureLength(.leaf, actual: 63)) { try verify(try shortSignature.serializedBytes()) }
        #expect(throws: WACertificateError.malformedChain) { try verify([0xff]) }
    }

    @Test func check2IntermediateSignedByAnotherRootIsRejected() throws {
        #expect(throws: WACertificateError.intermediateSignatureInvalid) { try verify(try build(rootKey: keyPair(0x66).privateKey)) }
        #expect(throws: WACertificateError.intermediateSignatureInvalid) { try verify(try build(), root: WACertificateChain.whatsAppRootPublicKey) }
        var tampered = try WACert_CertChain(serializedBytes: try build())
        tampered.intermediate.signature[3] ^= 1
        #expect(throws: WACertificateError.intermediateSignatureInvalid) { try verify(try tampered.serializedBytes()) }
    }

    @Test func check3IntermediateIssuerSerialAndKeyLength() throws {
        #expect(throws: WACertificateError.intermediateIssuerSerialMismatch(expected: 0, actual: 5)) {
            try verify(try build(intermediate: intermediate(issuer: 5)))
        }
        #expect(throws: WACertificateError.invalidKeyLength(.intermediate, actual: 31)) {
            try verify(try build(intermediate: intermediate(key: [UInt8](repeating: 1, count: 31))))
        }
    }

    @Test func check4LeafSignedByAnotherKeyIsRejected() throws {
        #expect(throws: WACertificateError.leafSignatureInvalid) { try verify(try build(intermediateKey: keyPair(0x67).privateKey)) }
    }

    @Test func check5IntermediateValidityWindow() throws {
        let chain = try build(intermediate: intermediate(validity: 1_600...1_700))
        #expect(throws: WACertificateError.intermediateOutsideValidity(now: 1_500, notBefore: 1_600, notAfter: 1_700)) { try verify(chain) }
        #expect(throws: WACertificateError.intermediateOutsideValidity(now: 1_701, notBefore: 1_600, notAfter: 1_700)) { try verify(chain, now: 1_701) }
        #expect(try verify(chain, now: 1_600).intermediate.notBefore == 1_600)
        #expect(try verify(chain, now: 1_700).intermediate.notAfter == 1_700)
    }

    @Test func check6LeafIssuerSerialMustBeIntermediateSerial() throws {
        #expect(throws: WACertificateError.leafIssuerSerialMismatch(expected: 1, actual: 9)) { try verify(try build(leaf: leaf(issuer: 9))) }
    }

    @Test func check7LeafKeyMustBeServerStaticKey() throws {
        #expect(throws: WACertificateError.leafKeyMismatch) { try verify(try build(leaf: leaf(key: keyPair(0x68).publicKey))) }
    }

    @Test func check8LeafValidityWindow() throws {
        let chain = try build(leaf: leaf(validity: 1_000...1_400))
        #expect(throws: WACertificateError.leafOutsideValidity(now: 1_500, notBefore: 1_000, notAfter: 1_400)) { try verify(chain) }
    }

    @Test func constantTimeCompareRejectsDifferentLengths() {
        #expect(!ConstantTime.equals([1, 2], [1, 2, 3]))
        #expect(ConstantTime.equals([1, 2], [1, 2]))
        #expect(!ConstantTime.equals([1, 2], [1, 3]))
    }
}
