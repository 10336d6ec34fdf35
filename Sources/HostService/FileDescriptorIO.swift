#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the session reads the browser's bytes from: a blocking read, called from one thread only.
public protocol ByteSource: Sendable {
    /// Reads at most `buffer.count` bytes; returns 0 at end of input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOFailure) -> Int
}

/// Where the session's frames go: a blocking write of whole frames, called from the writer thread only.
public protocol FrameSink: Sendable {
    /// Writes all of `bytes` (one or more complete frames).
    func write(_ bytes: [UInt8]) throws(IOFailure)
}

/// Why reading or writing the browser's pipes failed.
public enum IOFailure: Error, Equatable, Sendable {
    /// The other side went away (`EPIPE` on write).
    case closed
    /// Any other failure, with `errno`.
    case failed(errno: Int32)
}

/// A file descriptor as a ``ByteSource`` and ``FrameSink`` (stdin and stdout of the real host).
///
/// Reads retry `EINTR`; writes loop over short writes, `EINTR` and `EAGAIN`. Native messaging reads
/// every stdout byte as protocol (docs/native-messaging.md §1.1, "Malformed output"): only the session's
/// writer thread writes to stdout.
public struct FileDescriptor: ByteSource, FrameSink {
    public let descriptor: Int32

    public init(_ descriptor: Int32) { self.descriptor = descriptor }

    public static let standardInput = FileDescriptor(0)
    public static let standardOutput = FileDescriptor(1)

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOFailure) -> Int {
        while true {
            #if canImport(Glibc)
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            #else
            let count = Darwin.read(descriptor, buffer.baseAddress, buffer.count)
            #endif
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw .failed(errno: errno)
        }
    }

    public func write(_ bytes: [UInt8]) throws(IOFailure) {
        let failure: IOFailure? = bytes.withUnsafeBytes { raw -> IOFailure? in
            guard let base = raw.baseAddress else { return nil }
            var offset = 0
            while offset < raw.count {
                #if canImport(Glibc)
                let written = Glibc.write(descriptor, base + offset, raw.count - offset)
                #else
                let written = Darwin.write(descriptor, base + offset, raw.count - offset)
                #endif
                if written < 0 {
                    let code = errno
                    if code == EINTR || code == EAGAIN { continue }
                    return code == EPIPE ? .closed : .failed(errno: code)
                }
                offset += written
            }
            return nil
        }
        if let failure { throw failure }
    }
}
