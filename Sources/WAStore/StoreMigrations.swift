/// The engine store's schema, one named migration per step. Never edit or reorder a released migration:
/// append a new one.
public enum StoreMigrations {
    public static let all: [Migrator.Migration] = [
        .init(
            name: "0001_signal_keys",
            sql: """
                CREATE TABLE local_identity (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    public_key BLOB NOT NULL, private_key BLOB NOT NULL, registration_id INTEGER NOT NULL);
                CREATE TABLE identity_keys (address TEXT PRIMARY KEY, identity_key BLOB NOT NULL);
                CREATE TABLE prekeys (id INTEGER PRIMARY KEY, public_key BLOB NOT NULL, private_key BLOB NOT NULL);
                CREATE TABLE signed_prekeys (
                    id INTEGER PRIMARY KEY, public_key BLOB NOT NULL, private_key BLOB NOT NULL,
                    signature BLOB NOT NULL, timestamp INTEGER NOT NULL);
                """),
        .init(
            name: "0002_signal_sessions",
            sql: """
                CREATE TABLE sessions (address TEXT PRIMARY KEY, record BLOB NOT NULL);
                CREATE TABLE sender_keys (name TEXT PRIMARY KEY, record BLOB NOT NULL);
                """),
        .init(
            name: "0003_device",
            sql: """
                CREATE TABLE device (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    noise_private_key BLOB NOT NULL, adv_secret BLOB NOT NULL, signed_identity BLOB NOT NULL,
                    jid TEXT NOT NULL, lid TEXT, push_name TEXT, platform TEXT, business_name TEXT,
                    linked_at INTEGER NOT NULL);
                """),
        // 0 until the first `<success>` after pairing confirms the link (docs/protocol/lower.md §5.6, §6.1). Rows
        // stored before this column existed had logged in already: 1.
        .init(
            name: "0004_device_link_confirmed",
            sql: "ALTER TABLE device ADD COLUMN link_confirmed INTEGER NOT NULL DEFAULT 1;"),
    ]

    public static let migrator = Migrator(migrations: all)
}
