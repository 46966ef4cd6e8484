// Kernel file: a thin wrapper over the SQLite C API (connection, cached prepared statements).
//
// Shapes: statements bind and return C strings and BLOBs as raw byte buffers ([count] bytes,
//         valid until the statement steps or resets); BLOB layouts are in BlockIO.swift.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite

/// SQLITE_TRANSIENT: SQLite copies the bound value before returning.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection with a cache of prepared statements, used under the owner's lock.
final class Connection {
    let path: String
    let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]

    /// Opens `path`. `immutable` opens it as unchanging (SQLite's `immutable=1` URI parameter:
    /// no locks, no -wal/-shm files), for a read-only store in a directory nobody can write.
    /// A writer that finds the database locked waits up to `busyTimeout` seconds.
    init(path: String, readOnly: Bool, immutable: Bool = false, busyTimeout: Double = 5) throws(StoreError) {
        self.path = path
        var db: OpaquePointer?
        var flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        var name = path
        if immutable {
            flags |= SQLITE_OPEN_URI
            name = "file:" + Connection.percentEncoded(path) + "?immutable=1"
        }
        let rc = sqlite3_open_v2(name, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(db)
            throw Connection.error(rc, message, path: path)
        }
        handle = db
        sqlite3_busy_timeout(db, Int32(clamping: Int((busyTimeout * 1000).rounded())))
        self.busyTimeout = busyTimeout
        // Read pages through a memory map (no read(2) per page); SQLite maps at most the file's size.
        _ = sqlite3_exec(db, "PRAGMA mmap_size = 1073741824", nil, nil, nil)
    }

    /// How long a writer waits for another connection's write lock, in seconds.
    let busyTimeout: Double

    /// `path` for a `file:` URI: every byte but unreserved ones and `/` percent-encoded.
    static func percentEncoded(_ path: String) -> String {
        var result = ""
        for byte in path.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E, 0x2F:
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return result
    }

    /// The first `count` bytes and the size of the database file, read through SQLite's own open
    /// file (never a descriptor of ours: closing any descriptor of a file drops every POSIX lock
    /// the process holds on it, which lets another process delete the WAL under this connection).
    /// The size comes from `stat(2)` on the path, which opens no descriptor (SQLite's own file
    /// size call reports a 1-byte file as empty). Nil when SQLite has no file open.
    func databaseFileHeader(count: Int) -> (bytes: [UInt8], fileSize: Int)? {
        var file: UnsafeMutablePointer<sqlite3_file>? = nil
        var info = stat()
        guard stat(path, &info) == 0,
              sqlite3_file_control(handle, "main", SQLITE_FCNTL_FILE_POINTER, &file) == SQLITE_OK,
              let file, let methods = file.pointee.pMethods?.pointee, let read = methods.xRead else { return nil }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: count)
        let available = min(count, size)
        if available > 0 {
            // A short read zero-fills the rest, which is what a header check should see.
            let rc = bytes.withUnsafeMutableBytes { read(file, $0.baseAddress, Int32(available), 0) }
            guard rc == SQLITE_OK || rc == SQLITE_IOERR | (2 << 8) else { return nil }
        }
        return (Array(bytes[0..<available]), size)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Maps an SQLite result code to the store's error.
    static func error(_ rc: Int32, _ message: String, path: String, busyTimeout: Double = 0) -> StoreError {
        switch rc & 0xFF {
        case SQLITE_CORRUPT: return .corrupt(path: path, detail: message)
        case SQLITE_NOTADB: return .corrupt(path: path, detail: message)  // the magic was checked first
        case SQLITE_IOERR where rc == SQLITE_IOERR | (2 << 8): return .corrupt(path: path, detail: message)  // SHORT_READ
        case SQLITE_READONLY:
            // READONLY_CANTINIT, READONLY_DIRECTORY, READONLY_CANTLOCK: a reader that may not
            // create the WAL index next to the file, not an attempted change.
            if [5, 6, 2].contains(rc >> 8) { return .readOnlyDirectory(path: path) }
            return .readOnly(path: path)
        case SQLITE_CANTOPEN: return .cannotOpen(path: path, detail: message)
        // SQLITE_PROTOCOL: WAL locks could not be taken after SQLite's own retries (heavy contention).
        case SQLITE_BUSY, SQLITE_LOCKED, SQLITE_PROTOCOL: return .busy(path: path, seconds: busyTimeout)
        case SQLITE_FULL: return .diskFull(path: path)
        case SQLITE_ERROR where message.hasPrefix("no such table") || message.hasPrefix("no such column"):
            return .corrupt(path: path, detail: message)
        default: return .sqlite(code: rc, message: message)
        }
    }

    func error(_ rc: Int32) -> StoreError {
        Connection.error(rc, String(cString: sqlite3_errmsg(handle)), path: path, busyTimeout: busyTimeout)
    }

    /// Runs SQL without results (may hold several statements).
    func execute(_ sql: String) throws(StoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(message)
            throw Connection.error(rc, text, path: path, busyTimeout: busyTimeout)
        }
    }

    /// The cached prepared statement for `sql`, reset and with cleared bindings.
    func prepare(_ sql: String) throws(StoreError) -> Statement {
        if let cached = statements[sql] {
            sqlite3_reset(cached)
            sqlite3_clear_bindings(cached)
            return Statement(handle: cached, connection: self)
        }
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc) }
        statements[sql] = statement
        return Statement(handle: statement, connection: self)
    }

    /// Runs `body` in a transaction; rolls back if it throws.
    func transaction<T>(immediate: Bool, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
}

/// A prepared statement borrowed from the connection's cache.
struct Statement {
    let handle: OpaquePointer
    unowned let connection: Connection

    func bind(_ index: Int32, _ value: Int) throws(StoreError) {
        try check(sqlite3_bind_int64(handle, index, Int64(value)))
    }

    func bind(_ index: Int32, _ value: Double) throws(StoreError) {
        try check(sqlite3_bind_double(handle, index, value))
    }

    func bind(_ index: Int32, _ value: String) throws(StoreError) {
        try check(sqlite3_bind_text(handle, index, value, -1, sqliteTransient))
    }

    /// Binds `bytes` without copying (SQLITE_STATIC): the caller must step the statement while
    /// `bytes` is alive.
    func bindBorrowed(_ index: Int32, _ bytes: UnsafeRawBufferPointer) throws(StoreError) {
        try check(sqlite3_bind_blob64(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!,
                                      sqlite3_uint64(bytes.count), nil))
    }

    private func check(_ rc: Int32) throws(StoreError) {
        if rc != SQLITE_OK { throw connection.error(rc) }
    }

    /// Advances; true when a row is available, false when done.
    func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw connection.error(rc)
    }

    /// Steps a statement that returns no rows, then resets it.
    func run() throws(StoreError) {
        defer { sqlite3_reset(handle) }
        _ = try step()
    }

    func reset() { sqlite3_reset(handle) }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The bytes of a BLOB column, valid until the statement steps or resets.
    func blob(_ column: Int32) -> UnsafeRawBufferPointer {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let start = sqlite3_column_blob(handle, column), count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: start, count: count)
    }

    func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let length = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self)
    }
}
