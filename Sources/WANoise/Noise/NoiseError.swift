/// Errors of the generic Noise core (Noise spec rev. 34, §5) and its primitives.
///
/// Every failure that a peer can cause is one of these cases; none of them carries key material.
public enum NoiseError: Error, Equatable, Sendable {
    /// A key or public key had the wrong length (Noise §4.1: DHLEN = 32, §4.2: 32-byte cipher keys).
    case invalidKeyLength(expected: Int, actual: Int)
    /// X25519 rejected the peer's public key (a low-order point gives an all-zero shared secret).
    case invalidPublicKey
    /// AES-GCM authentication failed (Noise §4.2 DECRYPT signals an error).
    case decryptionFailed
    /// The nonce would pass its maximum; the cipher state refuses further use (Noise §5.1).
    case nonceExhausted
    /// A handshake message ended before a token's bytes (`needed` more, `available` left).
    case messageTooShort(needed: Int, available: Int)
    /// A message is longer than the configured maximum (Noise §3: 65535 bytes).
    case messageTooLong(length: Int, maximum: Int)
    /// `writeMessage`/`readMessage` was called when it is not this side's turn, or after the handshake.
    case outOfTurn
    /// `split` was called before the last handshake message.
    case handshakeNotFinished
}
