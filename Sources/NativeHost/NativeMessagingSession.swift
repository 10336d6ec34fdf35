#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HostProtocol
import Logging

/// The native-messaging loop: stdin → ``NativeFrameDecoder`` → ``HostDispatcher`` → ``StdoutFrameWriter``.
///
/// IO lives here and nowhere else. End of stdin means the browser closed the port
/// (docs/native-messaging.md §1.1, "Termination"): the session ends and the host exits 0.
/// Exit statuses: 0 after EOF or when stdout closes; 1 when the caller origin was refused;
/// 74 (`EX_IOERR`) when stdin or stdout fail otherwise.
enum NativeMessagingSession {
    static func run(origin: CallerOrigin) -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        // A launcher may hand us a blocked signal mask; Firefox stops hosts with SIGTERM, so unblock all.
        var none = sigset_t()
        sigemptyset(&none)
        sigprocmask(SIG_SETMASK, &none, nil)
        let environment = ProcessInfo.processInfo.environment
        let paths = HostPaths.resolve(environment: environment)
        let logFile = HostLogging.bootstrap(logDirectory: paths?.logDirectory, environment: environment)
        let logger = Logger(label: "crm-whatsapp-host")

        let storePath = paths?.dataDirectory ?? ""
        if paths == nil {
            logger.error("no data directory: set HOME or CRM_WHATSAPP_DATA_DIR")
        } else if !FileSystem.makeDirectory(storePath) {
            logger.error("cannot create the data directory", metadata: ["path": "\(storePath)"])
        }
        let allowed = origin.isAllowed(environment: environment)
        logger.info(
            "started",
            metadata: [
                "version": "\(HostProtocolVersion.hostVersion)", "pid": "\(getpid())",
                "origin": "\(describe(origin))", "allowed": "\(allowed)",
            ])
        if !allowed { logger.warning("caller origin is not an allowed extension; refusing") }

        let collector = DiagnosticsCollector(storePath: storePath, logPath: logFile?.path)
        let dispatcher = HostDispatcher(
            context: HostContext(
                hostVersion: HostProtocolVersion.hostVersion, storePath: storePath, originAllowed: allowed,
                diagnostics: { collector.collect() }))
        let status = serve(dispatcher: dispatcher, writer: StdoutFrameWriter(), logger: logger)
        let finalStatus = allowed ? status : 1
        logger.info("stopped", metadata: ["status": "\(finalStatus)"])
        return finalStatus
    }

    /// Reads frames until EOF and answers each one.
    static func serve(dispatcher: HostDispatcher, writer: StdoutFrameWriter, logger: Logger) -> Int32 {
        var decoder = NativeFrameDecoder()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                logger.error("reading stdin failed", metadata: ["errno": "\(errno)"])
                return 74
            }
            if count == 0 {
                if let truncation = decoder.finish() {
                    logger.warning("input ended inside a frame", metadata: ["detail": "\(truncation)"])
                }
                logger.info("stdin closed: the browser closed the port")
                return 0
            }
            decoder.append(chunk[0..<count])
            while true {
                let reply: HostReply
                do {
                    guard let frame = try decoder.nextFrame() else { break }
                    reply = dispatcher.reply(toFrame: frame)
                } catch {
                    logger.warning("frame rejected before buffering", metadata: ["detail": "\(error)"])
                    reply = dispatcher.reply(toRejectedFrame: error)
                }
                log(reply, logger)
                do {
                    try writer.write(reply.frame)
                } catch .closed {
                    logger.info("stdout closed: the browser went away")
                    return 0
                } catch {
                    logger.error("writing stdout failed", metadata: ["detail": "\(error)"])
                    return 74
                }
                if reply.endsSession { return 1 }
            }
        }
    }

    /// Logs what was answered, never the contents.
    private static func log(_ reply: HostReply, _ logger: Logger) {
        let type = reply.type?.rawValue ?? "-"
        let id = reply.requestID.map { "\($0)" } ?? "null"
        if let code = reply.errorCode {
            logger.notice("request failed", metadata: ["type": "\(type)", "id": "\(id)", "code": "\(code.rawValue)"])
        } else {
            logger.debug("request answered", metadata: ["type": "\(type)", "id": "\(id)", "bytes": "\(reply.frame.count)"])
        }
    }

    private static func describe(_ origin: CallerOrigin) -> String {
        switch origin {
        case .chromeExtension(let id): return "chrome-extension://\(id)/"
        case .firefoxAddon(let id): return "firefox:\(id)"
        case .none: return "none"
        case .unrecognized(let text): return "unrecognized:\(text)"
        }
    }
}
