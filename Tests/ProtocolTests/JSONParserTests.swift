import Testing
@testable import HostProtocol

@Suite struct JSONParserTests {
    func parse(_ text: String) throws(JSONParseError) -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    func written(_ value: JSONValue) -> String {
        var writer = JSONWriter()
        value.encode(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func everyKindOfValueIsRead() throws {
        #expect(
            try parse(#" {"a":[1,-2.5,3e2,0,-0,true,false,null],"b":{"c":"d"},"e":""} "#)
                == .object([
                    "a": .array([.number(1), .number(-2.5), .number(300), .number(0), .number(0), .bool(true), .bool(false), .null]),
                    "b": .object(["c": .string("d")]), "e": .string(""),
                ]))
    }

    @Test func escapesAndUnicodeAreDecoded() throws {
        #expect(try parse(#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#) == .string("a\"\\/\u{8}\u{C}\n\r\té😀"))
        #expect(try parse("\"olá 👋\"") == .string("olá 👋"))
    }

    @Test func largeIntegersKeepDoublePrecision() throws {
        #expect(try parse("9007199254740991") == .number(9_007_199_254_740_991))
        #expect(try parse("123456789012345678901234567890") == .number(123456789012345678901234567890.0))
        #expect(try parse("1.5e-3") == .number(0.0015))
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{'a':1}", "01", "1.", ".5", "-", "+1", "1e", "1e400",
        "tru", "nul", "NaN", "\"\u{01}\"", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"abc", "[1 2]",
        "1 2", "{\"a\":1}x", String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
    ])
    func invalidJSONIsRejected(_ text: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
    }

    @Test func invalidUTF8IsRejectedInsideStrings() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0x5C, 0x6E, 0xFF, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0xEF, 0xBB, 0xBF, 0x31]) }
    }

    @Test func utf8ValidationFollowsTheUnicodeTable() {
        func valid(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer(JSONParser.isValidUTF8) }
        #expect(valid(Array("aé€😀\u{10FFFF}".utf8)))
        #expect(!valid([0xC0, 0x80]))  // overlong NUL
        #expect(!valid([0xE0, 0x80, 0x80]))  // overlong
        #expect(!valid([0xED, 0xA0, 0x80]))  // UTF-16 surrogate
        #expect(!valid([0xF4, 0x90, 0x80, 0x80]))  // above U+10FFFF
        #expect(!valid([0xF0, 0x9F, 0x98]))  // truncated
        #expect(!valid([0x80]))  // stray continuation
        #expect(!valid([0xF5, 0x80, 0x80, 0x80]))
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let depth = JSONParser.maximumDepth
        _ = try parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        #expect(throws: JSONParseError.self) {
            try parse(String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1))
        }
    }

    @Test func writerEscapesWhatJSONRequiresAndSortsObjectKeys() throws {
        #expect(written(.string("q\"b\\s/\n\t\u{1}é")) == #""q\"b\\s/\n\t\u0001é""#)
        #expect(written(.object(["b": .number(1), "a": .array([.number(2.5), .null, .bool(true)])])) == #"{"a":[2.5,null,true],"b":1}"#)
        #expect(written(.number(-9_007_199_254_740_991)) == "-9007199254740991")
        #expect(written(.number(4_294_967_295)) == "4294967295")
        #expect(written(.number(1e300)) == "1e+300")
    }

    @Test func parseThenWriteIsStable() throws {
        let text = #"{"echo":{"k":["vé",1,{"z":null}]},"id":"x"}"#
        #expect(written(try parse(text)) == text)
    }
}
