import Testing
@testable import SignalProtocol

/// House rule "never log secrets": every rendering of a value holding key material omits its bytes,
/// including when it is printed inside something else (a whole session record).
@Suite struct SecretRedactionTests {
    /// Renders `value` every way Swift can: `print`, `debugPrint`, `dump`.
    private func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), dumped]
    }

    /// The decimal and hex spellings of a key's first bytes, as a printed `[UInt8]` or a hex string would show them.
    private func leaks(_ key: [UInt8], in text: String) -> Bool {
        let decimal = key.prefix(4).map(String.init).joined(separator: ", ")
        let hex = key.prefix(4).map { String($0, radix: 16) }.joined()
        return text.contains(decimal) || text.contains(hex)
    }

    @Test func keyMaterialNeverAppearsInDescriptionsDebugDescriptionsOrDumps() throws {
        let secret: [UInt8] = (0..<32).map { UInt8(0xA0 + $0 % 16) }
        let privateKey = try Curve25519PrivateKey(rawRepresentation: secret)
        let chainKey = ChainKey(key: secret, index: 7)
        let values: [Any] = [
            privateKey, Curve25519KeyPair(privateKey: privateKey), PreKeyRecord(id: 1, keyPair: Curve25519KeyPair(privateKey: privateKey)),
            RootKey(key: secret), chainKey, chainKey.messageKeys(), SenderChainKey(iteration: 3, seed: secret),
            SenderChainKey(iteration: 3, seed: secret).messageKey(),
        ]
        for value in values {
            for text in renderings(value) {
                #expect(!leaks(privateKey.rawRepresentation, in: text), "\(type(of: value)) leaks its private key")
                #expect(!leaks(secret, in: text), "\(type(of: value)) leaks key bytes")
            }
        }
        let derived = chainKey.messageKeys()
        for text in renderings(derived) {
            #expect(!leaks(derived.cipherKey, in: text) && !leaks(derived.macKey, in: text))
        }
        #expect(String(describing: chainKey) == "ChainKey(index: 7, key: <redacted>)")
    }

    @Test func wholeSessionRecordRendersWithoutKeys() throws {
        var random = SeededGenerator(seed: 77)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        try SessionBuilder.processBundle(bob.bundle(preKeyIndex: 0), for: bob.address, store: alice.store, using: &random)
        _ = try deliver(try alice.cipher(to: bob).encrypt([1]), to: bob.cipher(to: alice), random: &random)
        let record = try #require(bob.store.loadSession(for: alice.address))
        let state = try #require(record.currentState)
        for text in renderings(record) {
            #expect(!leaks(state.rootKey.key, in: text))
            #expect(!leaks(state.senderChain.chainKey.key, in: text))
            #expect(!leaks(state.senderChain.ratchetKeyPair.privateKey.rawRepresentation, in: text))
            for chain in state.receiverChains { #expect(!leaks(chain.chainKey.key, in: text)) }
        }
    }
}
