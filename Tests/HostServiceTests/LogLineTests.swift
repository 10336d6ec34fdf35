import Testing
import HostProtocol
@testable import HostService

/// Hostile-input review: a string request id reaches the log verbatim (`id="…"`), so every record must
/// stay one line whatever the id holds.
@Suite struct LogLineTests {
    @Test func newlineInARequestIDCannotForgeALogRecord() throws {
        let frame = Array(#"{"id":"x\n2026-11-25T20:00:00Z info crm-whatsapp-host: forged","type":"host.ping"}"#.utf8)
        let id = try RequestEnvelope.decode(frame).id
        let line = LogLine.singleLine("2026-11-25T21:00:00Z notice host: request failed id=\(id)")
        #expect(!line.contains("\n"))
        #expect(line.hasSuffix(#"id="x\u{A}2026-11-25T20:00:00Z info crm-whatsapp-host: forged""#))
    }

    @Test func everyControlCharacterIsEscapedAndOtherTextIsKept() {
        #expect(LogLine.singleLine("a\r\nb\u{1B}[31mc\u{7F}") == #"a\u{D}\u{A}b\u{1B}[31mc\u{7F}"#)
        #expect(LogLine.singleLine("plain é ✓ \"q\"") == "plain é ✓ \"q\"")
    }
}
