import Testing
@testable import WAEngine

@Test func moduleLinks() {
    #expect(Bool(true))
}
