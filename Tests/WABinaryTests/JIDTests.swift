import Testing
@testable import WABinary

/// JID string forms and their wire encodings (docs/protocol/lower.md §4.5, docs/protocol/upper.md §6.1).
@Suite struct JIDTests {
    static let forms: [(String, JID)] = [
        ("15551234567@s.whatsapp.net", JID(user: "15551234567", server: JID.userServer)),
        ("15551234567:12@s.whatsapp.net", JID(user: "15551234567", device: 12, server: JID.userServer)),
        ("15551234567.3:1@s.whatsapp.net", JID(user: "15551234567", rawAgent: 3, device: 1, server: JID.userServer)),
        ("123456789012345@lid", JID(user: "123456789012345", server: JID.hiddenUserServer)),
        ("123456789012345:4@lid", JID(user: "123456789012345", device: 4, server: JID.hiddenUserServer)),
        ("120363025246125486@g.us", JID(user: "120363025246125486", server: JID.groupServer)),
        ("status@broadcast", JID(user: "status", server: JID.broadcastServer)),
        ("120363144038483540@newsletter", JID(user: "120363144038483540", server: JID.newsletterServer)),
        ("55:1@hosted", JID(user: "55", device: 1, server: JID.hostedServer)),
        ("55@hosted.lid", JID(user: "55", server: JID.hostedLIDServer)),
        ("1234:5@msgr", JID(user: "1234", device: 5, server: JID.messengerServer)),
        ("42-999:3@interop", JID(user: "999", device: 3, integrator: 42, server: JID.interopServer)),
        ("867051314767696@bot", JID(user: "867051314767696", server: JID.botServer)),
        ("s.whatsapp.net", JID.serverJID),
        ("g.us", JID(user: "", server: JID.groupServer)),
    ]

    @Test func everyFormParsesAndFormatsBack() throws {
        for (text, jid) in Self.forms {
            #expect(try JID(parsing: text) == jid, "\(text)")
            #expect(jid.description == text)
        }
    }

    @Test func everyFormRoundTripsThroughTheWire() throws {
        for (_, jid) in Self.forms {
            let node = BinaryNode(tag: "x", attributes: ["jid": .jid(jid)], content: .jid(jid))
            let decoded = try BinaryFrame.decode(try BinaryFrame.encode(node))
            #expect(decoded == node, "\(jid)")
        }
    }

    /// docs/protocol/lower.md §4.5: which form each JID takes on the wire.
    @Test func jidsUseTheFormTheirServerRequires() throws {
        func tag(_ jid: JID) throws -> UInt8 {
            var encoder = BinaryNodeEncoder()
            try encoder.writeJID(jid)
            return encoder.bytes[0]
        }
        #expect(try tag(JID(user: "1", server: JID.userServer)) == BinaryTokens.Tag.jidPair)
        #expect(try tag(JID(user: "1", device: 1, server: JID.userServer)) == BinaryTokens.Tag.adJID)
        #expect(try tag(JID(user: "1", device: 1, server: JID.hiddenUserServer)) == BinaryTokens.Tag.adJID)
        #expect(try tag(JID(user: "1", server: JID.hostedServer)) == BinaryTokens.Tag.adJID)
        #expect(try tag(JID(user: "1", device: 1, server: JID.groupServer)) == BinaryTokens.Tag.jidPair)
        #expect(try tag(JID(user: "1", server: JID.messengerServer)) == BinaryTokens.Tag.fbJID)
        #expect(try tag(JID(user: "1", server: JID.interopServer)) == BinaryTokens.Tag.interopJID)
        #expect(try tag(.serverJID) == BinaryTokens.Tag.jidPair)
    }

    /// AD_JID domain bytes: 0 → s.whatsapp.net, 1 → lid, 128 → hosted, 129 → hosted.lid, others kept as raw agent.
    @Test func adJIDDomainSelectsTheServer() throws {
        #expect(JID(user: "1", domain: 0, device: 2).server == JID.userServer)
        #expect(JID(user: "1", domain: 1, device: 2).server == JID.hiddenUserServer)
        #expect(JID(user: "1", domain: 128, device: 2).server == JID.hostedServer)
        #expect(JID(user: "1", domain: 129, device: 2).server == JID.hostedLIDServer)
        let raw = JID(user: "1", domain: 7, device: 2)
        #expect(raw.server == JID.userServer && raw.rawAgent == 7 && raw.actualAgent == 7)
        #expect(JID(user: "1", domain: 129, device: 2).actualAgent == 129)
    }

    @Test func malformedStringsAreRejectedWithTypedErrors() {
        #expect(throws: JIDParseError.multipleAtSigns) { try JID(parsing: "a@b@c") }
        #expect(throws: JIDParseError.invalidDevice("x")) { try JID(parsing: "1:x@s.whatsapp.net") }
        #expect(throws: JIDParseError.invalidDevice("70000")) { try JID(parsing: "1:70000@s.whatsapp.net") }
        #expect(throws: JIDParseError.invalidDevice("1:2:3")) { try JID(parsing: "1:2:3@s.whatsapp.net") }
        #expect(throws: JIDParseError.invalidAgent("1.x")) { try JID(parsing: "1.x:1@s.whatsapp.net") }
        #expect(throws: JIDParseError.invalidAgent("1.2.3")) { try JID(parsing: "1.2.3@s.whatsapp.net") }
        #expect(throws: JIDParseError.invalidIntegrator("x-1:0")) { try JID(parsing: "x-1:0@interop") }
    }

    @Test func userJIDDropsAgentAndDevice() {
        let jid = JID(user: "1", rawAgent: 2, device: 3, server: JID.userServer)
        #expect(jid.userJID == JID(user: "1", server: JID.userServer))
        #expect(jid.isAD && !jid.userJID.isAD)
    }
}
