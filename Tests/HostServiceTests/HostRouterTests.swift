import Testing
import HostProtocol
@testable import HostService

/// The message table of the session: every request gets exactly one reply frame.
@Suite struct HostRouterTests {
    func answer(_ request: String, originAllowed: Bool = true) async -> String {
        body(of: await makeSession(originAllowed: originAllowed).reply(toFrame: Array(request.utf8)).frame)
    }

    func replyTo(_ request: String, originAllowed: Bool = true) async -> HostReply {
        await makeSession(originAllowed: originAllowed).reply(toFrame: Array(request.utf8))
    }

    @Test func helloIsAnswered() async {
        #expect(
            await answer(#"{"id":1,"type":"host.hello","payload":{"extensionVersion":"0.1.0","protocolVersion":1}}"#)
                == #"{"id":1,"result":{"engine":{"state":"unavailable"},"hostVersion":"0.1.0","protocolVersion":1,"storePath":"/data"}}"#)
    }

    @Test func pingEchoesItsPayload() async {
        #expect(await answer(#"{"id":2,"type":"host.ping"}"#) == #"{"id":2,"result":{"pong":true}}"#)
        #expect(await answer(#"{"id":2,"type":"host.ping","payload":{"echo":{"k":"vé"}}}"#) == #"{"id":2,"result":{"echo":{"k":"vé"},"pong":true}}"#)
    }

    @Test func diagnosticsAreAnswered() async {
        #expect(
            await answer(#"{"id":"d","type":"host.diagnostics","payload":null}"#)
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
    func engineRequestsAreEngineUnavailable(_ request: String) async {
        #expect(await answer(request) == #"{"error":{"code":20,"message":"the WhatsApp engine is not available in this host"},"id":4}"#)
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
    func badPayloadsGetInvalidPayload(_ request: String, _ field: String, _ reason: String) async {
        #expect(
            await answer(request)
                == #"{"error":{"code":4,"data":{"field":"\#(field)","reason":"\#(reason)"},"message":"invalid payload: \#(field) \#(reason)"},"id":5}"#)
    }

    @Test func textAboveLimitIsTooLong() async {
        let text = String(repeating: "a", count: MessageSendPayload.maximumTextLength + 1)
        #expect(await answer(#"{"id":5,"type":"message.send","payload":{"to":"1","text":"\#(text)","clientMessageId":"c"}}"#).contains(#""reason":"tooLong""#))
    }

    @Test func unknownAndEventTypesGetUnknownType() async {
        #expect(await answer(#"{"id":6,"type":"host.pong"}"#) == #"{"error":{"code":3,"data":{"type":"host.pong"},"message":"unknown message type"},"id":6}"#)
        #expect(await answer(#"{"id":6,"type":"engine.state"}"#).contains(#""code":3"#))
    }

    @Test func malformedFramesGetNullIDErrors() async {
        #expect(await answer("{nope") == #"{"error":{"code":1,"message":"frame is not valid UTF-8 JSON"},"id":null}"#)
        #expect(await answer(#"{"id":[1],"type":"host.ping"}"#).hasPrefix(#"{"error":{"code":2,"#))
        #expect(await answer(#"{"id":[1],"type":"host.ping"}"#).hasSuffix(#""id":null}"#))
        #expect(await answer(#"{"id":1}"#).hasSuffix(#""id":1}"#))
    }

    @Test func responseAboveOneMebibyteBecomesResponseTooLarge() async {
        let echo = String(repeating: "x", count: 1 << 20)
        let reply = await replyTo(#"{"id":7,"type":"host.ping","payload":{"echo":"\#(echo)"}}"#)
        #expect(reply.errorCode == .responseTooLarge)
        #expect(body(of: reply.frame).hasPrefix(#"{"error":{"code":6,"data":{"length":"#))
        #expect(body(of: reply.frame).hasSuffix(#""id":7}"#))
    }

    @Test func rejectedFrameIsAnsweredFrameTooLarge() async {
        let reply = HostRouter.reply(toRejectedFrame: .frameTooLarge(length: 4_294_967_295, limit: 8_388_608))
        #expect(reply.errorCode == .frameTooLarge)
        #expect(
            body(of: reply.frame)
                == #"{"error":{"code":5,"data":{"length":4294967295,"limit":8388608},"message":"frame of 4294967295 bytes is above the 8388608-byte limit"},"id":null}"#)
    }

    @Test func refusedOriginAnswersOriginNotAllowedAndEnds() async {
        let reply = await replyTo(#"{"id":1,"type":"host.hello"}"#, originAllowed: false)
        #expect(body(of: reply.frame) == #"{"error":{"code":8,"message":"caller origin is not an allowed extension"},"id":1}"#)
        #expect(HostRouter.refusal(toFrame: [0xFF]).errorCode == .originNotAllowed)
    }

    @Test func everyReplyIsOneFrameWithinChromesLimit() async {
        let inputs = ["", "{}", "[]", #"{"id":1,"type":"host.hello"}"#, String(repeating: "{", count: 5000)]
        for input in inputs {
            let reply = await replyTo(input)
            #expect(reply.frame.count <= NativeFrameEncoder.maximumMessageLength + 4)
            _ = body(of: reply.frame)
        }
    }
}
