import Foundation
import SignalProtocol
import Testing
@testable import WAStore

/// A fresh directory per test, removed afterwards.
final class TemporaryDirectory {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "wastore-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { path + "/" + name }
}

func permissions(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
}

@Suite struct MigratorTests {
    @Test func migrationsRunFromEmptyToLatestOnceAndInOrder() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let applied = try StoreMigrations.migrator.migrate(connection)
        #expect(applied == StoreMigrations.all.map(\.name))
        #expect(try StoreMigrations.migrator.appliedMigrations(in: connection) == StoreMigrations.all.map(\.name))
        #expect(try StoreMigrations.migrator.migrate(connection).isEmpty)
    }

    @Test func databaseAtFirstMigrationUpgradesToLatest() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try Migrator(migrations: Array(StoreMigrations.all.prefix(1))).migrate(connection)
        #expect(try StoreMigrations.migrator.migrate(connection) == Array(StoreMigrations.all.dropFirst().map(\.name)))
    }

    @Test func databaseFromNewerBuildIsRefused() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try Migrator(migrations: StoreMigrations.all + [.init(name: "9999_future", sql: "CREATE TABLE f (x)")])
            .migrate(connection)
        #expect(throws: SQLiteError.unknownMigration("9999_future")) { try StoreMigrations.migrator.migrate(connection) }
    }

    @Test func renamedMigrationIsRefused() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try Migrator(migrations: [.init(name: "0001_other", sql: "CREATE TABLE o (x)")]).migrate(connection)
        #expect(throws: SQLiteError.migrationOrderMismatch(applied: "0001_other", expected: "0001_signal_keys")) {
            try StoreMigrations.migrator.migrate(connection)
        }
    }

    @Test func failingMigrationLeavesNoTraceAndIsNotRecorded() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let broken = Migrator(migrations: [.init(name: "0001_broken", sql: "CREATE TABLE a (x); CREATE TABLE a (y);")])
        #expect(throws: SQLiteError.self) { try broken.migrate(connection) }
        #expect(try broken.appliedMigrations(in: connection).isEmpty)
        try connection.execute("CREATE TABLE a (z)")  // table a was rolled back
    }
}

@Suite struct SQLiteSignalStoreTests {
    @Test func databaseAndItsWALFilesHaveMode0600() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("account.sqlite")
        let store = try SQLiteSignalStore(path: path)
        var random = SplitMix(state: 1)
        try store.setLocalIdentity(KeyHelper.generateIdentityKeyPair(using: &random), registrationID: 7)
        #expect(try permissions(path) == 0o600)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            #expect(try permissions(path + suffix) == 0o600)
        }
        let mode = try store.connection.prepare("PRAGMA journal_mode")
        _ = try mode.step()
        #expect(mode.text(at: 0) == "wal")
    }

    @Test func everyRecordKindRoundTripsAcrossReopen() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("account.sqlite")
        var random = SplitMix(state: 2)
        let identity = KeyHelper.generateIdentityKeyPair(using: &random)
        let signed = KeyHelper.generateSignedPreKey(identityKeyPair: identity, id: 1, timestamp: 1_700_000_000, using: &random)
        let preKeys = KeyHelper.generatePreKeys(start: 1, count: 20, using: &random)
        let address = SignalAddress(name: "15551234567", deviceID: 2)
        let remote = Curve25519KeyPair(using: &random).publicKey
        do {
            let store = try SQLiteSignalStore(path: path)
            try store.setLocalIdentity(identity, registrationID: 4242)
            try store.storeSignedPreKey(signed)
            try store.transaction { for preKey in preKeys { try store.storePreKey(preKey) } }
            try store.storeIdentity(remote, for: address)
        }
        let store = try SQLiteSignalStore(path: path)
        #expect(try store.identityKeyPair() == identity)
        #expect(try store.localRegistrationID() == 4242)
        #expect(try store.loadSignedPreKey(id: 1) == signed)
        #expect(try store.loadPreKey(id: 7) == preKeys[6])
        #expect(try store.preKeyCount() == 20)
        #expect(try store.nextPreKeyID() == 21)
        #expect(try store.identity(for: address) == remote)
        #expect(try store.loadPreKey(id: 99) == nil)
    }

    @Test func conversationOverSQLiteStoresSurvivesReopen() throws {
        let directory = try TemporaryDirectory()
        var random = SplitMix(state: 3)
        func open(_ name: String) throws -> SQLiteSignalStore { try SQLiteSignalStore(path: directory.file(name)) }
        let aliceAddress = SignalAddress(name: "alice", deviceID: 1), bobAddress = SignalAddress(name: "bob", deviceID: 1)
        do {
            let alice = try open("alice.sqlite"), bob = try open("bob.sqlite")
            try alice.setLocalIdentity(KeyHelper.generateIdentityKeyPair(using: &random), registrationID: 1)
            let bobIdentity = KeyHelper.generateIdentityKeyPair(using: &random)
            try bob.setLocalIdentity(bobIdentity, registrationID: 2)
            let signed = KeyHelper.generateSignedPreKey(identityKeyPair: bobIdentity, id: 1, timestamp: 0, using: &random)
            try bob.storeSignedPreKey(signed)
            let preKey = KeyHelper.generatePreKeys(start: 5, count: 1, using: &random)[0]
            try bob.storePreKey(preKey)
            try SessionBuilder.processBundle(
                PreKeyBundle(
                    registrationID: 2, deviceID: 1, preKeyID: 5, preKey: preKey.keyPair.publicKey, signedPreKeyID: 1,
                    signedPreKey: signed.keyPair.publicKey, signedPreKeySignature: signed.signature,
                    identityKey: bobIdentity.publicKey),
                for: bobAddress, store: alice, using: &random)
            guard case .preKeySignal(let first) = try SessionCipher(store: alice, address: bobAddress).encrypt([1]) else {
                Issue.record("expected pkmsg"); return
            }
            #expect(try SessionCipher(store: bob, address: aliceAddress).decrypt(first, using: &random).plaintext == [1])
            #expect(try bob.loadPreKey(id: 5) == nil)
        }
        for round in 0..<10 {
            let alice = try open("alice.sqlite"), bob = try open("bob.sqlite")
            let (sender, receiver, to, from) = round.isMultiple(of: 2)
                ? (bob, alice, aliceAddress, bobAddress) : (alice, bob, bobAddress, aliceAddress)
            let ciphertext = try SessionCipher(store: sender, address: to).encrypt([UInt8(round)])
            guard case .signal(let message) = ciphertext else { Issue.record("expected msg"); return }
            #expect(try SessionCipher(store: receiver, address: from).decrypt(message, using: &random).plaintext == [UInt8(round)])
        }
    }

    @Test func crashMidTransactionLosesNothingCommittedAndKeepsNothingPartial() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("account.sqlite")
        let crashed = directory.file("crashed.sqlite")
        var random = SplitMix(state: 4)
        let committed = KeyHelper.generatePreKeys(start: 1, count: 10, using: &random)
        let partial = KeyHelper.generatePreKeys(start: 11, count: 200, using: &random)
        let store = try SQLiteSignalStore(path: path)
        try store.transaction { for preKey in committed { try store.storePreKey(preKey) } }
        // Simulated crash: with a transaction half done, take the files as they are on disk (database and
        // WAL, as a power cut would leave them) and open that copy; the live connection never commits.
        // A tiny page cache makes SQLite spill the uncommitted pages into the WAL before the "crash".
        try store.connection.execute("PRAGMA cache_size = 1")
        let walBefore = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
        try store.connection.execute("BEGIN IMMEDIATE")
        for preKey in partial { try store.storePreKey(preKey) }
        try store.removePreKey(id: 1)
        let walDuring = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
        #expect(walDuring > walBefore, "uncommitted frames reached the WAL file")
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.copyItem(atPath: path + suffix, toPath: crashed + suffix)
        }
        let reopened = try SQLiteSignalStore(path: crashed)
        #expect(try reopened.preKeyCount() == 10)
        for preKey in committed { #expect(try reopened.loadPreKey(id: preKey.id) == preKey) }
        for preKey in partial { #expect(try reopened.loadPreKey(id: preKey.id) == nil) }
        try store.connection.execute("ROLLBACK")
    }

    @Test func preKeyBatchesContinueIDsAndAreStoredTogether() throws {
        let store = try SQLiteSignalStore(path: ":memory:")
        var random = SplitMix(state: 6)
        let first = try store.generatePreKeys(count: 812, using: &random)
        let second = try store.generatePreKeys(count: 50, using: &random)
        #expect(first.map(\.id) == Array(1...812))
        #expect(second.map(\.id) == Array(813...862))
        #expect(try store.preKeyCount() == 862)
        #expect(try store.loadPreKey(id: 862) == second.last)
    }

    @Test func failedBodyRollsBackEveryWrite() throws {
        struct Abort: Error {}
        let store = try SQLiteSignalStore(path: ":memory:")
        var random = SplitMix(state: 5)
        let keys = KeyHelper.generatePreKeys(start: 1, count: 3, using: &random)
        #expect(throws: Abort.self) {
            try store.transaction {
                for key in keys { try store.storePreKey(key) }
                throw Abort()
            }
        }
        #expect(try store.preKeyCount() == 0)
        #expect(!store.connection.isInTransaction)
    }

    @Test func corruptSessionRowIsATypedError() throws {
        let store = try SQLiteSignalStore(path: ":memory:")
        try store.connection.prepare("INSERT INTO sessions (address, record) VALUES (?, ?)")
            .bind(.text("x.1"), .blob([0x0A, 0x05, 0x01])).run()
        #expect(throws: SignalError.self) { try store.loadSession(for: SignalAddress(name: "x", deviceID: 1)) }
    }

    @Test func missingLocalIdentityIsATypedError() throws {
        let store = try SQLiteSignalStore(path: ":memory:")
        #expect(throws: SQLiteError.noLocalIdentity) { try store.identityKeyPair() }
    }
}
