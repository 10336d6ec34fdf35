/// Log-safe rendering of the symmetric state: the chaining key `ck` is secret (Noise §5.2), so
/// `"\(state)"`, `String(reflecting:)` and `dump` show only the public handshake hash and the nonce.
extension NoiseSymmetricState: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "NoiseSymmetricState(h: \(handshakeHash.hexString), ck: <redacted>, n: \(cipherState.nonce))"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["handshakeHash": handshakeHash]) }
}
