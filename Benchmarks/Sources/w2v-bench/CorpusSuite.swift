import ArgumentParser
import Foundation
import W2V

/// Reading and encoding a corpus: seconds, tokens per second, vocabulary size, peak memory.
struct CorpusSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Time EncodedCorpus.load (tokenise, count, encode to ids) on a corpus file (default wiki8)."
    )

    @Option(help: "Corpus file.") var corpus = defaultDataPath("corpora/wiki8.txt")
    @Option(help: "Minimum count.") var minCount = 5
    @Option(help: "Maximum vocabulary size (0: none).") var maxVocabulary = 0
    @Option(help: "Read chunk size in bytes.") var chunkSize = 1 << 20
    @Flag(help: "Also read gzip and xz copies of the corpus (made once in --scratch) next to the plain file: read-only MB/s of text and the full load, side by side.")
    var compressed = false
    @Option(help: "Where the compressed copies are kept between runs.") var scratch = NSTemporaryDirectory() + "w2v-bench-corpus"
    @Option(help: "Repetitions of each compressed-comparison measurement (min / median / max reported).") var repeats = 3

    func run() throws {
        guard FileManager.default.fileExists(atPath: corpus) else {
            print("skipped: corpus \(corpus) not found")
            return
        }
        print(environmentHeader())
        let options = CorpusOptions(minCount: minCount, maxVocabularySize: maxVocabulary > 0 ? maxVocabulary : nil)
        let (encoded, seconds) = try measure { try EncodedCorpus.load(contentsOf: corpus, options: options, chunkSize: chunkSize) }
        let inVocabulary = encoded.ids.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        print(markdownTable(["corpus", "tokens", "vocabulary", "in-vocabulary tokens", "seconds", "Mtokens/s", "peak RSS MiB"], [[
            corpus.split(separator: "/").last.map(String.init) ?? corpus, "\(encoded.tokenCount)", "\(encoded.vocabulary.count)",
            "\(inVocabulary)", format(seconds, 2), format(Double(encoded.tokenCount) / seconds / 1e6, 1), format(peakRSSMiB(), 0),
        ]]))
        if compressed { try compareCompressed(options: options) }
    }

    /// The plain corpus, its gzip copy and its xz copy, each read (decompressed, no tokenising)
    /// and loaded (`EncodedCorpus.load`) `repeats` times, interleaved so that load changes on the
    /// machine hit all three alike.
    func compareCompressed(options: CorpusOptions) throws {
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let plainBytes = try FileManager.default.attributesOfItem(atPath: corpus)[.size] as? Int ?? 0
        let stem = URL(fileURLWithPath: corpus).lastPathComponent + "-\(plainBytes)"
        var files: [(name: String, path: String)] = [("text", corpus)]
        for compression in [Compression.gzip, .xz] {
            let path = scratch + "/" + stem + "." + compression.rawValue
            if !FileManager.default.fileExists(atPath: path) {
                print("compressing \(corpus) to \(path) (once) ...")
                let text = try InputFile(path: corpus).readAll()
                let (encoded, seconds) = try measure { try compression.compress(text) }
                try Data(encoded).write(to: URL(fileURLWithPath: path))
                print("  \(encoded.count) bytes in \(format(seconds, 1)) s")
            }
            files.append((compression.rawValue, path))
        }
        var readSeconds = [[Double]](repeating: [], count: files.count)
        var loadSeconds = [[Double]](repeating: [], count: files.count)
        var tokens = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        for _ in 0..<repeats {
            for (index, file) in files.enumerated() {
                let (_, read) = try measure { () throws -> Int in
                    let input = try DecompressingInput(path: file.path)
                    while try input.read(into: buffer) > 0 {}
                    return input.bytesRead
                }
                readSeconds[index].append(read)
                let (encoded, load) = try measure { try EncodedCorpus.load(contentsOf: file.path, options: options, chunkSize: chunkSize) }
                tokens = encoded.tokenCount
                loadSeconds[index].append(load)
            }
        }
        func spread(_ values: [Double], digits: Int = 1, _ scale: (Double) -> Double) -> String {
            let sorted = values.map(scale).sorted()
            return "\(format(sorted[sorted.count / 2], digits)) (\(format(sorted.first!, digits))-\(format(sorted.last!, digits)))"
        }
        var rows: [[String]] = []
        for (index, file) in files.enumerated() {
            let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int ?? 0
            rows.append([file.name, "\(size)", spread(readSeconds[index]) { Double(plainBytes) / $0 / 1e6 },
                         spread(loadSeconds[index], digits: 2) { $0 }, spread(loadSeconds[index]) { Double(tokens) / $0 / 1e6 }])
        }
        print("\(repeats) runs each, median (min-max); MB/s are of the decompressed text (\(plainBytes) bytes)")
        print(markdownTable(["file", "bytes on disk", "read MB/s (decompress only)", "load seconds", "load Mtokens/s"], rows))
    }
}
