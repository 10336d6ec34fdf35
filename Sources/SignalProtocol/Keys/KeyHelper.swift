/// Key generation for a device: identity, registration id, signed prekey and one-time prekeys.
///
/// All randomness is an input so tests are deterministic (docs/house-style.md §3).
public enum KeyHelper {
    /// Largest one-time prekey id: ids travel as 3 big-endian bytes (docs/protocol/upper.md §1.5).
    public static let maximumPreKeyID: UInt32 = 0xFF_FFFF
    /// Upper bound of registration ids: 14 bits like Signal, safe for every peer (docs/protocol/upper.md §1.3).
    public static let maximumRegistrationID: UInt32 = 16380

    /// A fresh identity key pair.
    public static func generateIdentityKeyPair(using random: inout some RandomNumberGenerator) -> IdentityKeyPair {
        Curve25519KeyPair(using: &random)
    }

    /// A registration id in 1...16380 (docs/protocol/upper.md §1.3 recommendation).
    public static func generateRegistrationID(using random: inout some RandomNumberGenerator) -> UInt32 {
        UInt32.random(in: 1...maximumRegistrationID, using: &random)
    }

    /// A signed prekey: the identity key signs the 33-byte serialized public key (docs/protocol/upper.md §1.4).
    public static func generateSignedPreKey(
        identityKeyPair: IdentityKeyPair, id: UInt32, timestamp: UInt64,
        using random: inout some RandomNumberGenerator
    ) -> SignedPreKeyRecord {
        let keyPair = Curve25519KeyPair(using: &random)
        let nonce = (0..<XEdDSA.randomLength).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        let signature = XEdDSA.sign(
            message: keyPair.publicKey.serialized, privateKey: identityKeyPair.privateKey, random: nonce)
        return SignedPreKeyRecord(id: id, keyPair: keyPair, signature: signature, timestamp: timestamp)
    }

    /// `count` one-time prekeys with consecutive ids starting at `start`, wrapping from 0xFFFFFF to 1 (never 0).
    public static func generatePreKeys(
        start: UInt32, count: Int, using random: inout some RandomNumberGenerator
    ) -> [PreKeyRecord] {
        var id = normalizedPreKeyID(start)
        var records: [PreKeyRecord] = []
        records.reserveCapacity(max(0, count))
        for _ in 0..<max(0, count) {
            records.append(PreKeyRecord(id: id, keyPair: Curve25519KeyPair(using: &random)))
            id = normalizedPreKeyID(id + 1)
        }
        return records
    }

    /// Maps any id into 1...0xFFFFFF (0 and values past the 3-byte range wrap to 1).
    public static func normalizedPreKeyID(_ id: UInt32) -> UInt32 {
        (id == 0 || id > maximumPreKeyID) ? 1 : id
    }
}
