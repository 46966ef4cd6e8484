import Testing
import TensorCore
@testable import Embeddings

/// A hand-made space with axes [male, female, royal, fruit] where the answers are known.
private func royalFruit() throws -> WordVectors {
    try WordVectors(
        words: ["man", "woman", "king", "queen", "apple", "orange", "zero"],
        vectors: Tensor([
            [2, 0, 0, 0],       // man
            [0, 1, 0, 0],       // woman
            [1, 0, 1, 0],       // king
            [0, 1, 1, 0],       // queen
            [0, 0, 0, 3],       // apple
            [0, 0, 1, 1],       // orange
            [0, 0, 0, 0],       // zero (a zero vector)
        ]),
        counts: [50, 40, 30, 20, 6, 3, 1])
}

/// Seeded random vectors for comparing fast paths with a brute-force reference.
private func randomVectors(words: Int, dimension: Int, seed: UInt64) throws -> WordVectors {
    var rng = SplitMix64(seed: seed)
    let tensor = Tensor(shape: [words, dimension]) { rng.nextUnitFloat() * 2 - 1 }
    return try WordVectors(words: (0..<words).map { "w\($0)" }, vectors: tensor)
}

/// Reference ranking: full sort of exact (Double) cosines, ties by lower row.
private func referenceRanking(_ v: WordVectors, query: [Float], limit: Int, excluded: Set<Int>, count: Int) -> [Int] {
    let qn = query.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    var scored: [(Int, Double)] = []
    for r in 0..<limit where !excluded.contains(r) {
        let row = v.vector(at: r)
        let rn = row.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let d = zip(row, query).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        scored.append((r, d / (rn * qn)))
    }
    scored.sort { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
    return scored.prefix(count).map(\.0)
}

@Suite("Unit vectors")
struct UnitVectorTests {
    @Test func rowsAreNormalisedOnceAndZeroRowsStayZero() throws {
        let v = try royalFruit()
        #expect(v.norms[0] == 2)
        #expect(abs(v.norms[2] - 2.0.squareRoot().float) < 1e-6)
        #expect(v.unitVectors.row(0) == [1, 0, 0, 0])
        #expect(v.unitVectors.row(4) == [0, 0, 0, 1])
        #expect(v.unitVectors.row(6) == [0, 0, 0, 0])
        #expect(v.norms[6] == 0)
        for r in 0..<6 {
            let n = v.unitVectors.row(r).reduce(Float(0)) { $0 + $1 * $1 }
            #expect(abs(n - 1) < 1e-6)
        }
    }

    @Test func equalityIgnoresTheDerivedMatrix() throws {
        #expect(try royalFruit() == royalFruit())
    }
}

@Suite("Nearest neighbours")
struct MostSimilarTests {
    @Test func ranksByCosineAndExcludesTheQuery() throws {
        let v = try royalFruit()
        let result = try v.mostSimilar(to: "king", count: 3)
        // cos(king, man) = 1/√2; cos(king, queen) = cos(king, orange) = 1/2 (tie -> the more frequent queen first).
        #expect(result.map(\.word) == ["man", "queen", "orange"])
        #expect(abs(result[0].similarity - 0.5.squareRoot().float) < 1e-6)
        for n in result.dropFirst() { #expect(abs(n.similarity - 0.5) < 1e-6) }
        #expect(result.map(\.id) == [0, 3, 5])
        #expect(!result.contains { $0.word == "king" })
    }

    @Test func returnsFewerWhenTheVocabularyIsSmall() throws {
        let v = try royalFruit()
        #expect(try v.mostSimilar(to: "apple", count: 100).count == 6)
    }

    @Test func restrictionLimitsCandidatesToTheMostFrequentRows() throws {
        let v = try royalFruit()
        let result = try v.mostSimilar(to: "orange", count: 5, restrictTo: 3)
        #expect(result.map(\.word) == ["king", "man", "woman"])
        #expect(abs(result[0].similarity - 0.5) < 1e-6)
        // A restriction beyond the vocabulary is clamped.
        #expect(try v.mostSimilar(to: "orange", count: 10, restrictTo: 1_000).count == 6)
    }

    @Test func vectorQueryIsNormalisedAndHonoursExclusions() throws {
        let v = try royalFruit()
        let result = try v.mostSimilar(toVector: [0, 0, 0, 10], count: 2)
        #expect(result.map(\.word) == ["apple", "orange"])
        #expect(abs(result[0].similarity - 1) < 1e-6)
        #expect(abs(result[1].similarity - 0.5.squareRoot().float) < 1e-6)
        let skipping = try v.mostSimilar(toVector: [0, 0, 0, 10], count: 1, excluding: ["apple", "not-a-word"])
        #expect(skipping.map(\.word) == ["orange"])
    }

    @Test(arguments: [1, 7, 50])
    func batchedQueriesMatchSingleQueries(count: Int) throws {
        let v = try randomVectors(words: 300, dimension: 12, seed: 7)
        let words = (0..<40).map { "w\($0 * 7)" }
        let batched = try v.mostSimilar(toEach: words, count: count, restrictTo: 250)
        #expect(batched.count == words.count)
        for (word, result) in zip(words, batched) {
            let single = try v.mostSimilar(to: word, count: count, restrictTo: 250)
            #expect(result.map(\.id) == single.map(\.id))
            for (a, b) in zip(result, single) { #expect(abs(a.similarity - b.similarity) < 1e-5) }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func heapSelectionMatchesAFullSort(seed: UInt64) throws {
        let v = try randomVectors(words: 500, dimension: 16, seed: seed)
        for word in ["w0", "w123", "w499"] {
            let id = try #require(v.id(for: word))
            let fast = try v.mostSimilar(to: word, count: 25, restrictTo: 400)
            let reference = referenceRanking(v, query: v.vector(at: id), limit: 400, excluded: [id], count: 25)
            #expect(fast.map(\.id) == reference)
        }
    }

    @Test func chunkedGemmGivesTheSameAnswerAsOneChunk() throws {
        let v = try randomVectors(words: 200, dimension: 8, seed: 11)
        let ids = Array(0..<37)
        let queries = v.gatherUnitRows(ids)
        let whole = v.rank(queries: queries, queryCount: 37, count: 5, limit: 200, excluded: ids.map { [$0] })
        // A budget of 3 score rows forces 13 gemm calls.
        let chunked = v.rank(queries: queries, queryCount: 37, count: 5, limit: 200, excluded: ids.map { [$0] },
                             budget: 3 * 200)
        #expect(whole.map { $0.map(\.id) } == chunked.map { $0.map(\.id) })
    }

    @Test func matrixQueriesMatchVectorQueries() throws {
        let v = try randomVectors(words: 120, dimension: 6, seed: 5)
        var rng = SplitMix64(seed: 99)
        let queries = Tensor(shape: [9, 6]) { rng.nextUnitFloat() - 0.5 }
        let excluded = (0..<9).map { [$0, $0 + 10] }
        let batched = try v.mostSimilar(toVectors: queries, count: 4, excludingIDs: excluded)
        for i in 0..<9 {
            let single = try v.mostSimilar(toVector: queries.row(i), count: 4, excluding: ["w\(i)", "w\(i + 10)"])
            #expect(batched[i].map(\.id) == single.map(\.id))
        }
    }

    @Test func topKOrdersTiesByRowAndSkipsNaN() {
        let scores: [Float] = [0.5, .nan, 0.9, 0.5, 0.9, -1, 0.5]
        let top = scores.withUnsafeBufferPointer { QueryKernels.topK($0, k: 4, excluded: [4]) }
        #expect(top == [ScoredRow(row: 2, score: 0.9), ScoredRow(row: 0, score: 0.5),
                        ScoredRow(row: 3, score: 0.5), ScoredRow(row: 6, score: 0.5)])
        let none = scores.withUnsafeBufferPointer { QueryKernels.topK($0, k: 0, excluded: []) }
        #expect(none.isEmpty)
    }

    @Test(arguments: [1, 5, 16, 40])
    func vectorScanMatchesASortWithTiesAndNaNs(k: Int) {
        // 203 scores from 9 distinct values (many ties), some NaN: blocks of 16 plus a tail.
        var rng = SplitMix64(seed: UInt64(k))
        let scores: [Float] = (0..<203).map { _ in
            let v = rng.nextIndex(below: 10)
            return v == 9 ? .nan : Float(v) / 8
        }
        let excluded = [3, 50, 202]
        let reference = scores.indices
            .filter { !scores[$0].isNaN && !excluded.contains($0) }
            .sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
            .prefix(k)
        let top = scores.withUnsafeBufferPointer { QueryKernels.topK($0, k: k, excluded: excluded) }
        #expect(top.map(\.row) == Array(reference))
        #expect(top.map(\.score) == reference.map { scores[$0] })
    }
}

@Suite("Analogies")
struct AnalogyTests {
    @Test(arguments: AnalogyMethod.allCases)
    func manIsToKingAsWomanIsToQueen(method: AnalogyMethod) throws {
        let v = try royalFruit()
        let result = try v.analogy("man", isTo: "king", as: "woman", count: 3, method: method)
        #expect(result.first?.word == "queen")
        #expect(!result.contains { ["man", "king", "woman"].contains($0.word) })
    }

    @Test func positiveAndNegativeWordsMatchAnalogyAndSingleQueries() throws {
        let v = try randomVectors(words: 200, dimension: 12, seed: 31)
        let combined = try v.mostSimilar(positive: ["w5", "w9"], negative: ["w2"], count: 8)
        let analogy = try v.analogy("w2", isTo: "w5", as: "w9", count: 8)
        #expect(combined.map(\.id) == analogy.map(\.id))
        for (x, y) in zip(combined, analogy) { #expect(abs(x.similarity - y.similarity) < 1e-5) }
        #expect(try v.mostSimilar(positive: ["w7"], count: 5).map(\.id) == (try v.mostSimilar(to: "w7", count: 5)).map(\.id))
        let negativeOnly = try v.mostSimilar(positive: [], negative: ["w7"], count: 1)
        #expect(negativeOnly.first?.id == referenceRanking(v, query: v.vector(at: 7).map { -$0 }, limit: 200, excluded: [7], count: 1).first)
        #expect(throws: QueryError.tooFewWords(needed: 1, given: 0)) { try v.mostSimilar(positive: []) }
        #expect(throws: QueryError.zeroVector) { try v.mostSimilar(positive: ["w1"], negative: ["w1"]) }
        #expect(throws: QueryError.unknownWord("xyz", suggestions: [])) { try v.mostSimilar(positive: ["xyz"]) }
    }

    @Test func cosAddScoreIsTheCosineWithTheOffset() throws {
        let v = try royalFruit()
        // û_king - û_man + û_woman = (1/√2 - 1, 1, 1/√2, 0); û_queen = (0, 1/√2, 1/√2, 0).
        let r = 0.5.squareRoot()
        let offset = [r - 1, 1, r, 0]
        let norm = offset.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let expected = (r + 0.5) / norm
        let top = try #require(try v.analogy("man", isTo: "king", as: "woman", count: 1).first)
        #expect(abs(Double(top.similarity) - expected) < 1e-6)
    }

    @Test func cosMulScoreFollowsLevyAndGoldberg() throws {
        let v = try royalFruit()
        // For queen: cos(queen, man) = 0, cos(queen, king) = 1/2, cos(queen, woman) = 1/√2.
        let shifted = { (c: Double) in (c + 1) / 2 }
        let expected = shifted(0.5) * shifted(0.5.squareRoot()) / (shifted(0) + 1e-3)
        let top = try #require(try v.analogy("man", isTo: "king", as: "woman", count: 1, method: .multiply).first)
        #expect(top.word == "queen")
        #expect(abs(Double(top.similarity) - expected) < 1e-5)
    }

    @Test(arguments: AnalogyMethod.allCases)
    func batchedAnalogiesMatchSingleOnes(method: AnalogyMethod) throws {
        let v = try randomVectors(words: 150, dimension: 10, seed: 3)
        var rng = SplitMix64(seed: 4)
        let queries = (0..<30).map { _ in
            AnalogyQuery(a: rng.nextIndex(below: 150), b: rng.nextIndex(below: 150), c: rng.nextIndex(below: 150))
        }
        let batched = try v.analogies(queries, count: 5, method: method, restrictTo: 120)
        for (q, result) in zip(queries, batched) {
            let single = try v.analogy(v.words[q.a], isTo: v.words[q.b], as: v.words[q.c], count: 5,
                                       method: method, restrictTo: 120)
            #expect(result.map(\.id) == single.map(\.id))
            #expect(result.allSatisfy { $0.id < 120 && ![q.a, q.b, q.c].contains($0.id) })
        }
        #expect(try v.analogies([], method: method).isEmpty)
    }

    @Test(arguments: AnalogyMethod.allCases)
    func sharedWordScoresMatchSingleAnalogies(method: AnalogyMethod) throws {
        // 60 questions over 8 words: the batch scores the distinct words once and combines rows.
        let v = try randomVectors(words: 150, dimension: 10, seed: 8)
        var rng = SplitMix64(seed: 9)
        let queries = (0..<60).map { _ in
            AnalogyQuery(a: rng.nextIndex(below: 8), b: 8 + rng.nextIndex(below: 8), c: 16 + rng.nextIndex(below: 8))
        }
        let batched = try v.analogies(queries, count: 5, method: method, restrictTo: 140)
        for (q, result) in zip(queries, batched) {
            let single = try v.analogy(v.words[q.a], isTo: v.words[q.b], as: v.words[q.c], count: 5,
                                       method: method, restrictTo: 140)
            #expect(result.map(\.id) == single.map(\.id))
            for (x, y) in zip(result, single) { #expect(abs(x.similarity - y.similarity) < 1e-5) }
        }
        // Budgets of 3 score rows (one question per gemm) or 7 rows give the same answers.
        for budget in [3 * 140, 7 * 140] {
            let chunked = v.rankByWordScores(queries, method: method, count: 5, limit: 140, budget: budget)
            #expect(chunked.map { $0.map(\.id) } == batched.map { $0.map(\.id) })
        }
    }

    @Test func cosAddMatchesABruteForceReference() throws {
        let v = try randomVectors(words: 400, dimension: 20, seed: 21)
        for (a, b, c) in [(1, 2, 3), (10, 200, 30), (399, 0, 5)] {
            let ua = v.unitVectors.row(a), ub = v.unitVectors.row(b), uc = v.unitVectors.row(c)
            let offset = (0..<20).map { ub[$0] - ua[$0] + uc[$0] }
            let reference = referenceRanking(v, query: offset, limit: 400, excluded: [a, b, c], count: 10)
            let fast = try v.analogy("w\(a)", isTo: "w\(b)", as: "w\(c)", count: 10)
            #expect(fast.map(\.id) == reference)
        }
    }
}

@Suite("Word queries")
struct WordQueryTests {
    @Test func similarityIsTheCosine() throws {
        let v = try royalFruit()
        #expect(abs(try v.similarity("king", "queen") - 0.5) < 1e-6)
        #expect(abs(try v.similarity("man", "king") - 0.5.squareRoot().float) < 1e-6)
        // A zero vector has no direction: an error, not a similarity of 0 (issue 12).
        #expect(throws: QueryError.degenerateVector("zero")) { try v.similarity("apple", "zero") }
        #expect(abs(try v.similarity("apple", "apple") - 1) < 1e-6)
        #expect(v.cosineSimilarity(rows: 2, 3) == (try v.similarity("king", "queen")))
    }

    @Test func vectorForIsTheRawRow() throws {
        let v = try royalFruit()
        #expect(try v.vector(for: "man") == [2, 0, 0, 0])
    }

    @Test func doesntMatchFindsTheOddOneOut() throws {
        let v = try royalFruit()
        #expect(try v.doesntMatch(["man", "king", "queen", "apple"]) == "apple")
        #expect(try v.doesntMatch(["apple", "orange", "man"]) == "man")
    }

    @Test func sentenceVectorMean() throws {
        let v = try royalFruit()
        #expect(try v.sentenceVector(["man", "woman", "unknown-word"]) == [1, 0.5, 0, 0])
        #expect(try v.sentenceVector(["apple", "apple"]) == [0, 0, 0, 3])
    }

    @Test func sentenceVectorSmoothInverseFrequency() throws {
        let v = try royalFruit()
        // Σ counts = 150: p(man) = 1/3, p(apple) = 1/25.
        let a = 0.1
        let wMan = a / (a + 50.0 / 150), wApple = a / (a + 6.0 / 150)
        let result = try v.sentenceVector(["man", "apple"], weighting: .smoothInverseFrequency(a: a))
        let expected = [wMan * 2 / 2, 0, 0, wApple * 3 / 2]
        for (x, y) in zip(result, expected) { #expect(abs(Double(x) - y) < 1e-6) }
        // The rarer word dominates: the nearest word of the phrase vector is the fruit.
        #expect(try v.mostSimilar(toVector: result, count: 1).first?.word == "apple")
        // Without counts every weight is 1, i.e. the mean.
        let uncounted = try WordVectors(words: v.words, vectors: v.vectors)
        #expect(try uncounted.sentenceVector(["man", "apple"], weighting: .smoothInverseFrequency()) == [1, 0, 0, 1.5])
    }

    @Test func suggestionsAreCloseSpellingsMostFrequentFirst() throws {
        let v = try WordVectors(words: ["the", "then", "than", "they", "king", "kings", "organisation"],
                                vectors: Tensor(shape: [7, 2], repeating: 1))
        #expect(v.suggestions(for: "thn") == ["the", "then", "than"])
        #expect(v.suggestions(for: "KING") == ["king", "kings"])
        #expect(v.suggestions(for: "organization") == ["organisation"])
        #expect(v.suggestions(for: "zzzzzz").isEmpty)
        #expect(v.suggestions(for: "").isEmpty)
        #expect(v.suggestions(for: "thn", limit: 1) == ["the"])
    }
}

@Suite("Query errors")
struct QueryErrorTests {
    @Test func unknownWordsSuggestSpellings() throws {
        let v = try royalFruit()
        #expect(throws: QueryError.unknownWord("kng", suggestions: ["king"])) { try v.mostSimilar(to: "kng") }
        #expect(throws: QueryError.unknownWord("Queen", suggestions: ["queen"])) { try v.vector(for: "Queen") }
        #expect(throws: QueryError.unknownWord("xylophone", suggestions: [])) { try v.similarity("king", "xylophone") }
        #expect(throws: QueryError.unknownWord("mann", suggestions: ["man"])) {
            try v.analogy("mann", isTo: "king", as: "woman")
        }
        #expect(throws: QueryError.unknownWord("aple", suggestions: ["apple"])) { try v.doesntMatch(["man", "aple"]) }
        #expect(throws: QueryError.unknownWord("x", suggestions: [])) { try v.mostSimilar(toEach: ["man", "x"]) }
        #expect(QueryError.unknownWord("kng", suggestions: ["king", "kings"]).description
                == "The word \"kng\" is not in the vocabulary. Did you mean \"king\", \"kings\"?")
    }

    @Test func countsRestrictionsAndShapesAreChecked() throws {
        let v = try royalFruit()
        #expect(throws: QueryError.invalidCount(0)) { try v.mostSimilar(to: "man", count: 0) }
        #expect(throws: QueryError.invalidRestriction(0)) { try v.mostSimilar(to: "man", restrictTo: 0) }
        #expect(throws: QueryError.dimensionMismatch(expected: 4, actual: 3)) { try v.mostSimilar(toVector: [1, 2, 3]) }
        #expect(throws: QueryError.dimensionMismatch(expected: 4, actual: 5)) {
            try v.mostSimilar(toVectors: Tensor(shape: [2, 5]))
        }
        #expect(throws: QueryError.exclusionCountMismatch(queries: 2, exclusions: 1)) {
            try v.mostSimilar(toVectors: Tensor(shape: [2, 4], repeating: 1), excludingIDs: [[0]])
        }
        #expect(throws: QueryError.zeroVector) { try v.mostSimilar(toVector: [0, 0, 0, 0]) }
        #expect(throws: QueryError.degenerateVector("zero")) { try v.analogy("man", isTo: "man", as: "zero") }
        #expect(throws: QueryError.tooFewWords(needed: 2, given: 1)) { try v.doesntMatch(["man"]) }
        #expect(throws: QueryError.noKnownWords(["a", "b"])) { try v.sentenceVector(["a", "b"]) }
    }

    @Test func emptyVocabularyIsAnError() throws {
        let empty = try WordVectors(words: [], vectors: Tensor(shape: [0, 3]))
        #expect(throws: QueryError.emptyVocabulary) { try empty.mostSimilar(toVector: [1, 0, 0]) }
        #expect(throws: QueryError.emptyVocabulary) { try empty.mostSimilar(to: "a") }
        #expect(throws: QueryError.emptyVocabulary) { try empty.sentenceVector(["a"]) }
    }
}

private extension Double {
    var float: Float { Float(self) }
}

/// A zero or NaN vector answers every cosine query with a clear error (issue 12: before, similar
/// and similarity printed 0 for everything).
@Suite("Degenerate vectors")
struct DegenerateVectorTests {
    static func vectors() throws -> WordVectors {
        try WordVectors(words: ["a", "b", "zero", "nan", "inf"],
                        vectors: Tensor([[1, 0], [0, 1], [0, 0], [.nan, 1], [.infinity, 0]]))
    }

    @Test(arguments: ["zero", "nan", "inf"])
    func everyWordQueryRefusesIt(_ word: String) throws {
        let v = try Self.vectors()
        let error = QueryError.degenerateVector(word)
        #expect(throws: error) { try v.mostSimilar(to: word) }
        #expect(throws: error) { try v.similarity(word, "a") }
        #expect(throws: error) { try v.similarity("a", word) }
        #expect(throws: error) { try v.analogy("a", isTo: "b", as: word) }
        #expect(throws: error) { try v.analogy(word, isTo: "a", as: "b") }
        #expect(throws: error) { try v.doesntMatch(["a", "b", word]) }
        #expect(throws: error) { try v.mostSimilar(positive: ["a", word]) }
        #expect(error.description.contains("\"\(word)\" has zero length or holds NaN or infinity"))
        // Healthy words still answer, and never list the degenerate ones as neighbours with NaN.
        #expect(try v.mostSimilar(to: "a", count: 4).allSatisfy { $0.similarity.isFinite })
    }
}
