import CoreIO
import TensorCore

/// A misuse of a layer, loss, optimizer or helper of the NeuralNetwork module.
///
/// Layers run in hot training loops, so they do not throw: they validate their inputs with the
/// `validate...` functions below and stop with a precondition whose message is this error's
/// ``description``. The validation functions are separate so that every error path is tested,
/// and so that callers (e.g. the Word2Vec trainer) can check user input first and throw their own
/// errors instead of trapping.
public enum NeuralNetworkError: Error, Equatable, Sendable, ExplainedError {
    /// A tensor had the wrong shape for `operation`.
    case shapeMismatch(operation: String, expected: String, actual: [Int])
    /// A row id (word id) was outside `0..<rowCount`.
    case idOutOfRange(operation: String, id: Int, rowCount: Int)
    /// A class label was outside `0..<classCount`.
    case labelOutOfRange(label: Int, classCount: Int)
    /// The number of labels (targets) did not match the number of predictions.
    case labelCountMismatch(operation: String, expected: Int, actual: Int)
    /// A hyperparameter was outside its valid range.
    case invalidHyperparameter(name: String, value: Double, requirement: String)
    /// `backward` was called before `forward` (there is nothing cached to differentiate).
    case backwardBeforeForward(layer: String)
    /// A sliding window (convolution filter or pooling window) does not tile one dimension of its
    /// input: `(inputSize + 2·padding − windowSize) / stride + 1` is not an integer.
    case nonIntegerOutputSize(layer: String, dimension: String, inputSize: Int, windowSize: Int, stride: Int, padding: Int)
    /// A sliding window is larger than one dimension of its padded input (`inputSize + 2·padding`).
    case windowLargerThanInput(layer: String, dimension: String, inputSize: Int, windowSize: Int, padding: Int)

    public var problem: String {
        switch self {
        case let .shapeMismatch(operation, expected, actual):
            return "\(operation) expects a tensor of shape \(expected), but got shape \(actual)."
        case let .idOutOfRange(operation, id, rowCount):
            return "\(operation) got row id \(id), which is outside 0..<\(rowCount)."
        case let .labelOutOfRange(label, classCount):
            return "Class label \(label) is outside 0..<\(classCount)."
        case let .labelCountMismatch(operation, expected, actual):
            return "\(operation) expects \(expected) labels (one per prediction), but got \(actual)."
        case let .invalidHyperparameter(name, value, requirement):
            return "The \(name) must be \(requirement), but it is \(value)."
        case let .backwardBeforeForward(layer):
            return "\(layer).backward was called before forward; there is nothing to differentiate."
        case let .nonIntegerOutputSize(layer, dimension, size, window, stride, padding):
            let numerator = size + 2 * padding - window
            return "\(layer) cannot tile an input \(dimension) of \(size) with a window of \(window), stride \(stride) "
                + "and padding \(padding): the output \(dimension) (\(size) + 2·\(padding) − \(window)) / \(stride) + 1 "
                + "= \(numerator)/\(stride) + 1 is not an integer."
        case let .windowLargerThanInput(layer, dimension, size, window, padding):
            return "\(layer)'s window \(dimension) \(window) is larger than the padded input \(dimension) "
                + "\(size) + 2·\(padding) = \(size + 2 * padding)."
        }
    }

    public var remedy: String? {
        switch self {
        case let .nonIntegerOutputSize(_, dimension, size, window, stride, padding):
            if let better = (padding...(padding + stride)).first(where: { (size + 2 * $0 - window) % stride == 0 }) {
                return "Use padding \(better), a stride that divides \(size + 2 * padding - window), or an input \(dimension) "
                    + "for which \(dimension) + 2·padding − \(window) is a multiple of \(stride)."
            }
            return "Use a stride that divides \(size + 2 * padding - window), or an input \(dimension) for which "
                + "\(dimension) + 2·padding − \(window) is a multiple of \(stride)."
        case .windowLargerThanInput:
            return "Use a smaller window, more padding, or a larger input."
        default:
            return nil
        }
    }
}

/// Stops with `error`'s message when `body` throws: how layers turn a failed validation into a
/// precondition failure (a programming error) with a clear message.
@inline(__always)
func require(_ body: () throws(NeuralNetworkError) -> Void) {
    do { try body() } catch { preconditionFailure(error.description) }
}

/// The value of `body`, or a stop with the error's message when it throws (``require(_:)`` for
/// validations that compute something, such as an output shape).
@inline(__always)
func required<T>(_ body: () throws(NeuralNetworkError) -> T) -> T {
    do { return try body() } catch { preconditionFailure(error.description) }
}

/// The validation functions behind every precondition of the module. The operation name is an
/// autoclosure so that passing validations in hot loops build no strings.
enum Validate {
    /// `tensor` must be a matrix `[rows?, columns?]` (nil = any extent).
    static func matrix(_ tensor: Tensor, rows: Int? = nil, columns: Int? = nil,
                       _ operation: @autoclosure () -> String) throws(NeuralNetworkError) {
        let ok = tensor.rank == 2 && (rows == nil || tensor.shape[0] == rows!)
            && (columns == nil || tensor.shape[1] == columns!)
        if !ok {
            let expected = "[\(rows.map(String.init) ?? "N"), \(columns.map(String.init) ?? "D")]"
            throw .shapeMismatch(operation: operation(), expected: expected, actual: tensor.shape)
        }
    }

    /// `tensor` must have exactly `shape`.
    static func shape(_ tensor: Tensor, _ shape: [Int], _ operation: @autoclosure () -> String) throws(NeuralNetworkError) {
        if tensor.shape != shape {
            throw .shapeMismatch(operation: operation(), expected: "\(shape)", actual: tensor.shape)
        }
    }

    /// `tensor` must hold exactly `count` elements (any shape).
    static func elementCount(_ tensor: Tensor, _ count: Int, _ operation: @autoclosure () -> String) throws(NeuralNetworkError) {
        if tensor.count != count {
            throw .shapeMismatch(operation: operation(), expected: "any shape with \(count) elements", actual: tensor.shape)
        }
    }

    /// Every id must be in `0..<rowCount`.
    static func ids(_ ids: [Int], rowCount: Int, _ operation: @autoclosure () -> String) throws(NeuralNetworkError) {
        for id in ids where id < 0 || id >= rowCount {
            throw .idOutOfRange(operation: operation(), id: id, rowCount: rowCount)
        }
    }

    /// One class label per row, each in `0..<classCount`.
    static func classLabels(_ labels: [Int], rows: Int, classCount: Int, _ operation: @autoclosure () -> String) throws(NeuralNetworkError) {
        if labels.count != rows { throw .labelCountMismatch(operation: operation(), expected: rows, actual: labels.count) }
        for label in labels where label < 0 || label >= classCount {
            throw .labelOutOfRange(label: label, classCount: classCount)
        }
    }

    /// `count` labels for `expected` predictions.
    static func labelCount(_ count: Int, expected: Int, _ operation: @autoclosure () -> String) throws(NeuralNetworkError) {
        if count != expected { throw .labelCountMismatch(operation: operation(), expected: expected, actual: count) }
    }

    /// A hyperparameter that must satisfy `condition`, described by `requirement`.
    static func hyperparameter(_ name: String, _ value: Float, _ requirement: String,
                               _ condition: (Float) -> Bool) throws(NeuralNetworkError) {
        if !condition(value) || value.isNaN {
            throw .invalidHyperparameter(name: name, value: Double(value), requirement: requirement)
        }
    }

    static func positive(_ name: String, _ value: Float) throws(NeuralNetworkError) {
        try hyperparameter(name, value, "positive and finite") { $0 > 0 && $0.isFinite }
    }

    static func nonNegative(_ name: String, _ value: Float) throws(NeuralNetworkError) {
        try hyperparameter(name, value, "non-negative and finite") { $0 >= 0 && $0.isFinite }
    }

    /// A decay/momentum/dropout rate in `[0, 1)`.
    static func unitInterval(_ name: String, _ value: Float) throws(NeuralNetworkError) {
        try hyperparameter(name, value, "in [0, 1)") { $0 >= 0 && $0 < 1 }
    }

    /// A count (e.g. batch size, epochs) that must be at least 1.
    static func atLeastOne(_ name: String, _ value: Int) throws(NeuralNetworkError) {
        if value < 1 { throw .invalidHyperparameter(name: name, value: Double(value), requirement: "at least 1") }
    }

    /// A size such as a padding that must be at least 0.
    static func notNegative(_ name: String, _ value: Int) throws(NeuralNetworkError) {
        if value < 0 { throw .invalidHyperparameter(name: name, value: Double(value), requirement: "at least 0") }
    }

    /// `shape` must be that of an NCHW batch `[N, channels?, H, W]`.
    static func imageBatch(_ shape: [Int], channels: Int? = nil, _ operation: @autoclosure () -> String) throws(NeuralNetworkError) {
        if shape.count != 4 || (channels != nil && shape[1] != channels!) {
            throw .shapeMismatch(operation: operation(), expected: "[N, \(channels.map(String.init) ?? "C"), H, W]",
                                 actual: shape)
        }
    }

    /// A cache that `backward` needs must have been filled by `forward`.
    static func cached<T>(_ value: T?, _ layer: String) throws(NeuralNetworkError) -> T {
        guard let value else { throw .backwardBeforeForward(layer: layer) }
        return value
    }
}

/// Unwraps a forward cache or stops with ``NeuralNetworkError/backwardBeforeForward(layer:)``.
@inline(__always)
func requireCached<T>(_ value: T?, _ layer: String) -> T {
    do { return try Validate.cached(value, layer) } catch { preconditionFailure(error.description) }
}
