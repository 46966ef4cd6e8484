import CoreIO
import ErrorStyleChecks
import Testing
import TensorCore

/// The position of `error`'s case in ``LinearAlgebraError``'s declaration. Exhaustive on purpose
/// (no `default`): a new case stops this file compiling until it has an ordinal here, a sample in
/// ``linearAlgebraErrorSamples`` and a new ``linearAlgebraErrorCaseCount``.
private func ordinal(_ error: LinearAlgebraError) -> Int {
    switch error {
    case .didNotConverge: 0
    case .illegalArgument: 1
    case .nonFiniteInput: 2
    }
}

private let linearAlgebraErrorCaseCount = 3

/// One value of every case, with the values its message must name.
private var linearAlgebraErrorSamples: [(error: LinearAlgebraError, mentions: [String])] {
    [
        (.didNotConverge(routine: "sgesdd", info: 17), ["sgesdd", "17"]),
        (.illegalArgument(routine: "ssyevd", position: 4), ["ssyevd", "argument 4"]),
        (.nonFiniteInput(routine: "sgeqrf"), ["sgeqrf"]),
    ]
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("the samples hold exactly one value of every LinearAlgebraError case")
    func everyLinearAlgebraErrorCaseHasOneSample() {
        #expect(linearAlgebraErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<linearAlgebraErrorCaseCount))
    }

    @Test("every LinearAlgebraError follows the house style")
    func linearAlgebraErrorsFollowTheHouseStyle() {
        for (error, mentions) in linearAlgebraErrorSamples {
            let violations = styleViolations(error, mentions: mentions)
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }
}

// MARK: - The house style (the same in every module's ErrorMessageTests.swift)

