/// The words of a corpus with their integer ids and counts.
///
/// Word `i` has id `Int32(i)`. A vocabulary built from a corpus lists words by descending
/// count, ties broken by first occurrence in the corpus (so the order is deterministic and
/// matches `collections.Counter.most_common`); id 0 is the most frequent word. A vocabulary
/// grown by ``EncodedCorpus/encoding(contentsOf:options:growVocabulary:chunkSize:progress:cancellation:)``
/// keeps the old ids and appends the new words, themselves by descending count.
public struct Vocabulary: Sendable, Equatable {
    /// The words, one per id.
    public var words: [String] { didSet { rebuildIndex() } }
    /// How often each word occurs in the corpus it was built from (one per id).
    public var counts: [Int]
    private var index: [String: Int32]

    /// The number of words.
    public var count: Int { words.count }
    /// The sum of ``counts``: the number of in-vocabulary tokens.
    public var totalCount: Int { counts.reduce(0, +) }

    /// A vocabulary with the given words (which must be distinct) and one count per word.
    public init(words: [String], counts: [Int]) {
        precondition(words.count == counts.count,
                     "A vocabulary needs one count per word; got \(words.count) words and \(counts.count) counts.")
        precondition(words.count < Int(Int32.max), "A vocabulary holds at most \(Int32.max - 1) words.")
        self.words = words
        self.counts = counts
        self.index = [:]
        rebuildIndex()
    }

    private mutating func rebuildIndex() {
        var index = [String: Int32](minimumCapacity: words.count)
        for (i, word) in words.enumerated() {
            let previous = index.updateValue(Int32(i), forKey: word)
            precondition(previous == nil, "The word \"\(word)\" appears twice in a vocabulary; words must be distinct.")
        }
        self.index = index
    }

    /// The id of `word`, or nil when it is not in the vocabulary.
    public func id(for word: String) -> Int32? { index[word] }

    /// The word with id `id`.
    public func word(for id: Int32) -> String { words[Int(id)] }

    /// Whether `word` is in the vocabulary.
    public func contains(_ word: String) -> Bool { index[word] != nil }

    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool {
        lhs.words == rhs.words && lhs.counts == rhs.counts
    }
}
