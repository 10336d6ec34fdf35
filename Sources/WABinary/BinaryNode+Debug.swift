extension BinaryNode: CustomStringConvertible {
    /// The log-safe rendering (`debugXML()` with no tags revealed).
    public var description: String { debugXML() }

    /// An XML-like rendering for logs that never prints secrets.
    ///
    /// Byte content (ciphertexts, keys, refs) appears as its length only, `<enc v="2">[132 bytes]</enc>`,
    /// unless the node's tag is in `revealingBytesOf`, where it is shown as hex. String content, attributes
    /// and JIDs are shown as they are.
    ///
    /// - Parameters:
    ///   - revealingBytesOf: tags whose byte content is safe to show (e.g. `["count"]`).
    ///   - indent: spaces per level; nil renders on one line.
    public func debugXML(revealingBytesOf revealed: Set<String> = [], indent: Int? = nil) -> String {
        var output = ""
        render(into: &output, revealed: revealed, indent: indent, level: 0)
        return output
    }

    private func render(into output: inout String, revealed: Set<String>, indent: Int?, level: Int) {
        let padding = indent.map { String(repeating: " ", count: $0 * level) } ?? ""
        output += padding + "<" + Self.escape(tag)
        for attribute in attributes {
            output += " " + Self.escape(attribute.key) + "=\"" + Self.escape(attribute.value.description) + "\""
        }
        switch content {
        case .none:
            output += "/>"
        case .bytes(let bytes):
            let shown = revealed.contains(tag) ? Self.hex(bytes) : "[\(bytes.count) bytes]"
            output += ">" + shown + "</" + Self.escape(tag) + ">"
        case .string(let string):
            output += ">" + Self.escape(string) + "</" + Self.escape(tag) + ">"
        case .jid(let jid):
            output += ">" + Self.escape(jid.description) + "</" + Self.escape(tag) + ">"
        case .nodes(let children):
            output += ">"
            for child in children {
                if indent != nil { output += "\n" }
                child.render(into: &output, revealed: revealed, indent: indent, level: level + 1)
            }
            if indent != nil && !children.isEmpty { output += "\n" + padding }
            output += "</" + Self.escape(tag) + ">"
        }
    }

    private static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            case _ where character.value < 0x20: result += "&#\(character.value);"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var characters: [UInt8] = []
        characters.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
