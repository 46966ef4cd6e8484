// Kernel file: streaming gzip (zlib) and xz (liblzma) decoding over an InputFile.
//
// Shapes: `source` [sourceCapacity] bytes read from the file, of which [sourceStart, sourceEnd)
//         are not yet given to the decoder; a caller's buffer [0, n) receives decoded bytes;
//         `pending` holds at most 3 decoded bytes read ahead while looking for a byte-order mark.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib
import CLZMA

/// How a byte source is compressed, decided by its first bytes (its magic number), never by
/// its name: a `.gz` file that holds plain text is read as plain text, and a gzip stream on
/// standard input is decompressed.
public enum Compression: String, Sendable, Equatable, Codable, CaseIterable {
    /// Plain bytes.
    case none
    /// gzip (RFC 1952), magic `1f 8b`; concatenated members are read one after another, as `gzip -d` does.
    case gzip
    /// xz, magic `fd 37 7a 58 5a 00`; concatenated streams are read one after another, as `xz -d` does.
    case xz

    /// The magic number that marks the format (empty for ``none``).
    public var magic: [UInt8] {
        switch self {
        case .none: return []
        case .gzip: return [0x1F, 0x8B]
        case .xz: return [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]
        }
    }

    /// The longest magic number: how many leading bytes ``detect(_:)`` needs to see.
    public static let magicLength = 6

    /// The format whose magic number starts `head`; ``none`` when no magic matches.
    public static func detect<Head: Collection<UInt8>>(_ head: Head) -> Compression {
        for format in [Compression.gzip, .xz] where head.starts(with: format.magic) { return format }
        return .none
    }

    /// The format's name in messages ("gzip", "xz").
    public var displayName: String { self == .none ? "plain" : rawValue }

    /// The command that checks a file of this format (`gzip -t`, `xz -t`), for remedies.
    public var testCommand: String? {
        switch self {
        case .none: return nil
        case .gzip: return "gzip -t"
        case .xz: return "xz -t"
        }
    }
}

/// A byte source read once from start to end that hands out the **decompressed** bytes of a
/// gzip or xz source, or the bytes of a plain one, whichever the magic number says it is.
///
/// It reads an ``InputFile`` (a file, standard input, a FIFO, bytes in memory) and keeps the same
/// promises: one pass, a leading UTF-8 byte-order mark skipped on request (in the decompressed
/// text), and the byte count and FNV-1a 64 checksum of every decompressed byte read (BOM
/// included), so a compressed corpus is described by the text it holds: the same text gives the
/// same checksum whether it arrives plain, as gzip or as xz. Decoding goes through the system's
/// zlib (`inflate`) and liblzma (`lzma_code`), in buffers of fixed size: memory does not grow
/// with the file.
///
/// Errors are ``FileError``s naming the file: ``FileError/corruptData(path:format:detail:)``
/// for data the decoder rejects (a bad header, bad compressed data, a checksum mismatch, bytes
/// after the end) and ``FileError/truncatedData(path:format:)`` when the source ends inside the
/// compressed stream.
///
/// A reference type because it owns the decoder's state (freed on deinit).
public final class DecompressingInput {
    /// The file the compressed (or plain) bytes come from.
    public let source: InputFile
    /// How the source is compressed.
    public let compression: Compression
    /// The number of decompressed bytes handed out or read ahead so far (a byte-order mark included).
    public private(set) var bytesRead = 0
    /// Whether a leading UTF-8 byte-order mark was found and skipped.
    public private(set) var skippedByteOrderMark = false

    private var hash = FNV1a64()
    private var pending: [UInt8] = []
    private let buffer: UnsafeMutableRawBufferPointer
    private var sourceStart = 0
    private var sourceEnd = 0
    private var sourceEnded = false
    private var finished = false
    /// An error the decoder met after it had produced bytes: those bytes are handed out first
    /// and the error is thrown by the next read, so that what a reader sees before the error does
    /// not depend on the size of its buffer.
    private var deferredError: FileError?
    private var zlib: UnsafeMutablePointer<z_stream>?
    private var lzma: UnsafeMutablePointer<lzma_stream>?

    private static let sourceCapacity = 1 << 16

    /// Opens `path` (`-` is standard input) and reads its first bytes to tell the format.
    /// - Throws: ``FileError``: as ``InputFile/init(path:skippingByteOrderMark:)``, a failed first
    ///   read, or a compressed stream whose header is already unreadable.
    public convenience init(path: String, skippingByteOrderMark: Bool = false) throws(FileError) {
        try self.init(source: try InputFile(path: path), skippingByteOrderMark: skippingByteOrderMark)
    }

    /// Reads `source` (which must not have been read from yet) and decompresses it if its first
    /// bytes are a gzip or xz magic number.
    public init(source: InputFile, skippingByteOrderMark: Bool = false) throws(FileError) {
        self.source = source
        buffer = .allocate(byteCount: DecompressingInput.sourceCapacity, alignment: 16)
        // The first bytes decide the format; a stream is waited on until it gives them or ends.
        do {
            sourceEnd = try source.readFully(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Compression.magicLength]))
        } catch {
            buffer.deallocate()
            throw error
        }
        if sourceEnd < Compression.magicLength { sourceEnded = true }
        compression = Compression.detect(UnsafeRawBufferPointer(rebasing: buffer[0..<sourceEnd]))
        switch compression {
        case .none:
            break
        case .gzip:
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            zlib = stream
            let status = w2v_inflate_init_gzip(stream)
            if status != Z_OK { throw .corruptData(path: source.path, format: "gzip", detail: "zlib could not start (status \(status))") }
        case .xz:
            let stream = UnsafeMutablePointer<lzma_stream>.allocate(capacity: 1)
            stream.initialize(to: lzma_stream())
            lzma = stream
            let status = w2v_lzma_xz_decoder(stream)
            if status != LZMA_OK { throw .corruptData(path: source.path, format: "xz", detail: "liblzma could not start (status \(status.rawValue))") }
        }
        if skippingByteOrderMark { try lookForByteOrderMark() }
    }

    deinit {
        if let zlib {
            inflateEnd(zlib)
            zlib.deinitialize(count: 1)
            zlib.deallocate()
        }
        if let lzma {
            lzma_end(lzma)
            lzma.deinitialize(count: 1)
            lzma.deallocate()
        }
        buffer.deallocate()
    }

    /// The path as given (`-` for standard input).
    public var path: String { source.path }
    /// A name for messages: the path, or "standard input".
    public var displayName: String { source.displayName }
    /// The FNV-1a 64 hash of the decompressed bytes read so far (``bytesRead`` of them).
    public var checksum: UInt64 { hash.value }
    /// The offset in the decompressed text of the next byte ``read(into:)`` returns.
    public var offset: Int { bytesRead - pending.count }
    /// The number of bytes taken from the source file so far (compressed bytes for gzip and xz).
    public var sourceBytesRead: Int { source.bytesRead }
    /// The source file's size when known in advance: ``sourceBytesRead`` over it is the fraction read.
    public var sourceSize: Int? { source.size }

    /// Reads the next decompressed bytes into `buffer`; returns how many (0 only at the end).
    public func read(into output: UnsafeMutableRawBufferPointer) throws(FileError) -> Int {
        guard let base = output.baseAddress, output.count > 0 else { return 0 }
        if !pending.isEmpty {
            let n = min(pending.count, output.count)
            pending.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: n) }
            pending.removeFirst(n)
            return n
        }
        let n = try decode(into: base, capacity: output.count)
        if n > 0 {
            bytesRead += n
            hash.combine(UnsafeRawBufferPointer(start: base, count: n))
        }
        return n
    }

    /// The rest of the decompressed bytes. More than `limit` of them is an error
    /// (``FileError/tooLarge(path:limit:)``), checked as they arrive: a small compressed file
    /// that claims or holds a huge text never takes more than `limit` bytes of memory.
    public func readAll(limit: Int = Int.max) throws(FileError) -> [UInt8] {
        try collectAll(path: path, limit: limit, expected: compression == .none ? sourceSize : nil, read: read(into:))
    }

    // MARK: - Decoding

    /// One step of the format's decoder into `[base, base + capacity)`, uncounted; 0 at the end.
    private func decode(into base: UnsafeMutableRawPointer, capacity: Int) throws(FileError) -> Int {
        if let deferredError { throw deferredError }
        switch compression {
        case .none: return try passThrough(into: base, capacity: capacity)
        case .gzip: return try inflate(into: base, capacity: capacity)
        case .xz: return try unxz(into: base, capacity: capacity)
        }
    }

    /// Throws `error` now when nothing was produced in this step, else keeps it for the next
    /// read and returns the `produced` bytes that came before it.
    private func fail(_ error: FileError, after produced: Int) throws(FileError) -> Int {
        guard produced > 0 else { throw error }
        deferredError = error
        return produced
    }

    private func passThrough(into base: UnsafeMutableRawPointer, capacity: Int) throws(FileError) -> Int {
        if sourceStart < sourceEnd {
            let n = min(capacity, sourceEnd - sourceStart)
            base.copyMemory(from: buffer.baseAddress! + sourceStart, byteCount: n)
            sourceStart += n
            return n
        }
        if sourceEnded { return 0 }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: base, count: capacity))
        if n == 0 { sourceEnded = true }
        return n
    }

    /// Refills the source buffer when the decoder has taken all of it; false at the source's end.
    private func refill() throws(FileError) -> Bool {
        if sourceStart < sourceEnd { return true }
        if sourceEnded { return false }
        sourceStart = 0
        sourceEnd = try source.read(into: buffer)
        if sourceEnd == 0 { sourceEnded = true }
        return sourceEnd > 0
    }

    private func inflate(into base: UnsafeMutableRawPointer, capacity: Int) throws(FileError) -> Int {
        guard let stream = zlib, !finished else { return 0 }
        let wanted = min(capacity, Int(UInt32.max))
        stream.pointee.next_out = base.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(wanted)
        while true {
            let hasInput = try refill()
            let offered = sourceEnd - sourceStart
            stream.pointee.next_in = (buffer.baseAddress! + sourceStart).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = UInt32(offered)
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            sourceStart = sourceEnd - Int(stream.pointee.avail_in)
            let produced = wanted - Int(stream.pointee.avail_out)
            switch status {
            case Z_STREAM_END:
                // Another member may follow (`cat a.gz b.gz`); anything else after the end is refused.
                if try refill() {
                    guard buffer[sourceStart] == 0x1F else {
                        return try fail(.corruptData(path: source.path, format: "gzip",
                                                     detail: "there are bytes after the end of the compressed data"),
                                        after: produced)
                    }
                    if inflateReset(stream) != Z_OK {
                        return try fail(.corruptData(path: source.path, format: "gzip",
                                                     detail: "zlib could not start the next member"), after: produced)
                    }
                } else {
                    finished = true
                }
                if produced > 0 || finished { return produced }
            case Z_OK, Z_BUF_ERROR:
                if produced > 0 { return produced }
                // Nothing came out: zlib needs more input, and there is none.
                if !hasInput { throw .truncatedData(path: source.path, format: "gzip") }
                if offered == sourceEnd - sourceStart {
                    throw .corruptData(path: source.path, format: "gzip", detail: "zlib makes no progress")
                }
            case Z_NEED_DICT:
                return try fail(.corruptData(path: source.path, format: "gzip", detail: "it asks for a preset dictionary"),
                                after: produced)
            case Z_MEM_ERROR:
                return try fail(.corruptData(path: source.path, format: "gzip", detail: "zlib ran out of memory"),
                                after: produced)
            default:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                return try fail(.corruptData(path: source.path, format: "gzip", detail: detail), after: produced)
            }
        }
    }

    private func unxz(into base: UnsafeMutableRawPointer, capacity: Int) throws(FileError) -> Int {
        guard let stream = lzma, !finished else { return 0 }
        stream.pointee.next_out = base.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = capacity
        var idleSteps = 0
        while true {
            let hasInput = try refill()
            stream.pointee.next_in = UnsafePointer((buffer.baseAddress! + sourceStart).assumingMemoryBound(to: UInt8.self))
            stream.pointee.avail_in = sourceEnd - sourceStart
            // With concatenated streams liblzma needs LZMA_FINISH to know the input has ended.
            let status = lzma_code(stream, hasInput ? LZMA_RUN : LZMA_FINISH)
            sourceStart = sourceEnd - stream.pointee.avail_in
            let produced = capacity - stream.pointee.avail_out
            switch status {
            case LZMA_OK:
                if produced > 0 { return produced }
                idleSteps = hasInput ? 0 : idleSteps + 1
                if idleSteps > 16 { throw .truncatedData(path: source.path, format: "xz") }
            case LZMA_STREAM_END:
                finished = true
                return produced
            case LZMA_BUF_ERROR:
                if produced > 0 { return produced }
                throw .truncatedData(path: source.path, format: "xz")
            case LZMA_FORMAT_ERROR:
                return try fail(.corruptData(path: source.path, format: "xz", detail: "the header is not that of an xz stream"),
                                after: produced)
            case LZMA_OPTIONS_ERROR:
                return try fail(.corruptData(path: source.path, format: "xz", detail: "it uses options this liblzma does not support"),
                                after: produced)
            case LZMA_DATA_ERROR:
                return try fail(.corruptData(path: source.path, format: "xz", detail: "the compressed data is damaged"),
                                after: produced)
            case LZMA_MEM_ERROR, LZMA_MEMLIMIT_ERROR:
                return try fail(.corruptData(path: source.path, format: "xz", detail: "liblzma ran out of memory"),
                                after: produced)
            default:
                return try fail(.corruptData(path: source.path, format: "xz", detail: "liblzma status \(status.rawValue)"),
                                after: produced)
            }
        }
    }

    private func lookForByteOrderMark() throws(FileError) {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 3, alignment: 1)
        defer { scratch.deallocate() }
        var got = 0
        while got < 3 {
            let n = try decode(into: scratch.baseAddress! + got, capacity: 3 - got)
            if n == 0 { break }
            got += n
        }
        let head = Array(UnsafeRawBufferPointer(rebasing: scratch[0..<got]))
        bytesRead += got
        head.withUnsafeBytes { hash.combine($0) }
        if head == [0xEF, 0xBB, 0xBF] {
            skippedByteOrderMark = true
        } else {
            pending = head
        }
    }
}
