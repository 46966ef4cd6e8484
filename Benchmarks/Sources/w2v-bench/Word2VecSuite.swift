import ArgumentParser
import Foundation
import W2V

/// word2vec training speed, memory and (optionally) vectors for the quality evaluation.
struct Word2VecSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "word2vec",
        abstract: "Train skip-gram / CBOW on a corpus (default wiki8): vocabulary time, training words/s, peak RSS, loss."
    )

    @Option(help: "Corpus file (default ../shared/data/corpora/wiki8.txt).") var corpus: String?
    @Option(help: "Architectures to run, comma-separated: sg, cbow, sg-hogbatch (skip-gram with HogBatch updates).")
    var architectures = "sg,cbow"
    @Option(help: "Worker threads.") var threads = 2
    @Option(help: "Epochs.") var epochs = 1
    @Option(help: "Vector dimension.") var dimension = 100
    @Option(help: "Window size.") var window = 5
    @Option(help: "Negative samples.") var negative = 5
    @Option(help: "Minimum count.") var minCount = 5
    @Option(help: "Subsampling threshold.") var sample = 1e-3
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Directory to write DIR/<arch>.bin (word2vec binary, input vectors) for evaluation.") var output: String?
    @Flag(help: "Print training progress lines on stderr.") var progress = false

    func run() throws {
        let path = corpus ?? defaultDataPath("corpora/wiki8.txt")
        guard FileManager.default.fileExists(atPath: path) else {
            print("word2vec: skipped, corpus not found at \(path)")
            return
        }
        print(environmentHeader())
        let (encoded, vocabularySeconds) = try measure {
            try EncodedCorpus.load(contentsOf: path, options: CorpusOptions(minCount: minCount))
        }
        let rssAfterVocabulary = peakRSSMiB()
        var rows: [[String]] = []
        for name in architectures.split(separator: ",") {
            let (architecture, update) = try word2vecMethod(String(name))
            let configuration = Word2VecConfiguration(
                architecture: architecture, dimension: dimension, windowSize: window, negativeSamples: negative,
                minCount: minCount, sample: sample, epochs: epochs, threads: threads, seed: seed,
                skipGramUpdate: update)
            let label = String(name)
            var report: (@Sendable (TrainingProgress) -> Void)?
            if progress {
                report = { (p: TrainingProgress) in
                    let percent: String = format(p.fraction * 100, 1)
                    let speed: String = format(p.wordsPerSecond, 0)
                    let rate: String = format(p.learningRate ?? 0, 5)
                    let loss: String = format(p.loss ?? 0, 4)
                    let line = "\(label) \(percent)%  \(speed) words/s  lr \(rate)  loss \(loss)\n"
                    FileHandle.standardError.write(Data(line.utf8))
                }
            }
            let model = try Word2VecTrainer(configuration: configuration).train(corpus: encoded, progress: report)
            let t = model.lastTraining
            let rawWordsPerSecond = Double(encoded.tokenCount * epochs) / t.trainingSeconds
            rows.append([String(name), "\(threads)", "\(epochs)", "\(encoded.vocabulary.count)",
                         format(vocabularySeconds, 2), format(t.trainingSeconds, 2),
                         format(rawWordsPerSecond / 1000, 1), format(t.finalLoss, 4), format(peakRSSMiB(), 0)])
            if let output {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                try VectorFileWriter.write(model.wordVectors(), to: "\(output)/\(name).bin", format: .word2vecBinary)
            }
        }
        print(markdownTable(["model", "threads", "epochs", "vocabulary", "vocab s", "train s", "k words/s (raw x epochs / train s)",
                             "final loss", "peak RSS MiB"], rows))
        print("peak RSS after reading the corpus: \(format(rssAfterVocabulary, 0)) MiB")
    }
}
