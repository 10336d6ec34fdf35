import Testing
@testable import WASim

@Suite struct ConnectionIntroTests {
    @Test func plainWAHeaderIsAcceptedAndTheRestIsKept() {
        #expect(
            ConnectionIntro.parse([0x57, 0x41, 0x06, 0x03, 0x00, 0x00, 0x24])
                == .success(ConnectionIntro(routingInfo: nil), rest: [0x00, 0x00, 0x24]))
    }

    @Test func headerSplitAcrossMessagesNeedsMoreData() {
        #expect(ConnectionIntro.parse([]) == .needMoreData)
        #expect(ConnectionIntro.parse([0x57]) == .needMoreData)
        #expect(ConnectionIntro.parse([0x57, 0x41, 0x06]) == .needMoreData)
    }

    @Test func wrongMagicOrDictionaryVersionIsRejected() {
        #expect(ConnectionIntro.parse([0x57, 0x41, 0x05, 0x03]) == .failure(.wrongMagic(5)))
        #expect(ConnectionIntro.parse([0x57, 0x41, 0x06, 0x02]) == .failure(.wrongDictionaryVersion(2)))
        #expect(ConnectionIntro.parse([0x47, 0x45, 0x54, 0x20]) == .failure(.notWA))
    }

    @Test func edgeRoutingPrefixIsParsed() {
        let bytes: [UInt8] = [0x45, 0x44, 0x00, 0x01, 0x00, 0x00, 0x02, 0xAA, 0xBB, 0x57, 0x41, 0x06, 0x03, 0x01]
        #expect(ConnectionIntro.parse(bytes) == .success(ConnectionIntro(routingInfo: [0xAA, 0xBB]), rest: [0x01]))
    }

    @Test func routingInfoLongerThanTheLimitIsRejectedWithoutBuffering() {
        #expect(ConnectionIntro.parse([0x45, 0x44, 0x00, 0x01, 0xFF, 0xFF, 0xFF]) == .failure(.routingInfoTooLong(0xFFFFFF)))
    }
}
