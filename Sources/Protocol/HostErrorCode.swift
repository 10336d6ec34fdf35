/// Stable numeric error codes sent to the extension in `{id, error: {code, message, data?}}`.
///
/// The rule (browserpass `errors.go`, LSP `ErrorCode`): **never renumber, only append.** The table in
/// PROTOCOL.md §Error codes lists every code; the extension's `shared/protocol.js` mirrors it and a test
/// checks the two agree.
public struct HostErrorCode: RawRepresentable, Hashable, Sendable, JSONEncodable {
    public var rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The frame is not valid UTF-8 JSON.
    public static let parseError = Self(rawValue: 1)
    /// The envelope is malformed: not an object, or `id`/`type` missing or of the wrong type.
    public static let invalidRequest = Self(rawValue: 2)
    /// The `type` names no message this host knows.
    public static let unknownType = Self(rawValue: 3)
    /// The `payload` does not match the message's schema.
    public static let invalidPayload = Self(rawValue: 4)
    /// The inbound frame's length is above the host's cap (8 MiB); its body was skipped unread.
    public static let frameTooLarge = Self(rawValue: 5)
    /// The response would exceed Chrome's 1 MiB host → browser limit, so it was not sent.
    public static let responseTooLarge = Self(rawValue: 6)
    /// The host failed in a way that is its own fault.
    public static let internalError = Self(rawValue: 7)
    /// The caller origin is not an allowed extension; the host answers this once and exits.
    public static let originNotAllowed = Self(rawValue: 8)
    /// The WhatsApp engine is not available in this host build (or not started).
    public static let engineUnavailable = Self(rawValue: 20)
    /// The request needs a linked WhatsApp account and none is linked.
    public static let notLinked = Self(rawValue: 21)
    /// `link.start` while an account is already linked (log out first).
    public static let alreadyLinked = Self(rawValue: 22)
    // 23 is reserved and unused: `link.start` while linking restarts the link, it is not an error.
    /// The host's settings are invalid (`settings.json` or its environment overrides): `data {field, reason}`.
    public static let engineConfiguration = Self(rawValue: 24)
    /// Another host process on this machine owns the account.
    public static let engineBusy = Self(rawValue: 25)

    /// Every code with its wire name, in table order (PROTOCOL.md §Error codes).
    public static let allNamed: [(name: String, code: HostErrorCode)] = [
        ("parseError", .parseError),
        ("invalidRequest", .invalidRequest),
        ("unknownType", .unknownType),
        ("invalidPayload", .invalidPayload),
        ("frameTooLarge", .frameTooLarge),
        ("responseTooLarge", .responseTooLarge),
        ("internalError", .internalError),
        ("originNotAllowed", .originNotAllowed),
        ("engineUnavailable", .engineUnavailable),
        ("notLinked", .notLinked),
        ("alreadyLinked", .alreadyLinked),
        ("engineConfiguration", .engineConfiguration),
        ("engineBusy", .engineBusy),
    ]

    public func encode(to writer: inout JSONWriter) { writer.integer(Int64(rawValue)) }
}
