import CoreIO
import TextCorpus

/// Why a language model could not be configured, trained, evaluated or used.
public enum LanguageModelError: Error, Equatable, Sendable, ExplainedError {
    /// A setting is out of range; `reason` says which and why (a sentence fragment).
    case invalidConfiguration(reason: String)
    /// `--config NAME` names no preset.
    case unknownPreset(name: String, known: [String])
    /// The corpus could not be read.
    case corpus(CorpusError)
    /// The corpus has too few tokens for one mini-batch of `batchSize` streams.
    case corpusTooShort(path: String, tokens: Int, needed: Int)
    /// Every word of an evaluation corpus is outside the training vocabulary.
    case onlyUnknownWords(path: String)
    /// A generation start word is not in the model's vocabulary.
    case unknownStartWord(String)
    /// Generation needs at least one start word.
    case noStartWords
    /// Stored tensors do not fit the configuration (a damaged or foreign archive).
    case invalidArchive(reason: String)
    /// Pretrained vectors cannot initialise the embedding.
    case incompatibleEmbeddings(reason: String)
    /// Training or evaluation was cancelled through a `CancellationFlag`.
    case cancelled
    /// The loss became NaN or infinite (the learning rate is too high for this model).
    case diverged(epoch: Int)

    public var problem: String {
        switch self {
        case let .invalidConfiguration(reason):
            return "Invalid language-model settings: \(reason)."
        case let .unknownPreset(name, known):
            return "There is no language-model configuration named \"\(name)\" (known: \(known.joined(separator: ", ")))."
        case let .corpus(error):
            return error.problem
        case let .corpusTooShort(path, tokens, needed):
            return "The corpus \"\(path)\" has \(tokens) tokens, too few for the mini-batch: at least \(needed) are needed."
        case let .onlyUnknownWords(path):
            return "Every word of \"\(path)\" is outside the training vocabulary, so there is nothing to measure."
        case let .unknownStartWord(word):
            return "The start word \"\(word)\" is not in the model's vocabulary."
        case .noStartWords:
            return "Generation needs at least one start word."
        case let .invalidArchive(reason):
            return "The stored language model cannot be used: \(reason)."
        case let .incompatibleEmbeddings(reason):
            return "The pretrained vectors cannot initialise the embedding: \(reason)."
        case .cancelled:
            return "Training the language model was cancelled."
        case let .diverged(epoch):
            return "Training diverged in epoch \(epoch): the loss is no longer finite."
        }
    }

    public var remedy: String? {
        switch self {
        case .corpus(let error): return error.remedy
        case .corpusTooShort: return "Use a longer corpus or a smaller batch size (--batch) and time size (--time)."
        case .onlyUnknownWords: return "Evaluate on text of the same language and tokenisation as the training corpus."
        case .unknownStartWord: return "Choose start words that occur in the training corpus (PTB is lower-case)."
        case .diverged: return "Lower the learning rate (--lr) or the clipping threshold (--clip)."
        case .unknownPreset: return "Use --config rnnlm, small or better."
        default: return nil
        }
    }
}
