/// Payloads and results of the `host.*` requests (PROTOCOL.md §Messages).

/// `host.hello` payload: `{extensionVersion?, protocolVersion?}`, both optional.
public struct HelloPayload: Equatable, Sendable {
    public var extensionVersion: String?
    public var protocolVersion: Int64?

    public init(extensionVersion: String? = nil, protocolVersion: Int64? = nil) {
        self.extensionVersion = extensionVersion
        self.protocolVersion = protocolVersion
    }

    public init(json: JSONValue?) throws(PayloadError) {
        let reader = try PayloadReader(json)
        extensionVersion = try reader.optionalString("extensionVersion", maxBytes: 64)
        protocolVersion = try reader.optionalInteger("protocolVersion")
    }
}

/// The engine part of `host.hello` and `host.diagnostics`: `{state}`.
public struct EngineSummary: Codable, Equatable, Sendable {
    public var state: EngineState

    public init(state: EngineState) { self.state = state }
}

/// `host.hello` result: versions, engine state and where the store lives.
public struct HelloResult: Codable, Equatable, Sendable {
    public var hostVersion: String
    public var protocolVersion: Int
    public var engine: EngineSummary
    public var storePath: String

    public init(hostVersion: String, protocolVersion: Int, engine: EngineSummary, storePath: String) {
        self.hostVersion = hostVersion
        self.protocolVersion = protocolVersion
        self.engine = engine
        self.storePath = storePath
    }
}

/// `host.ping` payload: `{echo?}`, any JSON value returned unchanged.
public struct PingPayload: Equatable, Sendable {
    public var echo: JSONValue?

    public init(echo: JSONValue? = nil) { self.echo = echo }

    public init(json: JSONValue?) throws(PayloadError) {
        let reader = try PayloadReader(json)
        echo = reader.members["echo"]
    }
}

/// `host.ping` result: `{pong: true, echo?}`.
public struct PingResult: Encodable, Equatable, Sendable {
    public var pong = true
    public var echo: JSONValue?

    public init(echo: JSONValue?) { self.echo = echo }
}

/// The store part of `host.diagnostics`.
public struct StoreStatus: Codable, Equatable, Sendable {
    /// The data directory exists.
    public var exists: Bool
    /// The host can create files in it.
    public var writable: Bool
    /// Its permission bits in octal (`"700"`), when it exists.
    public var mode: String?

    public init(exists: Bool, writable: Bool, mode: String?) {
        self.exists = exists
        self.writable = writable
        self.mode = mode
    }
}

/// `host.diagnostics` result: versions, store status and the log tail (which never holds secrets).
public struct DiagnosticsResult: Codable, Equatable, Sendable {
    public var hostVersion: String
    public var protocolVersion: Int
    /// `"linux"` or `"macos"`, plus the architecture: `"linux-x86_64"`.
    public var platform: String
    public var pid: Int32
    public var engine: EngineSummary
    public var storePath: String
    public var store: StoreStatus
    /// The current log file, or `nil` when logging to a file failed (stderr only).
    public var logPath: String?
    /// The last lines of the log file, oldest first (at most 50).
    public var logTail: [String]

    public init(
        hostVersion: String, protocolVersion: Int, platform: String, pid: Int32, engine: EngineSummary,
        storePath: String, store: StoreStatus, logPath: String?, logTail: [String]
    ) {
        self.hostVersion = hostVersion
        self.protocolVersion = protocolVersion
        self.platform = platform
        self.pid = pid
        self.engine = engine
        self.storePath = storePath
        self.store = store
        self.logPath = logPath
        self.logTail = logTail
    }
}
