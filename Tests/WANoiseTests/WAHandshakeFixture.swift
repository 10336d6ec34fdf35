import WANoise

/// A test root, intermediate and server identity with a chain valid for [1_000, 2_000] (Unix seconds).
struct WAHandshakeFixture {
    static let validity: ClosedRange<UInt64> = 1_000...2_000
    static let now: UInt64 = 1_500

    let root = keyPair(0x10)
    let intermediate = keyPair(0x11)
    let serverStatic = keyPair(0x12)
    let serverEphemeral = keyPair(0x13)
    let clientStatic = keyPair(0x20)
    let clientEphemeral = keyPair(0x21)

    var configuration: WAHandshakeConfiguration { WAHandshakeConfiguration(rootPublicKey: root.publicKey) }

    func chain(for staticKey: [UInt8]? = nil, validity: ClosedRange<UInt64> = validity) throws -> [UInt8] {
        var random = SeededGenerator(seed: 7)
        return try WACertificateChain.build(
            rootPrivateKey: root.privateKey, intermediateKey: intermediate,
            serverStaticKey: staticKey ?? serverStatic.publicKey, validity: validity, random: &random)
    }

    func initiator() -> WAHandshakeInitiator {
        WAHandshakeInitiator(staticKey: clientStatic, ephemeralKey: clientEphemeral, configuration: configuration)
    }

    func responder(chain: [UInt8]? = nil) throws -> WAHandshakeResponder {
        WAHandshakeResponder(staticKey: serverStatic, ephemeralKey: serverEphemeral, certificateChain: try chain ?? self.chain())
    }
}
