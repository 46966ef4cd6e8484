// Kernel file (writing loops): rows are read from the row-major matrix through a raw buffer.
//
// Shapes: vectors.scalars [V * D] Float32, row i = scalars[i*D ..< (i+1)*D]; a binary record is
//         the word's UTF-8 bytes, 0x20, 4·D little-endian bytes, 0x0A.
import CoreIO
import Embeddings
import TensorCore

/// Writes word vectors in word2vec text, word2vec binary or GloVe format.
///
/// The file is written to a temporary file next to `path`, flushed to disk and then renamed over
/// `path` (CoreIO's `OutputFile`), so that a reader never sees a half-written file and a failed
/// export leaves any existing file untouched. A symbolic link is followed (the file it points to
/// is replaced, the link stays); a directory, FIFO, device or socket is refused, as is any of
/// `protectedFiles` (the open model store, say).
///
/// Text values are printed with Swift's shortest round-trip representation of Float32
/// (e.g. `0.1`, `-0.0007369244`, `1e-05`), so reading a text export gives back bit-identical
/// vectors; binary values are the raw little-endian Float32 bits. Records keep `words` order.
public enum VectorFileWriter {
    /// Writes `vectors` to `path` in `format`; `progress` is called on the calling thread with
    /// stage `"writing"` and the vectors written (unit `"vectors"`), about every 1%. On
    /// cancellation nothing is written (``VectorFormatError/cancelled``).
    ///
    /// - Parameter protectedFiles: paths that must not be overwritten, each with what it is (for
    ///   the message), e.g. `[("w2v.sqlite", "the model store being exported from")]`.
    public static func write(_ vectors: WordVectors, to path: String, format: VectorFileFormat,
                             protectedFiles: [(path: String, what: String)] = [],
                             progress: ((ProgressReport) -> Void)? = nil,
                             cancellation: CancellationFlag? = nil) throws(VectorFormatError) {
        for word in vectors.words where word.isEmpty || word.utf8.contains(where: isWhitespace) {
            throw .unwritableWord(word)
        }
        // A headerless GloVe file that began with U+FEFF would read back without it: readers
        // skip a leading byte-order mark.
        if format == .glove, let first = vectors.words.first, first.unicodeScalars.first == "\u{FEFF}" {
            throw .unwritableWord(first)
        }
        let d = vectors.dimension
        for (i, word) in vectors.words.enumerated() {
            let row = vectors.vectors.scalars[(i * d)..<((i + 1) * d)]
            if !row.allSatisfy(\.isFinite) { throw .unwritableValue(word: word) }
        }
        var cancelled = false
        do {
            let writer = try OutputFile(path: path, protecting: protectedFiles)
            let reporter = VectorFileReader.ProgressReporter(stage: "writing", unit: "vectors", callback: progress,
                                                             cancellation: cancellation)
            reporter.total = vectors.count
            switch format {
            case .word2vecText: try writeText(vectors, to: writer, header: true, reporter: reporter)
            case .glove: try writeText(vectors, to: writer, header: false, reporter: reporter)
            case .word2vecBinary: try writeBinary(vectors, to: writer, reporter: reporter)
            }
            // The temporary file is dropped, and the destination kept, when cancelled.
            if reporter.isCancelled {
                cancelled = true
            } else {
                try writer.commit()
                reporter.finish()
            }
        } catch {
            throw VectorFormatError(writing: error)
        }
        if cancelled { throw .cancelled }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    private static func writeText(_ vectors: WordVectors, to writer: OutputFile, header: Bool,
                                  reporter: VectorFileReader.ProgressReporter) throws(FileError) {
        if header { try writer.write("\(vectors.count) \(vectors.dimension)\n") }
        let d = vectors.dimension
        let scalars = vectors.vectors.scalars
        for (i, word) in vectors.words.enumerated() {
            reporter.update(i)
            if reporter.isCancelled { return }
            try writer.write(word)
            for j in (i * d)..<((i + 1) * d) {
                try writer.write(byte: 0x20)
                try writer.write(scalars[j].description)
            }
            try writer.write(byte: 0x0A)
        }
    }

    private static func writeBinary(_ vectors: WordVectors, to writer: OutputFile,
                                    reporter: VectorFileReader.ProgressReporter) throws(FileError) {
        try writer.write("\(vectors.count) \(vectors.dimension)\n")
        let d = vectors.dimension
        #if _endian(big)
        let scalars = vectors.vectors.scalars.map { Float(bitPattern: $0.bitPattern.littleEndian) }
        #else
        let scalars = vectors.vectors.scalars
        #endif
        for (i, word) in vectors.words.enumerated() {
            reporter.update(i)
            if reporter.isCancelled { return }
            try writer.write(word)
            try writer.write(byte: 0x20)
            let failure: FileError? = scalars.withUnsafeBytes { bytes in
                do throws(FileError) {
                    try writer.write(UnsafeRawBufferPointer(rebasing: bytes[(4 * i * d)..<(4 * (i + 1) * d)]))
                } catch { return error }
                return nil
            }
            if let failure { throw failure }
            try writer.write(byte: 0x0A)
        }
    }
}
