import CoreIO
import ErrorStyleChecks
import ImageRecognition
import NeuralNetwork
import Testing

/// The position of `error`'s case in ``ImageRecognitionError``'s declaration. Exhaustive on purpose
/// (no `default`): a new case stops this file compiling until it has an ordinal here, a sample in
/// ``imageRecognitionErrorSamples`` and a new ``imageRecognitionErrorCaseCount``.
private func ordinal(_ error: ImageRecognitionError) -> Int {
    switch error {
    case .file: 0
    case .emptyDataSet: 1
    case .wrongValueCount: 2
    case .notANumber: 3
    case .pixelOutOfRange: 4
    case .labelOutOfRange: 5
    case .invalidSetting: 6
    case .imageShapeMismatch: 7
    case .network: 8
    }
}

private let imageRecognitionErrorCaseCount = 9
private let samplePath = "/data/images/digits.csv.gz"

/// The path a wrapped ``FileError``'s message begins with, or nil for messages that begin with a word.
private func leadingToken(_ error: ImageRecognitionError) -> String? {
    switch error {
    case let .file(error): error.path
    case .emptyDataSet, .wrongValueCount, .notANumber, .pixelOutOfRange, .labelOutOfRange, .invalidSetting,
         .imageShapeMismatch, .network: nil
    }
}

/// One value of every case, with the values its message must name.
private var imageRecognitionErrorSamples: [(error: ImageRecognitionError, mentions: [String])] {
    [
        (.file(.truncatedData(path: samplePath, format: "gzip")), [samplePath, "gzip", "truncated"]),
        (.emptyDataSet(path: samplePath), [samplePath, "no examples"]),
        (.wrongValueCount(path: samplePath, line: 3, expected: 65, actual: 64),
         ["Line 3", samplePath, "64 comma-separated values", "expected 65", "64 pixels"]),
        (.notANumber(path: samplePath, line: 12, column: 5, text: "n/a"), ["Value 5", "line 12", samplePath, "\"n/a\""]),
        (.pixelOutOfRange(path: samplePath, line: 14, column: 23, value: 17, range: 0...16),
         ["Pixel 23", "line 14", samplePath, "17.0", "0.0...16.0"]),
        (.labelOutOfRange(path: samplePath, line: 7, text: "10", classCount: 10), ["line 7", samplePath, "\"10\"", "0...9"]),
        (.invalidSetting(name: "batch size", value: "0", requirement: "at least 1"), ["batch size", "at least 1", "it is 0"]),
        (.imageShapeMismatch(expected: [1, 8, 8], actual: [1, 28, 28]), ["[1, 8, 8]", "[1, 28, 28]"]),
        (.network(.nonIntegerOutputSize(layer: "Convolution", dimension: "height", inputSize: 8, windowSize: 3, stride: 2, padding: 0)),
         ["Convolution", "height of 8", "window of 3", "stride 2", "5/2 + 1"]),
    ]
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("the samples hold exactly one value of every ImageRecognitionError case")
    func everyImageRecognitionErrorCaseHasOneSample() {
        #expect(imageRecognitionErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<imageRecognitionErrorCaseCount))
    }

    @Test("every ImageRecognitionError follows the house style")
    func imageRecognitionErrorsFollowTheHouseStyle() {
        for (error, mentions) in imageRecognitionErrorSamples {
            let violations = styleViolations(error, mentions: mentions, leadingToken: leadingToken(error))
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }
}

// MARK: - The house style (the same in every module's ErrorMessageTests.swift)

