#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The text a linking QR code carries (docs/protocol/lower.md §5.3, current form):
/// `https://wa.me/settings/linked_devices#<ref>,<noisePub>,<identityPub>,<advSecret>,<platformId>`.
///
/// The three keys are standard base64 with `=` padding; the separator is `,` without spaces. This is the one
/// place the string is built.
public enum WAQRString {
    /// The prefix every current QR code starts with.
    public static let prefix = "https://wa.me/settings/linked_devices#"

    /// - Parameters:
    ///   - ref: one `ref` from the server's `pair-device` IQ (docs/protocol/lower.md §5.2), as text.
    ///   - noisePublicKey: the device's 32-byte noise static public key.
    ///   - identityPublicKey: the device's 32-byte identity public key.
    ///   - advSecret: the 32-byte ADV secret (rotated by `companion_reg_refresh`, docs/protocol/lower.md §5.4).
    ///   - platform: the companion web client type (§5.3 table).
    public static func make(
        ref: String, noisePublicKey: [UInt8], identityPublicKey: [UInt8], advSecret: [UInt8],
        platform: WAQRPlatform = .otherWebClient
    ) -> String {
        let fields = [
            ref, Data(noisePublicKey).base64EncodedString(), Data(identityPublicKey).base64EncodedString(),
            Data(advSecret).base64EncodedString(), platform.rawValue,
        ]
        return prefix + fields.joined(separator: ",")
    }
}

/// The "companion web client type" in the QR string and in `companion_platform_id` (docs/protocol/lower.md
/// docs/protocol/lower.md §5.3). Not the DeviceProps.PlatformType numbering.
public enum WAQRPlatform: String, Sendable, CaseIterable {
    case unknown = "0"
    case chrome = "1"
    case edge = "2"
    case firefox = "3"
    case ie = "4"
    case opera = "5"
    case safari = "6"
    case electron = "7"
    case uwp = "8"
    /// What whatsmeow sends with the default DeviceProps (UNKNOWN, WEB), and what we send.
    case otherWebClient = "9"
    case macOS = "c"
    case android = "e"
}
