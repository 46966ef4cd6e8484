import CoreIO
/// Why a query on ``WordVectors`` could not be answered.
public enum QueryError: Error, Equatable, Sendable, ExplainedError {
    /// The word is not in the vocabulary; `suggestions` holds up to three close spellings that are.
    case unknownWord(String, suggestions: [String])
    /// The query needs at least `needed` words but got `given`.
    case tooFewWords(needed: Int, given: Int)
    /// None of the words of a phrase is in the vocabulary.
    case noKnownWords([String])
    /// The vectors hold no words, so nothing can be returned.
    case emptyVocabulary
    /// A query vector has `actual` elements but the vectors have `expected` dimensions.
    case dimensionMismatch(expected: Int, actual: Int)
    /// A query vector (or an analogy's `b - a + c`) has zero length, so it has no direction.
    case zeroVector
    /// The stored vector of a word has zero length or holds NaN or infinity, so cosine
    /// similarity with it means nothing.
    case degenerateVector(String)
    /// A result count below 1 was asked for.
    case invalidCount(Int)
    /// A vocabulary restriction below 1 was asked for.
    case invalidRestriction(Int)
    /// A batched query gave a different number of exclusion lists than queries.
    case exclusionCountMismatch(queries: Int, exclusions: Int)

    public var problem: String {
        switch self {
        case let .unknownWord(word, _):
            return "The word \"\(word)\" is not in the vocabulary."
        case let .tooFewWords(needed, given):
            return "This query needs at least \(needed) words, but \(given) \(given == 1 ? "was" : "were") given."
        case let .noKnownWords(words):
            return "None of the words \(words.map { "\"\($0)\"" }.joined(separator: ", ")) is in the vocabulary, so no vector can be formed."
        case .emptyVocabulary:
            return "The word vectors hold no words, so there is nothing to compare with."
        case let .dimensionMismatch(expected, actual):
            return "The query vector has \(actual) elements, but the word vectors have \(expected) dimensions."
        case .zeroVector:
            return "The query vector has zero length, so it has no direction to compare by cosine similarity."
        case let .degenerateVector(word):
            return "The vector of \"\(word)\" has zero length or holds NaN or infinity, so it has no direction "
                + "to compare by cosine similarity; the model is damaged or the word was never trained."
        case let .invalidCount(count):
            return "The number of results must be at least 1, but \(count) was asked for."
        case let .invalidRestriction(limit):
            return "The vocabulary restriction must be at least 1 word, but \(limit) was given."
        case let .exclusionCountMismatch(queries, exclusions):
            return "There are \(queries) queries but \(exclusions) exclusion lists; give one list per query."
        }
    }
}

extension QueryError {
    public var remedy: String? {
        guard case let .unknownWord(_, suggestions) = self, !suggestions.isEmpty else { return nil }
        return "Did you mean " + suggestions.map { "\"\($0)\"" }.joined(separator: ", ") + "?"
    }
}
