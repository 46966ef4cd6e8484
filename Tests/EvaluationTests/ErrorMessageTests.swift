import CoreIO
import ErrorStyleChecks
import Evaluation
import Testing

/// The position of `error`'s case in ``EvaluationError``'s declaration. Exhaustive on purpose (no
/// `default`): a new case stops this file compiling until it has an ordinal here, a sample in
/// ``evaluationErrorSamples`` and a new ``evaluationErrorCaseCount``.
private func ordinal(_ error: EvaluationError) -> Int {
    switch error {
    case .fileNotFound: 0
    case .unreadableFile: 1
    case .notUTF8: 2
    case .malformedLine: 3
    case .questionOutsideSection: 4
    case .emptySet: 5
    case .noPairsInVocabulary: 6
    case .invalidRestriction: 7
    }
}

private let evaluationErrorCaseCount = 8
private let samplePath = "/data/eval/questions-words.txt"

/// One value of every case, with the values its message must name.
private var evaluationErrorSamples: [(error: EvaluationError, mentions: [String])] {
    [
        (.fileNotFound(path: samplePath), [samplePath]),
        (.unreadableFile(path: samplePath, reason: "permission denied (check the file's permissions)"),
         [samplePath, "permission denied (check the file's permissions)"]),
        (.notUTF8(path: samplePath), [samplePath]),
        (.malformedLine(source: samplePath, line: 12, content: "a b c", expected: "four words"),
         ["Line 12", samplePath, "\"a b c\"", "expected four words"]),
        (.questionOutsideSection(source: samplePath, line: 1), ["Line 1", samplePath]),
        (.emptySet(source: samplePath), [samplePath]),
        (.noPairsInVocabulary(source: "wordsim353.tsv", pairs: 353), ["353 word pairs", "wordsim353.tsv"]),
        (.invalidRestriction(-3), ["-3 was given"]),
    ]
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("the samples hold exactly one value of every EvaluationError case")
    func everyEvaluationErrorCaseHasOneSample() {
        #expect(evaluationErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<evaluationErrorCaseCount))
    }

    @Test("every EvaluationError follows the house style")
    func evaluationErrorsFollowTheHouseStyle() {
        for (error, mentions) in evaluationErrorSamples {
            let violations = styleViolations(error, mentions: mentions)
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }
}

// MARK: - The house style (the same in every module's ErrorMessageTests.swift)

