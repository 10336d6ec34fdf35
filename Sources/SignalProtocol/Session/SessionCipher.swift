/// Encrypts and decrypts 1:1 messages for one remote device (docs/protocol/upper.md §1.7–§1.10).
///
/// Every operation loads the record, works on a copy, and writes the new record (and any prekey removal or
/// identity change) in one store transaction only after success: a failed decrypt leaves storage untouched.
public struct SessionCipher<Store: SignalProtocolStore> {
    public let store: Store
    public let address: SignalAddress

    public init(store: Store, address: SignalAddress) {
        self.store = store
        self.address = address
    }

    /// Encrypts with the current session state; a pkmsg while the peer has not answered yet.
    ///
    /// - Throws: `.noSession`, `.untrustedIdentity`, or the store's error.
    public func encrypt(_ plaintext: [UInt8]) throws -> CiphertextMessage {
        try store.transaction {
            // The state is moved out of the record, changed and moved back: copying a state retains each of
            // its keys, and this runs once per message. On error the record is dropped.
            guard var record = try store.loadSession(for: address), var state = record.currentState.take() else {
                throw SignalError.noSession
            }
            let result = try Self.encrypt(plaintext, state: &state, store: store, address: address)
            record.currentState = state
            try store.storeSession(record, for: address)
            return result
        }
    }

    /// The message for `plaintext` under `state`'s sending chain; advances the chain (`state` is changed in
    /// place, inout rather than borrowed and changed after, which made a copy of it).
    private static func encrypt(
        _ plaintext: [UInt8], state: inout SessionState, store: Store, address: SignalAddress
    ) throws -> CiphertextMessage {
        try store.checkTrust(state.remoteIdentityKey, for: address)
        let chainKey = state.senderChainKey
        let (keys, nextChainKey) = chainKey.messageKeysAndNext()
        // The keys and the ciphertext are used in place: no array copies of them per message. The closures
        // capture the fields they need, not the state (which they would copy, a retain per key it holds).
        let (ratchetKey, previousCounter) = (state.senderRatchetKey, state.previousCounter)
        let (localIdentity, remoteIdentity) = (state.localIdentityKey, state.remoteIdentityKey)
        let message = try keys.withKeys { (cipherKey, macKey, iv) throws(SignalError) -> SignalMessage in
            try SignalCrypto.aesCBCEncrypt(plaintext, key: cipherKey, iv: iv).withUnsafeBytes { ciphertext in
                SignalMessage(
                    macKey: macKey, ratchetKey: ratchetKey, counter: chainKey.index, previousCounter: previousCounter,
                    ciphertext: ciphertext, senderIdentity: localIdentity, receiverIdentity: remoteIdentity)
            }
        }
        guard let next = nextChainKey else { throw SignalError.tooFarIntoFuture(counter: chainKey.index) }
        state.senderChainKey = next
        guard let pending = state.pendingPreKey else { return .signal(message) }
        let preKeyMessage = PreKeySignalMessage(
            registrationID: state.localRegistrationID, preKeyID: pending.preKeyID,
            signedPreKeyID: pending.signedPreKeyID, baseKey: pending.baseKey,
            identityKey: state.localIdentityKey, message: message)
        return .preKeySignal(preKeyMessage)
    }

    /// Decrypts a "msg" with the current or an archived state.
    ///
    /// - Throws: `.noSession`, `.badMAC`, `.duplicateMessage`, `.tooFarIntoFuture`, `.invalidCiphertext`,
    ///   `.untrustedIdentity`, parse errors, or the store's error; storage is unchanged on every error.
    public func decrypt(
        _ message: SignalMessage, using random: inout some RandomNumberGenerator
    ) throws -> DecryptedMessage {
        try store.transaction {
            guard var record = try store.loadSession(for: address), !record.isFresh else {
                throw SignalError.noSession
            }
            let (plaintext, promoted) = try Self.decrypt(message, record: &record, using: &random)
            var events: [SignalEvent] = []
            if let identity = record.currentState?.remoteIdentityKey,
                let event = try store.checkAndStoreIdentity(identity, for: address)
            {
                events.append(event)
            }
            if promoted { events.append(.archivedStatePromoted(address)) }
            try store.storeSession(record, for: address)
            return DecryptedMessage(plaintext: plaintext, events: events)
        }
    }

    /// Decrypts a "pkmsg": sets up the responder state if this X3DH run is new, then decrypts.
    ///
    /// The used one-time prekey is removed in the same transaction that stores the new session.
    /// - Throws: `.unknownPreKey`, `.unknownSignedPreKey`, `.untrustedIdentity`, the errors of `decrypt`, or the
    ///   store's error; storage is unchanged on every error.
    public func decrypt(
        _ message: PreKeySignalMessage, using random: inout some RandomNumberGenerator
    ) throws -> DecryptedMessage {
        try store.transaction {
            try store.checkTrust(message.identityKey, for: address)
            var record = try store.loadSession(for: address) ?? SessionRecord()
            var usedPreKeyID: UInt32?
            if !record.hasState(aliceBaseKey: message.baseKey) {
                guard let signedPreKey = try store.loadSignedPreKey(id: message.signedPreKeyID) else {
                    throw SignalError.unknownSignedPreKey(id: message.signedPreKeyID)
                }
                var oneTimePreKey: PreKeyRecord?
                if let preKeyID = message.preKeyID {
                    guard let preKey = try store.loadPreKey(id: preKeyID) else {
                        throw SignalError.unknownPreKey(id: preKeyID)
                    }
                    oneTimePreKey = preKey
                    usedPreKeyID = preKeyID
                }
                var state = try SessionBuilder.responderState(
                    ourIdentity: try store.identityKeyPair(), ourSignedPreKey: signedPreKey.keyPair,
                    ourOneTimePreKey: oneTimePreKey?.keyPair, message: message)
                state.localRegistrationID = try store.localRegistrationID()
                record.promote(state)
            }
            let (plaintext, promoted) = try Self.decrypt(message.message, record: &record, using: &random)
            var events: [SignalEvent] = []
            if let event = try store.checkAndStoreIdentity(message.identityKey, for: address) { events.append(event) }
            if promoted { events.append(.archivedStatePromoted(address)) }
            try store.storeSession(record, for: address)
            // go-libsignal keeps id 0xFFFFFF (a last-resort key) after use (docs/protocol/upper.md §1.5).
            if let usedPreKeyID, usedPreKeyID != KeyHelper.maximumPreKeyID { try store.removePreKey(id: usedPreKeyID) }
            return DecryptedMessage(plaintext: plaintext, events: events)
        }
    }
}

/// An encrypted message ready for an `<enc>` node.
public enum CiphertextMessage: Sendable, Equatable {
    /// `type="msg"`.
    case signal(SignalMessage)
    /// `type="pkmsg"`.
    case preKeySignal(PreKeySignalMessage)

    /// The bytes for the `<enc>` node.
    public var serialized: [UInt8] {
        switch self {
        case .signal(let message): return message.serialized
        case .preKeySignal(let message): return message.serialized
        }
    }
}

/// A decrypted message and what the application should hear about.
public struct DecryptedMessage: Sendable, Equatable {
    public var plaintext: [UInt8]
    public var events: [SignalEvent]
}
