import HostProtocol
import HostService

/// libFuzzer target over the host's whole inbound path: frame decoding (with the input split at a
/// fuzzer-chosen point and a small cap so oversize rejection is reached), envelope decoding (the
/// hand-written JSON parser) and the session's message table with the engine-less host. Every reply
/// must be exactly one frame within Chrome's 1 MiB limit.
///
/// Input layout: byte 0 picks the split point (as a fraction of the rest), byte 1 the frame cap
/// (0 → default 8 MiB, else byte × 64); the rest is the stdin stream.
private struct NoInput: ByteSource {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOFailure) -> Int { 0 }
}

private struct DiscardingSink: FrameSink {
    func write(_ bytes: [UInt8]) throws(IOFailure) {}
}

private func session(originAllowed: Bool) -> HostSession {
    HostSession(
        context: HostContext(
            hostVersion: "0.1.0", storePath: "/fuzz", originAllowed: originAllowed,
            diagnostics: { engine in
                DiagnosticsResult(
                    hostVersion: "0.1.0", protocolVersion: 1, platform: "fuzz", pid: 0, engine: engine,
                    storePath: "/fuzz", store: StoreStatus(exists: false, writable: false, mode: nil), logPath: nil, logTail: [])
            }),
        engine: NoEngine(), source: NoInput(), sink: DiscardingSink())
}

private let allowed = session(originAllowed: true)
private let refusing = session(originAllowed: false)

/// Runs one frame through a session's table and waits for its reply (the handlers of the engine-less
/// host finish without waiting on anything but the pool).
private func reply(_ session: HostSession, _ frame: [UInt8]) -> HostReply {
    let box = Locked<HostReply?>(nil)
    Task {
        let reply = await session.reply(toFrame: frame)
        box.withLock { $0 = reply }
        box.broadcast()
    }
    return box.wait(until: { $0 != nil }) { $0! }
}

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
            let answer: HostReply
            do {
                guard let frame = try decoder.nextFrame() else { break }
                precondition(frame.count <= cap, "frame above the cap")
                answer = reply(allowed, frame)
                check(reply(refusing, frame), refused: true)
            } catch {
                answer = HostRouter.reply(toRejectedFrame: error)
            }
            check(answer, refused: false)
        }
    }
    _ = decoder.finish()
    // The raw stream as a single frame body too (envelope decoder on arbitrary bytes).
    check(reply(allowed, stream), refused: false)
    return 0
}

/// A reply is exactly one well-formed frame of at most 1 MiB whose body is JSON.
private func check(_ reply: HostReply, refused: Bool) {
    precondition(reply.frame.count >= 4 && reply.frame.count <= NativeFrameEncoder.maximumMessageLength + 4)
    var decoder = NativeFrameDecoder(maximumFrameLength: NativeFrameEncoder.maximumMessageLength)
    decoder.append(reply.frame)
    let body = try? decoder.nextFrame()
    precondition(body != nil && decoder.bufferedByteCount == 0, "reply is not exactly one frame")
    precondition((try? JSONParser.parse(body!)) != nil, "reply is not JSON")
    precondition((reply.errorCode == .originNotAllowed) == refused)
}
