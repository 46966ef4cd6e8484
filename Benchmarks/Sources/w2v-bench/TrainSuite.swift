import ArgumentParser
import Foundation
import W2V

/// The headline table: skip-gram, CBOW and PPMI-SVD trained on one corpus with fixed settings,
/// each in its own process (so peak RSS is per method), evaluated by w2v's Evaluation module;
/// with `--peers`, the original word2vec C tool and gensim on the same corpus and settings,
/// evaluated by the same code, with ratios.
struct TrainSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train skip-gram, CBOW and PPMI-SVD; speed, memory and quality (optionally next to word2vec C and gensim).",
        discussion: """
        Settings: dim 100, window 5, negative 5, min-count 5, sample 1e-3 (word2vec);
        PPMI-SVD: vocabulary 30,000, window 2, dim 300, cds 0.75, eig 0.5, W + C (as `w2v train --model ppmi-svd`).
        Quality: Google analogies restricted to the 30,000 most frequent words (3CosAdd and 3CosMul)
        and WordSim-353 Spearman, both computed by w2v's Evaluation module.
        Examples:
          w2v-bench train                       # wiki8, 1 epoch, 2 threads, all three methods
          w2v-bench train --quick               # a 2M-word prefix of the corpus
          w2v-bench train --peers --json out.json
          w2v-bench train --methods cbow --epochs 5 --peers --repeats 3   # mean ± sd over 3 runs each
        With --repeats N, w2v trains with seeds 1...N (--first-seed moves them); word2vec C and gensim fix their seeds, so their
        runs differ only through the order in which the Hogwild threads interleave.
        """
    )

    @Option(help: "Corpus file (default ../shared/data/corpora/wiki8.txt).") var corpus: String?
    @Option(help: "Methods, comma-separated: sg, cbow, ppmi, sg-hogbatch (skip-gram with HogBatch updates).")
    var methods = "sg,cbow,ppmi"
    @Option(help: "Epochs for skip-gram and CBOW.") var epochs = 1
    @Option(help: "Worker threads.") var threads = 2
    @Flag(help: "Use a 2M-word prefix of the corpus (a quick check).") var quick = false
    @Flag(help: "Also run word2vec C and gensim (../shared/tools/peers.sh) with the same settings.") var peers = false
    @Option(help: "Write every figure as JSON to this file.") var json: String?
    @Option(help: "Directory for vectors and logs (default: a temporary directory).") var output: String?
    @Option(help: "Runs per tool and method (w2v seeds 1...N); adds a mean ± sd table.") var repeats = 1
    @Option(help: "w2v's first seed (seeds first...first+repeats-1).") var firstSeed = 1
    @Flag(help: "w2v word2vec: exact sigmoid instead of the lookup table (a diagnostic).") var exactSigmoid = false

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1 (got \(repeats)).") }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1 (got \(epochs)).") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1 (got \(threads)).") }
    }

    func run() throws {
        var path = corpus ?? defaultDataPath("corpora/wiki8.txt")
        guard FileManager.default.fileExists(atPath: path) else {
            print("train: skipped, corpus not found at \(path) (pass --corpus)")
            return
        }
        let directory = output ?? NSTemporaryDirectory() + "w2v-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if quick { path = try writePrefix(of: path, words: 2_000_000, to: directory + "/prefix.txt") }
        print(environmentHeader())
        print("corpus \(path), epochs \(epochs), threads \(threads)")

        let analogyPath = defaultDataPath("eval/questions-words.txt")
        let pairsPath = defaultDataPath("eval/wordsim353.tsv")
        let questions = FileManager.default.fileExists(atPath: analogyPath) ? try AnalogyTestSet(contentsOfFile: analogyPath) : nil
        let pairs = FileManager.default.fileExists(atPath: pairsPath) ? try WordPairSet(contentsOfFile: pairsPath) : nil

        var results: [RunResult] = []
        for method in methods.split(separator: ",").map(String.init) {
            for seed in firstSeed..<(firstSeed + repeats) {
                var run = try runChild(method: method, seed: seed, corpus: path, directory: directory)
                run.quality = try evaluate(vectorsAt: run.vectorsPath, questions: questions, pairs: pairs)
                results.append(run)
                printProgress("w2v \(method) run \(seed): \(format(run.trainSeconds, 1)) s training, \(format(run.wordsPerSecond / 1000, 0))k words/s")
            }
        }
        if peers {
            let script = defaultDataPath("../tools/peers.sh")
            for method in methods.split(separator: ",").map(String.init) {
                if method == "sg-hogbatch" { continue }  // no peer trains with HogBatch; compare it with sg
                let peerRuns: [(String, String)] = method == "ppmi" ? [("ppmi", "ppmi")] : [("w2vc", method), ("gensim", method)]
                for (peer, model) in peerRuns {
                    for index in 1...(model == "ppmi" ? 1 : repeats) {
                        guard var run = try runPeer(script: script, peer: peer, model: model, run: index, corpus: path,
                                                    directory: directory) else { continue }
                        run.quality = try evaluate(vectorsAt: run.vectorsPath, questions: questions, pairs: pairs)
                        results.append(run)
                        printProgress("\(peer) \(model) run \(index): \(format(run.trainSeconds, 1)) s training")
                    }
                }
            }
        }
        print(markdownTable(
            ["tool", "method", "run", "vocabulary", "vocab s", "train s", "k words/s", "peak RSS MiB",
             "analogy add (sem/syn)", "analogy mul", "answered", "WS353 ρ"],
            results.map(\.row)))
        if repeats > 1 { print(""); print(summaryTable(results)) }
        if peers { print(""); print(ratioTable(results)) }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let document = BenchmarkDocument(header: environmentHeader(), corpus: path, epochs: epochs, threads: threads, runs: results)
            try encoder.encode(document).write(to: URL(fileURLWithPath: json))
            print("JSON written to \(json)")
        }
    }

    /// Runs `w2v-bench train-one` in a child process so that its peak RSS is its own.
    func runChild(method: String, seed: Int, corpus: String, directory: String) throws -> RunResult {
        let vectors = repeats > 1 ? "\(directory)/w2v-\(method)-\(seed).bin" : "\(directory)/w2v-\(method).bin"
        let output = try runProcess(CommandLine.arguments[0],
                                    ["train-one", "--method", method, "--corpus", corpus, "--epochs", "\(epochs)",
                                     "--threads", "\(threads)", "--seed", "\(seed)", "--output", vectors]
                                    + (exactSigmoid ? ["--exact-sigmoid"] : []))
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              var result = try? JSONDecoder().decode(RunResult.self, from: Data(line.utf8)) else {
            throw ValidationError("train-one \(method) printed no result:\n\(output)")
        }
        result.vectorsPath = vectors
        return result
    }

    /// Runs one peer through ../shared/tools/peers.sh and reads its JSON summary line.
    func runPeer(script: String, peer: String, model: String, run index: Int, corpus: String,
                 directory: String) throws -> RunResult? {
        guard FileManager.default.fileExists(atPath: script) else {
            print("peers: skipped, \(script) not found")
            return nil
        }
        let out = repeats > 1 ? "\(directory)/\(peer)-\(model)-\(index)" : "\(directory)/\(peer)-\(model)"
        var arguments = [script, "run", peer, model, corpus, "--threads", "\(threads)", "--out", out]
        if model == "ppmi" { arguments += ["--vocab", "30000", "--window", "2", "--k", "300"] } else { arguments += ["--epochs", "\(epochs)"] }
        let text = try runProcess("/bin/bash", arguments)
        guard let line = text.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            print("peers: \(peer) \(model) printed no JSON summary; skipped")
            return nil
        }
        func number(_ key: String) -> Double { (object[key] as? NSNumber)?.doubleValue ?? .nan }
        var result = RunResult(tool: peer, method: model, vocabularySize: Int(number("vocab_size").isNaN ? 0 : number("vocab_size")),
                               vocabularySeconds: number("vocab_s"), trainSeconds: number("train_s"),
                               wordsPerSecond: number("wps_corpus"), peakRSSMiB: number("peak_rss_mb"))
        result.run = index
        result.vectorsPath = "\(out)/vectors.bin"
        return result
    }
}

/// One method's training in this process: prints a JSON `RunResult` line.
struct TrainOneSuite: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train-one", abstract: "One training run (used by `train`).",
                                                    shouldDisplay: false)
    @Option var method: String
    @Option var corpus: String
    @Option var epochs = 1
    @Option var threads = 2
    @Option var seed = 1
    @Option var output: String
    @Flag var exactSigmoid = false

    func run() throws {
        let isPPMI = method == "ppmi"
        let options = isPPMI ? CorpusOptions(minCount: 5, maxVocabularySize: 30_000) : CorpusOptions(minCount: 5)
        let (encoded, vocabularySeconds) = try measure { try EncodedCorpus.load(contentsOf: corpus, options: options) }
        let vectors: WordVectors
        let trainSeconds: Double
        if isPPMI {
            let configuration = PPMISVDConfiguration(windowSize: 2, contextSmoothing: 0.75, dimension: 300, eigenvalueWeight: 0.5,
                                                     addContextVectors: true, threads: threads)
            (vectors, trainSeconds) = try measure { try PPMISVDTrainer(configuration: configuration).train(corpus: encoded) }
        } else {
            let (architecture, update) = try word2vecMethod(method)
            let configuration = Word2VecConfiguration(architecture: architecture, dimension: 100,
                                                      windowSize: 5, negativeSamples: 5, minCount: 5, sample: 1e-3,
                                                      epochs: epochs, threads: threads, seed: UInt64(seed),
                                                      sigmoid: exactSigmoid ? .exact : .table,
                                                      skipGramUpdate: update)
            let (model, seconds) = try measure { try Word2VecTrainer(configuration: configuration).train(corpus: encoded) }
            (vectors, trainSeconds) = (model.wordVectors(), seconds)
        }
        try VectorFileWriter.write(vectors, to: output, format: .word2vecBinary)
        let rawWords = Double(encoded.tokenCount * (isPPMI ? 1 : epochs))
        var result = RunResult(tool: "w2v", method: method, vocabularySize: encoded.vocabulary.count,
                               vocabularySeconds: vocabularySeconds, trainSeconds: trainSeconds,
                               wordsPerSecond: rawWords / trainSeconds, peakRSSMiB: peakRSSMiB())
        result.run = seed
        print(String(decoding: try JSONEncoder().encode(result), as: UTF8.self))
    }
}

struct Quality: Codable {
    var analogyAdd: Double, analogyAddSemantic: Double, analogyAddSyntactic: Double
    var analogyMul: Double
    var answered: Int, total: Int
    var ws353Spearman: Double, ws353Pairs: Int
}

struct RunResult: Codable {
    var tool: String
    var method: String
    var vocabularySize: Int
    var vocabularySeconds: Double
    var trainSeconds: Double
    /// Raw corpus words x epochs / training seconds.
    var wordsPerSecond: Double
    var peakRSSMiB: Double
    /// 1...repeats; w2v's seed.
    var run: Int?
    var vectorsPath: String = ""
    var quality: Quality?

    var row: [String] {
        let q = quality
        return [tool, method, run.map(String.init) ?? "1", "\(vocabularySize)", vocabularySeconds.isNaN ? "—" : format(vocabularySeconds, 1), format(trainSeconds, 1),
                method == "ppmi" ? "—" : format(wordsPerSecond / 1000, 0), format(peakRSSMiB, 0),
                q.map { "\(format($0.analogyAdd * 100, 1))% (\(format($0.analogyAddSemantic * 100, 1)) / \(format($0.analogyAddSyntactic * 100, 1)))" } ?? "—",
                q.map { "\(format($0.analogyMul * 100, 1))%" } ?? "—",
                q.map { "\($0.answered) / \($0.total)" } ?? "—",
                q.map { format($0.ws353Spearman, 3) } ?? "—"]
    }
}

struct BenchmarkDocument: Codable {
    var header: String, corpus: String, epochs: Int, threads: Int
    var runs: [RunResult]
}

/// Evaluates a word2vec binary file with w2v's Evaluation module (gensim's conventions).
func evaluate(vectorsAt path: String, questions: AnalogyTestSet?, pairs: WordPairSet?) throws -> Quality? {
    guard questions != nil || pairs != nil, FileManager.default.fileExists(atPath: path) else { return nil }
    let vectors = try VectorFileReader.read(contentsOf: path, format: .word2vecBinary)
    let add = try questions.map { try vectors.evaluateAnalogies($0, restrictTo: 30_000, method: .add) }
    let mul = try questions.map { try vectors.evaluateAnalogies($0, restrictTo: 30_000, method: .multiply) }
    let similarity = try pairs.map { try vectors.evaluateWordPairs($0) }
    return Quality(analogyAdd: add?.accuracy ?? .nan, analogyAddSemantic: add?.semantic ?? .nan,
                   analogyAddSyntactic: add?.syntactic ?? .nan, analogyMul: mul?.accuracy ?? .nan,
                   answered: add?.answered ?? 0, total: add?.total ?? 0,
                   ws353Spearman: similarity?.spearman ?? .nan, ws353Pairs: similarity?.pairs ?? 0)
}

/// The runs of each tool and method, in first-seen order, for tables over repeats.
func groupedRuns(_ results: [RunResult]) -> [[RunResult]] {
    var groups: [[RunResult]] = []
    for result in results {
        if let i = groups.firstIndex(where: { $0[0].tool == result.tool && $0[0].method == result.method }) {
            groups[i].append(result)
        } else {
            groups.append([result])
        }
    }
    return groups
}

/// Mean and sample standard deviation (0 for one value) of the finite values.
func meanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
    let finite = values.filter(\.isFinite)
    guard !finite.isEmpty else { return (.nan, .nan) }
    let mean = finite.reduce(0, +) / Double(finite.count)
    guard finite.count > 1 else { return (mean, 0) }
    let variance = finite.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(finite.count - 1)
    return (mean, variance.squareRoot())
}

/// One row per tool and method: mean ± sd over its runs.
func summaryTable(_ results: [RunResult]) -> String {
    let rows = groupedRuns(results).map { runs -> [String] in
        func cell(_ value: (RunResult) -> Double?, scale: Double, digits: Int) -> String {
            let (mean, deviation) = meanAndDeviation(runs.map { value($0) ?? .nan })
            return mean.isNaN ? "—" : "\(format(mean * scale, digits)) ± \(format(deviation * scale, digits))"
        }
        return [runs[0].tool, runs[0].method, "\(runs.count)",
                runs[0].method == "ppmi" ? "—" : cell({ $0.wordsPerSecond }, scale: 1e-3, digits: 0),
                cell({ $0.quality?.analogyAdd }, scale: 100, digits: 1),
                cell({ $0.quality?.analogyMul }, scale: 100, digits: 1),
                cell({ $0.quality?.ws353Spearman }, scale: 1, digits: 3)]
    }
    return markdownTable(["tool", "method", "runs", "k words/s", "analogy add %", "analogy mul %", "WS353 ρ"], rows)
}

/// The mean of each figure over runs of one tool and method (quality present when every run has it).
func meanRun(_ runs: [RunResult]) -> RunResult {
    func mean(_ value: (RunResult) -> Double) -> Double { meanAndDeviation(runs.map(value)).mean }
    var result = runs[0]
    result.trainSeconds = mean(\.trainSeconds)
    result.wordsPerSecond = mean(\.wordsPerSecond)
    result.peakRSSMiB = mean(\.peakRSSMiB)
    let qualities = runs.compactMap(\.quality)
    if qualities.count == runs.count, var quality = result.quality {
        quality.analogyAdd = meanAndDeviation(qualities.map(\.analogyAdd)).mean
        quality.analogyMul = meanAndDeviation(qualities.map(\.analogyMul)).mean
        quality.ws353Spearman = meanAndDeviation(qualities.map(\.ws353Spearman)).mean
        result.quality = quality
    }
    return result
}

/// w2v / peer ratios for speed and differences (points) for quality, per method (means over runs).
func ratioTable(_ results: [RunResult]) -> String {
    var rows: [[String]] = []
    let means = groupedRuns(results).map(meanRun)
    for ours in means where ours.tool == "w2v" {
        let peerMethod = ours.method == "sg-hogbatch" ? "sg" : ours.method
        for peer in means where peer.tool != "w2v" && peer.method == peerMethod {
            let points = { (a: Double?, b: Double?) -> String in
                guard let a, let b else { return "—" }
                return (a - b >= 0 ? "+" : "") + format((a - b) * 100, 1)
            }
            rows.append([ours.method, peer.tool,
                         ours.method == "ppmi" ? format(peer.trainSeconds / ours.trainSeconds, 2) + "x (time)" : format(ours.wordsPerSecond / peer.wordsPerSecond, 2) + "x",
                         format(ours.peakRSSMiB / peer.peakRSSMiB, 2) + "x",
                         points(ours.quality?.analogyAdd, peer.quality?.analogyAdd),
                         points(ours.quality?.analogyMul, peer.quality?.analogyMul),
                         points(ours.quality?.ws353Spearman, peer.quality?.ws353Spearman)])
        }
    }
    return markdownTable(["method", "peer", "speed w2v/peer", "peak RSS w2v/peer", "analogy add (points)", "analogy mul (points)", "WS353 ρ (x100)"], rows)
}

/// The first `words` whitespace-separated words of `path`, written to `destination`.
func writePrefix(of path: String, words: Int, to destination: String) throws -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else { throw ValidationError("Cannot read \(path).") }
    defer { try? handle.close() }
    var collected = Data()
    var count = 0
    var inWord = false
    outer: while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
        for (i, byte) in chunk.enumerated() {
            let space = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
            if !space && !inWord { count += 1; if count > words { collected.append(chunk.prefix(i)); break outer } }
            inWord = !space
        }
        collected.append(chunk)
    }
    try collected.write(to: URL(fileURLWithPath: destination))
    return destination
}

/// Runs a program, returns its standard output; standard error passes through.
func runProcess(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw ValidationError("\(executable) \(arguments.joined(separator: " ")) failed with status \(process.terminationStatus):\n\(text)")
    }
    return text
}

func printProgress(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
