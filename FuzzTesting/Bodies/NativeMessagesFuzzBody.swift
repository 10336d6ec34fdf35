import HostProtocol
import HostService

/// The host's whole inbound path: frame decoding (with the input split at a fuzzer-chosen point and a
/// small cap so oversize rejection is reached), envelope decoding (the hand-written JSON parser) and the
/// session's message table with the engine-less host. Every reply must be exactly one frame within
/// Chrome's 1 MiB limit whose body is JSON; a refused origin answers `originNotAllowed`.
///
/// Input layout: byte 0 picks the split point (as a fraction of the rest), byte 1 the frame cap
/// (0 → the default, else byte × 64); the rest is the stdin stream.
enum NativeMessagesFuzzBody {
    private struct NoInput: ByteSource {
        func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOFailure) -> Int { 0 }
    }

    private struct DiscardingSink: FrameSink {
        func write(_ bytes: [UInt8]) throws(IOFailure) {}
    }

    private static func session(originAllowed: Bool) -> HostSession {
        HostSession(
            context: HostContext(
                hostVersion: "0.1.0", storePath: "/fuzz", originAllowed: originAllowed,
                diagnostics: { engine in
                    DiagnosticsResult(
                        hostVersion: "0.1.0", protocolVersion: 1, platform: "fuzz", pid: 0, engine: engine,
                        storePath: "/fuzz", store: StoreStatus(exists: false, writable: false, mode: nil),
                        logPath: nil, logTail: [])
                }),
            engine: NoEngine(), source: NoInput(), sink: DiscardingSink())
    }

    private static let allowed = session(originAllowed: true)
    private static let refusing = session(originAllowed: false)

    /// Runs one frame through a session's table and waits for its reply (the handlers of the
    /// engine-less host finish without waiting on anything but the pool).
    private static func reply(_ session: HostSession, _ frame: [UInt8]) -> HostReply {
        let box = Locked<HostReply?>(nil)
        Task {
            let reply = await session.reply(toFrame: frame)
            box.withLock { $0 = reply }
            box.broadcast()
        }
        return box.wait(until: { $0 != nil }) { $0! }
    }

    static func run(_ bytes: [UInt8]) throws(FuzzFinding) {
        guard bytes.count >= 2 else { return }
        let stream = Array(bytes.dropFirst(2))
        let split = stream.count * Int(bytes[0]) / 255
        let cap = bytes[1] == 0 ? NativeFrameDecoder.defaultMaximumFrameLength : Int(bytes[1]) * 64

        var decoder = NativeFrameDecoder(maximumFrameLength: cap)
        for chunk in [stream[..<split], stream[split...]] {
            decoder.append(chunk)
            while true {
                let next: [UInt8]?
                do {
                    next = try decoder.nextFrame()
                } catch {
                    // Rejected (above the cap): answered with an error, and the decoder skips the body.
                    try check(HostRouter.reply(toRejectedFrame: error), refused: false)
                    continue
                }
                guard let frame = next else { break }
                try FuzzFinding.check(frame.count <= cap, "a frame above the cap was returned")
                try check(reply(allowed, frame), refused: false)
                try check(reply(refusing, frame), refused: true)
            }
        }
        _ = decoder.finish()
        // The raw stream as a single frame body too (the envelope decoder on arbitrary bytes).
        try check(reply(allowed, stream), refused: false)
    }

    /// A reply is exactly one well-formed frame of at most 1 MiB whose body is JSON.
    static func check(_ reply: HostReply, refused: Bool) throws(FuzzFinding) {
        try FuzzFinding.check(
            reply.frame.count >= 4 && reply.frame.count <= NativeFrameEncoder.maximumMessageLength + 4,
            "a reply frame of \(reply.frame.count) bytes")
        var decoder = NativeFrameDecoder(maximumFrameLength: NativeFrameEncoder.maximumMessageLength)
        decoder.append(reply.frame)
        let body = try? decoder.nextFrame()
        try FuzzFinding.check(body != nil && decoder.bufferedByteCount == 0, "a reply is not exactly one frame")
        try FuzzFinding.check((try? JSONParser.parse(body!)) != nil, "a reply is not JSON")
        try FuzzFinding.check(
            (reply.errorCode == .originNotAllowed) == refused,
            "a reply's error \(String(describing: reply.errorCode)) with the origin refused: \(refused)")
    }
}
