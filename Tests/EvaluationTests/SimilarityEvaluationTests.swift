import Foundation
import Testing
import TensorCore
import Embeddings
@testable import Evaluation

@Suite("Correlation")
struct CorrelationTests {
    @Test func tiedValuesShareTheirAverageRank() {
        #expect(Correlation.ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4])
        #expect(Correlation.ranks([7.5, 3.0, 3.0, 9.1, 1.2, 3.0, 6.4]) == [6, 3, 3, 7, 1, 3, 5])
        #expect(Correlation.ranks([]) == [])
    }

    @Test func spearmanWithTiesMatchesAHandComputation() {
        // Ranks [1, 2.5, 2.5, 4] and [1, 4, 2.5, 2.5]: Σdxdy = 2.25, Σdx² = Σdy² = 4.5, so ρ = 0.5.
        #expect(abs(Correlation.spearman([1, 2, 2, 3], [10, 30, 20, 20]) - 0.5) < 1e-12)
    }

    @Test func matchesScipyGoldenValues() {
        // scipy.stats.spearmanr / pearsonr on the same samples.
        let x = [7.5, 3.0, 3.0, 9.1, 1.2, 3.0, 6.4]
        let y = [0.8, 0.1, 0.35, 0.9, 0.1, 0.2, 0.1]
        #expect(abs(Correlation.spearman(x, y) - 0.6923076923076924) < 1e-12)
        #expect(abs(Correlation.pearson(x, y) - 0.7966476846193484) < 1e-12)
    }

    @Test func perfectAndInverseOrder() {
        #expect(Correlation.spearman([1, 2, 3], [10, 100, 1000]) == 1)
        #expect(abs(Correlation.pearson([1, 2, 3], [6, 4, 2]) + 1) < 1e-12)
    }

    @Test func constantOrTinySamplesAreUndefined() {
        #expect(Correlation.pearson([1, 1, 1], [1, 2, 3]).isNaN)
        #expect(Correlation.spearman([5], [1]).isNaN)
    }
}

let pairsText = """
# WordSim-style test file
# Word 1\tWord 2\tHuman (mean)
man\twoman\t8.0
king\tqueen\t9.0
apple\tking\t1.0
Apple\tpear\t7.5
man\tunicorn\t5.0
"""

@Suite("Word-pair sets")
struct WordPairParsingTests {
    @Test func parsesTabAndSpaceSeparatedLines() throws {
        let set = try WordPairSet(parsing: pairsText + "\npear   apples 6\r\n\n")
        #expect(set.pairs.count == 6)
        #expect(set.pairs[0] == WordPair(first: "man", second: "woman", score: 8, line: 3))
        #expect(set.pairs[5] == WordPair(first: "pear", second: "apples", score: 6, line: 8))
    }

    @Test(arguments: [
        ("a\tb\n", EvaluationError.malformedLine(source: "p", line: 1, content: "a\tb",
                                                  expected: "two words and a number \"w1 w2 score\"")),
        ("# c\na b c\n", .malformedLine(source: "p", line: 2, content: "a b c",
                                        expected: "two words and a number \"w1 w2 score\"")),
        ("a b 1 2\n", .malformedLine(source: "p", line: 1, content: "a b 1 2",
                                     expected: "two words and a number \"w1 w2 score\"")),
        ("a b nan\n", .malformedLine(source: "p", line: 1, content: "a b nan",
                                     expected: "two words and a number \"w1 w2 score\"")),
        ("# only comments\n\n", .emptySet(source: "p")),
    ])
    func malformedFilesAreRejectedWithLineNumbers(text: String, error: EvaluationError) {
        #expect(throws: error) { try WordPairSet(parsing: text, source: "p") }
    }

    @Test func missingFilesAreErrors() {
        #expect(throws: EvaluationError.fileNotFound(path: "/nonexistent/ws.tsv")) {
            try WordPairSet(contentsOfFile: "/nonexistent/ws.tsv")
        }
    }
}

@Suite("Word-pair evaluation")
struct WordPairEvaluationTests {
    @Test func correlatesCosinesWithScores() throws {
        let v = try royalVectors()
        let result = try v.evaluateWordPairs(try WordPairSet(parsing: pairsText))
        // Cosines: man-woman 0, king-queen 1/2, apple-king 0, apple-pear 1/√1.04; unicorn is OOV.
        let cosines = [0, 0.5, 0, 1 / 1.04.squareRoot()]
        let human = [8.0, 9.0, 1.0, 7.5]
        #expect(result.pairs == 4)
        #expect(result.oov == 0.2)
        #expect(abs(result.spearman - Correlation.spearman(human, cosines)) < 1e-9)
        #expect(abs(result.pearson - Correlation.pearson(human, cosines)) < 1e-6)
        // Ranks: human [3, 4, 1, 2], cosines [1.5, 3, 1.5, 4]: Σdxdy = 1, Σdx² = 5, Σdy² = 4.5.
        #expect(abs(result.spearman - 1 / 22.5.squareRoot()) < 1e-9)
    }

    /// Fewer than two usable pairs, or constant scores: the correlation is undefined, which JSON
    /// shows as null with a note (issue 12: it was the string "nan").
    @Test(arguments: [
        ("king queen 9\nunicorn dragon 5\n", "only 1 pair could be scored; a correlation needs at least 2"),
        ("king queen 5\nman woman 5\napple pear 5\n", "the human scores of the 3 scored pairs are all equal"),
        ("man woman 1\nman apple 2\nwoman apple 3\n", "the model gives the 3 scored pairs all the same similarity"),
    ])
    func undefinedCorrelationsAreNullWithANote(text: String, note: String) throws {
        let result = try royalVectors().evaluateWordPairs(try WordPairSet(parsing: text))
        #expect(result.spearman.isNaN && result.pearson.isNaN)
        #expect(result.note == note)
        let data = try JSONEncoder().encode(result)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["spearman"] is NSNull && json["pearson"] is NSNull)
        #expect(json["note"] as? String == note)
        #expect(try JSONDecoder().decode(SimilarityEvaluation.self, from: data) == result)
    }

    @Test func restrictionAndCaseSensitivity() throws {
        let v = try royalVectors()
        let set = try WordPairSet(parsing: pairsText)
        #expect(try v.evaluateWordPairs(set, caseInsensitive: false).pairs == 3)
        #expect(try v.evaluateWordPairs(set, restrictTo: 4).pairs == 2)
        #expect(throws: EvaluationError.invalidRestriction(-3)) { try v.evaluateWordPairs(set, restrictTo: -3) }
    }

    @Test func noKnownPairIsAnError() throws {
        let v = try royalVectors()
        let set = try WordPairSet(parsing: "x y 1\nz w 2\n", source: "ws")
        #expect(throws: EvaluationError.noPairsInVocabulary(source: "ws", pairs: 2)) { try v.evaluateWordPairs(set) }
    }

    @Test func resultsEncodeWithTheContractKeys() throws {
        let result = SimilarityEvaluation(spearman: 0.5, pearson: 0.25, pairs: 3, oov: 0.1)
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any])
        #expect(Set(json.keys) == ["spearman", "pearson", "pairs", "oov"])
        #expect(try JSONDecoder().decode(SimilarityEvaluation.self, from: JSONEncoder().encode(result)) == result)
    }
}
