import Testing
@testable import WABinary

@Test func moduleLinks() {
    #expect(Bool(true))
}
