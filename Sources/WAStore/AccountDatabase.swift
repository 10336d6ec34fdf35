import SignalProtocol

/// One linked account's database: owns the SQLite connection and its migrations, and hands out per-concern
/// stores that share it (GRDB's shape), so a protocol step and all its writes commit in one transaction.
///
/// ```swift
/// let database = try AccountDatabase(path: dir + "/account.sqlite")
/// try database.transaction {
///     try database.signal.setLocalIdentity(identity, registrationID: id)
///     try database.device.save(record)
/// }
/// ```
///
/// The file is mode 0600 in WAL mode (``SQLiteConnection``). Not thread-safe: one owner (the engine's actor).
public final class AccountDatabase {
    public let connection: SQLiteConnection
    /// Signal keys, sessions and sender keys.
    public let signal: SQLiteSignalStore
    /// This device's link: noise key, ADV identity, JIDs.
    public let device: DeviceStore
    /// Tests: called after each write of ``saveLink(_:)`` (to take crash copies mid-transaction).
    var stepHook: ((String) -> Void)?

    /// Opens (creating if needed) the database at `path` and migrates it.
    public init(path: String) throws {
        connection = try SQLiteConnection(path: path)
        try StoreMigrations.migrator.migrate(connection)
        // The engine accepts a contact's new identity (docs/protocol/upper.md §1.11) and reports it.
        signal = SQLiteSignalStore(sharing: connection, trustPolicy: .acceptChanges)
        device = DeviceStore(connection: connection)
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: every store's writes commit together or not at all.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try connection.transaction(body)
    }

    /// Saves a completed link in one transaction: Signal identity, signed prekey, the primary's identity as
    /// trusted, and the device row. A crash before the commit leaves no link at all (start over cleanly).
    public func saveLink(_ link: DeviceLink) throws {
        try transaction {
            try signal.setLocalIdentity(link.identityKeyPair, registrationID: link.registrationID)
            stepHook?("identity")
            try signal.storeSignedPreKey(link.signedPreKey)
            stepHook?("signedPreKey")
            if let (address, key) = link.trustedPrimaryIdentity {
                try signal.storeIdentity(key, for: address)
            }
            stepHook?("primaryIdentity")
            try device.save(link.device)
            stepHook?("device")
        }
    }

    /// The stored link, if the account is linked (the device row and the Signal identity both present).
    public func loadLink() throws -> DeviceLink? {
        guard let record = try device.load() else { return nil }
        let identity = try signal.identityKeyPair()
        let registrationID = try signal.localRegistrationID()
        let statement = try connection.prepare("SELECT id FROM signed_prekeys ORDER BY id DESC LIMIT 1")
        guard try statement.step(), let signedPreKey = try signal.loadSignedPreKey(id: UInt32(clamping: statement.int64(at: 0)))
        else { throw SQLiteError.corruptRow(table: "signed_prekeys") }
        return DeviceLink(
            identityKeyPair: identity, registrationID: registrationID, signedPreKey: signedPreKey, device: record,
            trustedPrimaryIdentity: nil)
    }

    /// Deletes every key and record of the account (logout): the next link starts fresh.
    public func wipe() throws {
        try transaction {
            for table in ["device", "local_identity", "identity_keys", "prekeys", "signed_prekeys", "sessions", "sender_keys"] {
                try connection.execute("DELETE FROM \(table)")
            }
        }
    }
}

/// Everything a completed link stores (docs/protocol/lower.md §5.1, §5.6 step 6).
public struct DeviceLink: @unchecked Sendable {
    public var identityKeyPair: IdentityKeyPair
    public var registrationID: UInt32
    public var signedPreKey: SignedPreKeyRecord
    public var device: DeviceRecord
    /// The primary's identity key, trusted for the LID user's device 0 (written at link time only).
    public var trustedPrimaryIdentity: (SignalAddress, Curve25519PublicKey)?

    public init(
        identityKeyPair: IdentityKeyPair, registrationID: UInt32, signedPreKey: SignedPreKeyRecord, device: DeviceRecord,
        trustedPrimaryIdentity: (SignalAddress, Curve25519PublicKey)?
    ) {
        self.identityKeyPair = identityKeyPair
        self.registrationID = registrationID
        self.signedPreKey = signedPreKey
        self.device = device
        self.trustedPrimaryIdentity = trustedPrimaryIdentity
    }
}
