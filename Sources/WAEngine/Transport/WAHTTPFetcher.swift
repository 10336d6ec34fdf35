#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Why an HTTP fetch failed.
public enum WAHTTPFetchError: Error, Sendable, Equatable {
    /// Not an `http`/`https` URL with a host.
    case invalidURL
    /// The connection or TLS handshake failed, or the server closed before the response ended.
    case transport(TransportError)
    /// The response status was not 200 (redirects are not followed).
    case status(Int)
    /// The body exceeded this many bytes.
    case bodyTooLarge(limit: Int)
    /// No complete response within the timeout.
    case timedOut
}

/// A one-request HTTP/1.1 GET client on SwiftNIO, trusting the same roots as the chat connection. Used to
/// read the current WhatsApp Web revision (docs/protocol/lower.md §3.4); bodies are capped and redirects are
/// refused.
public struct WAHTTPFetcher: WAVersionFetcher {
    public var extraTrustRootsFile: String?
    public var timeout: Duration
    public var maximumBodySize: Int

    /// Browser-like request headers (docs/protocol/lower.md §3.4: whatsmeow sends browser-like headers for this request).
    static let userAgent =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36"

    public init(extraTrustRootsFile: String? = nil, timeout: Duration = .seconds(20), maximumBodySize: Int = 8 << 20) {
        self.extraTrustRootsFile = extraTrustRootsFile
        self.timeout = timeout
        self.maximumBodySize = maximumBodySize
    }

    public func fetch(_ url: URL) async throws -> [UInt8] {
        try await get(url)
    }

    /// GETs `url` and returns the body of a 200 response.
    public func get(_ url: URL) async throws(WAHTTPFetchError) -> [UInt8] {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", let urlHost = url.host,
            !urlHost.isEmpty
        else { throw .invalidURL }
        let host = urlHost.hasPrefix("[") && urlHost.hasSuffix("]") ? String(urlHost.dropFirst().dropLast()) : urlHost
        let tls = scheme == "https"
        let defaultPort = tls ? 443 : 80
        let port = url.port ?? defaultPort
        let sslContext: NIOSSLContext?
        do {
            sslContext = try tls ? TLSClientContext.make(extraTrustRootsFile: extraTrustRootsFile) : nil
        } catch {
            throw .transport(error)
        }
        let isIPAddress = host.contains(":") || host.split(separator: ".").allSatisfy { UInt8($0) != nil }
        let bracketed = host.contains(":") ? "[\(host)]" : host
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: port == defaultPort ? bracketed : "\(bracketed):\(port)")
        headers.add(name: "User-Agent", value: Self.userAgent)
        headers.add(name: "Accept", value: "*/*")
        headers.add(name: "Accept-Language", value: "en-US,en;q=0.9")
        headers.add(name: "Connection", value: "close")
        let path = url.path.isEmpty ? "/" : url.path
        let head = HTTPRequestHead(
            version: .http1_1, method: .GET, uri: url.query.map { "\(path)?\($0)" } ?? path, headers: headers)
        let limit = maximumBodySize
        let deadline = TimeAmount(timeout)
        let response: EventLoopFuture<[UInt8]>
        do {
            response = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(deadline)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let sslContext {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: sslContext, serverHostname: isIPAddress ? nil : host))
                        }
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        let promise = channel.eventLoop.makePromise(of: [UInt8].self)
                        try channel.pipeline.syncOperations.addHandler(
                            HTTPResponseCollector(request: head, limit: limit, promise: promise))
                        // The collector completes the promise exactly once, timeout included.
                        let timer = channel.eventLoop.scheduleTask(in: deadline) {
                            channel.pipeline.fireErrorCaught(WAHTTPFetchError.timedOut)
                        }
                        promise.futureResult.whenComplete { _ in timer.cancel() }
                        return promise.futureResult
                    }
                }
        } catch {
            throw .transport(WebSocketTransportConnector.classify(error))
        }
        do {
            return try await response.get()
        } catch let error as WAHTTPFetchError {
            throw error
        } catch {
            throw .transport(WebSocketTransportConnector.classify(error))
        }
    }
}

/// Sends one request when the channel becomes active and collects a capped response body.
final class HTTPResponseCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let request: HTTPRequestHead
    private let limit: Int
    private let promise: EventLoopPromise<[UInt8]>
    private var status: HTTPResponseStatus?
    private var body: [UInt8] = []
    private var completed = false

    init(request: HTTPRequestHead, limit: Int, promise: EventLoopPromise<[UInt8]>) {
        self.request = request
        self.limit = limit
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !completed else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status
            if let length = head.headers.first(name: "Content-Length").flatMap(Int.init), length > limit {
                finish(context: context, .failure(WAHTTPFetchError.bodyTooLarge(limit: limit)))
            }
        case .body(let buffer):
            guard buffer.readableBytes <= limit - body.count else {
                finish(context: context, .failure(WAHTTPFetchError.bodyTooLarge(limit: limit)))
                return
            }
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            if let status, status == .ok {
                finish(context: context, .success(body))
            } else {
                finish(context: context, .failure(WAHTTPFetchError.status(Int(status?.code ?? 0))))
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(context: context, .failure(error))
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(context: context, .failure(WAHTTPFetchError.transport(.closed)))
        context.fireChannelInactive()
    }

    private func finish(context: ChannelHandlerContext, _ result: Result<[UInt8], any Error>) {
        guard !completed else { return }
        completed = true
        promise.completeWith(result)
        context.close(promise: nil)
    }
}
