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

    /// The format a file name suggests, for writing: `.bin` is word2vec binary, a name containing
    /// "glove" is GloVe, anything else word2vec text.
    public static func guess(fromPath path: String) -> VectorFileFormat {
        let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
        if name.hasSuffix(".bin") { return .word2vecBinary }
        if name.contains("glove") { return .glove }
        return .word2vecText
    }

    /// How many leading bytes detection looks at.
    static let detectionBytes = 1 << 16

    /// The format of the file at `path`, judged from its first bytes (at most 64 KiB).
    ///
    /// A first line of two integers is a word2vec header; the records after it are text when
    /// they look like text (valid UTF-8 without control bytes other than tab, CR and LF, or a
    /// first record that parses as a word and D numbers), binary otherwise. A file without such
    /// a header is GloVe when it looks like text. So a malformed *text* file is always read as
    /// text, and its reader reports the line that is wrong; it never becomes a binary import.
    /// The `.bin` extension decides only a header with nothing after it.
    public static func detect(path: String) throws(VectorFormatError) -> VectorFileFormat {
        let reader = try ByteReader(path: path, bufferSize: detectionBytes)
        return try detect(reader)
    }

    /// The format of what `reader` holds, from its first bytes (not consumed).
    static func detect(_ reader: ByteReader) throws(VectorFormatError) -> VectorFileFormat {
        let head = try reader.head(detectionBytes)
        guard !head.isEmpty else { throw .emptyFile(path: reader.path) }
        return try detect(head: head, complete: head.count == reader.remainingBytes, path: reader.path)
    }

    /// The decision on the first bytes of a file (`complete`: they are the whole file).
    static func detect(head: [UInt8], complete: Bool, path: String) throws(VectorFormatError) -> VectorFileFormat {
        guard let firstLineEnd = head.firstIndex(of: 0x0A) ?? (complete ? head.count : nil) else {
            // One line longer than 64 KiB: a very wide GloVe file, if it is text at all.
            guard looksLikeText(head[...], complete: complete) else { throw .unrecognizedFormat(path: path) }
            return .glove
        }
        var parser = LineParser()
        parser.load(Array(head[..<firstLineEnd]))
        if parser.tokens.count == 2, parser.looksLikeInteger(0), parser.looksLikeInteger(1) {
            // A word2vec header (its reader validates the numbers). Are the records text?
            let rest = head[min(head.count, firstLineEnd + 1)...]
            if rest.isEmpty { return path.hasSuffix(".bin") ? .word2vecBinary : .word2vecText }
            if looksLikeText(rest, complete: complete) { return .word2vecText }
            if let dimension = parser.integer(1), dimension > 0,
               let lineEnd = rest.firstIndex(of: 0x0A) ?? (complete ? head.count : nil) {
                parser.load(Array(head[rest.startIndex..<lineEnd]))
                // A text record in another encoding: the text reader names the bad line.
                if parser.tokens.count == dimension + 1, parsesAsNumbers(&parser) { return .word2vecText }
            }
            return .word2vecBinary
        }
        // GloVe: a word and numbers. Only the first line decides; the reader checks the rest.
        guard looksLikeText(head[...], complete: complete), parser.tokens.count >= 2,
              parsesAsNumbers(&parser) else { throw .unrecognizedFormat(path: path) }
        return .glove
    }

    /// Whether `bytes` could be part of a text file: well-formed UTF-8 (a sequence cut off at
    /// the end is allowed unless the bytes are the whole file) with no control bytes but tab,
    /// LF, CR, vertical tab and form feed. Binary Float32 data fails this almost surely: about 9%
    /// of its mantissa bytes are control bytes and most high bytes break UTF-8.
    static func looksLikeText(_ bytes: ArraySlice<UInt8>, complete: Bool) -> Bool {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b = bytes[i]
            if b < 0x80 {
                if (b < 0x20 && !(0x09...0x0D).contains(b)) || b == 0x7F { return false }
                i += 1
                continue
            }
            let length: Int
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return false
            }
            if i + length > end { return !complete }
            guard String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil else { return false }
            i += length
        }
        return true
    }

    private static func parsesAsNumbers(_ parser: inout LineParser) -> Bool {
        // The scratch row is bounded by the line's token count, never by a header's claim.
        var scratch = [Float](repeating: 0, count: parser.tokens.count - 1)
        return scratch.withUnsafeMutableBufferPointer { parser.parseFloats(into: $0.baseAddress!) } == nil
    }
}
