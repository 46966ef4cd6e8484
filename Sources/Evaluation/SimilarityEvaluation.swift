import Embeddings

/// One human similarity judgement: two words and a score.
public struct WordPair: Sendable, Hashable, Codable {
    public var first: String
    public var second: String
    /// The human similarity score (WordSim-353: mean of 0...10 ratings).
    public var score: Double
    /// 1-based line number in the source file.
    public var line: Int

    public init(first: String, second: String, score: Double, line: Int) {
        self.first = first
        self.second = second
        self.score = score
        self.line = line
    }
}

/// A word-pair similarity set in the WordSim-353 format (Finkelstein et al. 2002): lines
/// `w1 w2 score`, tab- or space-separated; lines starting with `#` and blank lines are skipped.
public struct WordPairSet: Sendable, Hashable {
    public var pairs: [WordPair]
    /// Where the pairs came from (a path, or a label), for messages.
    public var source: String

    public init(pairs: [WordPair], source: String) {
        self.pairs = pairs
        self.source = source
    }

    /// Reads and parses a pairs file; errors name the file and line.
    public init(contentsOfFile path: String) throws(EvaluationError) {
        try self.init(parsing: try readText(path), source: path)
    }

    /// Parses pairs from text. A line with a tab is split at tabs (so words may hold spaces),
    /// otherwise at whitespace; it must give two words and a number. A set without pairs is an error.
    public init(parsing text: String, source: String = "the word pairs") throws(EvaluationError) {
        var pairs: [WordPair] = []
        for (index, rawLine) in textLines(text).enumerated() {
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.contains("\t")
                ? line.split(separator: "\t").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
                : whitespaceFields(line)
            guard fields.count == 3, let score = Double(fields[2]), score.isFinite else {
                throw .malformedLine(source: source, line: index + 1, content: rawLine,
                                     expected: "two words and a number \"w1 w2 score\"")
            }
            pairs.append(WordPair(first: fields[0], second: fields[1], score: score, line: index + 1))
        }
        guard !pairs.isEmpty else { throw .emptySet(source: source) }
        self.pairs = pairs
        self.source = source
    }
}

/// The result of a word-pair similarity evaluation. The JSON keys (`spearman`, `pearson`,
/// `pairs`, `oov`, and `note` when there is one) are a stable contract; an undefined
/// correlation is JSON `null`, never a string.
public struct SimilarityEvaluation: Sendable, Hashable, Codable {
    /// Spearman's ρ between human scores and cosine similarities (ties get average ranks);
    /// NaN when undefined (``note`` says why), as scipy.
    public var spearman: Double
    /// Pearson's r between human scores and cosine similarities; NaN when undefined.
    public var pearson: Double
    /// Pairs with both words in the (restricted) vocabulary, the ones correlated.
    public var pairs: Int
    /// The fraction `0...1` of pairs skipped because a word is out of the vocabulary
    /// (gensim reports the same as a percentage).
    public var oov: Double
    /// Why a correlation is undefined, when one is: fewer than two pairs could be scored, or
    /// the human scores or the model's similarities are all equal. Nil otherwise.
    public var note: String?

    public init(spearman: Double, pearson: Double, pairs: Int, oov: Double, note: String? = nil) {
        self.spearman = spearman
        self.pearson = pearson
        self.pairs = pairs
        self.oov = oov
        self.note = note
    }

    enum CodingKeys: String, CodingKey { case spearman, pearson, pairs, oov, note }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        spearman = try container.decodeIfPresent(Double.self, forKey: .spearman) ?? .nan
        pearson = try container.decodeIfPresent(Double.self, forKey: .pearson) ?? .nan
        pairs = try container.decode(Int.self, forKey: .pairs)
        oov = try container.decode(Double.self, forKey: .oov)
        note = try container.decodeIfPresent(String.self, forKey: .note)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // An undefined correlation is null: JSON has no NaN, and a string would break readers.
        if spearman.isFinite { try container.encode(spearman, forKey: .spearman) } else { try container.encodeNil(forKey: .spearman) }
        if pearson.isFinite { try container.encode(pearson, forKey: .pearson) } else { try container.encodeNil(forKey: .pearson) }
        try container.encode(pairs, forKey: .pairs)
        try container.encode(oov, forKey: .oov)
        try container.encodeIfPresent(note, forKey: .note)
    }

    /// Equality treats two NaN correlations as equal (both undefined).
    public static func == (lhs: SimilarityEvaluation, rhs: SimilarityEvaluation) -> Bool {
        func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }
        return same(lhs.spearman, rhs.spearman) && same(lhs.pearson, rhs.pearson) && lhs.pairs == rhs.pairs
            && lhs.oov == rhs.oov && lhs.note == rhs.note
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(spearman.isNaN ? 0 : spearman)
        hasher.combine(pearson.isNaN ? 0 : pearson)
        hasher.combine(pairs)
        hasher.combine(oov)
        hasher.combine(note)
    }
}

extension WordVectors {
    /// Correlates cosine similarities with human judgements the way gensim's
    /// `KeyedVectors.evaluate_word_pairs(restrict_vocab=restrictTo, case_insensitive=True)` does:
    /// the vocabulary is the first `restrictTo` rows (nil: all), compared upper-cased with the
    /// most frequent spelling standing for its case variants; pairs with a word outside it are
    /// skipped and counted in `oov`; the rest give `cos(û_w1, û_w2)`, correlated with the scores
    /// by Spearman's ρ (average ranks for ties, as scipy) and Pearson's r. A correlation over a
    /// constant sample or a single pair is NaN, with ``SimilarityEvaluation/note`` saying why. Throws ``EvaluationError/noPairsInVocabulary(source:pairs:)``
    /// when no pair is usable.
    public func evaluateWordPairs(_ pairSet: WordPairSet, restrictTo: Int? = 300_000,
                                  caseInsensitive: Bool = true) throws(EvaluationError) -> SimilarityEvaluation {
        let vocabulary = try RestrictedVocabulary(self, restrictTo: restrictTo, caseInsensitive: caseInsensitive)
        var human: [Double] = []
        var model: [Double] = []
        for pair in pairSet.pairs {
            guard let i = vocabulary.id(pair.first), let j = vocabulary.id(pair.second) else { continue }
            human.append(pair.score)
            model.append(Double(cosineSimilarity(rows: i, j)))
        }
        guard !human.isEmpty else { throw .noPairsInVocabulary(source: pairSet.source, pairs: pairSet.pairs.count) }
        let note: String?
        if human.count < 2 {
            note = "only 1 pair could be scored; a correlation needs at least 2"
        } else if Set(human).count == 1 {
            note = "the human scores of the \(human.count) scored pairs are all equal"
        } else if Set(model).count == 1 {
            note = "the model gives the \(human.count) scored pairs all the same similarity"
        } else {
            note = nil
        }
        return SimilarityEvaluation(spearman: Correlation.spearman(human, model),
                                    pearson: Correlation.pearson(human, model),
                                    pairs: human.count,
                                    oov: Double(pairSet.pairs.count - human.count) / Double(pairSet.pairs.count),
                                    note: note)
    }
}
