// Kernel file (reading loops): rows are parsed straight into the growing row-major buffer.
//
// Shapes: Builder.scalars [words.count * dimension] Float32, row i = scalars[i*D ..< (i+1)*D];
//         a binary record is the word, 0x20, then 4·D bytes copied into the next row.
import Embeddings
import CoreIO
import TensorCore

/// Reads word vectors from word2vec text, word2vec binary and GloVe files.
///
/// Files are streamed through a fixed 1 MiB buffer, so their size is limited only by the memory
/// the resulting `[V, D]` Float32 matrix needs. Every malformation is a ``VectorFormatError`` that
/// names the line (text) or byte offset (binary) where it was found. Imported files carry no
/// frequencies, so `counts` are all 0; words keep the file's order (by convention, most frequent
/// first).
public enum VectorFileReader {
    /// The longest word accepted in a binary file, in bytes.
    public static let maximumWordBytes = 100_000

    /// Reads the vectors in the file at `path`.
    ///
    /// - Parameters:
    ///   - format: the file's format, or nil to ``VectorFileFormat/detect(path:)`` it.
    ///   - limit: read only the first `limit` words (the most frequent ones, by convention);
    ///     the header's count is then not checked against the rest of the file.
    ///   - progress: called with stage `"reading"`, the fraction of the file read so far and the
    ///     bytes read (unit `"bytes"`), about every
    ///     1% of its bytes, on the calling thread.
    /// - Returns: `WordVectors` with `vectors` of shape `[V, D]` (V = min(limit, words in file)).
    public static func read(contentsOf path: String, format: VectorFileFormat? = nil, limit: Int? = nil,
                            progress: ((ProgressReport) -> Void)? = nil,
                            cancellation: CancellationFlag? = nil) throws(VectorFormatError) -> WordVectors {
        try read(ByteReader(path: path), format: format, limit: limit,
                 reporter: ProgressReporter(stage: "reading", unit: "bytes", callback: progress, cancellation: cancellation))
    }

    /// Reads vectors from a file's bytes held in memory (`path` names it in messages), exactly as
    /// ``read(contentsOf:format:limit:progress:)`` reads a file.
    public static func read(bytes: [UInt8], path: String = "<bytes>", format: VectorFileFormat? = nil,
                            limit: Int? = nil) throws(VectorFormatError) -> WordVectors {
        try read(ByteReader(bytes: bytes, path: path), format: format, limit: limit,
                 reporter: ProgressReporter(stage: "reading", unit: "bytes", callback: nil, cancellation: nil))
    }

    /// One pass over `reader`: the format is detected from the buffered head, then read on.
    private static func read(_ reader: ByteReader, format: VectorFileFormat?, limit: Int?,
                             reporter: ProgressReporter) throws(VectorFormatError) -> WordVectors {
        guard reader.remainingBytes > 0 else { throw .emptyFile(path: reader.path) }
        let format = if let format { format } else { try VectorFileFormat.detect(reader) }
        let limit = max(0, limit ?? Int.max)
        reporter.total = reader.fileSize
        var builder: Builder
        switch format {
        case .word2vecText: builder = try readText(reader, hasHeader: true, limit: limit, reporter: reporter)
        case .glove: builder = try readText(reader, hasHeader: false, limit: limit, reporter: reporter)
        case .word2vecBinary: builder = try readBinary(reader, limit: limit, reporter: reporter)
        }
        if builder.words.isEmpty && limit > 0 { throw .noVectors(path: reader.path) }
        let vectors = try builder.finish()
        reporter.finish()
        return vectors
    }

    /// Reports progress whenever the completed fraction has grown by at least 1%, and notes a
    /// cancellation request at the same moments (the loops then stop with `cancelled`).
    final class ProgressReporter {
        let stage: String
        let unit: String
        var total = 1
        private let callback: ((ProgressReport) -> Void)?
        private let cancellation: CancellationFlag?
        private var next = 0
        private let start = monotonicSeconds()
        /// Whether cancellation was requested at the last update.
        private(set) var isCancelled = false

        init(stage: String, unit: String, callback: ((ProgressReport) -> Void)?, cancellation: CancellationFlag?) {
            self.stage = stage
            self.unit = unit
            self.callback = callback
            self.cancellation = cancellation
        }

        @inline(__always)
        func update(_ done: Int) {
            guard done >= next else { return }
            next = done + max(1, total / 100)
            if cancellation?.isCancelled == true { isCancelled = true }
            guard let callback else { return }
            let elapsed = monotonicSeconds() - start
            callback(ProgressReport(stage: stage, fraction: min(1, Double(done) / Double(max(total, 1))),
                                    processedWords: done, wordsPerSecond: elapsed > 0 ? Double(done) / elapsed : 0,
                                    elapsedSeconds: elapsed, unit: unit))
        }

        func finish() {
            let elapsed = monotonicSeconds() - start
            callback?(ProgressReport(stage: stage, fraction: 1, processedWords: total,
                                     wordsPerSecond: elapsed > 0 ? Double(total) / elapsed : 0,
                                     elapsedSeconds: elapsed, unit: unit))
        }
    }

    /// Accumulates words, rows and where each word was found.
    struct Builder {
        var words: [String] = []
        /// Line numbers (text) or byte offsets (binary) of the words.
        var locations: [Int] = []
        var locationsAreLines = true
        var scalars: [Float] = []
        var dimension: Int

        init(dimension: Int, expectedWords: Int) {
            self.dimension = dimension
            words.reserveCapacity(expectedWords)
            locations.reserveCapacity(expectedWords)
            scalars.reserveCapacity(expectedWords * max(dimension, 0))
        }

        /// Adds a word (its row must already be appended).
        mutating func add(_ word: String, at location: Int) {
            words.append(word)
            locations.append(location)
        }

        /// The word vectors; duplicates are found by `WordVectors` (one hash table for both jobs)
        /// and reported at their second occurrence.
        func finish() throws(VectorFormatError) -> WordVectors {
            do {
                return try WordVectors(words: words, vectors: Tensor(shape: [words.count, dimension], scalars: scalars))
            } catch let error {
                guard case let .duplicateWord(word) = error,
                      let first = words.firstIndex(of: word),
                      let second = words[(first + 1)...].firstIndex(of: word) else {
                    // Rows match words by construction; only duplicates can be rejected.
                    preconditionFailure("VectorFileReader built inconsistent word vectors: \(error)")
                }
                let location = locations[second]
                throw .duplicateWord(word, at: locationsAreLines ? .line(location) : .byteOffset(location))
            }
        }
    }

    /// Parses the header line `V D`.
    private static func parseHeader(_ line: [UInt8]) throws(VectorFormatError) -> (words: Int, dimension: Int) {
        var parser = LineParser()
        parser.load(line)
        guard parser.tokens.count == 2, let count = parser.integer(0), let dimension = parser.integer(1),
              dimension > 0 else {
            throw .invalidHeader(line: 1, text: printable(line))
        }
        return (count, dimension)
    }

    private static func readText(_ reader: ByteReader, hasHeader: Bool, limit: Int,
                                 reporter: ProgressReporter) throws(VectorFormatError) -> Builder {
        var line: [UInt8] = []
        var lineNumber = 0
        var declared: Int? = nil
        var dimension = 0
        if hasHeader {
            guard try reader.readLine(into: &line) else { throw .emptyFile(path: reader.path) }
            lineNumber = 1
            (declared, dimension) = try parseHeader(line)
        }
        // Every value takes at least two bytes (" 0"), which bounds what is reserved; rows are
        // appended only as lines are parsed, so a header's claim allocates nothing by itself.
        let target = min(limit, declared ?? Int.max)
        let plausible = dimension > 0 ? reader.remainingBytes / (2 * dimension) : 0
        var builder = Builder(dimension: dimension, expectedWords: min(target, plausible))
        var parser = LineParser()
        while builder.words.count < target, try reader.readLine(into: &line) {
            lineNumber += 1
            reporter.update(reader.offset)
            if reporter.isCancelled { throw .cancelled }
            parser.load(line)
            if parser.tokens.isEmpty { continue }
            if builder.dimension == 0 {
                // GloVe: the first line fixes the dimension.
                builder.dimension = parser.tokens.count - 1
                guard builder.dimension > 0 else {
                    throw .wrongFloatCount(line: lineNumber, expected: 1, found: 0)
                }
            }
            let d = builder.dimension
            guard parser.tokens.count == d + 1 else {
                throw .wrongFloatCount(line: lineNumber, expected: d, found: parser.tokens.count - 1)
            }
            let rowStart = builder.scalars.count
            builder.scalars.append(contentsOf: repeatElement(0, count: d))
            let bad = builder.scalars.withUnsafeMutableBufferPointer { parser.parseFloats(into: $0.baseAddress! + rowStart) }
            if let bad { throw .invalidNumber(line: lineNumber, token: parser.tokenText(bad)) }
            guard let word = String(validating: parser.tokenBytes(0), as: UTF8.self) else {
                throw .invalidUTF8(at: .line(lineNumber))
            }
            builder.add(word, at: lineNumber)
        }
        if builder.words.count == 0 && !hasHeader && limit > 0 { throw .emptyFile(path: reader.path) }
        if let declared {
            if builder.words.count < declared && builder.words.count < limit {
                throw .headerCountMismatch(declared: declared, found: builder.words.count)
            }
            if builder.words.count == declared && limit > declared {
                var extra = 0
                while try reader.readLine(into: &line) {
                    parser.load(line)
                    if !parser.tokens.isEmpty { extra += 1 }
                }
                if extra > 0 { throw .headerCountMismatch(declared: declared, found: declared + extra) }
            }
        }
        return builder
    }

    private static func readBinary(_ reader: ByteReader, limit: Int,
                                   reporter: ProgressReporter) throws(VectorFormatError) -> Builder {
        var line: [UInt8] = []
        guard try reader.readLine(into: &line) else { throw .emptyFile(path: reader.path) }
        let (declared, dimension) = try parseHeader(line)
        let target = min(limit, declared)
        // A record is at least a space and 4·D bytes: check the header's dimension against the
        // bytes really there before allocating a row for it.
        let (recordBytes, overflow) = dimension.multipliedReportingOverflow(by: 4)
        if target > 0 && (overflow || recordBytes >= reader.remainingBytes) {
            throw .headerExceedsFile(words: declared, dimension: dimension,
                                     availableBytes: reader.remainingBytes, binary: true)
        }
        var builder = Builder(dimension: dimension,
                              expectedWords: min(target, reader.remainingBytes / (recordBytes + 2)))
        builder.locationsAreLines = false
        var word: [UInt8] = []
        for _ in 0..<target {
            reporter.update(reader.offset)
            if reporter.isCancelled { throw .cancelled }
            // The C tool ends each record with "\n"; gensim does not. Skip it before the word.
            while let byte = try reader.peekByte(), byte == 0x0A { reader.skipByte() }
            let wordOffset = reader.offset
            word.removeAll(keepingCapacity: true)
            guard try reader.readUntil(0x20, into: &word, limit: maximumWordBytes) else {
                if word.count > maximumWordBytes {
                    throw .wordTooLong(byteOffset: wordOffset, limit: maximumWordBytes)
                }
                throw .truncated(byteOffset: reader.offset)
            }
            guard !word.isEmpty else { throw .emptyWord(at: .byteOffset(wordOffset)) }
            guard let text = String(validating: word, as: UTF8.self) else {
                throw .invalidUTF8(at: .byteOffset(wordOffset))
            }
            let vectorOffset = reader.offset
            guard recordBytes <= reader.remainingBytes else { throw .truncated(byteOffset: reader.fileSize) }
            let rowStart = builder.scalars.count
            builder.scalars.append(contentsOf: repeatElement(0, count: dimension))
            let copied = try builder.scalars.withUnsafeMutableBytes { bytes in
                Result { () throws(VectorFormatError) -> Int in
                    try reader.readBytes(into: bytes.baseAddress! + 4 * rowStart, count: recordBytes)
                }
            }.get()
            guard copied == recordBytes else { throw .truncated(byteOffset: reader.offset) }
            #if _endian(big)
            for i in rowStart..<(rowStart + dimension) {
                builder.scalars[i] = Float(bitPattern: UInt32(littleEndian: builder.scalars[i].bitPattern))
            }
            #endif
            for i in rowStart..<(rowStart + dimension) where !builder.scalars[i].isFinite {
                throw .nonFiniteValue(word: text, byteOffset: vectorOffset)
            }
            builder.add(text, at: wordOffset)
        }
        if target == declared {
            while let byte = try reader.peekByte() {
                guard byte == 0x0A || byte == 0x20 || byte == 0x0D || byte == 0x09 else {
                    throw .trailingData(byteOffset: reader.offset)
                }
                reader.skipByte()
            }
        }
        return builder
    }
}
