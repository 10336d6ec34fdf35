import HostProtocol
import Logging

/// One native-messaging session: stdin → ``NativeFrameDecoder`` → ``HostRouter`` → handlers →
/// ``OutboundChannel`` → stdout, with the engine's events merged into the same channel.
///
/// Threads: a reader thread does the blocking reads, decodes frames and starts each handler with
/// `Task.immediate`, so a handler that does not suspend (ping, hello once started, every error) runs to
/// its reply right there, with no hop; a handler that awaits the engine continues on the concurrency
/// pool. The channel's writer thread does the blocking writes. Neither blocks the pool.
///
/// End of stdin means the browser closed the port (docs/native-messaging.md §1.1, "Termination"): the
/// session waits briefly for unanswered requests, stops the engine, writes what is queued and returns 0.
/// Exit statuses: 0 after EOF or when stdout closes; 1 when the caller origin was refused (answered
/// once, to the first frame); 74 (`EX_IOERR`) when stdin or stdout fail otherwise.
public final class HostSession: Sendable {
    public let context: HostContext
    public let engine: any HostEngine
    public let channel: OutboundChannel
    private let source: any ByteSource
    private let logger: Logger
    private let router: HostRouter
    private let engineStart: Locked<EngineTasks?>

    /// How long EOF waits for unanswered requests, and for the writer, before giving up (seconds).
    public static let shutdownGrace = 2.0

    public init(
        context: HostContext, engine: any HostEngine, source: any ByteSource, sink: any FrameSink,
        limits: OutboundChannel.Limits = .init(), logger: Logger = Logger(label: "crm-whatsapp-host")
    ) {
        self.context = context
        self.engine = engine
        self.source = source
        self.logger = logger
        let channel = OutboundChannel(sink: sink, limits: limits)
        self.channel = channel
        let engineStart = Locked<EngineTasks?>(nil)
        self.engineStart = engineStart
        router = Self.makeRouter(
            HostHandlers(context: context, engine: engine, channel: channel, engineStart: engineStart, logger: logger))
    }

    /// The message table: every request of protocol 1 and its handler. Adding a request is one line here
    /// (plus its ``HostRequest`` type in HostProtocol and its section in PROTOCOL.md).
    static func makeRouter(_ handlers: HostHandlers) -> HostRouter {
        var router = HostRouter()
        router.register(HostHelloRequest.self, barrier: true) { _ in await handlers.hello() }
        router.register(HostPingRequest.self) { payload in PingResult(echo: payload.echo) }
        router.register(HostDiagnosticsRequest.self) { _ in handlers.context.diagnostics(await handlers.engine.status) }
        router.register(EngineStatusRequest.self) { _ throws(HostError) in try await handlers.usableEngineStatus() }
        router.register(LinkStartRequest.self) { payload throws(HostError) in try await handlers.linkStart(payload) }
        router.register(LinkCancelRequest.self) { _ throws(HostError) in
            _ = try await handlers.usableEngineStatus()
            return await handlers.engine.cancelLink()
        }
        router.register(EngineLogoutRequest.self) { _ throws(HostError) in
            _ = try await handlers.usableEngineStatus()
            return try await handlers.engineCall { () throws(HostEngineError) in try await handlers.engine.logout() }
        }
        router.register(MessageSendRequest.self) { _ throws(HostError) in
            _ = try await handlers.usableEngineStatus()
            throw .engineUnavailable  // Sending is issue 13's; the payload is validated already.
        }
        return router
    }

    /// The registered request types (for tests: PROTOCOL.md documents each).
    public var requestTypes: [String] { router.requestTypes }

    /// Answers one frame body without the reader and the writer (tests, fuzzing): the refusal when the
    /// origin is not allowed, else what the message table answers.
    public func reply(toFrame frame: [UInt8]) async -> HostReply {
        guard context.originAllowed else { return HostRouter.refusal(toFrame: frame) }
        return await router.reply(toFrame: frame)
    }

    /// Serves until end of input; returns the exit status.
    public func run() async -> Int32 {
        channel.start()
        let status = await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            startThread { [self] in continuation.resume(returning: self.readLoop()) }
        }
        if let tasks = engineStart.withLock({ $0 }) {
            tasks.forwarding.cancel()
            await engine.stop()
            logger.info("engine stopped")
        }
        await channel.finish(timeout: Self.shutdownGrace)
        let statistics = channel.statistics
        if statistics.eventsDropped > 0 || statistics.eventsSuperseded > 0 {
            logger.notice(
                "slow browser: events coalesced or dropped",
                metadata: ["superseded": "\(statistics.eventsSuperseded)", "dropped": "\(statistics.eventsDropped)"])
        }
        return status
    }

    // MARK: Reader thread

    private func readLoop() -> Int32 {
        var decoder = NativeFrameDecoder()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let failure = channel.waitForRoom() { return exitStatus(for: failure) }
            let count: Int
            do {
                count = try chunk.withUnsafeMutableBytes { raw in try source.read(into: raw) }
            } catch {
                logger.error("reading stdin failed", metadata: ["detail": "\(error)"])
                return 74
            }
            if count == 0 {
                if let truncation = decoder.finish() {
                    logger.warning("input ended inside a frame", metadata: ["detail": "\(truncation)"])
                }
                logger.info("stdin closed: the browser closed the port")
                channel.waitUntilAnswered(timeout: Self.shutdownGrace)
                return 0
            }
            decoder.append(chunk[0..<count])
            while true {
                let frame: [UInt8]
                do {
                    guard let next = try decoder.nextFrame() else { break }
                    frame = next
                } catch {
                    logger.warning("frame rejected before buffering", metadata: ["detail": "\(error)"])
                    guard context.originAllowed else { return refuse(frame: nil) }
                    let reply = HostRouter.reply(toRejectedFrame: error)
                    log(reply)
                    channel.write(reply.frame)
                    continue
                }
                guard context.originAllowed else { return refuse(frame: frame) }
                if let failure = channel.waitForRoom() { return exitStatus(for: failure) }
                dispatch(frame)
            }
        }
    }

    private func dispatch(_ frame: [UInt8]) {
        switch router.route(frame: frame) {
        case .reply(let reply):
            log(reply)
            channel.write(reply.frame)
        case .handle(let route, let request, let barrier):
            channel.requestStarted()
            let work: @Sendable () async -> Void = { [channel, logger] in
                let reply = await route(request.payload, request.id)
                Self.log(reply, logger)
                channel.reply(reply.frame)
            }
            if #available(macOS 26.0, *) {
                Task.immediate(operation: work)
            } else {
                Task(operation: work)
            }
            // `host.hello` is answered before anything read after it (its reply opens the session).
            if barrier { channel.waitUntilAnswered(timeout: 30) }
        }
    }

    private func refuse(frame: [UInt8]?) -> Int32 {
        let reply = HostRouter.refusal(toFrame: frame)
        log(reply)
        channel.write(reply.frame)
        return 1
    }

    private func exitStatus(for failure: IOFailure) -> Int32 {
        if failure == .closed {
            logger.info("stdout closed: the browser went away")
            return 0
        }
        logger.error("writing stdout failed", metadata: ["detail": "\(failure)"])
        return 74
    }

    private func log(_ reply: HostReply) { Self.log(reply, logger) }

    /// Logs what was answered, never the contents.
    private static func log(_ reply: HostReply, _ logger: Logger) {
        if let code = reply.errorCode {
            logger.notice(
                "request failed",
                metadata: [
                    "type": "\(reply.type ?? "-")", "id": "\(reply.requestID.map { "\($0)" } ?? "null")",
                    "code": "\(code.rawValue)",
                ])
        } else if logger.logLevel <= .debug {
            logger.debug(
                "request answered",
                metadata: [
                    "type": "\(reply.type ?? "-")", "id": "\(reply.requestID.map { "\($0)" } ?? "null")",
                    "bytes": "\(reply.frame.count)",
                ])
        }
    }
}

/// What the handlers need, and the request logic that is more than one line.
struct HostHandlers: Sendable {
    let context: HostContext
    let engine: any HostEngine
    let channel: OutboundChannel
    let engineStart: Locked<EngineTasks?>
    let logger: Logger

    /// `host.hello`: starts the engine once (and the forwarding of its events), waits for it, reports.
    func hello() async -> HelloResult {
        let tasks = engineStart.withLock { tasks -> EngineTasks in
            if let tasks { return tasks }
            let start = Task { [engine, logger] in
                await engine.start()
                logger.info("engine started")
            }
            let forwarding = Task { [engine, channel] in
                await start.value
                for await event in engine.events {
                    if Task.isCancelled { break }
                    Self.forward(event, to: channel)
                }
            }
            tasks = EngineTasks(start: start, forwarding: forwarding)
            return tasks!
        }
        await tasks.start.value
        return HelloResult(
            hostVersion: context.hostVersion, protocolVersion: HostProtocolVersion.current, engine: await engine.status,
            storePath: context.storePath)
    }

    /// Sends one engine event as its host event.
    static func forward(_ event: HostEngineEvent, to channel: OutboundChannel) {
        switch event {
        case .status(let status):
            channel.send(EngineStateEvent.self, status)
        case .qr(let code, let png, let expiresAt, let index):
            channel.send(
                LinkQREvent.self, LinkQR(code: code, pngBase64: Base64.encode(png), expiresAt: expiresAt, index: index))
        case .pairingCode(let code, let expiresAt):
            channel.send(LinkPairingCodeEvent.self, LinkPairingCode(code: code, expiresAt: expiresAt))
        case .identityChanged(let jid):
            channel.send(ContactIdentityChangedEvent.self, ContactIdentityChanged(jid: jid))
        }
    }

    /// The engine's status, or the error every engine request gets while it is `unavailable`:
    /// `engineConfiguration` when the settings are invalid, else `engineUnavailable`.
    func usableEngineStatus() async throws(HostError) -> EngineStatus {
        let status = await engine.status
        guard status.state == .unavailable else { return status }
        if let problem = context.settingsProblem {
            throw .engineConfiguration(field: problem.field, reason: problem.reason)
        }
        throw .engineUnavailable
    }

    func linkStart(_ payload: LinkStartPayload) async throws(HostError) -> EngineStatus {
        _ = try await usableEngineStatus()
        let method: HostLinkMethod
        switch payload.method {
        case .qr: method = .qr
        case .phone: method = .phoneNumber(payload.phone ?? "")
        }
        return try await engineCall { () throws(HostEngineError) in try await engine.link(method) }
    }

    /// Runs an engine call, mapping its error to the wire error.
    func engineCall(_ call: () async throws(HostEngineError) -> EngineStatus) async throws(HostError) -> EngineStatus {
        do {
            return try await call()
        } catch {
            throw error.hostError
        }
    }
}

/// The engine's start and the forwarding of its events, created by the first `host.hello`.
struct EngineTasks: Sendable {
    let start: Task<Void, Never>
    let forwarding: Task<Void, Never>
}

/// What the session knows about the running host.
public struct HostContext: Sendable {
    public var hostVersion: String
    public var storePath: String
    /// False when the caller origin is not an allowed extension: the first frame is refused, then the end.
    public var originAllowed: Bool
    /// Set when the settings are invalid (engine requests then get `engineConfiguration`).
    public var settingsProblem: HostSettingsError?
    /// Collects `host.diagnostics` (reads the log tail and the store directory: the IO edge).
    public var diagnostics: @Sendable (EngineStatus) -> DiagnosticsResult

    public init(
        hostVersion: String, storePath: String, originAllowed: Bool, settingsProblem: HostSettingsError? = nil,
        diagnostics: @escaping @Sendable (EngineStatus) -> DiagnosticsResult
    ) {
        self.hostVersion = hostVersion
        self.storePath = storePath
        self.originAllowed = originAllowed
        self.settingsProblem = settingsProblem
        self.diagnostics = diagnostics
    }
}
