// Opening a store file: the magic and truncation checks, the schema and its migrations.
#if canImport(Glibc)
import Glibc
#endif
import CSQLite
import Embeddings
import Foundation
import TensorCore

extension VectorStore {

    /// Rejects files that are not SQLite databases.
    ///
    /// SQLite validates page 1 itself whenever the database has pages (read inside a transaction,
    /// so a store another process is creating or checkpointing right now is seen consistently,
    /// through its WAL). Only a non-empty file that SQLite takes for an empty database (it
    /// ignores a file too short to hold a page) needs the raw magic check; and a file SQLite
    /// refuses is "not a store" when its magic string is wrong, damaged when it is right.
    static func checkMagic(_ connection: Connection) throws(StoreError) {
        func magicIsWrong() -> Bool {
            guard let (header, size) = connection.databaseFileHeader(count: 16), size > 0 else { return false }
            return size < 16 || header != Array("SQLite format 3\0".utf8)
        }
        do {
            try connection.transaction(immediate: false) { () throws(StoreError) in
                if try pragmaInt(connection, "page_count") == 0 && magicIsWrong() {
                    throw .notAStore(path: connection.path)
                }
            }
        } catch .corrupt(let path, let detail) {
            if magicIsWrong() { throw .notAStore(path: path) }
            throw .corrupt(path: path, detail: detail)
        }
    }

    static func pragmaInt(_ connection: Connection, _ name: String) throws(StoreError) -> Int {
        let statement = try connection.prepare("PRAGMA \(name)")
        defer { statement.reset() }
        return try statement.step() ? statement.int(0) : 0
    }

    static func openSchema(_ connection: Connection, mode: Mode) throws(StoreError) {
        // One snapshot for all three readings: another process may be creating the schema right
        // now, and reading its id before and its tables after that commit would call the new
        // store "not a store".
        let (application, version, tables) = try connection.transaction(immediate: false) { () throws(StoreError) in
            (try pragmaInt(connection, "application_id"), try pragmaInt(connection, "user_version"),
             try pragmaInt(connection, "schema_version") == 0 ? 0 : try countTables(connection))
        }
        if application == Int(VectorStore.applicationID) {
            guard version >= 0 else {
                throw .corrupt(path: connection.path, detail: "its schema version \(version) is negative")
            }
            if mode == .readWrite { try useWriteAheadLog(connection) }
            if version > VectorStore.schemaVersion {
                throw .newerSchema(found: version, supported: VectorStore.schemaVersion)
            }
            if version < VectorStore.schemaVersion {
                if mode == .readOnly {
                    guard version >= VectorStore.oldestSchemaReadableInPlace else {
                        throw .olderSchema(found: version, supported: VectorStore.schemaVersion)
                    }
                } else {
                    try migrate(connection, from: version)
                }
            }
        } else {
            guard application == 0, tables == 0, mode == .readWrite else { throw .notAStore(path: connection.path) }
            // WAL before the first write, so that readers of a store being created never see
            // pages written in place.
            try useWriteAheadLog(connection)
            try migrate(connection, from: 0)
        }
        if mode == .readWrite {
            try connection.execute("PRAGMA synchronous = NORMAL")
        }
    }

    /// Switches the file to WAL mode unless it already is (the mode is persistent).
    static func useWriteAheadLog(_ connection: Connection) throws(StoreError) {
        let statement = try connection.prepare("PRAGMA journal_mode")
        let current = try statement.step() ? statement.string(0) : ""
        statement.reset()
        if current.lowercased() != "wal" {
            let change = try connection.prepare("PRAGMA journal_mode = WAL")
            defer { change.reset() }
            let mode = try change.step() ? change.string(0) : ""
            // SQLite answers with the mode in force: anything but "wal" means another
            // connection held the file; retried by the caller as busy.
            if mode.lowercased() != "wal" { throw .busy(path: connection.path, seconds: connection.busyTimeout) }
        }
    }

    static func countTables(_ connection: Connection) throws(StoreError) -> Int {
        let statement = try connection.prepare("SELECT count(*) FROM sqlite_schema")
        defer { statement.reset() }
        return try statement.step() ? statement.int(0) : 0
    }

    /// Schema migrations: `migrations[v]` upgrades version v to v + 1.
    static let migrations: [String] = [
        // 0 → 1: the initial layout.
        """
        CREATE TABLE models(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            method TEXT NOT NULL,
            dimension INTEGER NOT NULL,
            vocabulary_size INTEGER NOT NULL,
            block_rows INTEGER NOT NULL,
            created_at REAL NOT NULL,
            toolkit_version TEXT NOT NULL,
            metadata TEXT NOT NULL
        );
        CREATE TABLE words(
            model_id INTEGER NOT NULL,
            id INTEGER NOT NULL,
            word TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (model_id, id)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX words_by_text ON words(model_id, word);
        CREATE TABLE vector_blocks(
            model_id INTEGER NOT NULL,
            block INTEGER NOT NULL,
            vectors BLOB NOT NULL,
            UNIQUE (model_id, block)
        );
        """,
        // 1 → 2: the vocabulary packed into the model row (words as UInt32-length-prefixed UTF-8,
        // counts as Int64, both little-endian), so that loading reads two BLOBs instead of V rows.
        // Models saved before stay NULL there and load from `words`.
        """
        ALTER TABLE models ADD COLUMN packed_words BLOB;
        ALTER TABLE models ADD COLUMN packed_counts BLOB;
        """,
        // 2 → 3: neural networks beside the vectors (language models; seq2seq and vision models
        // fit the same layout): one row per network with its kind, configuration and history
        // (JSON), an optional packed vocabulary, and its named Float32 tensors (shape as JSON,
        // little-endian BLOB), in the owner's order.
        """
        CREATE TABLE networks(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            created_at REAL NOT NULL,
            toolkit_version TEXT NOT NULL,
            configuration TEXT NOT NULL,
            history TEXT,
            details TEXT NOT NULL,
            vocabulary_size INTEGER,
            packed_words BLOB,
            packed_counts BLOB
        );
        CREATE TABLE network_tensors(
            network_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            shape TEXT NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (network_id, name)
        ) WITHOUT ROWID;
        """,
        // 3 → 4: word2vec's output weights (W_out), so that a stored model can be trained
        // further; blocks laid out as `vector_blocks`. Models saved before have none.
        """
        CREATE TABLE output_blocks(
            model_id INTEGER NOT NULL,
            block INTEGER NOT NULL,
            vectors BLOB NOT NULL,
            UNIQUE (model_id, block)
        );
        """,
    ]

    /// The oldest schema a read-only open reads as it is, without migrating: version 4 only
    /// added a table, whose absence readers take as "no output weights".
    static let oldestSchemaReadableInPlace = 3

    static func migrate(_ connection: Connection, from version: Int) throws(StoreError) {
        try connection.transaction(immediate: true) { () throws(StoreError) in
            // Re-read inside the write lock: another connection may have migrated meanwhile.
            let current = try pragmaInt(connection, "user_version")
            guard current < VectorStore.schemaVersion else { return }
            guard current >= 0 else { throw .corrupt(path: connection.path, detail: "its schema version \(current) is negative") }
            for step in current..<VectorStore.schemaVersion {
                try connection.execute(VectorStore.migrations[step])
            }
            try connection.execute("PRAGMA application_id = \(VectorStore.applicationID); "
                                   + "PRAGMA user_version = \(VectorStore.schemaVersion)")
        }
    }

    /// Detects a truncated file cheaply from the header's page count, and confirms with
    /// `PRAGMA quick_check` before calling it corrupt. The header is read through SQLite's own
    /// file handle (see ``Connection/databaseFileHeader(count:)``).
    static func checkNotTruncated(_ connection: Connection) throws(StoreError) {
        guard let (header, size) = connection.databaseFileHeader(count: 100), header.count == 100 else { return }
        func be32(_ at: Int) -> Int { header[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        let rawPageSize = be32(16) >> 16
        let pageSize = rawPageSize == 1 ? 65_536 : rawPageSize
        let pages = be32(28)
        let headerValid = be32(24) == be32(92) && pages > 0
        guard headerValid, size < pages * pageSize else { return }
        let statement = try connection.prepare("PRAGMA quick_check")
        defer { statement.reset() }
        let result = try statement.step() ? statement.string(0) : "no result"
        if result != "ok" {
            throw .corrupt(path: connection.path, detail: "the file is shorter than its header says: \(result)")
        }
    }
}
