import CoreIO
import TextCorpus

/// Everything that can go wrong when configuring or running word2vec training.
///
/// Bad hyperparameters are reported before any work starts; `cancelled` means a
/// ``CancellationFlag`` stopped training and no half-trained model was returned.
public enum Word2VecError: Error, Equatable, ExplainedError {
    /// A hyperparameter is outside its valid range; `requirement` says what is allowed.
    case invalidHyperparameter(name: String, value: String, requirement: String)
    /// No word of the vocabulary occurs at least `minCount` times.
    case emptyVocabulary(minCount: Int)
    /// The corpus has no token that belongs to the vocabulary, so there is nothing to train on.
    case emptyCorpus
    /// A model being trained further was made with another vector length.
    case dimensionMismatch(model: Int, configuration: Int)
    /// Matrices given to ``Word2VecModel/init(configuration:vocabulary:inputVectors:outputVectors:)``
    /// do not have one row per word and the configuration's dimension.
    case matrixShapeMismatch(expected: [Int], input: [Int], output: [Int])
    /// Reading or encoding a corpus failed.
    case corpus(CorpusError)
    /// Training was stopped by a ``CancellationFlag``.
    case cancelled
    /// The loss or the weights became NaN or infinite (`fraction` of training was done,
    /// `learningRate` was the starting rate): the learning rate is too high for the settings.
    case diverged(fraction: Double, learningRate: Float)

    public var problem: String {
        switch self {
        case let .invalidHyperparameter(name, value, requirement):
            return "The word2vec hyperparameter \(name) is \(value), but it \(requirement)."
        case let .emptyVocabulary(minCount):
            return "No word occurs at least \(minCount) times (min-count), so the vocabulary is empty."
        case .emptyCorpus:
            return "The corpus has no token from the vocabulary, so there is nothing to train on."
        case let .dimensionMismatch(model, configuration):
            return "The model has \(model)-dimensional vectors but the configuration asks for \(configuration)."
        case let .matrixShapeMismatch(expected, input, output):
            return "A word2vec model needs input and output matrices of shape \(expected) (words × dimension), but they have shapes \(input) and \(output)."
        case let .corpus(error):
            // The corpus error's own sentence (it names the file); its remedy stays the remedy.
            return error.problem
        case .cancelled:
            return "Training was cancelled before it finished; no model was produced."
        case let .diverged(fraction, rate):
            let percent = (fraction * 1000).rounded() / 10
            return "Training diverged: the loss became NaN or infinite at \(percent)% of training with a starting "
                + "learning rate of \(rate); no model was produced."
        }
    }
}

extension Word2VecError {
    public var remedy: String? {
        switch self {
        case .emptyVocabulary: return "Lower min-count or use a larger corpus."
        case .diverged: return "Lower the learning rate (alpha), the window or the number of negative samples."
        case .dimensionMismatch: return "Continue training with the model's dimension."
        case let .corpus(error): return error.remedy
        default: return nil
        }
    }
}
