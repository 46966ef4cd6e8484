// Kernel file (load/save loops): vector blocks are bound from and read into Tensor storage
// through raw buffers.
//
// Shapes: a model's [V, D] Float32 matrix is split into ceil(V / R) blocks of R = blockRows rows;
//         block b is the bytes of rows [b·R, min((b+1)·R, V)), i.e. scalars[b·R·D ..< min((b+1)·R, V)·D].
import CSQLite
import Embeddings
import Foundation
import TensorCore
#if canImport(Glibc)
import Glibc
#endif

/// A connection to one SQLite file that holds any number of named word-vector models.
///
/// Layout (schema version 2): `models` (one row per model: name, method, shape, metadata JSON,
/// and the whole vocabulary packed in two BLOBs for fast loading), `words` (model, id, word,
/// count; indexed by id and by word, for lookups) and `vector_blocks` (the model's `[V, D]`
/// Float32 matrix in row-major blocks of `blockRows` rows, stored little-endian as BLOBs).
/// Loading reads the blocks straight into the result's storage with incremental blob I/O, and a
/// single word's vector is read at its offset inside one block, without loading the model.
///
/// Every write is one transaction, so a model is either entirely present or absent, and
/// replacing one model never touches the others. The file is in WAL mode, so readers on other
/// connections are never blocked by a writer and see the last committed state.
///
/// A reference type because a connection has identity; its operations are serialized by an
/// internal lock, so it can be shared between tasks.
public final class VectorStore: @unchecked Sendable {
    /// How the file is opened.
    public enum Mode: Sendable {
        /// Reading only; the file must exist and be a store.
        case readOnly
        /// Reading and writing; a missing file is created as an empty store.
        case readWrite
    }

    /// The schema version this build writes and reads.
    public static let schemaVersion = 2
    /// The longest model name accepted, in characters.
    public static let maximumNameLength = 200
    /// `PRAGMA application_id` of w2v stores ("w2vs").
    static let applicationID: Int32 = 0x7732_7673
    /// Target size of one vector block; a block holds `max(1, blockBytes / (4·D))` rows.
    public static let blockBytes = 256 * 1024

    /// How long a write waits for another process's write lock before failing with
    /// ``StoreError/busy(path:seconds:)``, by default.
    public static let defaultBusyTimeout: Double = 60

    /// The file's path.
    public let path: String
    /// How the file was opened.
    public let mode: Mode
    private let connection: Connection
    private let lock = NSLock()

    /// Opens (or, in `.readWrite` mode, creates) the store at `path`, migrating an older schema
    /// when writing is allowed.
    ///
    /// Any number of processes may open one store at once: readers never wait, and a writer
    /// waits up to `busyTimeout` seconds for another's transaction to end, then fails with
    /// ``StoreError/busy(path:seconds:)`` (nothing is changed). A read-only open works in a
    /// directory that cannot be written (a read-only mount, a shared model directory): when
    /// SQLite may not create the WAL index beside the file and no write-ahead log is pending,
    /// the file is opened as immutable.
    public init(path: String, mode: Mode = .readWrite, busyTimeout: Double = VectorStore.defaultBusyTimeout) throws(StoreError) {
        self.path = path
        self.mode = mode
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && mode == .readOnly { throw .fileNotFound(path: path) }
        do {
            connection = try VectorStore.open(path: path, mode: mode, immutable: false, busyTimeout: busyTimeout)
        } catch .readOnlyDirectory(_) where mode == .readOnly && !VectorStore.hasPendingLog(path) {
            connection = try VectorStore.open(path: path, mode: mode, immutable: true, busyTimeout: busyTimeout)
        }
    }

    /// A connection with the schema checked (and migrated when writing).
    ///
    /// Opening is idempotent, so when several processes open (or create) one store at the same
    /// moment, a step that finds the file locked in a way SQLite's busy handler does not wait for
    /// (a journal-mode change, WAL recovery) is retried until `busyTimeout` has passed.
    private static func open(path: String, mode: Mode, immutable: Bool, busyTimeout: Double) throws(StoreError) -> Connection {
        let connection = try Connection(path: path, readOnly: mode == .readOnly, immutable: immutable,
                                        busyTimeout: busyTimeout)
        let deadline = ContinuousClock.now + .milliseconds(Int(busyTimeout * 1000))
        var pause = 1
        while true {
            do {
                try checkMagic(connection)
                try openSchema(connection, mode: mode)
                try checkNotTruncated(connection)
                return connection
            } catch .busy(let path, let seconds) {
                guard ContinuousClock.now < deadline else { throw .busy(path: path, seconds: seconds) }
                usleep(useconds_t(pause * 1000))
                pause = min(pause * 2, 50)
            }
        }
    }

    /// Whether a non-empty write-ahead log lies beside the database.
    private static func hasPendingLog(_ path: String) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path + "-wal"),
              let size = attributes[.size] as? Int else { return false }
        return size > 0
    }

    // MARK: - Opening

    /// Rejects files that are not SQLite databases.
    ///
    /// SQLite validates page 1 itself whenever the database has pages (read inside a transaction,
    /// so a store another process is creating or checkpointing right now is seen consistently,
    /// through its WAL). Only a non-empty file that SQLite takes for an empty database (it
    /// ignores a file too short to hold a page) needs the raw magic check; and a file SQLite
    /// refuses is "not a store" when its magic string is wrong, damaged when it is right.
    private static func checkMagic(_ connection: Connection) throws(StoreError) {
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

    private static func pragmaInt(_ connection: Connection, _ name: String) throws(StoreError) -> Int {
        let statement = try connection.prepare("PRAGMA \(name)")
        defer { statement.reset() }
        return try statement.step() ? statement.int(0) : 0
    }

    private static func openSchema(_ connection: Connection, mode: Mode) throws(StoreError) {
        let application = try pragmaInt(connection, "application_id")
        let version = try pragmaInt(connection, "user_version")
        if application == Int(VectorStore.applicationID) {
            guard version >= 0 else {
                throw .corrupt(path: connection.path, detail: "its schema version \(version) is negative")
            }
            if mode == .readWrite { try useWriteAheadLog(connection) }
            if version > VectorStore.schemaVersion {
                throw .newerSchema(found: version, supported: VectorStore.schemaVersion)
            }
            if version < VectorStore.schemaVersion {
                if mode == .readOnly { throw .olderSchema(found: version, supported: VectorStore.schemaVersion) }
                try migrate(connection, from: version)
            }
        } else {
            let tables = try pragmaInt(connection, "schema_version") == 0 ? 0 : countTables(connection)
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
    private static func useWriteAheadLog(_ connection: Connection) throws(StoreError) {
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

    private static func countTables(_ connection: Connection) throws(StoreError) -> Int {
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
    ]

    private static func migrate(_ connection: Connection, from version: Int) throws(StoreError) {
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
    private static func checkNotTruncated(_ connection: Connection) throws(StoreError) {
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

    // MARK: - Names

    private static func validate(name: String) throws(StoreError) {
        guard !name.isEmpty, name.count <= maximumNameLength,
              !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidName(name)
        }
    }

    private func modelID(_ name: String) throws(StoreError) -> Int? {
        let statement = try connection.prepare("SELECT id FROM models WHERE name = ?1")
        defer { statement.reset() }
        try statement.bind(1, name)
        return try statement.step() ? statement.int(0) : nil
    }

    private func notFound(_ name: String) throws(StoreError) -> StoreError {
        .modelNotFound(name: name, available: try listModels().map(\.name))
    }

    private func locked<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func requireWritable() throws(StoreError) {
        if mode == .readOnly { throw .readOnly(path: path) }
    }

    // MARK: - Writing

    /// Saves `vectors` under `name` in one transaction. With `replace`, an existing model of that
    /// name is replaced in the same transaction; otherwise it is an error
    /// (``StoreError/modelExists(name:)``). `progress` is called on the calling thread with stage
    /// `"saving"` and the completed fraction (words, then vector blocks), about every 1%, and with
    /// 1 after the commit. On cancellation the transaction is rolled back: nothing changes.
    public func save(_ vectors: WordVectors, as name: String, metadata: ModelMetadata,
                     replace: Bool = true, progress: ((ProgressReport) -> Void)? = nil,
                     cancellation: CancellationFlag? = nil) throws(StoreError) {
        try VectorStore.validate(name: name)
        try requireWritable()
        let json = try encode(metadata)
        let start = monotonicSeconds()
        func report(_ fraction: Double, cancellable: Bool = true) throws(StoreError) {
            if cancellable, cancellation?.isCancelled == true { throw .cancelled }
            let elapsed = monotonicSeconds() - start
            let done = Int(fraction * Double(vectors.count))
            progress?(ProgressReport(stage: "saving", fraction: fraction, processedWords: done,
                                     wordsPerSecond: elapsed > 0 ? Double(done) / elapsed : 0, elapsedSeconds: elapsed))
        }
        try locked { () throws(StoreError) in
            try connection.transaction(immediate: true) { () throws(StoreError) in
                if let existing = try modelID(name) {
                    guard replace else { throw .modelExists(name: name) }
                    try deleteRows(of: existing)
                }
                let d = vectors.dimension
                let blockRows = max(1, VectorStore.blockBytes / max(1, 4 * d))
                let insertModel = try connection.prepare("""
                    INSERT INTO models(name, method, dimension, vocabulary_size, block_rows, created_at,
                                       toolkit_version, metadata, packed_words, packed_counts)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                    """)
                try insertModel.bind(1, name)
                try insertModel.bind(2, metadata.method)
                try insertModel.bind(3, d)
                try insertModel.bind(4, vectors.count)
                try insertModel.bind(5, blockRows)
                try insertModel.bind(6, metadata.createdAt.timeIntervalSince1970)
                try insertModel.bind(7, metadata.toolkitVersion)
                try insertModel.bind(8, json)
                let packedWords = VocabularyPacking.packWords(vectors.words)
                let packedCounts = VocabularyPacking.packCounts(vectors.counts)
                let modelFailure: StoreError? = packedWords.withUnsafeBytes { wordBytes in
                    packedCounts.withUnsafeBytes { countBytes in
                        do throws(StoreError) {
                            try insertModel.bindBorrowed(9, wordBytes)
                            try insertModel.bindBorrowed(10, countBytes)
                            try insertModel.run()
                        } catch { return error }
                        return nil
                    }
                }
                if let modelFailure { throw modelFailure }
                let id = Int(connection.lastInsertRowID)

                let insertWord = try connection.prepare(
                    "INSERT INTO words(model_id, id, word, count) VALUES (?1, ?2, ?3, ?4)")
                try insertWord.bind(1, id)
                let total = 2 * max(vectors.count, 1)
                let step = max(1, total / 100)
                for (index, word) in vectors.words.enumerated() {
                    if index % step == 0 { try report(Double(index) / Double(total)) }
                    try insertWord.bind(2, index)
                    try insertWord.bind(3, word)
                    try insertWord.bind(4, vectors.counts[index])
                    try insertWord.run()
                }

                let insertBlock = try connection.prepare(
                    "INSERT INTO vector_blocks(model_id, block, vectors) VALUES (?1, ?2, ?3)")
                try insertBlock.bind(1, id)
                #if _endian(big)
                let scalars = vectors.vectors.scalars.map { Float(bitPattern: $0.bitPattern.littleEndian) }
                #else
                let scalars = vectors.vectors.scalars
                #endif
                let blockCount = (vectors.count + blockRows - 1) / blockRows
                let failure: StoreError? = scalars.withUnsafeBytes { bytes in
                    do throws(StoreError) {
                        for block in 0..<blockCount {
                            try report(Double(vectors.count + block * blockRows) / Double(total))
                            let first = block * blockRows * d * 4
                            let last = min((block + 1) * blockRows, vectors.count) * d * 4
                            try insertBlock.bind(2, block)
                            try insertBlock.bindBorrowed(3, UnsafeRawBufferPointer(rebasing: bytes[first..<last]))
                            try insertBlock.run()
                        }
                    } catch { return error }
                    return nil
                }
                if let failure { throw failure }
            }
        }
        try report(1, cancellable: false)  // committed: too late to cancel
    }

    private func deleteRows(of id: Int) throws(StoreError) {
        for sql in ["DELETE FROM words WHERE model_id = ?1", "DELETE FROM vector_blocks WHERE model_id = ?1",
                    "DELETE FROM models WHERE id = ?1"] {
            let statement = try connection.prepare(sql)
            try statement.bind(1, id)
            try statement.run()
        }
    }

    /// Removes the model `name` (one transaction).
    public func delete(_ name: String) throws(StoreError) {
        try requireWritable()
        try locked { () throws(StoreError) in
            try connection.transaction(immediate: true) { () throws(StoreError) in
                guard let id = try modelID(name) else { throw try notFound(name) }
                try deleteRows(of: id)
            }
        }
    }

    // MARK: - Reading

    private struct ModelRow {
        var id: Int
        var dimension: Int
        var vocabularySize: Int
        var blockRows: Int
        var metadata: ModelMetadata
        /// The packed vocabulary (nil for models saved under schema 1).
        var words: [String]?
        var counts: [Int]?
    }

    private func modelRow(_ name: String, withVocabulary: Bool = false) throws(StoreError) -> ModelRow {
        let statement = try connection.prepare(withVocabulary
            ? "SELECT id, dimension, vocabulary_size, block_rows, metadata, packed_words, packed_counts FROM models WHERE name = ?1"
            : "SELECT id, dimension, vocabulary_size, block_rows, metadata FROM models WHERE name = ?1")
        defer { statement.reset() }
        try statement.bind(1, name)
        guard try statement.step() else { throw try notFound(name) }
        var row = ModelRow(id: statement.int(0), dimension: statement.int(1), vocabularySize: statement.int(2),
                           blockRows: statement.int(3), metadata: try decode(statement.string(4), model: name))
        // Sizes are checked with overflow-checked arithmetic here and against the BLOBs before
        // anything is allocated from them.
        guard row.dimension >= 0, row.vocabularySize >= 0, row.blockRows > 0,
              let rowBytes = VectorStore.checkedProduct(row.dimension, 4),
              VectorStore.checkedProduct(rowBytes, row.blockRows) != nil,
              VectorStore.checkedProduct(rowBytes, row.vocabularySize) != nil else {
            throw .corrupt(path: path, detail: "model \"\(name)\" has an impossible shape")
        }
        if withVocabulary && !statement.isNull(5) && !statement.isNull(6) {
            guard let words = VocabularyPacking.unpackWords(statement.blob(5), count: row.vocabularySize),
                  let counts = VocabularyPacking.unpackCounts(statement.blob(6), count: row.vocabularySize) else {
                throw .corrupt(path: path, detail: "the packed vocabulary of model \"\(name)\" is damaged")
            }
            row.words = words
            row.counts = counts
        }
        return row
    }

    /// `a · b`, or nil when it overflows.
    static func checkedProduct(_ a: Int, _ b: Int) -> Int? {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : product
    }

    /// Loads the model `name` into memory.
    public func load(_ name: String) throws(StoreError) -> StoredModel {
        try locked { () throws(StoreError) in
            try connection.transaction(immediate: false) { () throws(StoreError) -> StoredModel in
                let model = try modelRow(name, withVocabulary: true)
                let v = model.vocabularySize
                let d = model.dimension
                let words: [String]
                let counts: [Int]
                if let packedWords = model.words, let packedCounts = model.counts {
                    words = packedWords
                    counts = packedCounts
                } else {
                    (words, counts) = try wordRows(of: model, name: name)
                }

                let selectBlocks = try connection.prepare(
                    "SELECT rowid, block, length(vectors) FROM vector_blocks WHERE model_id = ?1 ORDER BY block")
                defer { selectBlocks.reset() }
                try selectBlocks.bind(1, model.id)
                var blocks: [(rowID: Int64, byteCount: Int)] = []
                // The shape was checked in modelRow: these products do not overflow.
                let expectedBlocks = v == 0 ? 0 : (v - 1) / model.blockRows + 1
                while try selectBlocks.step() {
                    let block = selectBlocks.int(1)
                    guard block == blocks.count else {
                        throw .corrupt(path: path, detail: "vector block \(blocks.count) of model \"\(name)\" is missing")
                    }
                    guard block < expectedBlocks else {
                        throw .corrupt(path: path, detail: "model \"\(name)\" has more vector blocks than words")
                    }
                    let rows = min(model.blockRows, v - block * model.blockRows)
                    let byteCount = rows * d * 4
                    guard selectBlocks.int(2) == byteCount else {
                        throw .corrupt(path: path, detail: "vector block \(block) of model \"\(name)\" has "
                                       + "\(selectBlocks.int(2)) bytes instead of \(byteCount)")
                    }
                    blocks.append((Int64(selectBlocks.int(0)), byteCount))
                }
                guard blocks.count == expectedBlocks else {
                    throw .corrupt(path: path, detail: "model \"\(name)\" lacks vector blocks")
                }
                // Every byte is now known to be there: blocks are read straight into the
                // uninitialized result storage (no zero-fill, no copy).
                var failure: StoreError? = nil
                var scalars = [Float](unsafeUninitializedCapacity: v * d) { buffer, initialized in
                    do throws(StoreError) {
                        try connection.readBlobs(table: "vector_blocks", column: "vectors", rows: blocks,
                                                 into: UnsafeMutableRawPointer(buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: 16)!))
                        initialized = v * d
                    } catch {
                        failure = error
                        initialized = 0
                    }
                }
                if let failure { throw failure }
                #if _endian(big)
                scalars = scalars.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
                #endif
                let vectors: WordVectors
                do {
                    vectors = try WordVectors(words: words, vectors: Tensor(shape: [v, d], scalars: scalars), counts: counts)
                } catch {
                    throw .corrupt(path: path, detail: "model \"\(name)\": \(error)")
                }
                return StoredModel(name: name, vectors: vectors, metadata: model.metadata)
            }
        }
    }

    /// The vocabulary from the `words` table (models saved under schema 1).
    private func wordRows(of model: ModelRow, name: String) throws(StoreError) -> ([String], [Int]) {
        var words: [String] = []
        var counts: [Int] = []
        // Reserve no more than rows could plausibly exist; a damaged size must not allocate.
        words.reserveCapacity(min(model.vocabularySize, 1 << 16))
        counts.reserveCapacity(min(model.vocabularySize, 1 << 16))
        let selectWords = try connection.prepare("SELECT id, word, count FROM words WHERE model_id = ?1 ORDER BY id")
        defer { selectWords.reset() }
        try selectWords.bind(1, model.id)
        while try selectWords.step() {
            guard selectWords.int(0) == words.count, words.count < model.vocabularySize else {
                throw .corrupt(path: path, detail: "word ids of model \"\(name)\" are not consecutive")
            }
            words.append(selectWords.string(1))
            counts.append(selectWords.int(2))
        }
        guard words.count == model.vocabularySize else {
            throw .corrupt(path: path,
                           detail: "model \"\(name)\" should have \(model.vocabularySize) words but has \(words.count)")
        }
        return (words, counts)
    }

    /// The vector of `word` in model `name`, read at its offset inside one block without loading
    /// the model; nil when the model lacks the word.
    public func vector(for word: String, in name: String) throws(StoreError) -> [Float]? {
        try locked { () throws(StoreError) -> [Float]? in
            try connection.transaction(immediate: false) { () throws(StoreError) -> [Float]? in
                let find = try connection.prepare("""
                    SELECT m.id, m.dimension, m.block_rows, w.id, b.rowid, length(b.vectors), m.vocabulary_size
                    FROM models m
                    JOIN words w ON w.model_id = m.id AND w.word = ?2
                    LEFT JOIN vector_blocks b ON b.model_id = m.id AND b.block = w.id / m.block_rows
                    WHERE m.name = ?1
                    """)
                defer { find.reset() }
                try find.bind(1, name)
                try find.bind(2, word)
                guard try find.step() else {
                    if try modelID(name) == nil { throw try notFound(name) }
                    return nil
                }
                let d = find.int(1)
                let blockRows = find.int(2)
                let id = find.int(3)
                guard !find.isNull(4), blockRows > 0, d >= 0, id >= 0, id < find.int(6) else {
                    throw .corrupt(path: path, detail: "the vector block of \"\(word)\" in model \"\(name)\" is missing")
                }
                // The row must lie inside the BLOB that is really there before its vector is allocated.
                guard let rowBytes = VectorStore.checkedProduct(d, 4),
                      let offset = VectorStore.checkedProduct(id % blockRows, rowBytes),
                      offset <= find.int(5) - rowBytes else {
                    throw .corrupt(path: path, detail: "the vector block of \"\(word)\" in model \"\(name)\" is shorter than its shape requires")
                }
                let rowID = Int64(find.int(4))
                var vector = [Float](repeating: 0, count: d)
                let failure: StoreError? = vector.withUnsafeMutableBytes { bytes in
                    do throws(StoreError) {
                        try connection.readBlob(table: "vector_blocks", column: "vectors", rowID: rowID,
                                                offset: offset, byteCount: rowBytes,
                                                into: bytes.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 16)!)
                    } catch { return error }
                    return nil
                }
                if let failure { throw failure }
                #if _endian(big)
                vector = vector.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
                #endif
                return vector
            }
        }
    }

    /// The metadata of model `name`.
    public func metadata(of name: String) throws(StoreError) -> ModelMetadata {
        try locked { () throws(StoreError) in try modelRow(name).metadata }
    }

    /// All models, newest first.
    public func models() throws(StoreError) -> [ModelSummary] {
        try locked { () throws(StoreError) in try listModels() }
    }

    /// The summary of model `name`.
    public func summary(of name: String) throws(StoreError) -> ModelSummary {
        try locked { () throws(StoreError) in
            guard let summary = try listModels().first(where: { $0.name == name }) else { throw try notFound(name) }
            if let damage = summary.damage { throw .corrupt(path: path, detail: "model \"\(name)\": \(damage)") }
            return summary
        }
    }

    /// The name of the most recently created model, or nil for an empty store.
    public func latestModelName() throws(StoreError) -> String? {
        try locked { () throws(StoreError) in try listModels().first?.name }
    }

    private func listModels() throws(StoreError) -> [ModelSummary] {
        let statement = try connection.prepare("""
            SELECT name, method, dimension, vocabulary_size, created_at, toolkit_version, metadata
            FROM models ORDER BY created_at DESC, id DESC
            """)
        defer { statement.reset() }
        var result: [ModelSummary] = []
        while try statement.step() {
            let name = statement.string(0)
            let created = Date(timeIntervalSince1970: statement.double(4))
            // One model's damaged metadata must not hide the others: it is listed, marked damaged.
            var damage: String? = nil
            let metadata: ModelMetadata
            do {
                metadata = try decode(statement.string(6), model: name)
            } catch {
                damage = "its metadata is not valid JSON"
                metadata = ModelMetadata(method: statement.string(1), createdAt: created,
                                         toolkitVersion: statement.string(5))
            }
            result.append(ModelSummary(
                name: name, method: statement.string(1), dimension: statement.int(2),
                vocabularySize: statement.int(3), createdAt: metadata.createdAt,
                toolkitVersion: statement.string(5), metadata: metadata, damage: damage))
        }
        return result
    }

    // MARK: - Metadata JSON

    private func encode(_ metadata: ModelMetadata) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return String(decoding: try encoder.encode(metadata), as: UTF8.self)
        } catch {
            throw .sqlite(code: SQLITE_MISUSE, message: "the metadata cannot be encoded: \(error)")
        }
    }

    private func decode(_ json: String, model: String) throws(StoreError) -> ModelMetadata {
        let decoder = JSONDecoder()
        do {
            return try decoder.decode(ModelMetadata.self, from: Data(json.utf8))
        } catch {
            throw .corrupt(path: path, detail: "the metadata of model \"\(model)\" is not valid JSON")
        }
    }
}
