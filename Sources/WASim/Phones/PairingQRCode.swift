import Foundation

/// The text of a pairing QR code, as a phone reads it (docs/protocol/lower.md §5.3):
/// `https://wa.me/settings/linked_devices#ref,noise,identity,adv,<platform>` or the legacy
/// `ref,noise,identity,adv`. Keys are standard base64 with padding.
public struct PairingQRCode: Sendable, Equatable {
    public var ref: String
    public var noiseKey: [UInt8]
    public var identityKey: [UInt8]
    public var advSecret: [UInt8]
    /// The companion web client type (`9` for whatsmeow's default); nil in the legacy form.
    public var platformID: String?

    public static let prefix = "https://wa.me/settings/linked_devices#"
    /// QR texts are short; anything longer is refused before it is split.
    public static let maximumLength = 1024

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case tooLong
        case wrongFieldCount(Int)
        case emptyRef
        case badKey(String)

        public var description: String {
            switch self {
            case .tooLong: "QR text longer than \(PairingQRCode.maximumLength) characters"
            case .wrongFieldCount(let count): "QR text has \(count) comma-separated fields (4 or 5 expected)"
            case .emptyRef: "QR text has an empty ref"
            case .badKey(let name): "QR \(name) is not 32 bytes of base64"
            }
        }
    }

    public init(ref: String, noiseKey: [UInt8], identityKey: [UInt8], advSecret: [UInt8], platformID: String?) {
        self.ref = ref
        self.noiseKey = noiseKey
        self.identityKey = identityKey
        self.advSecret = advSecret
        self.platformID = platformID
    }

    public init(parsing text: String) throws(ParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.utf8.count <= Self.maximumLength else { throw .tooLong }
        let current = trimmed.hasPrefix(Self.prefix)
        let body = current ? String(trimmed.dropFirst(Self.prefix.count)) : trimmed
        let fields = body.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 5 || (!current && fields.count == 4) else {
            throw .wrongFieldCount(fields.count)
        }
        guard !fields[0].isEmpty else { throw .emptyRef }
        func key(_ text: String, _ name: String) throws(ParseError) -> [UInt8] {
            guard let data = Data(base64Encoded: text), data.count == 32 else { throw .badKey(name) }
            return Array(data)
        }
        self.init(
            ref: fields[0], noiseKey: try key(fields[1], "noise key"), identityKey: try key(fields[2], "identity key"),
            advSecret: try key(fields[3], "ADV secret"), platformID: fields.count == 5 ? fields[4] : nil)
    }

    /// The current form of the text.
    public var text: String {
        let keys = [noiseKey, identityKey, advSecret].map { Data($0).base64EncodedString() }
        return Self.prefix + ([ref] + keys + [platformID ?? "9"]).joined(separator: ",")
    }
}
