import CoreIO
import ErrorStyleChecks
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

