import CountBased
import LanguageModels
import Embeddings
import Evaluation
import TextCorpus
import VectorFormats
import ModelStorage
import Word2Vec

/// Library errors turned into ``CommandFailure``s: the library's own full-sentence message,
/// plus a second line that says how to fix it where the fix is known.
enum ErrorHints {
    static func failure(for error: any Error) -> CommandFailure? {
        failure(for: error, store: nil)
    }

    static func failure(for error: any Error, store: StoreAccess?, model: String? = nil,
                        modelMethod: String? = nil) -> CommandFailure? {
        let storeFlag = store?.storeFlag ?? ""
        switch error {
        case let error as StoreError:
            switch error {
            case let .modelNotFound(name, available):
                let where_ = store.map { " in \($0.path)" } ?? ""
                if available.isEmpty {
                    return CommandFailure("There is no model named \"\(name)\"\(where_); the store holds no models.",
                                          hint: "Train one with: w2v train --name \(shellQuoted(name))\(storeFlag)", kind: .notFound)
                }
                return CommandFailure("There is no model named \"\(name)\"\(where_).",
                                      hint: "Available: \(available.joined(separator: ", ")). See them with: w2v models\(storeFlag)",
                                      kind: .notFound)
            case .fileNotFound:
                return CommandFailure(error.problem,
                                      hint: "Create one with: w2v train\(storeFlag)")
            case .cannotOpen:
                return CommandFailure(error.problem,
                                      hint: "Check that its directory exists and is writable, or choose another file with --store FILE.")
            case .notAStore:
                return CommandFailure(error.problem, hint: "Choose another store with --store FILE (or $W2V_STORE).")
            case .corrupt:
                return CommandFailure(error.problem, hint: "Restore it from a backup or re-create it, or choose another store "
                                          + "with --store FILE (or $W2V_STORE).")
            case let .wrongKind(name, found, _) where found == "language-model":
                return CommandFailure(error.problem,
                                      hint: "Word-vector commands need a word2vec or PPMI-SVD model (see: w2v models\(storeFlag)); "
                                          + "use the language model with: w2v lm generate --name \(shellQuoted(name)) --start WORDS\(storeFlag)")
            default:
                return CommandFailure(explaining: error)
            }
        case let error as QueryError:
            switch error {
            case let .unknownWord(word, suggestions):
                let inModel = model.map { " of model \"\($0)\"" } ?? ""
                let rare = modelMethod == "imported"
                    ? "the imported vectors hold only the words of the file they came from."
                    : "words rarer than the model's --min-count are not in it."
                let hint = suggestions.isEmpty
                    ? "Check the spelling; " + rare
                    : "Did you mean: \(suggestions.joined(separator: ", "))?"
                return CommandFailure("\"\(word)\" is not in the vocabulary\(inModel).", hint: hint, kind: .notFound)
            case .degenerateVector, .emptyVocabulary:
                return CommandFailure(explaining: error)
            default:
                var failure = CommandFailure(explaining: error)
                failure.kind = .invalidInput
                return failure
            }
        case let error as CorpusError:
            switch error {
            case .fileNotFound:
                return CommandFailure(error.problem,
                                      hint: "Check the path, or run w2v train without a corpus to use the sample corpus.")
            case .invalidUTF8, .nulByte:
                return CommandFailure(error.problem,
                                      hint: "Convert it to UTF-8 first, e.g. iconv -f latin1 -t utf-8 IN > OUT.")
            case .noWordsAfterMinCount:
                return CommandFailure(error.problem, hint: "For a small corpus try: w2v train FILE --min-count 1")
            case .cancelled:
                return interrupted(storePath: store?.path)
            default:
                return CommandFailure(explaining: error)
            }
        case let error as CountBasedError:
            switch error {
            case let .dimensionTooLarge(_, vocabularySize):
                return CommandFailure(error.problem,
                                      hint: "Choose --dimension \(max(1, vocabularySize - 1)) or less, or lower --min-count to keep more words.")
            case .cancelled:
                return interrupted(storePath: store?.path)
            default:
                return CommandFailure(explaining: error)
            }
        case let error as Word2VecError:
            switch error {
            case .emptyVocabulary:
                return CommandFailure(error.problem, hint: "For a small corpus try: w2v train FILE --min-count 1")
            case let .corpus(inner):
                return failure(for: inner, store: store, model: model)
            case let .diverged(_, rate):
                return CommandFailure(error.problem,
                                      hint: "Lower --alpha (it started at \(rate); try \(rate / 4)), or use a smaller --window or fewer --negative samples.")
            case .cancelled:
                return interrupted(storePath: store?.path)
            default:
                return CommandFailure(explaining: error)
            }
        case let error as VectorFormatError:
            switch error {
            case .fileNotFound:
                return CommandFailure(error.problem,
                                      hint: "Give the path of a word2vec text (.txt, .vec), word2vec binary (.bin) or GloVe file "
                                          + "(vectors written by other tools are in this repository's data: ../shared/data/vectors/).")
            default:
                return CommandFailure(explaining: error)
            }
        case let error as EvaluationError:
            switch error {
            case .fileNotFound:
                return CommandFailure(error.problem,
                                      hint: "The Google analogy set is questions-words.txt and WordSim-353 is wordsim353.tsv "
                                          + "(in this repository's data: ../shared/data/eval/); give the file's path.")
            default:
                return CommandFailure(explaining: error)
            }
        case let error as WordVectorsError:
            return CommandFailure(explaining: error)
        case let error as LanguageModelError:
            switch error {
            case let .corpus(inner):
                return failure(for: inner, store: store, model: model)
            case .cancelled:
                return interrupted(storePath: store?.path)
            default:
                return CommandFailure(explaining: error)
            }
        default:
            return nil
        }
    }

    /// The failure after Ctrl-C: status 130, and a reminder that the store is untouched.
    static func interrupted(storePath: String?) -> CommandFailure {
        CommandFailure("Interrupted; nothing was stored.",
                       hint: storePath.map { "The models already in \($0) are unchanged." },
                       exitCode: CommandFailure.interruptedExitCode)
    }
}
