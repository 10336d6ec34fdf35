import WANoise

/// Noise transport (issue 3): WebSocket messages into the 3-byte frame decoder (either role), every frame
/// decrypted with a fixed key, and the handshake messages and certificate chain parsed from the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let control = bytes[0]
    let body = Array(bytes.dropFirst())
    var decoder = WAFrameDecoder(role: control & 1 == 0 ? .client : .server, maximumFrameLength: 1 << 16)
    var cipher = NoiseCipherState(key: [UInt8](repeating: 7, count: 32))
    let chunk = Int(control >> 1) + 1
    var offset = 0
    loop: while offset < body.count {
        let end = min(offset + chunk, body.count)
        decoder.append(Array(body[offset..<end]))
        offset = end
        while true {
            do {
                guard let frame = try decoder.nextFrame() else { break }
                _ = try? cipher.decryptWithAd([], ciphertext: frame)
            } catch {
                break loop
            }
        }
    }
    _ = try? WAHandshakeMessage.parseClientHello(body)
    _ = try? WAHandshakeMessage.parseServerHello(body)
    _ = try? WAHandshakeMessage.parseClientFinish(body)
    _ = try? WACertificateChain.verify(
        serialized: body, rootPublicKey: WACertificateChain.whatsAppRootPublicKey,
        serverStaticKey: [UInt8](repeating: 1, count: 32), now: 1_800_000_000)
    return 0
}
