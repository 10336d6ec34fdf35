#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One engine per account on a machine: an exclusive `flock` on a lock file in the data directory.
///
/// The kernel releases the lock when the holding process exits (even when killed), so a second engine that
/// retries takes over as soon as the first is gone.
public final class AccountLock: @unchecked Sendable {
    public let path: String
    private var descriptor: Int32 = -1

    public init(path: String) { self.path = path }

    deinit { release() }

    public enum Outcome: Sendable, Equatable {
        /// This object holds the lock.
        case acquired
        /// Another process (or another engine in this one) holds it.
        case busy
        /// The lock file cannot be opened (missing or unwritable directory).
        case unavailable
    }

    /// Tries to take the lock without waiting.
    public func tryAcquire() -> Outcome {
        if descriptor >= 0 { return .acquired }
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return .unavailable }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return .busy
        }
        descriptor = fd
        return .acquired
    }

    public var isHeld: Bool { descriptor >= 0 }

    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }
}
