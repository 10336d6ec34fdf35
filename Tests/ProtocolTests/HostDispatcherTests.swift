import Testing
@testable import HostProtocol

@Suite struct HostDispatcherTests {
    static let diagnostics = DiagnosticsResult(
        hostVersion: "0.1.0", protocolVersion: 1, platform: "linux-x86_64", pid: 1,
        engine: EngineSummary(state: .unavailable), storePath: "/data",
        store: StoreStatus(exists: false, writable: false, mode: nil), logPath: nil, logTail: [])

    func dispatcher(originAllowed: Bool = true) -> HostDispatcher {
        HostDispatcher(
            context: HostContext(
                hostVersion: "0.1.0", storePath: "/data", originAllowed: originAllowed,
                diagnostics: { HostDispatcherTests.diagnostics }))
    }

    func answer(_ request: String, originAllowed: Bool = true) -> String {
        body(of: dispatcher(originAllowed: originAllowed).reply(toFrame: Array(request.utf8)).frame)
    }

    @Test func helloIsAnswered() {
        #expect(
            answer(#"{"id":1,"type":"host.hello","payload":{"extensionVersion":"0.1.0","protocolVersion":1}}"#)
                == #"{"id":1,"result":{"engine":{"state":"unavailable"},"hostVersion":"0.1.0","protocolVersion":1,"storePath":"/data"}}"#)
    }

    @Test func pingEchoesItsPayload() {
        #expect(answer(#"{"id":2,"type":"host.ping"}"#) == #"{"id":2,"result":{"pong":true}}"#)
        #expect(answer(#"{"id":2,"type":"host.ping","payload":{"echo":{"k":"vé"}}}"#) == #"{"id":2,"result":{"echo":{"k":"vé"},"pong":true}}"#)
    }

    @Test func diagnosticsAreAnswered() {
        #expect(
            answer(#"{"id":"d","type":"host.diagnostics","payload":null}"#)
                == #"{"id":"d","result":{"engine":{"state":"unavailable"},"hostVersion":"0.1.0","logTail":[],"pid":1,"platform":"linux-x86_64","protocolVersion":1,"store":{"exists":false,"writable":false},"storePath":"/data"}}"#)
    }

    @Test(arguments: [
        #"{"id":4,"type":"engine.status"}"#,
        #"{"id":4,"type":"link.start","payload":{"method":"qr"}}"#,
        #"{"id":4,"type":"link.start","payload":{"method":"phone","phone":"+5511987654321"}}"#,
        #"{"id":4,"type":"link.cancel","payload":{}}"#,
        #"{"id":4,"type":"engine.logout"}"#,
        #"{"id":4,"type":"message.send","payload":{"to":"5511987654321","text":"hi","clientMessageId":"c1"}}"#,
    ])
    func engineRequestsAreEngineUnavailable(_ request: String) {
        #expect(answer(request) == #"{"error":{"code":20,"message":"the WhatsApp engine is not available in this host"},"id":4}"#)
    }

    @Test(arguments: [
        (#"{"id":5,"type":"link.start"}"#, "method", "missing"),
        (#"{"id":5,"type":"link.start","payload":{"method":"fax"}}"#, "method", "invalidValue"),
        (#"{"id":5,"type":"link.start","payload":{"method":"phone"}}"#, "phone", "missing"),
        (#"{"id":5,"type":"link.start","payload":{"method":"phone","phone":"12ab5678"}}"#, "phone", "invalidValue"),
        (#"{"id":5,"type":"link.start","payload":{"method":"qr","phone":123}}"#, "phone", "wrongType"),
        (#"{"id":5,"type":"message.send","payload":{"to":"1","text":"","clientMessageId":"c"}}"#, "text", "invalidValue"),
        (#"{"id":5,"type":"message.send","payload":{"to":1,"text":"t","clientMessageId":"c"}}"#, "to", "wrongType"),
        (#"{"id":5,"type":"message.send","payload":{"to":"1","text":"t"}}"#, "clientMessageId", "missing"),
        (#"{"id":5,"type":"host.hello","payload":{"protocolVersion":"1"}}"#, "protocolVersion", "wrongType"),
        (#"{"id":5,"type":"host.hello","payload":[]}"#, "payload", "wrongType"),
        (#"{"id":5,"type":"host.ping","payload":"x"}"#, "payload", "wrongType"),
    ])
    func badPayloadsGetInvalidPayload(_ request: String, _ field: String, _ reason: String) {
        #expect(
            answer(request)
                == #"{"error":{"code":4,"data":{"field":"\#(field)","reason":"\#(reason)"},"message":"invalid payload: \#(field) \#(reason)"},"id":5}"#)
    }

    @Test func textAboveLimitIsTooLong() {
        let text = String(repeating: "a", count: MessageSendPayload.maximumTextLength + 1)
        #expect(answer(#"{"id":5,"type":"message.send","payload":{"to":"1","text":"\#(text)","clientMessageId":"c"}}"#).contains(#""reason":"tooLong""#))
    }

    @Test func unknownAndEventTypesGetUnknownType() {
        #expect(answer(#"{"id":6,"type":"host.pong"}"#) == #"{"error":{"code":3,"data":{"type":"host.pong"},"message":"unknown message type"},"id":6}"#)
        #expect(answer(#"{"id":6,"type":"engine.state"}"#).contains(#""code":3"#))
    }

    @Test func malformedFramesGetNullIDErrors() {
        #expect(answer("{nope") == #"{"error":{"code":1,"message":"frame is not valid UTF-8 JSON"},"id":null}"#)
        #expect(answer(#"{"id":[1],"type":"host.ping"}"#).hasPrefix(#"{"error":{"code":2,"#))
        #expect(answer(#"{"id":[1],"type":"host.ping"}"#).hasSuffix(#""id":null}"#))
        #expect(answer(#"{"id":1}"#).hasSuffix(#""id":1}"#))
    }

    @Test func responseAboveOneMebibyteBecomesResponseTooLarge() {
        let echo = String(repeating: "x", count: 1 << 20)
        let reply = dispatcher().reply(toFrame: Array(#"{"id":7,"type":"host.ping","payload":{"echo":"\#(echo)"}}"#.utf8))
        #expect(reply.errorCode == .responseTooLarge)
        #expect(body(of: reply.frame).hasPrefix(#"{"error":{"code":6,"data":{"length":"#))
        #expect(body(of: reply.frame).hasSuffix(#""id":7}"#))
    }

    @Test func rejectedFrameIsAnsweredFrameTooLarge() {
        let reply = dispatcher().reply(toRejectedFrame: .frameTooLarge(length: 4_294_967_295, limit: 8_388_608))
        #expect(reply.errorCode == .frameTooLarge)
        #expect(
            body(of: reply.frame)
                == #"{"error":{"code":5,"data":{"length":4294967295,"limit":8388608},"message":"frame of 4294967295 bytes is above the 8388608-byte limit"},"id":null}"#)
    }

    @Test func refusedOriginAnswersOriginNotAllowedAndEnds() {
        let reply = dispatcher(originAllowed: false).reply(toFrame: Array(#"{"id":1,"type":"host.hello"}"#.utf8))
        #expect(reply.endsSession)
        #expect(body(of: reply.frame) == #"{"error":{"code":8,"message":"caller origin is not an allowed extension"},"id":1}"#)
        #expect(dispatcher(originAllowed: false).reply(toFrame: [0xFF]).errorCode == .originNotAllowed)
    }

    @Test func everyReplyIsOneFrameWithinChromesLimit() {
        let inputs = ["", "{}", "[]", #"{"id":1,"type":"host.hello"}"#, String(repeating: "{", count: 5000)]
        for input in inputs {
            let reply = dispatcher().reply(toFrame: Array(input.utf8))
            #expect(reply.frame.count <= NativeFrameEncoder.maximumMessageLength + 4)
            _ = body(of: reply.frame)
        }
    }
}
