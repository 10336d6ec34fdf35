import Foundation
import Testing
@testable import WABinary

/// Inputs FuzzBinaryNode found (FuzzTesting/FailCases/FuzzBinaryNode/), replayed with the fuzz property:
/// decoding never traps, and a decoded node re-encodes to a fixed point.
@Suite struct FuzzRegressionTests {
    static let cases: [String] = [
        // <... ><LIST_8 0/>: an empty child list re-encoded as LIST_EMPTY used to decode as "no content".
        "APgKLCkZC1UEEQED+AA=",
    ]

    @Test(arguments: cases) func decodedNodeReEncodesToAFixedPoint(_ base64: String) throws {
        let input = [UInt8](Data(base64Encoded: base64) ?? Data())
        #expect(!input.isEmpty)
        guard let node = try? BinaryFrame.decode(input) else { return }
        let first = try BinaryFrame.encode(node)
        let second = try BinaryFrame.encode(try BinaryFrame.decode(first))
        #expect(first == second)
    }

    @Test func emptyListContentDecodesAsNoChildren() throws {
        #expect(try BinaryFrame.decode([0, 0xF8, 0x02, 0x19, 0x00]).content == .nodes([]))
        #expect(try BinaryFrame.decode([0, 0xF8, 0x02, 0x19, 0xF8, 0x00]).content == .nodes([]))
        #expect(try BinaryFrame.encode(BinaryNode(tag: "iq", children: [])) == [0, 0xF8, 0x02, 0x19, 0x00])
    }
}
