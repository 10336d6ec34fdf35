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

    /// Tries to take the lock without waiting; true when this object holds it.
    public func tryAcquire() -> Bool {
        if descriptor >= 0 { return true }
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return false
        }
        descriptor = fd
        return true
    }

    public var isHeld: Bool { descriptor >= 0 }

    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }
}
