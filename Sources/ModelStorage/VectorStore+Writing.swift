// Kernel file (save loop): vector blocks are bound from Tensor storage through raw buffers.
//
// Shapes: a model's [V, D] Float32 matrix is split into ceil(V / R) blocks of R = blockRows rows;
//         block b is the bytes of rows [b·R, min((b+1)·R, V)), i.e. scalars[b·R·D ..< min((b+1)·R, V)·D].
#if canImport(Glibc)
import Glibc
#endif
import CSQLite
import Embeddings
import Foundation
import TensorCore

extension VectorStore {

    /// Saves `vectors` under `name` in one transaction. With `replace`, an existing model of that
    /// name is replaced in the same transaction; otherwise it is an error
    /// (``StoreError/modelExists(name:)``). `progress` is called on the calling thread with stage
    /// `"saving"` and the completed fraction (words, then vector blocks), about every 1%, and with
    /// 1 after the commit. On cancellation the transaction is rolled back: nothing changes.
    ///
    /// `outputVectors`, when given, are word2vec's output weights (W_out, the same shape as the
    /// vectors, one row per word), kept so that the model can be trained further
    /// (``outputVectors(of:)``); a shape that differs from the vectors' is
    /// ``StoreError/invalidMatrix(reason:)``.
    public func save(_ vectors: WordVectors, as name: String, metadata: ModelMetadata,
                     replace: Bool = true, outputVectors: Tensor? = nil, progress: ((ProgressReport) -> Void)? = nil,
                     cancellation: CancellationFlag? = nil) throws(StoreError) {
        try VectorStore.validate(name: name)
        try requireWritable()
        if let outputVectors, outputVectors.shape != vectors.vectors.shape {
            throw .invalidMatrix(reason: "the output weights have shape \(outputVectors.shape), the vectors \(vectors.vectors.shape)")
        }
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
                if let kind = try networkKind(name) { throw .nameTakenByOtherKind(name: name, kind: kind) }
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

                let matrices = [("vector_blocks", vectors.vectors)] + (outputVectors.map { [("output_blocks", $0)] } ?? [])
                let blockCount = (vectors.count + blockRows - 1) / blockRows
                let totalBlocks = blockCount * matrices.count
                var blocksDone = 0
                for (table, matrix) in matrices {
                    let insertBlock = try connection.prepare(
                        "INSERT INTO \(table)(model_id, block, vectors) VALUES (?1, ?2, ?3)")
                    try insertBlock.bind(1, id)
                    #if _endian(big)
                    let scalars = matrix.scalars.map { Float(bitPattern: $0.bitPattern.littleEndian) }
                    #else
                    let scalars = matrix.scalars
                    #endif
                    let failure: StoreError? = scalars.withUnsafeBytes { bytes in
                        do throws(StoreError) {
                            for block in 0..<blockCount {
                                try report((Double(vectors.count) + Double(vectors.count) * Double(blocksDone) / Double(max(1, totalBlocks)))
                                           / Double(total))
                                let first = block * blockRows * d * 4
                                let last = min((block + 1) * blockRows, vectors.count) * d * 4
                                try insertBlock.bind(2, block)
                                try insertBlock.bindBorrowed(3, UnsafeRawBufferPointer(rebasing: bytes[first..<last]))
                                try insertBlock.run()
                                blocksDone += 1
                            }
                        } catch { return error }
                        return nil
                    }
                    if let failure { throw failure }
                }
            }
        }
        try report(1, cancellable: false)  // committed: too late to cancel
    }

    func deleteRows(of id: Int) throws(StoreError) {
        for sql in ["DELETE FROM words WHERE model_id = ?1", "DELETE FROM vector_blocks WHERE model_id = ?1",
                    "DELETE FROM output_blocks WHERE model_id = ?1", "DELETE FROM models WHERE id = ?1"] {
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
}
