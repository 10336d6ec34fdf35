import HostProtocol

/// libFuzzer target over the host's whole inbound path: frame decoding (with the input split at a
/// fuzzer-chosen point and a small cap so oversize rejection is reached), envelope decoding and
/// dispatch. Every reply must be exactly one frame within Chrome's 1 MiB limit.
///
/// Input layout: byte 0 picks the split point (as a fraction of the rest), byte 1 the frame cap
/// (0 → default 8 MiB, else byte × 64); the rest is the stdin stream.
private let dispatcher = HostDispatcher(
    context: HostContext(
        hostVersion: "0.1.0", storePath: "/fuzz", originAllowed: true,
        diagnostics: {
            DiagnosticsResult(
                hostVersion: "0.1.0", protocolVersion: 1, platform: "fuzz", pid: 0, engine: EngineSummary(state: .unavailable),
                storePath: "/fuzz", store: StoreStatus(exists: false, writable: false, mode: nil), logPath: nil, logTail: [])
        }))

private let refusing = HostDispatcher(
    context: HostContext(
        hostVersion: "0.1.0", storePath: "/fuzz", originAllowed: false,
        diagnostics: { fatalError("diagnostics must not be reached when the origin is refused") }))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 2 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let stream = Array(bytes.dropFirst(2))
    let split = stream.count * Int(bytes[0]) / 255
    let cap = bytes[1] == 0 ? NativeFrameDecoder.defaultMaximumFrameLength : Int(bytes[1]) * 64

    var decoder = NativeFrameDecoder(maximumFrameLength: cap)
    for chunk in [stream[..<split], stream[split...]] {
        decoder.append(chunk)
        while true {
            let reply: HostReply
            do {
                guard let frame = try decoder.nextFrame() else { break }
                precondition(frame.count <= cap, "frame above the cap")
                reply = dispatcher.reply(toFrame: frame)
                check(refusing.reply(toFrame: frame), refused: true)
            } catch {
                reply = dispatcher.reply(toRejectedFrame: error)
            }
            check(reply, refused: false)
        }
    }
    _ = decoder.finish()
    // The raw stream as a single frame body too (envelope decoder on arbitrary bytes).
    check(dispatcher.reply(toFrame: stream), refused: false)
    return 0
}

/// A reply is exactly one well-formed frame of at most 1 MiB.
private func check(_ reply: HostReply, refused: Bool) {
    precondition(reply.frame.count >= 4 && reply.frame.count <= NativeFrameEncoder.maximumMessageLength + 4)
    var decoder = NativeFrameDecoder(maximumFrameLength: NativeFrameEncoder.maximumMessageLength)
    decoder.append(reply.frame)
    let body = try? decoder.nextFrame()
    precondition(body != nil && decoder.bufferedByteCount == 0, "reply is not exactly one frame")
    precondition(reply.endsSession == refused)
    if refused { precondition(reply.errorCode == .originNotAllowed) }
}
