/// Forward-only, named schema migrations recorded in a table (docs/house-style.md §7, whatsmeow `upgrades`,
/// GRDB `registerMigration`).
///
/// Each migration runs in its own `BEGIN IMMEDIATE` transaction together with the row that records it, so a
/// crash leaves either both or neither. Applied migrations must be a prefix of the known list; a database that
/// records a migration this build does not know (written by a newer build) is refused.
public struct Migrator: Sendable {
    /// One schema step.
    public struct Migration: Sendable {
        public let name: String
        public let sql: String

        public init(name: String, sql: String) {
            self.name = name
            self.sql = sql
        }
    }

    public let migrations: [Migration]

    public init(migrations: [Migration]) { self.migrations = migrations }

    static let createTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)
        """

    /// Names of the migrations recorded in the database, in order.
    public func appliedMigrations(in connection: SQLiteConnection) throws(SQLiteError) -> [String] {
        try connection.execute(Self.createTable)
        let statement = try connection.prepare("SELECT name FROM schema_migrations ORDER BY position")
        var names: [String] = []
        while try statement.step() { names.append(statement.text(at: 0)) }
        return names
    }

    /// Applies every migration not yet recorded; returns the names applied now.
    @discardableResult
    public func migrate(_ connection: SQLiteConnection) throws -> [String] {
        let applied = try appliedMigrations(in: connection)
        for (position, name) in applied.enumerated() {
            guard position < migrations.count else { throw SQLiteError.unknownMigration(name) }
            guard migrations[position].name == name else {
                throw SQLiteError.migrationOrderMismatch(applied: name, expected: migrations[position].name)
            }
        }
        var appliedNow: [String] = []
        for (position, migration) in migrations.enumerated() where position >= applied.count {
            try connection.transaction {
                try connection.execute(migration.sql)
                try connection.prepare("INSERT INTO schema_migrations (position, name) VALUES (?, ?)")
                    .bind(.integer(Int64(position)), .text(migration.name)).run()
            }
            appliedNow.append(migration.name)
        }
        return appliedNow
    }
}
