import CoreIO
/// Why a vector store could not be opened, read or written.
public enum StoreError: Error, Sendable, Equatable, ExplainedError {
    /// A read-only open of a path where there is no file.
    case fileNotFound(path: String)
    /// The file exists but is not a w2v vector store (not SQLite, or SQLite without w2v's tables).
    case notAStore(path: String)
    /// The store was written by a newer w2v whose schema this version does not know.
    case newerSchema(found: Int, supported: Int)
    /// The store has an older schema and was opened read-only, so it cannot be migrated.
    case olderSchema(found: Int, supported: Int)
    /// The file is damaged (truncated, overwritten, or inconsistent with itself).
    case corrupt(path: String, detail: String)
    /// There is no model of that name.
    case modelNotFound(name: String, available: [String])
    /// A model of that name exists and `replace` was false.
    case modelExists(name: String)
    /// The model name is empty, too long, or contains control characters.
    case invalidName(String)
    /// A write was attempted on a store opened read-only (or on a read-only file).
    case readOnly(path: String)
    /// A read-only store whose write-ahead log holds changes that cannot be read, because its
    /// directory may not be written (SQLite needs to create the log's index next to it).
    case readOnlyDirectory(path: String)
    /// Another process held the store's write lock for longer than the busy timeout.
    case busy(path: String, seconds: Double)
    /// The disk (or the user's quota) is full; the write was rolled back.
    case diskFull(path: String)
    /// A save was stopped through a `CancellationFlag`; it was rolled back.
    case cancelled
    /// The file could not be opened or created (directory missing, permissions).
    case cannotOpen(path: String, detail: String)
    /// A corpus file could not be read while describing it.
    case cannotRead(path: String, reason: String)
    /// Matrices given to save do not fit together (`reason` says how).
    case invalidMatrix(reason: String)
    /// Any other SQLite failure, with its (extended) result code and message.
    case sqlite(code: Int32, message: String)
    /// The model `name` exists but is of another kind than the command needs (a language model
    /// given to a word-vector query, or word vectors given to a language-model command).
    case wrongKind(name: String, found: String, expected: String)
    /// A model of another kind already has that name (names are shared by vectors and networks).
    case nameTakenByOtherKind(name: String, kind: String)

    public var problem: String {
        switch self {
        case let .fileNotFound(path):
            return "There is no vector store at \(path)."
        case let .notAStore(path):
            return "The file \(path) is not a w2v vector store (it is not an SQLite database, "
                + "or it lacks the w2v tables)."
        case let .newerSchema(found, supported):
            return "The store has schema version \(found), but this w2v supports versions up to \(supported)."
        case let .olderSchema(found, supported):
            return "The store has schema version \(found) and needs migrating to version \(supported), which a read-only open cannot do."
        case let .corrupt(path, detail):
            return "The vector store \(path) is damaged (\(detail))."
        case let .modelNotFound(name, available):
            let list = available.isEmpty ? "the store holds no models" : "available: \(available.joined(separator: ", "))"
            return "There is no model named \"\(name)\" in the store (\(list))."
        case let .modelExists(name):
            return "A model named \"\(name)\" already exists."
        case let .invalidName(name):
            return "The model name \"\(name)\" is not valid: use 1 to \(VectorStore.maximumNameLength) characters "
                + "without control characters."
        case let .readOnly(path):
            return "The vector store \(path) is open read-only, so it cannot be changed."
        case let .readOnlyDirectory(path):
            return "The vector store \(path) cannot be read: its write-ahead log \(path)-wal holds changes, "
                + "and reading them needs write access to the store's directory."
        case let .busy(path, seconds):
            let wait = seconds >= 1 ? "\(Int(seconds.rounded())) s" : "\(Int((seconds * 1000).rounded())) ms"
            return "The vector store \(path) is busy: another process has been writing to it for more than \(wait); "
                + "nothing was changed."
        case .cancelled:
            return "Saving the model was cancelled; the store is unchanged."
        case let .diskFull(path):
            return "The disk holding the vector store \(path) is full; nothing was changed."
        case let .cannotOpen(path, detail):
            return "The vector store \(path) cannot be opened: \(detail)."
        case let .cannotRead(path, reason):
            return "The corpus file \(path) cannot be read: \(reason)."
        case let .invalidMatrix(reason):
            return "The model cannot be saved: \(reason); nothing was changed."
        case let .sqlite(code, message):
            return "SQLite failed with code \(code): \(message)."
        case let .wrongKind(name, found, expected):
            return "The model \"\(name)\" is \(Self.phrase(found)), not \(Self.phrase(expected))."
        case let .nameTakenByOtherKind(name, kind):
            return "The name \"\(name)\" already names \(Self.phrase(kind)); nothing was stored."
        }
    }

    /// A model kind as a noun phrase: "word vectors", "a language model", "a seq2seq network".
    static func phrase(_ kind: String) -> String {
        switch kind {
        case VectorStore.wordVectorsKind: return "word vectors"
        case "language-model": return "a language model"
        case "a network": return kind
        default: return "a \(kind) network"
        }
    }
}

extension StoreError {
    public var remedy: String? {
        switch self {
        case .newerSchema: return "Upgrade w2v to open it."
        case .olderSchema: return "Open it for writing once to migrate it."
        case .corrupt: return "Restore it from a backup or re-create it."
        case .modelExists: return "Choose another name or allow replacing it."
        case .busy: return "Try again when the other process has finished."
        case .readOnlyDirectory: return "Open it once where its directory is writable, or copy it together with its -wal file."
        case .diskFull: return "Free some space and try again."
        case .nameTakenByOtherKind: return "Choose another name, or delete the other model first."
        default: return nil
        }
    }
}
