import CQRencode
import CZlib

/// Renders a QR code's text into a PNG (8-bit grayscale, black on white, quiet zone of 4 modules).
///
/// The symbol comes from libqrencode (byte mode, error correction M); the PNG is written here: signature,
/// `IHDR`, one zlib-compressed `IDAT` (filter type 0, None, on the first pixel row of each module row and 2, Up,
/// on the rows that repeat it), `IEND`, each chunk with its CRC-32.
public enum WAQRImage {
    /// Modules of white around the symbol (ISO/IEC 18004 quiet zone).
    public static let quietZone = 4

    /// The QR symbol for `text` as rows of modules (`true` = dark).
    public static func modules(for text: String) throws(WAQRImageError) -> [[Bool]] {
        guard let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else { throw .encodingFailed }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        guard width > 0, let data = code.pointee.data else { throw .encodingFailed }
        return (0..<width).map { row in (0..<width).map { column in data[row * width + column] & 1 == 1 } }
    }

    /// A PNG of the QR symbol for `text`, `scale` pixels per module.
    public static func png(for text: String, scale: Int = 6) throws(WAQRImageError) -> [UInt8] {
        try png(modules: modules(for: text), scale: scale)
    }

    /// A PNG of `modules`, `scale` pixels per module, with the quiet zone added.
    public static func png(modules: [[Bool]], scale: Int) throws(WAQRImageError) -> [UInt8] {
        let size = (modules.count + 2 * quietZone) * scale
        var raw: [UInt8] = []
        raw.reserveCapacity((size + 1) * size)
        for y in 0..<size {
            // A pixel row that repeats the one above (all but the first of each module row) is filter type Up
            // with all-zero differences: a tenth of the deflate time of unfiltered rows at level 9, and smaller.
            if y % scale != 0 {
                raw.append(2)
                raw.append(contentsOf: repeatElement(0, count: size))
                continue
            }
            raw.append(0)  // filter type None
            let row = y / scale - quietZone
            for x in 0..<size {
                let column = x / scale - quietZone
                let dark = row >= 0 && row < modules.count && column >= 0 && column < modules.count && modules[row][column]
                raw.append(dark ? 0x00 : 0xFF)
            }
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = bigEndian(UInt32(size)) + bigEndian(UInt32(size))
        header += [8, 0, 0, 0, 0]  // bit depth 8, colour type 0 (grayscale), deflate, adaptive filter, no interlace
        png += chunk("IHDR", header)
        png += chunk("IDAT", try deflate(raw))
        png += chunk("IEND", [])
        return png
    }

    /// CRC-32 (ISO 3309, as PNG uses it) of `bytes`.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typed + bigEndian(crc32(typed))
    }

    static func deflate(_ bytes: [UInt8]) throws(WAQRImageError) -> [UInt8] {
        var length = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &length, input.baseAddress, uLong(input.count), 6)
            }
        }
        guard status == Z_OK else { throw .compressionFailed }
        return Array(output.prefix(Int(length)))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }
}

/// Why a QR image could not be made.
public enum WAQRImageError: Error, Sendable, Equatable {
    /// libqrencode refused the text (too long for any QR version).
    case encodingFailed
    /// zlib failed to compress the image.
    case compressionFailed
}
