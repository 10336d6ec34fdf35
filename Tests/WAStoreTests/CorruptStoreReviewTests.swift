import SignalProtocol
import Testing
@testable import WAStore

/// Hostile-input review: a corrupt (or tampered) store file must produce typed errors or safe values,
/// never a trap.
@Suite struct CorruptStoreReviewTests {
    @Test func largestPossiblePreKeyRowIDDoesNotOverflowTheNextID() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteSignalStore(path: directory.file("store.sqlite"))
        try store.connection.execute(
            "INSERT INTO prekeys (id, public_key, private_key) VALUES (9223372036854775807, x'00', x'00')")
        #expect(try store.nextPreKeyID() == 1)
    }

    @Test func wrongLengthPrivateKeyInAPreKeyRowIsATypedError() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteSignalStore(path: directory.file("store.sqlite"))
        try store.connection.execute("INSERT INTO prekeys (id, public_key, private_key) VALUES (5, x'00', x'0102')")
        #expect(throws: SignalError.invalidKeyLength(expected: 32, actual: 2)) { try store.loadPreKey(id: 5) }
    }
}
