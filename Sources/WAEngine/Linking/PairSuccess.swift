#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WABinary

/// The server's `pair-success` IQ (docs/protocol/lower.md §5.5): the phone accepted our QR code or pairing code.
///
/// ```
/// <iq from="s.whatsapp.net" type="set" id="…" xmlns="md" t="…">
///   <pair-success><device-identity>…</device-identity><device jid="…" lid="…"/><platform name="…"/>
///     <biz name="…"/></pair-success></iq>
/// ```
public struct PairSuccess: Sendable, Equatable {
    /// The IQ's id, answered by `pair-device-sign` (or an error).
    public var id: String
    /// `ADVSignedDeviceIdentityHMAC`, serialized (docs/protocol/lower.md §5.6).
    public var deviceIdentity: [UInt8]
    /// Our phone-number JID with device number.
    public var jid: JID
    /// Our LID with device number, when sent.
    public var lid: JID?
    /// The primary's platform (`android`, `smba`…), when sent.
    public var platform: String?
    /// The business name, when sent.
    public var businessName: String?
    /// The server's clock, Unix seconds, when sent.
    public var serverTime: Int64?

    /// Reads a `pair-success` IQ; nil when `node` is not one (or lacks the identity or the device JID).
    public init?(node: BinaryNode) {
        guard node.tag == "iq", node.string("type") == "set", let id = node.string("id"),
            let success = node.child("pair-success"),
            let identity = success.child("device-identity")?.contentBytes,
            let device = success.child("device"), let jid = device.jid("jid")
        else { return nil }
        self.id = id
        self.deviceIdentity = identity
        self.jid = jid
        self.lid = device.jid("lid")
        self.platform = success.child("platform")?.string("name")
        self.businessName = success.child("biz")?.string("name")
        self.serverTime = node.int("t").map(Int64.init)
    }

    public init(
        id: String, deviceIdentity: [UInt8], jid: JID, lid: JID?, platform: String?, businessName: String? = nil,
        serverTime: Int64? = nil
    ) {
        self.id = id
        self.deviceIdentity = deviceIdentity
        self.jid = jid
        self.lid = lid
        self.platform = platform
        self.businessName = businessName
        self.serverTime = serverTime
    }
}
