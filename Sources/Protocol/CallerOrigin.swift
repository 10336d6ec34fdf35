/// Who started the host, from the arguments the browser passes, and whether it may talk to us.
///
/// Chrome native messaging, "Native messaging host location": on Linux and macOS the first argument is
/// the caller origin `chrome-extension://<id>/`; on Windows a `--parent-window=<HWND>` flag follows.
/// Firefox (MDN, "Native messaging", App side) passes the manifest path and then the add-on id.
public enum CallerOrigin: Equatable, Sendable {
    /// A Chromium-family extension id (32 letters a–p).
    case chromeExtension(id: String)
    /// A Firefox add-on id.
    case firefoxAddon(id: String)
    /// No origin argument (started by hand).
    case none
    /// An argument that is not an origin we can parse (kept, truncated, for the log).
    case unrecognized(String)

    /// The extension id baked into extension/manifest.json by its `key` (extension/EXTENSION_ID).
    public static let chromeExtensionID = "lgpglinhmaadahglcbjajchcmaaaglnn"
    /// The Firefox add-on id (`browser_specific_settings.gecko.id`).
    public static let firefoxAddonID = "crm-whatsapp@crm-whatsapp.dev"
    /// Environment variable with extra allowed ids, comma separated (development).
    public static let allowedOriginsVariable = "CRM_WHATSAPP_ALLOWED_ORIGINS"

    /// Reads the origin from the positional arguments the browser passed (flags already removed).
    ///
    /// - Parameter arguments: `[origin]` from Chrome, `[manifestPath, addonID]` from Firefox.
    public init(arguments: [String]) {
        guard let first = arguments.first else {
            self = .none
            return
        }
        let prefix = "chrome-extension://"
        if first.hasPrefix(prefix) {
            var id = first.dropFirst(prefix.count)
            if id.hasSuffix("/") { id = id.dropLast() }
            if Self.isChromeExtensionID(id) {
                self = .chromeExtension(id: String(id))
                return
            }
        } else if arguments.count >= 2, first.hasSuffix(".json"), let addon = arguments.last, !addon.isEmpty,
            addon.utf8.count <= 255
        {
            self = .firefoxAddon(id: addon)
            return
        }
        self = .unrecognized(String(first.prefix(96)))
    }

    /// True for 32 characters in `a`–`p` (Chrome's id alphabet: hex digits mapped 0→a ... f→p).
    public static func isChromeExtensionID(_ candidate: some StringProtocol) -> Bool {
        candidate.utf8.count == 32 && candidate.utf8.allSatisfy { (0x61...0x70).contains($0) }
    }

    /// Whether this caller may use the host.
    ///
    /// - Parameter environment: the process environment; ``allowedOriginsVariable`` adds ids, either
    ///   bare (`abc...`, `addon@id`) or as full origins (`chrome-extension://abc.../`).
    public func isAllowed(environment: [String: String]) -> Bool {
        var chrome: Set<String> = [Self.chromeExtensionID]
        var firefox: Set<String> = [Self.firefoxAddonID]
        for entry in (environment[Self.allowedOriginsVariable] ?? "").split(separator: ",") {
            let trimmed = String(entry.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
            if case .chromeExtension(let id) = CallerOrigin(arguments: [trimmed]) {
                chrome.insert(id)
            } else if Self.isChromeExtensionID(trimmed) {
                chrome.insert(trimmed)
            } else if !trimmed.isEmpty {
                firefox.insert(trimmed)
            }
        }
        switch self {
        case .chromeExtension(let id): return chrome.contains(id)
        case .firefoxAddon(let id): return firefox.contains(id)
        case .none, .unrecognized: return false
        }
    }
}
