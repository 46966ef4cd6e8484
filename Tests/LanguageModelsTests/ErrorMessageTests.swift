import CoreIO
import LanguageModels
import TextCorpus
import Testing

/// The position of `error`'s case in ``LanguageModelError``'s declaration. Exhaustive on purpose
/// (no `default`): a new case stops this file compiling until it has an ordinal here, a sample in
/// ``languageModelErrorSamples`` and a new ``languageModelErrorCaseCount``.
private func ordinal(_ error: LanguageModelError) -> Int {
    switch error {
    case .invalidConfiguration: 0
    case .unknownPreset: 1
    case .corpus: 2
    case .corpusTooShort: 3
    case .onlyUnknownWords: 4
    case .unknownStartWord: 5
    case .noStartWords: 6
    case .invalidArchive: 7
    case .incompatibleEmbeddings: 8
    case .cancelled: 9
    case .diverged: 10
    }
}

private let languageModelErrorCaseCount = 11

/// One value of every case, with the values its message must name.
private var languageModelErrorSamples: [(error: LanguageModelError, mentions: [String])] {
    [
        (.invalidConfiguration(reason: "the time size must be between 1 and 10000, but it is 0"), ["time size", "it is 0"]),
        (.unknownPreset(name: "huge", known: ["rnnlm", "small"]), ["\"huge\"", "rnnlm, small"]),
        (.corpus(.empty(path: "/data/ptb.txt")), ["/data/ptb.txt"]),
        (.corpusTooShort(path: "/data/ptb.txt", tokens: 8, needed: 40), ["/data/ptb.txt", "8 tokens", "40"]),
        (.onlyUnknownWords(path: "/data/valid.txt"), ["/data/valid.txt"]),
        (.unknownStartWord("zebra"), ["\"zebra\""]),
        (.noStartWords, []),
        (.invalidArchive(reason: "the tensor \"output.b\" is missing"), ["\"output.b\" is missing"]),
        (.incompatibleEmbeddings(reason: "they have 300 dimensions but the embedding has 100"), ["300 dimensions"]),
        (.cancelled, []),
        (.diverged(epoch: 3), ["epoch 3"]),
    ]
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("the samples hold exactly one value of every LanguageModelError case")
    func everyCaseHasOneSample() {
        #expect(languageModelErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<languageModelErrorCaseCount))
    }

    @Test("every LanguageModelError follows the house style")
    func errorsFollowTheHouseStyle() {
        for (error, mentions) in languageModelErrorSamples {
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
