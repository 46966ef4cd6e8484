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
            let spearman = wordSimilaritySpearman(vectors, path: wordsim)
            let analogy = analogyAccuracy(vectors, path: analogies)
            rows.append([
                "\(loaded.vocabulary.count)", format(loadSeconds), format(countSeconds), format(ppmiSeconds), format(svdSeconds),
                format(total), format(cpu, 1), "\(countNonzeros / 1000)k / \(ppmi.nonzeroCount / 1000)k", format(peakRSSMiB(), 0),
                "\(format(spearman.rho, 3)) (\(spearman.pairs) pairs)",
                "\(format(analogy.accuracy * 100, 1))% (\(analogy.questions) questions)",
            ])
        }
        print(markdownTable(["V", "load s", "count s", "PPMI s", "SVD s", "total s", "CPU s", "nnz counts / PPMI",
                             "peak RSS MiB", "WordSim-353 Spearman", "analogy 3CosAdd"], rows))
    }
}

/// Spearman's rank correlation between human scores and cosine similarities over the pairs whose
/// words (lower-cased) are both in the vocabulary.
func wordSimilaritySpearman(_ vectors: WordVectors, path: String) -> (rho: Double, pairs: Int) {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return (.nan, 0) }
    var human: [Double] = []
    var model: [Double] = []
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        let fields = line.split(separator: "\t")
        guard fields.count >= 3, let score = Double(fields[2]) else { continue }
        let a = fields[0].lowercased(), b = fields[1].lowercased()
        guard let x = vectors.id(for: a), let y = vectors.id(for: b) else { continue }
        let u = vectors.vector(at: x), v = vectors.vector(at: y)
        let nu = dot(u, u).squareRoot(), nv = dot(v, v).squareRoot()
        human.append(score)
        model.append(nu > 0 && nv > 0 ? Double(dot(u, v) / (nu * nv)) : 0)
    }
    return (pearson(ranks(human), ranks(model)), human.count)
}

/// Average ranks (ties share the mean rank).
func ranks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var result = [Double](repeating: 0, count: values.count)
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
        for k in i...j { result[order[k]] = Double(i + j) / 2 + 1 }
        i = j + 1
    }
    return result
}

func pearson(_ x: [Double], _ y: [Double]) -> Double {
    let n = Double(x.count)
    guard n > 1 else { return .nan }
    let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for i in x.indices {
        sxy += (x[i] - mx) * (y[i] - my)
        sxx += (x[i] - mx) * (x[i] - mx)
        syy += (y[i] - my) * (y[i] - my)
    }
    return sxy / (sxx * syy).squareRoot()
}

/// 3CosAdd accuracy on the questions whose four words (lower-cased) are all in the vocabulary,
/// searching the whole vocabulary and excluding the three question words.
func analogyAccuracy(_ vectors: WordVectors, path: String) -> (accuracy: Double, questions: Int) {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return (.nan, 0) }
    var queries: [AnalogyQuery] = []
    var expected: [Int] = []
    for line in text.split(separator: "\n") where !line.hasPrefix(":") {
        let words = line.split(separator: " ").map { $0.lowercased() }
        guard words.count == 4 else { continue }
        let ids = words.compactMap { vectors.id(for: $0) }
        guard ids.count == 4 else { continue }
        queries.append(AnalogyQuery(a: ids[0], b: ids[1], c: ids[2]))
        expected.append(ids[3])
    }
    guard !queries.isEmpty, let answers = try? vectors.analogies(queries, count: 1) else { return (.nan, 0) }
    let correct = zip(answers, expected).filter { $0.0.first?.id == $0.1 }.count
    return (Double(correct) / Double(queries.count), queries.count)
}

/// User + system CPU seconds of this process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
