/// The vector file formats w2v reads and writes.
///
/// - `word2vecText`: a header line `V D`, then V lines `word x1 ... xD` (the C tool's `-binary 0`
///   and gensim's `save_word2vec_format(binary=False)`; fastText `.vec` files too).
/// - `word2vecBinary`: the header line `V D\n`, then per word the UTF-8 word, one space and D
///   little-endian Float32 values (4·D bytes), optionally followed by `\n` (the C tool writes it,
///   gensim does not).
/// - `glove`: lines `word x1 ... xD` with no header (Pennington et al., 2014); D is the number of
///   values on the first line.
public enum VectorFileFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    case word2vecText = "word2vec"
    case word2vecBinary = "word2vec-binary"
    case glove

    public var description: String { rawValue }

    /// The format of the file at `path`, judged from its first bytes (at most 64 KiB):
    /// a first line of two integers is a word2vec header, and the record after it is text when it
    /// parses as a word and D numbers, binary otherwise; a first line of a word and numbers is
    /// GloVe. The file extension is used only when the contents are ambiguous (`.bin` → binary).
    public static func detect(path: String) throws(VectorFormatError) -> VectorFileFormat {
        let reader = try ByteReader(path: path, bufferSize: 1 << 16)
        guard reader.fileSize > 0 else { throw .emptyFile(path: path) }
        var head = [UInt8](repeating: 0, count: min(reader.fileSize, 1 << 16))
        let read = head.withUnsafeMutableBytes { b in
            Result { () throws(VectorFormatError) -> Int in try reader.readBytes(into: b.baseAddress!, count: b.count) }
        }
        let n = try read.get()
        head.removeSubrange(n...)
        guard let firstNewline = head.firstIndex(of: 0x0A) else {
            // A single line: GloVe with one word, or a header with no records.
            return try classifySingleLine(Array(head), path: path)
        }
        var parser = LineParser()
        parser.load(Array(head[..<firstNewline]))
        if parser.tokens.count == 2, parser.integer(0) != nil, let dimension = parser.integer(1), dimension > 0 {
            // A word2vec header. Is the first record text?
            let rest = head[(firstNewline + 1)...]
            if rest.isEmpty { return path.hasSuffix(".bin") ? .word2vecBinary : .word2vecText }
            if let lineEnd = rest.firstIndex(of: 0x0A) ?? (head.count == reader.fileSize ? head.count : nil) {
                parser.load(Array(head[(firstNewline + 1)..<lineEnd]))
                if parser.tokens.count == dimension + 1, parsesAsNumbers(&parser, dimension: dimension) {
                    return .word2vecText
                }
            }
            return .word2vecBinary
        }
        if parser.tokens.count >= 2, parsesAsNumbers(&parser, dimension: parser.tokens.count - 1) {
            return .glove
        }
        throw .unrecognizedFormat(path: path)
    }

    private static func classifySingleLine(_ line: [UInt8], path: String) throws(VectorFormatError) -> VectorFileFormat {
        var parser = LineParser()
        parser.load(line)
        if parser.tokens.count == 2, parser.integer(0) != nil, parser.integer(1) != nil {
            return path.hasSuffix(".bin") ? .word2vecBinary : .word2vecText
        }
        if parser.tokens.count >= 2, parsesAsNumbers(&parser, dimension: parser.tokens.count - 1) { return .glove }
        throw .unrecognizedFormat(path: path)
    }

    private static func parsesAsNumbers(_ parser: inout LineParser, dimension: Int) -> Bool {
        var scratch = [Float](repeating: 0, count: dimension)
        return scratch.withUnsafeMutableBufferPointer { parser.parseFloats(into: $0.baseAddress!) } == nil
    }
}
