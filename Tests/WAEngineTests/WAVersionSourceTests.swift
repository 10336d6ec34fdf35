import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing
import WANoise
@testable import WAEngine

/// A fetcher that answers from a closure and counts its calls; tests never touch the network.
final class ScriptedFetcher: WAVersionFetcher, @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [URL] = []
    private let answer: @Sendable (URL) throws -> [UInt8]

    init(_ answer: @escaping @Sendable (URL) throws -> [UInt8]) {
        self.answer = answer
    }

    var callCount: Int { lock.withLock { calls.count } }

    func fetch(_ url: URL) async throws -> [UInt8] {
        lock.withLock { calls.append(url) }
        return try answer(url)
    }
}

struct FetchFailed: Error {}

/// A settable clock for cache ageing.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ start: Date) { value = start }
    var now: Date { lock.withLock { value } }
    func advance(_ seconds: TimeInterval) { lock.withLock { value += seconds } }
}

@Suite struct WAVersionSourceTests {
    let page = Array(#"self.__swData={"client_revision":1054123456,"server_revision":1054123456,"#.utf8)

    private func makeSource(
        fetcher: ScriptedFetcher, clock: TestClock = TestClock(Date(timeIntervalSince1970: 1_800_000_000)),
        pinned: WAAppVersion? = nil
    ) throws -> (WAVersionSource, String) {
        let dir = NSTemporaryDirectory() + "wa-version-" + UUID().uuidString
        let source = WAVersionSource(
            pinned: pinned, cacheFile: dir + "/" + WAVersionSource.cacheFileName, fetcher: fetcher,
            now: { clock.now })
        return (source, dir)
    }

    @Test func offlineNeverFetchesAndPrefersTheCacheOverTheShippedVersion() async throws {
        let fetcher = ScriptedFetcher { _ in Array(#"{"client_revision":1099000000,"#.utf8) }
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let (source, dir) = try makeSource(fetcher: fetcher, clock: clock)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(source.offline().version == source.fallback)
        #expect(source.offline().origin == .fallback)
        _ = await source.current(forceRefresh: true)
        #expect(fetcher.callCount == 1)
        #expect(source.offline().version == WAAppVersion(2, 3000, 1_099_000_000))
        #expect(source.offline().origin == .cache)
        clock.advance(WAVersionSource.refreshInterval + 1)
        #expect(source.offline().origin == .staleCache)
        #expect(fetcher.callCount == 1)
    }

    @Test func clientRevisionIsParsedAsWebVersion() {
        #expect(WAVersionSource.parse(page) == WAAppVersion(2, 3000, 1_054_123_456))
        #expect(WAVersionSource.parse(Array(#"x "client_revision":7, y"#.utf8)) == WAAppVersion(2, 3000, 7))
    }

    @Test(arguments: [
        #"{"client_revision":}"#, #"{"client_revision":"1054123456",}"#, #"{"client_revision":1054123456}"#,
        #"{"client_revision":99999999999,"#, #"{"client_revision":4294967296,"#, "<html>nothing here</html>", "",
    ])
    func garbageYieldsNoVersion(_ text: String) {
        #expect(WAVersionSource.parse(Array(text.utf8)) == nil)
    }

    @Test func laterValidMarkerIsFoundAfterAMalformedOne() {
        let text = #"{"client_revision":abc, "client_revision":1054000000,"#
        #expect(WAVersionSource.parse(Array(text.utf8)) == WAAppVersion(2, 3000, 1_054_000_000))
    }

    @Test func fetchedVersionIsCachedWithItsTimeAndReusedFor24Hours() async throws {
        let fetcher = ScriptedFetcher { [page] _ in page }
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let (source, dir) = try makeSource(fetcher: fetcher, clock: clock)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = await source.current()
        #expect(first.version == WAAppVersion(2, 3000, 1_054_123_456))
        #expect(first.origin == .fetched)
        let attributes = try FileManager.default.attributesOfItem(atPath: source.cacheFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        clock.advance(23 * 3600)
        #expect(await source.current().origin == .cache)
        #expect(fetcher.callCount == 1)
        clock.advance(2 * 3600)
        #expect(await source.current().origin == .fetched)
        #expect(fetcher.callCount == 2)
    }

    @Test func forcedRefreshFetchesDespiteAFreshCache() async throws {
        let fetcher = ScriptedFetcher { [page] _ in page }
        let (source, dir) = try makeSource(fetcher: fetcher)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = await source.current()
        #expect(await source.current(forceRefresh: true).origin == .fetched)
        #expect(fetcher.callCount == 2)
    }

    @Test func fetchErrorFallsBackToTheShippedVersion() async throws {
        let (source, dir) = try makeSource(fetcher: ScriptedFetcher { _ in throw FetchFailed() })
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let resolved = await source.current()
        #expect(resolved.version == .shipped)
        #expect(resolved.origin == .fallback)
        #expect(!FileManager.default.fileExists(atPath: source.cacheFile))
    }

    @Test func garbagePageFallsBackToTheShippedVersion() async throws {
        let (source, dir) = try makeSource(fetcher: ScriptedFetcher { _ in Array("<html>captcha</html>".utf8) })
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(await source.current() == (.shipped, .fallback))
    }

    @Test func staleCacheIsPreferredToTheFallbackWhenTheFetchFails() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let failing = ScriptedFetcher { _ in throw FetchFailed() }
        let (source, dir) = try makeSource(fetcher: failing, clock: clock)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        source.writeCache(WAAppVersion(2, 3000, 1_054_000_000), fetchedAt: clock.now - 3 * 86400)
        #expect(await source.current() == (WAAppVersion(2, 3000, 1_054_000_000), .staleCache))
    }

    @Test func corruptCacheIsIgnored() async throws {
        let fetcher = ScriptedFetcher { [page] _ in page }
        let (source, dir) = try makeSource(fetcher: fetcher)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: source.cacheFile))
        #expect(await source.current().origin == .fetched)
    }

    @Test func cacheFromTheFutureIsRefetched() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let fetcher = ScriptedFetcher { [page] _ in page }
        let (source, dir) = try makeSource(fetcher: fetcher, clock: clock)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        source.writeCache(WAAppVersion(2, 3000, 1), fetchedAt: clock.now + 3600)
        #expect(await source.current().origin == .fetched)
    }

    @Test func pinnedVersionIsNeverFetched() async throws {
        let fetcher = ScriptedFetcher { [page] _ in page }
        let (source, dir) = try makeSource(fetcher: fetcher, pinned: WAAppVersion(2, 3000, 5))
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(await source.current() == (WAAppVersion(2, 3000, 5), .pinned))
        #expect(fetcher.callCount == 0)
    }

    @Test func configurationPinsTheEnvironmentVersionAndOtherwiseFallsBackToShipped() throws {
        let pinned = try WAEngineConfiguration(environment: [
            "HOME": "/home/u", "CRM_WHATSAPP_APP_VERSION": "2.3000.1054999999",
        ])
        #expect(pinned.appVersion == WAAppVersion(2, 3000, 1_054_999_999) && pinned.appVersionIsPinned)
        #expect(pinned.clientPayloadOptions().version == WAAppVersion(2, 3000, 1_054_999_999))
        let source = WAVersionSource(configuration: pinned, fetcher: ScriptedFetcher { _ in [] })
        #expect(source.pinned == WAAppVersion(2, 3000, 1_054_999_999))
        #expect(source.cacheFile == "/home/u/.local/share/crm-whatsapp/app-version.json")
        let unpinned = try WAEngineConfiguration(environment: ["HOME": "/home/u"])
        #expect(unpinned.appVersion == .shipped && !unpinned.appVersionIsPinned)
        #expect(WAVersionSource(configuration: unpinned).pinned == nil)
        #expect(throws: WAEngineConfigurationError.invalidAppVersion) {
            _ = try WAEngineConfiguration(environment: ["HOME": "/home/u", "CRM_WHATSAPP_APP_VERSION": "latest"])
        }
    }
}

/// Serves one canned HTTP response per connection on loopback.
final class CannedHTTPHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let status: HTTPResponseStatus
    let body: [UInt8]
    let lock = NSLock()
    var requests: [HTTPRequestHead] = []

    init(status: HTTPResponseStatus, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            lock.withLock { requests.append(head) }
        case .body:
            break
        case .end:
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: "\(body.count)")
            headers.add(name: "Connection", value: "close")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}

@Suite struct WAHTTPFetcherTests {
    private func serve(_ handler: CannedHTTPHandler) async throws -> any Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    @Test func getReturnsTheBodyOfA200AndSendsBrowserHeaders() async throws {
        let body = Array(#"...{"client_revision":1054123456,"x":1}..."#.utf8)
        let handler = CannedHTTPHandler(status: .ok, body: body)
        let server = try await serve(handler)
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/sw.js"))
        let fetched = try await WAHTTPFetcher().get(url)
        #expect(fetched == body)
        #expect(WAVersionSource.parse(fetched) == WAAppVersion(2, 3000, 1_054_123_456))
        let request = try #require(handler.lock.withLock { handler.requests.first })
        #expect(request.uri == "/sw.js")
        #expect(request.headers.first(name: "Host") == "127.0.0.1:\(port)")
        #expect(request.headers.first(name: "User-Agent")?.hasPrefix("Mozilla/5.0") == true)
    }

    @Test func non200StatusIsAnError() async throws {
        let server = try await serve(CannedHTTPHandler(status: .found, body: []))
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        await #expect(throws: WAHTTPFetchError.status(302)) {
            _ = try await WAHTTPFetcher().get(try #require(URL(string: "http://127.0.0.1:\(port)/")))
        }
    }

    @Test func bodyAboveTheLimitIsRefused() async throws {
        let server = try await serve(CannedHTTPHandler(status: .ok, body: [UInt8](repeating: 0x41, count: 5000)))
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        await #expect(throws: WAHTTPFetchError.bodyTooLarge(limit: 1000)) {
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/"))
            _ = try await WAHTTPFetcher(maximumBodySize: 1000).get(url)
        }
    }

    @Test func silentServerTimesOut() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        await #expect(throws: WAHTTPFetchError.timedOut) {
            _ = try await WAHTTPFetcher(timeout: .milliseconds(200)).get(try #require(URL(string: "http://127.0.0.1:\(port)/")))
        }
    }

    @Test func versionSourceUsesTheFetcherEndToEnd() async throws {
        let handler = CannedHTTPHandler(status: .ok, body: Array(#""client_revision":1054000042,"#.utf8))
        let server = try await serve(handler)
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let dir = NSTemporaryDirectory() + "wa-version-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = WAVersionSource(
            cacheFile: dir + "/app-version.json", url: try #require(URL(string: "http://127.0.0.1:\(port)/sw.js")),
            fetcher: WAHTTPFetcher())
        #expect(await source.current() == (WAAppVersion(2, 3000, 1_054_000_042), .fetched))
    }
}
