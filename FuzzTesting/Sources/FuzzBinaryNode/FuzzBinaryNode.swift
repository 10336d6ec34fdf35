#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WABinary

/// libFuzzer entry: any bytes through the frame decoder. A decoded node must re-encode, and re-encoding
/// must reach a fixed point: encode(decode(encode(node))) == encode(node). Typed decoding errors are fine;
/// a trap, a sanitizer report or a broken fixed point is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    var limits = BinaryNodeDecodingLimits()
    limits.maxInflatedSize = 1 << 20
    guard let node = try? BinaryFrame.decode(input, limits: limits) else { return 0 }
    do {
        let first = try BinaryFrame.encode(node)
        let again = try BinaryFrame.decode(first, limits: limits)
        let second = try BinaryFrame.encode(again)
        precondition(first == second, "re-encoding is not a fixed point")
        _ = node.debugXML()
    } catch {
        preconditionFailure("a decoded node failed to re-encode: \(error)")
    }
    return 0
}

// Entry point: tests/suites/50-fuzz.sh compiles this with -parse-as-library and links a generated
// `<Target>_main` that calls libFuzzer's driver (see FuzzTesting/README.md), so this file only exports
// LLVMFuzzerTestOneInput.
