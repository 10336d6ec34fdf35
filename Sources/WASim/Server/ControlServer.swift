import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The control interface: JSON over HTTP/1.1 on loopback (docs/wa-sim.md lists every call).
final class ControlServer: Sendable {
    let channel: any Channel
    var localPort: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel) { self.channel = channel }

    static func start(
        host: String, port: Int, api: ControlAPI,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ControlServer {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ControlHTTPHandler(api: api))
                }
            }
        return ControlServer(channel: try await bootstrap.bind(host: host, port: port).get())
    }

    func close() async {
        try? await channel.close()
    }
}

/// Collects one request (head + body up to ``maximumBodySize``), asks ``ControlAPI``, writes the answer.
final class ControlHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Large enough for a screenshot posted to `scan-image`.
    static let maximumBodySize = 8 * 1024 * 1024
    private let api: ControlAPI
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false

    init(api: ControlAPI) { self.api = api }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body = []
            self.tooLarge = false
        case .body(let buffer):
            if body.count + buffer.readableBytes > Self.maximumBodySize {
                tooLarge = true
            } else {
                body.append(contentsOf: buffer.readableBytesView)
            }
        case .end:
            guard let head else { return }
            let request = ControlRequest(
                method: head.method.rawValue, uri: head.uri, body: body)
            let keepAlive = head.isKeepAlive
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            let promise = context.eventLoop.makePromise(of: ControlResponse.self)
            if tooLarge {
                promise.succeed(.error(413, "request body larger than \(Self.maximumBodySize) bytes"))
            } else {
                let api = self.api
                promise.completeWithTask { await api.handle(request) }
            }
            promise.futureResult.whenSuccess { response in
                handler.value.write(response, keepAlive: keepAlive, context: boundContext.value)
            }
        }
    }

    private func write(_ response: ControlResponse, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: "\(response.body.count)")
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: response.status)
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
            promise: nil)
        context.write(
            wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }
}
