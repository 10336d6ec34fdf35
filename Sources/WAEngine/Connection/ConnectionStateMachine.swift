import WABinary
import WANoise

/// The client side of one chat connection, pure: bytes, keys and time in; actions out.
///
/// Overview: WhatsApp's connection runs in three phases (docs/protocol/lower.md §1–§2, §6). The client opens with
/// the intro and the ClientHello; the ServerHello must carry a certificate chain rooted in the pinned root key;
/// the ClientFinish carries the encrypted static key and the ClientPayload (login or registration); from then
/// on every frame is an AES-GCM ciphertext of one binary node.
///
/// Function: ``connectionOpened()`` once the transport is up, ``received(_:now:)`` for each WebSocket message,
/// ``transportClosed(code:)`` when it ends, ``encode(_:)`` for each node the engine sends. Each returns what to
/// do; nothing here does IO, reads the clock or draws randomness (the ephemeral key is an input).
///
/// Implementation: `State` holds only what is valid in each phase. Anything the server does wrong closes the
/// connection with a typed ``ConnectionError`` and is never a trap.
public struct ConnectionStateMachine: Sendable {
    /// What the driver must do, in order.
    public enum Action: Sendable, Equatable {
        /// Send one binary WebSocket message.
        case send([UInt8])
        /// Report an event to the engine.
        case deliver(ConnectionEvent)
        /// The server broke the protocol: close the transport. (``ConnectionEvent/disconnected(_:)`` is
        /// delivered with it.)
        case close(ConnectionError)
    }

    private enum State: Sendable {
        /// Before the transport is up.
        case idle(WAHandshakeInitiator)
        /// ClientHello sent; waiting for the ServerHello.
        case awaitingServerHello(WAHandshakeInitiator, WAFrameDecoder)
        /// Handshake done; exchanging encrypted nodes.
        case established(NoiseTransport, WAFrameDecoder)
        /// Closed; everything is ignored.
        case closed
    }

    private var state: State
    private var encoder: WAFrameEncoder
    private let clientPayload: [UInt8]
    /// Frames that decrypted but did not decode as a binary node, skipped (see ``received(_:now:)``).
    public private(set) var skippedNodes = 0

    /// - Parameters:
    ///   - staticKey: the device's noise key (`s`).
    ///   - ephemeralKey: a fresh key pair for this connection (`e`).
    ///   - rootPublicKey: the Noise root the server's certificate chain must chain to (docs/protocol/lower.md §2.5).
    ///   - clientPayload: the serialized `ClientPayload` (login or registration, §3).
    ///   - routingInfo: edge routing info from an earlier session, sent in the `ED` block (§1.2), if any.
    public init(
        staticKey: NoiseKeyPair, ephemeralKey: NoiseKeyPair, rootPublicKey: [UInt8], clientPayload: [UInt8],
        routingInfo: [UInt8]? = nil
    ) {
        self.encoder = WAFrameEncoder(role: .client(routingInfo: routingInfo))
        self.state = .idle(
            WAHandshakeInitiator(
                staticKey: staticKey, ephemeralKey: ephemeralKey,
                configuration: WAHandshakeConfiguration(rootPublicKey: rootPublicKey)))
        self.clientPayload = clientPayload
    }

    /// True once the handshake has finished and until the connection closes.
    public var isEstablished: Bool {
        if case .established = state { return true }
        return false
    }

    /// The transport is up: send the intro and the ClientHello in one message (docs/protocol/lower.md §1.2).
    public mutating func connectionOpened() -> [Action] {
        guard case .idle(var handshake) = state else { return [] }
        do {
            let hello = try handshake.clientHello()
            let message = try encoder.encode(WAHandshakeMessage.serialize(hello))
            state = .awaitingServerHello(handshake, WAFrameDecoder(role: .client))
            return [.send(message)]
        } catch {
            return fail(Self.classify(error))
        }
    }

    /// One WebSocket message from the server.
    ///
    /// - Parameter now: the current time, Unix seconds (certificate validity, docs/protocol/lower.md §2.5).
    public mutating func received(_ message: [UInt8], now: UInt64) -> [Action] {
        var actions: [Action] = []
        switch state {
        case .idle, .closed:
            return []
        case .awaitingServerHello(var handshake, var decoder):
            decoder.append(message)
            let frame: [UInt8]
            do {
                guard let next = try decoder.nextFrame() else {
                    state = .awaitingServerHello(handshake, decoder)
                    return []
                }
                frame = next
            } catch {
                return fail(.frame(error))
            }
            do {
                let hello = try WAHandshakeMessage.parseServerHello(frame)
                let done = try handshake.receivedServerHello(hello, clientPayload: clientPayload, now: now)
                actions.append(.send(try encoder.encode(WAHandshakeMessage.serialize(done.clientFinish))))
                actions.append(.deliver(.handshakeCompleted))
                state = .established(done.transport, decoder)
            } catch {
                return fail(Self.classify(error))
            }
            // Frames that came in the same message as the ServerHello.
            actions += drainEstablished()
            return actions
        case .established(let transport, var decoder):
            decoder.append(message)
            state = .established(transport, decoder)
            return drainEstablished()
        }
    }

    /// The transport closed.
    public mutating func transportClosed(code: Int?) -> [Action] {
        switch state {
        case .closed:
            return []
        case .idle, .awaitingServerHello:
            state = .closed
            return [.deliver(.disconnected(.protocolError(.closedDuringHandshake)))]
        case .established:
            state = .closed
            return [.deliver(.disconnected(.closedByServer(code: code)))]
        }
    }

    /// We close the connection.
    public mutating func closeLocally() -> [Action] {
        if case .closed = state { return [] }
        state = .closed
        return [.deliver(.disconnected(.closedLocally))]
    }

    /// The handshake did not finish in time.
    public mutating func handshakeTimedOut() -> [Action] {
        switch state {
        case .idle, .awaitingServerHello: return fail(.handshakeTimedOut)
        case .established, .closed: return []
        }
    }

    /// Encrypts and frames one node for sending.
    /// - Throws: ``ConnectionError/notConnected`` before the handshake finished or after close.
    public mutating func encode(_ node: BinaryNode) throws(ConnectionError) -> [UInt8] {
        guard case .established(var transport, let decoder) = state else { throw .notConnected }
        do {
            let plaintext = try BinaryFrame.encode(node)
            let ciphertext = try transport.encrypt(plaintext)
            state = .established(transport, decoder)
            return try encoder.encode(ciphertext)
        } catch {
            throw Self.classify(error)
        }
    }

    // MARK: - Established

    private mutating func drainEstablished() -> [Action] {
        var actions: [Action] = []
        while case .established(var transport, var decoder) = state {
            let node: BinaryNode
            do {
                guard let frame = try decoder.nextFrame() else {
                    state = .established(transport, decoder)
                    break
                }
                guard let plaintext = try? transport.decrypt(frame) else {
                    return actions + fail(.decryptionFailed)
                }
                state = .established(transport, decoder)
                guard let decoded = try? BinaryFrame.decode(plaintext) else {
                    // A frame that decrypted but does not decode is skipped, never a close: the counters are
                    // still in step, and closing would make an offline-queued bad node loop reconnects forever
                    // (whatsmeow logs and skips it). Only the count is kept; the content is never logged.
                    skippedNodes += 1
                    continue
                }
                node = decoded
            } catch {
                return actions + fail(.frame(error))
            }
            actions += handle(node)
        }
        return actions
    }

    /// The link layer makes no WhatsApp decisions: `success`, `failure`, `stream:error` and IQs such as
    /// `pair-device` go up as nodes to the client machine (``WAClientStateMachine``), which answers them.
    private func handle(_ node: BinaryNode) -> [Action] {
        if node.tag == "xmlstreamend" { return [.deliver(.streamEnd)] }
        return [.deliver(.node(node))]
    }

    private mutating func fail(_ error: ConnectionError) -> [Action] {
        state = .closed
        return [.close(error), .deliver(.disconnected(.protocolError(error)))]
    }

    static func classify(_ error: any Error) -> ConnectionError {
        switch error {
        case let error as ConnectionError: error
        case let error as WAFrameError: .frame(error)
        case let error as WAHandshakeError: .handshake(error)
        case is BinaryNodeEncodingError: .malformedNode
        default: .malformedHandshakeMessage
        }
    }
}
