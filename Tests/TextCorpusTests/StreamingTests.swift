import Foundation
import Testing
import TensorCore
import TextCorpus

@Suite("Streaming")
struct StreamingTests {
    static let vocabularyWords = ["the", "of", "and", "anarchism", "naïve", "日本語", "x", "café", "zürich", "philosophy"]

    /// A multi-megabyte single-line corpus (no newline at all, like text8) with multi-byte
    /// words, and the index into ``words`` of every token written.
    static let generated: (bytes: [UInt8], tokens: [Int]) = generate(bytes: 2 << 20)

    static func generate(bytes target: Int) -> (bytes: [UInt8], tokens: [Int]) {
        let encoded = vocabularyWords.map { Array($0.utf8) }
        var rng = SplitMix64(seed: 42)
        var out: [UInt8] = []
        var tokens: [Int] = []
        out.reserveCapacity(target + 32)
        while out.count < target {
            // Zipf-like choice so that counts differ.
            let word = min(rng.nextIndex(below: 10), rng.nextIndex(below: 10))
            tokens.append(word)
            out.append(contentsOf: encoded[word])
            out.append(rng.nextIndex(below: 8) == 0 ? 0x09 : 0x20)
        }
        return (out, tokens)
    }

    @Test("a multi-megabyte single-line file encodes identically in one chunk or many small ones (tokens split across buffers)")
    func chunkBoundaries() throws {
        let directory = TemporaryDirectory()
        let (bytes, tokens) = Self.generated
        let path = try directory.file("line.txt", bytes: bytes)
        let whole = try EncodedCorpus.load(contentsOf: path, options: CorpusOptions(minCount: 1), chunkSize: 16 << 20)
        let pieces = try EncodedCorpus.load(contentsOf: path, options: CorpusOptions(minCount: 1), chunkSize: 4093)
        #expect(whole == pieces)
        #expect(whole.vocabulary.count == 10)
        #expect(whole.tokenCount == tokens.count)
        // Cross-check against the words that were written.
        let idOfWord = try Self.vocabularyWords.map { try #require(whole.vocabulary.id(for: $0)) }
        #expect(whole.ids == tokens.map { idOfWord[$0] })
    }

    @Test("one-byte chunks split every token and every UTF-8 sequence, with the same result")
    func oneByteChunks() throws {
        let directory = TemporaryDirectory()
        let text = "Zürich naïve 日本語 😀 a\u{3000}b\nc\u{00A0}d zürich\n"
        let path = try directory.file("small.txt", text: text)
        var options = CorpusOptions(lowercase: true, endOfSentenceMarker: "<eos>", minCount: 1)
        let oneChunk = try EncodedCorpus.load(contentsOf: path, options: options)
        let byteByByte = try EncodedCorpus.load(contentsOf: path, options: options, chunkSize: 1)
        #expect(oneChunk == byteByByte)
        #expect(oneChunk == (try EncodedCorpus.encode(text: text, options: options)))
        #expect(words(oneChunk) == ["zürich", "naïve", "日本語", "😀", "a", "b", "<eos>", "c", "d", "zürich", "<eos>"])
        options.invalidUTF8 = .replace
        #expect(try EncodedCorpus.load(contentsOf: path, options: options, chunkSize: 1) == oneChunk)
    }

    @Test("progress is reported while reading and cancellation stops it")
    func progressAndCancellation() throws {
        let directory = TemporaryDirectory()
        let path = try directory.file("p.txt", text: "a b c d")
        var reports: [TrainingProgress] = []
        let corpus = try EncodedCorpus.load(contentsOf: path, options: CorpusOptions(minCount: 1),
                                            progress: { reports.append($0) })
        let last = try #require(reports.last)
        #expect(last.stage == "reading")
        #expect(last.fraction == 1)
        #expect(last.processedWords == corpus.tokenCount)
        let flag = CancellationFlag()
        flag.cancel()
        #expect(throws: CorpusError.cancelled) {
            try EncodedCorpus.load(contentsOf: path, options: CorpusOptions(minCount: 1), cancellation: flag)
        }
    }
}

/// One pass over any input, byte-order marks skipped (issue 12).
@Suite("Corpus sources")
struct CorpusSourceTests {
    @Test func aByteOrderMarkNeverBecomesPartOfTheFirstWord() throws {
        let dir = TemporaryDirectory()
        let path = try dir.file("bom.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("king queen king\n".utf8))
        let (corpus, source) = try EncodedCorpus.loadWithSource(contentsOf: path, options: CorpusOptions(minCount: 1))
        #expect(corpus.vocabulary.words == ["king", "queen"])
        #expect(source.byteCount == 19, "the mark is part of the file's size and checksum")
        // Offsets in errors still count from the start of the file.
        let bad = try dir.file("badbom.txt", bytes: [0xEF, 0xBB, 0xBF, 0x61, 0xFF])
        #expect(throws: CorpusError.invalidUTF8(path: bad, byteOffset: 4)) { try EncodedCorpus.load(contentsOf: bad) }
    }

    @Test func aFIFOIsReadOnceAndDescribedByThatPass() throws {
        let dir = TemporaryDirectory()
        let path = dir.url.appendingPathComponent("corpus.fifo").path
        #expect(mkfifo(path, 0o600) == 0)
        let text = String(repeating: "the cat sat on the mat\n", count: 5000)
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: path)!
            handle.write(Data(text.utf8))
            try? handle.close()
        }
        writer.start()
        var fractions: [Double] = []
        let (corpus, source) = try EncodedCorpus.loadWithSource(contentsOf: path, options: CorpusOptions(minCount: 1),
                                                               progress: { fractions.append($0.fraction) })
        #expect(corpus.tokenCount == 6 * 5000)
        #expect(source.byteCount == text.utf8.count)
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        #expect(source.checksum == hash)
        #expect(fractions.last == 1)
    }

    @Test func anEmptyDirectoryOrMissingFileIsAClearError() throws {
        let dir = TemporaryDirectory()
        #expect(throws: CorpusError.emptyDirectory(path: dir.url.path)) {
            try EncodedCorpus.load(contentsOf: dir.url.path)
        }
        #expect(throws: CorpusError.fileNotFound(path: dir.url.path + "/none")) {
            try EncodedCorpus.load(contentsOf: dir.url.path + "/none")
        }
    }
}
