import Testing
@testable import HostProtocol

/// Asserts the exact bytes of an outbound message (keys sorted, no spaces).
func expectJSON(_ bytes: [UInt8], _ golden: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(String(decoding: bytes, as: UTF8.self) == golden, sourceLocation: sourceLocation)
}

/// The JSON body of a framed reply (after checking its header).
func body(of frame: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> String {
    var decoder = NativeFrameDecoder()
    decoder.append(frame)
    let decoded = try? decoder.nextFrame()
    #expect(decoded != nil && decoder.bufferedByteCount == 0, "not exactly one frame", sourceLocation: sourceLocation)
    return String(decoding: decoded ?? [], as: UTF8.self)
}

@Suite struct GoldenJSONTests {
    @Test func helloResultHasStableJSON() throws {
        let result = HelloResult(
            hostVersion: "0.1.0", protocolVersion: 1, engine: EngineStatus(state: .unavailable),
            storePath: "/home/ana/.local/share/crm-whatsapp")
        expectJSON(
            try OutboundMessage.response(id: .number(1), result: result),
            #"{"id":1,"result":{"engine":{"state":"unavailable"},"hostVersion":"0.1.0","protocolVersion":1,"storePath":"/home/ana/.local/share/crm-whatsapp"}}"#)
    }

    @Test func pingResultHasStableJSON() throws {
        expectJSON(try OutboundMessage.response(id: .string("p"), result: PingResult(echo: nil)), #"{"id":"p","result":{"pong":true}}"#)
        expectJSON(
            try OutboundMessage.response(id: .number(2), result: PingResult(echo: .array([.number(1.5), .null, .bool(false)]))),
            #"{"id":2,"result":{"echo":[1.5,null,false],"pong":true}}"#)
    }

    @Test func diagnosticsResultHasStableJSON() throws {
        let result = DiagnosticsResult(
            hostVersion: "0.1.0", protocolVersion: 1, platform: "linux-x86_64", pid: 42,
            engine: EngineStatus(state: .unavailable), storePath: "/s",
            store: StoreStatus(exists: true, writable: true, mode: "700"), logPath: "/l/host.log", logTail: ["a", "b"])
        expectJSON(
            try OutboundMessage.response(id: .number(3), result: result),
            #"{"id":3,"result":{"engine":{"state":"unavailable"},"hostVersion":"0.1.0","logPath":"/l/host.log","logTail":["a","b"],"pid":42,"platform":"linux-x86_64","protocolVersion":1,"store":{"exists":true,"mode":"700","writable":true},"storePath":"/s"}}"#)
    }

    @Test func errorResponseHasStableJSONWithNullID() {
        expectJSON(OutboundMessage.error(id: nil, error: .parse), #"{"error":{"code":1,"message":"frame is not valid UTF-8 JSON"},"id":null}"#)
        expectJSON(
            OutboundMessage.error(id: .number(9), error: .unknownType("x.y")),
            #"{"error":{"code":3,"data":{"type":"x.y"},"message":"unknown message type"},"id":9}"#)
    }

    @Test func engineStateEventHasStableJSON() throws {
        let event = EngineStatus(
            state: .connected, account: LinkedAccount(jid: "5511987654321:3@s.whatsapp.net", pushName: "Ana"))
        expectJSON(
            try OutboundMessage.event(EngineStateEvent.self, payload: event),
            #"{"payload":{"account":{"jid":"5511987654321:3@s.whatsapp.net","pushName":"Ana"},"state":"connected"},"type":"engine.state"}"#)
        expectJSON(
            try OutboundMessage.event(EngineStateEvent.self, payload: EngineStatus(state: .loggedOut, reason: "loggedOutByPhone")),
            #"{"payload":{"reason":"loggedOutByPhone","state":"loggedOut"},"type":"engine.state"}"#)
    }

    @Test func linkEventsHaveStableJSON() throws {
        expectJSON(
            try OutboundMessage.event(LinkQREvent.self, payload: LinkQR(code: "2@a,b,c,d", pngBase64: "iVBO", expiresAt: 1_764_102_000_000, index: 1)),
            #"{"payload":{"code":"2@a,b,c,d","expiresAt":1764102000000,"index":1,"pngBase64":"iVBO"},"type":"link.qr"}"#)
        expectJSON(
            try OutboundMessage.event(LinkPairingCodeEvent.self, payload: LinkPairingCode(code: "ABCD1234", expiresAt: 1_764_102_180_000)),
            #"{"payload":{"code":"ABCD1234","expiresAt":1764102180000},"type":"link.pairingCode"}"#)
    }

    @Test func messageEventsHaveStableJSON() throws {
        expectJSON(
            try OutboundMessage.event(
                MessageStatusEvent.self,
                payload: MessageStatusUpdate(clientMessageId: "crm-42", messageId: "3EB0", status: .failed, timestamp: 5, errorCode: 20)),
            #"{"payload":{"clientMessageId":"crm-42","errorCode":20,"messageId":"3EB0","status":"failed","timestamp":5},"type":"message.status"}"#)
        expectJSON(
            try OutboundMessage.event(
                MessageIncomingEvent.self,
                payload: IncomingMessage(messageId: "3A1B", chat: "1@s.whatsapp.net", from: "1@s.whatsapp.net", pushName: nil, text: "Oi 👋", timestamp: 7)),
            #"{"payload":{"chat":"1@s.whatsapp.net","from":"1@s.whatsapp.net","messageId":"3A1B","text":"Oi 👋","timestamp":7},"type":"message.incoming"}"#)
    }

    @Test func fullEngineStatusHasStableJSON() throws {
        let status = EngineStatus(
            state: .stopped, account: LinkedAccount(jid: "1:3@s.whatsapp.net", lid: "9:3@lid", phone: "1", pushName: "Ana"),
            reason: "banned", until: 1_764_102_000_000, code: 403)
        expectJSON(
            try OutboundMessage.response(id: .number(4), result: status),
            #"{"id":4,"result":{"account":{"jid":"1:3@s.whatsapp.net","lid":"9:3@lid","phone":"1","pushName":"Ana"},"code":403,"reason":"banned","state":"stopped","until":1764102000000}}"#)
        expectJSON(
            try OutboundMessage.event(
                EngineStateEvent.self,
                payload: EngineStatus(state: .unavailable, reason: "configuration", message: "serverURL must start with wss://")),
            #"{"payload":{"message":"serverURL must start with wss://","reason":"configuration","state":"unavailable"},"type":"engine.state"}"#)
        expectJSON(
            try OutboundMessage.event(ContactIdentityChangedEvent.self, payload: ContactIdentityChanged(jid: "1@s.whatsapp.net")),
            #"{"payload":{"jid":"1@s.whatsapp.net"},"type":"contact.identityChanged"}"#)
    }

    @Test func messageSendResultHasStableJSON() throws {
        expectJSON(
            try OutboundMessage.response(
                id: .number(8), result: MessageSendResult(clientMessageId: "crm-42", messageId: "3EB0", status: .queued)),
            #"{"id":8,"result":{"clientMessageId":"crm-42","messageId":"3EB0","status":"queued"}}"#)
    }

    @Test func protocolVersionIsOne() {
        #expect(HostProtocolVersion.current == 1)
        #expect(HostProtocolVersion.nativeHostName == "io.crm_whatsapp.host")
    }
}
