import Foundation
import Testing

/// Runs the Python oracles of tests/oracles/ with the venv from `CRM_WHATSAPP_VENV` (docs/test-oracles.md).
enum OracleSupport {
    /// The oracle venv, or nil when the tests run without it (they are then skipped with a message).
    static let venv: String? = ProcessInfo.processInfo.environment["CRM_WHATSAPP_VENV"].flatMap {
        $0.isEmpty ? nil : $0
    }

    static let skipMessage: Comment =
        "CRM_WHATSAPP_VENV is not set, so the oracle comparison did not run: use ./test.sh or tests/suites/20-binary-proto-oracles.sh"

    /// The repository root, from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: venv).appendingPathComponent("bin/python")
        process.arguments = [
            repositoryRoot.appendingPathComponent("tests/oracles").appendingPathComponent(script).path,
            directory.path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
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
