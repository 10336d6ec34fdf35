#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WABinary
import WANoise

/// One chat connection: owns a ``ConnectionStateMachine`` and a ``Transport``, feeds transport events and
/// timers to the machine, and performs what it returns (one owner per connection).
///
/// Outbound order: every frame (handshake messages, encrypted nodes) is put on one outbound queue in the same
/// synchronous step that produced it, and a single writer task awaits each ``Transport/send(_:)`` before the
/// next. Noise transport frames carry an implicit counter (docs/protocol/lower.md §2.6), so the server can
/// only decrypt them in the order they were encrypted.
///
/// ```swift
/// let connection = WAConnection(connector: WebSocketTransportConnector(configuration: config),
///                               staticKey: noiseKey, rootPublicKey: config.rootPublicKey, clientPayload: payload)
/// try await connection.connect()          // returns once the handshake is done
/// for await event in connection.events { … }
/// ```
public actor WAConnection {
    /// Events in order; ends after ``ConnectionEvent/disconnected(_:)``.
    public nonisolated let events: AsyncStream<ConnectionEvent>
    private let continuation: AsyncStream<ConnectionEvent>.Continuation
    private let connector: any TransportConnector
    private let handshakeTimeout: Duration
    private var machine: ConnectionStateMachine
    private var transport: (any Transport)?
    private var handshakeWaiter: CheckedContinuation<Void, any Error>?
    private var finished = false
    private var reader: Task<Void, Never>?
    private var timer: Task<Void, Never>?
    private var outbound: AsyncStream<OutboundFrame>.Continuation?
    private var writer: Task<Void, Never>?

    /// One queued frame, and who waits for it to be written (nil for frames the machine sends itself).
    private struct OutboundFrame: Sendable {
        var bytes: [UInt8]
        var written: CheckedContinuation<TransportError?, Never>?
    }

    /// How long ``close()`` lets queued frames drain before it closes the transport.
    static let drainTimeout: Duration = .seconds(2)

    /// WhatsApp's clients wait 20 s for the ServerHello (docs/protocol/lower.md §1.1).
    public static let defaultHandshakeTimeout: Duration = .seconds(20)

    public init(
        connector: any TransportConnector, staticKey: NoiseKeyPair, ephemeralKey: NoiseKeyPair = .generate(),
        rootPublicKey: [UInt8], clientPayload: [UInt8], handshakeTimeout: Duration = defaultHandshakeTimeout
    ) {
        (events, continuation) = AsyncStream<ConnectionEvent>.makeStream()
        self.connector = connector
        self.handshakeTimeout = handshakeTimeout
        self.machine = ConnectionStateMachine(
            staticKey: staticKey, ephemeralKey: ephemeralKey, rootPublicKey: rootPublicKey,
            clientPayload: clientPayload)
    }

    /// Opens the transport and runs the handshake.
    /// - Throws: ``ConnectionError`` if the transport cannot be opened or the handshake fails.
    public func connect() async throws(ConnectionError) {
        guard transport == nil, !finished else { throw .notConnected }
        let transport: any Transport
        do {
            transport = try await connector.connect()
        } catch {
            finish(with: [.deliver(.disconnected(.protocolError(.transport(error))))])
            throw .transport(error)
        }
        self.transport = transport
        let (frames, queue) = AsyncStream<OutboundFrame>.makeStream()
        outbound = queue
        writer = Task {
            var failure: TransportError?
            for await frame in frames {
                if failure == nil {
                    do throws(TransportError) {
                        try await transport.send(frame.bytes)
                    } catch {
                        failure = error
                    }
                }
                frame.written?.resume(returning: failure)
            }
        }
        reader = Task { [weak self] in
            for await event in transport.inbound {
                await self?.handle(event)
            }
        }
        let timeout = handshakeTimeout
        timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { await self?.timedOut() }
        }
        do {
            try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
                handshakeWaiter = waiter
                Task { await self.perform(self.openMachine()) }
            }
        } catch let error as ConnectionError {
            throw error
        } catch {
            throw .notConnected
        }
    }

    /// Sends one node and returns once its frame is written to the transport.
    ///
    /// The node is encrypted and queued in one step on this actor, so concurrent callers' frames reach the
    /// wire in counter order.
    public func send(_ node: BinaryNode) async throws(ConnectionError) {
        guard transport != nil, let queue = outbound else { throw .notConnected }
        let message = try machine.encode(node)
        let failure = await withCheckedContinuation { (written: CheckedContinuation<TransportError?, Never>) in
            queue.yield(OutboundFrame(bytes: message, written: written))
        }
        if let failure { throw .transport(failure) }
    }

    /// Closes the connection; ``events`` ends with ``DisconnectReason/closedLocally``. Frames already queued
    /// are written first (for at most ``drainTimeout``).
    public func close() async {
        let actions = machine.closeLocally()
        await drainOutbound()
        await transport?.close()
        await perform(actions)
    }

    /// Ends the outbound queue and waits, within ``drainTimeout``, for the writer to finish it.
    private func drainOutbound() async {
        outbound?.finish()
        outbound = nil
        guard let writer else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await writer.value }
            group.addTask { try? await Task.sleep(for: Self.drainTimeout) }
            await group.next()
            group.cancelAll()
        }
    }

    // MARK: - Machine plumbing

    private func openMachine() -> [ConnectionStateMachine.Action] { machine.connectionOpened() }

    private func handle(_ event: TransportEvent) async {
        switch event {
        case .message(let bytes):
            let now = UInt64(max(0, Date().timeIntervalSince1970))
            await perform(machine.received(bytes, now: now))
        case .closed(let reason):
            let code: Int? =
                switch reason {
                case .local: nil
                case .remote(let code): code
                case .failed(.messageTooLarge): 1009
                case .failed: 1002
                }
            await perform(machine.transportClosed(code: code))
        }
    }

    private func timedOut() async {
        await perform(machine.handshakeTimedOut())
    }

    private func perform(_ actions: [ConnectionStateMachine.Action]) async {
        for action in actions {
            switch action {
            case .send(let message):
                outbound?.yield(OutboundFrame(bytes: message, written: nil))
            case .close(let error):
                resumeHandshake(throwing: error)
                await drainOutbound()
                await transport?.close()
            case .deliver(let event):
                if case .handshakeCompleted = event {
                    timer?.cancel()
                    resumeHandshake(throwing: nil)
                }
                if case .disconnected(let reason) = event {
                    switch reason {
                    case .protocolError(let error): resumeHandshake(throwing: error)
                    case .closedLocally, .closedByServer: resumeHandshake(throwing: .closedDuringHandshake)
                    }
                    finish(with: [])
                    continuation.yield(event)
                    continuation.finish()
                    continue
                }
                if !finished { continuation.yield(event) }
            }
        }
    }

    private func resumeHandshake(throwing error: ConnectionError?) {
        guard let waiter = handshakeWaiter else { return }
        handshakeWaiter = nil
        if let error { waiter.resume(throwing: error) } else { waiter.resume() }
    }

    private func finish(with actions: [ConnectionStateMachine.Action]) {
        finished = true
        timer?.cancel()
        outbound?.finish()
        outbound = nil
        for case .deliver(let event) in actions {
            continuation.yield(event)
        }
        if !actions.isEmpty { continuation.finish() }
    }
}

/// A connection holds the device's noise key and the transport keys: printing or dumping it shows nothing
/// of its state.
extension WAConnection: CustomStringConvertible, CustomReflectable {
    public nonisolated var description: String { "WAConnection(<redacted>)" }
    public nonisolated var customMirror: Mirror { Mirror(self, children: [:]) }
}
