import Testing
import WACore

/// WACore's hex text: lower case out, either case in, anything else refused.
@Suite struct WACoreHexTests {
    @Test func encodesLowerCaseAndDecodesBack() {
        let bytes: [UInt8] = [0x00, 0x0A, 0x7F, 0x80, 0xFF]
        #expect(Hex.encode(bytes) == "000a7f80ff")
        #expect(Hex.decode("000a7f80ff") == bytes)
        #expect(Hex.decode("000A7F80FF") == bytes)
        #expect(Hex.decode("") == [])
    }

    @Test func oddLengthOrNonHexDigitsAreRefused() {
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("0g") == nil)
        #expect(Hex.decode("0 ") == nil)
        #expect(Hex.decode("é0") == nil)
    }
}
