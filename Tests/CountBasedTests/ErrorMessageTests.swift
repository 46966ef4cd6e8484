import CoreIO
import ErrorStyleChecks
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

