import CoreIO
import NeuralNetwork

/// What can go wrong reading image data sets, building convolutional networks or writing
/// filter pictures.
public enum ImageRecognitionError: Error, Equatable, Sendable, ExplainedError {
    /// Opening, reading (or decompressing) or writing a file failed.
    case file(FileError)
    /// A data set file held no examples.
    case emptyDataSet(path: String)
    /// A line held `actual` comma-separated values instead of `expected`.
    case wrongValueCount(path: String, line: Int, expected: Int, actual: Int)
    /// A value was not a number.
    case notANumber(path: String, line: Int, column: Int, text: String)
    /// A pixel value was outside the data set's range.
    case pixelOutOfRange(path: String, line: Int, column: Int, value: Double, range: ClosedRange<Double>)
    /// A label was not an integer in `0..<classCount`.
    case labelOutOfRange(path: String, line: Int, text: String, classCount: Int)
    /// A setting (epochs, batch size, split fraction, ...) was outside its valid range.
    case invalidSetting(name: String, value: String, requirement: String)
    /// A network for images of shape `expected` ([C, H, W]) was given images of shape `actual`.
    case imageShapeMismatch(expected: [Int], actual: [Int])
    /// The network's layers do not fit the image size (e.g. the convolution does not tile it).
    case network(NeuralNetworkError)

    public var problem: String {
        switch self {
        case let .file(error):
            return error.problem
        case let .emptyDataSet(path):
            return "The data set \(path) holds no examples."
        case let .wrongValueCount(path, line, expected, actual):
            return "Line \(line) of \(path) has \(actual) comma-separated values; expected \(expected) "
                + "(\(expected - 1) pixels, then the label)."
        case let .notANumber(path, line, column, text):
            return "Value \(column) on line \(line) of \(path) is \"\(text)\", which is not a number."
        case let .pixelOutOfRange(path, line, column, value, range):
            return "Pixel \(column) on line \(line) of \(path) is \(value), outside \(range.lowerBound)...\(range.upperBound)."
        case let .labelOutOfRange(path, line, text, classCount):
            return "The label on line \(line) of \(path) is \"\(text)\"; labels must be whole numbers 0...\(classCount - 1)."
        case let .invalidSetting(name, value, requirement):
            return "The \(name) must be \(requirement), but it is \(value)."
        case let .imageShapeMismatch(expected, actual):
            return "The network takes images of shape \(expected) ([C, H, W]), but the data's images have shape \(actual)."
        case let .network(error):
            return error.problem
        }
    }

    public var remedy: String? {
        switch self {
        case let .file(error): return error.remedy
        case .emptyDataSet, .wrongValueCount, .notANumber, .pixelOutOfRange, .labelOutOfRange:
            return "Each line must hold the pixel values of one image, comma-separated, then its label."
        case .invalidSetting: return nil
        case .imageShapeMismatch: return "Build the network for the data's image shape."
        case let .network(error): return error.remedy
        }
    }
}
