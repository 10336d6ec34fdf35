import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import WebSocketKit

/// The simulator's chat endpoint: `GET /ws/chat` upgraded to a WebSocket, over plain TCP or TLS.
///
/// Each upgraded connection is handed to a ``SimSession``. Inbound binary messages are fed to the session in
/// arrival order through an `AsyncStream` (websocket-kit's async callbacks would spawn one task per message).
final class ChatListener: Sendable {
    let channel: any Channel
    let tls: Bool

    var localPort: Int { channel.localAddress?.port ?? 0 }

    /// Largest WebSocket message accepted: one maximal WA frame plus header and intro (docs/protocol/lower.md §1.3).
    static let maximumMessageSize = (1 << 24) + 7
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
                            WebSocket.server(on: channel) { socket in
                                accept(
                                    socket: socket, channel: channel, head: head, remote: remote, tls: isTLS, world: world,
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

    /// Wires a freshly upgraded socket to a new session. Runs on the socket's event loop, so `onBinary` is set
    /// before the first message can arrive.
    private static func accept(
        socket: WebSocket, channel: any Channel, head: HTTPRequestHead, remote: String, tls: Bool, world: SimWorld,
        handlers: IQHandlerRegistry
    ) {
        let (inbound, continuation) = AsyncStream<SessionInput>.makeStream()
        socket.onBinary { _, buffer in
            continuation.yield(.binary(Array(buffer.readableBytesView)))
        }
        socket.onText { _, _ in
            continuation.yield(.text)  // WhatsApp speaks binary only: the session drops the connection
        }
        socket.onClose.whenComplete { _ in continuation.finish() }
        let origin = head.headers.first(name: "Origin")
        let userAgent = head.headers.first(name: "User-Agent")
        let path = head.uri
        Task {
            let opened = await world.openConnection(
                tls: tls, remote: remote, path: path, origin: origin, userAgentHeader: userAgent)
            let session = SimSession(
                id: opened.id, faults: opened.faults, world: world, handlers: handlers,
                output: WebSocketSessionOutput(socket: socket, channel: channel))
            await session.run(inbound: inbound)
        }
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
protocol SessionOutput: Sendable {
    func send(_ message: [UInt8]) async
    func close() async
}

struct WebSocketSessionOutput: SessionOutput {
    let socket: WebSocket
    let channel: any Channel

    func send(_ message: [UInt8]) async {
        try? await socket.send(message)
    }

    func close() async {
        // WhatsApp drops the TCP connection rather than closing the WebSocket politely.
        try? await channel.close()
    }
}
