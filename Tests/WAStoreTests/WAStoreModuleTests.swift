import Testing
@testable import WAStore

@Test func moduleLinks() {
    #expect(Bool(true))
}
