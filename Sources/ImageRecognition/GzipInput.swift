// Kernel file: zlib's inflate over an InputFile, the only unsafe code of ImageRecognition.
//
// Shapes: `compressed` [chunkSize] bytes, of which [next_in, next_in + avail_in) are read from
//         the file but not yet inflated; the caller's buffer [0, n) receives inflated bytes.
//         A file may hold several gzip members back to back (RFC 1952 §2.2); each one is inflated
//         in turn (inflateReset between them) until the file ends exactly at a member's end.
import CZlib
import CoreIO

/// The decompressed bytes of a gzip file, read once from start to end through ``InputFile``.
///
/// Errors name the file: ``ImageRecognitionError/notGzip(path:)`` when the data does not start
/// with `1f 8b`, ``ImageRecognitionError/corruptGzip(path:reason:)`` when zlib rejects it (bad
/// header, bad deflate data, bad CRC or length) and ``ImageRecognitionError/truncatedGzip(path:)``
/// when the file ends inside a member. Read errors of the file come as
/// ``ImageRecognitionError/file(_:)``.
public final class GzipInput {
    /// The compressed source.
    public let file: InputFile
    private var stream = z_stream()
    private let compressed: UnsafeMutableRawBufferPointer
    private var sourceEnded = false
    private var memberEnded = false
    private var started = false
    private var finished = false

    /// The number of decompressed bytes handed out so far.
    public private(set) var bytesInflated = 0

    /// Starts inflating `file` (nothing is read until the first ``read(into:)``).
    public init(file: InputFile, chunkSize: Int = 1 << 16) throws(ImageRecognitionError) {
        self.file = file
        compressed = UnsafeMutableRawBufferPointer.allocate(byteCount: max(chunkSize, 16), alignment: 16)
        let status = w2v_inflate_init_gzip(&stream)
        if status != Z_OK {
            compressed.deallocate()
            throw .corruptGzip(path: file.displayName, reason: "zlib could not start (status \(status))")
        }
    }

    /// Opens the gzip file at `path`.
    public convenience init(path: String) throws(ImageRecognitionError) {
        let file: InputFile
        do { file = try InputFile(path: path) } catch { throw .file(error) }
        try self.init(file: file)
    }

    deinit {
        inflateEnd(&stream)
        compressed.deallocate()
    }

    /// Inflates the next bytes into `buffer`; returns how many (0 only at the end of the data).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImageRecognitionError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0, !finished else { return 0 }
        while true {
            if stream.avail_in == 0 && !sourceEnded { try refill() }
            if memberEnded {
                // Another member follows only if bytes remain; otherwise the data ends here.
                if stream.avail_in == 0 && sourceEnded { finished = true; return 0 }
                inflateReset(&stream)
                memberEnded = false
                continue
            }
            if stream.avail_in == 0 && sourceEnded { throw .truncatedGzip(path: file.displayName) }
            stream.next_out = base.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
            let status = inflate(&stream, Z_NO_FLUSH)
            let produced = buffer.count - Int(stream.avail_out)
            switch status {
            case Z_STREAM_END:
                memberEnded = true
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_NEED_DICT:
                throw .corruptGzip(path: file.displayName, reason: "it asks for a preset dictionary")
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw .corruptGzip(path: file.displayName, reason: message)
            }
            if produced > 0 {
                bytesInflated += produced
                return produced
            }
        }
    }

    /// All decompressed bytes; more than `limit` is ``FileError/tooLarge(path:limit:)``.
    public func readAll(limit: Int = Int.max) throws(ImageRecognitionError) -> [UInt8] {
        var bytes: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = try read(into: chunk)
            if n == 0 { return bytes }
            if n > limit - bytes.count { throw .file(.tooLarge(path: file.path, limit: limit)) }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
        }
    }

    /// Reads the next compressed chunk; checks the magic bytes on the first one.
    private func refill() throws(ImageRecognitionError) {
        let n: Int
        do { n = try file.readFully(into: compressed) } catch { throw .file(error) }
        if !started {
            started = true
            let magic = n >= 2 && compressed[0] == 0x1f && compressed[1] == 0x8b
            if !magic { throw .notGzip(path: file.displayName) }
        }
        if n < compressed.count { sourceEnded = true }
        stream.next_in = compressed.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_in = UInt32(n)
    }

    /// Whether `bytes` start with the gzip magic `1f 8b`.
    public static func looksLikeGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }
}
