#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file operations the host needs, with its permission rules (dirs 0700, files 0600).
public enum FileSystem {
    /// Creates `path` and missing parents with mode 0700; existing directories are left as they are.
    ///
    /// - Returns: true when the directory exists afterwards.
    @discardableResult
    public static func makeDirectory(_ path: String) -> Bool {
        if isDirectory(path) { return true }
        var prefix = ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + component
            if !isDirectory(prefix), mkdir(prefix, 0o700) != 0, errno != EEXIST { return false }
        }
        return isDirectory(path)
    }

    public static func isDirectory(_ path: String) -> Bool {
        guard let mode = mode(path) else { return false }
        return mode & S_IFMT == S_IFDIR
    }

    public static func exists(_ path: String) -> Bool { mode(path) != nil }

    /// The `st_mode` of `path` (following symlinks), or `nil` when it does not exist.
    public static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode
    }

    public static func isWritable(_ path: String) -> Bool { access(path, W_OK) == 0 }

    public static func isExecutable(_ path: String) -> Bool {
        guard let mode = mode(path), mode & S_IFMT == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }

    /// Permission bits as three octal digits: `"700"`.
    public static func octalPermissions(_ mode: mode_t) -> String {
        String(UInt32(mode) & 0o777, radix: 8)
    }

    /// Reads at most `limit` bytes from the end of the file.
    public static func readTail(_ path: String, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let size = lseek(fd, 0, SEEK_END)
        guard size >= 0 else { return nil }
        let start = max(0, Int(size) - limit)
        guard lseek(fd, off_t(start), SEEK_SET) >= 0 else { return nil }
        return readAll(fd, limit: limit)
    }

    /// Reads a whole (small) file, refusing files above `limit` bytes.
    public static func readFile(_ path: String, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard let bytes = readAll(fd, limit: limit + 1), bytes.count <= limit else { return nil }
        return bytes
    }

    private static func readAll(_ fd: Int32, limit: Int) -> [UInt8]? {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while result.count < limit {
            let wanted = min(chunk.count, limit - result.count)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, wanted) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }

    /// The absolute path of the running executable (`/proc/self/exe` on Linux).
    public static func currentExecutable() -> String? {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBufferPointer { pointer -> Int in
            guard let base = pointer.baseAddress else { return -1 }
            return readlink("/proc/self/exe", base, pointer.count)
        }
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #else
        var size = UInt32(4096)
        var buffer = [CChar](repeating: 0, count: Int(size))
        guard _NSGetExecutablePath(&buffer, &size) == 0 else { return nil }
        var resolved = [CChar](repeating: 0, count: Int(PATH_MAX))
        guard realpath(buffer, &resolved) != nil else { return nil }
        return String(cString: resolved)
        #endif
    }
}
