#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WACore
import SwiftProtobuf
import WAProto

/// The server's Noise certificate chain (docs/protocol/lower.md §2.5): the root signs the intermediate,
/// the intermediate signs the leaf, and the leaf's key is the server static key.
///
/// ``verify(serialized:rootPublicKey:serverStaticKey:now:)`` runs whatsmeow's eight checks, in its order;
/// ``build(intermediate:intermediateSignerPrivateKey:leaf:leafSignerPrivateKey:random:)`` makes a chain for
/// the simulator. Signatures are libsignal's Curve25519 signatures (docs/protocol/lower.md §7) over the raw `Details` bytes.
public struct WACertificateChain: Sendable, Equatable {
    /// WhatsApp's root public key (Curve25519, Montgomery form), whatsmeow `WACertPubKey`.
    public static let whatsAppRootPublicKey: [UInt8] = [
        0x14, 0x23, 0x75, 0x57, 0x4d, 0x0a, 0x58, 0x71, 0x66, 0xaa, 0xe7, 0x1e, 0xbe, 0x51, 0x64, 0x37,
        0xc4, 0xa2, 0x8b, 0x73, 0xe3, 0x69, 0x5c, 0x6c, 0xe1, 0xf7, 0xf9, 0x54, 0x5d, 0xa8, 0xee, 0x6b,
    ]
    /// The issuer serial an intermediate must carry: the root's (whatsmeow `WACertIssuerSerial`).
    public static let rootSerial: UInt32 = 0
    /// Signature length (docs/protocol/lower.md §7).
    public static let signatureLength = 64

    /// The intermediate certificate's details.
    public var intermediate: WACertificateDetails
    /// The leaf certificate's details.
    public var leaf: WACertificateDetails

    public init(intermediate: WACertificateDetails, leaf: WACertificateDetails) {
        self.intermediate = intermediate
        self.leaf = leaf
    }

    /// Verifies a serialized `CertChain` exactly as whatsmeow's `verifyServerCert` does.
    ///
    /// - Parameters:
    ///   - rootPublicKey: the pinned root (``whatsAppRootPublicKey`` unless configured otherwise).
    ///   - serverStaticKey: `rs`, decrypted from the ServerHello.
    ///   - now: the current time, Unix seconds.
    public static func verify(
        serialized: [UInt8], rootPublicKey: [UInt8], serverStaticKey: [UInt8], now: UInt64
    ) throws(WACertificateError) -> WACertificateChain {
        let chain: WACert_CertChain
        do { chain = try WACert_CertChain(serializedBytes: serialized) } catch { throw .malformedChain }

        // 1. All four parts present; both signatures 64 bytes.
        let (intermediateDetails, intermediateSignature) = try parts(of: chain, .intermediate)
        let (leafDetails, leafSignature) = try parts(of: chain, .leaf)

        // 2. The root signs the raw intermediate details.
        guard verifySignature(intermediateSignature, over: intermediateDetails, by: rootPublicKey) else {
            throw .intermediateSignatureInvalid
        }
        // 3. Intermediate: issuer serial 0, 32-byte key.
        let intermediate = try parseDetails(intermediateDetails)
        guard intermediate.issuerSerial == rootSerial else {
            throw .intermediateIssuerSerialMismatch(expected: rootSerial, actual: intermediate.issuerSerial)
        }
        guard intermediate.key.count == NoiseKeyPair.keyLength else {
            throw .invalidKeyLength(.intermediate, actual: intermediate.key.count)
        }
        // 4. The intermediate's key signs the raw leaf details.
        guard verifySignature(leafSignature, over: leafDetails, by: intermediate.key) else {
            throw .leafSignatureInvalid
        }
        // 5. The intermediate is within its validity window.
        guard intermediate.isValid(at: now) else {
            throw .intermediateOutsideValidity(now: now, notBefore: intermediate.notBefore, notAfter: intermediate.notAfter)
        }
        // 6. Leaf: issued by the intermediate.
        let leaf = try parseDetails(leafDetails)
        guard leaf.issuerSerial == intermediate.serial else {
            throw .leafIssuerSerialMismatch(expected: intermediate.serial, actual: leaf.issuerSerial)
        }
        // 7. The leaf certifies the server static key (constant-time compare).
        guard ConstantTime.equals(leaf.key, serverStaticKey) else { throw .leafKeyMismatch }
        // 8. The leaf is within its validity window.
        guard leaf.isValid(at: now) else {
            throw .leafOutsideValidity(now: now, notBefore: leaf.notBefore, notAfter: leaf.notAfter)
        }
        return WACertificateChain(intermediate: intermediate, leaf: leaf)
    }

    /// Builds a serialized `CertChain` (the responder's side).
    ///
    /// - Parameters:
    ///   - intermediate: its details; `issuerSerial` should be 0.
    ///   - intermediateSignerPrivateKey: the root's private key, which signs the intermediate.
    ///   - leaf: its details; `key` should be the server static key and `issuerSerial` the intermediate's serial.
    ///   - leafSignerPrivateKey: the intermediate's private key (whose public key is `intermediate.key`).
    ///   - random: randomness for the two signatures.
    public static func build(
        intermediate: WACertificateDetails, intermediateSignerPrivateKey: [UInt8],
        leaf: WACertificateDetails, leafSignerPrivateKey: [UInt8],
        random: inout some RandomNumberGenerator
    ) throws(WACertificateError) -> [UInt8] {
        var chain = WACert_CertChain()
        chain.intermediate = try signedCertificate(intermediate, by: intermediateSignerPrivateKey, random: &random)
        chain.leaf = try signedCertificate(leaf, by: leafSignerPrivateKey, random: &random)
        do { return Array(try chain.serializedBytes() as [UInt8]) } catch { throw .malformedChain }
    }

    /// Builds the usual simulator chain: root → intermediate (serial 1) → leaf (serial 2, the server static key),
    /// both valid for `validity`.
    public static func build(
        rootPrivateKey: [UInt8], intermediateKey: NoiseKeyPair, serverStaticKey: [UInt8],
        validity: ClosedRange<UInt64>, random: inout some RandomNumberGenerator
    ) throws(WACertificateError) -> [UInt8] {
        try build(
            intermediate: WACertificateDetails(
                serial: 1, issuerSerial: rootSerial, key: intermediateKey.publicKey,
                notBefore: validity.lowerBound, notAfter: validity.upperBound),
            intermediateSignerPrivateKey: rootPrivateKey,
            leaf: WACertificateDetails(
                serial: 2, issuerSerial: 1, key: serverStaticKey,
                notBefore: validity.lowerBound, notAfter: validity.upperBound),
            leafSignerPrivateKey: intermediateKey.privateKey, random: &random)
    }

    private static func parts(
        of chain: WACert_CertChain, _ field: WACertificateField
    ) throws(WACertificateError) -> (details: [UInt8], signature: [UInt8]) {
        let present = field == .intermediate ? chain.hasIntermediate : chain.hasLeaf
        let certificate = field == .intermediate ? chain.intermediate : chain.leaf
        guard present, certificate.hasDetails, certificate.hasSignature else { throw .missingField(field) }
        guard certificate.signature.count == signatureLength else {
            throw .invalidSignatureLength(field, actual: certificate.signature.count)
        }
        return (Array(certificate.details), Array(certificate.signature))
    }

    private static func parseDetails(_ bytes: [UInt8]) throws(WACertificateError) -> WACertificateDetails {
        do {
            return WACertificateDetails(try WACert_CertChain.NoiseCertificate.Details(serializedBytes: bytes))
        } catch {
            throw .malformedChain
        }
    }

    private static func verifySignature(_ signature: [UInt8], over message: [UInt8], by key: [UInt8]) -> Bool {
        guard let publicKey = try? Curve25519PublicKey(rawRepresentation: key) else { return false }
        return XEdDSA.verify(signature: signature, message: message, publicKey: publicKey)
    }

    private static func signedCertificate(
        _ details: WACertificateDetails, by privateKey: [UInt8], random: inout some RandomNumberGenerator
    ) throws(WACertificateError) -> WACert_CertChain.NoiseCertificate {
        let detailsBytes: [UInt8]
        do { detailsBytes = try details.proto.serializedBytes() } catch { throw .malformedChain }
        guard let signer = try? Curve25519PrivateKey(rawRepresentation: privateKey) else {
            throw .invalidKeyLength(details.issuerSerial == rootSerial ? .intermediate : .leaf, actual: privateKey.count)
        }
        var z = [UInt8](repeating: 0, count: XEdDSA.randomLength)
        for index in z.indices { z[index] = UInt8.random(in: .min ... .max, using: &random) }
        var certificate = WACert_CertChain.NoiseCertificate()
        certificate.details = Data(detailsBytes)
        certificate.signature = Data(XEdDSA.sign(message: detailsBytes, privateKey: signer, random: z))
        return certificate
    }
}
