import Testing
@testable import HostProtocol

/// Little-endian header + body, built by hand (independent of the encoder under test).
func rawFrame(_ body: [UInt8]) -> [UInt8] {
    let n = UInt32(body.count)
    return [UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24)] + body
}

func rawFrame(_ text: String) -> [UInt8] { rawFrame(Array(text.utf8)) }

/// Feeds `input` split into `chunks` and collects every frame (ByteToMessageDecoderVerifier idea).
func decodeAll(_ chunks: [[UInt8]], maximum: Int = NativeFrameDecoder.defaultMaximumFrameLength)
    -> (frames: [[UInt8]], errors: [NativeFrameError], finish: NativeFrameError?)
{
    var decoder = NativeFrameDecoder(maximumFrameLength: maximum)
    var frames: [[UInt8]] = []
    var errors: [NativeFrameError] = []
    for chunk in chunks {
        decoder.append(chunk)
        while true {
            do {
                guard let frame = try decoder.nextFrame() else { break }
                frames.append(frame)
            } catch {
                errors.append(error)
            }
        }
    }
    return (frames, errors, decoder.finish())
}

@Suite struct NativeFrameDecoderTests {
    static let bodies: [[UInt8]] = [
        Array(#"{"id":1,"type":"host.hello"}"#.utf8), [], Array("{\"t\":\"héllo ✓ 👋\"}".utf8), [UInt8](repeating: 0x41, count: 300),
    ]

    @Test func framesDecodeWhenSplitAtEveryByteIndex() {
        let stream = Self.bodies.flatMap(rawFrame)
        for split in 0...stream.count {
            let result = decodeAll([Array(stream[..<split]), Array(stream[split...])])
            #expect(result.frames == Self.bodies, "split at \(split)")
            #expect(result.errors.isEmpty)
            #expect(result.finish == nil)
        }
    }

    @Test func framesDecodeWhenFedOneByteAtATime() {
        let stream = Self.bodies.flatMap(rawFrame)
        let result = decodeAll(stream.map { [$0] })
        #expect(result.frames == Self.bodies)
        #expect(result.finish == nil)
    }

    @Test func framesDecodeWhenFedAllAtOnce() {
        let result = decodeAll([Self.bodies.flatMap(rawFrame)])
        #expect(result.frames == Self.bodies)
    }

    @Test func lengthIsReadLittleEndian() throws {
        var decoder = NativeFrameDecoder()
        decoder.append([0x02, 0x00, 0x00, 0x00, 0x7B, 0x7D])
        #expect(try decoder.nextFrame() == [0x7B, 0x7D])
    }

    @Test func lengthCountsUTF8BytesNotCharacters() throws {
        let text = "ção👋"  // 4 characters, 9 bytes
        var decoder = NativeFrameDecoder()
        decoder.append([9, 0, 0, 0] + Array(text.utf8))
        #expect(try decoder.nextFrame().map { String(decoding: $0, as: UTF8.self) } == text)
    }

    @Test func lengthAboveMaximumIsRejectedWithoutBuffering() {
        var decoder = NativeFrameDecoder(maximumFrameLength: 16)
        decoder.append([17, 0, 0, 0])
        #expect(throws: NativeFrameError.frameTooLarge(length: 17, limit: 16)) { try decoder.nextFrame() }
        #expect(decoder.bufferedByteCount == 0)
        #expect(decoder.isSkippingRejectedFrame)
        decoder.append([UInt8](repeating: 0x20, count: 10))
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func lengthAtMaximumIsAccepted() throws {
        var decoder = NativeFrameDecoder(maximumFrameLength: 16)
        decoder.append(rawFrame([UInt8](repeating: 0x31, count: 16)))
        #expect(try decoder.nextFrame()?.count == 16)
    }

    @Test func framesAfterARejectedFrameStillDecodeAtEverySplit() {
        let oversized = rawFrame([UInt8](repeating: 0x78, count: 40))
        let stream = oversized + rawFrame("{}") + rawFrame("[]")
        for split in 0...stream.count {
            let result = decodeAll([Array(stream[..<split]), Array(stream[split...])], maximum: 8)
            #expect(result.errors == [.frameTooLarge(length: 40, limit: 8)], "split at \(split)")
            #expect(result.frames == [Array("{}".utf8), Array("[]".utf8)], "split at \(split)")
            #expect(result.finish == nil)
        }
    }

    @Test func fourGigabyteLengthIsRejectedAtTheHeader() {
        var decoder = NativeFrameDecoder()
        decoder.append([0xFF, 0xFF, 0xFF, 0xFF, 0x7B])
        #expect(throws: NativeFrameError.frameTooLarge(length: UInt32.max, limit: 8 * 1024 * 1024)) {
            try decoder.nextFrame()
        }
        #expect(decoder.bufferedByteCount == 0)
        #expect(decoder.finish() == .truncatedBody(expected: Int(UInt32.max) - 1, available: 0))
    }

    @Test func truncatedHeaderIsReportedAtEnd() {
        for count in 1...3 {
            let result = decodeAll([Array(rawFrame("{}").prefix(count))])
            #expect(result.frames.isEmpty)
            #expect(result.finish == .truncatedHeader(available: count))
        }
    }

    @Test func truncatedBodyIsReportedAtEnd() {
        let result = decodeAll([Array(rawFrame("{\"id\":1}").dropLast(3))])
        #expect(result.frames.isEmpty)
        #expect(result.finish == .truncatedBody(expected: 8, available: 5))
    }

    @Test func zeroLengthFrameIsAnEmptyBody() throws {
        var decoder = NativeFrameDecoder()
        decoder.append([0, 0, 0, 0])
        #expect(try decoder.nextFrame() == [])
        #expect(decoder.finish() == nil)
    }

    @Test func manyFramesDoNotAccumulateBufferedBytes() throws {
        var decoder = NativeFrameDecoder()
        let frame = rawFrame([UInt8](repeating: 0x61, count: 1000))
        for _ in 0..<2000 {
            decoder.append(frame)
            #expect(try decoder.nextFrame()?.count == 1000)
        }
        #expect(decoder.bufferedByteCount == 0)
    }
}

@Suite struct NativeFrameEncoderTests {
    @Test func headerIsLittleEndianByteCount() throws {
        let body = Array("{\"a\":\"é\"}".utf8)
        #expect(try NativeFrameEncoder.encode(body) == [UInt8(body.count), 0, 0, 0] + body)
        let big = [UInt8](repeating: 0x20, count: 0x010203)
        #expect(try NativeFrameEncoder.encode(big).prefix(4) == [0x03, 0x02, 0x01, 0x00])
    }

    @Test func messageOfExactlyOneMebibyteIsAllowed() throws {
        #expect(try NativeFrameEncoder.encode([UInt8](repeating: 0x20, count: 1 << 20)).count == (1 << 20) + 4)
    }

    @Test func messageAboveOneMebibyteIsRefused() {
        #expect(throws: NativeFrameError.messageTooLarge(length: (1 << 20) + 1, limit: 1 << 20)) {
            try NativeFrameEncoder.encode([UInt8](repeating: 0x20, count: (1 << 20) + 1))
        }
    }

    @Test func encodedFramesDecodeBack() throws {
        var decoder = NativeFrameDecoder()
        let bodies = [Array("{}".utf8), Array("\"👋\"".utf8)]
        for body in bodies { decoder.append(try NativeFrameEncoder.encode(body)) }
        #expect(try decoder.nextFrame() == bodies[0])
        #expect(try decoder.nextFrame() == bodies[1])
    }
}
