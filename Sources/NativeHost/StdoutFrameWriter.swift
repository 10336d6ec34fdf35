#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The only code that writes to stdout: one frame at a time, whole, in order.
///
/// Native messaging reads every stdout byte as protocol (docs/native-messaging.md §1.1, "Malformed output"),
/// so nothing else in the process may print there. Frames from any thread (requests now, engine events
/// later) are serialised by a mutex and written fully despite short writes and `EINTR`.
final class StdoutFrameWriter: Sendable {
    /// Why a frame could not be written.
    enum WriteError: Error, Equatable {
        /// The reader went away (`EPIPE`): the browser closed the port.
        case closed
        /// Any other `write(2)` failure, with `errno`.
        case failed(errno: Int32)
    }

    private let descriptor: Int32
    private let lock = Mutex(())

    init(descriptor: Int32 = 1) {
        self.descriptor = descriptor
    }

    /// Writes one complete frame (header + body).
    func write(_ frame: [UInt8]) throws(WriteError) {
        let result: WriteError? = lock.withLock { _ in
            frame.withUnsafeBytes { raw -> WriteError? in
                guard let base = raw.baseAddress else { return nil }
                var offset = 0
                while offset < raw.count {
                    let written = Self.systemWrite(descriptor, base + offset, raw.count - offset)
                    if written < 0 {
                        let code = errno
                        if code == EINTR || code == EAGAIN { continue }
                        return code == EPIPE ? .closed : .failed(errno: code)
                    }
                    offset += written
                }
                return nil
            }
        }
        if let result { throw result }
    }

    private static func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(fd, buffer, count)
        #else
        return Darwin.write(fd, buffer, count)
        #endif
    }
}
