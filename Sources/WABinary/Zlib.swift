import CZlib

/// zlib (RFC 1950) through the system library, for compressed frames (docs/protocol/lower.md §4.1).
enum Zlib {
    /// Inflates a complete zlib stream, failing once the output would exceed `limit` bytes (so a small
    /// "zip bomb" costs at most `limit` bytes of memory). Input after the stream's end is ignored.
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int) throws(BinaryNodeDecodingError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .inflateFailed
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var status: Int32 = Z_OK
        var input = input
        let result: Result<[UInt8], BinaryNodeDecodingError> = input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            while status == Z_OK {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return target.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else { return .failure(.inflateFailed) }
                guard output.count + produced <= limit else { return .failure(.inflatedSizeLimitExceeded(limit: limit)) }
                output.append(contentsOf: chunk[0..<produced])
                // Z_OK with no input left and no output produced means the stream is truncated.
                if status == Z_OK && stream.avail_in == 0 && produced == 0 { return .failure(.inflateFailed) }
            }
            // Bytes after the end of the zlib stream are ignored, as whatsmeow's reader does (issue 11).
            return .success(output)
        }
        return try result.get()
    }

    /// Deflates with the default level.
    static func deflate(_ input: [UInt8]) -> [UInt8] {
        var capacity = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { target in
            input.withUnsafeBufferPointer { source in
                compress2(target.baseAddress, &capacity, source.baseAddress, uLong(source.count), Z_DEFAULT_COMPRESSION)
            }
        }
        // compress2 only fails for a too-small buffer (compressBound rules that out) or out of memory.
        precondition(status == Z_OK, "zlib compress2 failed: \(status)")
        return Array(output[0..<Int(capacity)])
    }
}
