import Foundation
import Testing
import TextCorpus

@Suite("Bad input")
struct BadInputTests {
    let all = CorpusOptions(minCount: 1)

    @Test("a missing file is fileNotFound")
    func missingFile() {
        let path = "/nonexistent/w2v/corpus.txt"
        #expect(throws: CorpusError.fileNotFound(path: path)) { try EncodedCorpus.load(contentsOf: path) }
        #expect(CorpusError.fileNotFound(path: path).description == "The corpus file \"/nonexistent/w2v/corpus.txt\" does not exist.")
    }

    @Test("a directory without files to read is emptyDirectory, with a remedy")
    func directory() throws {
        let directory = TemporaryDirectory()
        _ = try directory.file(".hidden", text: "the cat sat\n")
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("sub"), withIntermediateDirectories: false)
        _ = try directory.file("sub/inner.txt", text: "the cat sat\n")
        #expect(throws: CorpusError.emptyDirectory(path: directory.url.path)) {
            try EncodedCorpus.load(contentsOf: directory.url.path)
        }
        let error = CorpusError.emptyDirectory(path: "d")
        #expect(error.problem == "The corpus directory \"d\" holds no files to read (hidden files, subdirectories and special files are not read).")
        #expect(error.remedy == "Put the corpus's text files (plain text, gzip or xz) in the directory, or give a file instead.")
    }

    @Test("an empty file and a file of only whitespace are empty",
          arguments: ["", " \n\t\r\n  \u{3000}\n", "\n\n\n"])
    func emptyFiles(content: String) throws {
        let directory = TemporaryDirectory()
        let path = try directory.file("empty.txt", text: content)
        #expect(throws: CorpusError.empty(path: path)) { try EncodedCorpus.load(contentsOf: path, options: all) }
        #expect(throws: CorpusError.empty(path: EncodedCorpus.textSourceName)) {
            try EncodedCorpus.encode(text: content, options: CorpusOptions(endOfSentenceMarker: "<eos>"))
        }
        #expect(CorpusError.empty(path: path).description.contains("contains no words"))
    }

    @Test("invalid UTF-8 is an error naming the byte offset of the bad sequence",
          arguments: [
            ([0x61, 0x62, 0x20, 0xFF, 0x63] as [UInt8], 3),          // byte never used in UTF-8
            ([0x61, 0x20, 0x62, 0x80] as [UInt8], 3),                // lone continuation byte
            ([0x61, 0xC3, 0x28] as [UInt8], 1),                      // lead byte without continuation
            ([0x20, 0xC0, 0xAF] as [UInt8], 1),                      // overlong encoding of "/"
            ([0x61, 0x62, 0xED, 0xA0, 0x80] as [UInt8], 2),          // UTF-16 surrogate
            ([0x61, 0xE2, 0x82] as [UInt8], 1),                      // truncated at end of file
            ([0x63, 0x61, 0x66, 0xE9, 0x20] as [UInt8], 3),          // Latin-1 "café"
          ])
    func invalidUTF8(bytes: [UInt8], offset: Int) throws {
        let directory = TemporaryDirectory()
        let path = try directory.file("bad.txt", bytes: bytes)
        for chunkSize in [1, 2, 1 << 20] {
            #expect(throws: CorpusError.invalidUTF8(path: path, byteOffset: offset)) {
                try EncodedCorpus.load(contentsOf: path, options: all, chunkSize: chunkSize)
            }
        }
        #expect(CorpusError.invalidUTF8(path: path, byteOffset: offset).description.contains("byte offset \(offset)"))
    }

    @Test("a NUL byte is an error naming its offset, also deep in a multi-chunk file")
    func nulByte() throws {
        let directory = TemporaryDirectory()
        var bytes = Array(String(repeating: "word ", count: 20_000).utf8)
        bytes[70_001] = 0
        let path = try directory.file("binary.bin", bytes: bytes)
        #expect(throws: CorpusError.nulByte(path: path, byteOffset: 70_001)) {
            try EncodedCorpus.load(contentsOf: path, options: all, chunkSize: 4096)
        }
        #expect(CorpusError.nulByte(path: path, byteOffset: 70_001).description.contains("NUL byte at byte offset 70001"))
    }

    @Test("the replace policy turns each maximal ill-formed subsequence and NUL into U+FFFD")
    func replacePolicy() throws {
        let bytes: [UInt8] = [0x61, 0xFF, 0x62, 0x20, 0xE2, 0x82, 0x20, 0xF0, 0x80, 0x20, 0x00, 0x7A, 0x20, 0xE2, 0x82]
        var options = all
        options.invalidUTF8 = .replace
        let directory = TemporaryDirectory()
        let path = try directory.file("bad.txt", bytes: bytes)
        let corpus = try EncodedCorpus.load(contentsOf: path, options: options, chunkSize: 3)
        #expect(words(corpus) == ["a\u{FFFD}b", "\u{FFFD}", "\u{FFFD}\u{FFFD}", "\u{FFFD}z", "\u{FFFD}"])
        // Python agrees: bytes(...).decode("utf-8", errors="replace").split()
        let swiftDecoded = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\0", with: "\u{FFFD}")
        #expect(words(corpus) == swiftDecoded.split(separator: " ").map(String.init))
    }

    @Test("the skip policy drops invalid bytes and NUL")
    func skipPolicy() throws {
        var options = all
        options.invalidUTF8 = .skip
        let directory = TemporaryDirectory()
        let path = try directory.file("bad.txt", bytes: [0x61, 0xFF, 0x62, 0x20, 0xE2, 0x82, 0x20, 0x00, 0x7A, 0x20, 0xC3])
        let corpus = try EncodedCorpus.load(contentsOf: path, options: options)
        #expect(words(corpus) == ["ab", "z"])
    }

    @Test("a corpus where min-count leaves no words is noWordsAfterMinCount")
    func nothingLeft() throws {
        let directory = TemporaryDirectory()
        let path = try directory.file("rare.txt", text: "every word here is different\n")
        #expect(throws: CorpusError.noWordsAfterMinCount(minCount: 2, distinctWords: 5)) {
            try EncodedCorpus.load(contentsOf: path, options: CorpusOptions(minCount: 2))
        }
        #expect(CorpusError.noWordsAfterMinCount(minCount: 2, distinctWords: 5).description
            == "No word occurs at least 2 times (the corpus has 5 distinct words). Lower the minimum count or use a larger corpus.")
    }

    @Test("a run of non-whitespace longer than the limit is tokenTooLong, with bounded memory")
    func tokenTooLong() throws {
        var options = all
        options.maximumTokenBytes = 100
        let text = "short " + String(repeating: "x", count: 101)
        #expect(throws: CorpusError.tokenTooLong(path: EncodedCorpus.textSourceName, byteOffset: 6, limit: 100)) {
            try EncodedCorpus.encode(text: text, options: options)
        }
        #expect(try EncodedCorpus.encode(text: String(repeating: "x", count: 100), options: options).tokenCount == 1)
    }

    @Test("out-of-range options are invalidOptions",
          arguments: [CorpusOptions(minCount: 0), CorpusOptions(maxVocabularySize: 0),
                      CorpusOptions(endOfSentenceMarker: ""), CorpusOptions(endOfSentenceMarker: "end of"),
                      CorpusOptions(maximumTokenBytes: 0)])
    func invalidOptions(options: CorpusOptions) {
        #expect {
            try EncodedCorpus.encode(text: "a b c", options: options)
        } throws: { error in
            guard case let .invalidOptions(reason) = error as? CorpusError else { return false }
            return !reason.isEmpty && (error as! CorpusError).description.hasPrefix("Invalid corpus options: ")
        }
    }
}
