import TensorCore
import TextCorpus

/// Positive pointwise mutual information with context-distribution smoothing
/// (Levy, Goldberg & Dagan 2015, "Improving Distributional Similarity with Lessons Learned from
/// Word Embeddings").
///
/// From co-occurrence counts `#(w, c)` (a sparse `[V, V]` matrix, rows = words, columns =
/// contexts), with `#(w) = sum_c #(w, c)` and `#(c) = sum_w #(w, c)`:
///
///     P_a(c)    = #(c)^a / sum_c' #(c')^a
///     PMI(w, c) = log #(w, c) - log #(w) - log P_a(c)          (natural logarithm)
///     PPMI(w, c) = max(0, PMI(w, c) - log k)
///
/// With `a = 1` this is the plain `log(#(w,c) * N / (#(w) #(c)))` of the seed book (which uses
/// log base 2: its values are these divided by ln 2). `a = 0.75` (the default) raises rare
/// contexts' probability, removing PMI's bias towards rare words; `k > 1` is the shifted PPMI
/// equivalent to word2vec's `k` negative samples. Only stored (nonzero) counts are visited, so
/// the result is sparse too; rows and columns without counts stay empty (never NaN), and entries
/// that are not positive are dropped.
public struct PPMITransform: Sendable, Equatable {
    /// The smoothing exponent `a` applied to context counts (1 = no smoothing).
    public var contextSmoothing: Double
    /// The shift `k` (at least 1; 1 = no shift).
    public var shift: Double

    public init(contextSmoothing: Double = 0.75, shift: Double = 1) {
        self.contextSmoothing = contextSmoothing
        self.shift = shift
    }

    /// The PPMI matrix of a sparse matrix of nonnegative co-occurrence counts.
    public func apply(to counts: SparseMatrix) -> SparseMatrix {
        precondition(shift > 0 && contextSmoothing > 0,
                     "PPMI needs a positive shift and smoothing exponent; got k = \(shift), a = \(contextSmoothing).")
        let rowSums = counts.rowSums()
        let columnSums = counts.columnSums()
        let smoothed = columnSums.map { $0 > 0 ? Double.pow($0, contextSmoothing) : 0 }
        let smoothedTotal = smoothed.reduce(0, +)
        // log P_a(c) + log k, per column; log #(w) per row.
        let logContext = smoothed.map { $0 > 0 ? Double.log($0 / smoothedTotal) + Double.log(shift) : 0 }
        let logRow = rowSums.map { $0 > 0 ? Double.log($0) : 0 }
        var offsets = [Int](repeating: 0, count: counts.rows + 1)
        var columns: [Int32] = []
        var values: [Float] = []
        columns.reserveCapacity(counts.nonzeroCount)
        values.reserveCapacity(counts.nonzeroCount)
        for w in 0..<counts.rows {
            for e in counts.rowOffsets[w]..<counts.rowOffsets[w + 1] {
                let count = Double(counts.values[e])
                guard count > 0 else { continue }
                let c = Int(counts.columnIndices[e])
                let pmi = Double.log(count) - logRow[w] - logContext[c]
                if pmi > 0 {
                    columns.append(Int32(c))
                    values.append(Float(pmi))
                }
            }
            offsets[w + 1] = columns.count
        }
        return SparseMatrix(validRows: counts.rows, columns: counts.columns, rowOffsets: offsets,
                            columnIndices: columns, values: values)
    }
}

/// Counts how often words occur near each other: the first step of count-based embeddings.
///
/// For every in-vocabulary token `w` at position `i` and every in-vocabulary token `c` at
/// position `i +- d`, `1 <= d <= windowSize`, adds `weight(d)` to entry `(w, c)`; `weight(d)` is
/// 1, or `1/d` with `distanceWeighting`. The matrix is symmetric, and its total is twice the
/// number of (ordered) pairs. Out-of-vocabulary tokens (id -1) keep their positions, so they
/// occupy window slots but produce no counts (as `shared/tools/peers/ppmi_svd.py` does). No
/// subsampling. The result is a sparse `[V, V]` matrix built row by row from each word's
/// occurrence list with one dense accumulator per thread, so memory is the ids, one 32-bit
/// position per token and the nonzeros, never a dense `V x V` matrix.
public struct CooccurrenceCounter: Sendable, Equatable {
    /// Context words on each side.
    public var windowSize: Int
    /// Weight a context at distance `d` by `1/d` instead of 1.
    public var distanceWeighting: Bool
    /// Worker threads (at least 1).
    public var threads: Int

    public init(windowSize: Int = 2, distanceWeighting: Bool = false, threads: Int = 1) {
        self.windowSize = windowSize
        self.distanceWeighting = distanceWeighting
        self.threads = threads
    }

    /// The `[vocabularySize, vocabularySize]` co-occurrence matrix of `ids` (values in
    /// `-1..<vocabularySize`).
    /// - Throws: ``CountBasedError/invalidConfiguration(reason:)`` for a window below 1,
    ///   ``CountBasedError/corpusTooLong(tokens:)`` beyond 2^32 tokens, ``CountBasedError/cancelled``.
    public func count(ids: [Int32], vocabularySize: Int,
                      cancellation: CancellationFlag? = nil) throws(CountBasedError) -> SparseMatrix {
        guard windowSize >= 1 else {
            throw .invalidConfiguration(reason: "the window size must be at least 1, but it is \(windowSize)")
        }
        guard ids.count <= Int(UInt32.max) else { throw .corpusTooLong(tokens: ids.count) }
        precondition(ids.allSatisfy { $0 >= -1 && Int($0) < vocabularySize },
                     "Co-occurrence counting needs ids in -1..<\(vocabularySize).")
        let weights = (1...windowSize).map { distanceWeighting ? 1 / Double($0) : 1 }
        let isCancelled: @Sendable () -> Bool = { cancellation?.isCancelled ?? false }
        guard let matrix = SparseKernels.cooccurrences(ids: ids, vocabularySize: vocabularySize, weights: weights,
                                                       threads: max(1, threads), isCancelled: isCancelled) else {
            throw .cancelled
        }
        return matrix
    }
}
