// libFuzzer target: WhatsApp transport frames (WAFrameDecoder, both roles) and transport decryption
// (NoiseTransport), plus the handshake-message parsers. Any input must end in frames or a typed error,
// never a crash. Crashers go to FailCases/FuzzNoiseTransport/ and are replayed by
// Tests/WANoiseTests/FuzzRegressionTests.swift (same body).
import WANoise

#if canImport(Glibc)
import Glibc
#endif

// Entry point: tests/suites/50-fuzz.sh compiles this with -parse-as-library and links a generated
// `<Target>_main` that calls libFuzzer's driver (see FuzzTesting/README.md), so this file only exports
// LLVMFuzzerTestOneInput.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    fuzzNoiseTransport(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// Byte 0 picks the role and the chunk size; the rest is the stream, fed in chunks.
func fuzzNoiseTransport(_ input: [UInt8]) {
    guard let control = input.first else { return }
    let stream = input.dropFirst()
    let role: WAFrameDecoder.Role = control & 1 == 0 ? .client : .server
    let chunk = Int(control >> 1) + 1
    var decoder = WAFrameDecoder(role: role, maximumFrameLength: 1 << 16, maximumRoutingInfoLength: 64)
    let key = [UInt8](repeating: 0x42, count: 32)
    var transport = NoiseTransport(
        sender: NoiseCipherState(key: key, maximumNonce: NoiseRules.whatsApp.maximumNonce),
        receiver: NoiseCipherState(key: key, maximumNonce: NoiseRules.whatsApp.maximumNonce))
    var offset = stream.startIndex
    while offset < stream.endIndex {
        let end = min(offset + chunk, stream.endIndex)
        decoder.append(Array(stream[offset..<end]))
        offset = end
        do {
            while let frame = try decoder.nextFrame() {
                _ = try? transport.decrypt(frame)
                _ = try? WAHandshakeMessage.parseServerHello(frame)
                _ = try? WAHandshakeMessage.parseClientFinish(frame)
            }
        } catch {
            return
        }
    }
}
