// Kernel file (writing loops): rows are read from the row-major matrix through a raw buffer.
//
// Shapes: vectors.scalars [V * D] Float32, row i = scalars[i*D ..< (i+1)*D]; a binary record is
//         the word's UTF-8 bytes, 0x20, 4·D little-endian bytes, 0x0A.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Embeddings
import TensorCore

/// Writes word vectors in word2vec text, word2vec binary or GloVe format.
///
/// The file is written to a temporary file next to `path`, flushed to disk and then renamed over
/// `path`, so that a reader never sees a half-written file and a failed export leaves any
/// existing file untouched.
///
/// Text values are printed with Swift's shortest round-trip representation of Float32
/// (e.g. `0.1`, `-0.0007369244`, `1e-05`), so reading a text export gives back bit-identical
/// vectors; binary values are the raw little-endian Float32 bits. Records keep `words` order.
public enum VectorFileWriter {
    /// Writes `vectors` to `path` in `format`; `progress` is called on the calling thread with the
    /// fraction of words written, about every 1%.
    public static func write(_ vectors: WordVectors, to path: String, format: VectorFileFormat,
                             progress: ((Double) -> Void)? = nil) throws(VectorFormatError) {
        for word in vectors.words where word.isEmpty || word.utf8.contains(where: isWhitespace) {
            throw .unwritableWord(word)
        }
        let d = vectors.dimension
        for (i, word) in vectors.words.enumerated() {
            let row = vectors.vectors.scalars[(i * d)..<((i + 1) * d)]
            if !row.allSatisfy(\.isFinite) { throw .unwritableValue(word: word) }
        }
        let temporary = "\(path).tmp-\(getpid())"
        do {
            let writer = try ByteWriter(path: temporary)
            let reporter = VectorFileReader.ProgressReporter(total: vectors.count, callback: progress)
            switch format {
            case .word2vecText: try writeText(vectors, to: writer, header: true, reporter: reporter)
            case .glove: try writeText(vectors, to: writer, header: false, reporter: reporter)
            case .word2vecBinary: try writeBinary(vectors, to: writer, reporter: reporter)
            }
            try writer.finish()
            reporter.finish()
        } catch {
            unlink(temporary)
            if case let .writeFailed(_, reason) = error { throw .writeFailed(path: path, reason: reason) }
            throw error
        }
        if rename(temporary, path) != 0 {
            let reason = systemErrorMessage()
            unlink(temporary)
            throw .writeFailed(path: path, reason: reason)
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    private static func writeText(_ vectors: WordVectors, to writer: ByteWriter, header: Bool,
                                  reporter: VectorFileReader.ProgressReporter) throws(VectorFormatError) {
        if header { try writer.write("\(vectors.count) \(vectors.dimension)\n") }
        let d = vectors.dimension
        let scalars = vectors.vectors.scalars
        for (i, word) in vectors.words.enumerated() {
            reporter.update(i)
            try writer.write(word)
            for j in (i * d)..<((i + 1) * d) {
                try writer.write(byte: 0x20)
                try writer.write(scalars[j].description)
            }
            try writer.write(byte: 0x0A)
        }
    }

    private static func writeBinary(_ vectors: WordVectors, to writer: ByteWriter,
                                    reporter: VectorFileReader.ProgressReporter) throws(VectorFormatError) {
        try writer.write("\(vectors.count) \(vectors.dimension)\n")
        let d = vectors.dimension
        #if _endian(big)
        let scalars = vectors.vectors.scalars.map { Float(bitPattern: $0.bitPattern.littleEndian) }
        #else
        let scalars = vectors.vectors.scalars
        #endif
        for (i, word) in vectors.words.enumerated() {
            reporter.update(i)
            try writer.write(word)
            try writer.write(byte: 0x20)
            let failure: VectorFormatError? = scalars.withUnsafeBytes { bytes in
                do throws(VectorFormatError) {
                    try writer.write(UnsafeRawBufferPointer(rebasing: bytes[(4 * i * d)..<(4 * (i + 1) * d)]))
                } catch { return error }
                return nil
            }
            if let failure { throw failure }
            try writer.write(byte: 0x0A)
        }
    }
}
