import Embeddings

/// One analogy question "a is to b as c is to expected" and its line in the file.
public struct AnalogyQuestion: Sendable, Hashable, Codable {
    public var a: String
    public var b: String
    public var c: String
    public var expected: String
    /// 1-based line number in the source file.
    public var line: Int

    public init(a: String, b: String, c: String, expected: String, line: Int) {
        self.a = a
        self.b = b
        self.c = c
        self.expected = expected
        self.line = line
    }
}

/// A named group of analogy questions (`: capital-common-countries`, `: gram1-adjective-to-adverb`, ...).
public struct AnalogySection: Sendable, Hashable, Codable {
    public var name: String
    public var questions: [AnalogyQuestion]

    public init(name: String, questions: [AnalogyQuestion]) {
        self.name = name
        self.questions = questions
    }

    /// Syntactic sections are those whose name starts with `gram` (Mikolov et al. 2013); the
    /// others are semantic.
    public var isSyntactic: Bool { name.hasPrefix("gram") }
}

/// An analogy test set in the format of word2vec's `questions-words.txt` (Mikolov et al. 2013,
/// "Efficient Estimation of Word Representations in Vector Space"): `: section` header lines,
/// then one question `a b c d` per line ("a is to b as c is to d"). Blank lines are skipped.
public struct AnalogyTestSet: Sendable, Hashable {
    /// The sections in file order.
    public var sections: [AnalogySection]
    /// Where the questions came from (a path, or a label), for messages.
    public var source: String

    public init(sections: [AnalogySection], source: String) {
        self.sections = sections
        self.source = source
    }

    /// Reads and parses a questions file; errors name the file and line.
    public init(contentsOfFile path: String) throws(EvaluationError) {
        try self.init(parsing: try readText(path), source: path)
    }

    /// Parses questions from text. A question line must hold exactly four words and come after a
    /// section header; a header must name its section. A set without questions is an error.
    public init(parsing text: String, source: String = "the analogy questions") throws(EvaluationError) {
        var sections: [AnalogySection] = []
        for (index, rawLine) in textLines(text).enumerated() {
            let lineNumber = index + 1
            let words = whitespaceFields(rawLine)
            if words.isEmpty { continue }
            if words[0].hasPrefix(":") {
                let name = rawLine.drop { $0 == ":" || $0.isWhitespace }.trimmingWhitespace()
                guard !name.isEmpty else {
                    throw .malformedLine(source: source, line: lineNumber, content: rawLine,
                                         expected: "a section name after \":\"")
                }
                sections.append(AnalogySection(name: name, questions: []))
                continue
            }
            guard words.count == 4 else {
                throw .malformedLine(source: source, line: lineNumber, content: rawLine,
                                     expected: "four words \"a b c d\" or a \": section\" header")
            }
            guard !sections.isEmpty else { throw .questionOutsideSection(source: source, line: lineNumber) }
            sections[sections.count - 1].questions.append(
                AnalogyQuestion(a: words[0], b: words[1], c: words[2], expected: words[3], line: lineNumber))
        }
        guard sections.contains(where: { !$0.questions.isEmpty }) else { throw .emptySet(source: source) }
        self.sections = sections
        self.source = source
    }

    /// The number of questions in all sections.
    public var questionCount: Int { sections.reduce(0) { $0 + $1.questions.count } }
}

/// The result of one section of an analogy evaluation.
public struct SectionResult: Sendable, Hashable, Codable {
    public var name: String
    /// Questions whose top answer was the expected word.
    public var correct: Int
    /// Questions whose four words are all in the (restricted) vocabulary.
    public var answered: Int
    /// All questions of the section.
    public var total: Int
    /// `correct / answered` (0 when nothing was answered).
    public var accuracy: Double

    public init(name: String, correct: Int, answered: Int, total: Int) {
        self.name = name
        self.correct = correct
        self.answered = answered
        self.total = total
        self.accuracy = answered > 0 ? Double(correct) / Double(answered) : 0
    }
}

/// The result of an analogy evaluation. Accuracies are fractions in `0...1` over the answered
/// questions (0 when none was answered); `answered / total` is the coverage. The JSON keys
/// (`accuracy`, `semantic`, `syntactic`, `answered`, `total`, `sections`) are a stable contract.
public struct AnalogyEvaluation: Sendable, Hashable, Codable {
    /// Accuracy over all answered questions.
    public var accuracy: Double
    /// Accuracy over the answered questions of the semantic sections.
    public var semantic: Double
    /// Accuracy over the answered questions of the syntactic (`gram*`) sections.
    public var syntactic: Double
    /// Questions with all four words in the restricted vocabulary.
    public var answered: Int
    /// All questions.
    public var total: Int
    /// Per-section results in file order.
    public var sections: [SectionResult]

    public init(sections: [SectionResult]) {
        func accuracy(_ parts: [SectionResult]) -> Double {
            let answered = parts.reduce(0) { $0 + $1.answered }
            return answered > 0 ? Double(parts.reduce(0) { $0 + $1.correct }) / Double(answered) : 0
        }
        self.sections = sections
        self.accuracy = accuracy(sections)
        self.semantic = accuracy(sections.filter { !$0.name.hasPrefix("gram") })
        self.syntactic = accuracy(sections.filter { $0.name.hasPrefix("gram") })
        self.answered = sections.reduce(0) { $0 + $1.answered }
        self.total = sections.reduce(0) { $0 + $1.total }
    }
}

extension WordVectors {
    /// Evaluates analogies the way gensim's
    /// `KeyedVectors.evaluate_word_analogies(restrict_vocab=restrictTo, case_insensitive=True)` does:
    ///
    /// 1. The vocabulary is restricted to the first `restrictTo` rows (the most frequent words;
    ///    nil: all). With `caseInsensitive`, words are compared upper-cased and the first (most
    ///    frequent) of several spellings differing only in case stands for them all.
    /// 2. Questions with a word outside the restricted vocabulary are not answered (they count in
    ///    `total` only).
    /// 3. Each answered question is solved over the restricted vocabulary, excluding a, b and c:
    ///    with ``AnalogyMethod/add`` (3CosAdd, `argmax cos(d, û_b - û_a + û_c)`, gensim's only
    ///    method) or ``AnalogyMethod/multiply`` (3CosMul). Of the best five candidates, those that
    ///    are a, b or c up to case are skipped; the question is correct when the first remaining
    ///    one is `d` (up to case).
    ///
    /// All questions are scored with batched sgemm calls (`[questions, dimension] x [dimension,
    /// restrictTo]`, in chunks), so the 19,544 Google questions over 30,000 words take about a second.
    public func evaluateAnalogies(_ testSet: AnalogyTestSet, restrictTo: Int? = 30_000,
                                  method: AnalogyMethod = .add,
                                  caseInsensitive: Bool = true) throws(EvaluationError) -> AnalogyEvaluation {
        let vocabulary = try RestrictedVocabulary(self, restrictTo: restrictTo, caseInsensitive: caseInsensitive)
        var queries: [AnalogyQuery] = []
        var expected: [Int] = []
        var sectionOf: [Int] = []
        var results = testSet.sections.map { SectionResult(name: $0.name, correct: 0, answered: 0, total: $0.questions.count) }
        for (s, section) in testSet.sections.enumerated() {
            for q in section.questions {
                guard let a = vocabulary.id(q.a), let b = vocabulary.id(q.b), let c = vocabulary.id(q.c),
                      let d = vocabulary.id(q.expected) else { continue }
                queries.append(AnalogyQuery(a: a, b: b, c: c))
                expected.append(d)
                sectionOf.append(s)
            }
        }
        guard !queries.isEmpty else { return AnalogyEvaluation(sections: results) }
        let answers: [[Neighbor]]
        do {
            answers = try analogies(queries, count: 5, method: method, restrictTo: vocabulary.limit)
        } catch {
            preconditionFailure("Analogy queries over a non-empty vocabulary with valid rows cannot fail: \(error)")
        }
        for (i, candidates) in answers.enumerated() {
            let q = queries[i]
            var predicted: Int?
            for candidate in candidates {
                predicted = vocabulary.canonical[candidate.id]
                if predicted != q.a && predicted != q.b && predicted != q.c { break }
            }
            results[sectionOf[i]].answered += 1
            if predicted == expected[i] { results[sectionOf[i]].correct += 1 }
        }
        for i in results.indices {
            results[i] = SectionResult(name: results[i].name, correct: results[i].correct,
                                       answered: results[i].answered, total: results[i].total)
        }
        return AnalogyEvaluation(sections: results)
    }
}

/// The first `limit` words, keyed (upper-cased when case-insensitive) to the first row with that key.
struct RestrictedVocabulary {
    let limit: Int
    let caseInsensitive: Bool
    /// Key -> first row with that key.
    let rows: [String: Int]
    /// Row -> the first row with the same key (the row that stands for it).
    let canonical: [Int]

    init(_ vectors: WordVectors, restrictTo: Int?, caseInsensitive: Bool) throws(EvaluationError) {
        if let restrictTo, restrictTo < 1 { throw .invalidRestriction(restrictTo) }
        limit = Swift.min(restrictTo ?? vectors.count, vectors.count)
        self.caseInsensitive = caseInsensitive
        var rows = [String: Int](minimumCapacity: limit)
        var canonical = [Int](repeating: 0, count: limit)
        for row in 0..<limit {
            let key = caseInsensitive ? vectors.words[row].uppercased() : vectors.words[row]
            if let first = rows[key] {
                canonical[row] = first
            } else {
                rows[key] = row
                canonical[row] = row
            }
        }
        self.rows = rows
        self.canonical = canonical
    }

    /// The row standing for `word`, or nil when it is outside the restricted vocabulary.
    func id(_ word: String) -> Int? { rows[caseInsensitive ? word.uppercased() : word] }
}

/// The lines of `text` split at "\n" (a trailing "\r" is removed), as Strings; line `i` of
/// the file is element `i - 1`.
func textLines(_ text: String) -> [String] {
    text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
        let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...]
        return String(decoding: trimmed, as: UTF8.self)
    }
}

/// The whitespace-separated fields of `line` (Unicode whitespace, like Python's `str.split()`).
func whitespaceFields(_ line: String) -> [String] {
    line.unicodeScalars.split(whereSeparator: \.properties.isWhitespace).map { String(String.UnicodeScalarView($0)) }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }
}
