import Testing
@testable import SignalProtocol

@Suite struct MessageDecodingTests {
    @Test func garbageNeverCrashesAnyDecoder() {
        var random = SeededGenerator(seed: 60)
        for length in 0..<600 {
            var bytes = random.bytes(length % 200)
            if length.isMultiple(of: 2), !bytes.isEmpty { bytes[0] = 0x33 }
            for decode in [
                { _ = try SignalMessage(serialized: bytes) }, { _ = try PreKeySignalMessage(serialized: bytes) },
                { _ = try SenderKeyMessage(serialized: bytes) }, { _ = try SenderKeyDistributionMessage(serialized: bytes) },
            ] as [() throws -> Void] {
                do { try decode() } catch { #expect(error is SignalError) }
            }
        }
    }

    @Test func wrongVersionIsRejected() {
        #expect(throws: SignalError.unsupportedVersion(2)) { try SignalMessage(serialized: [0x22] + [UInt8](repeating: 0, count: 20)) }
        #expect(throws: SignalError.unsupportedVersion(4)) { try PreKeySignalMessage(serialized: [0x43, 0x08, 0x01]) }
    }

    @Test func truncatedMessagesAreRejected() {
        #expect(throws: SignalError.malformedMessage(.truncated)) { try SignalMessage(serialized: [0x33, 1, 2]) }
        #expect(throws: SignalError.malformedMessage(.truncated)) { try PreKeySignalMessage(serialized: [0x33]) }
        #expect(throws: SignalError.malformedMessage(.truncated)) { try SenderKeyMessage(serialized: [0x33] + [UInt8](repeating: 0, count: 64)) }
    }

    @Test func missingFieldsAreRejected() {
        // 0x33 ‖ {2: 5} ‖ 8-byte MAC: no ratchet key.
        #expect(throws: SignalError.malformedMessage(.missingField("ratchetKey"))) {
            try SignalMessage(serialized: [0x33, 0x10, 0x05] + [UInt8](repeating: 0, count: 8))
        }
        #expect(throws: SignalError.malformedMessage(.protobuf)) {
            try SignalMessage(serialized: [0x33, 0x0A, 0x7F] + [UInt8](repeating: 0, count: 8))
        }
    }

    @Test func hugeMessageIsRejectedBeforeParsing() {
        let huge = [UInt8](repeating: 0x33, count: SignalMessage.maximumLength + 1)
        #expect(throws: SignalError.malformedMessage(.invalidField("length"))) { try SignalMessage(serialized: huge) }
    }
}
