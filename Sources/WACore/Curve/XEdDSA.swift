import CSodium

/// libsignal-compatible Curve25519 signatures ("XEdDSA", as libsignal and hence WhatsApp compute them).
///
/// docs/protocol/upper.md §1.2:
/// - Sign: `a` = the clamped X25519 private key, `A = a·B` (Edwards),
///   `r = SHA-512(0xFE ‖ 0xFF×31 ‖ k ‖ M ‖ Z) mod L` with 64 random bytes `Z`, `R = r·B`,
///   `S = r + SHA-512(R ‖ A ‖ M)·a mod L`; signature `R ‖ S` with A's sign bit stored in the top bit of byte 63.
/// - Verify: Edwards `y = (u − 1)/(u + 1)`, sign bit taken from `sig[63]`, which is then cleared, and a
///   standard Ed25519 verification of `M`.
///
/// The group operations and scalar arithmetic are libsodium's (docs/dependencies.md §3); only the public-data
/// Montgomery → Edwards map is ours (`FieldElement25519`).
public enum XEdDSA {
    /// Signature length in bytes.
    public static let signatureLength = 64
    /// Length of the randomness `Z` that `sign` takes.
    public static let randomLength = 64

    /// Signs `message` with a Curve25519 private key.
    ///
    /// - Parameters:
    ///   - message: the bytes to sign (for a signed prekey: its 33-byte serialized public key).
    ///   - privateKey: the signer's X25519 private key.
    ///   - random: exactly 64 random bytes `Z`; passing them in makes signing deterministic in tests.
    /// - Returns: the 64-byte signature.
    public static func sign(message: [UInt8], privateKey: Curve25519PrivateKey, random: [UInt8]) -> [UInt8] {
        precondition(random.count == randomLength, "XEdDSA.sign needs 64 random bytes")
        precondition(Sodium.isReady, "libsodium failed to initialise")
        let scalarA = privateKey.rawRepresentation  // clamped: bit 255 clear, so < 2^255
        var pointA = [UInt8](repeating: 0, count: 32)
        // Returns −1 only for the identity point, impossible for a clamped scalar (a multiple of 8, < L·8).
        _ = crypto_scalarmult_ed25519_base_noclamp(&pointA, scalarA)

        var prefix = [UInt8](repeating: 0xFF, count: 32)
        prefix[0] = 0xFE
        let nonce = reduce(sha512(prefix, scalarA, message, random))
        var pointR = [UInt8](repeating: 0, count: 32)
        // r = 0 (probability 2^-252) yields the identity encoding and −1; the signature is still well formed.
        _ = crypto_scalarmult_ed25519_base_noclamp(&pointR, nonce)

        let challenge = reduce(sha512(pointR, pointA, message))
        let reducedA = reduce(scalarA + [UInt8](repeating: 0, count: 32))
        var product = [UInt8](repeating: 0, count: 32)
        crypto_core_ed25519_scalar_mul(&product, challenge, reducedA)
        var scalarS = [UInt8](repeating: 0, count: 32)
        crypto_core_ed25519_scalar_add(&scalarS, product, nonce)

        var signature = pointR + scalarS
        signature[63] |= pointA[31] & 0x80
        return signature
    }

    /// Signs with fresh randomness from the system generator.
    public static func sign(message: [UInt8], privateKey: Curve25519PrivateKey) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<randomLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return sign(message: message, privateKey: privateKey, random: random)
    }

    /// Verifies a signature made by `sign` (or by libsignal / python-axolotl / go-libsignal).
    ///
    /// - Returns: `true` only for a 64-byte signature that verifies; never traps on any input.
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: Curve25519PublicKey) -> Bool {
        guard signature.count == signatureLength, Sodium.isReady else { return false }
        var edwardsKey = FieldElement25519.edwardsY(fromMontgomeryU: publicKey.rawRepresentation)
        edwardsKey[31] |= signature[63] & 0x80
        var plainSignature = signature
        plainSignature[63] &= 0x7F
        return crypto_sign_ed25519_verify_detached(
            plainSignature, message, UInt64(message.count), edwardsKey) == 0
    }

    private static func sha512(_ parts: [UInt8]...) -> [UInt8] {
        var state = crypto_hash_sha512_state()
        crypto_hash_sha512_init(&state)
        for part in parts { crypto_hash_sha512_update(&state, part, UInt64(part.count)) }
        var digest = [UInt8](repeating: 0, count: 64)
        crypto_hash_sha512_final(&state, &digest)
        return digest
    }

    /// Reduces a 64-byte little-endian integer modulo the group order L.
    private static func reduce(_ wide: [UInt8]) -> [UInt8] {
        var scalar = [UInt8](repeating: 0, count: 32)
        crypto_core_ed25519_scalar_reduce(&scalar, wide)
        return scalar
    }
}

/// libsodium initialisation, done once (thread-safe lazy global).
enum Sodium {
    static let isReady: Bool = sodium_init() >= 0
}
