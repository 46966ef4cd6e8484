import CSQLite
import Embeddings
import Foundation
import TensorCore
import Testing
@testable import ModelStorage

/// A fresh empty directory under the system temporary directory.
func makeTemporaryDirectory() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("w2v-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

/// Seeded random vectors with counts; words include multi-byte UTF-8.
func randomVectors(words: Int, dimension: Int, seed: UInt64) throws -> WordVectors {
    var rng = SplitMix64(seed: seed)
    let tensor = Tensor.randomNormal(shape: [words, dimension], using: &rng)
    let names = (0..<words).map { $0 == 1 ? "café" : $0 == 2 ? "日本" : "w\(seed)_\($0)" }
    return try WordVectors(words: names, vectors: tensor, counts: (0..<words).map { 1000 - $0 })
}

func metadata(_ method: String = "skipgram", at seconds: Double = 1_700_000_000.123) -> ModelMetadata {
    ModelMetadata(method: method, parameters: ["window": "5", "negative": "5"],
                  corpus: CorpusDescription(path: "/c.txt", sizeBytes: 10, checksum: "fnv1a64:0", tokenCount: 3),
                  createdAt: Date(timeIntervalSince1970: seconds), trainingSeconds: 1.5, notes: "test")
}

func overwrite(_ path: String, at offset: Int, with bytes: [UInt8]) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seek(toOffset: UInt64(offset))
    try handle.write(contentsOf: Data(bytes))
    try handle.close()
}

/// Expects `body` to throw ``StoreError/corrupt(path:detail:)`` about `path`.
func expectCorrupt(_ path: String, sourceLocation: SourceLocation = #_sourceLocation,
                   _ body: () throws -> Void) {
    let error = #expect(throws: StoreError.self, sourceLocation: sourceLocation) { try body() }
    guard case let .corrupt(corruptPath, detail)? = error else {
        if let error { Issue.record("expected a corrupt-store error, got \(error)", sourceLocation: sourceLocation) }
        return
    }
    #expect(corruptPath == path && !detail.isEmpty, sourceLocation: sourceLocation)
}

@Suite("Saving and loading models")
struct StoreRoundTripTests {
    let path: String
    init() throws { path = try makeTemporaryDirectory() + "/models.w2v" }

    @Test func saveThenLoadIsBitExact() throws {
        let vectors = try randomVectors(words: 300, dimension: 17, seed: 1)
        do {
            let store = try VectorStore(path: path)
            try store.save(vectors, as: "sg", metadata: metadata())
        }
        let store = try VectorStore(path: path, mode: .readOnly)
        let model = try store.load("sg")
        #expect(model.name == "sg")
        #expect(model.vectors == vectors)
        #expect(model.vectors.vectors.scalars.map(\.bitPattern) == vectors.vectors.scalars.map(\.bitPattern))
        #expect(model.metadata == metadata())
        #expect(try store.metadata(of: "sg") == metadata())
    }

    @Test func saveReportsProgress() throws {
        let vectors = try randomVectors(words: 1000, dimension: 300, seed: 30)
        let store = try VectorStore(path: path)
        var fractions: [Double] = []
        try store.save(vectors, as: "p", metadata: metadata()) {
            #expect($0.stage == "saving")
            fractions.append($0.fraction)
        }
        #expect(fractions.count >= 50 && fractions.count <= 202, "about every 1%: \(fractions.count)")
        #expect(zip(fractions, fractions.dropFirst()).allSatisfy { $0 <= $1 }, "non-decreasing")
        #expect(fractions.first == 0 && fractions.last == 1)
        #expect(try store.load("p").vectors == vectors)
    }

    @Test func aCancelledSaveChangesNothing() throws {
        let vectors = try randomVectors(words: 1000, dimension: 50, seed: 31)
        let store = try VectorStore(path: path)
        try store.save(vectors, as: "kept", metadata: metadata())
        let flag = CancellationFlag()
        var calls = 0
        #expect(throws: StoreError.cancelled) {
            try store.save(vectors, as: "kept", metadata: metadata(), progress: { _ in
                calls += 1
                if calls == 10 { flag.cancel() }
            }, cancellation: flag)
        }
        #expect(try store.load("kept").vectors == vectors, "the old model is intact")
        #expect(try store.models().map(\.name) == ["kept"])
    }

    @Test func vectorLookupReadsOneRowAcrossBlocks() throws {
        // D = 1000 gives blocks of 65 rows, so 200 words span four blocks.
        let vectors = try randomVectors(words: 200, dimension: 1000, seed: 2)
        let store = try VectorStore(path: path)
        try store.save(vectors, as: "wide", metadata: metadata())
        for id in [0, 1, 2, 64, 65, 66, 129, 130, 199] {
            #expect(try store.vector(for: vectors.words[id], in: "wide") == vectors.vector(at: id), "row \(id)")
        }
        #expect(try store.vector(for: "absent", in: "wide") == nil)
        #expect(try store.load("wide").vectors == vectors)
    }

    @Test func emptyAndTinyModels() throws {
        let store = try VectorStore(path: path)
        let empty = try WordVectors(words: [], vectors: Tensor(shape: [0, 4]))
        try store.save(empty, as: "empty", metadata: metadata("imported"))
        #expect(try store.load("empty").vectors == empty)
        let one = try WordVectors(words: ["solo"], vectors: Tensor([[-0.0, .leastNonzeroMagnitude]]))
        try store.save(one, as: "one", metadata: metadata("imported"))
        #expect(try store.load("one").vectors.vectors.scalars.map(\.bitPattern) == one.vectors.scalars.map(\.bitPattern))
    }

    @Test func listingIsNewestFirst() throws {
        let store = try VectorStore(path: path)
        #expect(try store.models().isEmpty)
        #expect(try store.latestModelName() == nil)
        try store.save(randomVectors(words: 5, dimension: 3, seed: 3), as: "old", metadata: metadata("cbow", at: 100))
        try store.save(randomVectors(words: 6, dimension: 4, seed: 4), as: "new", metadata: metadata("ppmi-svd", at: 200))
        try store.save(randomVectors(words: 7, dimension: 2, seed: 5), as: "mid", metadata: metadata("skipgram", at: 150))
        let models = try store.models()
        #expect(models.map(\.name) == ["new", "mid", "old"])
        #expect(models.map(\.method) == ["ppmi-svd", "skipgram", "cbow"])
        #expect(models.map(\.dimension) == [4, 2, 3])
        #expect(models.map(\.vocabularySize) == [6, 7, 5])
        #expect(models[0].createdAt == Date(timeIntervalSince1970: 200))
        #expect(models[0].toolkitVersion == Toolkit.version)
        #expect(try store.latestModelName() == "new")
        #expect(try store.summary(of: "mid").vocabularySize == 7)
    }

    @Test func replacingAModelLeavesOthersIntact() throws {
        let store = try VectorStore(path: path)
        let a = try randomVectors(words: 50, dimension: 8, seed: 6)
        let b = try randomVectors(words: 40, dimension: 8, seed: 7)
        let a2 = try randomVectors(words: 70, dimension: 5, seed: 8)
        try store.save(a, as: "a", metadata: metadata())
        try store.save(b, as: "b", metadata: metadata("cbow"))
        try store.save(a2, as: "a", metadata: metadata("ppmi-svd"))
        #expect(try store.load("a").vectors == a2)
        #expect(try store.metadata(of: "a").method == "ppmi-svd")
        #expect(try store.load("b").vectors == b)
        #expect(try store.vector(for: b.words[3], in: "b") == b.vector(at: 3))
        #expect(try store.vector(for: a.words[3], in: "a") == nil, "the old model's words are gone")
        #expect(try store.models().count == 2)
    }

    @Test func refusingToReplaceKeepsTheOriginal() throws {
        let store = try VectorStore(path: path)
        let a = try randomVectors(words: 10, dimension: 3, seed: 9)
        try store.save(a, as: "a", metadata: metadata())
        #expect(throws: StoreError.modelExists(name: "a")) {
            try store.save(try randomVectors(words: 4, dimension: 3, seed: 10), as: "a", metadata: metadata(), replace: false)
        }
        #expect(try store.load("a").vectors == a)
    }

    @Test func deleteRemovesOnlyThatModel() throws {
        let store = try VectorStore(path: path)
        let keep = try randomVectors(words: 10, dimension: 3, seed: 11)
        try store.save(try randomVectors(words: 10, dimension: 3, seed: 12), as: "gone", metadata: metadata())
        try store.save(keep, as: "keep", metadata: metadata())
        try store.delete("gone")
        #expect(try store.models().map(\.name) == ["keep"])
        #expect(try store.load("keep").vectors == keep)
        #expect(throws: StoreError.modelNotFound(name: "gone", available: ["keep"])) { try store.load("gone") }
        #expect(throws: StoreError.modelNotFound(name: "gone", available: ["keep"])) { try store.delete("gone") }
    }

    @Test func missingModels() throws {
        let store = try VectorStore(path: path)
        try store.save(try randomVectors(words: 3, dimension: 2, seed: 13), as: "m", metadata: metadata())
        let expected = StoreError.modelNotFound(name: "x", available: ["m"])
        #expect(throws: expected) { try store.load("x") }
        #expect(throws: expected) { try store.vector(for: "w13_0", in: "x") }
        #expect(throws: expected) { try store.metadata(of: "x") }
        #expect(throws: expected) { try store.summary(of: "x") }
    }

    @Test(arguments: ["", "line\nbreak", "tab\tname", String(repeating: "n", count: 201)])
    func invalidNames(_ name: String) throws {
        let store = try VectorStore(path: path)
        #expect(throws: StoreError.invalidName(name)) {
            try store.save(try randomVectors(words: 2, dimension: 2, seed: 14), as: name, metadata: metadata())
        }
    }

    @Test func unusualButValidNames() throws {
        let store = try VectorStore(path: path)
        let vectors = try randomVectors(words: 2, dimension: 2, seed: 15)
        for name in ["wiki 8 / skip-gram", "日本語モデル", "a'; DROP TABLE models; --"] {
            try store.save(vectors, as: name, metadata: metadata())
            #expect(try store.load(name).vectors == vectors)
        }
    }

    @Test func readOnlyStoresRefuseWrites() throws {
        try VectorStore(path: path).save(try randomVectors(words: 2, dimension: 2, seed: 16), as: "m", metadata: metadata())
        let store = try VectorStore(path: path, mode: .readOnly)
        #expect(throws: StoreError.readOnly(path: path)) {
            try store.save(try randomVectors(words: 2, dimension: 2, seed: 17), as: "n", metadata: metadata())
        }
        #expect(throws: StoreError.readOnly(path: path)) { try store.delete("m") }
        #expect(try store.models().map(\.name) == ["m"])
    }

    @Test func storeIsInWALMode() throws {
        _ = try VectorStore(path: path)
        let connection = try Connection(path: path, readOnly: true)
        let statement = try connection.prepare("PRAGMA journal_mode")
        #expect(try statement.step())
        #expect(statement.string(0) == "wal")
    }

    @Test func readersAreNotBlockedByAnOpenWriteTransaction() throws {
        let vectors = try randomVectors(words: 100, dimension: 6, seed: 18)
        try VectorStore(path: path).save(vectors, as: "m", metadata: metadata())
        // Another connection starts writing and keeps its transaction open.
        let writer = try Connection(path: path, readOnly: false)
        try writer.execute("BEGIN IMMEDIATE; DELETE FROM words; DELETE FROM vector_blocks;")
        let reader = try VectorStore(path: path, mode: .readOnly)
        #expect(try reader.load("m").vectors == vectors, "the reader sees the last committed state")
        #expect(try reader.vector(for: vectors.words[5], in: "m") == vectors.vector(at: 5))
        // A second writer cannot start meanwhile; it waits for the busy timeout and then fails.
        try writer.execute("ROLLBACK")
        #expect(try reader.load("m").vectors == vectors)
    }
}

@Suite("Opening files that are not good stores")
struct StoreOpeningTests {
    let directory: String
    init() throws { directory = try makeTemporaryDirectory() }

    @Test func missingFileReadOnly() {
        #expect(throws: StoreError.fileNotFound(path: directory + "/none.w2v")) {
            try VectorStore(path: directory + "/none.w2v", mode: .readOnly)
        }
    }

    @Test func missingDirectoryReadWrite() {
        let path = directory + "/no/such/dir.w2v"
        let error = #expect(throws: StoreError.self) { try VectorStore(path: path) }
        guard case let .cannotOpen(failedPath, detail)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(failedPath == path && !detail.isEmpty)
    }

    @Test func newFileIsCreatedWithTheCurrentSchema() throws {
        let path = directory + "/fresh.w2v"
        _ = try VectorStore(path: path)
        let connection = try Connection(path: path, readOnly: true)
        let version = try connection.prepare("PRAGMA user_version")
        #expect(try version.step() && version.int(0) == VectorStore.schemaVersion)
        let application = try connection.prepare("PRAGMA application_id")
        #expect(try application.step() && application.int(0) == Int(VectorStore.applicationID))
    }

    @Test func emptyFileBecomesAStoreWhenWritable() throws {
        let path = directory + "/empty.w2v"
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        #expect(throws: StoreError.notAStore(path: path)) { try VectorStore(path: path, mode: .readOnly) }
        #expect(try VectorStore(path: path).models().isEmpty)
    }

    @Test(arguments: [0, 15, 100, 5000])
    func randomBytesAreNotAStore(_ count: Int) throws {
        var rng = SplitMix64(seed: UInt64(count))
        let bytes = (0..<max(count, 1)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let path = directory + "/random\(count)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        for mode in [VectorStore.Mode.readOnly, .readWrite] {
            #expect(throws: StoreError.notAStore(path: path)) { try VectorStore(path: path, mode: mode) }
        }
    }

    @Test func textFileIsNotAStore() throws {
        let path = directory + "/vectors.txt"
        _ = FileManager.default.createFile(atPath: path, contents: Data("2 2\na 1 2\nb 3 4\n".utf8))
        #expect(throws: StoreError.notAStore(path: path)) { try VectorStore(path: path) }
    }

    @Test func foreignSQLiteDatabaseIsNotAStore() throws {
        let path = directory + "/foreign.db"
        do {
            let connection = try Connection(path: path, readOnly: false)
            try connection.execute("CREATE TABLE people(name TEXT); INSERT INTO people VALUES ('ada');")
        }
        for mode in [VectorStore.Mode.readOnly, .readWrite] {
            #expect(throws: StoreError.notAStore(path: path)) { try VectorStore(path: path, mode: mode) }
        }
    }

    @Test func newerSchemaIsRefused() throws {
        let path = directory + "/future.w2v"
        _ = try VectorStore(path: path)
        try Connection(path: path, readOnly: false).execute("PRAGMA user_version = 7")
        for mode in [VectorStore.Mode.readOnly, .readWrite] {
            #expect(throws: StoreError.newerSchema(found: 7, supported: VectorStore.schemaVersion)) {
                try VectorStore(path: path, mode: mode)
            }
        }
    }

    @Test func olderSchemaIsMigratedWhenWritable() throws {
        // A version-0 store: marked as w2v but without tables.
        let path = directory + "/old.w2v"
        try Connection(path: path, readOnly: false).execute("PRAGMA application_id = \(VectorStore.applicationID)")
        #expect(throws: StoreError.olderSchema(found: 0, supported: VectorStore.schemaVersion)) {
            try VectorStore(path: path, mode: .readOnly)
        }
        let store = try VectorStore(path: path)
        let vectors = try randomVectors(words: 4, dimension: 3, seed: 19)
        try store.save(vectors, as: "m", metadata: metadata())
        #expect(try VectorStore(path: path, mode: .readOnly).load("m").vectors == vectors)
    }

    @Test func schemaOneStoreIsMigratedAndItsModelsStillLoad() throws {
        let path = directory + "/v1.w2v"
        let vectors = try randomVectors(words: 300, dimension: 5, seed: 22)
        do {
            // Write a schema-1 store by hand: the first migration, then one model in its layout.
            let connection = try Connection(path: path, readOnly: false)
            try connection.execute(VectorStore.migrations[0])
            try connection.execute("PRAGMA application_id = \(VectorStore.applicationID); PRAGMA user_version = 1")
            let json = String(decoding: try JSONEncoder().encode(metadata()), as: UTF8.self)
            try connection.execute("""
                INSERT INTO models VALUES (1, 'old', 'skipgram', 5, 300, 1000, 0, '0.0.1', '\(json)')
                """)
            let insertWord = try connection.prepare("INSERT INTO words VALUES (1, ?1, ?2, ?3)")
            for (i, word) in vectors.words.enumerated() {
                try insertWord.bind(1, i)
                try insertWord.bind(2, word)
                try insertWord.bind(3, vectors.counts[i])
                try insertWord.run()
            }
            let insertBlock = try connection.prepare("INSERT INTO vector_blocks VALUES (1, 0, ?1)")
            try vectors.vectors.scalars.withUnsafeBytes { bytes in
                try insertBlock.bindBorrowed(1, bytes)
                try insertBlock.run()
            }
        }
        #expect(throws: StoreError.olderSchema(found: 1, supported: VectorStore.schemaVersion)) {
            try VectorStore(path: path, mode: .readOnly)
        }
        let store = try VectorStore(path: path)
        #expect(try store.load("old").vectors == vectors, "loaded from the words table")
        #expect(try store.vector(for: vectors.words[7], in: "old") == vectors.vector(at: 7))
        try store.save(vectors, as: "new", metadata: metadata())
        #expect(try VectorStore(path: path, mode: .readOnly).load("new").vectors == vectors)
    }

    @Test func modelsWithoutAPackedVocabularyLoadFromTheWordsTable() throws {
        let (path, vectors) = try makeCheckpointedStore("fallback.w2v")
        try Connection(path: path, readOnly: false).execute("UPDATE models SET packed_words = NULL, packed_counts = NULL")
        #expect(try VectorStore(path: path, mode: .readOnly).load("m").vectors == vectors)
    }

    @Test(arguments: ["packed_words = x'0500000061'", "packed_words = x'01'", "packed_counts = x'0000'",
                      "packed_words = x'01000000ff'"])
    func damagedPackedVocabularyIsCorrupt(_ assignment: String) throws {
        let (path, _) = try makeCheckpointedStore("packed.w2v")
        try Connection(path: path, readOnly: false).execute("UPDATE models SET \(assignment)")
        let store = try VectorStore(path: path, mode: .readOnly)
        #expect(throws: StoreError.corrupt(path: path, detail: "the packed vocabulary of model \"m\" is damaged")) {
            try store.load("m")
        }
    }

    @Test func missingWordRowsAreCorruptForSchemaOneModels() throws {
        let (path, _) = try makeCheckpointedStore("words.w2v")
        try Connection(path: path, readOnly: false).execute(
            "UPDATE models SET packed_words = NULL, packed_counts = NULL; DELETE FROM words WHERE id = 1999")
        #expect(throws: StoreError.corrupt(path: path, detail: "model \"m\" should have 2000 words but has 1999")) {
            try VectorStore(path: path, mode: .readOnly).load("m")
        }
    }

    /// A store of ~1 MB whose WAL has been checkpointed into the main file.
    func makeCheckpointedStore(_ name: String) throws -> (path: String, vectors: WordVectors) {
        let path = directory + "/" + name
        let vectors = try randomVectors(words: 2000, dimension: 128, seed: 20)
        do {
            let store = try VectorStore(path: path)
            try store.save(vectors, as: "m", metadata: metadata())
        }
        try Connection(path: path, readOnly: false).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return (path, vectors)
    }

    @Test(arguments: [0.5, 0.9, 0.99])
    func truncatedStoreIsCorrupt(_ fraction: Double) throws {
        let (path, _) = try makeCheckpointedStore("truncated.w2v")
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        truncate(path, off_t(Double(size) * fraction))
        expectCorrupt(path) {
            let store = try VectorStore(path: path, mode: .readOnly)
            _ = try store.load("m")
        }
    }

    @Test func overwrittenHeaderIsCorrupt() throws {
        let (path, _) = try makeCheckpointedStore("header.w2v")
        // Keep the magic string but destroy the rest of the header and the schema page.
        try overwrite(path, at: 16, with: [UInt8](repeating: 0xEE, count: 4000))
        expectCorrupt(path) {
            let store = try VectorStore(path: path, mode: .readOnly)
            _ = try store.load("m")
        }
    }

    @Test func inconsistentModelRowsAreCorrupt() throws {
        let (path, _) = try makeCheckpointedStore("rows.w2v")
        try Connection(path: path, readOnly: false).execute("DELETE FROM vector_blocks WHERE block = 1")
        let store = try VectorStore(path: path, mode: .readOnly)
        #expect(throws: StoreError.corrupt(path: path, detail: "vector block 1 of model \"m\" is missing")) {
            try store.load("m")
        }
        #expect(throws: StoreError.corrupt(path: path,
                                           detail: "the vector block of \"w20_600\" in model \"m\" is missing")) {
            try store.vector(for: "w20_600", in: "m")
        }
    }

    @Test func damagedMetadataIsCorrupt() throws {
        let (path, _) = try makeCheckpointedStore("json.w2v")
        try Connection(path: path, readOnly: false).execute("UPDATE models SET metadata = '{oops'")
        let store = try VectorStore(path: path, mode: .readOnly)
        #expect(throws: StoreError.corrupt(path: path, detail: "the metadata of model \"m\" is not valid JSON")) {
            try store.metadata(of: "m")
        }
    }

    /// Stored sizes edited to huge or impossible values: every one is "damaged", none allocates
    /// from the claim or overflows (issue 12: these aborted on allocation or trapped).
    @Test(arguments: ["dimension = 99999999999", "vocabulary_size = 99999999999", "block_rows = 99999999999",
                      "dimension = 4611686018427387904", "vocabulary_size = 4611686018427387904",
                      "block_rows = 0", "dimension = -1", "vocabulary_size = -5", "dimension = 129",
                      "vocabulary_size = 2001", "vocabulary_size = 1999", "block_rows = 3"])
    func damagedSizesAreCorruptNotACrash(_ assignment: String) throws {
        let (path, _) = try makeCheckpointedStore("sizes.w2v")
        try Connection(path: path, readOnly: false).execute("UPDATE models SET \(assignment)")
        let store = try VectorStore(path: path, mode: .readOnly)
        expectCorrupt(path) { _ = try store.load("m") }
        // The same with the vocabulary read from the words table (schema 1 models).
        try Connection(path: path, readOnly: false).execute("UPDATE models SET packed_words = NULL, packed_counts = NULL")
        expectCorrupt(path) { _ = try VectorStore(path: path, mode: .readOnly).load("m") }
    }

    @Test(arguments: ["dimension = 99999999999", "dimension = 4611686018427387904", "block_rows = 1",
                      "dimension = 1000", "vocabulary_size = 10"])
    func damagedSizesAreCorruptForSingleWordLookups(_ assignment: String) throws {
        let (path, _) = try makeCheckpointedStore("lookup.w2v")
        try Connection(path: path, readOnly: false).execute("UPDATE models SET \(assignment)")
        let store = try VectorStore(path: path, mode: .readOnly)
        expectCorrupt(path) { _ = try store.vector(for: "w20_1500", in: "m") }
    }

    /// SQLite's result codes become the store's errors: a full disk and a missing table say so
    /// (issue 12: "SQLite failed with code 13"), a busy file names the wait.
    @Test func sqliteCodesMapToClearErrors() {
        #expect(Connection.error(SQLITE_FULL, "database or disk is full", path: "s") == .diskFull(path: "s"))
        #expect(StoreError.diskFull(path: "s").problem == "The disk holding the vector store s is full; nothing was changed.")
        #expect(Connection.error(SQLITE_ERROR, "no such table: models", path: "s")
                == .corrupt(path: "s", detail: "no such table: models"))
        #expect(Connection.error(SQLITE_BUSY, "database is locked", path: "s", busyTimeout: 60) == .busy(path: "s", seconds: 60))
        #expect(Connection.error(SQLITE_READONLY | (5 << 8), "x", path: "s") == .readOnlyDirectory(path: "s"))
        #expect(Connection.error(SQLITE_READONLY, "x", path: "s") == .readOnly(path: "s"))
    }

    @Test func aMissingTableIsDamage() throws {
        let (path, _) = try makeCheckpointedStore("table.w2v")
        try Connection(path: path, readOnly: false).execute("DROP TABLE vector_blocks")
        expectCorrupt(path) { _ = try VectorStore(path: path, mode: .readOnly).load("m") }
    }

    /// Found by the store fuzzer: a negative schema version indexed the migrations array.
    @Test(arguments: [-1, -5, Int(Int32.min)])
    func aNegativeSchemaVersionIsDamageNotATrap(_ version: Int) throws {
        let (path, _) = try makeCheckpointedStore("version.w2v")
        try Connection(path: path, readOnly: false).execute("PRAGMA user_version = \(version)")
        for mode in [VectorStore.Mode.readOnly, .readWrite] {
            expectCorrupt(path) { _ = try VectorStore(path: path, mode: mode) }
        }
    }

    @Test func oneModelWithDamagedMetadataDoesNotHideTheOthers() throws {
        let (path, vectors) = try makeCheckpointedStore("listing.w2v")
        do {
            let store = try VectorStore(path: path)
            try store.save(vectors, as: "good", metadata: metadata())
        }
        try Connection(path: path, readOnly: false).execute("UPDATE models SET metadata = '{oops' WHERE name = 'm'")
        let store = try VectorStore(path: path, mode: .readOnly)
        let listed = try store.models()
        #expect(Set(listed.map(\.name)) == ["m", "good"])
        #expect(listed.first { $0.name == "m" }?.damage == "its metadata is not valid JSON")
        #expect(listed.first { $0.name == "good" }?.damage == nil)
        expectCorrupt(path) { _ = try store.summary(of: "m") }
        #expect(try store.load("good").vectors == vectors)
    }

    @Test func aWriterWaitsForTheLockThenSaysBusy() throws {
        let (path, vectors) = try makeCheckpointedStore("busy.w2v")
        let holder = try Connection(path: path, readOnly: false)
        try holder.execute("BEGIN IMMEDIATE")
        defer { try? holder.execute("ROLLBACK") }
        let store = try VectorStore(path: path, busyTimeout: 0.2)
        let start = Date()
        #expect(throws: StoreError.busy(path: path, seconds: 0.2)) {
            try store.save(vectors, as: "other", metadata: metadata())
        }
        #expect(Date().timeIntervalSince(start) >= 0.15, "waited for the busy timeout")
        // Readers are never blocked by a writer.
        #expect(try store.load("m").vectors == vectors)
        #expect(StoreError.busy(path: "s", seconds: 60).problem
                == "The vector store s is busy: another process has been writing to it for more than 60 s; nothing was changed.")
        #expect(StoreError.busy(path: "s", seconds: 60).remedy == "Try again when the other process has finished.")
    }

    @Test func shortBlobIsCorrupt() throws {
        let (path, _) = try makeCheckpointedStore("blob.w2v")
        try Connection(path: path, readOnly: false).execute("UPDATE vector_blocks SET vectors = x'00' WHERE block = 0")
        let store = try VectorStore(path: path, mode: .readOnly)
        expectCorrupt(path) { _ = try store.load("m") }
        expectCorrupt(path) { _ = try store.vector(for: "w20_0", in: "m") }
    }
}

@Suite("Metadata and corpus descriptions")
struct MetadataTests {
    @Test func fnv1aGoldenValues() throws {
        let directory = try makeTemporaryDirectory()
        let empty = directory + "/empty", hello = directory + "/hello"
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        _ = FileManager.default.createFile(atPath: hello, contents: Data("hello".utf8))
        #expect(try CorpusDescription.describe(path: empty)
                == CorpusDescription(path: empty, sizeBytes: 0, checksum: "fnv1a64:cbf29ce484222325"))
        #expect(try CorpusDescription.describe(path: hello, tokenCount: 1)
                == CorpusDescription(path: hello, sizeBytes: 5, checksum: "fnv1a64:a430d84680aabd0b", tokenCount: 1))
    }

    @Test func fnv1aStreamsAcrossBuffers() throws {
        let directory = try makeTemporaryDirectory()
        let path = directory + "/big"
        var rng = SplitMix64(seed: 21)
        let bytes = (0..<(3 << 20) + 17).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        let description = try CorpusDescription.describe(path: path)
        #expect(description.sizeBytes == bytes.count)
        #expect(description.checksum == "fnv1a64:" + CorpusDescription.hex16(hash))
    }

    @Test func describeMissingOrUnreadableFiles() throws {
        let directory = try makeTemporaryDirectory()
        #expect(throws: StoreError.fileNotFound(path: directory + "/none")) {
            try CorpusDescription.describe(path: directory + "/none")
        }
        #expect(throws: StoreError.cannotRead(path: directory, reason: "it is a directory, not a file")) {
            try CorpusDescription.describe(path: directory)
        }
    }

    @Test func defaultsRecordTheToolkit() {
        let metadata = ModelMetadata(method: "imported")
        #expect(metadata.toolkitVersion == Toolkit.version)
        #expect(metadata.parameters.isEmpty && metadata.corpus == nil && metadata.trainingSeconds == nil)
    }
}
