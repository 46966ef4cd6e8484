import ArgumentParser
import Foundation
import W2V

/// Count-based embeddings on wiki8: seconds and memory per stage, WordSim-353 and analogy quality.
struct PPMISuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ppmi",
        abstract: "PPMI-SVD on a corpus (default wiki8): time per stage (load, count, PPMI, SVD), peak RSS, WordSim-353 Spearman and Google-analogy accuracy."
    )

    @Option(help: "Corpus file.") var corpus = defaultDataPath("corpora/wiki8.txt")
    @Option(help: "WordSim-353 file (word1 TAB word2 TAB score; # comments).") var wordsim = defaultDataPath("eval/wordsim353.tsv")
    @Option(help: "Google analogy questions.") var analogies = defaultDataPath("eval/questions-words.txt")
    @Option(parsing: .upToNextOption, help: "Vocabulary sizes (most frequent words).") var vocabulary: [Int] = [30_000, 50_000]
    @Option(help: "Window size.") var window = 2
    @Option(help: "Dimension.") var dimension = 300
    @Option(help: "Context-distribution smoothing exponent.") var cds = 0.75
    @Option(help: "Eigenvalue weight p in U * S^p.") var eig = 0.5
    @Option(help: "Oversampling of the randomized SVD.") var oversampling = 10
    @Option(help: "Power iterations of the randomized SVD.") var powerIterations = 4
    @Option(help: "Threads (default: all cores).") var threads: Int?
    @Flag(help: "Add context vectors (W + C).") var addContext = false
    @Flag(help: "Only time sparse x dense products with the PPMI matrix (kernel tuning).") var productsOnly = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: corpus) else {
            print("skipped: corpus \(corpus) not found")
            return
        }
        print(environmentHeader())
        // Quality through the Evaluation module (gensim's conventions, case-insensitive), over
        // the whole vocabulary of each run: WordSim-353 pairs and Google questions in vocabulary.
        let pairSet = FileManager.default.fileExists(atPath: wordsim) ? try WordPairSet(contentsOfFile: wordsim) : nil
        let testSet = FileManager.default.fileExists(atPath: analogies) ? try AnalogyTestSet(contentsOfFile: analogies) : nil
        var rows: [[String]] = []
        for size in vocabulary {
            let cpuStart = cpuSeconds()
            let (loaded, loadSeconds) = try measure {
                try EncodedCorpus.load(contentsOf: corpus, options: CorpusOptions(minCount: 1, maxVocabularySize: size))
            }
            let configuration = PPMISVDConfiguration(windowSize: window, contextSmoothing: cds, dimension: dimension,
                                                     eigenvalueWeight: eig,
                                                     method: .randomized(oversampling: oversampling, powerIterations: powerIterations),
                                                     addContextVectors: addContext, threads: threads)
            let trainer = PPMISVDTrainer(configuration: configuration)
            let counter = CooccurrenceCounter(windowSize: window, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
            let (counts, countSeconds) = try measure { try counter.count(ids: loaded.ids, vocabularySize: loaded.vocabulary.count) }
            let (ppmi, ppmiSeconds) = measure { PPMITransform(contextSmoothing: cds).apply(to: counts) }
            let countNonzeros = counts.nonzeroCount
            if productsOnly {
                var rng = SplitMix64(seed: 1)
                let block = Tensor.randomNormal(shape: [ppmi.columns, dimension + oversampling], using: &rng)
                let cpuBefore = cpuSeconds()
                let (_, seconds) = measure { for _ in 0..<3 { _ = ppmi.multiplied(by: block, threads: threads ?? 2) } }
                print("3 products [\(ppmi.rows) x \(ppmi.columns), nnz \(ppmi.nonzeroCount)] x [\(ppmi.columns), \(dimension + oversampling)]: \(format(seconds)) s wall, \(format(cpuSeconds() - cpuBefore)) s CPU")
                continue
            }
            let (vectors, svdSeconds) = try measure { try trainer.vectors(fromPPMI: ppmi, vocabulary: loaded.vocabulary) }
            let total = loadSeconds + countSeconds + ppmiSeconds + svdSeconds
            let cpu = cpuSeconds() - cpuStart
            let similarity = try pairSet.map { try vectors.evaluateWordPairs($0, restrictTo: nil) }
            let analogy = try testSet.map { try vectors.evaluateAnalogies($0, restrictTo: nil) }
            rows.append([
                "\(loaded.vocabulary.count)", format(loadSeconds), format(countSeconds), format(ppmiSeconds), format(svdSeconds),
                format(total), format(cpu, 1), "\(countNonzeros / 1000)k / \(ppmi.nonzeroCount / 1000)k", format(peakRSSMiB(), 0),
                similarity.map { "\(format($0.spearman, 3)) (\($0.pairs) pairs)" } ?? "skipped (no file)",
                analogy.map { "\(format($0.accuracy * 100, 1))% (\($0.answered) of \($0.total))" } ?? "skipped (no file)",
            ])
        }
        print(markdownTable(["V", "load s", "count s", "PPMI s", "SVD s", "total s", "CPU s", "nnz counts / PPMI",
                             "peak RSS MiB", "WordSim-353 Spearman", "analogy 3CosAdd"], rows))
    }
}

/// User + system CPU seconds of this process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
