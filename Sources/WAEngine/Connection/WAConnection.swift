import Foundation
import WABinary
import WANoise

/// One chat connection: owns a ``ConnectionStateMachine`` and a ``Transport``, feeds transport events and
/// timers to the machine, and performs what it returns (docs/house-style.md §5: one owner per connection).
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

    /// Sends one node.
    public func send(_ node: BinaryNode) async throws(ConnectionError) {
        guard let transport else { throw .notConnected }
        let message = try machine.encode(node)
        do {
            try await transport.send(message)
        } catch {
            throw .transport(error)
        }
    }

    /// Closes the connection; ``events`` ends with ``DisconnectReason/closedLocally``.
    public func close() async {
        let actions = machine.closeLocally()
        await transport?.close()
        await perform(actions)
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
                try? await transport?.send(message)
            case .close(let error):
                resumeHandshake(throwing: error)
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
        for case .deliver(let event) in actions {
            continuation.yield(event)
        }
        if !actions.isEmpty { continuation.finish() }
    }
}
