#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WAProto

/// `CertChain.NoiseCertificate.Details` (docs/protocol/lower.md §2.5) as a plain value.
public struct WACertificateDetails: Sendable, Equatable {
    /// `serial` (field 1).
    public var serial: UInt32
    /// `issuerSerial` (field 2): the serial of the signing certificate (0 = the root).
    public var issuerSerial: UInt32
    /// `key` (field 3): the certified Curve25519 public key, 32 bytes.
    public var key: [UInt8]
    /// `notBefore` (field 4), Unix seconds.
    public var notBefore: UInt64
    /// `notAfter` (field 5), Unix seconds.
    public var notAfter: UInt64

    public init(serial: UInt32, issuerSerial: UInt32, key: [UInt8], notBefore: UInt64, notAfter: UInt64) {
        self.serial = serial
        self.issuerSerial = issuerSerial
        self.key = key
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// True if `notBefore ≤ now ≤ notAfter`.
    public func isValid(at now: UInt64) -> Bool { notBefore <= now && now <= notAfter }

    init(_ proto: WACert_CertChain.NoiseCertificate.Details) {
        self.init(
            serial: proto.serial, issuerSerial: proto.issuerSerial, key: Array(proto.key),
            notBefore: proto.notBefore, notAfter: proto.notAfter)
    }

    var proto: WACert_CertChain.NoiseCertificate.Details {
        var details = WACert_CertChain.NoiseCertificate.Details()
        details.serial = serial
        details.issuerSerial = issuerSerial
        details.key = Data(key)
        details.notBefore = notBefore
        details.notAfter = notAfter
        return details
    }
}
