import Foundation
import Testing
@testable import WANoise

/// The generic Noise core against the official cacophony vector (before any WhatsApp rule).
@Suite struct NoiseVectorTests {
    struct VectorFile: Decodable {
        struct Message: Decodable {
            let payload: String
            let ciphertext: String
        }
        struct Vector: Decodable {
            let protocol_name: String
            let init_prologue: String
            let init_static: String
            let init_ephemeral: String
            let resp_prologue: String
            let resp_static: String
            let resp_ephemeral: String
            let handshake_hash: String
            let messages: [Message]
        }
        let source: String
        let vectors: [Vector]
    }

    static func vectors() throws -> [VectorFile.Vector] {
        try JSONDecoder().decode(VectorFile.self, from: Data(cacophonyXXVectorsJSON.utf8)).vectors
    }

    @Test func cacophonyXXVectorMatchesByteForByte() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count == 1)
        for vector in vectors {
            #expect(vector.protocol_name == "Noise_XX_25519_AESGCM_SHA256")
            var initiator = NoiseHandshakeState(
                role: .initiator, prologue: [UInt8](hex: vector.init_prologue),
                localStatic: try NoiseKeyPair(privateKey: [UInt8](hex: vector.init_static)),
                localEphemeral: try NoiseKeyPair(privateKey: [UInt8](hex: vector.init_ephemeral)))
            var responder = NoiseHandshakeState(
                role: .responder, prologue: [UInt8](hex: vector.resp_prologue),
                localStatic: try NoiseKeyPair(privateKey: [UInt8](hex: vector.resp_static)),
                localEphemeral: try NoiseKeyPair(privateKey: [UInt8](hex: vector.resp_ephemeral)))
            var initiatorTransport: NoiseTransport?
            var responderTransport: NoiseTransport?
            for (index, message) in vector.messages.enumerated() {
                let payload = [UInt8](hex: message.payload)
                let expected = [UInt8](hex: message.ciphertext)
                let initiatorSends = index % 2 == 0
                if index < 3 {
                    let written = initiatorSends
                        ? try initiator.writeMessage(payload: payload) : try responder.writeMessage(payload: payload)
                    #expect(written == expected, "message \(index)")
                    let read = initiatorSends ? try responder.readMessage(written) : try initiator.readMessage(written)
                    #expect(read == payload, "message \(index)")
                    if index == 2 {
                        #expect(initiator.handshakeHash == [UInt8](hex: vector.handshake_hash))
                        #expect(responder.handshakeHash == [UInt8](hex: vector.handshake_hash))
                        initiatorTransport = try initiator.split()
                        responderTransport = try responder.split()
                    }
                } else {
                    let written = initiatorSends
                        ? try initiatorTransport!.encrypt(payload) : try responderTransport!.encrypt(payload)
                    #expect(written == expected, "message \(index)")
                    let read = initiatorSends
                        ? try responderTransport!.decrypt(written) : try initiatorTransport!.decrypt(written)
                    #expect(read == payload, "message \(index)")
                }
            }
        }
    }

    @Test func tamperedHandshakeMessageFailsWithDecryptionFailed() throws {
        let vector = try #require(try Self.vectors().first)
        var initiator = NoiseHandshakeState(
            role: .initiator, prologue: [UInt8](hex: vector.init_prologue),
            localStatic: try NoiseKeyPair(privateKey: [UInt8](hex: vector.init_static)),
            localEphemeral: try NoiseKeyPair(privateKey: [UInt8](hex: vector.init_ephemeral)))
        var responder = NoiseHandshakeState(
            role: .responder, prologue: [UInt8](hex: vector.resp_prologue),
            localStatic: try NoiseKeyPair(privateKey: [UInt8](hex: vector.resp_static)),
            localEphemeral: try NoiseKeyPair(privateKey: [UInt8](hex: vector.resp_ephemeral)))
        _ = try responder.readMessage(try initiator.writeMessage(payload: []))
        var message2 = try responder.writeMessage(payload: [1, 2, 3])
        message2[40] ^= 0x01
        #expect(throws: NoiseError.decryptionFailed) { try initiator.readMessage(message2) }
    }

    @Test func prologueMismatchIsDetected() throws {
        var initiator = NoiseHandshakeState(
            role: .initiator, prologue: [1], localStatic: keyPair(1), localEphemeral: keyPair(2))
        var responder = NoiseHandshakeState(
            role: .responder, prologue: [2], localStatic: keyPair(3), localEphemeral: keyPair(4))
        _ = try responder.readMessage(try initiator.writeMessage(payload: []))
        let message2 = try responder.writeMessage(payload: [])
        #expect(throws: NoiseError.decryptionFailed) { try initiator.readMessage(message2) }
    }

    @Test func writingOutOfTurnIsRejected() throws {
        var responder = NoiseHandshakeState(
            role: .responder, prologue: [], localStatic: keyPair(3), localEphemeral: keyPair(4))
        #expect(throws: NoiseError.outOfTurn) { try responder.writeMessage(payload: []) }
        #expect(throws: NoiseError.handshakeNotFinished) { try responder.split() }
    }

    @Test func truncatedMessageIsRejectedWithItsLengths() throws {
        var responder = NoiseHandshakeState(
            role: .responder, prologue: [], localStatic: keyPair(3), localEphemeral: keyPair(4))
        #expect(throws: NoiseError.messageTooShort(needed: 32, available: 5)) { try responder.readMessage([0, 1, 2, 3, 4]) }
    }

    @Test func messageAboveNoiseMaximumIsRejected() throws {
        var initiator = NoiseHandshakeState(
            role: .initiator, prologue: [], localStatic: keyPair(1), localEphemeral: keyPair(2))
        #expect(throws: NoiseError.messageTooLong(length: 65536, maximum: 65535)) {
            try initiator.writeMessage(payload: [UInt8](repeating: 0, count: 65536 - 32))
        }
    }
}
