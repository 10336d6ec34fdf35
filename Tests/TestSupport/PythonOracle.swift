import Foundation

/// The independent Python implementations of tests/oracles/, run with the oracle venv
/// (`CRM_WHATSAPP_VENV`, made by scripts/oracle-venv.sh and set by ./test.sh and the oracle suites).
public enum PythonOracle {
    /// The venv, or nil when the tests run without it (oracle tests are then skipped, and the suites
    /// that set it check they did not skip).
    public static var venv: String? {
        ProcessInfo.processInfo.environment["CRM_WHATSAPP_VENV"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Why an oracle test is skipped without the venv, naming the suite that runs it.
    public static func skipReason(suite: String) -> String {
        "CRM_WHATSAPP_VENV is not set, so the oracle comparison did not run: use ./test.sh or tests/suites/\(suite)"
    }

    /// The venv's Python interpreter.
    public static func python(venv: String) -> URL {
        URL(fileURLWithPath: venv).appendingPathComponent("bin/python")
    }

    /// The path of an oracle script, e.g. `script("binary_oracle.py")`.
    public static func script(_ name: String) -> URL {
        Repository.url("tests/oracles").appendingPathComponent(name)
    }

    /// A process running `python tests/oracles/<script> <arguments>` (not started), for oracles spoken to
    /// over pipes.
    public static func process(venv: String, script name: String, arguments: [String] = []) -> Process {
        let process = Process()
        process.executableURL = python(venv: venv)
        process.arguments = [script(name).path] + arguments
        return process
    }

    /// Runs `python tests/oracles/<script> <arguments>` to completion.
    /// - Returns: its exit status and combined stdout and stderr.
    public static func run(venv: String, script name: String, arguments: [String]) throws -> (status: Int32, output: String) {
        let process = process(venv: venv, script: name, arguments: arguments)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
