#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftProtobuf

/// Storage encoding of session and sender-key records (`proto/signal/SignalStorage.proto`).
///
/// Decoding treats stored bytes as untrusted: every key length and list limit is checked and a bad record is
/// reported as `SignalError.malformedMessage`, never a trap.
extension SessionRecord {
    /// Largest record accepted (40 archived states with full skipped-key lists stay far below this).
    static let maximumSerializedLength = 64 << 20

    /// The record as protobuf bytes.
    public func serialized() -> [UInt8] {
        var proto = Signalstorage_RecordStructure()
        if let currentState { proto.currentSession = currentState.structure }
        proto.previousSessions = previousStates.map(\.structure)
        return (try? proto.serializedBytes()) ?? []
    }

    /// Decodes a stored record.
    public init(serialized: [UInt8]) throws(SignalError) {
        guard serialized.count <= Self.maximumSerializedLength else { throw .malformedMessage(.invalidField("length")) }
        let proto: Signalstorage_RecordStructure
        do {
            proto = try Signalstorage_RecordStructure(serializedBytes: serialized)
        } catch {
            throw .malformedMessage(.protobuf)
        }
        guard proto.previousSessions.count <= Self.maximumArchivedStates else {
            throw .malformedMessage(.invalidField("previousSessions"))
        }
        var previous: [SessionState] = []
        for structure in proto.previousSessions { previous.append(try SessionState(structure: structure)) }
        self.init(
            currentState: proto.hasCurrentSession ? try SessionState(structure: proto.currentSession) : nil,
            previousStates: previous)
    }
}

extension SessionState {
    var structure: Signalstorage_SessionStructure {
        var proto = Signalstorage_SessionStructure()
        proto.sessionVersion = sessionVersion
        proto.localIdentityPublic = Data(localIdentityKey.serialized)
        proto.remoteIdentityPublic = Data(remoteIdentityKey.serialized)
        proto.rootKey = Data(rootKey.key)
        proto.previousCounter = previousCounter
        var sender = Signalstorage_ChainStructure()
        sender.ratchetKeyPublic = Data(senderChain.ratchetKeyPair.publicKey.serialized)
        sender.ratchetKeyPrivate = Data(senderChain.ratchetKeyPair.privateKey.rawRepresentation)
        sender.chainKey = senderChain.chainKey.structure
        proto.senderChain = sender
        proto.receiverChains = receiverChains.map { chain in
            var structure = Signalstorage_ChainStructure()
            structure.ratchetKeyPublic = Data(chain.ratchetKey.serialized)
            structure.chainKey = chain.chainKey.structure
            structure.messageKeys = chain.messageKeys.map { keys in
                var item = Signalstorage_MessageKeysStructure()
                item.index = keys.counter
                item.cipherKey = Data(keys.cipherKey)
                item.macKey = Data(keys.macKey)
                item.iv = Data(keys.iv)
                return item
            }
            return structure
        }
        if let pendingPreKey {
            var pending = Signalstorage_PendingPreKeyStructure()
            if let id = pendingPreKey.preKeyID { pending.preKeyID = id }
            pending.signedPreKeyID = pendingPreKey.signedPreKeyID
            pending.baseKey = Data(pendingPreKey.baseKey.serialized)
            proto.pendingPreKey = pending
        }
        proto.localRegistrationID = localRegistrationID
        proto.remoteRegistrationID = remoteRegistrationID
        proto.aliceBaseKey = Data(aliceBaseKey.serialized)
        return proto
    }

    init(structure proto: Signalstorage_SessionStructure) throws(SignalError) {
        guard proto.hasSenderChain, proto.senderChain.hasChainKey else {
            throw .malformedMessage(.missingField("senderChain"))
        }
        guard proto.receiverChains.count <= Self.maximumReceiverChains else {
            throw .malformedMessage(.invalidField("receiverChains"))
        }
        let senderPrivate = try Curve25519PrivateKey(rawRepresentation: [UInt8](proto.senderChain.ratchetKeyPrivate))
        self.init(
            sessionVersion: proto.sessionVersion,
            localIdentityKey: try Curve25519PublicKey(serialized: [UInt8](proto.localIdentityPublic)),
            remoteIdentityKey: try Curve25519PublicKey(serialized: [UInt8](proto.remoteIdentityPublic)),
            rootKey: RootKey(key: try Self.key32([UInt8](proto.rootKey), "rootKey")),
            previousCounter: proto.previousCounter,
            senderChain: .init(
                ratchetKeyPair: try Self.keyPair(senderPrivate, storedPublic: proto.senderChain.ratchetKeyPublic),
                chainKey: try ChainKey(structure: proto.senderChain.chainKey)),
            aliceBaseKey: try Curve25519PublicKey(serialized: [UInt8](proto.aliceBaseKey)))
        for chain in proto.receiverChains {
            guard chain.messageKeys.count <= Self.maximumMessageKeys else {
                throw .malformedMessage(.invalidField("messageKeys"))
            }
            var keys: [MessageKeys] = []
            for item in chain.messageKeys {
                guard item.iv.count == 16 else { throw .malformedMessage(.invalidField("iv")) }
                keys.append(
                    MessageKeys(
                        cipherKey: try Self.key32([UInt8](item.cipherKey), "cipherKey"),
                        macKey: try Self.key32([UInt8](item.macKey), "macKey"), iv: [UInt8](item.iv),
                        counter: item.index))
            }
            receiverChains.append(
                ReceiverChain(
                    ratchetKey: try Curve25519PublicKey(serialized: [UInt8](chain.ratchetKeyPublic)),
                    chainKey: try ChainKey(structure: chain.chainKey), messageKeys: keys))
        }
        if proto.hasPendingPreKey {
            pendingPreKey = PendingPreKey(
                preKeyID: proto.pendingPreKey.hasPreKeyID ? proto.pendingPreKey.preKeyID : nil,
                signedPreKeyID: proto.pendingPreKey.signedPreKeyID,
                baseKey: try Curve25519PublicKey(serialized: [UInt8](proto.pendingPreKey.baseKey)))
        }
        localRegistrationID = proto.localRegistrationID
        remoteRegistrationID = proto.remoteRegistrationID
    }

    /// The sender ratchet key pair of a stored state: the stored public key when there is one (records we
    /// wrote always have it), else derived from the private key.
    static func keyPair(_ privateKey: Curve25519PrivateKey, storedPublic: Data) throws(SignalError) -> Curve25519KeyPair {
        guard !storedPublic.isEmpty else { return Curve25519KeyPair(privateKey: privateKey) }
        return Curve25519KeyPair(privateKey: privateKey, publicKey: try Curve25519PublicKey(serialized: [UInt8](storedPublic)))
    }

    static func key32(_ bytes: [UInt8], _ field: String) throws(SignalError) -> [UInt8] {
        guard bytes.count == 32 else { throw .malformedMessage(.invalidField(field)) }
        return bytes
    }
}

extension ChainKey {
    var structure: Signalstorage_ChainKeyStructure {
        var proto = Signalstorage_ChainKeyStructure()
        proto.index = index
        proto.key = Data(key)
        return proto
    }

    init(structure: Signalstorage_ChainKeyStructure) throws(SignalError) {
        self.init(key: try SessionState.key32([UInt8](structure.key), "chainKey"), index: structure.index)
    }
}

extension SenderKeyRecord {
    /// The record as protobuf bytes.
    public func serialized() -> [UInt8] {
        var proto = Signalstorage_SenderKeyRecordStructure()
        proto.states = states.map { state in
            var structure = Signalstorage_SenderKeyStateStructure()
            structure.keyID = state.keyID
            structure.chainKey.iteration = state.chainKey.iteration
            structure.chainKey.seed = Data(state.chainKey.seed)
            structure.signingKeyPublic = Data(state.signingKey.serialized)
            if let privateKey = state.signingPrivateKey { structure.signingKeyPrivate = Data(privateKey.rawRepresentation) }
            structure.messageKeys = state.messageKeys.map { key in
                var item = Signalstorage_SenderMessageKeyStructure()
                item.iteration = key.iteration
                item.seed = Data(key.seed)
                return item
            }
            return structure
        }
        return (try? proto.serializedBytes()) ?? []
    }

    /// Decodes a stored record.
    public init(serialized: [UInt8]) throws(SignalError) {
        guard serialized.count <= SessionRecord.maximumSerializedLength else {
            throw .malformedMessage(.invalidField("length"))
        }
        let proto: Signalstorage_SenderKeyRecordStructure
        do {
            proto = try Signalstorage_SenderKeyRecordStructure(serializedBytes: serialized)
        } catch {
            throw .malformedMessage(.protobuf)
        }
        guard proto.states.count <= Self.maximumStates else { throw .malformedMessage(.invalidField("states")) }
        var states: [SenderKeyState] = []
        for structure in proto.states {
            guard structure.messageKeys.count <= SenderKeyState.maximumMessageKeys else {
                throw .malformedMessage(.invalidField("messageKeys"))
            }
            var keys: [SenderMessageKey] = []
            for item in structure.messageKeys {
                keys.append(
                    SenderMessageKey(iteration: item.iteration, seed: try SessionState.key32([UInt8](item.seed), "seed")))
            }
            states.append(
                SenderKeyState(
                    keyID: structure.keyID,
                    chainKey: SenderChainKey(
                        iteration: structure.chainKey.iteration,
                        seed: try SessionState.key32([UInt8](structure.chainKey.seed), "chainKey")),
                    signingKey: try Curve25519PublicKey(serialized: [UInt8](structure.signingKeyPublic)),
                    signingPrivateKey: structure.hasSigningKeyPrivate
                        ? try Curve25519PrivateKey(rawRepresentation: [UInt8](structure.signingKeyPrivate)) : nil,
                    messageKeys: keys))
        }
        self.init(states: states)
    }
}
