// Kernel file (load loops): vector blocks are read into uninitialized Tensor storage through raw
// buffers, after every stored size has been checked against the BLOBs there.
//
// Shapes: as in VectorStore+Writing.swift; a word's row is 4·D bytes at offset 4·D·(id mod R) of its block.
#if canImport(Glibc)
import Glibc
#endif
import CSQLite
import Embeddings
import Foundation
import TensorCore

extension VectorStore {

    struct ModelRow {
        var id: Int
        var dimension: Int
        var vocabularySize: Int
        var blockRows: Int
        var metadata: ModelMetadata
        /// The packed vocabulary (nil for models saved under schema 1).
        var words: [String]?
        var counts: [Int]?
    }

    func modelRow(_ name: String, withVocabulary: Bool = false) throws(StoreError) -> ModelRow {
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

                var scalars = try readMatrix(table: "vector_blocks", of: model, name: name) ?? []
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

    /// The output weights (word2vec's W_out, `[V, D]`, one row per word in the vocabulary's
    /// order) stored with model `name`, or nil when the model has none: it was not trained by
    /// word2vec, or was stored before w2v kept them (schema 2 and earlier).
    public func outputVectors(of name: String) throws(StoreError) -> Tensor? {
        try locked { () throws(StoreError) in
            try connection.transaction(immediate: false) { () throws(StoreError) -> Tensor? in
                let model = try modelRow(name)
                guard try hasTable("output_blocks") else { return nil }
                guard var scalars = try readMatrix(table: "output_blocks", of: model, name: name) else { return nil }
                #if _endian(big)
                scalars = scalars.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
                #endif
                return Tensor(shape: [model.vocabularySize, model.dimension], scalars: scalars)
            }
        }
    }

    /// Whether model `name` has output weights stored (see ``outputVectors(of:)``), without reading them.
    public func hasOutputVectors(_ name: String) throws(StoreError) -> Bool {
        try locked { () throws(StoreError) in
            try connection.transaction(immediate: false) { () throws(StoreError) -> Bool in
                let model = try modelRow(name)
                guard try hasTable("output_blocks") else { return false }
                let statement = try connection.prepare("SELECT 1 FROM output_blocks WHERE model_id = ?1 LIMIT 1")
                defer { statement.reset() }
                try statement.bind(1, model.id)
                return try statement.step() || model.vocabularySize == 0
            }
        }
    }

    func hasTable(_ table: String) throws(StoreError) -> Bool {
        let statement = try connection.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1")
        defer { statement.reset() }
        try statement.bind(1, table)
        return try statement.step()
    }

    /// The `[V, D]` matrix of `model` stored in `table` (`vector_blocks` for the vectors,
    /// `output_blocks` for word2vec's output weights), every block's size checked before the
    /// bytes are read straight into the result; nil when the table holds no block of the model
    /// (and the model has words).
    func readMatrix(table: String, of model: ModelRow, name: String) throws(StoreError) -> [Float]? {
        let v = model.vocabularySize
        let d = model.dimension
        let what = table == "vector_blocks" ? "vector block" : "output-weight block"
        let selectBlocks = try connection.prepare(
            "SELECT rowid, block, length(vectors) FROM \(table) WHERE model_id = ?1 ORDER BY block")
        defer { selectBlocks.reset() }
        try selectBlocks.bind(1, model.id)
        var blocks: [(rowID: Int64, byteCount: Int)] = []
        // The shape was checked in modelRow: these products do not overflow.
        let expectedBlocks = v == 0 ? 0 : (v - 1) / model.blockRows + 1
        while try selectBlocks.step() {
            let block = selectBlocks.int(1)
            guard block == blocks.count else {
                throw .corrupt(path: path, detail: "\(what) \(blocks.count) of model \"\(name)\" is missing")
            }
            guard block < expectedBlocks else {
                throw .corrupt(path: path, detail: "model \"\(name)\" has more \(what)s than words")
            }
            let rows = min(model.blockRows, v - block * model.blockRows)
            let byteCount = rows * d * 4
            guard selectBlocks.int(2) == byteCount else {
                throw .corrupt(path: path, detail: "\(what) \(block) of model \"\(name)\" has "
                       + "\(selectBlocks.int(2)) bytes instead of \(byteCount)")
            }
            blocks.append((Int64(selectBlocks.int(0)), byteCount))
        }
        if blocks.isEmpty && expectedBlocks > 0 && table != "vector_blocks" { return nil }
        guard blocks.count == expectedBlocks else {
            throw .corrupt(path: path, detail: "model \"\(name)\" lacks \(what)s")
        }
        // Every byte is now known to be there: blocks are read straight into the
        // uninitialized result storage (no zero-fill, no copy).
        var failure: StoreError? = nil
        let scalars = [Float](unsafeUninitializedCapacity: v * d) { buffer, initialized in
            do throws(StoreError) {
                try connection.readBlobs(table: table, column: "vectors", rows: blocks,
                         into: UnsafeMutableRawPointer(buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: 16)!))
                initialized = v * d
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return scalars
    }

    /// The vocabulary from the `words` table (models saved under schema 1).
    func wordRows(of model: ModelRow, name: String) throws(StoreError) -> ([String], [Int]) {
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

    func listModels() throws(StoreError) -> [ModelSummary] {
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
}
