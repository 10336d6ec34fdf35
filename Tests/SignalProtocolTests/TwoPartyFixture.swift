@testable import SignalProtocol

/// Two devices with in-memory stores and deterministic randomness.
struct Party {
    let address: SignalAddress
    let store: InMemorySignalStore
    let signedPreKey: SignedPreKeyRecord
    var preKeys: [PreKeyRecord]

    init(name: String, seed: UInt64, trustPolicy: IdentityTrustPolicy = .trustOnFirstUse, random: inout SeededGenerator) {
        address = SignalAddress(name: name, deviceID: 1)
        let identity = KeyHelper.generateIdentityKeyPair(using: &random)
        store = InMemorySignalStore(
            identityKeyPair: identity, registrationID: KeyHelper.generateRegistrationID(using: &random),
            trustPolicy: trustPolicy)
        signedPreKey = KeyHelper.generateSignedPreKey(identityKeyPair: identity, id: 1, timestamp: 1_700_000_000, using: &random)
        store.storeSignedPreKey(signedPreKey)
        preKeys = KeyHelper.generatePreKeys(start: 1, count: 5, using: &random)
        for preKey in preKeys { store.storePreKey(preKey) }
    }

    func bundle(preKeyIndex: Int? = 0) -> PreKeyBundle {
        let preKey = preKeyIndex.map { preKeys[$0] }
        return PreKeyBundle(
            registrationID: store.localRegistrationID(), deviceID: 1, preKeyID: preKey?.id,
            preKey: preKey?.keyPair.publicKey, signedPreKeyID: signedPreKey.id,
            signedPreKey: signedPreKey.keyPair.publicKey, signedPreKeySignature: signedPreKey.signature,
            identityKey: store.identityKeyPair().publicKey)
    }

    /// The cipher this party uses to talk to `peer`.
    func cipher(to peer: Party) -> SessionCipher<InMemorySignalStore> {
        SessionCipher(store: store, address: peer.address)
    }
}

/// Delivers a ciphertext as its wire type would be parsed by the receiver.
func deliver(
    _ ciphertext: CiphertextMessage, to cipher: SessionCipher<InMemorySignalStore>,
    random: inout SeededGenerator
) throws -> [UInt8] {
    switch ciphertext {
    case .signal(let message):
        return try cipher.decrypt(SignalMessage(serialized: message.serialized), using: &random).plaintext
    case .preKeySignal(let message):
        return try cipher.decrypt(PreKeySignalMessage(serialized: message.serialized), using: &random).plaintext
    }
}
