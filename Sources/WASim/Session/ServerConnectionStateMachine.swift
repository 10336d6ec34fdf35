import Foundation
import WABinary
import WANoise

/// The server side of one chat connection, pure: bytes, keys and time in, actions out.
///
/// Overview: the client's first WebSocket message starts with the connection intro (docs/protocol/lower.md §1.2);
/// then 3-byte-length frames (docs/protocol/lower.md §1.3) carry the Noise handshake (docs/protocol/lower.md §2.3) and, after it, encrypted binary nodes.
/// Whatever WhatsApp would refuse (a bad intro, a malformed or out-of-order handshake message, a frame that
/// fails to decrypt or decode) closes the connection without an answer, as the real server does.
///
/// What happens after the handshake (pair-device, failure, stream errors) is the session's decision: the
/// machine reports ``Action/handshakeCompleted(_:)`` and ``Action/received(_:)``, and frames what the session
/// sends with ``encode(_:)``.
struct ServerConnectionStateMachine {
    /// What the session must do, in order.
    enum Action: Equatable {
        /// Send one binary WebSocket message.
        case send([UInt8])
        /// Drop the connection.
        case close(CloseReason)
        /// The connection moved to a new state.
        case stateChanged(ConnectionRecord.State)
        /// Something worth recording (never secrets).
        case event(String)
        /// The handshake finished; here is the decrypted, still serialized ClientPayload and the client's Noise
        /// static public key.
        case handshakeCompleted(clientPayload: [UInt8], clientStaticKey: [UInt8])
        /// A node from the client.
        case received(BinaryNode)
    }

    /// Why the server dropped a connection.
    enum CloseReason: Equatable, CustomStringConvertible {
        case frame(WAFrameError)
        case handshake(WAHandshakeError)
        case malformedHandshakeMessage
        case decryptionFailed
        case malformedNode
        case textMessage

        var description: String {
            switch self {
            case .frame(let error): "bad frame (\(error))"
            case .handshake(let error): "handshake failed (\(error))"
            case .malformedHandshakeMessage: "malformed handshake message"
            case .decryptionFailed: "frame failed to decrypt"
            case .malformedNode: "malformed binary node"
            case .textMessage: "text WebSocket message"
            }
        }
    }

    private enum State {
        /// Waiting for the intro and the ClientHello.
        case awaitingClientHello(WAHandshakeResponder, WAFrameDecoder)
        /// ServerHello sent; waiting for the ClientFinish.
        case awaitingClientFinish(WAHandshakeResponder, WAFrameDecoder)
        /// Handshake done: encrypted nodes both ways.
        case established(NoiseTransport, WAFrameDecoder)
        /// Closed; everything is ignored.
        case closed
    }

    private var state: State
    private var encoder = WAFrameEncoder(role: .server)

    /// - Parameters:
    ///   - identity: the server's static key and certificate chain.
    ///   - ephemeralKey: a fresh key pair for this connection.
    init(identity: ServerIdentity, ephemeralKey: NoiseKeyPair) {
        let responder = WAHandshakeResponder(
            staticKey: identity.staticKey, ephemeralKey: ephemeralKey,
            certificateChain: identity.certificateChain)
        state = .awaitingClientHello(responder, WAFrameDecoder(role: .server))
    }

    mutating func received(_ message: [UInt8]) -> [Action] {
        switch state {
        case .closed:
            return []
        case .awaitingClientHello(var responder, var decoder):
            decoder.append(message)
            let frame: [UInt8]
            do {
                guard let next = try decoder.nextFrame() else {
                    state = .awaitingClientHello(responder, decoder)
                    return []
                }
                frame = next
            } catch {
                return fail(.frame(error))
            }
            do {
                let hello = try WAHandshakeMessage.parseClientHello(frame)
                let reply = try responder.receivedClientHello(hello)
                let out = try encoder.encode(WAHandshakeMessage.serialize(reply))
                state = .awaitingClientFinish(responder, decoder)
                var actions: [Action] = [
                    .event("client-hello" + (decoder.routingInfo == nil ? "" : " (with edge routing)")),
                    .send(out), .event("server-hello sent"), .stateChanged(.awaitingClientFinish),
                ]
                if decoder.bufferedByteCount > 0 { actions += received([]) }
                return actions
            } catch {
                return fail(Self.classify(error))
            }
        case .awaitingClientFinish(var responder, var decoder):
            decoder.append(message)
            let frame: [UInt8]
            do {
                guard let next = try decoder.nextFrame() else {
                    state = .awaitingClientFinish(responder, decoder)
                    return []
                }
                frame = next
            } catch {
                return fail(.frame(error))
            }
            do {
                let finish = try WAHandshakeMessage.parseClientFinish(frame)
                let done = try responder.receivedClientFinish(finish)
                state = .established(done.transport, decoder)
                return [
                    .event("handshake ok"), .stateChanged(.established),
                    .handshakeCompleted(clientPayload: done.clientPayload, clientStaticKey: done.clientStaticKey),
                ] + drainEstablished()
            } catch {
                return fail(Self.classify(error))
            }
        case .established(let transport, var decoder):
            decoder.append(message)
            state = .established(transport, decoder)
            return drainEstablished()
        }
    }

    /// A text WebSocket message: WhatsApp speaks binary only.
    mutating func receivedText() -> [Action] { fail(.textMessage) }

    /// Encrypts and frames one node; nil once the connection is not established.
    mutating func encode(_ node: BinaryNode) -> [UInt8]? {
        guard case .established(var transport, let decoder) = state,
            let plaintext = try? BinaryFrame.encode(node), let ciphertext = try? transport.encrypt(plaintext),
            let frame = try? encoder.encode(ciphertext)
        else { return nil }
        state = .established(transport, decoder)
        return frame
    }

    private mutating func drainEstablished() -> [Action] {
        var actions: [Action] = []
        while case .established(var transport, var decoder) = state {
            do {
                guard let frame = try decoder.nextFrame() else {
                    state = .established(transport, decoder)
                    break
                }
                guard let plaintext = try? transport.decrypt(frame) else { return actions + fail(.decryptionFailed) }
                guard let node = try? BinaryFrame.decode(plaintext) else { return actions + fail(.malformedNode) }
                state = .established(transport, decoder)
                actions.append(.received(node))
            } catch {
                return actions + fail(.frame(error))
            }
        }
        return actions
    }

    private mutating func fail(_ reason: CloseReason) -> [Action] {
        state = .closed
        return [.close(reason)]
    }

    static func classify(_ error: any Error) -> CloseReason {
        switch error {
        case let error as WAFrameError: .frame(error)
        case let error as WAHandshakeError: .handshake(error)
        default: .malformedHandshakeMessage
        }
    }
}
