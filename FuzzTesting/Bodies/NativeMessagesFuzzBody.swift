import HostProtocol

/// The host's whole inbound path: frame decoding (with the input split at a fuzzer-chosen point and a
/// small cap so oversize rejection is reached), envelope decoding and dispatch. Every reply must be
/// exactly one frame within Chrome's 1 MiB limit; a refused origin ends the session with `originNotAllowed`.
///
/// Input layout: byte 0 picks the split point (as a fraction of the rest), byte 1 the frame cap
/// (0 → the default, else byte × 64); the rest is the stdin stream.
enum NativeMessagesFuzzBody {
    static let dispatcher = HostDispatcher(
        context: HostContext(
            hostVersion: "0.1.0", storePath: "/fuzz", originAllowed: true,
            diagnostics: {
                DiagnosticsResult(
                    hostVersion: "0.1.0", protocolVersion: 1, platform: "fuzz", pid: 0,
                    engine: EngineSummary(state: .unavailable), storePath: "/fuzz",
                    store: StoreStatus(exists: false, writable: false, mode: nil), logPath: nil, logTail: [])
            }))

    static let refusing = HostDispatcher(
        context: HostContext(
            hostVersion: "0.1.0", storePath: "/fuzz", originAllowed: false,
            diagnostics: { fatalError("diagnostics must not be reached when the origin is refused") }))

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
                    try check(dispatcher.reply(toRejectedFrame: error), refused: false)
                    continue
                }
                guard let frame = next else { break }
                try FuzzFinding.check(frame.count <= cap, "a frame above the cap was returned")
                try check(dispatcher.reply(toFrame: frame), refused: false)
                try check(refusing.reply(toFrame: frame), refused: true)
            }
        }
        _ = decoder.finish()
        // The raw stream as a single frame body too (the envelope decoder on arbitrary bytes).
        try check(dispatcher.reply(toFrame: stream), refused: false)
    }

    /// A reply is exactly one well-formed frame of at most 1 MiB.
    static func check(_ reply: HostReply, refused: Bool) throws(FuzzFinding) {
        try FuzzFinding.check(
            reply.frame.count >= 4 && reply.frame.count <= NativeFrameEncoder.maximumMessageLength + 4,
            "a reply frame of \(reply.frame.count) bytes")
        var decoder = NativeFrameDecoder(maximumFrameLength: NativeFrameEncoder.maximumMessageLength)
        decoder.append(reply.frame)
        let body = try? decoder.nextFrame()
        try FuzzFinding.check(body != nil && decoder.bufferedByteCount == 0, "a reply is not exactly one frame")
        try FuzzFinding.check(reply.endsSession == refused, "endsSession is \(reply.endsSession), expected \(refused)")
        if refused {
            try FuzzFinding.check(reply.errorCode == .originNotAllowed, "a refused origin answered \(String(describing: reply.errorCode))")
        }
    }
}
