import Foundation
import Testing
@testable import WABinary

/// What FuzzBinaryNode found, as rules of the codec. The saved inputs themselves
/// (FuzzTesting/FailCases/FuzzBinaryNode/) are replayed through the fuzz body by FuzzReplayTests.
@Suite struct FuzzRegressionTests {
    @Test func emptyListContentDecodesAsNoChildren() throws {
        #expect(try BinaryFrame.decode([0, 0xF8, 0x02, 0x19, 0x00]).content == .nodes([]))
        #expect(try BinaryFrame.decode([0, 0xF8, 0x02, 0x19, 0xF8, 0x00]).content == .nodes([]))
        #expect(try BinaryFrame.encode(BinaryNode(tag: "iq", children: [])) == [0, 0xF8, 0x02, 0x19, 0x00])
    }
}
