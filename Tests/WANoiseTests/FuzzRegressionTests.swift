import Foundation
import Testing
@testable import WANoise

/// Replays the FuzzNoiseTransport body (FuzzTesting/Sources/FuzzNoiseTransport) on every kept crasher in
/// FuzzTesting/FailCases/FuzzNoiseTransport/ and on a few hand-made hostile streams: each must end in
/// frames or a typed error, never a crash.
@Suite struct FuzzRegressionTests {
    static var failCases: [URL] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("FuzzTesting/FailCases/FuzzNoiseTransport")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
    }

    static let handMade: [[UInt8]] = [
        [0x00, 0xFF, 0xFF, 0xFF],  // client: maximal length header
        [0x01, 0x45, 0x44, 0x00, 0x01, 0xFF, 0xFF, 0xFF],  // server: huge routing info
        [0x01, 0x57, 0x41, 0x06, 0x03, 0x00, 0x00, 0x10] + [UInt8](repeating: 0xAB, count: 16),  // a tag-only frame
        [0x20, 0x00, 0x00, 0x03, 0x12, 0x01, 0xFF],  // client: truncated protobuf
        [0x00] + [UInt8](repeating: 0x00, count: 30),  // empty frames
    ]

    @Test func keptCrashersAndHostileStreamsDoNotCrash() throws {
        for url in Self.failCases { replay(Array(try Data(contentsOf: url))) }
        for input in Self.handMade { replay(input) }
    }

    /// The same body as the fuzz target.
    func replay(_ input: [UInt8]) {
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
}
