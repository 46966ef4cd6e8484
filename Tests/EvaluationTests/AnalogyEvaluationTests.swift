import Foundation
import Testing
import TensorCore
import Embeddings
@testable import Evaluation

/// Axes [male, female, royal, fruit, plural]; "King" is a rarer case variant of "king".
func royalVectors() throws -> WordVectors {
    try WordVectors(
        words: ["man", "woman", "king", "queen", "apple", "apples", "pear", "pears", "King", "prince"],
        vectors: Tensor([
            [1, 0, 0, 0, 0],        // man
            [0, 1, 0, 0, 0],        // woman
            [1, 0, 1, 0, 0],        // king
            [0, 1, 1, 0, 0],        // queen
            [0, 0, 0, 1, 0],        // apple
            [0, 0, 0, 1, 1],        // apples
            [0, 0, 0.2, 1, 0],      // pear
            [0, 0, 0.2, 1, 1],      // pears
            [1, 0, 1, 0, 0.1],      // King
            [1, 0, 0.9, 0, 0],      // prince
        ]))
}

let questionsText = """
: family
man king woman queen
Man King Woman Queen
man king woman prince
man king woman unknownword

: gram9-plural-nouns
apple apples pear pears
pear pears apple apples
apple apples pear apples
"""

@Suite("Analogy test sets")
struct AnalogyParsingTests {
    @Test func parsesSectionsQuestionsAndLineNumbers() throws {
        let set = try AnalogyTestSet(parsing: questionsText)
        #expect(set.sections.map(\.name) == ["family", "gram9-plural-nouns"])
        #expect(set.sections.map(\.isSyntactic) == [false, true])
        #expect(set.questionCount == 7)
        #expect(set.sections[0].questions[1] == AnalogyQuestion(a: "Man", b: "King", c: "Woman", expected: "Queen", line: 3))
        #expect(set.sections[1].questions[0].line == 8)
    }

    @Test func acceptsCRLFAndExtraSpaces() throws {
        let set = try AnalogyTestSet(parsing: ":  capital\r\n  a b\tc d \r\n\r\n")
        #expect(set.sections.map(\.name) == ["capital"])
        #expect(set.sections[0].questions == [AnalogyQuestion(a: "a", b: "b", c: "c", expected: "d", line: 2)])
    }

    @Test(arguments: [
        (": s\na b c\n", EvaluationError.malformedLine(source: "q", line: 2, content: "a b c",
                                                      expected: "four words \"a b c d\" or a \": section\" header")),
        (": s\na b c d e\n", .malformedLine(source: "q", line: 2, content: "a b c d e",
                                            expected: "four words \"a b c d\" or a \": section\" header")),
        (":\na b c d\n", .malformedLine(source: "q", line: 1, content: ":", expected: "a section name after \":\"")),
        ("\na b c d\n", .questionOutsideSection(source: "q", line: 2)),
        (": s\n\n", .emptySet(source: "q")),
        ("", .emptySet(source: "q")),
    ])
    func malformedFilesAreRejectedWithLineNumbers(text: String, error: EvaluationError) {
        #expect(throws: error) { try AnalogyTestSet(parsing: text, source: "q") }
    }

    @Test func missingAndNonUTF8FilesAreErrors() throws {
        let missing = "/nonexistent/questions-words.txt"
        #expect(throws: EvaluationError.fileNotFound(path: missing)) {
            try AnalogyTestSet(contentsOfFile: missing)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("w2v-eval-\(UInt32.random(in: 0...UInt32.max)).txt").path
        try Data([0x3A, 0x20, 0x73, 0x0A, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: EvaluationError.notUTF8(path: path)) { try AnalogyTestSet(contentsOfFile: path) }
    }

    @Test func readsAFileFromDisk() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("w2v-eval-\(UInt32.random(in: 0...UInt32.max)).txt").path
        try questionsText.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let set = try AnalogyTestSet(contentsOfFile: path)
        #expect(set.questionCount == 7)
        #expect(set.source == path)
    }
}

@Suite("Analogy evaluation")
struct AnalogyEvaluationTests {
    @Test(arguments: AnalogyMethod.allCases)
    func scoresKnownAnswers(method: AnalogyMethod) throws {
        let result = try royalVectors().evaluateAnalogies(try AnalogyTestSet(parsing: questionsText), method: method)
        // family: 3 answered (the unknown word is skipped); "queen" twice right, "prince" wrong.
        #expect(result.sections[0] == SectionResult(name: "family", correct: 2, answered: 3, total: 4))
        // plurals: pears and apples right; the third question expects "apples" but gets "pears".
        #expect(result.sections[1] == SectionResult(name: "gram9-plural-nouns", correct: 2, answered: 3, total: 3))
        #expect(result.answered == 6)
        #expect(result.total == 7)
        #expect(result.accuracy == 4.0 / 6)
        #expect(result.semantic == 2.0 / 3)
        #expect(result.syntactic == 2.0 / 3)
    }

    @Test func caseVariantsOfTheQuestionWordsAreSkipped() throws {
        // c = "king" is excluded by row, but its rarer variant "King" is nearest to the offset;
        // gensim skips it because "KING" is a question word, and takes the next candidate.
        let v = try royalVectors()
        let offset = try v.analogy("woman", isTo: "queen", as: "king", count: 3)
        #expect(offset.map(\.word).prefix(2) == ["King", "prince"])
        let right = try v.evaluateAnalogies(try AnalogyTestSet(parsing: ": s\nwoman queen king prince\n"))
        #expect(right.sections[0].correct == 1)
        let wrong = try v.evaluateAnalogies(try AnalogyTestSet(parsing: ": s\nwoman queen king King\n"))
        #expect(wrong.sections[0].correct == 0)
        #expect(wrong.answered == 1)
    }

    @Test func caseSensitiveModeTreatsSpellingsApart() throws {
        let v = try royalVectors()
        let set = try AnalogyTestSet(parsing: ": s\nMan King Woman Queen\nman king woman queen\n")
        let insensitive = try v.evaluateAnalogies(set)
        #expect(insensitive.answered == 2)
        let sensitive = try v.evaluateAnalogies(set, caseInsensitive: false)
        #expect(sensitive.answered == 1)
        #expect(sensitive.total == 2)
    }

    @Test func restrictionLimitsTheVocabulary() throws {
        let v = try royalVectors()
        let set = try AnalogyTestSet(parsing: questionsText)
        // Only man, woman, king, queen are within the first four rows.
        let result = try v.evaluateAnalogies(set, restrictTo: 4)
        #expect(result.answered == 2)
        #expect(result.sections[1].answered == 0)
        #expect(result.sections[1].accuracy == 0)
        #expect(result.syntactic == 0)
        #expect(throws: EvaluationError.invalidRestriction(0)) { try v.evaluateAnalogies(set, restrictTo: 0) }
    }

    @Test func nothingAnsweredGivesZeroAccuracy() throws {
        let v = try royalVectors()
        let result = try v.evaluateAnalogies(try AnalogyTestSet(parsing: ": s\na b c d\n"))
        #expect(result == AnalogyEvaluation(sections: [SectionResult(name: "s", correct: 0, answered: 0, total: 1)]))
        #expect(result.accuracy == 0)
    }

    @Test func resultsEncodeWithTheContractKeys() throws {
        let result = AnalogyEvaluation(sections: [SectionResult(name: "gram1", correct: 1, answered: 2, total: 4)])
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any])
        #expect(Set(json.keys) == ["accuracy", "semantic", "syntactic", "answered", "total", "sections"])
        let section = try #require((json["sections"] as? [[String: Any]])?.first)
        #expect(Set(section.keys) == ["name", "correct", "answered", "total", "accuracy"])
        #expect(try JSONDecoder().decode(AnalogyEvaluation.self, from: JSONEncoder().encode(result)) == result)
    }
}
