import Testing
@testable import HostProtocol

@Test func moduleLinks() {
    #expect(Bool(true))
}
