import Testing
@testable import WASim

@Test func moduleLinks() {
    #expect(Bool(true))
}
