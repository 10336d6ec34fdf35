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
