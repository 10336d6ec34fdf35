import Crypto

/// The WhatsApp Web build a client claims to be: `userAgent.appVersion` in the `ClientPayload` and, through
/// its MD5, `buildHash` in the registration data (docs/protocol/lower.md §3.2, §3.4).
///
/// The server refuses builds older than about two to three months with `<failure reason="405">`, so the
/// engine fetches the current number at run time and falls back to ``shipped``.
public struct WAAppVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var primary: UInt32
    public var secondary: UInt32
    public var tertiary: UInt32

    /// The newest build this release knows of: 2.3000.1049558099 (whatsmeow, 2026-10-07; docs/protocol/lower.md §3.4).
    public static let shipped = WAAppVersion(2, 3000, 1_049_558_099)

    public init(_ primary: UInt32, _ secondary: UInt32, _ tertiary: UInt32) {
        self.primary = primary
        self.secondary = secondary
        self.tertiary = tertiary
    }

    /// Parses `"2.3000.1049558099"`: exactly three decimal parts, each fitting 32 bits; nil otherwise.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var numbers: [UInt32] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 10, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let number = UInt32(part)
            else { return nil }
            numbers.append(number)
        }
        self.init(numbers[0], numbers[1], numbers[2])
    }

    /// WhatsApp Web's numbering: `2.3000.<client_revision>` (docs/protocol/lower.md §3.4).
    public init(webClientRevision revision: UInt32) {
        self.init(2, 3000, revision)
    }

    /// `"<primary>.<secondary>.<tertiary>"`.
    public var description: String { "\(primary).\(secondary).\(tertiary)" }

    /// `buildHash`: the MD5 of ``description`` (docs/protocol/lower.md §3.2; whatsmeow `WAVersionContainer.Hash`).
    public var buildHash: [UInt8] { Array(Insecure.MD5.hash(data: Array(description.utf8))) }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.primary, lhs.secondary, lhs.tertiary) < (rhs.primary, rhs.secondary, rhs.tertiary)
    }
}
