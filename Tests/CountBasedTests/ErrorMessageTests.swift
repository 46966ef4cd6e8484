import CoreIO
import CountBased
import TensorCore
import Testing

/// The position of `error`'s case in ``CountBasedError``'s declaration. Exhaustive on purpose (no
/// `default`): a new case stops this file compiling until it has an ordinal here, a sample in
/// ``countBasedErrorSamples`` and a new ``countBasedErrorCaseCount``.
private func ordinal(_ error: CountBasedError) -> Int {
    switch error {
    case .invalidConfiguration: 0
    case .dimensionTooLarge: 1
    case .noCooccurrences: 2
    case .noPositivePMI: 3
    case .corpusTooLong: 4
    case .linearAlgebra: 5
    case .cancelled: 6
    }
}

private let countBasedErrorCaseCount = 7

/// One value of every case, with the values its message must name.
private var countBasedErrorSamples: [(error: CountBasedError, mentions: [String])] {
    [
        (.invalidConfiguration(reason: "the window size must be at least 1, but it is 0"),
         ["the window size must be at least 1, but it is 0"]),
        (.dimensionTooLarge(dimension: 300, vocabularySize: 120), ["300-dimensional", "120 words"]),
        (.noCooccurrences(windowSize: 5), ["within 5 tokens"]),
        (.noPositivePMI, []),
        (.corpusTooLong(tokens: 5_000_000_000), ["5000000000 tokens", "\(UInt32.max)"]),
        (.linearAlgebra(.didNotConverge(routine: "sgesdd", info: 17)), ["sgesdd", "info = 17"]),
        (.cancelled, []),
    ]
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("the samples hold exactly one value of every CountBasedError case")
    func everyCountBasedErrorCaseHasOneSample() {
        #expect(countBasedErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<countBasedErrorCaseCount))
    }

    @Test("every CountBasedError follows the house style")
    func countBasedErrorsFollowTheHouseStyle() {
        for (error, mentions) in countBasedErrorSamples {
            let violations = styleViolations(error, mentions: mentions)
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }

    @Test("a failed decomposition is explained by LAPACK's problem and remedy, each once")
    func linearAlgebraIsWrapped() {
        let inner = LinearAlgebraError.nonFiniteInput(routine: "sgesdd")
        let error = CountBasedError.linearAlgebra(inner)
        #expect(error.problem == "The singular value decomposition failed: " + inner.problem)
        #expect(error.remedy == inner.remedy)
    }

    @Test("too large a dimension is answered with the largest that works")
    func dimensionRemedy() {
        #expect(CountBasedError.dimensionTooLarge(dimension: 300, vocabularySize: 120).remedy?.contains("at most 119") == true)
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
