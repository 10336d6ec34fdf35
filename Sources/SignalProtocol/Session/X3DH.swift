/// The X3DH variant of Signal v3 (docs/protocol/upper.md §1.6): pure key derivation, no state.
///
/// Master secret = `0xFF×32 ‖ DH1 ‖ DH2 ‖ DH3 [‖ DH4]`, then `HKDF(master, salt 0×32, "WhisperText", 64)` →
/// `rootKey = [0:32]`, `chainKey = [32:64]`.
public enum X3DH {
    static let discontinuity = [UInt8](repeating: 0xFF, count: 32)
    static let info = Array("WhisperText".utf8)

    /// The initiator (Alice): DH1 = DH(IKa, SPKb), DH2 = DH(EKa, IKb), DH3 = DH(EKa, SPKb), DH4 = DH(EKa, OPKb).
    public static func initiatorSecrets(
        ourIdentity: Curve25519PrivateKey, ourBaseKey: Curve25519PrivateKey,
        theirIdentity: Curve25519PublicKey, theirSignedPreKey: Curve25519PublicKey,
        theirOneTimePreKey: Curve25519PublicKey?
    ) throws(SignalError) -> (RootKey, ChainKey) {
        var master = discontinuity
        master += try ourIdentity.sharedSecret(with: theirSignedPreKey)
        master += try ourBaseKey.sharedSecret(with: theirIdentity)
        master += try ourBaseKey.sharedSecret(with: theirSignedPreKey)
        if let theirOneTimePreKey { master += try ourBaseKey.sharedSecret(with: theirOneTimePreKey) }
        return derive(master)
    }

    /// The responder (Bob): the same four agreements from the other side.
    public static func responderSecrets(
        ourIdentity: Curve25519PrivateKey, ourSignedPreKey: Curve25519PrivateKey,
        ourOneTimePreKey: Curve25519PrivateKey?, theirIdentity: Curve25519PublicKey, theirBaseKey: Curve25519PublicKey
    ) throws(SignalError) -> (RootKey, ChainKey) {
        var master = discontinuity
        master += try ourSignedPreKey.sharedSecret(with: theirIdentity)
        master += try ourIdentity.sharedSecret(with: theirBaseKey)
        master += try ourSignedPreKey.sharedSecret(with: theirBaseKey)
        if let ourOneTimePreKey { master += try ourOneTimePreKey.sharedSecret(with: theirBaseKey) }
        return derive(master)
    }

    private static func derive(_ master: [UInt8]) -> (RootKey, ChainKey) {
        let derived = SignalCrypto.hkdf(
            inputKeyMaterial: master, salt: SignalCrypto.zeroSalt, info: info, outputByteCount: 64)
        return (RootKey(key: Array(derived[0..<32])), ChainKey(key: Array(derived[32..<64]), index: 0))
    }
}
