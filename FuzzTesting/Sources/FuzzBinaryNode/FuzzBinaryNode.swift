import WABinary

/// Binary nodes (issue 3): a decrypted transport payload (flag byte, optionally zlib) through the decoder.
/// A node that decodes must re-encode, and the re-encoding must decode to the same node, up to two known
/// normalisations: an empty child list (`F8 00`) is written as LIST_EMPTY, which reads back as no content
/// (whatsmeow does the same; FailCases/FuzzBinaryNode/empty-child-list), and empty string content (an
/// empty NIBBLE_8) is written as `BINARY_8 0` (as Baileys does), which reads back as empty bytes
/// (FailCases/FuzzBinaryNode/empty-packed-string-content).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let node = try? BinaryFrame.decode(bytes) else { return 0 }
    guard let encoded = try? BinaryFrame.encode(node) else { return 0 }
    let again: BinaryNode
    do { again = try BinaryFrame.decode(encoded) } catch { preconditionFailure("re-encoded node does not decode: \(error)") }
    precondition(normalized(again) == normalized(node), "decode(encode(node)) != node")
    return 0
}

/// The node with every empty child list replaced by no content and empty string content by empty bytes.
private func normalized(_ node: BinaryNode) -> BinaryNode {
    var copy = node
    switch node.content {
    case .nodes(let children): copy.content = children.isEmpty ? .none : .nodes(children.map(normalized))
    case .string(let string) where string.isEmpty: copy.content = .bytes([])
    default: break
    }
    return copy
}
