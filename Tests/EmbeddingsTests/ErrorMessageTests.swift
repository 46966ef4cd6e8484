import CoreIO
import ErrorStyleChecks
import Embeddings
import Testing

/// The position of `error`'s case in ``QueryError``'s declaration. Exhaustive on purpose (no
/// `default`): a new case stops this file compiling until it has an ordinal here, a sample in
/// ``queryErrorSamples`` and a new ``queryErrorCaseCount``.
private func ordinal(_ error: QueryError) -> Int {
    switch error {
    case .unknownWord: 0
    case .tooFewWords: 1
    case .noKnownWords: 2
    case .emptyVocabulary: 3
    case .dimensionMismatch: 4
    case .zeroVector: 5
    case .degenerateVector: 6
    case .invalidCount: 7
    case .invalidRestriction: 8
    case .exclusionCountMismatch: 9
    }
}

private let queryErrorCaseCount = 10

/// One value of every case, with the values its message must name.
private var queryErrorSamples: [(error: QueryError, mentions: [String])] {
    [
        (.unknownWord("xyzzy", suggestions: ["xyz", "fizzy"]), ["\"xyzzy\""]),
        (.tooFewWords(needed: 3, given: 1), ["at least 3 words", "1 was given"]),
        (.noKnownWords(["qux", "quux"]), ["\"qux\", \"quux\""]),
        (.emptyVocabulary, []),
        (.dimensionMismatch(expected: 300, actual: 50), ["50 elements", "300 dimensions"]),
        (.zeroVector, []),
        (.degenerateVector("nan-word"), ["\"nan-word\""]),
        (.invalidCount(-2), ["-2 was asked for"]),
        (.invalidRestriction(-3), ["-3 was given"]),
        (.exclusionCountMismatch(queries: 4, exclusions: 2), ["4 queries", "2 exclusion lists"]),
    ]
}

/// The position of `error`'s case in ``WordVectorsError``'s declaration; exhaustive like the one
/// for ``QueryError``.
private func ordinal(_ error: WordVectorsError) -> Int {
    switch error {
    case .notAMatrix: 0
    case .rowCountMismatch: 1
    case .countsMismatch: 2
    case .duplicateWord: 3
    }
}

private let wordVectorsErrorCaseCount = 4

/// One value of every case, with the values its message must name.
private var wordVectorsErrorSamples: [(error: WordVectorsError, mentions: [String])] {
    [
        (.notAMatrix(shape: [2, 3, 4]), ["[2, 3, 4]"]),
        (.rowCountMismatch(words: 5, rows: 4), ["5 words", "4 vector rows"]),
        (.countsMismatch(words: 5, counts: 3), ["5 words", "3 counts"]),
        (.duplicateWord("apple"), ["\"apple\""]),
    ]
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("the samples hold exactly one value of every QueryError case")
    func everyQueryErrorCaseHasOneSample() {
        #expect(queryErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<queryErrorCaseCount))
    }

    @Test("every QueryError follows the house style")
    func queryErrorsFollowTheHouseStyle() {
        for (error, mentions) in queryErrorSamples {
            let violations = styleViolations(error, mentions: mentions)
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }

    @Test("an unknown word's remedy offers its suggestions as a question, and there is none without them")
    func unknownWordRemedy() {
        let suggested = QueryError.unknownWord("xyzzy", suggestions: ["xyz", "fizzy"])
        #expect(suggested.remedy == "Did you mean \"xyz\", \"fizzy\"?")
        let bare = QueryError.unknownWord("xyzzy", suggestions: [])
        #expect(bare.remedy == nil)
        #expect(styleViolations(bare, mentions: ["\"xyzzy\""]).isEmpty)
    }

    @Test("the verb agrees with the number of words given")
    func tooFewWordsAgreement() {
        let several = QueryError.tooFewWords(needed: 3, given: 2)
        #expect(styleViolations(several, mentions: ["at least 3 words", "2 were given"]).isEmpty)
    }

    @Test("the samples hold exactly one value of every WordVectorsError case")
    func everyWordVectorsErrorCaseHasOneSample() {
        #expect(wordVectorsErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<wordVectorsErrorCaseCount))
    }

    @Test("every WordVectorsError follows the house style")
    func wordVectorsErrorsFollowTheHouseStyle() {
        for (error, mentions) in wordVectorsErrorSamples {
            let violations = styleViolations(error, mentions: mentions)
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }
}

// MARK: - The house style (the same in every module's ErrorMessageTests.swift)

