import HostProtocol
import Testing
@testable import HostService

/// The whole session in-process: reader, message table, engine hookup and the single writer.
@Suite struct HostSessionTests {
    static let hello = #"{"id":1,"type":"host.hello","payload":{}}"#

    /// Polls `condition` until it holds or ten seconds pass (CI machines are loaded).
    func eventually(_ condition: () async -> Bool) async -> Bool {
        for _ in 0..<2000 {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return await condition()
    }

    @Test func helloStartsTheEngineAndReportsItsStatus() async throws {
        let engine = FakeEngine()
        let source = ScriptedSource(), sink = CollectingSink()
        let session = makeSession(engine: engine, source: source, sink: sink)
        let run = Task { await session.run() }
        source.feed(frame(Self.hello) + frame(#"{"id":2,"type":"engine.status"}"#))
        #expect(await eventually { sink.bodies.count == 2 })
        #expect(sink.bodies.first == #"{"id":1,"result":{"engine":{"state":"unlinked"},"hostVersion":"0.1.0","protocolVersion":1,"storePath":"/data"}}"#)
        #expect(sink.bodies.last == #"{"id":2,"result":{"state":"unlinked"}}"#)
        source.close()
        #expect(await run.value == 0)
        #expect(await engine.calls == ["start", "stop"])
    }

    @Test func engineEventsBecomeHostEventsInterleavedWithReplies() async throws {
        let engine = FakeEngine()
        let source = ScriptedSource(), sink = CollectingSink()
        let session = makeSession(engine: engine, source: source, sink: sink)
        let run = Task { await session.run() }
        source.feed(frame(Self.hello))
        #expect(await eventually { sink.bodies.count == 1 })
        engine.emit(.qr(code: "https://wa.me/settings/linked_devices#r,n,i,a,web", png: [0x89, 0x50, 0x4E, 0x47], expiresAt: 5, index: 1))
        source.feed(frame(#"{"id":2,"type":"host.ping"}"#))
        engine.emit(.pairingCode(code: "ABCD1234", expiresAt: 6))
        engine.emit(.identityChanged(jid: "1@s.whatsapp.net"))
        source.feed(frame(#"{"id":3,"type":"link.start","payload":{"method":"phone","phone":"+15551234567"}}"#))
        #expect(await eventually { sink.bodies.count == 7 })
        let bodies = sink.bodies
        #expect(bodies.contains(#"{"payload":{"code":"https://wa.me/settings/linked_devices#r,n,i,a,web","expiresAt":5,"index":1,"pngBase64":"iVBORw=="},"type":"link.qr"}"#))
        #expect(bodies.contains(#"{"payload":{"code":"ABCD1234","expiresAt":6},"type":"link.pairingCode"}"#))
        #expect(bodies.contains(#"{"payload":{"jid":"1@s.whatsapp.net"},"type":"contact.identityChanged"}"#))
        #expect(bodies.contains(#"{"id":2,"result":{"pong":true}}"#))
        #expect(bodies.contains(#"{"id":3,"result":{"method":"phone","state":"linking"}}"#))
        #expect(bodies.contains(#"{"payload":{"method":"phone","state":"linking"},"type":"engine.state"}"#))
        #expect(await engine.calls.contains("link phoneNumber(\"15551234567\")"))
        source.close()
        #expect(await run.value == 0)
    }

    @Test func engineErrorsKeepTheirCodes() async throws {
        let engine = FakeEngine()
        await engine.configure(linkError: .alreadyLinked)
        let session = makeSession(engine: engine)
        #expect(body(of: await session.reply(toFrame: Array(#"{"id":1,"type":"link.start","payload":{"method":"qr"}}"#.utf8)).frame)
            == #"{"error":{"code":22,"message":"a WhatsApp account is already linked; log out first"},"id":1}"#)
        #expect(body(of: await session.reply(toFrame: Array(#"{"id":2,"type":"engine.logout"}"#.utf8)).frame)
            == #"{"error":{"code":21,"message":"no WhatsApp account is linked"},"id":2}"#)
        #expect(body(of: await session.reply(toFrame: Array(#"{"id":3,"type":"link.cancel"}"#.utf8)).frame)
            == #"{"id":3,"result":{"reason":"cancelled","state":"unlinked"}}"#)
        await engine.configure(linkError: .busy)
        #expect(await session.reply(toFrame: Array(#"{"id":4,"type":"link.start","payload":{"method":"qr"}}"#.utf8)).errorCode == .engineBusy)
    }

    @Test func invalidSettingsMakeEngineRequestsEngineConfiguration() async throws {
        let problem = HostSettingsError(field: "serverURL", reason: "must start with wss://")
        let session = makeSession(engine: NoEngine(configurationProblem: problem), settingsProblem: problem)
        #expect(body(of: await session.reply(toFrame: Array(Self.hello.utf8)).frame).contains(
            #""engine":{"message":"serverURL must start with wss://","reason":"configuration","state":"unavailable"}"#))
        #expect(body(of: await session.reply(toFrame: Array(#"{"id":2,"type":"link.start","payload":{"method":"qr"}}"#.utf8)).frame)
            == #"{"error":{"code":24,"data":{"field":"serverURL","reason":"must start with wss://"},"message":"invalid setting serverURL: must start with wss://"},"id":2}"#)
        #expect(await session.reply(toFrame: Array(#"{"id":3,"type":"engine.status"}"#.utf8)).errorCode == .engineConfiguration)
    }

    @Test func aSlowEngineCallDoesNotHoldBackOtherRequests() async throws {
        let engine = FakeEngine()
        await engine.configure(linkDelayMilliseconds: 300)
        let source = ScriptedSource(), sink = CollectingSink()
        let session = makeSession(engine: engine, source: source, sink: sink)
        let run = Task { await session.run() }
        source.feed(frame(Self.hello) + frame(#"{"id":2,"type":"link.start","payload":{"method":"qr"}}"#) + frame(#"{"id":3,"type":"host.ping"}"#))
        #expect(await eventually { sink.bodies.contains { $0.hasPrefix(#"{"id":2,"#) } })
        let bodies = sink.bodies
        let ping = try #require(bodies.firstIndex(of: #"{"id":3,"result":{"pong":true}}"#))
        let link = try #require(bodies.firstIndex { $0.hasPrefix(#"{"id":2,"result""#) })
        #expect(ping < link)
        source.close()
        #expect(await run.value == 0)
    }

    @Test func aBrowserThatStopsReadingNeverBlocksTheEngineAndSupersededEventsAreCoalesced() async throws {
        let engine = FakeEngine()
        let source = ScriptedSource(), sink = CollectingSink()
        let session = makeSession(
            engine: engine, source: source, sink: sink, limits: .init(maximumEventBytes: 4096))
        let run = Task { await session.run() }
        source.feed(frame(Self.hello))
        #expect(await eventually { sink.bodies.count == 1 })
        sink.blocked.withLock { $0 = true }
        // One more frame so the writer is stuck inside write(2) with the browser not reading.
        source.feed(frame(#"{"id":2,"type":"host.ping"}"#))
        try? await Task.sleep(for: .milliseconds(20))
        for index in 1...2000 {
            engine.emit(.qr(code: "ref-\(index)", png: [1, 2, 3], expiresAt: Int64(index), index: index))
            engine.emit(.status(EngineStatus(state: .linking, method: .qr, retryAt: Int64(index))))
            engine.emit(.identityChanged(jid: "\(index)@s.whatsapp.net"))
        }
        // Every QR and state but the newest of each is superseded while the browser is not reading.
        #expect(await eventually { session.channel.statistics.eventsSuperseded == 2 * 1999 })
        let statistics = session.channel.statistics
        #expect(statistics.largestQueuedBytes <= 4096 + 512)
        #expect(statistics.eventsDropped > 0)
        sink.blocked.withLock { $0 = false }
        sink.blocked.broadcast()
        #expect(await eventually { sink.bodies.contains { $0.contains(#""code":"ref-2000""#) } })
        let bodies = sink.bodies
        // Only the newest QR and state survive, and the newest state is written after every older event.
        #expect(bodies.filter { $0.contains(#""type":"link.qr""#) }.count == 1)
        #expect(bodies.last { $0.contains(#""type":"engine.state""#) }?.contains(#""retryAt":2000"#) == true)
        #expect(bodies.contains(#"{"id":2,"result":{"pong":true}}"#))
        source.close()
        #expect(await run.value == 0)
    }

    @Test func repliesAreNeverDroppedForASlowReader() async throws {
        let source = ScriptedSource(), sink = CollectingSink(delayMicroseconds: 200)
        let session = makeSession(source: source, sink: sink, limits: .init(pauseReadingBytes: 2048, maximumRequestsInFlight: 4))
        let run = Task { await session.run() }
        var input: [UInt8] = []
        for id in 0..<500 { input += frame(#"{"id":\#(id),"type":"host.ping","payload":{"echo":"\#(String(repeating: "x", count: 100))"}}"#) }
        source.feed(input)
        source.close()
        #expect(await run.value == 0)
        let bodies = sink.bodies
        #expect(bodies.count == 500)
        #expect(bodies.enumerated().allSatisfy { $0.element.hasPrefix(#"{"id":\#($0.offset),"result""#) })
        #expect(session.channel.statistics.largestQueuedBytes <= 2048 + 200)
    }

    @Test func pipelinedRepliesAreBatchedIntoFewWrites() async throws {
        let source = ScriptedSource(), sink = CollectingSink(delayMicroseconds: 1000)
        let session = makeSession(source: source, sink: sink)
        let run = Task { await session.run() }
        var input: [UInt8] = []
        for id in 0..<300 { input += frame(#"{"id":\#(id),"type":"host.ping"}"#) }
        source.feed(input)
        source.close()
        #expect(await run.value == 0)
        #expect(sink.bodies.count == 300)
        #expect(sink.writes < 300)
    }

    @Test func endOfInputStopsTheEngineAndExitsZero() async throws {
        let engine = FakeEngine()
        let source = ScriptedSource(), sink = CollectingSink()
        let session = makeSession(engine: engine, source: source, sink: sink)
        let run = Task { await session.run() }
        source.feed(frame(Self.hello) + Array(frame(#"{"id":2,"type":"host.ping"}"#).dropLast(3)))
        source.close()
        #expect(await run.value == 0)
        #expect(await engine.calls.last == "stop")
        #expect(sink.bodies.count == 1)
    }

    @Test func refusedOriginIsAnsweredOnceAndEndsWithStatusOne() async throws {
        let engine = FakeEngine()
        let source = ScriptedSource(), sink = CollectingSink()
        let session = makeSession(engine: engine, originAllowed: false, source: source, sink: sink)
        let run = Task { await session.run() }
        source.feed(frame(Self.hello) + frame(#"{"id":2,"type":"host.ping"}"#))
        #expect(await run.value == 1)
        #expect(sink.bodies == [#"{"error":{"code":8,"message":"caller origin is not an allowed extension"},"id":1}"#])
        #expect(await engine.calls.isEmpty)
    }

    @Test func stdoutClosedEndsTheSessionWithZero() async throws {
        struct ClosedSink: FrameSink {
            func write(_ bytes: [UInt8]) throws(IOFailure) { throw .closed }
        }
        let source = ScriptedSource()
        let session = makeSession(source: source, sink: ClosedSink())
        let run = Task { await session.run() }
        for id in 0..<10 { source.feed(frame(#"{"id":\#(id),"type":"host.ping"}"#)) }
        #expect(await eventually { session.channel.failure == .closed })
        source.feed(frame(#"{"id":99,"type":"host.ping"}"#))
        #expect(await run.value == 0)
    }
}
