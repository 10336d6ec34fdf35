import Foundation
import HostProtocol
import Testing
@testable import HostService

/// PROTOCOL.md documents exactly the messages of the message table.
@Suite struct ProtocolDocumentTests {
    /// A `### \`type\`` heading for every registered request and every event, and no other.
    @Test func protocolDocumentHasAHeadingPerMessage() throws {
        let headings = try Self.protocolDocument().split(separator: "\n")
            .filter { $0.hasPrefix("### `") }
            .map { $0.dropFirst(5).prefix { $0 != "`" } }
            .map(String.init)
        let messages = makeSession().requestTypes + hostEvents.map { $0.type }
        #expect(headings.sorted() == messages.sorted())
    }

    @Test func everyRequestOfProtocolOneIsRegisteredOnce() {
        let types = makeSession().requestTypes
        #expect(Set(types).count == types.count)
        #expect(
            Set(types) == [
                HostHelloRequest.type, HostPingRequest.type, HostDiagnosticsRequest.type, EngineStatusRequest.type,
                LinkStartRequest.type, LinkCancelRequest.type, EngineLogoutRequest.type, MessageSendRequest.type,
            ])
    }

    static func protocolDocument() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("PROTOCOL.md"), encoding: .utf8)
    }
}
