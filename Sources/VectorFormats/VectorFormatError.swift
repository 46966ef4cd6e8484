import CoreIO

/// Where in a vector file something was found: a 1-based line of a text file, or a 0-based
/// byte offset into a binary file.
public enum FileLocation: Sendable, Equatable, CustomStringConvertible {
    /// A 1-based line number (the header, when there is one, is line 1).
    case line(Int)
    /// A 0-based byte offset from the start of the file.
    case byteOffset(Int)

    public var description: String {
        switch self {
        case let .line(number): return "line \(number)"
        case let .byteOffset(offset): return "byte offset \(offset)"
        }
    }
}

/// Why a vector file could not be read, detected or written.
///
/// Every case that concerns the file's contents says where (line or byte offset), so that a
/// user can open the file at the right place.
public enum VectorFormatError: Error, Sendable, Equatable, ExplainedError {
    /// There is no file at the path.
    case fileNotFound(path: String)
    /// The operating system refused to open, read or stat the file.
    case cannotRead(path: String, reason: String)
    /// The file has no content at all.
    case emptyFile(path: String)
    /// The contents look like none of the supported formats.
    case unrecognizedFormat(path: String)
    /// The first line of a word2vec file is not `<vocabulary size> <dimension>`.
    case invalidHeader(line: Int, text: String)
    /// The header declares a different number of words than the file holds.
    case headerCountMismatch(declared: Int, found: Int)
    /// The header's word count and dimension need more bytes than the file has (checked before
    /// anything is allocated, so a lying header cannot exhaust memory).
    case headerExceedsFile(words: Int, dimension: Int, availableBytes: Int, binary: Bool)
    /// The file is well-formed but holds no vectors at all.
    case noVectors(path: String)
    /// A text line has a different number of numbers than the dimension.
    case wrongFloatCount(line: Int, expected: Int, found: Int)
    /// A token on a text line is not a finite decimal number.
    case invalidNumber(line: Int, token: String)
    /// A binary file ends in the middle of a word or a vector.
    case truncated(byteOffset: Int)
    /// A word is not valid UTF-8.
    case invalidUTF8(at: FileLocation)
    /// A word appears a second time.
    case duplicateWord(String, at: FileLocation)
    /// A binary record has an empty word (a space where the word should start).
    case emptyWord(at: FileLocation)
    /// A binary word runs on for longer than any real word (the file is probably not binary).
    case wordTooLong(byteOffset: Int, limit: Int)
    /// A binary vector holds NaN or infinity.
    case nonFiniteValue(word: String, byteOffset: Int)
    /// Non-whitespace bytes follow the last vector a binary file's header announced.
    case trailingData(byteOffset: Int)
    /// A word cannot be written in these formats (empty, or contains whitespace).
    case unwritableWord(String)
    /// A vector to be written holds NaN or infinity.
    case unwritableValue(word: String)
    /// Reading or writing was stopped through a `CancellationFlag`; nothing was returned or written.
    case cancelled
    /// Creating, writing or renaming the output file failed.
    case writeFailed(path: String, reason: String)
    /// The output path names something that must not be replaced by a vector file: a
    /// directory, a FIFO, a device, a socket, or a protected file such as the open model store.
    case refusedDestination(path: String, reason: String)

    public var problem: String {
        switch self {
        case let .fileNotFound(path):
            return "There is no vector file at \(path)."
        case let .cannotRead(path, reason):
            return "The vector file \(path) cannot be read: \(reason)."
        case let .emptyFile(path):
            return "The vector file \(path) is empty."
        case let .unrecognizedFormat(path):
            return "The file \(path) is not a vector file: word2vec files (text or binary) begin with a "
                + "\"<words> <dimension>\" header line, GloVe files with a word followed by numbers."
        case let .invalidHeader(line, text):
            return "Line \(line) should be a word2vec header \"<vocabulary size> <dimension>\" "
                + "with a positive dimension, but it is \"\(text)\"."
        case let .headerExceedsFile(words, dimension, available, binary):
            let perVector = binary ? "4 x \(dimension) bytes per vector" : "at least 2 x \(dimension) bytes per line"
            return "The header declares \(words) words of dimension \(dimension), which need \(perVector), "
                + "but only \(available) bytes follow it; the header is wrong or the file is truncated."
        case let .noVectors(path):
            return "The vector file \(path) holds no vectors (its header declares 0 words); there is nothing to import."
        case let .headerCountMismatch(declared, found):
            return "The header declares \(declared) words but the file holds \(found); "
                + "the file is truncated or its header is wrong."
        case let .wrongFloatCount(line, expected, found):
            return "Line \(line) has \(found) \(found == 1 ? "number" : "numbers") after the word, "
                + "but the vectors have dimension \(expected)."
        case let .invalidNumber(line, token):
            return "Line \(line) holds \"\(token)\", which is not a finite decimal number."
        case let .truncated(offset):
            return "The file ends unexpectedly at byte offset \(offset), in the middle of a word or vector; "
                + "it is truncated."
        case let .invalidUTF8(location):
            return "The word at \(location) is not valid UTF-8."
        case let .duplicateWord(word, location):
            return "The word \"\(word)\" at \(location) appeared earlier in the file; each word may have only one vector."
        case let .emptyWord(location):
            return "The record at \(location) has an empty word."
        case let .wordTooLong(offset, limit):
            return "The word starting at byte offset \(offset) is longer than \(limit) bytes; "
                + "the file is probably not in word2vec binary format."
        case let .nonFiniteValue(word, offset):
            return "The vector of \"\(word)\" at byte offset \(offset) holds NaN or infinity."
        case let .trailingData(offset):
            return "Unexpected data follows the last vector at byte offset \(offset); "
                + "the header's word count is too small or the file is damaged."
        case let .unwritableWord(word):
            return "The word \"\(word)\" cannot be written: words in vector files must be non-empty and contain "
                + "no whitespace, and a GloVe file cannot begin with U+FEFF (a byte-order mark)."
        case let .unwritableValue(word):
            return "The vector of \"\(word)\" holds NaN or infinity, which vector files cannot represent faithfully."
        case let .writeFailed(path, reason):
            return "Writing the vector file \(path) failed: \(reason)."
        case .cancelled:
            return "Reading or writing the vector file was cancelled; nothing was written."
        case let .refusedDestination(path, reason):
            return "Refusing to write a vector file to \(path): \(reason); nothing was written."
        }
    }
}

extension VectorFormatError {
    /// The vector-file error for a file that could not be opened or read.
    init(reading error: FileError) {
        switch error {
        case let .notFound(path): self = .fileNotFound(path: path)
        default: self = .cannotRead(path: error.path, reason: error.reason)
        }
    }

    /// The vector-file error for a file that could not be written.
    init(writing error: FileError) {
        switch error {
        case .notARegularFile, .sameFile, .isDirectory: self = .refusedDestination(path: error.path, reason: error.reason)
        default: self = .writeFailed(path: error.path, reason: error.reason)
        }
    }

    /// Whether the file's contents were read and found wanting (as opposed to the file not being
    /// there or not being readable at all, or a failed write): only then is a hint about the
    /// file's format useful.
    public var concernsContents: Bool {
        switch self {
        case .fileNotFound, .cannotRead, .writeFailed, .refusedDestination, .unwritableWord, .unwritableValue, .cancelled:
            return false
        default: return true
        }
    }
}

/// `bytes` as text for a message: printable UTF-8 kept, control bytes and invalid sequences as
/// `\xNN`, cut to `limit` characters.
func printable(_ bytes: some Collection<UInt8>, limit: Int = 80) -> String {
    var text = ""
    var count = 0
    let decoded = String(decoding: Array(bytes.prefix(4 * limit)), as: UTF8.self)
    for scalar in decoded.unicodeScalars {
        if count >= limit { text += "..."; break }
        if scalar == "\u{FFFD}" || scalar.value < 0x20 || scalar.value == 0x7F {
            text += scalar == "\u{FFFD}" ? "\\x??" : "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(2)
        } else {
            text.unicodeScalars.append(scalar)
        }
        count += 1
    }
    return text
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
