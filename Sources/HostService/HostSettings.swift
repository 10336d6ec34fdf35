import HostProtocol

/// The host's settings: `<dataDir>/settings.json`, every member optional, each overridable by an
/// environment variable (PROTOCOL.md "Host process").
///
/// ```json
/// {"serverURL": "wss://127.0.0.1:8443/ws/chat", "rootPublicKey": "<32 bytes, hex or base64>",
///  "caFile": "/abs/path/ca.pem", "appVersion": "2.3000.1023456789"}
/// ```
///
/// A host started by the browser inherits none of our environment, so the file is how it finds a
/// simulator; the variables are for tests and development. Unknown members are ignored.
public struct HostSettings: Equatable, Sendable {
    /// The WhatsApp (or simulator) WebSocket URL: `wss://…`, or `ws://` to a loopback host.
    public var serverURL: String?
    /// The pinned root public key of the server certificate chain (X25519, 32 bytes).
    public var rootPublicKey: [UInt8]?
    /// A PEM file of extra trusted CA certificates (the simulator's), absolute path.
    public var caFile: String?
    /// The WhatsApp Web version the client announces: 3 or 4 dotted numbers, `2.3000.1023456789`.
    public var appVersion: String?

    public init(serverURL: String? = nil, rootPublicKey: [UInt8]? = nil, caFile: String? = nil, appVersion: String? = nil) {
        self.serverURL = serverURL
        self.rootPublicKey = rootPublicKey
        self.caFile = caFile
        self.appVersion = appVersion
    }

    public static let fileName = "settings.json"
    /// Largest settings file read, in bytes.
    public static let maximumFileLength = 65_536

    /// The environment variable overriding each member.
    public static let environmentVariables: [(member: String, variable: String)] = [
        ("serverURL", "CRM_WHATSAPP_SERVER_URL"),
        ("rootPublicKey", "CRM_WHATSAPP_ROOT_PUBKEY"),
        ("caFile", "CRM_WHATSAPP_CA_FILE"),
        ("appVersion", "CRM_WHATSAPP_APP_VERSION"),
    ]

    /// Reads ``HostPaths/settingsFile`` (absent is fine) and applies the environment: the IO edge.
    ///
    /// Also checks that `caFile` is a readable file.
    public static func load(paths: HostPaths, environment: [String: String]) throws(HostSettingsError) -> HostSettings {
        let path = paths.settingsFile
        var file: [UInt8]?
        if FileSystem.exists(path) {
            guard let bytes = FileSystem.readFile(path, limit: maximumFileLength) else {
                throw HostSettingsError(field: fileName, reason: "\(path) cannot be read or is larger than 64 KiB")
            }
            file = bytes
        }
        let settings = try parse(file: file, environment: environment)
        if let caFile = settings.caFile, FileSystem.readFile(caFile, limit: 1 << 20) == nil {
            throw HostSettingsError(field: "caFile", reason: "\(caFile) is not a readable file of at most 1 MiB")
        }
        return settings
    }

    /// Parses and validates the file's bytes (`nil` when there is no file) with the environment's overrides.
    public static func parse(file: [UInt8]?, environment: [String: String]) throws(HostSettingsError) -> HostSettings {
        var members: [String: JSONValue] = [:]
        if let file {
            guard case .object(let object)? = try? JSONParser.parse(file) else {
                throw HostSettingsError(field: fileName, reason: "is not a JSON object")
            }
            members = object
        }
        func value(_ member: String) throws(HostSettingsError) -> (text: String, source: String)? {
            let variable = environmentVariables.first { $0.member == member }!.variable
            if let override = environment[variable], !override.isEmpty { return (override, variable) }
            switch members[member] {
            case nil, .null?: return nil
            case .string(let text)?: return (text, fileName)
            default: throw HostSettingsError(field: member, reason: "must be a string (in \(fileName))")
            }
        }
        var settings = HostSettings()
        if let (text, source) = try value("serverURL") {
            if let problem = urlProblem(text) {
                throw HostSettingsError(field: "serverURL", reason: "\(problem) (from \(source))")
            }
            settings.serverURL = text
        }
        if let (text, source) = try value("rootPublicKey") {
            guard let key = Self.key(text) else {
                throw HostSettingsError(
                    field: "rootPublicKey", reason: "must be 32 bytes as 64 hex digits or base64 (from \(source))")
            }
            settings.rootPublicKey = key
        }
        if let (text, source) = try value("caFile") {
            guard text.hasPrefix("/"), !text.utf8.contains(0) else {
                throw HostSettingsError(field: "caFile", reason: "must be an absolute path (from \(source))")
            }
            settings.caFile = text
        }
        if let (text, source) = try value("appVersion") {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard (3...4).contains(parts.count),
                parts.allSatisfy({ (1...10).contains($0.utf8.count) && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } })
            else {
                throw HostSettingsError(
                    field: "appVersion", reason: "must be 3 or 4 numbers separated by dots, like 2.3000.1023456789 (from \(source))")
            }
            settings.appVersion = text
        }
        return settings
    }

    /// What is wrong with a server URL, or `nil` when it is usable.
    static func urlProblem(_ text: String) -> String? {
        guard text.utf8.count <= 2048 else { return "is longer than 2048 bytes" }
        guard text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return "must not contain spaces or control characters" }
        let secure = text.hasPrefix("wss://")
        guard secure || text.hasPrefix("ws://") else { return "must start with wss:// (or ws:// to this machine)" }
        let rest = text.dropFirst(secure ? 6 : 5)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@") else { return "must not contain a user name or password" }
        let host: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return "has an unclosed [ in its host" }
            host = authority[authority.index(after: authority.startIndex)..<close]
        } else {
            host = authority.prefix { $0 != ":" }
        }
        guard !host.isEmpty else { return "has no host" }
        if !secure, !["127.0.0.1", "::1", "localhost"].contains(host) {
            return "must use wss:// (ws:// is only allowed to 127.0.0.1, ::1 or localhost)"
        }
        return nil
    }

    /// 32 bytes from 64 hex digits or base64.
    static func key(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        if bytes.count == 64 {
            var key: [UInt8] = []
            var index = 0
            while index < 64 {
                guard let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) else { key = []; break }
                key.append(high << 4 | low)
                index += 2
            }
            if key.count == 32 { return key }
        }
        guard let decoded = Base64.decode(text), decoded.count == 32 else { return nil }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// An invalid setting: which one and why, in plain words (sent as `engineConfiguration` data, logged,
/// and shown by `doctor`).
public struct HostSettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The member (`serverURL`, ...), or `settings.json` for the file as a whole.
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field) \(reason)" }
}
