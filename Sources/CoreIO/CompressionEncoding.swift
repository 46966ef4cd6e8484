// Kernel file: one-shot gzip (zlib deflate) and xz (liblzma) encoding of bytes held in memory.
//
// Shapes: input [n] bytes -> output [m] bytes, m ≤ the format's bound (deflateBound /
//         lzma_stream_buffer_bound), allocated once.
import CZlib
import CLZMA

extension Compression {
    /// `bytes` compressed in this format (``none`` returns them unchanged): a gzip member with
    /// default settings, or an xz stream at preset 6 with a CRC64 check, as `gzip` and `xz`
    /// write them. For small files and tests; ``DecompressingInput`` reads the result.
    /// - Throws: ``FileError/writeFailed(path:reason:)`` (naming `name`) if the encoder fails.
    public func compress(_ bytes: [UInt8], name: String = "<memory>") throws(FileError) -> [UInt8] {
        switch self {
        case .none: return bytes
        case .gzip: return try Compression.gzip(bytes, name: name)
        case .xz: return try Compression.xz(bytes, name: name)
        }
    }

    private static func gzip(_ bytes: [UInt8], name: String) throws(FileError) -> [UInt8] {
        var stream = z_stream()
        // deflateInit2 is a macro: windowBits 15 + 16 writes a gzip header and trailer.
        let started = deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                    zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard started == Z_OK else { throw .writeFailed(path: name, reason: "zlib could not start (status \(started))") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        var input = bytes
        let status = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(outBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw .writeFailed(path: name, reason: "zlib could not compress (status \(status))") }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }

    private static func xz(_ bytes: [UInt8], name: String) throws(FileError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: lzma_stream_buffer_bound(bytes.count))
        var written = 0
        let status = bytes.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nil, inBuffer.baseAddress, inBuffer.count,
                                        outBuffer.baseAddress, &written, outBuffer.count)
            }
        }
        guard status == LZMA_OK else { throw .writeFailed(path: name, reason: "liblzma could not compress (status \(status.rawValue))") }
        output.removeSubrange(written...)
        return output
    }
}
