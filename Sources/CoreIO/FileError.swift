#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be opened, read or written: the toolkit's one errno-to-message mapping.
///
/// Each module wraps these in its own error type (a corpus, a vector file, an evaluation set),
/// so the message names what the file was for; ``reason`` is the shared part.
public enum FileError: Error, Sendable, Equatable, ExplainedError {
    /// Nothing exists at the path (`ENOENT`, or a path component that is not a directory).
    case notFound(path: String)
    /// The file exists but this user may not read it (`EACCES`, `EPERM`).
    case permissionDenied(path: String)
    /// The path is a directory where a file was expected.
    case isDirectory(path: String)
    /// Opening or examining the file failed for another reason.
    case cannotOpen(path: String, reason: String)
    /// Reading failed part-way (an I/O error).
    case readFailed(path: String, reason: String)
    /// The source holds more than a small-file reader accepts.
    case tooLarge(path: String, limit: Int)
    /// An output path names something that is not a regular file (a FIFO, a device, a socket).
    case notARegularFile(path: String, kind: String)
    /// An output path is the same file as one that must not be overwritten (`what` says which).
    case sameFile(path: String, what: String)
    /// Creating, writing, syncing or renaming an output file failed.
    case writeFailed(path: String, reason: String)
    /// The decoder of a compressed file (`format`: "gzip", "xz") rejected its data: `detail` says how.
    case corruptData(path: String, format: String, detail: String)
    /// A compressed file ends inside its compressed data (it was cut short).
    case truncatedData(path: String, format: String)

    /// The error for `open(2)` or `fstat(2)` failing on `path` with `errorNumber`.
    public init(path: String, errorNumber: Int32) {
        switch errorNumber {
        case ENOENT, ENOTDIR: self = .notFound(path: path)
        case EACCES, EPERM: self = .permissionDenied(path: path)
        case EISDIR: self = .isDirectory(path: path)
        default: self = .cannotOpen(path: path, reason: FileError.message(errorNumber))
        }
    }

    /// The path the error is about.
    public var path: String {
        switch self {
        case let .notFound(path), let .permissionDenied(path), let .isDirectory(path),
             let .cannotOpen(path, _), let .readFailed(path, _), let .tooLarge(path, _),
             let .notARegularFile(path, _), let .sameFile(path, _), let .writeFailed(path, _),
             let .corruptData(path, _, _), let .truncatedData(path, _):
            return path
        }
    }

    /// What went wrong, as the end of a sentence that begins with the file: "permission denied",
    /// "it is a directory, not a file", "Input/output error".
    public var reason: String {
        switch self {
        case .notFound: return "there is no such file"
        case .permissionDenied: return "permission denied (check the file's permissions)"
        case .isDirectory: return "it is a directory, not a file"
        case let .cannotOpen(_, reason), let .readFailed(_, reason): return reason
        case let .tooLarge(_, limit): return "it is larger than \(limit) bytes"
        case let .notARegularFile(_, kind): return "it is \(kind), not a regular file"
        case let .sameFile(_, what): return "it is \(what)"
        case let .writeFailed(_, reason): return reason
        case let .corruptData(_, format, detail): return "its \(format) data is corrupt (\(detail))"
        case let .truncatedData(_, format): return "its \(format) data ends early (the file is truncated)"
        }
    }

    /// Whether the error came from writing (the description then says "cannot be written").
    public var isOutputError: Bool {
        switch self {
        case .notARegularFile, .sameFile, .writeFailed: return true
        default: return false
        }
    }

    public var remedy: String? {
        switch self {
        case let .corruptData(_, format, _), let .truncatedData(_, format):
            let check = format == "xz" ? "xz -t" : "gzip -t"
            return "Check the file with `\(check) \(path)`, and copy or download it again."
        default: return nil
        }
    }

    public var problem: String {
        // "-" is standard input only to readers; an output file named "-" is that file.
        let name = path == InputFile.standardInputPath && !isOutputError ? "Standard input" : path
        return "\(name) cannot be \(isOutputError ? "written" : "read"): \(reason)."
    }

    /// `strerror(code)`.
    public static func message(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
