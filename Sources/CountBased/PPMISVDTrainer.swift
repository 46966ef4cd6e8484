#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Embeddings
import TensorCore
import TextCorpus

/// Settings of count-based embeddings: co-occurrence window, PPMI, SVD and post-processing.
///
/// Defaults follow Levy, Goldberg & Dagan (2015): window 2, context smoothing 0.75, no shift,
/// eigenvalue weight 0.5 (`U * S^0.5`), 300 dimensions, rows normalised for cosine queries.
/// The seed book's plain PPMI and `U * S` are `contextSmoothing = 1, eigenvalueWeight = 1`.
public struct PPMISVDConfiguration: Sendable, Equatable, Codable {
    /// How the PPMI matrix is factorised.
    public enum SVDMethod: Sendable, Equatable, Codable {
        /// Dense when the vocabulary has at most ``PPMISVDConfiguration/denseVocabularyLimit``
        /// words or the sketch would be nearly as wide as the matrix; randomized otherwise.
        case automatic
        /// LAPACK `sgesdd` on the dense `V x V` PPMI matrix (the book's path; O(V^3), small V only).
        case dense
        /// ``RandomizedSVD`` on the sparse PPMI matrix (large V).
        case randomized(oversampling: Int = 10, powerIterations: Int = 4)
    }

    /// The largest vocabulary for which `.automatic` chooses the dense SVD.
    public static let denseVocabularyLimit = 2_000

    /// Context words on each side.
    public var windowSize = 2
    /// Weight a context at distance `d` by `1/d` instead of 1.
    public var distanceWeighting = false
    /// Context-distribution smoothing exponent `a` (1 = plain PPMI).
    public var contextSmoothing = 0.75
    /// PPMI shift `k`: values are `max(0, PMI - log k)` (1 = no shift).
    public var shift = 1.0
    /// The vector length.
    public var dimension = 300
    /// The exponent `p` in `W = U * S^p` (0.5 = symmetric weighting, 1 = plain `U * S`, 0 = `U`).
    public var eigenvalueWeight = 0.5
    /// How the PPMI matrix is factorised.
    public var method: SVDMethod = .automatic
    /// Seed of the randomized SVD's Gaussian sketch.
    public var seed: UInt64 = 1
    /// Scale each vector to unit length (zero vectors stay zero).
    public var normalizeRows = true
    /// Add the context vectors `V * S^p` to the word vectors (`W + C`, Levy et al. 2015, section 3.3);
    /// rows of `V` follow the PPMI matrix's columns, which are the same words.
    public var addContextVectors = false
    /// Worker threads for counting and sparse products; nil = all active processors.
    public var threads: Int? = nil

    public init(windowSize: Int = 2, distanceWeighting: Bool = false, contextSmoothing: Double = 0.75,
                shift: Double = 1.0, dimension: Int = 300, eigenvalueWeight: Double = 0.5,
                method: SVDMethod = .automatic, seed: UInt64 = 1, normalizeRows: Bool = true,
                addContextVectors: Bool = false, threads: Int? = nil) {
        self.windowSize = windowSize
        self.distanceWeighting = distanceWeighting
        self.contextSmoothing = contextSmoothing
        self.shift = shift
        self.dimension = dimension
        self.eigenvalueWeight = eigenvalueWeight
        self.method = method
        self.seed = seed
        self.normalizeRows = normalizeRows
        self.addContextVectors = addContextVectors
        self.threads = threads
    }

    /// Throws ``CountBasedError/invalidConfiguration(reason:)`` for out-of-range settings.
    public func validate() throws(CountBasedError) {
        func fail(_ reason: String) -> CountBasedError { .invalidConfiguration(reason: reason) }
        if windowSize < 1 { throw fail("the window size must be at least 1, but it is \(windowSize)") }
        if !(contextSmoothing > 0 && contextSmoothing.isFinite) {
            throw fail("the context smoothing exponent must be a positive number, but it is \(contextSmoothing)")
        }
        if !(shift >= 1 && shift.isFinite) { throw fail("the shift k must be at least 1, but it is \(shift)") }
        if dimension < 1 { throw fail("the dimension must be at least 1, but it is \(dimension)") }
        if !eigenvalueWeight.isFinite { throw fail("the eigenvalue weight must be finite, but it is \(eigenvalueWeight)") }
        if case let .randomized(oversampling, powerIterations) = method, oversampling < 0 || powerIterations < 0 {
            throw fail("oversampling and power iterations must not be negative; got \(oversampling) and \(powerIterations)")
        }
        if let threads, threads < 1 { throw fail("the thread count must be at least 1, but it is \(threads)") }
    }

    /// The thread count to use.
    var resolvedThreads: Int {
        if let threads { return threads }
        #if canImport(Glibc) || canImport(Darwin)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }
}

/// Count-based word embeddings: co-occurrence counts -> PPMI -> truncated SVD -> `U * S^p`.
///
/// The pipeline of the seed book (chapter 2) at the scale of real corpora, with the refinements
/// of Levy, Goldberg & Dagan (2015): a sparse co-occurrence matrix (``CooccurrenceCounter``),
/// PPMI with context-distribution smoothing (``PPMITransform``), dense `sgesdd` for small
/// vocabularies or ``RandomizedSVD`` (Halko et al. 2011) on the sparse matrix for large ones,
/// eigenvalue weighting `W = U[:, :d] * diag(S[:d])^p`, and unit-length rows. The result is the
/// same ``WordVectors`` type word2vec training returns, in vocabulary order (by frequency).
public struct PPMISVDTrainer: Sendable {
    public let configuration: PPMISVDConfiguration

    public init(configuration: PPMISVDConfiguration = .init()) {
        self.configuration = configuration
    }

    /// Word vectors for every word of `corpus.vocabulary`.
    ///
    /// Progress stages: `"counting"`, `"ppmi"`, `"svd"`.
    /// - Throws: ``CountBasedError``: invalid configuration, a dimension above the vocabulary
    ///   size, no co-occurrences, an all-zero PPMI matrix, a LAPACK failure, cancellation.
    public func train(corpus: EncodedCorpus, progress: ((TrainingProgress) -> Void)? = nil,
                      cancellation: CancellationFlag? = nil) throws(CountBasedError) -> WordVectors {
        try configuration.validate()
        let vocabularySize = corpus.vocabulary.count
        guard configuration.dimension <= vocabularySize else {
            throw .dimensionTooLarge(dimension: configuration.dimension, vocabularySize: vocabularySize)
        }
        let start = monotonicSeconds()
        let tokens = corpus.ids.count
        func report(_ stage: String, _ fraction: Double) {
            let elapsed = monotonicSeconds() - start
            progress?(ProgressReport(stage: stage, fraction: fraction, processedWords: tokens,
                                     wordsPerSecond: elapsed > 0 ? Double(tokens) / elapsed : 0, elapsedSeconds: elapsed))
        }
        report("counting", 0)
        let counter = CooccurrenceCounter(windowSize: configuration.windowSize,
                                          distanceWeighting: configuration.distanceWeighting,
                                          threads: configuration.resolvedThreads)
        let counts = try counter.count(ids: corpus.ids, vocabularySize: vocabularySize, cancellation: cancellation)
        guard counts.nonzeroCount > 0 else { throw .noCooccurrences(windowSize: configuration.windowSize) }
        report("counting", 1)
        if cancellation?.isCancelled == true { throw .cancelled }
        report("ppmi", 0)
        let ppmi = PPMITransform(contextSmoothing: configuration.contextSmoothing, shift: configuration.shift).apply(to: counts)
        report("ppmi", 1)
        if cancellation?.isCancelled == true { throw .cancelled }
        return try vectors(fromPPMI: ppmi, vocabulary: corpus.vocabulary, progress: progress, cancellation: cancellation)
    }

    /// The SVD and post-processing steps alone: word vectors from a `[V, V]` PPMI matrix whose
    /// rows follow `vocabulary`. Progress has stage `"svd"`: matrix products for the randomized
    /// SVD, then fraction 1 when the vectors are ready.
    public func vectors(fromPPMI ppmi: SparseMatrix, vocabulary: Vocabulary,
                        progress: ((ProgressReport) -> Void)? = nil,
                        cancellation: CancellationFlag? = nil) throws(CountBasedError) -> WordVectors {
        try configuration.validate()
        let v = vocabulary.count
        precondition(ppmi.rows == v && ppmi.columns == v,
                     "The PPMI matrix must be \(v) x \(v) for a vocabulary of \(v) words; got \(ppmi.rows) x \(ppmi.columns).")
        let d = configuration.dimension
        guard d <= v else { throw .dimensionTooLarge(dimension: d, vocabularySize: v) }
        guard ppmi.nonzeroCount > 0 else { throw .noPositivePMI }
        let svd = try decompose(ppmi, progress: progress, cancellation: cancellation)
        // W = U[:, :d] * S[:d]^p, then unit rows.
        let weights = (0..<d).map { j in
            j < svd.singularValues.count ? Float.pow(max(0, svd.singularValues[j]), Float(configuration.eigenvalueWeight)) : 0
        }
        let k = svd.u.shape[1]
        let n = svd.vt.shape[1]
        let addContext = configuration.addContextVectors
        var w = Tensor(shape: [v, d])
        for i in 0..<v {
            var norm: Float = 0
            for j in 0..<min(d, k) {
                let context = addContext ? svd.vt.scalars[j * n + i] : 0
                let x = (svd.u.scalars[i * k + j] + context) * weights[j]
                w.scalars[i * d + j] = x
                norm += x * x
            }
            if configuration.normalizeRows && norm > 0 {
                let scale = 1 / norm.squareRoot()
                for j in 0..<d { w.scalars[i * d + j] *= scale }
            }
        }
        progress?(ProgressReport(stage: "svd", fraction: 1, unit: "products"))
        do {
            return try WordVectors(words: vocabulary.words, vectors: w, counts: vocabulary.counts)
        } catch {
            preconditionFailure("A vocabulary always gives valid word vectors: \(error)")
        }
    }

    /// Whether `.automatic` uses the dense SVD for a `v x v` matrix and dimension `d`.
    static func usesDenseSVD(method: PPMISVDConfiguration.SVDMethod, vocabularySize v: Int, dimension d: Int) -> Bool {
        switch method {
        case .dense: return true
        case .randomized: return false
        case .automatic: return v <= PPMISVDConfiguration.denseVocabularyLimit || 2 * (d + 10) >= v
        }
    }

    private func decompose(_ ppmi: SparseMatrix, progress: ((ProgressReport) -> Void)?,
                           cancellation: CancellationFlag?) throws(CountBasedError) -> TruncatedSVD {
        let d = configuration.dimension
        if Self.usesDenseSVD(method: configuration.method, vocabularySize: ppmi.rows, dimension: d) {
            do {
                let full = try LinearAlgebra.svd(ppmi.dense())
                return full
            } catch let error as LinearAlgebraError {
                throw .linearAlgebra(error)
            } catch {
                throw .linearAlgebra(.nonFiniteInput(routine: "sgesdd"))
            }
        }
        var oversampling = 10, powerIterations = 4
        if case let .randomized(o, p) = configuration.method { (oversampling, powerIterations) = (o, p) }
        let randomized = RandomizedSVD(rank: d, oversampling: oversampling, powerIterations: powerIterations,
                                       seed: configuration.seed, threads: configuration.resolvedThreads)
        return try randomized.decompose(ppmi, progress: progress, cancellation: cancellation)
    }
}

