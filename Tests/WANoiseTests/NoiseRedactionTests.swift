import Testing
@testable import WANoise

/// House rule "never log secrets": the chaining key never appears when a symmetric state is printed,
/// debug-printed or dumped (Noise §5.2: `ck` derives every transport key).
@Suite struct NoiseRedactionTests {
    @Test func chainingKeyNeverAppearsInDescriptionsDebugDescriptionsOrDumps() throws {
        var state = NoiseSymmetricState(protocolName: NoiseHandshakeState.protocolName)
        state.mixKey([UInt8](repeating: 0x5A, count: 32))
        let secret = state.chainingKey.hexString
        var dumped = ""
        dump(state, to: &dumped)
        for text in [String(describing: state), String(reflecting: state), dumped] {
            #expect(!text.contains(secret))
            #expect(!text.contains(state.chainingKey.prefix(4).map(String.init).joined(separator: ", ")))
        }
        #expect(String(describing: state).contains(state.handshakeHash.hexString))
    }
}

/// Every rendering of `value` a log or a debugger could produce: description, debug description, dump.
func renderings(of value: Any) -> [String] {
    var dumped = ""
    dump(value, to: &dumped)
    return [String(describing: value), String(reflecting: value), dumped]
}

/// True when `text` contains `secret` as hex (either case) or as a run of its first 8 bytes in decimal,
/// however separated (`dump` prints one array element per line).
func reveals(_ text: String, _ secret: [UInt8]) -> Bool {
    if text.lowercased().contains(secret.hex) { return true }
    let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    let needle = secret.prefix(8).map(Int.init)
    guard numbers.count >= needle.count else { return false }
    return (0...(numbers.count - needle.count)).contains { Array(numbers[$0..<($0 + needle.count)]) == needle }
}

/// House rule "never log secrets", for every WANoise type that holds a private or symmetric key.
@Suite struct SecretTypesRedactionTests {
    @Test func noisePrivateKeyNeverAppearsWhenAKeyPairIsPrintedOrDumped() {
        let pair = NoiseKeyPair.generate()
        for text in renderings(of: pair) { #expect(!reveals(text, pair.privateKey)) }
        #expect(renderings(of: pair).allSatisfy { $0.contains(pair.publicKey.hex) })
    }

    @Test func cipherKeyNeverAppearsWhenACipherStateOrTransportIsPrintedOrDumped() {
        let key = [UInt8](repeating: 0, count: 24) + [1, 2, 3, 4, 5, 6, 7, 8]
        let sendKey = (0..<32).map { UInt8($0 * 7 % 251) }
        let cipher = NoiseCipherState(key: sendKey)
        let transport = NoiseTransport(sender: cipher, receiver: NoiseCipherState(key: key))
        for text in renderings(of: cipher) + renderings(of: transport) {
            #expect(!reveals(text, sendKey))
            #expect(!text.contains("1, 2, 3, 4, 5, 6, 7, 8"))
        }
    }

    @Test func handshakeKeysNeverAppearWhenHandshakeStatesArePrintedOrDumped() throws {
        let clientStatic = NoiseKeyPair.generate()
        let clientEphemeral = NoiseKeyPair.generate()
        let serverStatic = NoiseKeyPair.generate()
        let serverEphemeral = NoiseKeyPair.generate()
        let secrets = [clientStatic, clientEphemeral, serverStatic, serverEphemeral].map(\.privateKey)
        var state = NoiseHandshakeState(
            role: .initiator, prologue: [], localStatic: clientStatic, localEphemeral: clientEphemeral)
        _ = try state.writeMessage(payload: [])
        let initiator = WAHandshakeInitiator(staticKey: clientStatic, ephemeralKey: clientEphemeral)
        let responder = WAHandshakeResponder(staticKey: serverStatic, ephemeralKey: serverEphemeral, certificateChain: [])
        let values: [Any] = [state, initiator, responder, state.symmetricState]
        for value in values {
            for text in renderings(of: value) {
                for secret in secrets { #expect(!reveals(text, secret)) }
                #expect(!reveals(text, state.symmetricState.chainingKey))
            }
        }
    }
}
