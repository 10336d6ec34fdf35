import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// The simulator's chat endpoint: `GET /ws/chat` upgraded to a WebSocket, over plain TCP or TLS.
///
/// Each upgraded connection is handed to a ``SimSession``. Inbound binary messages are fed to the session in
/// arrival order through an `AsyncStream`. SwiftNIO's own WebSocket server upgrade does the HTTP part; a
/// frame aggregator caps a fragmented message at ``maximumMessageSize`` summed over its fragments, and
/// ``ChatFrameHandler`` answers pings and close frames.
final class ChatListener: Sendable {
    let channel: any Channel
    let tls: Bool

    var localPort: Int { channel.localAddress?.port ?? 0 }

    /// Largest WebSocket message accepted: one maximal WA frame plus header and intro (docs/protocol/lower.md §1.3).
    static let maximumMessageSize = (1 << 24) + 7
    /// The most fragments one message may arrive in.
    static let maximumFragmentCount = 4096
    /// The only upgrade path (docs/protocol/lower.md §1.1).
    static let chatPath = "/ws/chat"

    private init(channel: any Channel, tls: Bool) {
        self.channel = channel
        self.tls = tls
    }

    static func start(
        host: String, port: Int, tls: NIOSSLContext?, world: SimWorld, handlers: IQHandlerRegistry,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ChatListener {
        let isTLS = tls != nil
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let remote = channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    let fallback = NotChatHandler()
                    let upgrader = NIOWebSocketServerUpgrader(
                        maxFrameSize: maximumMessageSize,
                        shouldUpgrade: { channel, head in
                            let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
                            return channel.eventLoop.makeSucceededFuture(path == chatPath ? HTTPHeaders() : nil)
                        },
                        upgradePipelineHandler: { channel, head in
                            channel.eventLoop.makeCompletedFuture {
                                try accept(
                                    channel: channel, head: head, remote: remote, tls: isTLS, world: world,
                                    handlers: handlers)
                            }
                        })
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (
                            upgraders: [upgrader],
                            completionHandler: { context in
                                context.pipeline.syncOperations.removeHandler(fallback, promise: nil)
                            }
                        ))
                    try channel.pipeline.syncOperations.addHandler(fallback)
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        return ChatListener(channel: channel, tls: isTLS)
    }

    /// Wires a freshly upgraded channel to a new session. Runs on the channel's event loop, before the first
    /// frame can arrive.
    private static func accept(
        channel: any Channel, head: HTTPRequestHead, remote: String, tls: Bool, world: SimWorld,
        handlers: IQHandlerRegistry
    ) throws {
        let (inbound, continuation) = AsyncStream<SessionInput>.makeStream()
        try addFrameHandlers(
            to: channel.pipeline.syncOperations, maximumMessageSize: maximumMessageSize, continuation: continuation)
        let origin = head.headers.first(name: "Origin")
        let userAgent = head.headers.first(name: "User-Agent")
        let path = head.uri
        Task {
            let opened = await world.openConnection(
                tls: tls, remote: remote, path: path, origin: origin, userAgentHeader: userAgent)
            let session = SimSession(
                id: opened.id, faults: opened.faults, world: world, handlers: handlers,
                output: WebSocketSessionOutput(channel: channel))
            await session.run(inbound: inbound)
        }
    }

    /// The handlers after the WebSocket codec: the fragment aggregator with its size cap, then ours.
    static func addFrameHandlers(
        to pipeline: ChannelPipeline.SynchronousOperations, maximumMessageSize: Int,
        continuation: AsyncStream<SessionInput>.Continuation
    ) throws {
        try pipeline.addHandler(
            NIOWebSocketFrameAggregator(
                minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: maximumFragmentCount,
                maxAccumulatedFrameSize: maximumMessageSize))
        try pipeline.addHandler(ChatFrameHandler(continuation: continuation))
    }

    func close() async {
        try? await channel.close()
    }
}

/// Answers any HTTP request that is not a chat upgrade with 404 and closes.
final class NotChatHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        let body = context.channel.allocator.buffer(string: "not found\n")
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .notFound, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}

/// Where a session writes: the WebSocket in production.
///
/// `send` is synchronous on purpose: a session encrypts a frame (advancing its Noise counter) and enqueues it in one
/// step on its actor. An `async` send would hop off the actor first, and two frames could reach the socket in the
/// opposite order of their counters (the client then fails to decrypt: docs/protocol/lower.md §2.6, one counter per
/// direction, the rule WAEngine's transport also keeps).
protocol SessionOutput: Sendable {
    func send(_ message: [UInt8])
    func close() async
}

struct WebSocketSessionOutput: SessionOutput {
    let channel: any Channel

    func send(_ message: [UInt8]) {
        // Server frames are not masked (RFC 6455 §5.1). NIO keeps writes in the order they are called.
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .binary, data: ByteBuffer(bytes: message)), promise: nil)
    }

    func close() async {
        // WhatsApp drops the TCP connection rather than closing the WebSocket politely.
        try? await channel.close()
    }
}

/// The server end of one chat WebSocket: whole messages to the session, pongs for pings, a close frame
/// answered and the connection closed; a message over the size limit (or broken fragmentation) closes the
/// connection with 1009 (or 1002).
final class ChatFrameHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let continuation: AsyncStream<SessionInput>.Continuation
    private var closing = false

    init(continuation: AsyncStream<SessionInput>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .binary:
            continuation.yield(.binary(Array(frame.unmaskedData.readableBytesView)))
        case .text:
            continuation.yield(.text)  // WhatsApp speaks binary only: the session drops the connection
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            var payload = frame.unmaskedData
            close(context: context, code: payload.readInteger(as: UInt16.self) ?? 1000)
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let tooLarge: Bool =
            switch error {
            case NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge,
                NIOWebSocketFrameAggregator.Error.tooManyFragments:
                true
            default: false
            }
        close(context: context, code: tooLarge ? 1009 : 1002)
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    private func close(context: ChannelHandlerContext, code: UInt16) {
        guard !closing else { return }
        closing = true
        var data = context.channel.allocator.buffer(capacity: 2)
        data.writeInteger(code)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
            .whenComplete { _ in channel.close(promise: nil) }
    }
}
