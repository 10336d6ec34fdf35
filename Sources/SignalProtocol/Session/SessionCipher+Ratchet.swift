/// The double-ratchet decryption core (docs/protocol/upper.md §1.7, §1.8, §1.10): pure functions on values.
extension SessionCipher {
    /// Tries the current state, then each archived state (docs/protocol/upper.md §1.10); success with an archived state promotes it.
    ///
    /// A duplicate is reported as such at once (it must not be retried with other states); otherwise the
    /// current state's error is reported. On error `record` may be left half advanced: callers work on a
    /// copy of the stored record and drop it on error (both `decrypt` entry points store only after success).
    /// - Returns: the plaintext and whether an archived state was promoted.
    static func decrypt(
        _ message: SignalMessage, record: inout SessionRecord, using random: inout some RandomNumberGenerator
    ) throws(SignalError) -> ([UInt8], Bool) {
        if record.previousStates.isEmpty, var state = record.currentState.take() {
            // No archived state to fall back to, so the current one is never needed intact after a failure:
            // it is moved out, decrypted in and moved back (a copy of a state costs a retain and a release
            // per key it holds). On error the record is left without it, and dropped.
            let plaintext = try decrypt(message, state: &state, using: &random)
            record.currentState = state
            return (plaintext, false)
        }
        var firstError: SignalError?
        if var state = record.currentState {
            do {
                let plaintext = try decrypt(message, state: &state, using: &random)
                record.currentState = state
                return (plaintext, false)
            } catch .duplicateMessage(let chainIndex, let counter) {
                throw .duplicateMessage(chainIndex: chainIndex, counter: counter)
            } catch {
                firstError = error
            }
        }
        for index in record.previousStates.indices {
            var state = record.previousStates[index]
            do {
                let plaintext = try decrypt(message, state: &state, using: &random)
                record.previousStates.remove(at: index)
                record.promote(state)
                return (plaintext, true)
            } catch .duplicateMessage(let chainIndex, let counter) {
                throw .duplicateMessage(chainIndex: chainIndex, counter: counter)
            } catch {
                firstError = firstError ?? error
            }
        }
        throw firstError ?? .noValidSession
    }

    /// Decrypts with one state: chain lookup or DH-ratchet step, message keys, MAC, AES-CBC.
    ///
    /// On error `state` may be left half advanced: callers pass a copy and drop it on error (no second copy
    /// of the state here, one per message on the hot path).
    static func decrypt(
        _ message: SignalMessage, state: inout SessionState, using random: inout some RandomNumberGenerator
    ) throws(SignalError) -> [UInt8] {
        guard UInt32(message.messageVersion) == state.sessionVersion else {
            throw .unsupportedVersion(message.messageVersion)
        }
        let chainIndex = try receiverChain(for: message.ratchetKey, state: &state, using: &random)
        let keys = try messageKeys(counter: message.counter, chainIndex: chainIndex, state: &state)
        let (remoteIdentity, localIdentity) = (state.remoteIdentityKey, state.localIdentityKey)
        let plaintext = try keys.withKeys { (cipherKey, macKey, iv) throws(SignalError) -> [UInt8] in
            guard message.verifyMAC(senderIdentity: remoteIdentity, receiverIdentity: localIdentity, macKey: macKey)
            else { throw .badMAC }
            return try message.withCiphertext { (ciphertext) throws(SignalError) -> [UInt8] in
                try SignalCrypto.aesCBCDecrypt(ciphertext, key: cipherKey, iv: iv)
            }
        }
        state.pendingPreKey = nil
        return plaintext
    }

    /// The index of the receiver chain for `theirRatchetKey`, performing a DH-ratchet step if it is new (docs/protocol/upper.md §1.7).
    static func receiverChain(
        for theirRatchetKey: Curve25519PublicKey, state: inout SessionState,
        using random: inout some RandomNumberGenerator
    ) throws(SignalError) -> Int {
        if let index = state.receiverChainIndex(for: theirRatchetKey) { return index }
        let (receivingRoot, receivingChain) = try state.rootKey.createChain(
            theirRatchetKey: theirRatchetKey, ourRatchetKey: state.senderRatchetPrivateKey)
        let ourNewRatchetKey = Curve25519KeyPair(using: &random)
        let (sendingRoot, sendingChain) = try receivingRoot.createChain(
            theirRatchetKey: theirRatchetKey, ourRatchetKey: ourNewRatchetKey.privateKey)
        state.addReceiverChain(ratchetKey: theirRatchetKey, chainKey: receivingChain)
        // docs/protocol/upper.md §1.7: previousCounter = messages sent on the old chain − 1, clamped at 0 (signed arithmetic).
        let sent = state.senderChainKey.index
        state.ratchetSendingChain(
            rootKey: sendingRoot, previousCounter: sent > 0 ? sent - 1 : 0,
            senderChain: .init(ratchetKeyPair: ourNewRatchetKey, chainKey: sendingChain))
        return state.receiverChains.count - 1
    }

    /// The message keys for `counter`: a stored skipped key, or derived by advancing the chain (docs/protocol/upper.md §1.10 limits).
    static func messageKeys(
        counter: UInt32, chainIndex: Int, state: inout SessionState
    ) throws(SignalError) -> MessageKeys {
        var chainKey = state.receiverChains[chainIndex].chainKey
        if chainKey.index > counter {
            guard let keys = state.takeMessageKeys(chainIndex: chainIndex, counter: counter) else {
                throw .duplicateMessage(chainIndex: chainKey.index, counter: counter)
            }
            return keys
        }
        guard counter - chainKey.index <= SessionState.maximumFutureMessages else {
            throw .tooFarIntoFuture(counter: counter)
        }
        while chainKey.index < counter {
            let (skipped, next) = chainKey.messageKeysAndNext()
            state.storeMessageKeys(skipped, chainIndex: chainIndex)
            guard let next else { throw .tooFarIntoFuture(counter: counter) }
            chainKey = next
        }
        let (keys, next) = chainKey.messageKeysAndNext()
        guard let next else { throw .tooFarIntoFuture(counter: counter) }
        state.receiverChains[chainIndex].chainKey = next
        return keys
    }
}
