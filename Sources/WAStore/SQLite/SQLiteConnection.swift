import CSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thin owner of one `sqlite3` connection: open with mode 0600, exec, prepare, `BEGIN IMMEDIATE` transactions.
///
/// Not thread-safe: one connection per owner (the engine's actor). SQLite is opened with
/// `SQLITE_OPEN_NOMUTEX`, so the caller must serialise access.
public final class SQLiteConnection {
    let handle: OpaquePointer
    private var transactionDepth = 0

    /// Opens (creating if needed) the database at `path`, as a file of mode 0600, in WAL mode.
    ///
    /// The file is created with `open(2)` and mode 0600 before SQLite touches it; SQLite gives its `-wal` and
    /// `-shm` files the permissions of the main file.
    public init(path: String) throws(SQLiteError) {
        if path != ":memory:" {
            let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw .failed(code: SQLITE_CANTOPEN, operation: .open) }
            let changed = fchmod(descriptor, 0o600)
            close(descriptor)
            guard changed == 0 else { throw .failed(code: SQLITE_PERM, operation: .setPermissions) }
        }
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            if let db { sqlite3_close_v2(db) }
            throw .failed(code: code, operation: .open)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 5000)
        try execute("PRAGMA foreign_keys = ON")
        if path != ":memory:" {
            try execute("PRAGMA journal_mode = WAL")
            try execute("PRAGMA synchronous = FULL")
        }
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements without results.
    public func execute(_ sql: String) throws(SQLiteError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw .failed(code: code, operation: .exec) }
    }

    /// Prepares a statement.
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        try SQLiteStatement(connection: self, sql: sql)
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: commit on return, rollback on throw.
    ///
    /// Nested calls join the outer transaction (only the outermost commits or rolls back).
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if transactionDepth > 0 {
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            return try body()
        }
        try execute("BEGIN IMMEDIATE")
        transactionDepth = 1
        defer { transactionDepth = 0 }
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
}
