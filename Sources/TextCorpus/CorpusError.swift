import CoreIO

/// Why a corpus could not be read or encoded.
///
/// Every failure of the corpus pipeline is one of these cases, each with a full-sentence
/// message (``description``) that names the file and, for bad bytes, the byte offset, so a user
/// can find the problem with `dd`/`xxd`. A binary or Latin-1 file is rejected, never silently
/// trained on (see ``InvalidUTF8Policy``).
public enum CorpusError: Error, Equatable, ExplainedError {
    /// No file exists at `path`.
    case fileNotFound(path: String)
    /// The file exists but could not be opened or read (permissions, a directory, an I/O error).
    case unreadable(path: String, reason: String)
    /// The file holds no tokens at all (it is empty or only whitespace).
    case empty(path: String)
    /// A directory given as the corpus holds no regular files to read.
    case emptyDirectory(path: String)
    /// A gzip or xz file's compressed data is damaged or cut short (the ``FileError`` says which and where).
    case corruptCompressedFile(FileError)
    /// A byte sequence that is not well-formed UTF-8 starts at `byteOffset` (0-based).
    case invalidUTF8(path: String, byteOffset: Int)
    /// A NUL byte (a sign of a binary file) is at `byteOffset` (0-based).
    case nulByte(path: String, byteOffset: Int)
    /// A token starting at `byteOffset` is longer than `limit` bytes without any whitespace.
    case tokenTooLong(path: String, byteOffset: Int, limit: Int)
    /// No word occurs at least `minCount` times among the `distinctWords` distinct words.
    case noWordsAfterMinCount(minCount: Int, distinctWords: Int)
    /// An option is out of range; `reason` says which and why.
    case invalidOptions(reason: String)
    /// The caller cancelled the job through a ``CancellationFlag``.
    case cancelled

    public var problem: String {
        switch self {
        case let .fileNotFound(path):
            return "The corpus file \"\(path)\" does not exist."
        case let .unreadable(path, reason):
            return path == InputFile.standardInputPath
                ? "The corpus could not be read from standard input: \(reason)."
                : "The corpus file \"\(path)\" could not be read: \(reason)."
        case let .empty(path):
            return path == InputFile.standardInputPath
                ? "The corpus read from standard input contains no words: it is empty or holds only whitespace."
                : "The corpus \"\(path)\" contains no words: it is empty or holds only whitespace."
        case let .emptyDirectory(path):
            return "The corpus directory \"\(path)\" holds no files to read (hidden files, subdirectories and special files are not read)."
        case let .corruptCompressedFile(error):
            return "The corpus file \"\(error.path)\" could not be read: \(error.reason)."
        case let .invalidUTF8(path, offset):
            return "The corpus \"\(path)\" is not valid UTF-8: an invalid byte sequence starts at byte offset \(offset)."
        case let .nulByte(path, offset):
            return "The corpus \"\(path)\" contains a NUL byte at byte offset \(offset); it looks like a binary file, not text."
        case let .tokenTooLong(path, offset, limit):
            return "The corpus \"\(path)\" has a token longer than \(limit) bytes without whitespace, starting at byte offset \(offset); it is probably not tokenised text."
        case let .noWordsAfterMinCount(minCount, distinctWords):
            return "No word occurs at least \(minCount) times (the corpus has \(distinctWords) distinct words)."
        case let .invalidOptions(reason):
            return "Invalid corpus options: \(reason)."
        case .cancelled:
            return "Reading the corpus was cancelled."
        }
    }
}

extension CorpusError {
    /// The corpus error for a file that could not be opened or read.
    init(_ error: FileError) {
        switch error {
        case let .notFound(path): self = .fileNotFound(path: path)
        case .corruptData, .truncatedData: self = .corruptCompressedFile(error)
        default: self = .unreadable(path: error.path, reason: error.reason)
        }
    }
}

extension CorpusError {
    public var remedy: String? {
        switch self {
        case .invalidUTF8: return "Convert the file to UTF-8, or choose to replace or skip invalid bytes."
        case .nulByte: return "Choose to replace or skip invalid bytes if this is intended."
        case .noWordsAfterMinCount: return "Lower the minimum count or use a larger corpus."
        case .emptyDirectory: return "Put the corpus's text files (plain text, gzip or xz) in the directory, or give a file instead."
        case let .corruptCompressedFile(error): return error.remedy
        default: return nil
        }
    }
}
