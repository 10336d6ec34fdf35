/// Sets up sessions (docs/protocol/upper.md §1.6): from a prekey bundle (we initiate) or from a received
/// PreKeySignalMessage (they initiate).
public enum SessionBuilder {
    /// Initiates a session from a prekey bundle and stores it (archiving any previous state).
    ///
    /// Verifies the signed-prekey signature (`XEdDSA` over `0x05 ‖ pub`, docs/protocol/upper.md §1.4; Baileys skips this, we don't)
    /// and the identity trust policy.
    /// - Returns: the identity-change event, if the bundle carried a different identity than stored.
    /// - Throws: `.invalidSignature`, `.untrustedIdentity`, key errors, or the store's error.
    @discardableResult
    public static func processBundle(
        _ bundle: PreKeyBundle, for address: SignalAddress, store: some SignalProtocolStore,
        using random: inout some RandomNumberGenerator
    ) throws -> SignalEvent? {
        guard XEdDSA.verify(
            signature: bundle.signedPreKeySignature, message: bundle.signedPreKey.serialized,
            publicKey: bundle.identityKey)
        else { throw SignalError.invalidSignature }
        try store.checkTrust(bundle.identityKey, for: address)
        let ourIdentity = try store.identityKeyPair()
        let baseKey = Curve25519KeyPair(using: &random)
        let ratchetKey = Curve25519KeyPair(using: &random)
        var state = try initiatorState(
            ourIdentity: ourIdentity, ourBaseKey: baseKey, ourRatchetKey: ratchetKey, bundle: bundle)
        state.localRegistrationID = try store.localRegistrationID()
        return try store.transaction {
            let event = try store.checkAndStoreIdentity(bundle.identityKey, for: address)
            var record = try store.loadSession(for: address) ?? SessionRecord()
            record.promote(state)
            try store.storeSession(record, for: address)
            return event
        }
    }

    /// Alice's initial state: receiver chain for Bob's signed prekey, one DH-ratchet step to a sending chain,
    /// and a pending prekey to announce in every message until Bob answers.
    public static func initiatorState(
        ourIdentity: IdentityKeyPair, ourBaseKey: Curve25519KeyPair, ourRatchetKey: Curve25519KeyPair,
        bundle: PreKeyBundle
    ) throws(SignalError) -> SessionState {
        let (rootKey, chainKey) = try X3DH.initiatorSecrets(
            ourIdentity: ourIdentity.privateKey, ourBaseKey: ourBaseKey.privateKey,
            theirIdentity: bundle.identityKey, theirSignedPreKey: bundle.signedPreKey,
            theirOneTimePreKey: bundle.preKey)
        let (sendingRoot, sendingChain) = try rootKey.createChain(
            theirRatchetKey: bundle.signedPreKey, ourRatchetKey: ourRatchetKey.privateKey)
        var state = SessionState(
            localIdentityKey: ourIdentity.publicKey, remoteIdentityKey: bundle.identityKey, rootKey: sendingRoot,
            senderChain: .init(ratchetKeyPair: ourRatchetKey, chainKey: sendingChain),
            aliceBaseKey: ourBaseKey.publicKey)
        state.addReceiverChain(ratchetKey: bundle.signedPreKey, chainKey: chainKey)
        state.pendingPreKey = .init(
            preKeyID: bundle.preKey == nil ? nil : bundle.preKeyID, signedPreKeyID: bundle.signedPreKeyID,
            baseKey: ourBaseKey.publicKey)
        state.remoteRegistrationID = bundle.registrationID
        return state
    }

    /// Bob's initial state: the signed prekey becomes the sending ratchet key (docs/protocol/upper.md §1.6).
    public static func responderState(
        ourIdentity: IdentityKeyPair, ourSignedPreKey: Curve25519KeyPair, ourOneTimePreKey: Curve25519KeyPair?,
        message: PreKeySignalMessage
    ) throws(SignalError) -> SessionState {
        let (rootKey, chainKey) = try X3DH.responderSecrets(
            ourIdentity: ourIdentity.privateKey, ourSignedPreKey: ourSignedPreKey.privateKey,
            ourOneTimePreKey: ourOneTimePreKey?.privateKey, theirIdentity: message.identityKey,
            theirBaseKey: message.baseKey)
        var state = SessionState(
            localIdentityKey: ourIdentity.publicKey, remoteIdentityKey: message.identityKey, rootKey: rootKey,
            senderChain: .init(ratchetKeyPair: ourSignedPreKey, chainKey: chainKey), aliceBaseKey: message.baseKey)
        state.remoteRegistrationID = message.registrationID
        return state
    }
}
