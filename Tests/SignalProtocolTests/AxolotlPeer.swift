import Foundation
import Testing

/// Drives `tests/oracles/signal_axolotl_peer.py` (python-axolotl) over stdin/stdout JSON lines.
final class AxolotlPeer {
    /// The oracle venv, from `CRM_WHATSAPP_VENV` (set by ./test.sh and tests/suites/25-signal-interop.sh).
    static let venv: String? = PythonOracle.venv
    static let skipReason: Comment = "needs CRM_WHATSAPP_VENV (python-axolotl oracle); run tests/suites/25-signal-interop.sh"

    private let process: Process
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()

    struct Failure: Error, CustomStringConvertible {
        let error: String
        var description: String { "python-axolotl raised \(error)" }
    }

    init() throws {
        guard let venv = Self.venv else { throw Failure(error: "CRM_WHATSAPP_VENV unset") }
        process = PythonOracle.process(venv: venv, script: "signal_axolotl_peer.py")
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Sends one request and returns the reply; throws `Failure` when python-axolotl raised.
    @discardableResult
    func call(_ op: String, _ fields: [String: Any] = [:]) throws -> [String: Any] {
        var request = fields
        request["op"] = op
        var line = try JSONSerialization.data(withJSONObject: request)
        line.append(0x0A)
        input.fileHandleForWriting.write(line)
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let reply = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                let object = try JSONSerialization.jsonObject(with: reply) as? [String: Any] ?? [:]
                guard object["ok"] as? Bool == true else { throw Failure(error: object["error"] as? String ?? "?") }
                return object
            }
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw Failure(error: "oracle exited") }
            buffer.append(chunk)
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    func bytes(_ key: String) -> [UInt8] { hex(self[key] as? String ?? "") }
    func uint32(_ key: String) -> UInt32 { UInt32(self[key] as? Int ?? 0) }
}
