import CoreIO
import Foundation
import Testing
@testable import TextCorpus

/// The same text, whichever way it arrives (issue 18): plain, gzip, xz, or split over a directory.
@Suite("Corpus formats")
struct CorpusFormatTests {
    static let lines = (0..<400).map { i in
        ["the king rules the land", "a queen rules too", "the cat sat on the mat", "dogs and cats", "naïve café ☕"][i % 5]
            + " w\(i % 37)"
    }
    static var text: String { lines.joined(separator: "\n") + "\n" }
    let options = CorpusOptions(endOfSentenceMarker: "</s>", minCount: 2)

    static func fnv(_ bytes: [UInt8]) -> UInt64 {
        var hash = FNV1a64()
        bytes.withUnsafeBytes { hash.combine($0) }
        return hash.value
    }

    /// `text` split into `parts` files of the directory (each ending with a newline), some compressed.
    static func directory(in dir: TemporaryDirectory, parts: Int) throws -> String {
        let root = dir.url.appendingPathComponent("split").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
        let chunk = (lines.count + parts - 1) / parts
        for part in 0..<parts {
            let body = Array((lines[(part * chunk)..<min(lines.count, (part + 1) * chunk)].joined(separator: "\n") + "\n").utf8)
            let format: Compression = [.none, .gzip, .xz][part % 3]
            _ = try dir.file("split/part-\(String(format: "%02d", part))", bytes: try format.compress(body))
        }
        return root
    }

    @Test("plain, .gz, .xz and a directory give the same vocabulary, ids, size and checksum of the text")
    func sameTextSameCorpus() throws {
        let dir = TemporaryDirectory()
        let bytes = Array(Self.text.utf8)
        let plain = try dir.file("corpus.txt", bytes: bytes)
        let gz = try dir.file("corpus.txt.gz", bytes: try Compression.gzip.compress(bytes))
        let xz = try dir.file("corpus.txt.xz", bytes: try Compression.xz.compress(bytes))
        let split = try Self.directory(in: dir, parts: 7)
        let (reference, plainSource) = try EncodedCorpus.loadWithSource(contentsOf: plain, options: options)
        #expect(plainSource.format == .text && plainSource.compressedByteCount == nil)
        #expect(plainSource.checksum == Self.fnv(bytes) && plainSource.byteCount == bytes.count)
        let cases: [(String, CorpusFormat)] = [(gz, .gzip), (xz, .xz), (split, .directory)]
        for (path, format) in cases {
            let (corpus, source) = try EncodedCorpus.loadWithSource(contentsOf: path, options: options, chunkSize: 333)
            #expect(corpus == reference, "\(format)")
            #expect(source.format == format)
            #expect(source.byteCount == bytes.count && source.checksum == plainSource.checksum, "\(format)")
        }
        let (_, gzSource) = try EncodedCorpus.loadWithSource(contentsOf: gz, options: options)
        #expect(gzSource.compressedByteCount == (try FileManager.default.attributesOfItem(atPath: gz)[.size] as? Int))
        let (_, dirSource) = try EncodedCorpus.loadWithSource(contentsOf: split, options: options)
        #expect(dirSource.files.map { URL(fileURLWithPath: $0.path).lastPathComponent } == (0..<7).map { "part-0\($0)" })
        let expectedFormats: [CorpusFormat] = [.text, .gzip, .xz, .text, .gzip, .xz, .text]
        #expect(dirSource.files.map { $0.format } == expectedFormats)
        #expect(dirSource.files.map { $0.byteCount }.reduce(0, +) == bytes.count)
        // Incremental encoding reads the same formats.
        let grown = try EncodedCorpus(vocabulary: reference.vocabulary, ids: []).encoding(contentsOf: xz, options: options)
        #expect(grown.ids == reference.ids)
    }

    @Test("the files of a directory are read as their own lines: no word joins two files")
    func filesDoNotJoin() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("d"), withIntermediateDirectories: false)
        _ = try dir.file("d/1.txt", text: "alpha beta")  // no final newline
        _ = try dir.file("d/2.txt", text: "gamma delta\n")
        let (corpus, _) = try EncodedCorpus.loadWithSource(contentsOf: dir.url.appendingPathComponent("d").path,
                                                           options: CorpusOptions(endOfSentenceMarker: "</s>", minCount: 1))
        let words = corpus.ids.map { corpus.vocabulary.words[Int($0)] }
        #expect(words == ["alpha", "beta", "</s>", "gamma", "delta", "</s>"])
    }

    @Test("errors about a file inside a directory name that file and an offset in its text")
    func errorsNameTheFileInside() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("d"), withIntermediateDirectories: false)
        _ = try dir.file("d/1.txt", text: "fine words here\n")
        let bad = try dir.file("d/2.gz", bytes: try Compression.gzip.compress(Array("ok ".utf8) + [0xFF] + Array(" x\n".utf8)))
        let root = dir.url.appendingPathComponent("d").path
        #expect(throws: CorpusError.invalidUTF8(path: bad, byteOffset: 3)) { try EncodedCorpus.load(contentsOf: root) }
        // A damaged compressed file inside the directory.
        var damaged = try Compression.xz.compress(Array(Self.text.utf8))
        damaged[damaged.count / 2] ^= 0x55
        _ = try dir.file("d/2.gz", bytes: damaged)
        let error = #expect(throws: CorpusError.self) { try EncodedCorpus.load(contentsOf: root) }
        guard case let .corruptCompressedFile(inner)? = error else {
            Issue.record("expected a corrupt compressed file, got \(String(describing: error))")
            return
        }
        #expect(inner.path == bad)
        #expect(error?.problem.hasPrefix("The corpus file \"\(bad)\" could not be read: its xz data is corrupt (") == true)
        #expect(error?.remedy == "Check the file with `xz -t \(bad)`, and copy or download it again.")
        // A link to nothing inside the directory.
        try FileManager.default.removeItem(atPath: bad)
        #expect(symlink(root + "/missing.txt", root + "/3.txt") == 0)
        #expect(throws: CorpusError.unreadable(path: root + "/3.txt", reason: "it is a symbolic link to a file that does not exist")) {
            try EncodedCorpus.load(contentsOf: root)
        }
    }

    @Test("a truncated .gz is a clear error with a remedy, never a shorter corpus", arguments: [Compression.gzip, .xz])
    func truncated(format: Compression) throws {
        let dir = TemporaryDirectory()
        let encoded = try format.compress(Array(Self.text.utf8))
        let path = try dir.file("cut", bytes: Array(encoded.prefix(encoded.count * 2 / 3)))
        let error = CorpusError.corruptCompressedFile(.truncatedData(path: path, format: format.rawValue))
        #expect(throws: error) { try EncodedCorpus.load(contentsOf: path) }
        #expect(error.problem == "The corpus file \"\(path)\" could not be read: its \(format.rawValue) data ends early (the file is truncated).")
    }

    @Test("compressed bytes held in memory are decoded as a file's are (the fuzzers' path)")
    func encodeBytes() throws {
        let bytes = Array(Self.text.utf8)
        let reference = try EncodedCorpus.encode(bytes: bytes, options: options)
        #expect(try EncodedCorpus.encode(bytes: try Compression.xz.compress(bytes), options: options) == reference)
        #expect(try EncodedCorpus.encode(bytes: try Compression.gzip.compress(bytes), options: options, chunkSize: 64) == reference)
    }

    @Test("damaged compressed text is reported as damaged, in any chunk size, even after text the tokenizer refuses",
          arguments: [Compression.gzip, .xz])
    func damagedSameErrorAnyChunk(format: Compression) throws {
        // A token longer than the limit, then damage (the tokenizer fuzzer's finding): the
        // decoder's verdict on the rest of the file wins over the tokenizer's complaint, in every
        // chunk size (before, one big chunk reported the damage and small ones the long token).
        var limited = options
        limited.maximumTokenBytes = 16
        let text = Array((String(repeating: "a", count: 40) + " b\n" + Self.text).utf8)
        var damaged = try format.compress(text)
        damaged[damaged.count - 8] ^= 0x55
        let whole = Result { () throws(CorpusError) in try EncodedCorpus.encode(bytes: damaged, options: limited) }
        for chunk in [1, 7, 29, 4096] {
            let pieces = Result { () throws(CorpusError) in
                try EncodedCorpus.encode(bytes: damaged, options: limited, chunkSize: chunk)
            }
            #expect(pieces == whole, "chunks of \(chunk)")
        }
        guard case .failure(.corruptCompressedFile(let inner)) = whole else {
            Issue.record("expected the \(format) damage, got \(whole)")
            return
        }
        #expect(inner.path == EncodedCorpus.textSourceName)
        // Undamaged, the same text gets the tokenizer's error.
        #expect(throws: CorpusError.self) { try EncodedCorpus.encode(bytes: try format.compress(text), options: limited, chunkSize: 7) }
        let clean = Result { () throws(CorpusError) in try EncodedCorpus.encode(bytes: try! format.compress(text), options: limited) }
        guard case .failure(let error) = clean, error.problem.contains("longer than 16 bytes") else {
            Issue.record("expected the long token, got \(clean)")
            return
        }
    }

    @Test("progress over a directory runs to 1 by the files' sizes")
    func directoryProgress() throws {
        let dir = TemporaryDirectory()
        let split = try Self.directory(in: dir, parts: 3)
        var fractions: [Double] = []
        _ = try EncodedCorpus.load(contentsOf: split, options: options, chunkSize: 64, progress: { fractions.append($0.fraction) })
        #expect(fractions.last == 1)
        #expect(fractions == fractions.sorted())
    }
}
