/// A one-time prekey we generated and uploaded (docs/protocol/upper.md §1.5).
public struct PreKeyRecord: Sendable, Equatable {
    /// 3-byte id on the wire, never 0.
    public let id: UInt32
    public let keyPair: Curve25519KeyPair

    public init(id: UInt32, keyPair: Curve25519KeyPair) {
        self.id = id
        self.keyPair = keyPair
    }
}

/// Our signed prekey: a key pair with the identity key's XEdDSA signature over `0x05 ‖ pub` (docs/protocol/upper.md §1.4).
public struct SignedPreKeyRecord: Sendable, Equatable {
    public let id: UInt32
    public let keyPair: Curve25519KeyPair
    /// XEdDSA signature by the identity key over `keyPair.publicKey.serialized`.
    public let signature: [UInt8]
    /// Creation time, seconds since 1970 (an input, for rotation policies).
    public let timestamp: UInt64

    public init(id: UInt32, keyPair: Curve25519KeyPair, signature: [UInt8], timestamp: UInt64) {
        self.id = id
        self.keyPair = keyPair
        self.signature = signature
        self.timestamp = timestamp
    }
}

/// What the server hands out for a remote device: the input to X3DH on the initiator's side (docs/protocol/upper.md §1.6, §4.4).
public struct PreKeyBundle: Sendable, Equatable {
    public var registrationID: UInt32
    public var deviceID: UInt32
    public var preKeyID: UInt32?
    public var preKey: Curve25519PublicKey?
    public var signedPreKeyID: UInt32
    public var signedPreKey: Curve25519PublicKey
    public var signedPreKeySignature: [UInt8]
    public var identityKey: Curve25519PublicKey

    public init(
        registrationID: UInt32, deviceID: UInt32, preKeyID: UInt32?, preKey: Curve25519PublicKey?,
        signedPreKeyID: UInt32, signedPreKey: Curve25519PublicKey, signedPreKeySignature: [UInt8],
        identityKey: Curve25519PublicKey
    ) {
        self.registrationID = registrationID
        self.deviceID = deviceID
        self.preKeyID = preKeyID
        self.preKey = preKey
        self.signedPreKeyID = signedPreKeyID
        self.signedPreKey = signedPreKey
        self.signedPreKeySignature = signedPreKeySignature
        self.identityKey = identityKey
    }
}
