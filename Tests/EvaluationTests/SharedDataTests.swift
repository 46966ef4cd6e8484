import Foundation
import Testing
import Evaluation

/// `../shared/data/eval` beside the package root (resolved from this file's path).
let sharedEval = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/data/eval")
let questionsPath = sharedEval.appendingPathComponent("questions-words.txt").path
let wordSimPath = sharedEval.appendingPathComponent("wordsim353.tsv").path

@Suite("Shared evaluation files")
struct SharedDataTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: questionsPath)))
    func googleAnalogySetHasTheDocumentedCounts() throws {
        let set = try AnalogyTestSet(contentsOfFile: questionsPath)
        #expect(set.questionCount == 19_544)
        #expect(set.sections.count == 14)
        #expect(set.sections.filter { !$0.isSyntactic }.reduce(0) { $0 + $1.questions.count } == 8_869)
        #expect(set.sections.filter(\.isSyntactic).reduce(0) { $0 + $1.questions.count } == 10_675)
        #expect(set.sections.first?.name == "capital-common-countries")
        #expect(set.sections.first?.questions.first == AnalogyQuestion(a: "Athens", b: "Greece", c: "Baghdad", expected: "Iraq", line: 2))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: wordSimPath)))
    func wordSim353HasTheDocumentedCount() throws {
        let set = try WordPairSet(contentsOfFile: wordSimPath)
        #expect(set.pairs.count == 353)
        #expect(set.pairs.first == WordPair(first: "love", second: "sex", score: 6.77, line: 3))
    }
}
