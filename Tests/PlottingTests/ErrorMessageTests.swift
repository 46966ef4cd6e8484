import CoreIO
import ErrorStyleChecks
import Plotting
import Testing

/// The position of `error`'s case in ``PlotError``'s declaration. Exhaustive on purpose (no
/// `default`): a new case stops this file compiling until it has an ordinal here, a sample in
/// ``plotErrorSamples`` and a new ``plotErrorCaseCount``.
private func ordinal(_ error: PlotError) -> Int {
    switch error {
    case .noData: 0
    case .nonFinite: 1
    case .cannotWrite: 2
    }
}

private let plotErrorCaseCount = 3

/// One value of every case, with the values its message must name.
private var plotErrorSamples: [(error: PlotError, mentions: [String])] {
    [
        (.noData(what: "the series validation perplexity has no points"), ["the series validation perplexity has no points"]),
        (.nonFinite(what: "point coordinates"), ["(point coordinates)"]),
        (.cannotWrite(.writeFailed(path: "/home/ana/plots/words.svg", reason: "No space left on device")),
         ["/home/ana/plots/words.svg", "No space left on device"]),
    ]
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("the samples hold exactly one value of every PlotError case")
    func everyPlotErrorCaseHasOneSample() {
        #expect(plotErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<plotErrorCaseCount))
    }

    @Test("every PlotError follows the house style")
    func plotErrorsFollowTheHouseStyle() {
        for (error, mentions) in plotErrorSamples {
            let violations = styleViolations(error, mentions: mentions)
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }
}

// MARK: - The house style (the same in every module's ErrorMessageTests.swift)

