import Testing
@testable import HostProtocol

import Foundation
import TestSupport

@Suite struct HostErrorCodeTests {
    /// Append-only: these numbers are a published contract and may never change.
    @Test func codesKeepTheirPublishedNumbers() {
        let expected: [(String, Int)] = [
            ("parseError", 1), ("invalidRequest", 2), ("unknownType", 3), ("invalidPayload", 4), ("frameTooLarge", 5),
            ("responseTooLarge", 6), ("internalError", 7), ("originNotAllowed", 8), ("engineUnavailable", 20),
            ("notLinked", 21), ("alreadyLinked", 22), ("engineConfiguration", 24), ("engineBusy", 25),
        ]
        #expect(HostErrorCode.allNamed.map(\.name) == expected.map(\.0))
        #expect(HostErrorCode.allNamed.map(\.code.rawValue) == expected.map(\.1))
    }

    @Test func codesAreUnique() {
        #expect(Set(HostErrorCode.allNamed.map(\.code)).count == HostErrorCode.allNamed.count)
    }

    /// PROTOCOL.md's `## Error codes` table lists exactly the codes of ``HostErrorCode``.
    @Test func protocolDocumentTableMatchesTheCodes() throws {
        let table = try Self.protocolDocument()
            .components(separatedBy: "## Error codes").dropFirst().first?
            .components(separatedBy: "\n## ").first ?? ""
        var documented: [(String, Int)] = []
        for line in table.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, let code = Int(cells[0]) else { continue }
            documented.append((cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`")), code))
        }
        #expect(documented.map(\.0) == HostErrorCode.allNamed.map(\.name))
        #expect(documented.map(\.1) == HostErrorCode.allNamed.map(\.code.rawValue))
    }

    static func protocolDocument() throws -> String {
        try String(contentsOf: Repository.url("PROTOCOL.md"), encoding: .utf8)
    }
}
