import HostProtocol

/// Native messaging (issue 2): hostile stdin split at input-chosen points, through the frame decoder
/// (with a small cap so rejection and skipping are reached) and every frame through the dispatcher.
/// The first byte picks the chunk size; the rest is the stream.
private let dispatcher = HostDispatcher(
    context: HostContext(
        hostVersion: "fuzz", storePath: "/nonexistent", originAllowed: true,
        diagnostics: {
            DiagnosticsResult(
                hostVersion: "fuzz", protocolVersion: 1, platform: "fuzz", pid: 1,
                engine: EngineSummary(state: .unavailable), storePath: "/nonexistent",
                store: StoreStatus(exists: false, writable: false, mode: nil), logPath: nil, logTail: [])
        }))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let chunk = Int(bytes[0] & 0x3F) + 1
    var decoder = NativeFrameDecoder(maximumFrameLength: 4096)
    var offset = 1
    while offset < bytes.count {
        let end = min(offset + chunk, bytes.count)
        decoder.append(bytes[offset..<end])
        offset = end
        while true {
            do {
                guard let frame = try decoder.nextFrame() else { break }
                let reply = dispatcher.reply(toFrame: frame)
                precondition(reply.frame.count <= 4 + 1024 * 1024, "reply above Chrome's 1 MiB limit")
            } catch {
                _ = dispatcher.reply(toRejectedFrame: error)
            }
        }
    }
    _ = decoder.finish()
    // The whole input as one frame body too (envelope decoding without framing).
    _ = dispatcher.reply(toFrame: Array(bytes.dropFirst()))
    return 0
}
