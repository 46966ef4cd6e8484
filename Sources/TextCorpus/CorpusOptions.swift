/// What to do with bytes that are not well-formed UTF-8 (and with NUL bytes).
public enum InvalidUTF8Policy: String, Sendable, Equatable, Codable {
    /// Stop with ``CorpusError/invalidUTF8(path:byteOffset:)`` or ``CorpusError/nulByte(path:byteOffset:)``
    /// naming the offset of the first bad byte (the default: a binary or Latin-1 file is not
    /// silently trained on).
    case error
    /// Replace each maximal ill-formed subsequence (Unicode 15, section 3.9) and each NUL byte
    /// by U+FFFD, which becomes part of the surrounding token.
    case replace
    /// Drop ill-formed subsequences and NUL bytes; the bytes around them join up.
    case skip
}

/// How a corpus is tokenised and which words make the vocabulary.
///
/// Tokens are maximal runs of non-whitespace, where whitespace is Unicode's `White_Space`
/// (ASCII space, tab, line feed, vertical tab, form feed, carriage return, U+0085, U+00A0,
/// U+1680, U+2000...U+200A, U+2028, U+2029, U+202F, U+205F, U+3000), as Python's `str.split()`.
public struct CorpusOptions: Sendable, Equatable, Codable {
    /// Lower-case every token (ASCII in place; other scripts by Unicode's full lower-casing).
    public var lowercase = false
    /// A token emitted at the end of every line that holds at least one token (PTB style,
    /// e.g. `"<eos>"`), including a last line without a trailing newline; nil for none.
    /// Empty lines emit nothing. The marker is taken verbatim (never lower-cased) and must be
    /// non-empty and free of whitespace.
    public var endOfSentenceMarker: String? = nil
    /// What to do with invalid UTF-8 and NUL bytes.
    public var invalidUTF8: InvalidUTF8Policy = .error
    /// Words occurring fewer times are out of vocabulary (id -1). At least 1.
    public var minCount = 5
    /// Keep at most this many of the most frequent words (ties: first occurrence); nil for no limit.
    public var maxVocabularySize: Int? = nil
    /// The longest token accepted, in bytes; longer runs of non-whitespace are
    /// ``CorpusError/tokenTooLong(path:byteOffset:limit:)`` (memory stays bounded on any input).
    public var maximumTokenBytes = 1 << 16

    public init(lowercase: Bool = false, endOfSentenceMarker: String? = nil,
                invalidUTF8: InvalidUTF8Policy = .error, minCount: Int = 5,
                maxVocabularySize: Int? = nil, maximumTokenBytes: Int = 1 << 16) {
        self.lowercase = lowercase
        self.endOfSentenceMarker = endOfSentenceMarker
        self.invalidUTF8 = invalidUTF8
        self.minCount = minCount
        self.maxVocabularySize = maxVocabularySize
        self.maximumTokenBytes = maximumTokenBytes
    }

    /// Throws ``CorpusError/invalidOptions(reason:)`` for out-of-range settings.
    func validate() throws(CorpusError) {
        if minCount < 1 {
            throw .invalidOptions(reason: "the minimum count must be at least 1, but it is \(minCount)")
        }
        if let size = maxVocabularySize, size < 1 {
            throw .invalidOptions(reason: "the maximum vocabulary size must be at least 1, but it is \(size)")
        }
        if maximumTokenBytes < 1 {
            throw .invalidOptions(reason: "the maximum token length must be at least 1 byte, but it is \(maximumTokenBytes)")
        }
        if let marker = endOfSentenceMarker {
            if marker.isEmpty { throw .invalidOptions(reason: "the end-of-sentence marker must not be empty") }
            if marker.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
                throw .invalidOptions(reason: "the end-of-sentence marker \"\(marker)\" must not contain whitespace")
            }
        }
    }
}
