/// A failure of the SQLite layer, with SQLite's result code (never a free-form message).
public enum SQLiteError: Error, Equatable, Sendable {
    /// What was being done when SQLite failed.
    public enum Operation: Equatable, Sendable {
        case open, prepare, bind, step, exec, setPermissions
    }

    /// SQLite returned `code` (a primary or extended result code) during `operation`.
    case failed(code: Int32, operation: Operation)
    /// The database records a migration this build does not know: it was written by a newer version.
    case unknownMigration(String)
    /// The applied migrations are not a prefix of the known list (renamed or reordered migrations).
    case migrationOrderMismatch(applied: String, expected: String)
    /// A stored value could not be decoded.
    case corruptRow(table: String)
    /// The store has no local identity yet (`SQLiteSignalStore.setLocalIdentity` was never called).
    case noLocalIdentity
}
