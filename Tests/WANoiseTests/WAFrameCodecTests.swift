import Testing
@testable import WANoise

/// The 3-byte frame codec and the connection intro (docs/protocol/lower.md §1.2–1.3).
@Suite struct WAFrameCodecTests {
    @Test func firstClientFrameCarriesConnectionHeaderOnlyOnce() throws {
        var encoder = WAFrameEncoder(role: .client(routingInfo: nil))
        #expect(try encoder.encode([0xAA]) == [0x57, 0x41, 0x06, 0x03, 0x00, 0x00, 0x01, 0xAA])
        #expect(try encoder.encode([0xBB, 0xCC]) == [0x00, 0x00, 0x02, 0xBB, 0xCC])
    }

    @Test func routingInfoAddsEdgeBlockBeforeHeader() throws {
        var encoder = WAFrameEncoder(role: .client(routingInfo: [1, 2, 3]))
        #expect(try encoder.encode([]) == [0x45, 0x44, 0x00, 0x01, 0x00, 0x00, 0x03, 1, 2, 3, 0x57, 0x41, 0x06, 0x03, 0, 0, 0])
    }

    @Test func serverEncoderWritesPlainFrames() throws {
        var encoder = WAFrameEncoder(role: .server)
        #expect(try encoder.encode([7]) == [0, 0, 1, 7])
    }

    @Test func encoderRefusesPayloadAboveMaximum() {
        var encoder = WAFrameEncoder(role: .server, maximumFrameLength: 4)
        #expect(throws: WAFrameError.frameTooLarge(length: 5, maximum: 4)) { try encoder.encode([0, 1, 2, 3, 4]) }
    }

    @Test func frameLengthIsBigEndian() throws {
        var encoder = WAFrameEncoder(role: .server)
        let frame = try encoder.encode([UInt8](repeating: 1, count: 0x01_02_03))
        #expect(Array(frame.prefix(3)) == [0x01, 0x02, 0x03])
    }

    /// Feeds `stream` split at every single index, and one byte at a time, and expects the same frames.
    func verifyEverySplit(_ stream: [UInt8], role: WAFrameDecoder.Role, expected: [[UInt8]]) throws {
        for cut in 0...stream.count {
            var decoder = WAFrameDecoder(role: role)
            var frames: [[UInt8]] = []
            for chunk in [Array(stream[..<cut]), Array(stream[cut...])] {
                decoder.append(chunk)
                while let frame = try decoder.nextFrame() { frames.append(frame) }
            }
            #expect(frames == expected, "split at \(cut)")
            #expect(decoder.bufferedByteCount == 0)
        }
        var decoder = WAFrameDecoder(role: role)
        var frames: [[UInt8]] = []
        for byte in stream {
            decoder.append([byte])
            while let frame = try decoder.nextFrame() { frames.append(frame) }
        }
        #expect(frames == expected, "byte by byte")
    }

    @Test func frameSplitAcrossEveryByteBoundaryDecodes() throws {
        var encoder = WAFrameEncoder(role: .server)
        let payloads: [[UInt8]] = [[1, 2, 3], [], [4], [UInt8](repeating: 9, count: 300)]
        var stream: [UInt8] = []
        for payload in payloads { stream += try encoder.encode(payload) }
        try verifyEverySplit(stream, role: .client, expected: payloads)
    }

    @Test func serverDecoderReadsIntroThenFramesAcrossEverySplit() throws {
        var encoder = WAFrameEncoder(role: .client(routingInfo: nil))
        let payloads: [[UInt8]] = [[0x12, 0x22], [5, 6]]
        var stream: [UInt8] = []
        for payload in payloads { stream += try encoder.encode(payload) }
        try verifyEverySplit(stream, role: .server, expected: payloads)
    }

    @Test func routingInfoTooLongForTheThreeByteLengthIsATypedErrorNotATrap() throws {
        let tooLong = [UInt8](repeating: 0x11, count: WAConnectionHeader.maximumRoutingInfoLength + 1)
        #expect(throws: WAFrameError.routingInfoTooLarge(length: tooLong.count, maximum: (1 << 24) - 1)) {
            _ = try WAConnectionHeader.intro(routingInfo: tooLong)
        }
        var encoder = WAFrameEncoder(role: .client(routingInfo: tooLong))
        #expect(encoder.introPending)
        for _ in 0..<2 {
            #expect(throws: WAFrameError.routingInfoTooLarge(length: tooLong.count, maximum: (1 << 24) - 1)) {
                _ = try encoder.encode([0x01])
            }
        }
    }

    @Test func serverDecoderReadsRoutingInfoAcrossEverySplit() throws {
        var encoder = WAFrameEncoder(role: .client(routingInfo: [0xE1, 0xE2]))
        let stream = try encoder.encode([1]) + encoder.encode([2])
        try verifyEverySplit(stream, role: .server, expected: [[1], [2]])
        var decoder = WAFrameDecoder(role: .server)
        decoder.append(stream)
        _ = try decoder.nextFrame()
        #expect(decoder.routingInfo == [0xE1, 0xE2])
    }

    @Test(arguments: [
        [UInt8]([0x57, 0x41, 0x06, 0x02]), [0x00, 0x00, 0x01, 0x00], [0x47], [0x45, 0x44, 0x00, 0x02],
    ])
    func serverDecoderRejectsBadConnectionHeader(_ intro: [UInt8]) {
        var decoder = WAFrameDecoder(role: .server)
        decoder.append(intro + [0, 0, 0])
        #expect(throws: WAFrameError.badConnectionHeader) { try decoder.nextFrame() }
        // The error is final.
        decoder.append([0x57, 0x41, 0x06, 0x03])
        #expect(throws: WAFrameError.badConnectionHeader) { try decoder.nextFrame() }
    }

    @Test func serverDecoderRejectsBadHeaderAfterRoutingInfo() {
        var decoder = WAFrameDecoder(role: .server)
        decoder.append([0x45, 0x44, 0x00, 0x01, 0x00, 0x00, 0x01, 0xFF, 0x57, 0x41, 0x06, 0x09])
        #expect(throws: WAFrameError.badConnectionHeader) { try decoder.nextFrame() }
    }

    @Test func routingInfoAboveMaximumIsRejectedWithoutBuffering() {
        var decoder = WAFrameDecoder(role: .server, maximumRoutingInfoLength: 16)
        decoder.append([0x45, 0x44, 0x00, 0x01, 0xFF, 0xFF, 0xFF])
        #expect(throws: WAFrameError.routingInfoTooLarge(length: 0xFF_FFFF, maximum: 16)) { try decoder.nextFrame() }
    }

    @Test func lengthAboveMaximumIsRejectedWithoutBuffering() {
        var decoder = WAFrameDecoder(role: .client, maximumFrameLength: 1024)
        decoder.append([0xFF, 0xFF, 0xFF])
        #expect(throws: WAFrameError.frameTooLarge(length: 0xFF_FFFF, maximum: 1024)) { try decoder.nextFrame() }
        #expect(decoder.bufferedByteCount == 0)
        decoder.append([0, 0, 0])
        #expect(throws: WAFrameError.frameTooLarge(length: 0xFF_FFFF, maximum: 1024)) { try decoder.nextFrame() }
    }

    @Test func partialLengthHeaderWaitsForMoreBytes() throws {
        var decoder = WAFrameDecoder(role: .client)
        decoder.append([0x00, 0x00])
        #expect(try decoder.nextFrame() == nil)
        decoder.append([0x02, 0xAB])
        #expect(try decoder.nextFrame() == nil)
        decoder.append([0xCD, 0x00])
        #expect(try decoder.nextFrame() == [0xAB, 0xCD])
        #expect(try decoder.nextFrame() == nil)
        #expect(decoder.bufferedByteCount == 1)
    }

    @Test func decoderCompactsItsBufferOverManyFrames() throws {
        var decoder = WAFrameDecoder(role: .client)
        var encoder = WAFrameEncoder(role: .server)
        for round in 0..<2000 {
            decoder.append(try encoder.encode([UInt8](repeating: UInt8(truncatingIfNeeded: round), count: 100)))
            #expect(try decoder.nextFrame()?.count == 100)
        }
        #expect(decoder.bufferedByteCount == 0)
    }
}
