import Foundation
import SignalProtocol
import Testing
@testable import WAStore

@Suite struct AccountDatabaseTests {
    static func link(seed: UInt64 = 5) -> DeviceLink {
        var random = SplitMix(state: seed)
        let identity = KeyHelper.generateIdentityKeyPair(using: &random)
        let signedPreKey = KeyHelper.generateSignedPreKey(identityKeyPair: identity, id: 1, timestamp: 10, using: &random)
        let primary = KeyHelper.generateIdentityKeyPair(using: &random).publicKey
        return DeviceLink(
            identityKeyPair: identity, registrationID: 1234, signedPreKey: signedPreKey,
            device: DeviceRecord(
                noisePrivateKey: Array(repeating: 1, count: 32), advSecret: Array(repeating: 2, count: 32),
                signedIdentity: [1, 2, 3], jid: "15551234567:3@s.whatsapp.net", lid: "123456789:3@lid",
                platform: "android", linkedAt: 1_790_000_000),
            trustedPrimaryIdentity: (SignalAddress(name: "123456789", deviceID: 0), primary))
    }

    /// Copies the database as a crash would leave it (main file, WAL and shared memory, as they are now).
    static func crashCopy(_ directory: TemporaryDirectory, to target: TemporaryDirectory) {
        for suffix in ["", "-wal", "-shm"] {
            let source = directory.file("account.sqlite" + suffix)
            if FileManager.default.fileExists(atPath: source) {
                try? FileManager.default.copyItem(atPath: source, toPath: target.file("account.sqlite" + suffix))
            }
        }
    }

    @Test func savedLinkLoadsBackWithEveryField() throws {
        let directory = try TemporaryDirectory()
        let link = Self.link()
        do {
            let database = try AccountDatabase(path: directory.file("account.sqlite"))
            #expect(try database.loadLink() == nil)
            try database.saveLink(link)
        }
        let reopened = try AccountDatabase(path: directory.file("account.sqlite"))
        let loaded = try #require(try reopened.loadLink())
        #expect(loaded.identityKeyPair == link.identityKeyPair)
        #expect(loaded.registrationID == 1234)
        #expect(loaded.signedPreKey == link.signedPreKey)
        #expect(loaded.device == link.device)
        let trusted = link.trustedPrimaryIdentity!
        #expect(try reopened.signal.identity(for: trusted.0) == trusted.1)
        #expect(try permissions(directory.file("account.sqlite")) & 0o777 == 0o600)
    }

    @Test(arguments: ["identity", "signedPreKey", "primaryIdentity", "device"])
    func crashDuringTheLinkTransactionLeavesNoPartialLink(step: String) throws {
        let directory = try TemporaryDirectory()
        let copy = try TemporaryDirectory()
        let database = try AccountDatabase(path: directory.file("account.sqlite"))
        database.stepHook = { if $0 == step { Self.crashCopy(directory, to: copy) } }
        try database.saveLink(Self.link())
        // The copy taken inside the transaction starts over cleanly: no link, no identity, and a new link works.
        let recovered = try AccountDatabase(path: copy.file("account.sqlite"))
        #expect(try recovered.loadLink() == nil)
        #expect(throws: SQLiteError.noLocalIdentity) { _ = try recovered.signal.identityKeyPair() }
        try recovered.saveLink(Self.link(seed: 6))
        #expect(try recovered.loadLink()?.registrationID == 1234)
    }

    @Test func crashAfterTheCommitKeepsTheWholeLink() throws {
        let directory = try TemporaryDirectory()
        let copy = try TemporaryDirectory()
        let database = try AccountDatabase(path: directory.file("account.sqlite"))
        try database.saveLink(Self.link())
        Self.crashCopy(directory, to: copy)
        let recovered = try AccountDatabase(path: copy.file("account.sqlite"))
        #expect(try recovered.loadLink()?.device == Self.link().device)
    }

    @Test func wipeRemovesEveryKeyAndRecord() throws {
        let directory = try TemporaryDirectory()
        let database = try AccountDatabase(path: directory.file("account.sqlite"))
        try database.saveLink(Self.link())
        var random = SplitMix(state: 1)
        _ = try database.signal.generatePreKeys(count: 5, using: &random)
        try database.wipe()
        #expect(try database.loadLink() == nil)
        #expect(try database.signal.preKeyCount() == 0)
        #expect(try database.signal.identity(for: Self.link().trustedPrimaryIdentity!.0) == nil)
    }

    @Test func lidAndPushNameUpdatesPersist() throws {
        let directory = try TemporaryDirectory()
        let database = try AccountDatabase(path: directory.file("account.sqlite"))
        try database.saveLink(Self.link())
        try database.device.update(lid: "999:3@lid", pushName: "Ana")
        let record = try #require(try database.device.load())
        #expect(record.lid == "999:3@lid")
        #expect(record.pushName == "Ana")
    }

    @Test func aLinkStoredUnconfirmedIsConfirmedWithItsLIDInOneStep() throws {
        let directory = try TemporaryDirectory()
        let database = try AccountDatabase(path: directory.file("account.sqlite"))
        var link = Self.link()
        link.device.linkConfirmed = false
        link.device.lid = nil
        try database.saveLink(link)
        #expect(try database.device.load()?.linkConfirmed == false)
        try database.device.confirmLink(lid: "999:3@lid")
        let record = try #require(try database.device.load())
        #expect(record.linkConfirmed)
        #expect(record.lid == "999:3@lid")
    }

    /// docs/protocol/upper.md §1.11: every identity and session of the contact's address name goes, all devices, and
    /// nothing of a name that merely starts the same.
    @Test func forgettingAContactsIdentitiesDropsEveryDeviceOfThatNameOnly() throws {
        let directory = try TemporaryDirectory()
        let database = try AccountDatabase(path: directory.file("account.sqlite"))
        #expect(database.signal.trustPolicy == .acceptChanges)
        var random = SplitMix(state: 3)
        let key = KeyHelper.generateIdentityKeyPair(using: &random).publicKey
        let gone = [SignalAddress(name: "5511912345678", deviceID: 0), SignalAddress(name: "5511912345678", deviceID: 12)]
        let kept = [SignalAddress(name: "55119123456789", deviceID: 0), SignalAddress(name: "5511912345678_1", deviceID: 0)]
        for address in gone + kept {
            try database.signal.storeIdentity(key, for: address)
            try database.connection.prepare("INSERT INTO sessions (address, record) VALUES (?, x'00')")
                .bind(.text(address.description)).run()
        }
        try database.signal.forgetIdentities(ofAddressName: "5511912345678")
        let sessions = try database.connection.prepare("SELECT address FROM sessions ORDER BY address")
        var left: [String] = []
        while try sessions.step() { left.append(sessions.text(at: 0)) }
        #expect(left == kept.map(\.description).sorted())
        for address in gone { #expect(try database.signal.identity(for: address) == nil) }
        for address in kept { #expect(try database.signal.identity(for: address) == key) }
    }

    /// Rows stored before `link_confirmed` existed had logged in: the migration keeps them confirmed.
    @Test func rowsFromBeforeTheConfirmedColumnCountAsConfirmed() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("account.sqlite")
        do {
            let connection = try SQLiteConnection(path: path)
            _ = try Migrator(migrations: Array(StoreMigrations.all.prefix(3))).migrate(connection)
            try connection.execute(
                """
                INSERT INTO device (singleton, noise_private_key, adv_secret, signed_identity, jid, linked_at)
                VALUES (1, x'01', x'02', x'03', '15551234567:3@s.whatsapp.net', 1)
                """)
        }
        let database = try AccountDatabase(path: path)
        #expect(try database.device.load()?.linkConfirmed == true)
    }
}

extension DeviceLink: Equatable {
    public static func == (lhs: DeviceLink, rhs: DeviceLink) -> Bool {
        lhs.identityKeyPair == rhs.identityKeyPair && lhs.registrationID == rhs.registrationID
            && lhs.signedPreKey == rhs.signedPreKey && lhs.device == rhs.device
    }
}
