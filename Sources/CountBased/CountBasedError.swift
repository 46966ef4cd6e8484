import CoreIO
import TensorCore

/// Why count-based embeddings could not be made.
public enum CountBasedError: Error, Equatable, ExplainedError {
    /// A configuration value is out of range; `reason` says which.
    case invalidConfiguration(reason: String)
    /// More dimensions were requested than there are words.
    case dimensionTooLarge(dimension: Int, vocabularySize: Int)
    /// No two in-vocabulary tokens occur within the window of each other.
    case noCooccurrences(windowSize: Int)
    /// Every PMI value is at most the shift, so the PPMI matrix is all zeros.
    case noPositivePMI
    /// The corpus is too long for 32-bit token positions.
    case corpusTooLong(tokens: Int)
    /// A LAPACK decomposition failed.
    case linearAlgebra(LinearAlgebraError)
    /// The caller cancelled the job through a `CancellationFlag`.
    case cancelled

    public var problem: String {
        switch self {
        case let .invalidConfiguration(reason):
            return "Invalid PPMI-SVD configuration: \(reason)."
        case let .dimensionTooLarge(dimension, vocabularySize):
            return "Cannot make \(dimension)-dimensional vectors from a vocabulary of \(vocabularySize) words; the dimension must not exceed the vocabulary size."
        case let .noCooccurrences(windowSize):
            return "No two in-vocabulary words occur within \(windowSize) tokens of each other, so there is nothing to count."
        case .noPositivePMI:
            return "Every pointwise mutual information value is at or below the shift, so the PPMI matrix is empty."
        case let .corpusTooLong(tokens):
            return "The corpus has \(tokens) tokens; co-occurrence counting supports at most \(UInt32.max)."
        case let .linearAlgebra(error):
            return "The singular value decomposition failed: \(error.problem)"
        case .cancelled:
            return "Making count-based embeddings was cancelled."
        }
    }
}

extension CountBasedError {
    public var remedy: String? {
        switch self {
        case let .dimensionTooLarge(_, vocabularySize):
            return "Choose a dimension of at most \(max(1, vocabularySize - 1)), or keep more words."
        case .noCooccurrences: return "Use a larger corpus or a lower minimum count."
        case .noPositivePMI: return "Lower the shift or use a larger corpus."
        case let .linearAlgebra(error): return error.remedy
        default: return nil
        }
    }
}
