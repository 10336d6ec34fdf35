/// What a WhatsApp handshake is pinned to (docs/protocol/lower.md §2.1, §2.5).
public struct WAHandshakeConfiguration: Sendable, Equatable {
    /// `Noise_XX_25519_AESGCM_SHA256` followed by four NUL bytes: 32 bytes, used directly as `h` and `ck`.
    public static let protocolName: [UInt8] = Array("Noise_XX_25519_AESGCM_SHA256".utf8) + [0, 0, 0, 0]

    /// The root key the server's intermediate certificate must be signed by. Defaults to WhatsApp's;
    /// only a test configuration (the simulator) sets another.
    public var rootPublicKey: [UInt8]
    /// The Noise prologue: the 4-byte connection header (never the `ED` block).
    public var prologue: [UInt8]

    public init(
        rootPublicKey: [UInt8] = WACertificateChain.whatsAppRootPublicKey, prologue: [UInt8] = WAConnectionHeader.bytes
    ) {
        self.rootPublicKey = rootPublicKey
        self.prologue = prologue
    }
}
