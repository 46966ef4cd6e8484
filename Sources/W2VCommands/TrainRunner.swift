import CountBased
import Embeddings
import Foundation
import TensorCore
import TextCorpus
import ModelStorage

/// `w2v train`: read the corpus, train, store, summarise.
struct TrainRunner {
    let command: Train

    func run() throws {
        if let model = command.continueModel { return try continueTraining(model) }
        let (corpusPath, isSample) = try resolveCorpus()
        let name = command.resolvedModelName(corpusPath: corpusPath)
        let access = StoreAccess(command.storeOptions)
        // Open (or create) the store before the long work, so a bad --store fails at once.
        let store = try access.openForWriting()
        let reporter = ProgressReporter(style: .automatic(quiet: command.quiet))
        Interrupt.install()
        defer { Interrupt.uninstall() }

        let clock = ContinuousClock()
        let start = clock.now
        let corpus: EncodedCorpus
        let source: CorpusSource
        let vectors: WordVectors
        let history: TrainingHistory
        let outputVectors: Tensor?
        do {
            (corpus, source) = try EncodedCorpus.loadWithSource(contentsOf: corpusPath, options: corpusOptions,
                                                                progress: { reporter.report($0) }, cancellation: Interrupt.flag)
            (vectors, history, outputVectors) = try train(corpus, reporter: reporter)
        } catch {
            reporter.finish()
            if Interrupt.wasInterrupted { throw ErrorHints.interrupted(storePath: access.path) }
            throw ErrorHints.failure(for: error, store: access) ?? CommandFailure(error)
        }
        reporter.finish()
        if Interrupt.wasInterrupted { throw ErrorHints.interrupted(storePath: access.path) }
        let seconds = (clock.now - start).seconds

        // Described from the pass that read it: standard input and FIFOs are read only once.
        let description = CorpusDescription(source, tokenCount: corpus.tokenCount)
        let passes = command.model == .ppmiSVD ? 1 : command.epochs
        let run = TrainingRun(corpus: description, epochs: command.model == .ppmiSVD ? nil : passes,
                              learningRate: command.model == .ppmiSVD ? nil : Double(word2vecConfiguration.startingLearningRate),
                              vocabularySize: vectors.count, addedWords: vectors.count, trainingSeconds: seconds)
        let metadata = ModelMetadata(method: command.model.rawValue, parameters: parameters, corpus: description,
                                     trainingSeconds: seconds, trainingHistory: history, trainingRuns: [run])
        do {
            // word2vec's output weights are kept so that the model can be trained further (--continue).
            try store.save(vectors, as: name, metadata: metadata, replace: true, outputVectors: outputVectors)
        } catch {
            throw access.mapped(error)
        }

        let rate = seconds > 0 ? Double(corpus.tokenCount * passes) / seconds : 0
        let example = isSample ? "king" : exampleWord(vectors)
        let lines = [
            "Trained \"\(name)\" (\(command.model.rawValue), \(vectors.dimension) dimensions) on \(corpusPath == "-" ? "standard input" : corpusPath)",
            "  vocabulary  \(grouped(vectors.count)) words (min count \(command.minCount)\(command.maxVocabularySize.map { ", at most \($0)" } ?? ""))",
            "  corpus      \(grouped(corpus.tokenCount)) words" + (passes > 1 ? " x \(passes) epochs" : ""),
            "  time        \(formatFixed(seconds, decimals: 1)) s (\(formatCount(rate)) words/s)",
            "  stored in   \(access.path)",
            "Try: w2v similar \(shellQuoted(example))\(access.storeFlag)",
        ]
        StandardStreams.printLine(lines.joined(separator: "\n"))
    }

    /// The corpus to read: the argument, else the shipped sample.
    func resolveCorpus() throws -> (path: String, isSample: Bool) {
        if let corpus = command.corpus { return (corpus, false) }
        guard let sample = SampleCorpus.locate() else {
            throw CommandFailure("The sample corpus (corpora/\(SampleCorpus.fileName)) was not found.",
                                 hint: "Run w2v from the w2v source directory, or give a corpus: w2v train FILE")
        }
        return (sample, true)
    }

    var corpusOptions: CorpusOptions {
        CorpusOptions(lowercase: command.lowercase, minCount: command.minCount,
                      maxVocabularySize: command.maxVocabularySize)
    }

    /// The vectors and the training history: word2vec's loss and learning rate per percent of
    /// training; for PPMI-SVD (no loss, no learning rate) the elapsed time at the end of each
    /// stage (counting, PPMI, SVD), positioned at a third, two thirds and all of the work. For
    /// word2vec also the output weights (W_out), kept so that the model can be continued.
    func train(_ corpus: EncodedCorpus, reporter: ProgressReporter) throws -> (WordVectors, TrainingHistory, Tensor?) {
        switch command.model {
        case .skipgram, .cbow:
            let model = try trainWord2Vec(corpus, reporter: reporter)
            return (model.wordVectors(), model.lastTraining.history, model.outputVectors)
        case .ppmiSVD:
            let stages = StageHistory()
            let vectors = try PPMISVDTrainer(configuration: ppmiConfiguration)
                .train(corpus: corpus, progress: { report in
                    reporter.report(report)
                    stages.note(report)
                }, cancellation: Interrupt.flag)
            return (vectors, stages.history, nil)
        }
    }

    /// The library configuration the options ask for (also what is recorded with the model).
    var ppmiConfiguration: PPMISVDConfiguration {
        var configuration = PPMISVDConfiguration()
        configuration.windowSize = command.resolvedWindow
        configuration.contextSmoothing = command.cds
        configuration.shift = command.shift
        configuration.dimension = command.dimension
        configuration.eigenvalueWeight = command.eig
        configuration.addContextVectors = command.contextVectors
        configuration.seed = command.seed
        configuration.threads = command.resolvedThreads
        return configuration
    }

    /// The hyperparameters recorded with the model: the corpus options and the trainer's
    /// configuration as they encode themselves (`Codable`), so nothing is restated here; for
    /// word2vec also the learning rate the trainer started from.
    var parameters: [String: String] {
        var values = RecordedParameters.flatten(corpusOptions)
        switch command.model {
        case .skipgram, .cbow:
            let configuration = word2vecConfiguration
            values.merge(RecordedParameters.flatten(configuration)) { _, new in new }
            values["learningRate"] = "\(configuration.startingLearningRate)"
        case .ppmiSVD:
            values.merge(RecordedParameters.flatten(ppmiConfiguration)) { _, new in new }
        }
        return values
    }

    /// A moderately frequent word to suggest for `w2v similar`.
    func exampleWord(_ vectors: WordVectors) -> String {
        guard vectors.count > 0 else { return "WORD" }
        let start = min(vectors.count - 1, 100)
        for i in start..<vectors.count where vectors.words[i].count >= 4 && vectors.words[i].allSatisfy(\.isLetter) {
            return vectors.words[i]
        }
        return vectors.words[start]
    }
}

extension CorpusDescription {
    /// How a model records the corpus it was read from (the text's size and checksum, the
    /// format, a directory's files).
    init(_ source: CorpusSource, tokenCount: Int? = nil) {
        self.init(path: source.path, sizeBytes: source.byteCount, checksum: CorpusDescription.checksumText(source.checksum),
                  tokenCount: tokenCount, format: source.format.rawValue, compressedSizeBytes: source.compressedByteCount,
                  files: source.format == .directory ? source.files.map { CorpusDescription($0) } : nil)
    }
}

/// Collects PPMI-SVD's stage ends into a ``TrainingHistory`` (called on the training thread).
final class StageHistory {
    static let stages = ["counting", "ppmi", "svd"]
    private(set) var history = TrainingHistory(unit: "percent")
    private let start = monotonicSeconds()
    private var finished: Set<String> = []

    func note(_ report: ProgressReport) {
        guard report.fraction >= 1, let index = Self.stages.firstIndex(of: report.stage),
              finished.insert(report.stage).inserted else { return }
        let position = (Double(index + 1) * 100 / Double(Self.stages.count)).rounded()
        history.append(TrainingHistory.Point(position: position, elapsedSeconds: monotonicSeconds() - start))
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
