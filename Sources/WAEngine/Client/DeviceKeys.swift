import SignalProtocol
import WANoise

/// The keys a companion creates before it links (docs/protocol/lower.md §5.1; docs/protocol/upper.md §1.3–1.4).
///
/// They live in memory until `pair-success` checks out, and are stored with the link in one transaction: a
/// process killed during pairing leaves nothing behind and the next link starts over.
public struct DeviceKeys: Sendable {
    public var noiseKey: NoiseKeyPair
    public var identity: IdentityKeyPair
    public var registrationID: UInt32
    public var signedPreKey: SignedPreKeyRecord
    /// 32 random bytes; replaced by `companion_reg_refresh` (docs/protocol/lower.md §5.4) or by a pairing code (docs/protocol/lower.md §5.7).
    public var advSecret: [UInt8]

    public init(
        noiseKey: NoiseKeyPair, identity: IdentityKeyPair, registrationID: UInt32, signedPreKey: SignedPreKeyRecord,
        advSecret: [UInt8]
    ) {
        self.noiseKey = noiseKey
        self.identity = identity
        self.registrationID = registrationID
        self.signedPreKey = signedPreKey
        self.advSecret = advSecret
    }

    /// Fresh keys: noise key, identity key, registration id, signed prekey 1, ADV secret.
    public static func generate(now: UInt64, using random: inout some RandomNumberGenerator) -> DeviceKeys {
        let identity = KeyHelper.generateIdentityKeyPair(using: &random)
        return DeviceKeys(
            noiseKey: .generate(using: &random), identity: identity,
            registrationID: KeyHelper.generateRegistrationID(using: &random),
            signedPreKey: KeyHelper.generateSignedPreKey(identityKeyPair: identity, id: 1, timestamp: now, using: &random),
            advSecret: randomBytes(32, using: &random))
    }

    /// The registration half of the ClientPayload (docs/protocol/upper.md §3.1 `DevicePairingRegistrationData`).
    public var registration: WAClientPayload.Registration {
        WAClientPayload.Registration(
            registrationID: registrationID, identityKey: identity.publicKey.rawRepresentation,
            signedPreKeyID: signedPreKey.id, signedPreKey: signedPreKey.keyPair.publicKey.rawRepresentation,
            signedPreKeySignature: signedPreKey.signature)
    }
}

extension DeviceKeys: Equatable {
    public static func == (lhs: DeviceKeys, rhs: DeviceKeys) -> Bool {
        lhs.noiseKey.privateKey == rhs.noiseKey.privateKey && lhs.identity == rhs.identity
            && lhs.registrationID == rhs.registrationID && lhs.signedPreKey == rhs.signedPreKey
            && lhs.advSecret == rhs.advSecret
    }
}

/// `count` random bytes.
func randomBytes(_ count: Int, using random: inout some RandomNumberGenerator) -> [UInt8] {
    (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &random) }
}
