import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Testing
@testable import WAEngine

/// Message assembly and limits of the engine's WebSocket transport (RFC 6455 §5.4–5.5), without sockets.
@Suite struct WebSocketMessageAssemblerTests {
    private func buffer(_ count: Int, _ byte: UInt8 = 0xAB) -> ByteBuffer {
        ByteBuffer(bytes: [UInt8](repeating: byte, count: count))
    }

    @Test func fragmentedBinaryMessageIsDeliveredWhole() throws {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 10)
        #expect(try assembler.receive(opcode: .binary, fin: false, payload: buffer(4, 1)) == .none)
        #expect(try assembler.receive(opcode: .ping, fin: true, payload: buffer(1, 9)) == .ping(payload: [9]))
        #expect(try assembler.receive(opcode: .continuation, fin: false, payload: buffer(3, 2)) == .none)
        #expect(
            try assembler.receive(opcode: .continuation, fin: true, payload: buffer(3, 3))
                == .binary([1, 1, 1, 1, 2, 2, 2, 3, 3, 3]))
        #expect(try assembler.receive(opcode: .binary, fin: true, payload: buffer(2, 7)) == .binary([7, 7]))
    }

    @Test func accumulatedSizeAboveTheLimitIsRefusedBeforeBuffering() throws {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 10)
        _ = try assembler.receive(opcode: .binary, fin: false, payload: buffer(6))
        #expect(throws: TransportError.messageTooLarge(limit: 10)) {
            _ = try assembler.receive(opcode: .continuation, fin: false, payload: buffer(5))
        }
    }

    @Test func singleFrameAboveTheLimitIsRefused() {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 10)
        #expect(throws: TransportError.messageTooLarge(limit: 10)) {
            _ = try assembler.receive(opcode: .binary, fin: true, payload: buffer(11))
        }
    }

    @Test func messageExactlyAtTheLimitIsAccepted() throws {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 10)
        _ = try assembler.receive(opcode: .binary, fin: false, payload: buffer(5))
        #expect(try assembler.receive(opcode: .continuation, fin: true, payload: buffer(5)) == .binary(Array(repeating: 0xAB, count: 10)))
    }

    @Test func continuationWithoutAStartIsAProtocolViolation() {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 10)
        #expect(throws: TransportError.protocolViolation) {
            _ = try assembler.receive(opcode: .continuation, fin: true, payload: buffer(1))
        }
    }

    @Test func newDataFrameInsideAFragmentedMessageIsAProtocolViolation() throws {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 10)
        _ = try assembler.receive(opcode: .binary, fin: false, payload: buffer(1))
        #expect(throws: TransportError.protocolViolation) {
            _ = try assembler.receive(opcode: .binary, fin: true, payload: buffer(1))
        }
    }

    @Test func closeFrameCarriesItsStatusCode() throws {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 10)
        #expect(try assembler.receive(opcode: .connectionClose, fin: true, payload: ByteBuffer(bytes: [0x03, 0xF1])) == .close(code: 1009))
        #expect(try assembler.receive(opcode: .connectionClose, fin: true, payload: ByteBuffer()) == .close(code: nil))
    }

    @Test func textMessagesAreReportedButCarryNothing() throws {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 10)
        #expect(try assembler.receive(opcode: .text, fin: true, payload: buffer(3)) == .text)
    }
}

/// What the connector derives from a `ws`/`wss` URL: request line, `Host`, TLS server name.
@Suite struct WebSocketTargetTests {
    @Test func whatsAppURLUsesTheDefaultPortAndSendsTheHostAsServerName() throws {
        let target = try WebSocketTarget(url: WAEngineConfiguration.whatsAppServerURL)
        #expect(target.tls)
        #expect(target.port == 443)
        #expect(target.hostHeader == "web.whatsapp.com")
        #expect(target.requestURI == "/ws/chat")
        #expect(target.serverName == "web.whatsapp.com")
    }

    @Test func loopbackAddressHasNoServerNameAndAPortInTheHostHeader() throws {
        let target = try WebSocketTarget(url: try #require(URL(string: "wss://127.0.0.1:8443/ws/chat?x=1")))
        #expect(target.serverName == nil)
        #expect(target.hostHeader == "127.0.0.1:8443")
        #expect(target.requestURI == "/ws/chat?x=1")
    }

    @Test func ipv6LiteralIsBracketedInTheHostHeader() throws {
        let target = try WebSocketTarget(url: try #require(URL(string: "ws://[::1]:8080")))
        #expect(!target.tls)
        #expect(target.host == "::1")
        #expect(target.hostHeader == "[::1]:8080")
        #expect(target.requestURI == "/")
        #expect(target.serverName == nil)
    }

    @Test(arguments: ["http://example.com/ws", "wss:///ws/chat", "ftp://host"])
    func nonWebSocketURLsAreRefused(_ text: String) throws {
        let url = try #require(URL(string: text))
        #expect(throws: TransportError.invalidURL) { _ = try WebSocketTarget(url: url) }
    }
}

/// Accepts one TCP connection on loopback, records what the client sends until the end of the HTTP head,
/// then closes.
final class RequestRecorder: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private let done: AsyncStream<String>.Continuation
    let request: AsyncStream<String>

    init() {
        (request, done) = AsyncStream<String>.makeStream()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let text: String? = lock.withLock {
            bytes += buffer.readableBytesView
            let text = String(decoding: bytes, as: UTF8.self)
            return text.contains("\r\n\r\n") ? text : nil
        }
        if let text {
            done.yield(text)
            done.finish()
            context.close(promise: nil)
        }
    }
}

@Suite struct WebSocketUpgradeRequestTests {
    @Test func upgradeRequestCarriesExactlyOneWhatsAppOriginAndTheHostWithItsPort() async throws {
        let recorder = RequestRecorder()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(recorder) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let url = try #require(URL(string: "ws://127.0.0.1:\(port)/ws/chat"))
        await #expect(throws: TransportError.self) {
            _ = try await WebSocketTransportConnector(url: url, connectTimeout: .seconds(5)).connect()
        }
        var iterator = recorder.request.makeAsyncIterator()
        let request = try #require(await iterator.next())
        try await server.close()
        let lines = request.components(separatedBy: "\r\n")
        #expect(lines.first == "GET /ws/chat HTTP/1.1")
        let headers = lines.dropFirst().map { $0.lowercased() }
        #expect(headers.filter { $0.hasPrefix("origin:") } == ["origin: https://web.whatsapp.com"])
        #expect(headers.filter { $0.hasPrefix("host:") } == ["host: 127.0.0.1:\(port)"])
        #expect(headers.contains("upgrade: websocket"))
        #expect(headers.contains("sec-websocket-version: 13"))
        #expect(headers.contains("cache-control: no-cache"))
        #expect(headers.contains("pragma: no-cache"))
    }

    @Test func serverThatNeverAnswersTheUpgradeTimesOut() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let url = try #require(URL(string: "ws://127.0.0.1:\(port)/ws/chat"))
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: TransportError.connectionFailed) {
            _ = try await WebSocketTransportConnector(url: url, connectTimeout: .milliseconds(300)).connect()
        }
        // Well under the 20 s default: the 300 ms given was used (generous for a loaded 2-core machine).
        #expect(clock.now - start < WebSocketTransportConnector.defaultConnectTimeout / 2)
    }
}

/// A scripted WebSocket peer: right after the upgrade it sends a binary message in two fragments and a ping;
/// when the pong comes back (masked, same payload) it closes with code 4000, else with 1002.
final class ScriptedWebSocketPeer: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    func handlerAdded(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(WebSocketFrame(fin: false, opcode: .binary, data: ByteBuffer(bytes: [1, 2]))), promise: nil)
        context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .continuation, data: ByteBuffer(bytes: [3]))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer(bytes: [7, 7]))), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard frame.opcode == .pong else { return }
        let good = frame.maskKey != nil && Array(frame.unmaskedData.readableBytesView) == [7, 7]
        var code = ByteBuffer()
        code.writeInteger(UInt16(good ? 4000 : 1002))
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: code)))
            .whenComplete { _ in channel.close(promise: nil) }
    }
}

@Suite struct WebSocketTransportLoopbackTests {
    @Test func fragmentsAreJoinedPingsAnsweredAndTheCloseCodeReported() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOWebSocketServerUpgrader(
                        shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
                        upgradePipelineHandler: { channel, _ in
                            channel.eventLoop.makeCompletedFuture {
                                try channel.pipeline.syncOperations.addHandler(ScriptedWebSocketPeer())
                            }
                        })
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let transport = try await WebSocketTransportConnector(
            url: try #require(URL(string: "ws://127.0.0.1:\(port)/ws/chat"))
        ).connect()
        var events: [TransportEvent] = []
        for await event in transport.inbound { events.append(event) }
        #expect(events == [.message([1, 2, 3]), .closed(.remote(code: 4000))])
        await #expect(throws: TransportError.closed) { try await transport.send([1]) }
    }
}
