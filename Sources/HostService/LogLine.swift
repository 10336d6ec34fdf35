/// One log record as one line of text (the host's log file; its tail is returned by `host.diagnostics`).
public enum LogLine {
    /// Escapes control characters (`\n` becomes `\u{A}`), so a value taken from input, such as a string
    /// request id, can neither end its record early nor forge the records after it.
    public static func singleLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// C0 controls and DEL.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || scalar.value == 0x7F }
}
