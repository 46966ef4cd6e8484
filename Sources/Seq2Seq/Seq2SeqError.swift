import CoreIO

/// Why a seq2seq data file, model or prediction could not be used.
public enum Seq2SeqError: Error, Equatable, Sendable, ExplainedError {
    /// The file could not be read.
    case file(FileError)
    /// The file is not UTF-8 text.
    case notText(path: String)
    /// The file has no examples.
    case emptyFile(path: String)
    /// A line has no `_` between question and answer (`line` counts from 1).
    case missingSeparator(path: String, line: Int)
    /// Training needs at least two examples (one to train on, one held out).
    case tooFewExamples(path: String, count: Int)
    /// A question symbol the model never saw in training (`line` nil: the text given to predict).
    case unseenSymbol(symbol: String, line: Int?)
    /// A question is longer than the model's fixed input width.
    case questionTooLong(length: Int, width: Int, line: Int?)
    /// A setting is out of range; `reason` says which and why (a sentence fragment).
    case invalidConfiguration(reason: String)
    /// Stored tensors or settings do not fit together (a damaged or foreign archive).
    case invalidArchive(reason: String)
    /// Training was cancelled through a `CancellationFlag`.
    case cancelled
    /// The loss became NaN or infinite.
    case diverged(epoch: Int)

    public var problem: String {
        switch self {
        case let .file(error):
            return error.problem
        case let .notText(path):
            return "The file \"\(path)\" is not UTF-8 text."
        case let .emptyFile(path):
            return "The file \"\(path)\" holds no question_answer lines."
        case let .missingSeparator(path, line):
            return "Line \(line) of \"\(path)\" has no \"_\" between the question and the answer."
        case let .tooFewExamples(path, count):
            return "The file \"\(path)\" has \(count) example\(count == 1 ? "" : "s"), too few to hold one out for testing."
        case let .unseenSymbol(symbol, line):
            let shown = symbol == " " ? "a space" : symbol == "\t" ? "a tab" : "\"\(symbol)\""
            return "The question\(line.map { " on line \($0)" } ?? "") contains \(shown), a symbol the model never saw in training."
        case let .questionTooLong(length, width, line):
            return "The question\(line.map { " on line \($0)" } ?? "") has \(length) symbols, more than the model's input width of \(width)."
        case let .invalidConfiguration(reason):
            return "Invalid seq2seq settings: \(reason)."
        case let .invalidArchive(reason):
            return "The stored seq2seq model cannot be used: \(reason)."
        case .cancelled:
            return "Training the seq2seq model was cancelled."
        case let .diverged(epoch):
            return "Training diverged in epoch \(epoch): the loss is no longer finite."
        }
    }

    public var remedy: String? {
        switch self {
        case let .file(error): return error.remedy
        case .notText: return "Give a text file of question_answer lines, one example a line."
        case .emptyFile: return "Write one example a line as question_answer, e.g. \"582+639_1221\" (w2v seq2seq generate writes such files)."
        case .missingSeparator: return "Write each line as question_answer; the first \"_\" separates the input from the output."
        case .tooFewExamples: return "Give at least two lines (10% are held out to measure accuracy)."
        case .unseenSymbol: return "Use only symbols that occur in the model's training questions."
        case .questionTooLong: return "Shorten the question, or train on a file whose questions are padded to a wider width."
        case .invalidConfiguration: return nil
        case .invalidArchive: return "Train the model again with w2v seq2seq train."
        case .cancelled: return nil
        case .diverged: return "Lower the learning rate or the gradient-clipping norm."
        }
    }
}
