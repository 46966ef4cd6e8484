#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoreIO
import TensorCore

/// What a corpus argument turned out to hold.
public enum CorpusFormat: String, Sendable, Equatable, Codable {
    /// Plain UTF-8 text.
    case text
    /// gzip-compressed text.
    case gzip
    /// xz-compressed text.
    case xz
    /// A directory of files (each of them text, gzip or xz).
    case directory

    init(_ compression: Compression) {
        switch compression {
        case .none: self = .text
        case .gzip: self = .gzip
        case .xz: self = .xz
        }
    }
}

/// What a corpus was read from, described by the pass that read it: enough to record with a
/// model and to tell later whether the text has changed.
///
/// ``byteCount`` and ``checksum`` are those of the **text** (decompressed, a byte-order mark
/// included): the same text has the same description whether it arrives plain, compressed, on
/// standard input or split over the files of a directory (whose checksum is that of its files'
/// texts one after another, as `cat dir/*` would give them when every file ends with a newline).
public struct CorpusSource: Sendable, Equatable {
    /// The path as given (`-` for standard input).
    public var path: String
    /// The number of text bytes read (a byte-order mark included).
    public var byteCount: Int
    /// The FNV-1a 64 hash of those bytes.
    public var checksum: UInt64
    /// Plain text, gzip, xz or a directory.
    public var format: CorpusFormat
    /// The bytes read from the file itself when it is compressed (nil for plain text and directories).
    public var compressedByteCount: Int?
    /// For a directory, each file read, in the order read (empty otherwise).
    public var files: [CorpusSource]

    public init(path: String, byteCount: Int, checksum: UInt64, format: CorpusFormat = .text,
                compressedByteCount: Int? = nil, files: [CorpusSource] = []) {
        self.path = path
        self.byteCount = byteCount
        self.checksum = checksum
        self.format = format
        self.compressedByteCount = compressedByteCount
        self.files = files
    }

    init(_ input: DecompressingInput) {
        self.init(path: input.path, byteCount: input.bytesRead, checksum: input.checksum,
                  format: CorpusFormat(input.compression),
                  compressedByteCount: input.compression == .none ? nil : input.sourceBytesRead)
    }
}

/// The one way a corpus argument is read: a text file, a gzip or xz file, a directory of such
/// files, or standard input (`-`), each read once from start to end.
///
/// A directory is read like gensim's `PathLineSentences`: its regular files in name order (see
/// ``InputDirectory``), each as its own lines, so that the last word of one file never joins the
/// first word of the next; errors about a file's contents name that file and an offset in its
/// text. Compression is told from each file's first bytes (``Compression/detect(_:)``).
public struct CorpusReader {
    /// The path as given.
    public let path: String
    /// The files a directory holds, in reading order; nil when `path` is not a directory.
    public let directoryFiles: [String]?
    private let firstInput: DecompressingInput?

    /// Opens `path`: a file or `-` is opened (and its first bytes read to tell the format); a
    /// directory is listed.
    /// - Throws: ``CorpusError``: no such file, an unreadable file or directory, a directory
    ///   without regular files (``CorpusError/emptyDirectory(path:)``), a compressed file whose
    ///   header is already damaged.
    public init(path: String) throws(CorpusError) {
        self.path = path
        if InputDirectory.isDirectory(path) {
            let files: [String]
            do { files = try InputDirectory.regularFiles(in: path) } catch { throw CorpusError(error) }
            guard !files.isEmpty else { throw .emptyDirectory(path: path) }
            directoryFiles = files
            firstInput = nil
        } else {
            directoryFiles = nil
            firstInput = try CorpusReader.open(path)
        }
    }

    /// A guess of the text's size, to size the token buffer (it grows when wrong).
    var expectedTextBytes: Int {
        if let firstInput {
            let size = firstInput.sourceSize ?? (1 << 24)
            return firstInput.compression == .none ? size : min(size * 4, 1 << 34)
        }
        return 1 << 24
    }

    /// Reads everything into `tokenizer`; returns what was read.
    func read(into tokenizer: inout ByteTokenizer, chunkSize: Int, progress: ((TrainingProgress) -> Void)?,
              cancellation: CancellationFlag?) throws(CorpusError) -> CorpusSource {
        if let input = firstInput {
            tokenizer.startOffset(input.offset)
            try streamInput(input, chunkSize: chunkSize, into: &tokenizer, progress: progress,
                            cancellation: cancellation, clock: monotonicSeconds)
            return CorpusSource(input)
        }
        let files = directoryFiles ?? []
        var sizes: [Int] = []
        for file in files {
            var info = stat()
            sizes.append(stat(file, &info) == 0 ? Int(info.st_size) : 0)
        }
        var base = ReadProgressBase(completedBytes: 0, totalBytes: sizes.reduce(0, +))
        var members: [CorpusSource] = []
        // The directory's checksum runs over its files' texts one after another.
        var hash = FNV1a64()
        var bytes = 0
        for (index, file) in files.enumerated() {
            let input = try CorpusReader.open(file)
            if input.skippedByteOrderMark {
                [UInt8]([0xEF, 0xBB, 0xBF]).withUnsafeBytes { hash.combine($0) }
            } else if input.offset > 0 {
                preconditionFailure("Only a byte-order mark is read ahead of the text.")
            }
            try tokenizer.beginSource(named: file, offset: input.offset)
            try streamInput(input, chunkSize: chunkSize, into: &tokenizer, progress: progress,
                            cancellation: cancellation, clock: monotonicSeconds, base: base,
                            finishing: index == files.count - 1, hashing: { hash.combine($0) })
            let member = CorpusSource(input)
            members.append(member)
            base.completedBytes += sizes[index]
            bytes += member.byteCount
        }
        return CorpusSource(path: path, byteCount: bytes, checksum: hash.value, format: .directory, files: members)
    }

    private static func open(_ path: String) throws(CorpusError) -> DecompressingInput {
        do {
            return try DecompressingInput(path: path, skippingByteOrderMark: true)
        } catch {
            throw CorpusError(error)
        }
    }
}
