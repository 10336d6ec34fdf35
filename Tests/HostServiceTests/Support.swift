import HostProtocol
@testable import HostService

/// A sink that keeps what the writer wrote, optionally slowly (a browser that reads late).
final class CollectingSink: FrameSink {
    private let state = Locked<(bytes: [UInt8], writes: Int)>(([], 0))
    let delayMicroseconds: UInt32
    /// While true, writes block (a browser that stopped reading).
    let blocked = Locked(false)

    init(delayMicroseconds: UInt32 = 0) { self.delayMicroseconds = delayMicroseconds }

    func write(_ bytes: [UInt8]) throws(IOFailure) {
        blocked.wait(until: { !$0 }) { _ in }
        if delayMicroseconds > 0 { usleep(delayMicroseconds) }
        state.withLock {
            $0.bytes += bytes
            $0.writes += 1
        }
    }

    var writes: Int { state.withLock { $0.writes } }

    /// The JSON bodies written so far, in order.
    var bodies: [String] {
        let bytes = state.withLock { $0.bytes }
        var decoder = NativeFrameDecoder(maximumFrameLength: NativeFrameEncoder.maximumMessageLength)
        decoder.append(bytes)
        var result: [String] = []
        while let frame = try? decoder.nextFrame() { result.append(String(decoding: frame, as: UTF8.self)) }
        return result
    }
}

/// Input fed by the test: `read` blocks until bytes arrive or the input is closed.
final class ScriptedSource: ByteSource {
    private let state = Locked<(pending: [UInt8], closed: Bool)>(([], false))

    func feed(_ bytes: [UInt8]) {
        state.withLock { $0.pending += bytes }
        state.broadcast()
    }

    func close() {
        state.withLock { $0.closed = true }
        state.broadcast()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOFailure) -> Int {
        state.wait(until: { !$0.pending.isEmpty || $0.closed }) { state in
            let count = min(buffer.count, state.pending.count)
            for index in 0..<count { buffer[index] = state.pending[index] }
            state.pending.removeFirst(count)
            return count
        }
    }
}

/// An engine that records what the session asked and emits the events the test chooses.
actor FakeEngine: HostEngine {
    nonisolated let events: AsyncStream<HostEngineEvent>
    private nonisolated let continuation: AsyncStream<HostEngineEvent>.Continuation
    private(set) var calls: [String] = []
    var current = EngineStatus(state: .unlinked)
    /// When set, `link` waits this long before answering (an engine that takes its time).
    var linkDelayMilliseconds = 0
    var linkError: HostEngineError?

    init() {
        (events, continuation) = AsyncStream.makeStream(of: HostEngineEvent.self)
    }

    nonisolated func emit(_ event: HostEngineEvent) { continuation.yield(event) }

    func configure(linkDelayMilliseconds: Int = 0, linkError: HostEngineError? = nil) {
        self.linkDelayMilliseconds = linkDelayMilliseconds
        self.linkError = linkError
    }

    var status: EngineStatus { current }

    func start() async { calls.append("start") }

    func link(_ method: HostLinkMethod) async throws(HostEngineError) -> EngineStatus {
        calls.append("link \(method)")
        if linkDelayMilliseconds > 0 { try? await Task.sleep(for: .milliseconds(linkDelayMilliseconds)) }
        if let linkError { throw linkError }
        current = EngineStatus(state: .linking, method: method == .qr ? .qr : .phone)
        continuation.yield(.status(current))
        return current
    }

    func cancelLink() async -> EngineStatus {
        calls.append("cancelLink")
        current = EngineStatus(state: .unlinked, reason: "cancelled")
        return current
    }

    func logout() async throws(HostEngineError) -> EngineStatus {
        calls.append("logout")
        throw .notLinked
    }

    func stop() async {
        calls.append("stop")
        continuation.finish()
    }
}

let testDiagnostics = DiagnosticsResult(
    hostVersion: "0.1.0", protocolVersion: 1, platform: "linux-x86_64", pid: 1,
    engine: EngineStatus(state: .unavailable), storePath: "/data",
    store: StoreStatus(exists: false, writable: false, mode: nil), logPath: nil, logTail: [])

func makeSession(
    engine: any HostEngine = NoEngine(), originAllowed: Bool = true, settingsProblem: HostSettingsError? = nil,
    source: any ByteSource = ScriptedSource(), sink: any FrameSink = CollectingSink(),
    limits: OutboundChannel.Limits = .init()
) -> HostSession {
    HostSession(
        context: HostContext(
            hostVersion: "0.1.0", storePath: "/data", originAllowed: originAllowed, settingsProblem: settingsProblem,
            diagnostics: { engine in
                var result = testDiagnostics
                result.engine = engine
                return result
            }),
        engine: engine, source: source, sink: sink, limits: limits)
}

/// Frames `text` as the browser would.
func frame(_ text: String) -> [UInt8] {
    let body = Array(text.utf8)
    let length = UInt32(body.count)
    return [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)] + body
}

/// The JSON body of a framed reply.
func body(of frame: [UInt8]) -> String {
    String(decoding: frame.dropFirst(4), as: UTF8.self)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
