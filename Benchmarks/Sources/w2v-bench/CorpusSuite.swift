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
    }
}
