import Foundation
import Testing

/// Runs the Python oracles of tests/oracles/ with the venv from `CRM_WHATSAPP_VENV` (docs/test-oracles.md).
enum OracleSupport {
    /// The oracle venv, or nil when the tests run without it (they are then skipped with a message).
    static let venv: String? = PythonOracle.venv

    static let skipMessage = Comment(rawValue: PythonOracle.skipReason(suite: "20-binary-proto-oracles.sh"))

    /// A fresh directory for one exchange with an oracle.
    static func makeWorkDirectory(_ name: String) throws -> URL {
        let base = ProcessInfo.processInfo.environment["CRM_WHATSAPP_ARTIFACTS"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory
        let directory = base.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Runs `python tests/oracles/<script> <directory>`; returns its exit status and combined output.
    static func run(script: String, directory: URL) throws -> (status: Int32, output: String) {
        guard let venv else { return (-1, "no venv") }
        return try PythonOracle.run(venv: venv, script: script, arguments: [directory.path])
    }

    static func writeJSON(_ value: Any, to url: URL) throws {
        try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys]).write(to: url)
    }

    static func readJSONArray(_ url: URL) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return value as? [[String: Any]] ?? []
    }

    static func hex(_ bytes: [UInt8]) -> String { hexString(bytes) }
}
