import WACore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WANoise

/// Where the engine connects and what it trusts, read from the process environment.
///
/// With no variable set the engine talks to WhatsApp itself: `wss://web.whatsapp.com/ws/chat`, the pinned
/// WhatsApp Noise root key (docs/protocol/lower.md §2.5) and the system TLS trust store. Tests and local
/// development point it at `wa-sim` instead:
///
/// | Variable | Meaning |
/// |---|---|
/// | `CRM_WHATSAPP_SERVER_URL` | WebSocket URL, `ws://` or `wss://` (default: WhatsApp) |
/// | `CRM_WHATSAPP_ROOT_PUBKEY` | 32-byte Curve25519 Noise root public key, hex or base64 (default: WhatsApp's) |
/// | `CRM_WHATSAPP_CA_FILE` | PEM file of an extra TLS trust root (default: none, system store only) |
/// | `CRM_WHATSAPP_DATA_DIR` | directory for the account databases (default: `$XDG_DATA_HOME/crm-whatsapp`) |
/// | `CRM_WHATSAPP_APP_VERSION` | WhatsApp Web build to announce, `2.3000.<revision>` (default: fetched, see ``WAVersionSource``) |
///
/// Parsing is pure: it reads only the dictionary it is given and never touches the file system.
public struct WAEngineConfiguration: Sendable, Equatable {
    /// The WebSocket URL of the chat server (docs/protocol/lower.md §1.1).
    public var serverURL: URL
    /// The Noise certificate-chain root the server's intermediate certificate must be signed by (docs/protocol/lower.md §2.5).
    public var rootPublicKey: [UInt8]
    /// A PEM file whose certificates are trusted as TLS roots in addition to the system store.
    public var extraTrustRootsFile: String?
    /// Where the engine keeps its per-account databases.
    public var dataDirectory: String
    /// The WhatsApp Web build announced in the `ClientPayload` (docs/protocol/lower.md §3.4): the configured
    /// one when ``appVersionIsPinned``, else the fallback for when ``WAVersionSource`` cannot fetch one.
    public var appVersion: WAAppVersion
    /// True when `CRM_WHATSAPP_APP_VERSION` set ``appVersion``: it is used as is, never fetched.
    public var appVersionIsPinned: Bool

    /// `wss://web.whatsapp.com/ws/chat` (wm `socket/constants.go` `URL`).
    public static let whatsAppServerURL = URL(string: "wss://web.whatsapp.com/ws/chat")!
    /// The `Origin` header every connection sends (wm `socket/constants.go` `Origin`).
    public static let origin = "https://web.whatsapp.com"
    /// WhatsApp's Noise root public key (wm `handshake.go` `WACertPubKey`).
    public static let whatsAppRootPublicKey: [UInt8] = [
        0x14, 0x23, 0x75, 0x57, 0x4d, 0x0a, 0x58, 0x71, 0x66, 0xaa, 0xe7, 0x1e, 0xbe, 0x51, 0x64, 0x37,
        0xc4, 0xa2, 0x8b, 0x73, 0xe3, 0x69, 0x5c, 0x6c, 0xe1, 0xf7, 0xf9, 0x54, 0x5d, 0xa8, 0xee, 0x6b,
    ]

    public enum Variable {
        public static let serverURL = "CRM_WHATSAPP_SERVER_URL"
        public static let rootPublicKey = "CRM_WHATSAPP_ROOT_PUBKEY"
        public static let caFile = "CRM_WHATSAPP_CA_FILE"
        public static let dataDirectory = "CRM_WHATSAPP_DATA_DIR"
        public static let appVersion = "CRM_WHATSAPP_APP_VERSION"
    }

    /// - Parameter appVersion: a version to pin (never fetched); nil uses ``WAAppVersion/shipped`` as the
    ///   fallback of ``WAVersionSource``.
    public init(
        serverURL: URL, rootPublicKey: [UInt8], extraTrustRootsFile: String?, dataDirectory: String,
        appVersion: WAAppVersion? = nil
    ) {
        self.serverURL = serverURL
        self.rootPublicKey = rootPublicKey
        self.extraTrustRootsFile = extraTrustRootsFile
        self.dataDirectory = dataDirectory
        self.appVersion = appVersion ?? .shipped
        self.appVersionIsPinned = appVersion != nil
    }

    /// Reads the configuration from an environment dictionary (normally `ProcessInfo.processInfo.environment`).
    ///
    /// Empty values count as unset.
    /// - Throws: ``WAEngineConfigurationError`` naming the first variable that is present but malformed.
    public init(environment: [String: String]) throws(WAEngineConfigurationError) {
        func value(_ name: String) -> String? {
            guard let full = environment[name] else { return nil }
            let raw = full.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
            return raw.isEmpty ? nil : String(raw)
        }
        if let raw = value(Variable.serverURL) {
            self.serverURL = try Self.parseServerURL(raw)
        } else {
            self.serverURL = Self.whatsAppServerURL
        }
        if let raw = value(Variable.rootPublicKey) {
            self.rootPublicKey = try Self.parseRootPublicKey(raw)
        } else {
            self.rootPublicKey = Self.whatsAppRootPublicKey
        }
        if let raw = value(Variable.caFile) {
            guard raw.hasPrefix("/") else { throw .caFileNotAbsolute }
            self.extraTrustRootsFile = raw
        } else {
            self.extraTrustRootsFile = nil
        }
        if let raw = value(Variable.dataDirectory) {
            guard raw.hasPrefix("/") else { throw .dataDirectoryNotAbsolute }
            self.dataDirectory = raw
        } else if let xdg = value("XDG_DATA_HOME"), xdg.hasPrefix("/") {
            self.dataDirectory = xdg + "/crm-whatsapp"
        } else if let home = value("HOME"), home.hasPrefix("/") {
            self.dataDirectory = home + "/.local/share/crm-whatsapp"
        } else {
            throw .noDataDirectory
        }
        if let raw = value(Variable.appVersion) {
            guard let version = WAAppVersion(raw) else { throw .invalidAppVersion }
            self.appVersion = version
            self.appVersionIsPinned = true
        } else {
            self.appVersion = .shipped
            self.appVersionIsPinned = false
        }
    }

    /// The `ClientPayload` options announcing `version` (the one ``WAVersionSource`` resolved), or
    /// ``appVersion`` when none is given.
    public func clientPayloadOptions(appVersion version: WAAppVersion? = nil) -> WAClientPayloadOptions {
        WAClientPayloadOptions(appVersion: version ?? appVersion)
    }

    /// True when every server setting is WhatsApp's own (URL, root key, no extra trust root).
    public var talksToWhatsApp: Bool {
        serverURL == Self.whatsAppServerURL && rootPublicKey == Self.whatsAppRootPublicKey
            && extraTrustRootsFile == nil
    }

    static func parseServerURL(_ raw: String) throws(WAEngineConfigurationError) -> URL {
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(),
            let host = url.host, !host.isEmpty
        else { throw .invalidServerURL }
        guard scheme == "ws" || scheme == "wss" else { throw .unsupportedServerURLScheme }
        return url
    }

    /// Accepts 64 hex digits or the base64 (standard or URL-safe, padded or not) of 32 bytes.
    static func parseRootPublicKey(_ raw: String) throws(WAEngineConfigurationError) -> [UInt8] {
        if raw.count == 64, let bytes = Hex.decode(raw) {
            return bytes
        }
        var b64 = String(raw.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        while b64.count % 4 != 0 { b64.append("=") }
        guard let data = Data(base64Encoded: b64) else { throw .invalidRootPublicKey }
        guard data.count == 32 else { throw .rootPublicKeyWrongLength(data.count) }
        return [UInt8](data)
    }
}

/// Why ``WAEngineConfiguration/init(environment:)`` refused the environment.
public enum WAEngineConfigurationError: Error, Equatable, Sendable {
    /// `CRM_WHATSAPP_SERVER_URL` is not a URL with a host.
    case invalidServerURL
    /// `CRM_WHATSAPP_SERVER_URL` is neither `ws://` nor `wss://`.
    case unsupportedServerURLScheme
    /// `CRM_WHATSAPP_ROOT_PUBKEY` is neither 64 hex digits nor base64.
    case invalidRootPublicKey
    /// `CRM_WHATSAPP_ROOT_PUBKEY` decodes to this many bytes instead of 32.
    case rootPublicKeyWrongLength(Int)
    /// `CRM_WHATSAPP_CA_FILE` must be an absolute path.
    case caFileNotAbsolute
    /// `CRM_WHATSAPP_DATA_DIR` must be an absolute path.
    case dataDirectoryNotAbsolute
    /// Neither `CRM_WHATSAPP_DATA_DIR`, `XDG_DATA_HOME` nor `HOME` is set.
    case noDataDirectory
    /// `CRM_WHATSAPP_APP_VERSION` is not three dot-separated numbers such as `2.3000.1049558099`.
    case invalidAppVersion
}
