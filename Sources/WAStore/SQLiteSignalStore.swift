import SignalProtocol

/// The engine's Signal store on SQLite: one database per linked account (file mode 0600, WAL).
///
/// `transaction` is `BEGIN IMMEDIATE`, so a session record, the removal of the prekey it consumed and an
/// identity change land together or not at all. Keys are never logged.
public final class SQLiteSignalStore: SignalProtocolStore {
    public let connection: SQLiteConnection
    public let trustPolicy: IdentityTrustPolicy

    /// Opens (creating if needed) the database at `path` and migrates it to the latest schema.
    ///
    /// The engine accepts a contact's new identity key (they reinstalled WhatsApp) and reports
    /// `SignalEvent.identityChanged`, as whatsmeow and Baileys do; pass `.trustOnFirstUse` to refuse it.
    public init(path: String, trustPolicy: IdentityTrustPolicy = .acceptChanges) throws {
        self.connection = try SQLiteConnection(path: path)
        self.trustPolicy = trustPolicy
        try StoreMigrations.migrator.migrate(connection)
    }

    /// Shares an ``AccountDatabase``'s connection (already migrated), so Signal writes join its transactions.
    public init(sharing connection: SQLiteConnection, trustPolicy: IdentityTrustPolicy = .trustOnFirstUse) {
        self.connection = connection
        self.trustPolicy = trustPolicy
    }

    /// Records our identity key pair and registration id (once, when the device is created).
    public func setLocalIdentity(_ keyPair: IdentityKeyPair, registrationID: UInt32) throws {
        try connection.prepare(
            "INSERT OR REPLACE INTO local_identity (singleton, public_key, private_key, registration_id) VALUES (1, ?, ?, ?)"
        ).bind(
            .blob(keyPair.publicKey.rawRepresentation), .blob(keyPair.privateKey.rawRepresentation),
            .integer(Int64(registrationID))
        ).run()
    }

    public func identityKeyPair() throws -> IdentityKeyPair {
        let statement = try connection.prepare("SELECT private_key FROM local_identity WHERE singleton = 1")
        guard try statement.step() else { throw SQLiteError.noLocalIdentity }
        return IdentityKeyPair(privateKey: try Curve25519PrivateKey(rawRepresentation: statement.blob(at: 0)))
    }

    public func localRegistrationID() throws -> UInt32 {
        let statement = try connection.prepare("SELECT registration_id FROM local_identity WHERE singleton = 1")
        guard try statement.step() else { throw SQLiteError.noLocalIdentity }
        guard let id = UInt32(exactly: statement.int64(at: 0)) else { throw SQLiteError.corruptRow(table: "local_identity") }
        return id
    }

    public func identity(for address: SignalAddress) throws -> Curve25519PublicKey? {
        guard let bytes = try blob("SELECT identity_key FROM identity_keys WHERE address = ?", key: address.description)
        else { return nil }
        return try Curve25519PublicKey(rawRepresentation: bytes)
    }

    public func storeIdentity(_ identityKey: Curve25519PublicKey, for address: SignalAddress) throws {
        try connection.prepare("INSERT OR REPLACE INTO identity_keys (address, identity_key) VALUES (?, ?)")
            .bind(.text(address.description), .blob(identityKey.rawRepresentation)).run()
    }

    /// Forgets a remote identity (after the user accepted a changed security code).
    public func removeIdentity(for address: SignalAddress) throws {
        try connection.prepare("DELETE FROM identity_keys WHERE address = ?").bind(.text(address.description)).run()
    }

    public func loadPreKey(id: UInt32) throws -> PreKeyRecord? {
        let statement = try connection.prepare("SELECT private_key FROM prekeys WHERE id = ?").bind(.integer(Int64(id)))
        guard try statement.step() else { return nil }
        let privateKey = try Curve25519PrivateKey(rawRepresentation: statement.blob(at: 0))
        return PreKeyRecord(id: id, keyPair: Curve25519KeyPair(privateKey: privateKey))
    }

    public func storePreKey(_ record: PreKeyRecord) throws {
        try connection.prepare("INSERT OR REPLACE INTO prekeys (id, public_key, private_key) VALUES (?, ?, ?)")
            .bind(
                .integer(Int64(record.id)), .blob(record.keyPair.publicKey.rawRepresentation),
                .blob(record.keyPair.privateKey.rawRepresentation)
            ).run()
    }

    public func removePreKey(id: UInt32) throws {
        try connection.prepare("DELETE FROM prekeys WHERE id = ?").bind(.integer(Int64(id))).run()
    }

    /// Number of one-time prekeys held (for the refill threshold, docs/protocol/upper.md §1.5).
    public func preKeyCount() throws -> Int {
        let statement = try connection.prepare("SELECT COUNT(*) FROM prekeys")
        _ = try statement.step()
        return Int(statement.int64(at: 0))
    }

    /// The next free one-time prekey id (MAX(id)+1, never 0; docs/protocol/upper.md §1.5).
    public func nextPreKeyID() throws -> UInt32 {
        let statement = try connection.prepare("SELECT COALESCE(MAX(id), 0) FROM prekeys")
        _ = try statement.step()
        // `&+`: a corrupt row holding Int64.max must not trap (it wraps, then normalises like any id).
        return KeyHelper.normalizedPreKeyID(UInt32(truncatingIfNeeded: statement.int64(at: 0) &+ 1))
    }

    /// Generates the next batch of one-time prekeys (ids continue from MAX(id)+1, never 0) and stores them in
    /// one transaction; returns them for upload (docs/protocol/upper.md §1.5: 812 initially, then 50).
    public func generatePreKeys(
        count: Int, using random: inout some RandomNumberGenerator
    ) throws -> [PreKeyRecord] {
        try transaction {
            let batch = KeyHelper.generatePreKeys(start: try nextPreKeyID(), count: count, using: &random)
            for record in batch { try storePreKey(record) }
            return batch
        }
    }

    public func loadSignedPreKey(id: UInt32) throws -> SignedPreKeyRecord? {
        let statement = try connection.prepare(
            "SELECT private_key, signature, timestamp FROM signed_prekeys WHERE id = ?"
        ).bind(.integer(Int64(id)))
        guard try statement.step() else { return nil }
        let privateKey = try Curve25519PrivateKey(rawRepresentation: statement.blob(at: 0))
        return SignedPreKeyRecord(
            id: id, keyPair: Curve25519KeyPair(privateKey: privateKey), signature: statement.blob(at: 1),
            timestamp: UInt64(clamping: statement.int64(at: 2)))
    }

    public func storeSignedPreKey(_ record: SignedPreKeyRecord) throws {
        try connection.prepare(
            "INSERT OR REPLACE INTO signed_prekeys (id, public_key, private_key, signature, timestamp) VALUES (?, ?, ?, ?, ?)"
        ).bind(
            .integer(Int64(record.id)), .blob(record.keyPair.publicKey.rawRepresentation),
            .blob(record.keyPair.privateKey.rawRepresentation), .blob(record.signature),
            .integer(Int64(clamping: record.timestamp))
        ).run()
    }

    public func loadSession(for address: SignalAddress) throws -> SessionRecord? {
        guard let bytes = try blob("SELECT record FROM sessions WHERE address = ?", key: address.description) else {
            return nil
        }
        return try SessionRecord(serialized: bytes)
    }

    public func storeSession(_ record: SessionRecord, for address: SignalAddress) throws {
        try connection.prepare("INSERT OR REPLACE INTO sessions (address, record) VALUES (?, ?)")
            .bind(.text(address.description), .blob(record.serialized())).run()
    }

    public func deleteSession(for address: SignalAddress) throws {
        try connection.prepare("DELETE FROM sessions WHERE address = ?").bind(.text(address.description)).run()
    }

    /// Deletes every identity and session stored for address name `name` (all its devices), in one transaction: a
    /// contact's identity changed (docs/protocol/upper.md §1.11), so the next session starts fresh with the new key.
    public func forgetIdentities(ofAddressName name: String) throws {
        let prefix = name + "."
        try connection.transaction {
            for table in ["identity_keys", "sessions"] {
                try connection.prepare("DELETE FROM \(table) WHERE substr(address, 1, length(?)) = ?")
                    .bind(.text(prefix), .text(prefix)).run()
            }
        }
    }

    public func loadSenderKey(for name: SenderKeyName) throws -> SenderKeyRecord? {
        guard let bytes = try blob("SELECT record FROM sender_keys WHERE name = ?", key: name.description) else {
            return nil
        }
        return try SenderKeyRecord(serialized: bytes)
    }

    public func storeSenderKey(_ record: SenderKeyRecord, for name: SenderKeyName) throws {
        try connection.prepare("INSERT OR REPLACE INTO sender_keys (name, record) VALUES (?, ?)")
            .bind(.text(name.description), .blob(record.serialized())).run()
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try connection.transaction(body)
    }

    private func blob(_ sql: String, key: String) throws -> [UInt8]? {
        let statement = try connection.prepare(sql).bind(.text(key))
        guard try statement.step() else { return nil }
        return statement.blob(at: 0)
    }
}
