import CoreIO
import TensorCore

/// Word embeddings: a vocabulary and one `dimension`-long Float32 vector per word.
///
/// This is the single result type of every way w2v makes embeddings (PPMI + SVD, skip-gram,
/// CBOW, an imported file), so that storage, queries and evaluation never depend on how the
/// vectors were trained. Rows of `vectors` follow `words`; `counts` holds each word's corpus
/// frequency where known (0 where not, e.g. for imported files without counts). Words are
/// conventionally ordered by descending frequency, which is what "restrict to the N most
/// frequent words" relies on.
///
/// Cosine queries (``mostSimilar(to:count:restrictTo:)``, ``analogy(_:isTo:as:count:method:restrictTo:)``)
/// work on ``unitVectors``, each row divided by its Euclidean norm, which is computed once here
/// and never again per query. The cost is a second `[count, dimension]` Float32 matrix:
/// `4 * count * dimension` bytes more (28 MB for 71,000 x 100, 1.2 GB for 3,000,000 x 100).
public struct WordVectors: Sendable, Equatable {
    /// The words, one per row of `vectors`.
    public let words: [String]
    /// Corpus frequency of each word (0 where unknown).
    public let counts: [Int]
    /// The `[words.count, dimension]` matrix of vectors.
    public let vectors: Tensor
    /// The `[words.count, dimension]` matrix of unit vectors: row `i` is `vectors[i] / ‖vectors[i]‖`
    /// (a zero row stays zero). Computed once by the initialiser.
    public let unitVectors: Tensor
    /// The Euclidean norm `‖vectors[i]‖` of each row.
    public let norms: [Float]
    private let index: [String: Int]

    /// The length of each vector.
    public var dimension: Int { vectors.shape[1] }
    /// The number of words.
    public var count: Int { words.count }

    /// Creates word vectors; `vectors` must be `[words.count, d]` and `words` must be distinct.
    /// `counts`, when given, must have one entry per word.
    public init(words: [String], vectors: Tensor, counts: [Int]? = nil) throws(WordVectorsError) {
        guard vectors.rank == 2 else { throw .notAMatrix(shape: vectors.shape) }
        guard vectors.shape[0] == words.count else {
            throw .rowCountMismatch(words: words.count, rows: vectors.shape[0])
        }
        if let counts, counts.count != words.count {
            throw .countsMismatch(words: words.count, counts: counts.count)
        }
        var index = [String: Int](minimumCapacity: words.count)
        for (i, w) in words.enumerated() {
            if index.updateValue(i, forKey: w) != nil { throw .duplicateWord(w) }
        }
        self.words = words
        self.vectors = vectors
        self.counts = counts ?? [Int](repeating: 0, count: words.count)
        self.index = index
        let (unit, norms) = QueryKernels.normalizedRows(vectors.scalars, rows: vectors.shape[0],
                                                        dimension: vectors.shape[1])
        self.unitVectors = Tensor(shape: vectors.shape, scalars: unit)
        self.norms = norms
    }

    /// The row of `word`, or nil when it is not in the vocabulary.
    public func id(for word: String) -> Int? { index[word] }

    /// Whether `word` is in the vocabulary.
    public func contains(_ word: String) -> Bool { index[word] != nil }

    /// The vector of row `id`.
    public func vector(at id: Int) -> [Float] { vectors.row(id) }

    /// Equality compares words, counts and vectors (the unit vectors follow from them).
    public static func == (lhs: WordVectors, rhs: WordVectors) -> Bool {
        lhs.words == rhs.words && lhs.counts == rhs.counts && lhs.vectors == rhs.vectors
    }
}

/// Inconsistent inputs to ``WordVectors/init(words:vectors:counts:)``.
public enum WordVectorsError: Error, Equatable, ExplainedError {
    case notAMatrix(shape: [Int])
    case rowCountMismatch(words: Int, rows: Int)
    case countsMismatch(words: Int, counts: Int)
    case duplicateWord(String)

    public var problem: String {
        switch self {
        case let .notAMatrix(shape):
            return "Word vectors must be a matrix with one row per word, but the tensor has shape \(shape)."
        case let .rowCountMismatch(words, rows):
            return "There are \(words) words but \(rows) vector rows; each word needs exactly one row."
        case let .countsMismatch(words, counts):
            return "There are \(words) words but \(counts) counts; give one count per word."
        case let .duplicateWord(word):
            return "The word \"\(word)\" appears twice; each word may have only one vector."
        }
    }
}
