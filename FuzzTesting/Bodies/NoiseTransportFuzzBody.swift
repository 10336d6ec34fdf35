import WANoise

/// WhatsApp transport frames (WAFrameDecoder, both roles), transport decryption (NoiseTransport) and the
/// handshake-message parsers. Any input must end in frames or a typed error.
///
/// Byte 0 picks the role (bit 0) and the chunk size (the other bits); the rest is the stream, fed in chunks.
enum NoiseTransportFuzzBody {
    static let maximumFrameLength = 1 << 16

    static func run(_ input: [UInt8]) throws(FuzzFinding) {
        guard let control = input.first else { return }
        let stream = input.dropFirst()
        let role: WAFrameDecoder.Role = control & 1 == 0 ? .client : .server
        let chunk = Int(control >> 1) + 1
        var decoder = WAFrameDecoder(role: role, maximumFrameLength: maximumFrameLength, maximumRoutingInfoLength: 64)
        let key = [UInt8](repeating: 0x42, count: 32)
        var transport = NoiseTransport(
            sender: NoiseCipherState(key: key, maximumNonce: NoiseRules.whatsApp.maximumNonce),
            receiver: NoiseCipherState(key: key, maximumNonce: NoiseRules.whatsApp.maximumNonce))
        var offset = stream.startIndex
        while offset < stream.endIndex {
            let end = min(offset + chunk, stream.endIndex)
            decoder.append(Array(stream[offset..<end]))
            offset = end
            while true {
                let next: [UInt8]?
                do {
                    next = try decoder.nextFrame()
                } catch {
                    return  // a typed framing error ends the stream
                }
                guard let frame = next else { break }
                try FuzzFinding.check(frame.count <= maximumFrameLength, "a frame above the decoder's limit")
                _ = try? transport.decrypt(frame)
                _ = try? WAHandshakeMessage.parseServerHello(frame)
                _ = try? WAHandshakeMessage.parseClientFinish(frame)
            }
        }
    }
}
