/// Payloads and results of the `host.*` requests (PROTOCOL.md §Messages).

/// `host.hello` payload: `{extensionVersion?, protocolVersion?}`, both optional.
public struct HelloPayload: PayloadDecodable, Equatable {
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

/// `host.hello` result: versions, engine state and where the store lives.
public struct HelloResult: JSONEncodable, Equatable, Sendable {
    public var hostVersion: String
    public var protocolVersion: Int
    public var engine: EngineStatus
    public var storePath: String

    public init(hostVersion: String, protocolVersion: Int, engine: EngineStatus, storePath: String) {
        self.hostVersion = hostVersion
        self.protocolVersion = protocolVersion
        self.engine = engine
        self.storePath = storePath
    }

    public func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("engine", engine)
            writer.member("hostVersion", hostVersion)
            writer.member("protocolVersion", protocolVersion)
            writer.member("storePath", storePath)
        }
    }
}

/// `host.ping` payload: `{echo?}`, any JSON value returned unchanged.
public struct PingPayload: PayloadDecodable, Equatable {
    public var echo: JSONValue?

    public init(echo: JSONValue? = nil) { self.echo = echo }

    public init(json: JSONValue?) throws(PayloadError) {
        let reader = try PayloadReader(json)
        echo = reader.members["echo"]
    }
}

/// `host.ping` result: `{pong: true, echo?}`.
public struct PingResult: JSONEncodable, Equatable, Sendable {
    public var pong = true
    public var echo: JSONValue?

    public init(echo: JSONValue?) { self.echo = echo }

    public func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("echo", echo)
            writer.member("pong", pong)
        }
    }
}

/// The store part of `host.diagnostics`.
public struct StoreStatus: JSONEncodable, Equatable, Sendable {
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

    public func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("exists", exists)
            writer.member("mode", mode)
            writer.member("writable", writable)
        }
    }
}

/// `host.diagnostics` result: versions, store status and the log tail (which never holds secrets).
public struct DiagnosticsResult: JSONEncodable, Equatable, Sendable {
    public var hostVersion: String
    public var protocolVersion: Int
    /// `"linux"` or `"macos"`, plus the architecture: `"linux-x86_64"`.
    public var platform: String
    public var pid: Int32
    public var engine: EngineStatus
    public var storePath: String
    public var store: StoreStatus
    /// The current log file, or `nil` when logging to a file failed (stderr only).
    public var logPath: String?
    /// The last lines of the log file, oldest first (at most 50).
    public var logTail: [String]

    public init(
        hostVersion: String, protocolVersion: Int, platform: String, pid: Int32, engine: EngineStatus,
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

    public func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("engine", engine)
            writer.member("hostVersion", hostVersion)
            writer.member("logPath", logPath)
            writer.member("logTail", logTail)
            writer.member("pid", pid)
            writer.member("platform", platform)
            writer.member("protocolVersion", protocolVersion)
            writer.member("store", store)
            writer.member("storePath", storePath)
        }
    }
}
