import CoreIO
import ErrorStyleChecks
import TextCorpus
import Testing
import Word2Vec

/// The position of `error`'s case in ``Word2VecError``'s declaration. Exhaustive on purpose (no
/// `default`): a new case stops this file compiling until it has an ordinal here, a sample in
/// ``word2VecErrorSamples`` and a new ``word2VecErrorCaseCount``.
private func ordinal(_ error: Word2VecError) -> Int {
    switch error {
    case .invalidHyperparameter: 0
    case .emptyVocabulary: 1
    case .emptyCorpus: 2
    case .dimensionMismatch: 3
    case .matrixShapeMismatch: 4
    case .corpus: 5
    case .cancelled: 6
    case .diverged: 7
    }
}

private let word2VecErrorCaseCount = 8
private let samplePath = "/data/corpus-7.txt"

/// One value of every case, with the values its message must name.
private var word2VecErrorSamples: [(error: Word2VecError, mentions: [String])] {
    [
        (.invalidHyperparameter(name: "window", value: "0", requirement: "must be at least 1"),
         ["window is 0", "must be at least 1"]),
        (.emptyVocabulary(minCount: 5), ["at least 5 times"]),
        (.emptyCorpus, []),
        (.dimensionMismatch(model: 100, configuration: 300), ["100-dimensional", "asks for 300"]),
        (.matrixShapeMismatch(expected: [7, 4], input: [7, 5], output: [6, 4]), ["[7, 4]", "[7, 5]", "[6, 4]"]),
        (.corpus(.invalidUTF8(path: samplePath, byteOffset: 1234)), [samplePath, "byte offset 1234"]),
        (.cancelled, []),
        (.diverged(fraction: 0.25, learningRate: 0.5), ["25.0%", "learning rate of 0.5"]),
    ]
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("the samples hold exactly one value of every Word2VecError case")
    func everyWord2VecErrorCaseHasOneSample() {
        #expect(word2VecErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<word2VecErrorCaseCount))
    }

    @Test("every Word2VecError follows the house style")
    func word2VecErrorsFollowTheHouseStyle() {
        for (error, mentions) in word2VecErrorSamples {
            let violations = styleViolations(error, mentions: mentions)
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }

    @Test("a corpus error is explained by its own problem and remedy, each once")
    func corpusErrorsAreWrapped() {
        let inners: [CorpusError] = [
            .invalidUTF8(path: samplePath, byteOffset: 1234), .fileNotFound(path: samplePath),
            .nulByte(path: samplePath, byteOffset: 9), .invalidOptions(reason: "the minimum count must be at least 1, but it is 0"),
        ]
        for inner in inners {
            let error = Word2VecError.corpus(inner)
            #expect(error.problem == inner.problem)
            #expect(error.remedy == inner.remedy)
            #expect(error.description == inner.description)
        }
    }
}

// MARK: - The house style (the same in every module's ErrorMessageTests.swift)

