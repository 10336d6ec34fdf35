import Foundation

/// Decodes the QR code in an image with `zbarimg` (zbar-tools), for the phone page's screenshot upload.
/// The image goes through a 0600 temporary file; only the decoded text comes back.
enum QRImageDecoder {
    enum Failure: Error, Equatable, CustomStringConvertible {
        case zbarimgMissing
        case noQRCode
        case empty

        var httpStatus: Int {
            switch self {
            case .zbarimgMissing: 501
            case .noQRCode, .empty: 422
            }
        }

        var description: String {
            switch self {
            case .zbarimgMissing:
                "zbarimg is not installed (apt-get install zbar-tools); paste the QR code's text instead"
            case .noQRCode: "no QR code found in the image"
            case .empty: "no image received"
            }
        }
    }

    static let searchPath = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg", "/opt/homebrew/bin/zbarimg"]

    static func decode(_ image: [UInt8]) async -> Result<String, Failure> {
        guard !image.isEmpty else { return .failure(.empty) }
        guard let tool = searchPath.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return .failure(.zbarimgMissing)
        }
        let path = NSTemporaryDirectory() + "wa-sim-qr-" + UUID().uuidString
        guard FileManager.default.createFile(atPath: path, contents: Data(image), attributes: [.posixPermissions: 0o600])
        else { return .failure(.noQRCode) }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return .failure(.zbarimgMissing) }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !text.isEmpty else { return .failure(.noQRCode) }
        return .success(text.split(separator: "\n").first.map(String.init) ?? text)
    }
}
