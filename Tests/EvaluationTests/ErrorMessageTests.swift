import CoreIO
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

/// What breaks the house style of ``ExplainedError`` in `error`'s message; empty when nothing does.
///
/// - `problem` is one or more full sentences: a capital letter first (or `leadingToken`, the path
///   or code name some messages begin with), a full stop last, at least three words, no doubled
///   spaces, line breaks or space before punctuation (the marks of an empty interpolation), and
///   it names every value in `mentions`. A case that carries values must be given at least one.
/// - `remedy`, when there is one, is a full sentence ending in `.` or `?` (a question such as
///   "Did you mean ...?") that the problem does not already contain.
/// - `description` is the problem, or the problem, a space and the remedy.
private func styleViolations(_ error: some ExplainedError, mentions: [String],
                             leadingToken: String? = nil) -> [String] {
    var violations: [String] = []
    func checkSentence(_ text: String, _ part: String, endings: [Character], leadingToken: String?) {
        guard let first = text.first, let last = text.last else { return violations.append("\(part) is empty") }
        if !first.isUppercase && leadingToken.map(text.hasPrefix) != true {
            violations.append("\(part) does not start with a capital letter")
        }
        if !endings.contains(last) || text.hasSuffix("..") { violations.append("\(part) does not end with one of \(endings)") }
        for mark in ["  ", " .", " ,", " ;", " :", "\n", "\t"] where text.contains(mark) {
            violations.append("\(part) contains \(mark.debugDescription)")
        }
        if text.split(separator: " ").count < 3 { violations.append("\(part) is not a sentence") }
    }
    checkSentence(error.problem, "problem", endings: ["."], leadingToken: leadingToken)
    for value in mentions where !error.problem.contains(value) {
        violations.append("problem does not name \(value.debugDescription)")
    }
    if mentions.isEmpty && !Mirror(reflecting: error).children.isEmpty {
        violations.append("the case carries values, but the sample names none of them")
    }
    if let remedy = error.remedy {
        checkSentence(remedy, "remedy", endings: [".", "?"], leadingToken: nil)
        if error.problem.contains(remedy) { violations.append("problem already contains the remedy") }
    }
    if error.description != error.remedy.map({ error.problem + " " + $0 }) ?? error.problem {
        violations.append("description is not the problem followed by the remedy")
    }
    return violations
}
