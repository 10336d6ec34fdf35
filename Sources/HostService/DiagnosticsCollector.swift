import HostProtocol

/// Gathers `host.diagnostics`: versions, store directory status and the log tail.
///
/// The log never holds secrets, keys or message bodies (the host logs only types, ids, error codes and
/// sizes), so its tail can be shown to the user as is.
public struct DiagnosticsCollector: Sendable {
    public let storePath: String
    public let logPath: String?
    static let tailLineCount = 50
    static let tailByteLimit = 32_768

    public init(storePath: String, logPath: String?) {
        self.storePath = storePath
        self.logPath = logPath
    }

    public func collect(engine: EngineStatus) -> DiagnosticsResult {
        let mode = FileSystem.mode(storePath)
        let store = StoreStatus(
            exists: mode != nil, writable: mode != nil && FileSystem.isWritable(storePath),
            mode: mode.map(FileSystem.octalPermissions))
        return DiagnosticsResult(
            hostVersion: HostProtocolVersion.hostVersion, protocolVersion: HostProtocolVersion.current,
            platform: Self.platform, pid: getpid(), engine: engine,
            storePath: storePath, store: store, logPath: logPath, logTail: logTail())
    }

    private func logTail() -> [String] {
        guard let logPath, let bytes = FileSystem.readTail(logPath, limit: Self.tailByteLimit) else { return [] }
        var lines = bytes.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
        // The first line may be cut by the byte limit; drop it unless the whole file fit.
        if bytes.count == Self.tailByteLimit, !lines.isEmpty { lines.removeFirst() }
        return Array(lines.suffix(Self.tailLineCount))
    }

    public static var platform: String {
        #if os(macOS)
        let system = "macos"
        #else
        let system = "linux"
        #endif
        #if arch(x86_64)
        return system + "-x86_64"
        #elseif arch(arm64)
        return system + "-arm64"
        #else
        return system
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
