import CoreIO
import ErrorStyleChecks
import NeuralNetwork
import Testing

/// The position of `error`'s case in ``NeuralNetworkError``'s declaration. Exhaustive on purpose
/// (no `default`): a new case stops this file compiling until it has an ordinal here, a sample in
/// ``neuralNetworkErrorSamples`` and a new ``neuralNetworkErrorCaseCount``.
private func ordinal(_ error: NeuralNetworkError) -> Int {
    switch error {
    case .shapeMismatch: 0
    case .idOutOfRange: 1
    case .labelOutOfRange: 2
    case .labelCountMismatch: 3
    case .invalidHyperparameter: 4
    case .backwardBeforeForward: 5
    case .nonIntegerOutputSize: 6
    case .windowLargerThanInput: 7
    }
}

private let neuralNetworkErrorCaseCount = 8

/// The code name a message begins with (an operation such as `affine1.weight.accumulateGradient`
/// may begin with a lower-case parameter name), or nil for messages that begin with a word.
private func leadingToken(_ error: NeuralNetworkError) -> String? {
    switch error {
    case let .shapeMismatch(operation, _, _), let .idOutOfRange(operation, _, _),
         let .labelCountMismatch(operation, _, _):
        operation
    case let .backwardBeforeForward(layer), let .nonIntegerOutputSize(layer, _, _, _, _, _),
         let .windowLargerThanInput(layer, _, _, _, _):
        layer
    case .labelOutOfRange, .invalidHyperparameter: nil
    }
}

/// One value of every case, with the values its message must name.
private var neuralNetworkErrorSamples: [(error: NeuralNetworkError, mentions: [String])] {
    [
        (.shapeMismatch(operation: "Affine.forward", expected: "[N, 3]", actual: [2, 5]),
         ["Affine.forward", "[N, 3]", "[2, 5]"]),
        (.idOutOfRange(operation: "Embedding.forward", id: 42, rowCount: 7), ["Embedding.forward", "42", "0..<7"]),
        (.labelOutOfRange(label: 9, classCount: 4), ["9", "0..<4"]),
        (.labelCountMismatch(operation: "SoftmaxWithLoss.forward", expected: 8, actual: 6),
         ["SoftmaxWithLoss.forward", "8 labels", "got 6"]),
        (.invalidHyperparameter(name: "learning rate", value: -0.5, requirement: "positive and finite"),
         ["learning rate", "positive and finite", "-0.5"]),
        (.backwardBeforeForward(layer: "Dropout"), ["Dropout.backward"]),
        (.nonIntegerOutputSize(layer: "Convolution", dimension: "height", inputSize: 7, windowSize: 3, stride: 3, padding: 0),
         ["Convolution", "height of 7", "window of 3", "stride 3", "padding 0", "4/3 + 1"]),
        (.windowLargerThanInput(layer: "MaxPooling", dimension: "width", inputSize: 2, windowSize: 5, padding: 1),
         ["MaxPooling", "width 5", "2 + 2·1 = 4"]),
    ]
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("the samples hold exactly one value of every NeuralNetworkError case")
    func everyNeuralNetworkErrorCaseHasOneSample() {
        #expect(neuralNetworkErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<neuralNetworkErrorCaseCount))
    }

    @Test("every NeuralNetworkError follows the house style")
    func neuralNetworkErrorsFollowTheHouseStyle() {
        for (error, mentions) in neuralNetworkErrorSamples {
            let violations = styleViolations(error, mentions: mentions, leadingToken: leadingToken(error))
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }

    @Test("a message may begin with a lower-case parameter name, and only with the one it names")
    func operationNamesLead() {
        let error = NeuralNetworkError.shapeMismatch(operation: "affine1.weight.accumulateGradient",
                                                     expected: "[3, 4]", actual: [4, 3])
        #expect(styleViolations(error, mentions: ["[3, 4]", "[4, 3]"], leadingToken: leadingToken(error)).isEmpty)
        #expect(!styleViolations(error, mentions: ["[3, 4]"], leadingToken: nil).isEmpty)
    }
}

// MARK: - The house style (the same in every module's ErrorMessageTests.swift)

