/// The device row of an account: what pairing produced besides the Signal keys (docs/protocol/lower.md §5.6).
public struct DeviceRecord: Sendable, Equatable {
    /// The noise static private key (32 bytes); the public key is derived.
    public var noisePrivateKey: [UInt8]
    /// The ADV secret in force when the link completed.
    public var advSecret: [UInt8]
    /// `ADVSignedDeviceIdentity` with the account signature key and our device signature.
    public var signedIdentity: [UInt8]
    /// Our phone-number JID with device (`15551234567:3@s.whatsapp.net`).
    public var jid: String
    /// Our LID with device, when known.
    public var lid: String?
    public var pushName: String?
    /// The primary's platform (`android`, `smba`…).
    public var platform: String?
    public var businessName: String?
    /// Unix seconds.
    public var linkedAt: Int64
    /// Whether a `<success>` has confirmed the link. False from `pair-success` until the first login: a link the
    /// server then refuses (401) never completed (the `pair-device-sign` did not reach it), it was not logged out.
    public var linkConfirmed: Bool

    public init(
        noisePrivateKey: [UInt8], advSecret: [UInt8], signedIdentity: [UInt8], jid: String, lid: String?,
        pushName: String? = nil, platform: String? = nil, businessName: String? = nil, linkedAt: Int64,
        linkConfirmed: Bool = true
    ) {
        self.noisePrivateKey = noisePrivateKey
        self.advSecret = advSecret
        self.signedIdentity = signedIdentity
        self.jid = jid
        self.lid = lid
        self.pushName = pushName
        self.platform = platform
        self.businessName = businessName
        self.linkedAt = linkedAt
        self.linkConfirmed = linkConfirmed
    }
}

/// Reads and writes the `device` table on an ``AccountDatabase``'s connection.
public final class DeviceStore {
    let connection: SQLiteConnection

    init(connection: SQLiteConnection) { self.connection = connection }

    public func load() throws -> DeviceRecord? {
        let statement = try connection.prepare(
            """
            SELECT noise_private_key, adv_secret, signed_identity, jid, lid, push_name, platform, business_name, linked_at,
                link_confirmed
            FROM device WHERE singleton = 1
            """)
        guard try statement.step() else { return nil }
        func optionalText(_ column: Int32) -> String? { statement.isNull(at: column) ? nil : statement.text(at: column) }
        return DeviceRecord(
            noisePrivateKey: statement.blob(at: 0), advSecret: statement.blob(at: 1), signedIdentity: statement.blob(at: 2),
            jid: statement.text(at: 3), lid: optionalText(4), pushName: optionalText(5), platform: optionalText(6),
            businessName: optionalText(7), linkedAt: statement.int64(at: 8), linkConfirmed: statement.int64(at: 9) != 0)
    }

    public func save(_ record: DeviceRecord) throws {
        func text(_ value: String?) -> SQLiteStatement.Value { value.map { .text($0) } ?? .null }
        try connection.prepare(
            """
            INSERT OR REPLACE INTO device (singleton, noise_private_key, adv_secret, signed_identity, jid, lid, push_name,
                platform, business_name, linked_at, link_confirmed) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).bind(
            .blob(record.noisePrivateKey), .blob(record.advSecret), .blob(record.signedIdentity), .text(record.jid),
            text(record.lid), text(record.pushName), text(record.platform), text(record.businessName),
            .integer(record.linkedAt), .integer(record.linkConfirmed ? 1 : 0)
        ).run()
    }

    /// Records our LID when `<success>` names it (docs/protocol/lower.md §6.1) or the push name once known.
    public func update(lid: String? = nil, pushName: String? = nil) throws {
        try connection.transaction {
            try updateFields(lid: lid, pushName: pushName)
        }
    }

    /// The first `<success>` after pairing: the link is confirmed, with our LID when named (one transaction).
    public func confirmLink(lid: String?) throws {
        try connection.transaction {
            try connection.prepare("UPDATE device SET link_confirmed = 1 WHERE singleton = 1").run()
            try updateFields(lid: lid)
        }
    }

    private func updateFields(lid: String? = nil, pushName: String? = nil) throws {
        if let lid { try connection.prepare("UPDATE device SET lid = ? WHERE singleton = 1").bind(.text(lid)).run() }
        if let pushName {
            try connection.prepare("UPDATE device SET push_name = ? WHERE singleton = 1").bind(.text(pushName)).run()
        }
    }
}
