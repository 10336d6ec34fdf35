/// Group messaging with sender keys (docs/protocol/upper.md §2).
public struct GroupCipher<Store: SignalProtocolStore> {
    public let store: Store
    public let name: SenderKeyName

    public init(store: Store, name: SenderKeyName) {
        self.store = store
        self.name = name
    }

    /// Our distribution message for this group, creating our sender key on first use.
    public func distributionMessage(
        using random: inout some RandomNumberGenerator
    ) throws -> SenderKeyDistributionMessage {
        try store.transaction {
            var record = try store.loadSenderKey(for: name) ?? SenderKeyRecord()
            if record.isEmpty {
                let signing = Curve25519KeyPair(using: &random)
                let seed = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) }
                record.addState(
                    SenderKeyState(
                        keyID: UInt32.random(in: 1...UInt32(Int32.max), using: &random),
                        chainKey: SenderChainKey(iteration: 0, seed: seed), signingKey: signing.publicKey,
                        signingPrivateKey: signing.privateKey))
                try store.storeSenderKey(record, for: name)
            }
            let state = record.states[0]
            return SenderKeyDistributionMessage(
                keyID: state.keyID, iteration: state.chainKey.iteration, chainKey: state.chainKey.seed,
                signingKey: state.signingKey)
        }
    }

    /// Stores a sender's distribution message (received pairwise-encrypted).
    public func process(_ message: SenderKeyDistributionMessage) throws {
        try store.transaction {
            var record = try store.loadSenderKey(for: name) ?? SenderKeyRecord()
            if let index = record.stateIndex(keyID: message.keyID) { record.states.remove(at: index) }
            record.addState(
                SenderKeyState(
                    keyID: message.keyID, chainKey: SenderChainKey(iteration: message.iteration, seed: message.chainKey),
                    signingKey: message.signingKey))
            try store.storeSenderKey(record, for: name)
        }
    }

    /// Encrypts with our newest sender-key state.
    ///
    /// - Throws: `.noSenderKeyState` if `distributionMessage` was never called, or the store's error.
    public func encrypt(_ plaintext: [UInt8], using random: inout some RandomNumberGenerator) throws -> SenderKeyMessage {
        try store.transaction {
            guard var record = try store.loadSenderKey(for: name), var state = record.states.first,
                let signingKey = state.signingPrivateKey
            else { throw SignalError.noSenderKeyState(keyID: 0) }
            let key = state.chainKey.messageKey()
            let (iv, cipherKey) = key.derived
            let ciphertext = try SignalCrypto.aesCBCEncrypt(plaintext, key: cipherKey, iv: iv)
            let signatureRandom = (0..<XEdDSA.randomLength).map { _ in UInt8.random(in: .min ... .max, using: &random) }
            let message = SenderKeyMessage(
                keyID: state.keyID, iteration: key.iteration, ciphertext: ciphertext, signingKey: signingKey,
                random: signatureRandom)
            guard let next = state.chainKey.next() else { throw SignalError.tooFarIntoFuture(counter: key.iteration) }
            state.chainKey = next
            record.states[0] = state
            try store.storeSenderKey(record, for: name)
            return message
        }
    }

    /// Verifies and decrypts a group message; storage is unchanged on every error.
    ///
    /// - Throws: `.noSenderKeyState`, `.invalidSignature`, `.duplicateMessage`, `.tooFarIntoFuture`,
    ///   `.invalidCiphertext`, or the store's error.
    public func decrypt(_ message: SenderKeyMessage) throws -> [UInt8] {
        try store.transaction {
            guard var record = try store.loadSenderKey(for: name), let index = record.stateIndex(keyID: message.keyID)
            else { throw SignalError.noSenderKeyState(keyID: message.keyID) }
            var state = record.states[index]
            guard message.verifySignature(signingKey: state.signingKey) else { throw SignalError.invalidSignature }
            let key = try Self.messageKey(iteration: message.iteration, state: &state)
            let (iv, cipherKey) = key.derived
            let plaintext = try SignalCrypto.aesCBCDecrypt(message.ciphertext, key: cipherKey, iv: iv)
            record.states[index] = state
            try store.storeSenderKey(record, for: name)
            return plaintext
        }
    }

    static func messageKey(iteration: UInt32, state: inout SenderKeyState) throws(SignalError) -> SenderMessageKey {
        var chainKey = state.chainKey
        if chainKey.iteration > iteration {
            guard let key = state.takeMessageKey(iteration: iteration) else {
                throw .duplicateMessage(chainIndex: chainKey.iteration, counter: iteration)
            }
            return key
        }
        guard iteration - chainKey.iteration <= SenderKeyState.maximumFutureMessages else {
            throw .tooFarIntoFuture(counter: iteration)
        }
        while chainKey.iteration < iteration {
            state.storeMessageKey(chainKey.messageKey())
            guard let next = chainKey.next() else { throw .tooFarIntoFuture(counter: iteration) }
            chainKey = next
        }
        guard let next = chainKey.next() else { throw .tooFarIntoFuture(counter: iteration) }
        state.chainKey = next
        return chainKey.messageKey()
    }
}
