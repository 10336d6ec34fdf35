import Testing
@testable import HostProtocol

@Suite struct RequestEnvelopeTests {
    func decode(_ text: String) throws(EnvelopeError) -> RequestEnvelope {
        try RequestEnvelope.decode(Array(text.utf8))
    }

    @Test func validEnvelopeDecodes() throws {
        #expect(
            try decode(#"{"id":7,"type":"host.ping","payload":{"echo":"x"},"extra":true}"#)
                == RequestEnvelope(id: .number(7), type: "host.ping", payload: .object(["echo": .string("x")])))
        #expect(try decode(#"{"id":"a-1","type":"host.hello"}"#) == RequestEnvelope(id: .string("a-1"), type: "host.hello"))
    }

    @Test func invalidUTF8IsNotJSON() {
        #expect(throws: EnvelopeError.notJSON) { try RequestEnvelope.decode([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) }
    }

    @Test(arguments: ["", "{", "{\"id\":1 \"type\":2}", "nul", "\"\\ud800\"", String(repeating: "[", count: 100_000)])
    func malformedJSONIsNotJSON(_ text: String) {
        #expect(throws: EnvelopeError.notJSON) { try decode(text) }
    }

    @Test(arguments: ["[]", "1", "\"s\"", "null", "true"])
    func nonObjectIsRejected(_ text: String) {
        #expect(throws: EnvelopeError.notAnObject) { try decode(text) }
    }

    @Test func missingOrNullIDIsRejected() {
        #expect(throws: EnvelopeError.missingID) { try decode(#"{"type":"host.ping"}"#) }
        #expect(throws: EnvelopeError.missingID) { try decode(#"{"id":null,"type":"host.ping"}"#) }
    }

    @Test(arguments: [
        "1.5", "1e300", "9007199254740992", "-9007199254740992", "true", "[]", "{}",
        "\"\(String(repeating: "x", count: 129))\"",
    ])
    func unusableIDIsRejected(_ id: String) {
        #expect(throws: EnvelopeError.invalidID) { try decode(#"{"id":\#(id),"type":"host.ping"}"#) }
    }

    @Test func largestSafeIDsAreAccepted() throws {
        #expect(try decode(#"{"id":9007199254740991,"type":"t"}"#).id == .number(9_007_199_254_740_991))
        #expect(try decode(#"{"id":-9007199254740991,"type":"t"}"#).id == .number(-9_007_199_254_740_991))
        let long = String(repeating: "é", count: 64)  // 128 bytes
        #expect(try decode(#"{"id":"\#(long)","type":"t"}"#).id == .string(long))
    }

    @Test func badTypeKeepsTheID() {
        #expect(throws: EnvelopeError.missingType(id: .number(3))) { try decode(#"{"id":3}"#) }
        #expect(throws: EnvelopeError.invalidType(id: .number(3))) { try decode(#"{"id":3,"type":5}"#) }
        #expect(throws: EnvelopeError.invalidType(id: .number(3))) { try decode(#"{"id":3,"type":""}"#) }
        let long = String(repeating: "t", count: 65)
        #expect(throws: EnvelopeError.invalidType(id: .string("s"))) { try decode(#"{"id":"s","type":"\#(long)"}"#) }
    }

    @Test func envelopeErrorsMapToTheirWireCodes() {
        #expect(EnvelopeError.notJSON.hostError.code == .parseError)
        for error in [EnvelopeError.notAnObject, .missingID, .invalidID, .missingType(id: .number(1)), .invalidType(id: .number(1))] {
            #expect(error.hostError.code == .invalidRequest)
        }
        #expect(EnvelopeError.invalidID.requestID == nil)
        #expect(EnvelopeError.invalidType(id: .number(1)).requestID == .number(1))
    }
}
