import CoreIO
/// Why an evaluation set could not be read or an evaluation could not be run.
public enum EvaluationError: Error, Equatable, Sendable, ExplainedError {
    /// There is no file at the path.
    case fileNotFound(path: String)
    /// The file exists but cannot be read.
    case unreadableFile(path: String, reason: String)
    /// The file is not valid UTF-8 text.
    case notUTF8(path: String)
    /// Line `line` (1-based) of `source` does not have the expected form.
    case malformedLine(source: String, line: Int, content: String, expected: String)
    /// An analogy question appears before the first `: section` header.
    case questionOutsideSection(source: String, line: Int)
    /// The file holds no questions or pairs at all.
    case emptySet(source: String)
    /// No word pair has both words in the (restricted) vocabulary, so no correlation exists.
    case noPairsInVocabulary(source: String, pairs: Int)
    /// A vocabulary restriction below 1 was asked for.
    case invalidRestriction(Int)

    public var problem: String {
        switch self {
        case let .fileNotFound(path):
            return "There is no evaluation file at \(path)."
        case let .unreadableFile(path, reason):
            return "Cannot read the evaluation file \(path): \(reason)."
        case let .notUTF8(path):
            return "The evaluation file \(path) is not UTF-8 text."
        case let .malformedLine(source, line, content, expected):
            return "Line \(line) of \(source) is malformed: expected \(expected), found \"\(content)\"."
        case let .questionOutsideSection(source, line):
            return "Line \(line) of \(source) is a question before any \": section\" header; every question must belong to a section."
        case let .emptySet(source):
            return "There are no evaluation items in \(source)."
        case let .noPairsInVocabulary(source, pairs):
            return "None of the \(pairs) word pairs of \(source) has both words in the vocabulary, so no correlation can be computed."
        case let .invalidRestriction(limit):
            return "The vocabulary restriction must be at least 1 word, but \(limit) was given."
        }
    }
}
