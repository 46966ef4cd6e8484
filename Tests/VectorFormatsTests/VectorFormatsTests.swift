import Embeddings
import Foundation
import TensorCore
import Testing
@testable import VectorFormats

@Suite("Round trips and detection")
struct RoundTripTests {
    @Test(arguments: VectorFileFormat.allCases)
    func writeThenReadIsBitExact(_ format: VectorFileFormat) throws {
        let directory = try makeTemporaryDirectory()
        let vectors = try sampleVectors()
        let path = directory + "/vectors.out"
        try VectorFileWriter.write(vectors, to: path, format: format)
        let back = try VectorFileReader.read(contentsOf: path, format: format)
        #expect(back.words == vectors.words)
        #expect(back.vectors.shape == vectors.vectors.shape)
        // Bit patterns, so that -0.0 and subnormals count.
        #expect(back.vectors.scalars.map(\.bitPattern) == vectors.vectors.scalars.map(\.bitPattern))
        #expect(back.counts == [Int](repeating: 0, count: vectors.count))
        #expect(try VectorFileFormat.detect(path: path) == format)
        #expect(try VectorFileReader.read(contentsOf: path) == back, "detected format reads the same")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(leftovers == ["vectors.out"], "no temporary file is left behind")
    }

    @Test(arguments: VectorFileFormat.allCases)
    func exportIsIdempotent(_ format: VectorFileFormat) throws {
        let directory = try makeTemporaryDirectory()
        let first = directory + "/a", second = directory + "/b"
        try VectorFileWriter.write(try sampleVectors(), to: first, format: format)
        try VectorFileWriter.write(try VectorFileReader.read(contentsOf: first, format: format), to: second, format: format)
        #expect(try readBytes(first) == readBytes(second))
    }

    @Test func binaryLayoutMatchesTheCTool() throws {
        let directory = try makeTemporaryDirectory()
        let vectors = try WordVectors(words: ["a", "bé"], vectors: Tensor([[1, -2], [0.5, 3]]))
        let path = directory + "/tiny.bin"
        try VectorFileWriter.write(vectors, to: path, format: .word2vecBinary)
        let expected = Array("2 2\na ".utf8) + littleEndianBytes([1, -2]) + [0x0A]
            + Array("bé ".utf8) + littleEndianBytes([0.5, 3]) + [0x0A]
        #expect(try readBytes(path) == expected)
    }

    @Test func textLayoutUsesShortestRoundTripNumbers() throws {
        let directory = try makeTemporaryDirectory()
        let vectors = try WordVectors(words: ["a", "b"], vectors: Tensor([[0.1, -2], [1e-05, 3.25]]))
        let text = directory + "/tiny.txt", glove = directory + "/tiny.glove"
        try VectorFileWriter.write(vectors, to: text, format: .word2vecText)
        try VectorFileWriter.write(vectors, to: glove, format: .glove)
        #expect(String(decoding: try readBytes(text), as: UTF8.self) == "2 2\na 0.1 -2.0\nb 1e-05 3.25\n")
        #expect(String(decoding: try readBytes(glove), as: UTF8.self) == "a 0.1 -2.0\nb 1e-05 3.25\n")
    }

    @Test func gensimBinaryWithoutNewlinesReads() throws {
        let directory = try makeTemporaryDirectory()
        let bytes = Array("2 3\n".utf8) + Array("one ".utf8) + littleEndianBytes([1, 2, 3])
            + Array("two ".utf8) + littleEndianBytes([10, 0x1p-3, -4])
        let path = try writeFile(bytes, named: "g.bin", in: directory)
        #expect(try VectorFileFormat.detect(path: path) == .word2vecBinary)
        let vectors = try VectorFileReader.read(contentsOf: path)
        #expect(vectors.words == ["one", "two"])
        #expect(vectors.vectors.scalars == [1, 2, 3, 10, 0.125, -4])
    }

    @Test func textToleratesCRLFTabsAndBlankLines() throws {
        let directory = try makeTemporaryDirectory()
        let path = try writeFile("2 2\r\nx 1 2 \r\n\r\ny\t-1.5\t2e3\r\n", named: "crlf.txt", in: directory)
        let vectors = try VectorFileReader.read(contentsOf: path)
        #expect(vectors.words == ["x", "y"])
        #expect(vectors.vectors.scalars == [1, 2, -1.5, 2000])
    }

    @Test(arguments: VectorFileFormat.allCases)
    func limitReadsTheFirstWords(_ format: VectorFileFormat) throws {
        let directory = try makeTemporaryDirectory()
        let vectors = try sampleVectors()
        let path = directory + "/limit"
        try VectorFileWriter.write(vectors, to: path, format: format)
        let first = try VectorFileReader.read(contentsOf: path, format: format, limit: 3)
        #expect(first.words == Array(vectors.words.prefix(3)))
        #expect(first.vectors.scalars == Array(vectors.vectors.scalars.prefix(3 * vectors.dimension)))
        #expect(try VectorFileReader.read(contentsOf: path, format: format, limit: 1000) == vectors)
        #expect(try VectorFileReader.read(contentsOf: path, format: format, limit: 0).count == 0)
    }

    @Test(arguments: ["0 4\n", "0 4\n\n\n"])
    func aFileWithNoVectorsIsAnError(text: String) throws {
        // A model of zero words answers nothing: importing one is refused, in every format.
        let directory = try makeTemporaryDirectory()
        let path = try writeFile(text, named: "zero.txt", in: directory)
        for format in [nil, .word2vecText, .word2vecBinary] as [VectorFileFormat?] {
            #expect(throws: VectorFormatError.noVectors(path: path)) {
                try VectorFileReader.read(contentsOf: path, format: format)
            }
        }
    }

    @Test(arguments: VectorFileFormat.allCases)
    func progressRisesToOne(_ format: VectorFileFormat) throws {
        let directory = try makeTemporaryDirectory()
        let vectors = try sampleVectors(words: 500, dimension: 8, seed: 3)
        let path = directory + "/progress"
        var written: [Double] = []
        try VectorFileWriter.write(vectors, to: path, format: format) { written.append($0.fraction) }
        var read: [Double] = []
        _ = try VectorFileReader.read(contentsOf: path, format: format) { read.append($0.fraction) }
        for fractions in [written, read] {
            #expect(fractions.count >= 50 && fractions.count <= 202, "about every 1%: \(fractions.count)")
            #expect(zip(fractions, fractions.dropFirst()).allSatisfy { $0 <= $1 }, "non-decreasing")
            #expect(fractions.first! < 0.05 && fractions.last == 1)
        }
    }

    @Test(arguments: VectorFileFormat.allCases)
    func cancellationStopsReadingAndWriting(_ format: VectorFileFormat) throws {
        let directory = try makeTemporaryDirectory()
        let vectors = try sampleVectors(words: 500, dimension: 8, seed: 4)
        let path = directory + "/cancel"
        try VectorFileWriter.write(vectors, to: path, format: format)
        let before = try readBytes(path)
        let flag = CancellationFlag()
        flag.cancel()
        #expect(throws: VectorFormatError.cancelled) {
            try VectorFileWriter.write(try sampleVectors(words: 500, dimension: 8, seed: 5), to: path, format: format,
                                       cancellation: flag)
        }
        #expect(try readBytes(path) == before, "a cancelled export leaves the old file")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["cancel"])
        #expect(throws: VectorFormatError.cancelled) {
            try VectorFileReader.read(contentsOf: path, format: format, cancellation: flag)
        }
    }

    @Test func largeFileStreamsAcrossBufferBoundaries() throws {
        // 3000 × 50 text lines are ~1.3 MB, more than one 1 MiB read buffer.
        let directory = try makeTemporaryDirectory()
        let vectors = try sampleVectors(words: 3000, dimension: 50, seed: 5)
        for format in VectorFileFormat.allCases {
            let path = directory + "/big.\(format)"
            try VectorFileWriter.write(vectors, to: path, format: format)
            #expect(try VectorFileReader.read(contentsOf: path) == vectors)
        }
    }
}

@Suite("Malformed files")
struct MalformedFileTests {
    let directory: String
    init() throws { directory = try makeTemporaryDirectory() }

    func read(_ text: String, format: VectorFileFormat? = nil) throws -> WordVectors {
        try VectorFileReader.read(contentsOf: writeFile(text, named: "f\(UUID().uuidString)", in: directory), format: format)
    }

    func read(_ bytes: [UInt8], format: VectorFileFormat? = .word2vecBinary) throws -> WordVectors {
        try VectorFileReader.read(contentsOf: writeFile(bytes, named: "b\(UUID().uuidString)", in: directory), format: format)
    }

    @Test func missingFile() {
        #expect(throws: VectorFormatError.fileNotFound(path: directory + "/none")) {
            try VectorFileReader.read(contentsOf: directory + "/none")
        }
        #expect(throws: VectorFormatError.fileNotFound(path: directory + "/none")) {
            try VectorFileFormat.detect(path: directory + "/none")
        }
    }

    @Test func directoryIsNotReadable() {
        #expect(throws: VectorFormatError.cannotRead(path: directory, reason: "it is a directory, not a file")) {
            try VectorFileReader.read(contentsOf: directory, format: .glove)
        }
    }

    @Test(arguments: [VectorFileFormat?.none, .word2vecText, .word2vecBinary, .glove])
    func emptyFile(_ format: VectorFileFormat?) throws {
        let path = try writeFile("", named: "empty", in: directory)
        #expect(throws: VectorFormatError.emptyFile(path: path)) {
            try VectorFileReader.read(contentsOf: path, format: format)
        }
    }

    @Test func blankGloveFileIsEmpty() throws {
        let path = try writeFile("\n\n", named: "blank", in: directory)
        #expect(throws: VectorFormatError.emptyFile(path: path)) {
            try VectorFileReader.read(contentsOf: path, format: .glove)
        }
    }

    @Test func unrecognizedContents() throws {
        let path = try writeFile("hello world\nthis is prose\n", named: "prose.txt", in: directory)
        #expect(throws: VectorFormatError.unrecognizedFormat(path: path)) { try VectorFileFormat.detect(path: path) }
    }

    @Test(arguments: ["3\n", "a b\n", "3 0\n", "3 -1\n", "3 4 5\n"])
    func invalidHeader(_ header: String) {
        let expected = VectorFormatError.invalidHeader(line: 1, text: String(header.dropLast()))
        #expect(throws: expected) { try read(header + "w 1 2 3 4\n", format: .word2vecText) }
        #expect(throws: expected) { try read(Array(header.utf8)) }
    }

    @Test func headerDeclaresMoreWordsThanPresent() {
        #expect(throws: VectorFormatError.headerCountMismatch(declared: 3, found: 2)) {
            try read("3 2\na 1 2\nb 3 4\n")
        }
    }

    @Test func headerDeclaresFewerWordsThanPresent() {
        #expect(throws: VectorFormatError.headerCountMismatch(declared: 1, found: 3)) {
            try read("1 2\na 1 2\nb 3 4\n\nc 5 6\n")
        }
    }

    @Test func wrongFloatCount() {
        #expect(throws: VectorFormatError.wrongFloatCount(line: 3, expected: 2, found: 3)) {
            try read("2 2\na 1 2\nb 3 4 5\n")
        }
        #expect(throws: VectorFormatError.wrongFloatCount(line: 2, expected: 3, found: 1)) {
            try read("a 1 2 3\nb 4\n", format: .glove)
        }
        #expect(throws: VectorFormatError.wrongFloatCount(line: 1, expected: 1, found: 0)) {
            try read("lonely\n", format: .glove)
        }
    }

    @Test(arguments: ["abc", "1.5x", "nan", "inf", "1e39", "--1"])
    func invalidNumber(_ token: String) {
        #expect(throws: VectorFormatError.invalidNumber(line: 3, token: token)) {
            try read("2 2\na 1 2\nb 3 \(token)\n")
        }
    }

    @Test func invalidUTF8InText() {
        let bytes = Array("2 1\na 1\n".utf8) + [0xC3, 0x28] + Array(" 2\n".utf8)
        #expect(throws: VectorFormatError.invalidUTF8(at: .line(3))) { try read(bytes, format: .word2vecText) }
    }

    @Test func invalidUTF8InBinary() {
        let bytes = Array("2 1\na ".utf8) + littleEndianBytes([1]) + [0x0A, 0xFF, 0xFE, 0x20] + littleEndianBytes([2])
        #expect(throws: VectorFormatError.invalidUTF8(at: .byteOffset(11))) { try read(bytes) }
    }

    @Test func duplicateWordInText() {
        #expect(throws: VectorFormatError.duplicateWord("a", at: .line(4))) {
            try read("3 1\na 1\nb 2\na 3\n")
        }
    }

    @Test func duplicateWordInBinary() {
        let bytes = Array("2 1\nab ".utf8) + littleEndianBytes([1]) + [0x0A] + Array("ab ".utf8) + littleEndianBytes([2])
        #expect(throws: VectorFormatError.duplicateWord("ab", at: .byteOffset(12))) { try read(bytes) }
    }

    @Test func truncatedBinaryMidVector() {
        let whole = Array("2 2\na ".utf8) + littleEndianBytes([1, 2]) + [0x0A] + Array("b ".utf8) + littleEndianBytes([3, 4])
        let cut = Array(whole.dropLast(3))
        #expect(throws: VectorFormatError.truncated(byteOffset: cut.count)) { try read(cut) }
    }

    @Test func truncatedBinaryMidWord() {
        let bytes = Array("2 2\na ".utf8) + littleEndianBytes([1, 2]) + [0x0A] + Array("bb".utf8)
        #expect(throws: VectorFormatError.truncated(byteOffset: bytes.count)) { try read(bytes) }
    }

    @Test func emptyWordInBinary() {
        let bytes = Array("1 1\n ".utf8) + littleEndianBytes([1])
        #expect(throws: VectorFormatError.emptyWord(at: .byteOffset(4))) { try read(bytes) }
    }

    @Test func overlongWordInBinary() {
        let bytes = Array("1 1\n".utf8) + [UInt8](repeating: 0x61, count: VectorFileReader.maximumWordBytes + 10)
        #expect(throws: VectorFormatError.wordTooLong(byteOffset: 4, limit: VectorFileReader.maximumWordBytes)) {
            try read(bytes)
        }
    }

    @Test func nonFiniteBinaryValue() {
        let bytes = Array("1 2\nw ".utf8) + littleEndianBytes([1, .nan])
        #expect(throws: VectorFormatError.nonFiniteValue(word: "w", byteOffset: 6)) { try read(bytes) }
    }

    @Test func trailingDataAfterBinaryRecords() {
        let bytes = Array("1 1\nw ".utf8) + littleEndianBytes([1]) + Array("\nextra ".utf8)
        #expect(throws: VectorFormatError.trailingData(byteOffset: 11)) { try read(bytes) }
    }

    @Test func unwritableWords() throws {
        for word in ["two words", "tab\there", "", "line\nbreak"] {
            let vectors = try WordVectors(words: [word], vectors: Tensor([[1]]))
            #expect(throws: VectorFormatError.unwritableWord(word)) {
                try VectorFileWriter.write(vectors, to: directory + "/out", format: .word2vecText)
            }
        }
    }

    /// Found by the vector-file fuzzer: a GloVe file whose first word begins with U+FEFF would
    /// read back without it (readers skip a byte-order mark). word2vec formats start with a header.
    @Test func aGloVeFileCannotStartWithAByteOrderMark() throws {
        let word = "\u{FEFF}1"
        let vectors = try WordVectors(words: [word, "b"], vectors: Tensor([[1], [2]]))
        #expect(throws: VectorFormatError.unwritableWord(word)) {
            try VectorFileWriter.write(vectors, to: directory + "/out", format: .glove)
        }
        for format in [VectorFileFormat.word2vecText, .word2vecBinary] {
            try VectorFileWriter.write(vectors, to: directory + "/out", format: format)
            #expect(try VectorFileReader.read(contentsOf: directory + "/out", format: format) == vectors)
        }
    }

    @Test func unwritableValues() throws {
        let vectors = try WordVectors(words: ["a", "b"], vectors: Tensor([[1], [.infinity]]))
        #expect(throws: VectorFormatError.unwritableValue(word: "b")) {
            try VectorFileWriter.write(vectors, to: directory + "/out", format: .word2vecBinary)
        }
    }

    @Test func writeIntoMissingDirectoryFails() throws {
        let path = directory + "/missing/out.bin"
        #expect(throws: VectorFormatError.writeFailed(path: path, reason: "No such file or directory")) {
            try VectorFileWriter.write(try sampleVectors(), to: path, format: .word2vecBinary)
        }
    }

    @Test func failedWriteKeepsTheExistingFile() throws {
        let path = try writeFile("1 1\nold 1\n", named: "keep.txt", in: directory)
        let bad = try WordVectors(words: ["new"], vectors: Tensor([[.nan]]))
        #expect(throws: VectorFormatError.unwritableValue(word: "new")) {
            try VectorFileWriter.write(bad, to: path, format: .word2vecText)
        }
        #expect(try readBytes(path) == Array("1 1\nold 1\n".utf8))
    }
}

@Suite("Files written by other tools (../shared/data/vectors)")
struct SharedFileTests {
    @Test(.enabled(if: sharedFileExists("pretrained.vec")))
    func pretrainedVecHasAHeaderCountMismatch() {
        #expect(throws: VectorFormatError.headerCountMismatch(declared: 3, found: 1)) {
            try VectorFileReader.read(contentsOf: sharedVectorFile("pretrained.vec"))
        }
    }

    @Test(.enabled(if: sharedFileExists("googlenews-subset-347x300.w2v.txt")))
    func googleNewsSubset() throws {
        let path = sharedVectorFile("googlenews-subset-347x300.w2v.txt")
        #expect(try VectorFileFormat.detect(path: path) == .word2vecText)
        let vectors = try VectorFileReader.read(contentsOf: path)
        #expect(vectors.count == 347 && vectors.dimension == 300)
        #expect(vectors.words.first == "management")
        #expect(vectors.vector(at: 0).prefix(3) == [-0.15332031, 0.103515625, -0.08984375])
    }

    @Test(.enabled(if: sharedFileExists("lee_fasttext.vec")))
    func fastTextVec() throws {
        let path = sharedVectorFile("lee_fasttext.vec")
        #expect(try VectorFileFormat.detect(path: path) == .word2vecText)
        let vectors = try VectorFileReader.read(contentsOf: path)
        #expect(vectors.count == 1762 && vectors.dimension == 10)
        #expect(vectors.words.first == "the")
        #expect(vectors.vector(at: 0).first == -0.65992)
    }

    @Test(.enabled(if: sharedFileExists("euclidean_vectors.bin")))
    func gensimBinary() throws {
        let path = sharedVectorFile("euclidean_vectors.bin")
        #expect(try VectorFileFormat.detect(path: path) == .word2vecBinary)
        let vectors = try VectorFileReader.read(contentsOf: path)
        #expect(vectors.count == 2747 && vectors.dimension == 10)
        #expect(Array(vectors.words.prefix(3)) == ["the", "to", "of"])
        // Re-exported binary reads back bit-exactly.
        let directory = try makeTemporaryDirectory()
        try VectorFileWriter.write(vectors, to: directory + "/copy.bin", format: .word2vecBinary)
        #expect(try VectorFileReader.read(contentsOf: directory + "/copy.bin") == vectors)
    }

    @Test(.enabled(if: sharedFileExists("high_precision.kv.bin") && sharedFileExists("high_precision.kv.txt")))
    func highPrecisionFiles() throws {
        // The binary file holds reduced-precision values; the text file the full-precision ones.
        let binary = try VectorFileReader.read(contentsOf: sharedVectorFile("high_precision.kv.bin"))
        let text = try VectorFileReader.read(contentsOf: sharedVectorFile("high_precision.kv.txt"))
        #expect(binary.words == ["kangaroo.n.01", "horse.n.01"] && text.words == binary.words)
        #expect(binary.vectors.scalars.map(\.bitPattern) == [0xBA41_2000, 0xB8AD_6000, 0xBA60_0000, 0x3A49_C000])
        let expectedText: [Float] = [-0.0007369244245224787, -8.269973595356034e-05,
                                     -0.0008546282343595379, 0.0007694142576316829]
        #expect(text.vectors.scalars == expectedText)
        for (b, t) in zip(binary.vectors.scalars, text.vectors.scalars) { #expect(abs(b - t) <= 1e-3 * abs(t)) }
    }

    @Test(.enabled(if: sharedFileExists("test_glove.txt")))
    func gloveText() throws {
        let path = sharedVectorFile("test_glove.txt")
        #expect(try VectorFileFormat.detect(path: path) == .glove)
        let vectors = try VectorFileReader.read(contentsOf: path)
        #expect(vectors.count == 76 && vectors.dimension == 50)
        #expect(vectors.words.first == "the" && vectors.contains("ö"))
        #expect(vectors.vector(at: 0).prefix(2) == [0.418, 0.24968])
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: sharedVectorFile(""))))
    func everySharedFileReadsOrFailsWithATypedError() throws {
        let directory = sharedVectorFile("")
        for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() {
            let path = directory + "/" + name
            do {
                let vectors = try VectorFileReader.read(contentsOf: path)
                #expect(vectors.count > 0 && vectors.dimension > 0, "\(name)")
                // Every format round-trips what was read.
                let out = try makeTemporaryDirectory()
                for format in VectorFileFormat.allCases {
                    try VectorFileWriter.write(vectors, to: out + "/x", format: format)
                    #expect(try VectorFileReader.read(contentsOf: out + "/x", format: format) == vectors, "\(name) \(format)")
                }
            } catch {
                #expect(name == "pretrained.vec", "\(name): \(error)")
            }
        }
    }
}

@Suite("Fast decimal parsing agrees with strtof")
struct FastParseTests {
    func strtofReference(_ text: String) -> Float? {
        var end: UnsafeMutablePointer<CChar>? = nil
        return text.withCString { start -> Float? in
            let value = strtof(start, &end)
            return end == UnsafeMutablePointer(mutating: start) + strlen(start) ? value : nil
        }
    }

    func fast(_ text: String) -> Float? {
        Array(text.utf8).withUnsafeBufferPointer { fastParseFloat($0.baseAddress!, $0.count) }
    }

    /// The fast path either declines or returns strtof's exact bits.
    func check(_ text: String) -> Bool {
        guard let value = fast(text) else { return false }
        #expect(value.bitPattern == strtofReference(text)?.bitPattern, "\(text)")
        return true
    }

    @Test func randomFloatsInEveryCommonSpelling() {
        var rng = SplitMix64(seed: 99)
        var taken = 0, total = 0
        for _ in 0..<5_000 {
            let magnitude = Float.pow(10, Float(rng.nextIndex(below: 12)) - 8)
            let value = rng.nextNormal() * magnitude
            let spellings = [value.description, String(format: "%.6f", value), String(format: "%.6g", value),
                             String(format: "%.9g", value), String(format: "%.17g", Double(value) * 1.000000001),
                             String(format: "%.8e", value), String(Double(value))]
            for (index, text) in spellings.enumerated() {
                let handled = check(text)
                if index < 3 {  // What w2v, the word2vec C tool (%lf) and %g write.
                    total += 1
                    if handled { taken += 1 }
                }
            }
        }
        #expect(Double(taken) / Double(total) > 0.95, "the fast path handles common tokens: \(taken)/\(total)")
    }

    @Test(arguments: ["0", "-0", "+1", "1.", ".5", "-0.000", "16777216", "3.4028235e38", "1e-22", "123456789012345678",
                      "0.1", "-8.269973595356034e-05", "7e22", "1E5", "2.5e+3"])
    func agreesOnEdgeCases(_ text: String) throws {
        // Whichever path takes it (the fast one, or strtof when the fast one declines), the reader
        // gives strtof's exact bits; and when the fast path answers, its answer is strtof's.
        let handled = check(text)
        let read = try VectorFileReader.read(bytes: Array("1 1\nw \(text)\n".utf8), format: .word2vecText)
        #expect(read.vectors.scalars.first?.bitPattern == strtofReference(text)?.bitPattern, "\(text)")
        if ["0", "-0", "+1", "0.1", "1E5", "2.5e+3", "-8.269973595356034e-05"].contains(text) {
            #expect(handled, "the fast path takes the common spelling \(text)")
        }
        if text == "-0" { #expect(fast(text)?.sign == .minus) }
    }

    @Test(arguments: ["16777217", "16777219", "0.5000000298023223876953125", "nan", "inf", "0x1p3", "1e", "e5", ".",
                      "-", "1e23", "1e-23", "1.5.2", "12a", "1234567890123456789", ""])
    func declinesWhatItCannotDoExactly(_ text: String) {
        #expect(fast(text) == nil)
    }

    @Test func midpointSpellingsStillParseCorrectlyThroughStrtof() throws {
        // 16777217 lies exactly between two Float32 values; the reader must round it to even.
        let directory = try makeTemporaryDirectory()
        let path = try writeFile("1 2\nw 16777217 16777219\n", named: "mid.txt", in: directory)
        #expect(try VectorFileReader.read(contentsOf: path).vectors.scalars == [16_777_216, 16_777_220])
    }
}

/// The classes of hostile vector files of issue 12: lying headers, malformed text through format
/// detection, byte-order marks. Each failed before (a crash, an 18 GB allocation, or a
/// "successful" binary import of a text file) and is a clear error now.
@Suite("Hostile vector files")
struct HostileVectorFileTests {
    let directory: String
    init() throws { directory = try makeTemporaryDirectory() }

    func file(_ bytes: [UInt8]) throws -> String { try writeFile(bytes, named: "h\(UUID().uuidString)", in: directory) }

    @Test(arguments: ["1 99999999999\n", "1 99999999999\nw 1 2\n", "2310707 4552730556\n",
                      "99999999999 3\n", "1 999999999999999999\n"])
    func headersThatClaimTooMuchAreRejectedBeforeAllocating(_ header: String) throws {
        // A plausible amount of junk after the header (the case: 130 KB).
        var rng = SplitMix64(seed: 5)
        let junk = (0..<130_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for bytes in [Array(header.utf8), Array(header.utf8) + junk, Array(header.utf8) + Array("w 0.5 0.25\n".utf8)] {
            let path = try file(bytes)
            for format in [nil, .word2vecText, .word2vecBinary] as [VectorFileFormat?] {
                let error = #expect(throws: VectorFormatError.self) { try VectorFileReader.read(contentsOf: path, format: format) }
                #expect(error.map { $0.concernsContents } == true, "\(String(describing: error))")
            }
            #expect(throws: VectorFormatError.self) { try VectorFileReader.read(bytes: bytes) }
        }
    }

    @Test func aBinaryHeaderWhoseVectorCannotFitNamesTheClaim() throws {
        let bytes = Array("2310707 4552730556\nw ".utf8) + [UInt8](repeating: 1, count: 1000)
        #expect(throws: VectorFormatError.headerExceedsFile(words: 2_310_707, dimension: 4_552_730_556,
                                                            availableBytes: 1002, binary: true)) {
            try VectorFileReader.read(bytes: bytes, format: .word2vecBinary)
        }
    }

    /// Malformed *text* files: detection reads them as text, and the text reader names the line
    /// (before, detection called them binary and imported garbage with exit 0).
    @Test(arguments: [
        ("2 3\na 1 2 3\nb 4 5\n", VectorFormatError.wrongFloatCount(line: 3, expected: 3, found: 2)),
        ("2 3\na 1 2 3\nb 4 5 6 7\n", .wrongFloatCount(line: 3, expected: 3, found: 4)),
        ("2 2\na 1 nan\nb 1 2\n", .invalidNumber(line: 2, token: "nan")),
        ("2 2\na inf 1\nb 1 2\n", .invalidNumber(line: 2, token: "inf")),
        ("2 2\na 1e50 1\nb 1 2\n", .invalidNumber(line: 2, token: "1e50")),
        ("2 2\na one two\nb 1 2\n", .invalidNumber(line: 2, token: "one")),
        ("2 2\nnew\tyork 1 2\nb 1 2\n", .wrongFloatCount(line: 2, expected: 2, found: 3)),
        ("3 -1\na 1\n", .invalidHeader(line: 1, text: "3 -1")),
        ("-3 2\na 1 2\n", .invalidHeader(line: 1, text: "-3 2")),
        ("a 1 2\nb 1\n", .wrongFloatCount(line: 2, expected: 2, found: 1)),
        ("a 1 2\nb 1 nan\n", .invalidNumber(line: 2, token: "nan")),
    ])
    func malformedTextIsReadAsTextAndNamesTheLine(text: String, error: VectorFormatError) throws {
        let path = try file(Array(text.utf8))
        #expect(try VectorFileFormat.detect(path: path) != .word2vecBinary)
        #expect(throws: error) { try VectorFileReader.read(contentsOf: path) }
    }

    @Test func blankLinesInATextFileAreSkipped() throws {
        let path = try file(Array("2 2\n\na 1 2\n\n\nb 3 4\n\n".utf8))
        #expect(try VectorFileFormat.detect(path: path) == .word2vecText)
        #expect(try VectorFileReader.read(contentsOf: path).words == ["a", "b"])
    }

    @Test func realBinaryFilesAreStillDetected() throws {
        let vectors = try WordVectors(words: ["a", "b", "c"], vectors: Tensor([[1, -2], [0.5, 3], [0.1, 0.2]]))
        let path = directory + "/v.out"
        try VectorFileWriter.write(vectors, to: path, format: .word2vecBinary)
        #expect(try VectorFileFormat.detect(path: path) == .word2vecBinary)
        #expect(try VectorFileReader.read(contentsOf: path) == vectors)
    }

    @Test func binaryGarbageWithoutAHeaderIsNotAVectorFile() throws {
        var rng = SplitMix64(seed: 8)
        let path = try file((0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        #expect(throws: VectorFormatError.unrecognizedFormat(path: path)) { try VectorFileReader.read(contentsOf: path) }
        // The message describes the formats; it never echoes the file's bytes.
        #expect(!VectorFormatError.unrecognizedFormat(path: path).description.contains("\u{FFFD}"))
    }

    @Test func headerMessagesShowControlBytesEscaped() throws {
        let bytes: [UInt8] = Array("3 ".utf8) + [0x01, 0xFF] + Array("\n".utf8)
        #expect(throws: VectorFormatError.invalidHeader(line: 1, text: "3 \\x01\\x??")) {
            try VectorFileReader.read(bytes: bytes, format: .word2vecText)
        }
    }

    @Test(arguments: VectorFileFormat.allCases)
    func aByteOrderMarkIsSkipped(_ format: VectorFileFormat) throws {
        let vectors = try WordVectors(words: ["king", "queen"], vectors: Tensor([[1, 2], [3, 4]]))
        let path = directory + "/bom.\(format)"
        try VectorFileWriter.write(vectors, to: path, format: format)
        let bytes = [0xEF, 0xBB, 0xBF] + (try readBytes(path))
        let withMark = try file(bytes)
        #expect(try VectorFileReader.read(contentsOf: withMark) == vectors, "detected")
        #expect(try VectorFileReader.read(contentsOf: withMark, format: format) == vectors)
        #expect(try VectorFileReader.read(bytes: bytes) == vectors)
    }

    @Test func aFIFOIsReadInOnePassWithDetection() throws {
        let path = directory + "/fifo"
        #expect(mkfifo(path, 0o600) == 0)
        let text = "2 2\na 1 2\nb 3 4\n"
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: path)!
            handle.write(Data(text.utf8))
            try? handle.close()
        }
        writer.start()
        #expect(try VectorFileReader.read(contentsOf: path).words == ["a", "b"])
    }
}
