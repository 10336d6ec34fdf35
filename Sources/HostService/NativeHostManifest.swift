import HostProtocol

/// A native-messaging host manifest as a browser reads it, and what is wrong with one.
///
/// Chrome native messaging, "Native messaging host": `{name, description, path, type: "stdio",
/// allowed_origins: ["chrome-extension://<id>/"]}`; the trailing slash is required and `path` must be
/// absolute on Linux and macOS. Firefox (MDN, "Native manifests") uses `allowed_extensions` instead.
public struct NativeHostManifest: Equatable, Sendable {
    public var name: String?
    public var description: String?
    public var path: String?
    public var type: String?
    public var allowedOrigins: [String]?
    public var allowedExtensions: [String]?

    public init(
        name: String?, description: String?, path: String?, type: String?, allowedOrigins: [String]?,
        allowedExtensions: [String]?
    ) {
        self.name = name
        self.description = description
        self.path = path
        self.type = type
        self.allowedOrigins = allowedOrigins
        self.allowedExtensions = allowedExtensions
    }

    /// Largest manifest file read, in bytes.
    public static let maximumFileLength = 65_536

    /// A problem with a manifest, each with a fix the user can apply.
    public enum Problem: Equatable, Sendable {
        case notJSON
        case wrongName(String?)
        case wrongType(String?)
        case pathNotAbsolute(String?)
        case extensionNotAllowed(expected: String)

        /// What to tell the user.
        public var explanation: String {
            switch self {
            case .notJSON: return "the manifest is not valid JSON"
            case .wrongName(let name):
                return "\"name\" is \(name.map { "\"\($0)\"" } ?? "missing"), expected \"\(HostProtocolVersion.nativeHostName)\""
            case .wrongType(let type): return "\"type\" is \(type.map { "\"\($0)\"" } ?? "missing"), expected \"stdio\""
            case .pathNotAbsolute(let path): return "\"path\" \(path.map { "\"\($0)\"" } ?? "is missing") is not absolute"
            case .extensionNotAllowed(let expected): return "the extension \(expected) is not allowed by the manifest"
            }
        }
    }

    /// Decodes a manifest file's bytes.
    ///
    /// - Returns: `nil` when the bytes are not a JSON object, or a known member has the wrong type.
    public static func decode(_ bytes: [UInt8]) -> NativeHostManifest? {
        guard case .object(let members)? = try? JSONParser.parse(bytes) else { return nil }
        func string(_ key: String) -> String?? {
            switch members[key] {
            case nil, .null?: return .some(nil)
            case .string(let value)?: return .some(value)
            default: return nil
            }
        }
        func strings(_ key: String) -> [String]?? {
            switch members[key] {
            case nil, .null?: return .some(nil)
            case .array(let elements)?:
                let values = elements.compactMap(\.stringValue)
                return values.count == elements.count ? .some(values) : nil
            default: return nil
            }
        }
        guard let name = string("name"), let description = string("description"), let path = string("path"),
            let type = string("type"), let origins = strings("allowed_origins"),
            let extensions = strings("allowed_extensions")
        else { return nil }
        return NativeHostManifest(
            name: name, description: description, path: path, type: type, allowedOrigins: origins,
            allowedExtensions: extensions)
    }

    /// Checks the fields a browser needs to start this host for our extension.
    ///
    /// - Parameter firefox: true for a Firefox manifest (`allowed_extensions`).
    public func problems(firefox: Bool) -> [Problem] {
        var problems: [Problem] = []
        if name != HostProtocolVersion.nativeHostName { problems.append(.wrongName(name)) }
        if type != "stdio" { problems.append(.wrongType(type)) }
        if !(path?.hasPrefix("/") ?? false) { problems.append(.pathNotAbsolute(path)) }
        if firefox {
            if !(allowedExtensions ?? []).contains(CallerOrigin.firefoxAddonID) {
                problems.append(.extensionNotAllowed(expected: CallerOrigin.firefoxAddonID))
            }
        } else {
            let origin = "chrome-extension://\(CallerOrigin.chromeExtensionID)/"
            if !(allowedOrigins ?? []).contains(origin) { problems.append(.extensionNotAllowed(expected: origin)) }
        }
        return problems
    }
}

/// Where each browser looks for native-messaging host manifests (docs/native-messaging.md §1.2).
public struct ManifestLocation: Equatable, Sendable {
    public var browser: String
    public var directory: String
    /// True for system-wide directories (need root to install).
    public var isSystem: Bool
    public var isFirefox: Bool

    /// The manifest file this host would have there.
    public var manifestPath: String { directory + "/" + HostProtocolVersion.nativeHostName + ".json" }

    /// Every known location for `platform`, user-level first.
    ///
    /// - Parameters:
    ///   - home: the user's home directory.
    ///   - configHome: `$XDG_CONFIG_HOME` when set and absolute (Linux), else `nil` for `~/.config`.
    public static func all(platform: HostPaths.Platform, home: String, configHome: String? = nil) -> [ManifestLocation] {
        switch platform {
        case .linux:
            let config = configHome ?? home + "/.config"
            return [
                .init(browser: "Google Chrome", directory: config + "/google-chrome/NativeMessagingHosts", isSystem: false, isFirefox: false),
                .init(browser: "Chromium", directory: config + "/chromium/NativeMessagingHosts", isSystem: false, isFirefox: false),
                .init(browser: "Microsoft Edge", directory: config + "/microsoft-edge/NativeMessagingHosts", isSystem: false, isFirefox: false),
                .init(browser: "Brave", directory: config + "/BraveSoftware/Brave-Browser/NativeMessagingHosts", isSystem: false, isFirefox: false),
                .init(browser: "Vivaldi", directory: config + "/vivaldi/NativeMessagingHosts", isSystem: false, isFirefox: false),
                .init(browser: "Firefox", directory: home + "/.mozilla/native-messaging-hosts", isSystem: false, isFirefox: true),
                .init(browser: "Google Chrome", directory: "/etc/opt/chrome/native-messaging-hosts", isSystem: true, isFirefox: false),
                .init(browser: "Chromium", directory: "/etc/chromium/native-messaging-hosts", isSystem: true, isFirefox: false),
                .init(browser: "Microsoft Edge", directory: "/etc/opt/edge/native-messaging-hosts", isSystem: true, isFirefox: false),
                .init(browser: "Firefox", directory: "/usr/lib/mozilla/native-messaging-hosts", isSystem: true, isFirefox: true),
            ]
        case .macOS:
            let support = home + "/Library/Application Support"
            return [
                .init(browser: "Google Chrome", directory: support + "/Google/Chrome/NativeMessagingHosts", isSystem: false, isFirefox: false),
                .init(browser: "Chromium", directory: support + "/Chromium/NativeMessagingHosts", isSystem: false, isFirefox: false),
                .init(browser: "Microsoft Edge", directory: support + "/Microsoft Edge/NativeMessagingHosts", isSystem: false, isFirefox: false),
                .init(browser: "Brave", directory: support + "/BraveSoftware/Brave-Browser/NativeMessagingHosts", isSystem: false, isFirefox: false),
                .init(browser: "Vivaldi", directory: support + "/Vivaldi/NativeMessagingHosts", isSystem: false, isFirefox: false),
                .init(browser: "Firefox", directory: support + "/Mozilla/NativeMessagingHosts", isSystem: false, isFirefox: true),
                .init(browser: "Google Chrome", directory: "/Library/Google/Chrome/NativeMessagingHosts", isSystem: true, isFirefox: false),
                .init(browser: "Chromium", directory: "/Library/Application Support/Chromium/NativeMessagingHosts", isSystem: true, isFirefox: false),
                .init(browser: "Microsoft Edge", directory: "/Library/Microsoft/Edge/NativeMessagingHosts", isSystem: true, isFirefox: false),
                .init(browser: "Firefox", directory: "/Library/Application Support/Mozilla/NativeMessagingHosts", isSystem: true, isFirefox: true),
            ]
        }
    }
}
