import Foundation
import Testing
import TestSupport

/// Runs the real `crm-whatsapp-host` binary with a byte stream on stdin and collects what it wrote.
///
/// Input is written from a background thread while stdout is drained on another, so large
/// request streams cannot deadlock on full pipes. Every run has a deadline: a host that hangs is
/// killed and reported.
struct HostRun {
    var status: Int32
    var stdout: [UInt8]
    var stderr: String
    var timedOut: Bool
    var crashed: Bool

    /// The JSON bodies of the replies on stdout (events left out: the engine's `engine.state` events
    /// interleave with replies); records an issue if stdout is not exactly frames.
    func frames(sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        allFrames(sourceLocation: sourceLocation).filter { !$0.hasPrefix(#"{"payload":"#) }
    }

    /// The JSON bodies of the events on stdout (frames without an id: `{"payload":…,"type":…}`).
    func events(sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        allFrames(sourceLocation: sourceLocation).filter { $0.hasPrefix(#"{"payload":"#) }
    }

    /// The JSON bodies of every frame on stdout; records an issue if stdout is not exactly frames.
    func allFrames(sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        var result: [String] = []
        var index = 0
        while index < stdout.count {
            guard stdout.count - index >= 4 else {
                Issue.record("stdout ends inside a frame header", sourceLocation: sourceLocation)
                break
            }
            let length = Int(stdout[index]) | Int(stdout[index + 1]) << 8 | Int(stdout[index + 2]) << 16 | Int(stdout[index + 3]) << 24
            #expect(length <= 1 << 20, "frame above Chrome's 1 MiB limit", sourceLocation: sourceLocation)
            guard stdout.count - index - 4 >= length else {
                Issue.record("stdout ends inside a frame body", sourceLocation: sourceLocation)
                break
            }
            let body = Array(stdout[(index + 4)..<(index + 4 + length)])
            #expect((try? JSONSerialization.jsonObject(with: Data(body))) != nil, "frame is not JSON", sourceLocation: sourceLocation)
            result.append(String(decoding: body, as: UTF8.self))
            index += 4 + length
        }
        return result
    }
}

/// Every test that starts the host runs inside this serialized suite: a child started concurrently
/// would inherit the write end of another child's stdin pipe and keep it from ever seeing EOF.
@Suite(.serialized) enum HostBinaryTests {}

enum HostProcess {
    static let ourOrigin = "chrome-extension://lgpglinhmaadahglcbjajchcmaaaglnn/"

    /// The built binary: `$CRM_WHATSAPP_BIN/crm-whatsapp-host`, else next to the test bundle, else `.build/debug`.
    static func binary() -> URL? {
        var candidates: [URL] = []
        if let bin = ProcessInfo.processInfo.environment["CRM_WHATSAPP_BIN"] {
            candidates.append(URL(fileURLWithPath: bin).appendingPathComponent("crm-whatsapp-host"))
        }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        candidates.append(executable.deletingLastPathComponent().appendingPathComponent("crm-whatsapp-host"))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("crm-whatsapp-host"))
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("crm-whatsapp-host"))
        }
        candidates.append(Repository.url(".build/debug/crm-whatsapp-host"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// A fresh HOME for one run, so tests never touch the real user's files.
    static func temporaryHome() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("crm-wa-host-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs the host; returns `nil` (after recording an issue) when the binary cannot be found.
    static func run(
        arguments: [String] = [ourOrigin], input: [UInt8], home: URL? = nil, environment extra: [String: String] = [:],
        closeInput: Bool = true, timeout: Double = 20
    ) -> HostRun? {
        guard let binary = binary() else {
            Issue.record("crm-whatsapp-host not found: build it (swift build) or set CRM_WHATSAPP_BIN")
            return nil
        }
        let home = home ?? temporaryHome()
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ["HOME": home.path, "PATH": "/usr/bin:/bin", "SWIFT_BACKTRACE": "enable=no"]
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do { try process.run() } catch {
            Issue.record("cannot start \(binary.path): \(error)")
            return nil
        }
        // Dedicated threads, not the GCD pool: with 2 cores its width is 2, and two blocked readers
        // would starve the writer forever.
        let collected = Collected()
        let done = DispatchSemaphore(value: 0)
        let stdoutReader = stdout.fileHandleForReading
        let stderrReader = stderr.fileHandleForReading
        Thread {
            collected.setStdout(stdoutReader.readDataToEndOfFile())
            done.signal()
        }.start()
        Thread {
            collected.setStderr(stderrReader.readDataToEndOfFile())
            done.signal()
        }.start()
        let writer = stdin.fileHandleForWriting
        Thread {
            var offset = 0
            while offset < input.count {
                let end = min(input.count, offset + 65_536)
                do { try writer.write(contentsOf: Data(input[offset..<end])) } catch { break }
                offset = end
            }
            if closeInput { try? writer.close() }
        }.start()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(5_000) }
        let timedOut = process.isRunning
        if timedOut {
            // SIGKILL: the child may inherit a signal mask that blocks SIGTERM from the test runner.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        if !closeInput { try? writer.close() }
        _ = done.wait(timeout: .now() + 10)
        _ = done.wait(timeout: .now() + 10)
        process.waitUntilExit()
        return HostRun(
            status: process.terminationStatus, stdout: Array(collected.stdout), stderr: String(decoding: collected.stderr, as: UTF8.self),
            timedOut: timedOut, crashed: process.terminationReason == .uncaughtSignal)
    }
}

/// Output gathered by the reader threads.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()

    var stdout: Data { lock.withLock { out } }
    var stderr: Data { lock.withLock { err } }
    func setStdout(_ data: Data) { lock.withLock { out = data } }
    func setStderr(_ data: Data) { lock.withLock { err = data } }
}

/// Frames a request the way Chrome does: 4-byte little-endian length + UTF-8 JSON.
func frame(_ json: String) -> [UInt8] { frame(Array(json.utf8)) }

func frame(_ body: [UInt8]) -> [UInt8] {
    let n = UInt32(body.count)
    return [UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24)] + body
}

let helloRequest = #"{"id":1,"type":"host.hello","payload":{}}"#
