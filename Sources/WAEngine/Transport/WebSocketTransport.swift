#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// Opens WebSocket connections (SwiftNIO's typed HTTP upgrade) the way WhatsApp Web does.
///
/// Headers follow docs/protocol/lower.md §1.1: exactly one `Origin: https://web.whatsapp.com`, `Host`, plus
/// `Cache-Control` and `Pragma: no-cache` as whatsmeow sends them. `wss://` uses the system trust store plus,
/// when given, the certificates of one PEM file (the simulator's test CA); the TLS server name (SNI) is the
/// URL's host unless that is an IP address. The whole connect (TCP, TLS, upgrade) is bounded by
/// ``connectTimeout``.
public struct WebSocketTransportConnector: TransportConnector {
    public var url: URL
    public var extraTrustRootsFile: String?
    /// Time allowed for TCP connect, TLS handshake and HTTP upgrade together (docs/protocol/lower.md §1.1: 20 s).
    public var connectTimeout: Duration
    /// Largest inbound message, summed over its fragments; also the largest single frame.
    public var messageSizeLimit: Int

    /// One maximal WA frame (2^24 − 1 bytes) plus its 3-byte header (docs/protocol/lower.md §1.3), and the 4-byte intro the server
    /// never sends but a peer might: the default ``messageSizeLimit``.
    public static let maximumMessageSize = (1 << 24) + 7
    public static let defaultConnectTimeout: Duration = .seconds(20)

    public init(
        url: URL, extraTrustRootsFile: String? = nil, connectTimeout: Duration = defaultConnectTimeout,
        messageSizeLimit: Int = maximumMessageSize
    ) {
        self.url = url
        self.extraTrustRootsFile = extraTrustRootsFile
        self.connectTimeout = connectTimeout
        self.messageSizeLimit = messageSizeLimit
    }

    public init(configuration: WAEngineConfiguration) {
        self.init(url: configuration.serverURL, extraTrustRootsFile: configuration.extraTrustRootsFile)
    }

    public func connect() async throws(TransportError) -> any Transport {
        let target = try WebSocketTarget(url: url)
        let sslContext = try target.tls ? TLSClientContext.make(extraTrustRootsFile: extraTrustRootsFile) : nil
        let limit = messageSizeLimit
        let timeout = TimeAmount(connectTimeout)
        let upgraded: EventLoopFuture<WebSocketUpgradeResult>
        do {
            upgraded = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout)
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .connect(host: target.host, port: target.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try Self.configure(
                            channel: channel, target: target, sslContext: sslContext, limit: limit, timeout: timeout)
                    }
                }
        } catch {
            throw Self.classify(error)
        }
        let result: WebSocketUpgradeResult
        do {
            result = try await upgraded.get()
        } catch {
            throw Self.classify(error)
        }
        switch result {
        case .notUpgraded(let channel):
            try? await channel.close()
            throw .upgradeRejected
        case .upgraded(let channel):
            return try await WebSocketTransport.start(channel, maximumMessageSize: limit)
        }
    }

    /// Builds the client pipeline on the channel's event loop: TLS (for `wss`), HTTP with the upgrade
    /// request, and the WebSocket handlers once the server agrees.
    private static func configure(
        channel: any Channel, target: WebSocketTarget, sslContext: NIOSSLContext?, limit: Int, timeout: TimeAmount
    ) throws -> EventLoopFuture<WebSocketUpgradeResult> {
        if let sslContext {
            let handler = try NIOSSLClientHandler(context: sslContext, serverHostname: target.serverName)
            try channel.pipeline.syncOperations.addHandler(handler)
        }
        let upgrader = NIOTypedWebSocketClientUpgrader<WebSocketUpgradeResult>(
            maxFrameSize: limit,
            // Decoder errors reach `read`, which answers them with a close frame itself: NIO's handler would
            // close the channel before the error could be reported.
            enableAutomaticErrorHandling: false,
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    .upgraded(
                        try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(wrappingChannelSynchronously: channel))
                }
            })
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: target.hostHeader)
        headers.add(name: "Origin", value: WAEngineConfiguration.origin)
        headers.add(name: "Cache-Control", value: "no-cache")
        headers.add(name: "Pragma", value: "no-cache")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target.requestURI, headers: headers)
        var configuration = NIOUpgradableHTTPClientPipelineConfiguration(
            upgradeConfiguration: NIOTypedHTTPClientUpgradeConfiguration(
                upgradeRequestHead: head, upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeSucceededFuture(.notUpgraded(channel))
                }
            ))
        // A server may send its first WebSocket frame in the same segment as the 101 response.
        configuration.leftOverBytesStrategy = .forwardBytes
        let result = try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
            configuration: configuration)
        let deadline = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        result.whenComplete { _ in deadline.cancel() }
        return result
    }

    static func classify(_ error: any Error) -> TransportError {
        if let error = error as? TransportError { return error }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return .tlsHandshakeFailed
        }
        if error is NIOHTTPClientUpgradeError || error is NIOWebSocketUpgradeError { return .upgradeRejected }
        return .connectionFailed
    }
}

/// What the typed upgrade yields.
enum WebSocketUpgradeResult: Sendable {
    case upgraded(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
    case notUpgraded(any Channel)
}

/// The parts of a `ws`/`wss` URL the connector needs.
struct WebSocketTarget: Sendable, Equatable {
    var tls: Bool
    var host: String
    var port: Int
    /// Path and query, `/` when the URL has no path.
    var requestURI: String
    /// `host` or `host:port` when the port is not the scheme's default; IPv6 literals in brackets.
    var hostHeader: String
    /// The TLS server name: the host, or nil for an IP address (SNI carries names only, RFC 6066 §3).
    var serverName: String?

    init(url: URL) throws(TransportError) {
        guard let scheme = url.scheme?.lowercased(), scheme == "ws" || scheme == "wss",
            var host = url.host, !host.isEmpty
        else { throw .invalidURL }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        tls = scheme == "wss"
        let defaultPort = tls ? 443 : 80
        port = url.port ?? defaultPort
        guard (1...65535).contains(port) else { throw .invalidURL }
        self.host = host
        let path = url.path.isEmpty ? "/" : url.path
        requestURI = url.query.map { "\(path)?\($0)" } ?? path
        let bracketed = host.contains(":") ? "[\(host)]" : host
        hostHeader = port == defaultPort ? bracketed : "\(bracketed):\(port)"
        let isIPAddress = host.contains(":") || host.split(separator: ".").allSatisfy { UInt8($0) != nil }
        serverName = isIPAddress ? nil : host
    }
}

/// A connected WebSocket carrying binary messages.
///
/// One task owns the channel for its lifetime (`executeThenClose`): it reads frames, assembles messages,
/// answers pings and close frames, and yields ``TransportEvent``s. `send` writes binary frames through the
/// channel's outbound writer, which keeps the order of awaited writes.
final class WebSocketTransport: Transport {
    let inbound: AsyncStream<TransportEvent>
    private let channel: any Channel
    private let writer: NIOAsyncChannelOutboundWriter<WebSocketFrame>
    private let closedLocally: NIOLockedValueBox<Bool>
    private let owner: Task<Void, Never>

    private init(
        inbound: AsyncStream<TransportEvent>, channel: any Channel,
        writer: NIOAsyncChannelOutboundWriter<WebSocketFrame>, closedLocally: NIOLockedValueBox<Bool>,
        owner: Task<Void, Never>
    ) {
        self.inbound = inbound
        self.channel = channel
        self.writer = writer
        self.closedLocally = closedLocally
        self.owner = owner
    }

    static func start(
        _ asyncChannel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, maximumMessageSize: Int
    ) async throws(TransportError) -> WebSocketTransport {
        let (events, continuation) = AsyncStream<TransportEvent>.makeStream()
        let closedLocally = NIOLockedValueBox(false)
        let (writers, writerContinuation) = AsyncStream<NIOAsyncChannelOutboundWriter<WebSocketFrame>>.makeStream()
        let owner = Task {
            var reason: TransportCloseReason = .remote(code: nil)
            do {
                reason = try await asyncChannel.executeThenClose { frames, outbound in
                    writerContinuation.yield(outbound)
                    writerContinuation.finish()
                    return await Self.read(
                        frames, outbound: outbound, maximumMessageSize: maximumMessageSize, into: continuation)
                }
            } catch {
                // Closing the channel failed; it is closed either way.
            }
            writerContinuation.finish()
            continuation.yield(.closed(closedLocally.withLockedValue { $0 } ? .local : reason))
            continuation.finish()
        }
        var iterator = writers.makeAsyncIterator()
        guard let writer = await iterator.next() else {
            try? await asyncChannel.channel.close()
            throw .connectionFailed
        }
        return WebSocketTransport(
            inbound: events, channel: asyncChannel.channel, writer: writer, closedLocally: closedLocally, owner: owner)
    }

    /// Reads frames until the peer closes or breaks a rule; returns why the connection ended.
    private static func read(
        _ frames: NIOAsyncChannelInboundStream<WebSocketFrame>, outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>,
        maximumMessageSize: Int, into events: AsyncStream<TransportEvent>.Continuation
    ) async -> TransportCloseReason {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: maximumMessageSize)
        do {
            for try await frame in frames {
                let output: WebSocketMessageAssembler.Output
                do {
                    output = try assembler.receive(opcode: frame.opcode, fin: frame.fin, payload: frame.unmaskedData)
                } catch {
                    let code: UInt16 = if case .messageTooLarge = error { 1009 } else { 1002 }
                    try? await outbound.write(closeFrame(code: code))
                    return .failed(error)
                }
                switch output {
                case .none, .text:
                    break
                case .binary(let message):
                    events.yield(.message(message))
                case .ping(let payload):
                    try? await outbound.write(
                        WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: ByteBuffer(bytes: payload)))
                case .close(let code):
                    try? await outbound.write(closeFrame(code: code.map(UInt16.init) ?? 1000))
                    return .remote(code: code)
                }
            }
        } catch let error as NIOWebSocketError {
            // A frame the decoder refused: over the size limit, or malformed (RFC 6455 §5.2).
            let failure: TransportError =
                if case .invalidFrameLength = error { .messageTooLarge(limit: maximumMessageSize) } else {
                    .protocolViolation
                }
            try? await outbound.write(closeFrame(code: failure == .protocolViolation ? 1002 : 1009))
            return .failed(failure)
        } catch {
            return .remote(code: nil)
        }
        return .remote(code: nil)
    }

    private static func closeFrame(code: UInt16) -> WebSocketFrame {
        var data = ByteBuffer()
        data.writeInteger(code)
        return WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: data)
    }

    func send(_ message: [UInt8]) async throws(TransportError) {
        guard channel.isActive else { throw .closed }
        let frame = WebSocketFrame(fin: true, opcode: .binary, maskKey: .random(), data: ByteBuffer(bytes: message))
        do {
            try await writer.write(frame)
        } catch {
            throw .closed
        }
    }

    func close() async {
        closedLocally.withLockedValue { $0 = true }
        if channel.isActive {
            try? await writer.write(Self.closeFrame(code: 1000))
        }
        try? await channel.close()
        await owner.value
    }
}
