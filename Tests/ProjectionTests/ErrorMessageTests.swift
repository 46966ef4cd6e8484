import CoreIO
import ErrorStyleChecks
import Projection
import Testing

/// The position of `error`'s case in ``ProjectionError``'s declaration. Exhaustive on purpose (no
/// `default`): a new case stops this file compiling until it has an ordinal here, a sample in
/// ``projectionErrorSamples`` and a new ``projectionErrorCaseCount``.
private func ordinal(_ error: ProjectionError) -> Int {
    switch error {
    case .tooFewPoints: 0
    case .tooManyPoints: 1
    case .inconsistentDimensions: 2
    case .nonFinite: 3
    case .invalidParameter: 4
    case .decompositionFailed: 5
    }
}

private let projectionErrorCaseCount = 6

/// The method name a message begins with (`t-SNE` is spelled with a lower-case t), or nil for
/// messages that begin with a word.
private func leadingToken(_ error: ProjectionError) -> String? {
    switch error {
    case let .tooFewPoints(_, _, method), let .tooManyPoints(_, _, method): method
    case .inconsistentDimensions, .nonFinite, .invalidParameter, .decompositionFailed: nil
    }
}

/// One value of every case, with the values its message must name.
private var projectionErrorSamples: [(error: ProjectionError, mentions: [String])] {
    [
        (.tooFewPoints(count: 1, minimum: 2, method: "PCA"), ["PCA", "at least 2 points", "got 1"]),
        (.tooManyPoints(count: 4500, maximum: StochasticNeighborEmbedding.maximumPoints, method: "t-SNE"),
         ["t-SNE", "at most \(StochasticNeighborEmbedding.maximumPoints) points", "got 4500"]),
        (.inconsistentDimensions(expected: 300, found: 299, row: 17), ["Point 17", "299 components", "has 300"]),
        (.nonFinite(row: 42), ["Point 42"]),
        // A whole number prints without ".0".
        (.invalidParameter(name: "number of iterations", value: 200_000, allowed: "between 0 and 100000"), ["iterations 200000 is", "between 0 and 100000"]),
        // The reason is the LinearAlgebraError's description, as PrincipalComponents passes it on.
        (.decompositionFailed(reason: "LAPACK's sgesdd did not converge (info = 3); the matrix may be badly scaled or contain extreme values."),
         ["sgesdd did not converge (info = 3)"]),
    ]
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("the samples hold exactly one value of every ProjectionError case")
    func everyProjectionErrorCaseHasOneSample() {
        #expect(projectionErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<projectionErrorCaseCount))
    }

    @Test("every ProjectionError follows the house style")
    func projectionErrorsFollowTheHouseStyle() {
        for (error, mentions) in projectionErrorSamples {
            let violations = styleViolations(error, mentions: mentions, leadingToken: leadingToken(error))
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }
}

// MARK: - The house style (the same in every module's ErrorMessageTests.swift)

