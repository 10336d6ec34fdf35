#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only log file that rotates itself: `host.log` → `host.log.1` → ... → `host.log.<keep>`.
///
/// Files are created mode 0600 (they are the user's own diagnostics; the host never logs secrets,
/// keys or message bodies, but the file stays private anyway).
public final class RotatingLogFile: Sendable {
    public let path: String
    let maximumBytes: Int
    let keptFiles: Int
    private let state: Locked<State>

    private struct State {
        var descriptor: Int32
        var size: Int
    }

    public static let fileName = "host.log"

    /// Opens (creating) `<directory>/host.log`, or returns `nil` when that fails.
    public init?(directory: String, maximumBytes: Int = 1 << 20, keptFiles: Int = 3) {
        let path = directory + "/" + Self.fileName
        let descriptor = Self.open(path)
        guard descriptor >= 0 else { return nil }
        self.path = path
        self.maximumBytes = maximumBytes
        self.keptFiles = keptFiles
        let size = Int(lseek(descriptor, 0, SEEK_END))
        state = Locked(State(descriptor: descriptor, size: max(0, size)))
    }

    deinit {
        _ = state.withLock { close($0.descriptor) }
    }

    /// Appends one line (a newline is added), rotating first when the file would grow past the limit.
    public func append(line: String) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        state.withLock { state in
            if state.size > 0, state.size + bytes.count > maximumBytes { rotate(&state) }
            guard state.descriptor >= 0 else { return }
            let written = bytes.withUnsafeBytes { write(state.descriptor, $0.baseAddress, $0.count) }
            if written > 0 { state.size += written }
        }
    }

    private func rotate(_ state: inout State) {
        close(state.descriptor)
        if keptFiles > 0 {
            for index in stride(from: keptFiles - 1, through: 1, by: -1) {
                rename("\(path).\(index)", "\(path).\(index + 1)")
            }
            rename(path, "\(path).1")
        } else {
            unlink(path)
        }
        state.descriptor = Self.open(path)
        state.size = 0
    }

    private static func open(_ path: String) -> Int32 {
        #if canImport(Glibc)
        return Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        #else
        return Darwin.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        #endif
    }
}
