/// The transport phase after `Split()` (Noise §5.2, §5.3): one cipher state per direction, empty AD.
///
/// WhatsApp frames (docs/protocol/lower.md §2.6) are exactly this with ``NoiseRules/whatsApp``: each frame is
/// `AES-256-GCM-Seal(key, IV(counter), plaintext)` with its own counter per direction, starting at 0.
/// A counter that would pass its maximum throws ``NoiseError/nonceExhausted``; the connection must close.
public struct NoiseTransport: Sendable {
    /// Encrypts what this side sends.
    public private(set) var sender: NoiseCipherState
    /// Decrypts what this side receives.
    public private(set) var receiver: NoiseCipherState

    public init(sender: NoiseCipherState, receiver: NoiseCipherState) {
        self.sender = sender
        self.receiver = receiver
    }

    /// Encrypts one outgoing message (AD empty).
    public mutating func encrypt(_ plaintext: [UInt8]) throws(NoiseError) -> [UInt8] {
        try sender.encryptWithAd([], plaintext: plaintext)
    }

    /// Decrypts one incoming message (AD empty). A failure leaves the receive counter unchanged.
    public mutating func decrypt(_ ciphertext: [UInt8]) throws(NoiseError) -> [UInt8] {
        try receiver.decryptWithAd([], ciphertext: ciphertext)
    }
}
