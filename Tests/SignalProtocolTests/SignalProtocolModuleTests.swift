import Testing
@testable import SignalProtocol

@Test func moduleLinks() {
    #expect(Bool(true))
}
