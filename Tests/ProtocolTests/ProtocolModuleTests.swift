import Testing
@testable import HostProtocol

@Test func protocolVersionIsOne() {
    #expect(HostProtocolVersion.current == 1)
}
