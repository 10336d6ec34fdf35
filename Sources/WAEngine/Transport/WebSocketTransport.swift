import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import WebSocketKit

/// Opens WebSocket connections (websocket-kit over SwiftNIO) the way WhatsApp Web does.
///
/// Headers follow docs/protocol/lower.md §1.1: `Origin: https://web.whatsapp.com`, plus `Cache-Control` and
/// `Pragma: no-cache` as whatsmeow sends them. `wss://` uses the system trust store plus, when given, the
/// certificates of one PEM file (the simulator's test CA).
public struct WebSocketTransportConnector: TransportConnector {
    public var url: URL
    public var extraTrustRootsFile: String?
    /// Largest inbound WebSocket message accepted: one maximal WA frame (2^24 − 1 bytes) plus its 3-byte
    /// header (docs/protocol/lower.md §1.3), and the 4-byte intro the server never sends but a peer might.
    public static let maximumMessageSize = (1 << 24) + 7
    /// How long to wait, after the upgrade response, for websocket-kit to hand over the socket.
    static let upgradeCallbackTimeout: Duration = .seconds(10)

    public init(url: URL, extraTrustRootsFile: String? = nil) {
        self.url = url
        self.extraTrustRootsFile = extraTrustRootsFile
    }

    public init(configuration: WAEngineConfiguration) {
        self.init(url: configuration.serverURL, extraTrustRootsFile: configuration.extraTrustRootsFile)
    }

    public func connect() async throws(TransportError) -> any Transport {
        guard let scheme = url.scheme?.lowercased(), scheme == "ws" || scheme == "wss",
            let host = url.host, !host.isEmpty
        else { throw .invalidURL }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let extraTrustRootsFile {
            do {
                let extra = try NIOSSLCertificate.fromPEMFile(extraTrustRootsFile)
                tls.additionalTrustRoots = [.certificates(extra)]
            } catch {
                throw .trustRootsUnreadable
            }
        }
        let configuration = WebSocketClient.Configuration(
            tlsConfiguration: tls, maxFrameSize: Self.maximumMessageSize)
        let headers: HTTPHeaders = [
            "Origin": WAEngineConfiguration.origin,
            "Cache-Control": "no-cache",
            "Pragma": "no-cache",
        ]
        let (stream, continuation) = AsyncStream<TransportEvent>.makeStream()
        let socketBox = SocketBox()
        // websocket-kit completes `connect` when the HTTP upgrade finishes, which can be just before the
        // upgrade callback hands over the socket: wait for the socket itself.
        let (upgraded, upgradedContinuation) = AsyncStream<WebSocket>.makeStream()
        do {
            try await WebSocket.connect(
                to: url.absoluteString, headers: headers, configuration: configuration,
                on: MultiThreadedEventLoopGroup.singleton
            ) { socket in
                socketBox.set(socket)
                upgradedContinuation.yield(socket)
                upgradedContinuation.finish()
                socket.onBinary { _, buffer in
                    continuation.yield(.message(Array(buffer.readableBytesView)))
                }
                socket.onClose.whenComplete { _ in
                    let code: Int? =
                        switch socket.closeCode {
                        case .some(let code): Self.numericCode(code)
                        case .none: nil
                        }
                    continuation.yield(.closed(socketBox.closedLocally ? .local : .remote(code: code)))
                    continuation.finish()
                }
            }.get()
        } catch {
            continuation.finish()
            throw Self.classify(error)
        }
        let socket = await withTaskGroup(of: WebSocket?.self) { group in
            group.addTask {
                var iterator = upgraded.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: Self.upgradeCallbackTimeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let socket else {
            continuation.finish()
            throw .connectionFailed
        }
        return WebSocketTransport(socket: socket, box: socketBox, inbound: stream)
    }

    static func classify(_ error: any Error) -> TransportError {
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return .tlsHandshakeFailed
        }
        if let error = error as? WebSocketClient.Error {
            switch error {
            case .invalidURL: return .invalidURL
            case .invalidResponseStatus: return .upgradeRejected
            case .alreadyShutdown: return .connectionFailed
            }
        }
        if error is NIOHTTPClientUpgradeError { return .upgradeRejected }
        return .connectionFailed
    }

    static func numericCode(_ code: WebSocketErrorCode) -> Int {
        switch code {
        case .normalClosure: 1000
        case .goingAway: 1001
        case .protocolError: 1002
        case .unacceptableData: 1003
        case .dataInconsistentWithMessage: 1007
        case .policyViolation: 1008
        case .messageTooLarge: 1009
        case .missingExtension: 1010
        case .unexpectedServerError: 1011
        case .unknown(let value): Int(value)
        }
    }
}

/// Holds the websocket-kit socket across the upgrade callback, and whether we closed it.
final class SocketBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _socket: WebSocket?
    private var _closedLocally = false

    var socket: WebSocket? { lock.withLock { _socket } }
    var closedLocally: Bool { lock.withLock { _closedLocally } }
    func set(_ socket: WebSocket) { lock.withLock { _socket = socket } }
    func markClosedLocally() { lock.withLock { _closedLocally = true } }
}

/// A connected WebSocket carrying binary messages.
final class WebSocketTransport: Transport {
    private let socket: WebSocket
    private let box: SocketBox
    let inbound: AsyncStream<TransportEvent>

    init(socket: WebSocket, box: SocketBox, inbound: AsyncStream<TransportEvent>) {
        self.socket = socket
        self.box = box
        self.inbound = inbound
    }

    func send(_ message: [UInt8]) async throws(TransportError) {
        guard !socket.isClosed else { throw .closed }
        do {
            try await socket.send(message)
        } catch {
            throw .closed
        }
    }

    func close() async {
        box.markClosedLocally()
        try? await socket.close(code: .normalClosure)
    }
}
