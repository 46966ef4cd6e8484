// The store: opening a file, names, locking. Schema and migrations are in StoreSchema.swift,
// writing and reading models in VectorStore+Writing/Reading.swift, the SQLite wrapper in
// SQLite.swift and the BLOB layouts in BlockIO.swift.
import CSQLite
import Embeddings
import Foundation
import TensorCore
#if canImport(Glibc)
import Glibc
#endif

/// A connection to one SQLite file that holds any number of named word-vector models.
///
/// Layout (schema version 3; networks: see VectorStore+Networks.swift): `models` (one row per model: name, method, shape, metadata JSON,
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
    public static let schemaVersion = 4
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
    let connection: Connection
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
    static func open(path: String, mode: Mode, immutable: Bool, busyTimeout: Double) throws(StoreError) -> Connection {
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
    static func hasPendingLog(_ path: String) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path + "-wal"),
              let size = attributes[.size] as? Int else { return false }
        return size > 0
    }

    // MARK: - Names

    static func validate(name: String) throws(StoreError) {
        guard !name.isEmpty, name.count <= maximumNameLength,
              !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidName(name)
        }
    }

    func modelID(_ name: String) throws(StoreError) -> Int? {
        let statement = try connection.prepare("SELECT id FROM models WHERE name = ?1")
        defer { statement.reset() }
        try statement.bind(1, name)
        return try statement.step() ? statement.int(0) : nil
    }

    /// The error for a word-vector model `name` that does not exist: a network of that name is
    /// ``StoreError/wrongKind(name:found:expected:)``, anything else not found (listing every name).
    func notFound(_ name: String) throws(StoreError) -> StoreError {
        if let kind = try networkKind(name) { return .wrongKind(name: name, found: kind, expected: VectorStore.wordVectorsKind) }
        let networks = try connection.prepare("SELECT name FROM networks ORDER BY name")
        defer { networks.reset() }
        var names = try listModels().map(\.name)
        while try networks.step() { names.append(networks.string(0)) }
        return .modelNotFound(name: name, available: names)
    }

    func locked<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    func requireWritable() throws(StoreError) {
        if mode == .readOnly { throw .readOnly(path: path) }
    }
}
