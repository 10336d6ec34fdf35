import Testing
@testable import WANoise

@Test func moduleLinks() {
    #expect(Bool(true))
}
