import Foundation
import SignalProtocol

/// A simulated primary device (a phone with WhatsApp) and its account: identity key, phone number, LID,
/// push name, platform, and the companions linked to it.
///
/// Keys stay inside the simulator; ``view`` is what the control API shows.
public struct SimPhone: Sendable {
    /// The phone number, digits only (the user part of the JID).
    public let number: String
    /// The LID user part.
    public let lid: String
    public var pushName: String
    /// `<platform name>` in pair-success: `android`, `iphone`, `smba` / `smbi` (business).
    public var platform: String
    /// `<biz name>` in pair-success, for business accounts.
    public var businessName: String?
    let identity: IdentityKeyPair
    /// `ADVDeviceIdentity.rawID` of the account.
    let rawID: UInt32
    var nextKeyIndex: UInt32 = 1
    var nextDevice: UInt16 = 1
    public internal(set) var devices: [LinkedDevice] = []

    init(number: String, lid: String, pushName: String, platform: String, businessName: String?, identity: IdentityKeyPair, rawID: UInt32) {
        self.number = number
        self.lid = lid
        self.pushName = pushName
        self.platform = platform
        self.businessName = businessName
        self.identity = identity
        self.rawID = rawID
    }

    /// What `GET /phones` shows: no private keys.
    public struct View: Codable, Sendable, Equatable {
        public var number: String
        public var jid: String
        public var lid: String
        public var pushName: String
        public var platform: String
        public var businessName: String?
        /// Hex of the phone's identity public key.
        public var identityKey: String
        public var devices: [LinkedDevice]
    }

    public var view: View {
        View(
            number: number, jid: "\(number)@s.whatsapp.net", lid: "\(lid)@lid", pushName: pushName,
            platform: platform, businessName: businessName, identityKey: Hex.encode(identity.publicKey.rawRepresentation),
            devices: devices)
    }
}

/// A companion linked to a ``SimPhone``.
public struct LinkedDevice: Codable, Sendable, Equatable {
    /// The device number (`:N` in the JID).
    public var device: UInt16
    public var jid: String
    public var lid: String
    /// Hex of the companion's Noise static public key: a login must come from this key.
    public var noiseKey: String
    /// Hex of the companion's identity public key.
    public var identityKey: String
    public var registrationID: UInt32
    public var keyIndex: UInt32
    /// The QR's platform field or `DeviceProps.os`, for the phone's list.
    public var platform: String?
    public var linkedAt: Date
    /// One-time pre-keys the server holds for this device (docs/protocol/lower.md §6.1 upload).
    public var preKeyCount: Int
    public var signedPreKeyID: UInt32
    /// True while a connection is logged in as this device.
    public var online: Bool
}
